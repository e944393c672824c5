"""BoxCaseg's heads (the weight transfer) and its network: losses, learning, box crops."""
import torch
import torch.nn.functional as F
from mmdet.structures import DetDataSample
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData, PixelData

from mmwsis.models.heads import BoxCasegHeads
from mmwsis.registry import MODELS
from mmwsis.utils import register_all_modules

SIZE = 64


def setup_module():
    register_all_modules(init_default_scope=False)
    init_default_scope('mmwsis')


def test_salient_head_mixes_fcn_and_weights_transferred_from_the_detached_weak_head():
    torch.manual_seed(0)
    heads = BoxCasegHeads(8, alpha=0.7).eval()
    features = torch.randn(2, 8, 5, 5)
    heads.salient_logits(features).sum().backward()
    weak_conv = heads.weak[0]
    assert weak_conv.weight.grad is None  # the box head is never taught by salient images
    assert heads.transfer1.fc1.weight.grad.abs().sum() > 0
    assert heads.transfer2.kappa.grad is not None and heads.fcn[0].weight.grad is not None
    before = heads.salient_logits(features).detach()
    with torch.no_grad():
        weak_conv.weight.mul_(2.0)  # the transferred half follows the weak head's weights
    assert not torch.allclose(heads.salient_logits(features), before)
    fcn_only = BoxCasegHeads(8, alpha=1.0).eval()
    torch.testing.assert_close(fcn_only.salient_logits(features), fcn_only.fcn(features))


def build_boxcaseg(**kwargs):
    torch.manual_seed(0)
    return MODELS.build(dict(
        type='BoxCaseg', in_channels=(24, 40, 112, 320), crop_size=32,
        backbone=dict(type='EfficientNetLite0', out_indices=(1, 2, 4, 6), pretrained=False),
        **kwargs))


def training_batch():
    """A box sample (1 inside its box, a 255 padding strip) and a salient one."""
    box_target = torch.zeros(1, SIZE, SIZE, dtype=torch.uint8)
    box_target[:, 16:48, 8:40] = 1
    box_target[:, :, 60:] = 255
    salient_target = torch.zeros(1, SIZE, SIZE, dtype=torch.uint8)
    salient_target[:, 20:44, 20:44] = 1
    samples = []
    for target, salient in ((box_target, False), (salient_target, True)):
        sample = DetDataSample(metainfo=dict(img_shape=(SIZE, SIZE), salient=salient))
        sample.gt_sem_seg = PixelData(sem_seg=target)
        samples.append(sample)
    inputs = torch.randn(2, 3, SIZE, SIZE)
    inputs[1, :, 20:44, 20:44] += 2.0  # a visible salient object
    return inputs, samples


def test_losses_train_both_heads():
    model = build_boxcaseg()
    inputs, samples = training_batch()
    losses = model(inputs, samples, mode='loss')
    assert set(losses) == {'loss_mil', 'loss_pair', 'loss_salient'}
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    first = None
    for _ in range(6):
        total = sum(model(inputs, samples, mode='loss').values())
        optimizer.zero_grad()
        total.backward()
        optimizer.step()
        first = total.item() if first is None else first
    assert total.item() < first
    # a batch without salient samples keeps the salient head in the graph at zero loss
    losses = model(inputs[:1], samples[:1], mode='loss')
    assert losses['loss_salient'].item() == 0.0 and losses['loss_salient'].requires_grad


def test_predict_crops_each_box_exactly():
    model = build_boxcaseg().eval()
    image = torch.randn(3, SIZE, SIZE)
    sample = DetDataSample(metainfo=dict(img_shape=(SIZE, SIZE)))
    sample.gt_instances = InstanceData(bboxes=torch.tensor([[4.0, 8.0, 36.0, 24.0],
                                                            [10.5, 0.0, 64.0, 64.0]]))
    (out, ) = model.predict(image[None], [sample])
    crop = F.interpolate(image[None, :, 8:24, 4:36], size=(32, 32), mode='bilinear',
                         align_corners=False)
    expected = model(crop, mode='tensor')
    for head in ('salient', 'weak'):
        probs = out.get(f'{head}_probs')
        assert probs.shape == (2, 32, 32)
        assert ((probs >= 0) & (probs <= 1)).all()
        torch.testing.assert_close(probs[0], expected[head][0, 0].sigmoid(),
                                   rtol=1e-4, atol=1e-5)
    empty = DetDataSample(metainfo=dict(img_shape=(SIZE, SIZE)))
    empty.gt_instances = InstanceData(bboxes=torch.zeros(0, 4))
    assert model.predict(image[None], [empty])[0].salient_probs.shape == (0, 32, 32)
