"""BoxCaseg's two mask heads on one feature map: the weak (box) head and the salient head.

The salient head is ``alpha · FCN(F) + (1 − alpha) · Transfer(F)``. ``FCN`` is a second
copy of the weak head's architecture. ``Transfer`` has no convolution weights of its own:
each of its two 1x1 convolutions takes the weak head's weights of the same layer,
detached, through ``fc2(LeakyReLU_0.1(fc1(w)))`` per output filter (``fc1`` widens a
filter's ``in`` weights four times, ``fc2`` brings them back), and its bias is
``kappa · b + beta`` with learnt scalars. What the salient images teach about masks thus
reaches the box head's shape prior only through what the transfer learns, and never
changes the box head itself (SEEDS.md §2 (b)).
"""
from typing import Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F


def mask_head(channels: int) -> nn.Sequential:
    """1x1 conv C -> C, BN, ReLU, 1x1 conv C -> 1: the weak head and the FCN copy."""
    return nn.Sequential(nn.Conv2d(channels, channels, 1), nn.BatchNorm2d(channels),
                         nn.ReLU(inplace=True), nn.Conv2d(channels, 1, 1))


class WeightTransfer(nn.Module):
    """The generated weight and bias of one 1x1 convolution from a source one's.

    Args:
        in_channels: the source convolution's input channels (``in · k · k`` for 1x1).
    """

    def __init__(self, in_channels: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(in_channels, 4 * in_channels)
        self.fc2 = nn.Linear(4 * in_channels, in_channels)
        self.kappa = nn.Parameter(torch.ones(()))
        self.beta = nn.Parameter(torch.zeros(()))

    def forward(self, source: nn.Conv2d) -> Tuple[torch.Tensor, torch.Tensor]:
        """(out, in, 1, 1) weight and (out,) bias generated from ``source`` (detached)."""
        weight = source.weight.detach()
        rows = weight.flatten(1)
        generated = self.fc2(F.leaky_relu(self.fc1(rows), negative_slope=0.1))
        bias = self.kappa * source.bias.detach() + self.beta
        return generated.view_as(weight), bias


class BoxCasegHeads(nn.Module):
    """(B, C, h, w) features -> the weak head's and the salient head's (B, 1, h, w) logits.

    Args:
        channels: feature channels C.
        alpha: the FCN's share of the salient head (BoxCaseg: 0.7 VOC, 0.6 COCO).
    """

    def __init__(self, channels: int, alpha: float = 0.7) -> None:
        super().__init__()
        self.alpha = alpha
        self.weak = mask_head(channels)
        self.fcn = mask_head(channels)
        self.transfer1 = WeightTransfer(channels)
        self.transfer2 = WeightTransfer(channels)
        self.transfer_norm = nn.BatchNorm2d(channels)

    def weak_logits(self, features: torch.Tensor) -> torch.Tensor:
        return self.weak(features)

    def salient_logits(self, features: torch.Tensor) -> torch.Tensor:
        weight1, bias1 = self.transfer1(self.weak[0])
        weight2, bias2 = self.transfer2(self.weak[3])
        hidden = F.relu(self.transfer_norm(F.conv2d(features, weight1, bias1)))
        transferred = F.conv2d(hidden, weight2, bias2)
        return self.alpha * self.fcn(features) + (1 - self.alpha) * transferred
