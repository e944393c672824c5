"""BESTIE's networks: PAM's peak attention and classifier, the BESTIE centre/offset network."""
import numpy as np
import pytest
import torch
from mmdet.structures import DetDataSample
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData, PixelData

from mmwsis.models.teachers import PeakAttention
from mmwsis.registry import MODELS
from mmwsis.utils import register_all_modules

NUM_CLASSES = 3
SIZE = 64


def setup_module():
    register_all_modules(init_default_scope=False)
    init_default_scope('mmwsis')


def test_peak_attention_keeps_what_reaches_alpha_of_the_channel_peak():
    x = torch.tensor([[[[-1.0, 0.5, 0.69], [0.7, 1.0, 0.2]],
                       [[2.0, 1.5, 1.3], [0.1, 0.0, 1.4]]]])
    out = PeakAttention(alpha=0.7)(x)
    expected = torch.tensor([[[[0.0, 0.0, 0.0], [0.7, 1.0, 0.0]],
                              [[2.0, 1.5, 0.0], [0.0, 0.0, 1.4]]]])
    torch.testing.assert_close(out, expected)
    with pytest.raises(ValueError, match='alpha'):
        PeakAttention(alpha=1.0)


def test_pam_classifier_learns_image_labels_and_gives_maps_of_its_classes():
    torch.manual_seed(0)
    model = MODELS.build(dict(
        type='PAMClassifier', num_classes=NUM_CLASSES, in_channels=112,
        extra_channels=(16, 16), cam_scales=(1.0, ),
        backbone=dict(type='EfficientNetLite0', out_indices=(4, ), pretrained=False)))
    assert len(model.extra) == 2 and isinstance(model.extra[0][1], PeakAttention)
    inputs = torch.randn(2, 3, SIZE, SIZE)
    samples = [DetDataSample(metainfo=dict(image_labels=labels, img_shape=(SIZE, SIZE),
                                           ori_shape=(SIZE, SIZE))) for labels in ([0], [1, 2])]
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses = []
    for _ in range(8):
        loss = model(inputs, samples, mode='loss')['loss_cls']
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0]
    model.eval()
    out = model(inputs, samples, mode='predict')
    assert out[1].cams_full.shape == (2, SIZE, SIZE) and out[1].cam_labels.tolist() == [1, 2]


def build_bestie(**kwargs):
    torch.manual_seed(0)
    return MODELS.build(dict(
        type='BESTIE', num_classes=NUM_CLASSES, in_channels=(24, 40, 112, 320),
        decoder_channels=16, head_channels=8, min_area=20, sigma=3.0,
        backbone=dict(type='EfficientNetLite0', out_indices=(1, 2, 4, 6), pretrained=False),
        **kwargs))


def wsss_sample(points=None):
    """A 64 x 64 WSSS map with two class-1 squares; one PAM peak (or click) in each."""
    semantic = np.zeros((SIZE, SIZE), dtype=np.int64)
    semantic[8:24, 8:24] = 2
    semantic[36:56, 30:50] = 2
    semantic[0:4, :] = 255
    points = np.array([[15.0, 15.0], [40.0, 45.0]]) if points is None else points
    sample = DetDataSample(metainfo=dict(
        image_labels=[1], img_shape=(SIZE, SIZE), ori_shape=(SIZE, SIZE),
        pseudo_points=points, pseudo_point_labels=np.ones(len(points), np.int64)))
    sample.gt_sem_seg = PixelData(sem_seg=torch.as_tensor(semantic)[None])
    sample.gt_instances = InstanceData(points=torch.as_tensor(points, dtype=torch.float32),
                                       labels=torch.ones(len(points), dtype=torch.long))
    return sample


@pytest.mark.parametrize('supervision', ['image', 'point'])
def test_bestie_losses_train_centres_and_offsets_from_the_wsss_map(supervision):
    model = build_bestie(supervision=supervision)
    inputs = torch.randn(2, 3, SIZE, SIZE)
    samples = [wsss_sample(), wsss_sample()]
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    history = []
    for _ in range(6):
        losses = model(inputs, samples, mode='loss')
        assert set(losses) == {'loss_seg', 'loss_center', 'loss_offset'}
        total = sum(losses.values())
        optimizer.zero_grad()
        total.backward()
        optimizer.step()
        history.append({k: v.item() for k, v in losses.items()})
    assert all(v > 0 for v in history[0].values())
    assert history[-1]['loss_seg'] < history[0]['loss_seg']
    assert history[-1]['loss_center'] < history[0]['loss_center']


def offset_loss_after_steps(offset_unit, steps=40):
    model = build_bestie(self_refinement=False, offset_unit=offset_unit)
    inputs, samples = torch.randn(2, 3, SIZE, SIZE), [wsss_sample(), wsss_sample()]
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(steps):
        loss = sum(model(inputs, samples, mode='loss').values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model(inputs, samples, mode='loss')['loss_offset'].item()


def test_an_offset_unit_near_the_offsets_length_learns_them_in_few_steps():
    start = build_bestie(self_refinement=False, offset_unit=8.0)
    inputs, samples = torch.randn(2, 3, SIZE, SIZE), [wsss_sample(), wsss_sample()]
    raw = start.heads(start.backbone(inputs))['offset']
    out = start._forward(inputs)['offset']
    torch.testing.assert_close(out, 8.0 * torch.nn.functional.interpolate(
        raw, size=(SIZE, SIZE), mode='bilinear', align_corners=False))
    # in 40 Adam steps raw pixels barely move (0.092 -> 0.084), units of 8 px do (-> 0.058)
    assert offset_loss_after_steps(8.0) < 0.8 * offset_loss_after_steps(1.0)


def test_without_points_in_a_component_there_is_no_centre_or_offset_loss():
    model = build_bestie(self_refinement=False)
    losses = model(torch.randn(1, 3, SIZE, SIZE), [wsss_sample(np.zeros((0, 2)))],
                   mode='loss')
    assert losses['loss_center'].item() == 0 and losses['loss_offset'].item() == 0
    assert losses['loss_seg'].item() > 0


def test_image_labels_without_pam_points_name_the_fix():
    model = build_bestie()
    sample = wsss_sample()
    del sample.pseudo_points
    with pytest.raises(KeyError, match='LoadProjectedPoints'):
        model(torch.randn(1, 3, SIZE, SIZE), [sample], mode='loss')


def test_predict_works_at_the_test_scale_and_flip_negates_dx():
    model = build_bestie(test_short_side=96, test_flip=True).eval()
    sample = DetDataSample(metainfo=dict(image_labels=[1], img_shape=(SIZE, 80),
                                         ori_shape=(SIZE, 80)))
    image = torch.randn(1, 3, SIZE, 80)
    out = model(image, [sample], mode='predict')[0]
    assert out.seg_prob.shape == (NUM_CLASSES + 1, 96, 120)
    assert out.center.shape == (NUM_CLASSES, 96, 120) and out.offset.shape == (2, 96, 120)
    torch.testing.assert_close(out.seg_prob.sum(0), torch.ones(96, 120))
    assert out.metainfo['teacher_scale'] == pytest.approx(1.5)
    # the flip average of a flipped image is the flipped average, with dx negated
    mirrored = DetDataSample(metainfo=dict(sample.metainfo))
    out_m = model(image.flip(-1), [mirrored], mode='predict')[0]
    torch.testing.assert_close(out_m.center, out.center.flip(-1), atol=1e-5, rtol=1e-4)
    torch.testing.assert_close(out_m.offset[1], -out.offset[1].flip(-1), atol=1e-5, rtol=1e-4)
