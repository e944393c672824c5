"""IRNet's two branches on a frozen multi-level backbone: class boundaries, displacements.

Both take the backbone's levels at strides (4, 8, 16, 16) (the paper's ResNet-50 also
feeds its 64-channel stem; mmdet's ResNet does not expose it, so we use four levels) and
predict on the stride-4 grid.
"""
from typing import List, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_gn_relu(in_channels: int, out_channels: int, groups: int) -> nn.Sequential:
    """1x1 convolution, group norm, ReLU."""
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, 1, bias=False),
        nn.GroupNorm(groups, out_channels), nn.ReLU(inplace=True))


def resize_to(x: torch.Tensor, size: Sequence[int]) -> torch.Tensor:
    if tuple(x.shape[-2:]) == tuple(size):
        return x
    return F.interpolate(x, size=tuple(size), mode='bilinear', align_corners=False)


class BoundaryBranch(nn.Module):
    """Per level 1x1 conv -> 32 ch, GN(4), ReLU; upsample to stride 4; concat; 1x1 -> 1.

    Input: list of (B, C_l, H_l, W_l); output (B, 1, H_0, W_0) boundary logits.
    """

    def __init__(self, in_channels: Sequence[int], channels: int = 32) -> None:
        super().__init__()
        self.lateral = nn.ModuleList(conv_gn_relu(c, channels, 4) for c in in_channels)
        self.fuse = nn.Conv2d(channels * len(in_channels), 1, 1)

    def forward(self, feats: List[torch.Tensor]) -> torch.Tensor:
        size = feats[0].shape[-2:]
        x = torch.cat([resize_to(lat(f), size) for lat, f in zip(self.lateral, feats)], 1)
        return self.fuse(x)


class DisplacementBranch(nn.Module):
    """Coarse-to-fine displacement field: levels fused at stride 16, 8 then 4.

    Lateral 1x1 convs give (64, 128, 256, 256) channels to the (4, 8, 16, 16) levels;
    the two stride-16 maps are fused to 256, upsampled and fused with stride 8 to 256,
    upsampled and fused with stride 4 to 256, then a 1x1 conv gives (dy, dx) in units of
    the stride-4 grid. Output (B, 2, H_0, W_0).
    """

    def __init__(self, in_channels: Sequence[int]) -> None:
        super().__init__()
        if len(in_channels) != 4:
            raise ValueError(f'expects 4 levels at strides 4/8/16/16, got {in_channels}')
        widths = (64, 128, 256, 256)
        self.lateral = nn.ModuleList(
            conv_gn_relu(c, w, 16) for c, w in zip(in_channels, widths))
        self.fuse16 = conv_gn_relu(widths[2] + widths[3], 256, 16)
        self.fuse8 = conv_gn_relu(256 + widths[1], 256, 16)
        self.fuse4 = conv_gn_relu(256 + widths[0], 256, 16)
        self.out = nn.Conv2d(256, 2, 1)

    def forward(self, feats: List[torch.Tensor]) -> torch.Tensor:
        l4, l8, l16a, l16b = (lat(f) for lat, f in zip(self.lateral, feats))
        x = self.fuse16(torch.cat([l16a, resize_to(l16b, l16a.shape[-2:])], 1))
        x = self.fuse8(torch.cat([resize_to(x, l8.shape[-2:]), l8], 1))
        x = self.fuse4(torch.cat([resize_to(x, l4.shape[-2:]), l4], 1))
        return self.out(x)
