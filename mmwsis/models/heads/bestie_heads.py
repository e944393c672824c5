"""BESTIE's stride-4 decoder and its three heads (semantic, class-wise centres, offsets)."""
from typing import Dict, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F


def _head(in_channels: int, channels: int, out_channels: int) -> nn.Sequential:
    """3x3 conv + ReLU + 1x1: each of BESTIE's heads."""
    return nn.Sequential(nn.Conv2d(in_channels, channels, 3, padding=1), nn.ReLU(inplace=True),
                         nn.Conv2d(channels, out_channels, 1))


class BestieHeads(nn.Module):
    """Multi-level features -> stride-4 maps of the three BESTIE heads.

    Every level is upsampled (bilinear) to the finest one, the first of ``in_channels``
    (stride 4), concatenated and fused by a 1x1 conv + BN + ReLU, as HRNet's
    representation head concatenates its branches. (BESTIE's pose-HRNet keeps its 48-ch
    stride-4 branch alone: pass that one level.)

    Args:
        in_channels: channels of each level, finest first.
        num_classes: foreground classes C.
        channels: the fused map's channels.
        head_channels: each head's hidden channels (BESTIE: 256).

    Returns of ``forward``: ``seg`` (B, C+1, h, w) logits, ``center`` (B, C, h, w),
    ``offset`` (B, 2, h, w) ``(dy, dx)`` in input pixels, on the stride-4 grid.
    """

    def __init__(self, in_channels: Sequence[int], num_classes: int, channels: int = 128,
                 head_channels: int = 256) -> None:
        super().__init__()
        self.fuse = nn.Sequential(nn.Conv2d(sum(in_channels), channels, 1, bias=False),
                                  nn.BatchNorm2d(channels), nn.ReLU(inplace=True))
        self.seg = _head(channels, head_channels, num_classes + 1)
        self.center = _head(channels, head_channels, num_classes)
        self.offset = _head(channels, head_channels, 2)

    def forward(self, feats: Sequence[torch.Tensor]) -> Dict[str, torch.Tensor]:
        size = feats[0].shape[-2:]
        fused = self.fuse(torch.cat([feats[0]] + [
            F.interpolate(f, size=size, mode='bilinear', align_corners=False)
            for f in feats[1:]], dim=1))
        return dict(seg=self.seg(fused), center=self.center(fused), offset=self.offset(fused))
