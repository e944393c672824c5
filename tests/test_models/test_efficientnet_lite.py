import torch

from mmwsis.models.backbones import EfficientNetLite0


def test_pyramid_strides_and_channels():
    net = EfficientNetLite0(pretrained=False).eval()
    outs = net(torch.zeros(1, 3, 64, 96))
    assert [tuple(o.shape) for o in outs] == [(1, 24, 16, 24), (1, 40, 8, 12),
                                              (1, 112, 4, 6), (1, 320, 2, 3)]


def test_output_stride_16_for_cams():
    net = EfficientNetLite0(out_indices=(6,), strides_to_dilation=(5,), pretrained=False)
    assert net.eval()(torch.zeros(1, 3, 64, 64))[0].shape == (1, 320, 4, 4)


def test_imagenet_weights_load_completely_and_frozen_stages_get_no_gradient():
    net = EfficientNetLite0(frozen_stages=1, pretrained=True)
    net.init_weights()  # asserts no missing / unexpected keys
    assert not net._conv_stem.weight.requires_grad
    assert not any(p.requires_grad for p in net._blocks[2].parameters())  # stage 1
    assert all(p.requires_grad for p in net._blocks[3].parameters())  # stage 2
    net.train()
    assert not net._bn0.training and not net._blocks[5]._bn1.training  # norm_eval
