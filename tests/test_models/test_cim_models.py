"""CIM's networks: PRM's peak stimulation and classifier, the MaskFuse and branch heads."""
import pytest
import torch
from mmdet.structures import DetDataSample
from mmengine.registry import init_default_scope

from mmwsis.models.heads import CIMRefinementHead, MaskFuseHead
from mmwsis.models.teachers.peak_response_net import peak_stimulation
from mmwsis.registry import MODELS
from mmwsis.utils import register_all_modules

NUM_CLASSES = 3
SIZE = 64


def test_peak_stimulation_averages_the_peaks_and_only_they_get_gradient():
    response = torch.zeros(1, 1, 5, 5)
    response[0, 0, 1, 1], response[0, 0, 3, 3] = 2.0, 4.0
    response[0, 0, 1, 2] = 1.0  # beside a higher value: not a peak
    response.requires_grad_()
    score = peak_stimulation(response, window=3)
    # Peaks: the two maxima, and (ties count) the zero cells whose window holds no
    # positive value, at the median 0.
    pooled = torch.nn.functional.max_pool2d(response.detach(), 3, 1, 1)
    peaks = (response.detach() == pooled) & (response.detach() >= 0)
    assert score.item() == pytest.approx(6.0 / peaks.sum().item())
    score.sum().backward()
    assert response.grad[0, 0, 1, 2] == 0 and response.grad[0, 0, 3, 3] > 0


def build_prm():
    register_all_modules(init_default_scope=False)
    init_default_scope('mmwsis')
    torch.manual_seed(0)
    return MODELS.build(dict(
        type='PeakResponseNet', num_classes=NUM_CLASSES, in_channels=112,
        cam_scales=(1.0, ), backbone=dict(type='EfficientNetLite0', out_indices=(4, ),
                                          pretrained=False)))


def prm_sample(labels):
    return DetDataSample(metainfo=dict(image_labels=labels, img_shape=(SIZE, SIZE),
                                       ori_shape=(SIZE, SIZE)))


def test_prm_trains_from_image_labels_and_predicts_its_classes_maps():
    model = build_prm()
    inputs = torch.randn(2, 3, SIZE, SIZE)
    samples = [prm_sample([0]), prm_sample([1, 2])]
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses = []
    for _ in range(10):
        loss = model(inputs, samples, mode='loss')['loss_cls']
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0]
    model.eval()
    out = model(inputs, samples, mode='predict')
    assert out[1].cams_full.shape == (2, SIZE, SIZE)
    assert out[1].cam_labels.tolist() == [1, 2]


def test_mask_fuse_head_uses_the_masks():
    torch.manual_seed(0)
    head = MaskFuseHead(in_channels=8, featmap_stride=4, conv_channels=16, fc_channels=32)
    feats = torch.randn(2, 8, 16, 16)
    boxes = [torch.tensor([[0., 0., 32., 32.], [8., 8., 40., 60.]]), torch.tensor([[4., 4., 60., 60.]])]
    full = [torch.ones(2, 7, 7), torch.ones(1, 7, 7)]
    h = head(feats, boxes, full)
    assert h.shape == (3, 32)
    empty = [torch.zeros(2, 7, 7), torch.ones(1, 7, 7)]
    h_empty = head(feats, boxes, empty)
    assert not torch.allclose(h[:2], h_empty[:2]) and torch.allclose(h[2], h_empty[2])
    with pytest.raises(ValueError, match='box masks are'):
        head(feats, boxes, [torch.ones(2, 5, 5), torch.ones(1, 5, 5)])


def test_refinement_head_softmaxes_detection_per_image():
    torch.manual_seed(0)
    head = CIMRefinementHead(in_channels=16, num_classes=NUM_CLASSES)
    head.init_weights()
    h = torch.randn(5, 16)
    out = head(h, [3, 2])
    assert out['mil_cls'].shape == (5, NUM_CLASSES + 1)
    torch.testing.assert_close(out['mil_cls'].sum(1), torch.ones(5))
    torch.testing.assert_close(out['mil_det'][:3].sum(0), torch.ones(NUM_CLASSES + 1))
    torch.testing.assert_close(out['mil_det'][3:].sum(0), torch.ones(NUM_CLASSES + 1))
    assert len(out['refine']) == len(out['integrity']) == 3
    assert all(0 <= q.min() and q.max() <= 1 for q in out['integrity'])
    scores = CIMRefinementHead.proposal_scores(out)
    expected = sum(p * q for p, q in zip(out['refine'], out['integrity'])) / 3
    torch.testing.assert_close(scores, expected)
