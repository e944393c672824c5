"""LIID's MIL proposal classifier: WSDDN loss from image labels, label-filtered probs."""
import torch
from mmdet.structures import DetDataSample
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData

from mmwsis.registry import MODELS
from mmwsis.utils import register_all_modules

NUM_CLASSES = 4
SIZE = 64


def build_model() -> torch.nn.Module:
    register_all_modules(init_default_scope=False)
    init_default_scope('mmwsis')
    torch.manual_seed(0)
    return MODELS.build(dict(
        type='MILProposalNet',
        num_classes=NUM_CLASSES,
        in_channels=112,
        featmap_stride=16,
        roi_layer=dict(type='RoIAlign', output_size=7, sampling_ratio=0),
        backbone=dict(type='EfficientNetLite0', out_indices=(4, ), pretrained=False)))


def sample(image_labels, boxes) -> DetDataSample:
    data_sample = DetDataSample(metainfo=dict(image_labels=image_labels,
                                              img_shape=(SIZE, SIZE), ori_shape=(SIZE, SIZE)))
    data_sample.proposals = InstanceData(bboxes=torch.tensor(boxes, dtype=torch.float32))
    return data_sample


def batch():
    torch.manual_seed(1)
    inputs = torch.randn(2, 3, SIZE, SIZE)
    samples = [sample([1], [[0, 0, 32, 32], [16, 16, 64, 64], [0, 0, 64, 64]]),
               sample([0, 3], [[8, 8, 40, 56]])]
    return inputs, samples


def test_loss_is_finite_and_training_lowers_it():
    model = build_model()
    inputs, samples = batch()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses = []
    for _ in range(15):
        loss = model(inputs, samples, mode='loss')['loss_mil']
        assert torch.isfinite(loss)
        optimizer.zero_grad()
        loss.backward()
        assert model.cls_fc.weight.grad.abs().sum() > 0
        assert model.det_fc.weight.grad.abs().sum() > 0
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]


def test_image_without_proposals_trains_on_the_full_image():
    model = build_model()
    inputs, samples = batch()
    samples[1].proposals = InstanceData(bboxes=torch.zeros(0, 4))
    assert torch.isfinite(model(inputs, samples, mode='loss')['loss_mil'])


def test_predict_keeps_background_and_zeroes_classes_outside_image_labels():
    model = build_model().eval()
    inputs, samples = batch()
    out = model(inputs, samples, mode='predict')
    for data_sample, expected_rows in zip(out, (3, 1)):
        probs, feats = data_sample.proposal_probs, data_sample.proposal_feats
        assert probs.shape == (expected_rows, NUM_CLASSES + 1)
        assert feats.shape == (expected_rows, 112)
        allowed = [0] + [c + 1 for c in data_sample.metainfo['image_labels']]
        outside = [k for k in range(NUM_CLASSES + 1) if k not in allowed]
        assert (probs[:, outside] == 0).all()
        assert (probs[:, allowed] > 0).all()
        assert (probs.sum(dim=1) < 1).all()  # no renormalisation after the filter
    logits = model(inputs, samples, mode='tensor')
    softmax = torch.softmax(logits, dim=1)
    torch.testing.assert_close(out[0].proposal_probs[:, [0, 2]], softmax[:3, [0, 2]])
