"""CAM and IRNet teachers: shapes, losses, frozen parts, and what predict hands on."""
import math

import torch
from mmdet.structures import DetDataSample
from mmengine.structures import PixelData

from mmwsis.models.teachers import CAMClassifier, IRNet
from mmwsis.models.teachers.cam_utils import image_cam_scales, multiscale_cams

BACKBONE = dict(type='EfficientNetLite0', strides_to_dilation=(5, ), pretrained=False)
PREPROCESSOR = dict(type='mmdet.DetDataPreprocessor', mean=[127.5] * 3, std=[127.5] * 3,
                    pad_size_divisor=16)


def sample(height, width, labels):
    s = DetDataSample(metainfo=dict(img_shape=(height, width), ori_shape=(height, width),
                                    image_labels=labels, img_path='x.jpg'))
    return s


def test_cam_loss_and_optimisable_parts():
    model = CAMClassifier(dict(BACKBONE, out_indices=(6, ), frozen_stages=1), num_classes=3,
                          in_channels=320, data_preprocessor=PREPROCESSOR)
    samples = [sample(64, 64, [0]), sample(64, 64, [1, 2])]
    loss = model.loss(torch.randn(2, 3, 64, 64), samples)['loss_cls']
    loss.backward()
    assert loss.item() > 0 and model.classifier.weight.grad.abs().sum() > 0
    assert model.classifier.bias is None
    assert not model.backbone._conv_stem.weight.requires_grad


def test_multiscale_cams_are_restricted_and_normalised():
    cam_fn = lambda x: torch.rand(x.shape[0], 4, x.shape[2] // 16 + 1, x.shape[3] // 16 + 1)  # noqa
    strided, full = multiscale_cams(torch.zeros(3, 50, 70), cam_fn, [1, 3], scales=(1.0, 2.0))
    assert strided.shape == (2, math.ceil(50 / 4), math.ceil(70 / 4))
    assert full.shape == (2, 50, 70)
    assert torch.allclose(full.flatten(1).amax(1), torch.ones(2), atol=1e-4)


def test_irnet_trains_only_its_branches_and_predicts_on_the_stride4_grid():
    model = IRNet(dict(BACKBONE, out_indices=(1, 2, 4, 6)), in_channels=(24, 40, 112, 320),
                  num_classes=3, radius=5, cam_scales=(1.0, ), data_preprocessor=PREPROCESSOR)
    model.train()
    samples = [sample(64, 64, [0]) for _ in range(2)]
    for s in samples:
        labels = torch.zeros(1, 64, 64, dtype=torch.long)
        labels[:, 20:40, 20:40] = 1
        labels[:, 40:44] = 255
        s.gt_sem_seg = PixelData(sem_seg=labels)
    losses = model.loss(torch.randn(2, 3, 64, 64), samples)
    sum(losses.values()).backward()
    assert set(losses) == {'loss_aff_bg', 'loss_aff_fg', 'loss_aff_neg', 'loss_dp_fg',
                           'loss_dp_bg'}
    assert all(p.grad is None for p in model.backbone.parameters())
    assert model.classifier.weight.grad is None
    assert model.boundary_branch.fuse.weight.grad.abs().sum() > 0
    assert model.displacement_branch.out.weight.grad.abs().sum() > 0
    assert model.displacement_mean.abs().sum() > 0  # the running mean moved

    model.eval()
    out = model.predict(torch.randn(1, 3, 64, 80), [sample(50, 70, [0, 2])])[0]
    grid = (math.ceil(50 / 4), math.ceil(70 / 4))
    assert out.cams.shape == (2, *grid) and out.cam_labels.tolist() == [0, 2]
    assert out.boundary.shape == grid and 0 <= out.boundary.min() <= out.boundary.max() <= 1
    assert out.displacement.shape == (2, *grid)


def test_test_scales_follow_the_image_size():
    assert image_cam_scales((1.0, 0.5), None, 160, 200) == (1.0, 0.5)
    assert image_cam_scales((1.0, 0.5), 480, 160, 200) == (3.0, 1.5)  # shorter side -> 480


def test_irnet_resizes_each_image_to_its_training_size():
    model = IRNet(dict(BACKBONE, out_indices=(1, 2, 4, 6)), in_channels=(24, 40, 112, 320),
                  num_classes=3, cam_scales=(1.0, ), cam_short_side=96, inference_long_side=140,
                  data_preprocessor=PREPROCESSOR).eval()
    out = model.predict(torch.randn(1, 3, 64, 80), [sample(50, 70, [1])])[0]
    assert out.metainfo['teacher_scale'] == 2.0  # 140 / 70
    assert out.cams.shape == (1, math.ceil(100 / 4), math.ceil(140 / 4))
