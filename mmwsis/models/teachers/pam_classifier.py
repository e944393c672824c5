"""BESTIE's PAM classifier: a CAM classifier whose extra layers keep only the peaks."""
from typing import Sequence

import torch
import torch.nn as nn

from mmwsis.registry import MODELS
from .cam_classifier import CAMClassifier


class PeakAttention(nn.Module):
    """PAM (BESTIE's peak attention module): ReLU, then every activation below ``alpha``
    times its channel's spatial maximum is zeroed, so the classifier learns from the
    strongest responses only and the class maps peak once per object.

    (B, D, h, w) -> (B, D, h, w).
    """

    def __init__(self, alpha: float = 0.7) -> None:
        super().__init__()
        if not 0.0 <= alpha < 1.0:
            raise ValueError(f'alpha must be in [0, 1), got {alpha}')
        self.alpha = alpha

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.relu(x)
        peak = x.amax(dim=(2, 3), keepdim=True)
        return x * (x >= self.alpha * peak).to(x.dtype)


@MODELS.register_module()
class PAMClassifier(CAMClassifier):
    """BESTIE's point teacher (Kim et al., CVPR 2022, SEEDS §5): backbone -> ``extra``
    3x3 conv + :class:`PeakAttention` blocks -> 1x1 bias-free classifier -> global
    average pooling, trained with the multi-label soft-margin loss on image labels.

    Its class maps are those of :class:`CAMClassifier` on the attended features
    (``predict`` sets ``cams``, ``cams_full`` and ``cam_labels``); the peak points are
    the labeler's (``PAMPointLabeler``), so their thresholds change without retraining.

    Args:
        extra_channels: output channels of each extra block (BESTIE: three of 512 on
            VGG-16's 512-channel conv5).
        alpha: the attention threshold (0.7, BESTIE's).
        in_channels: channels of the backbone's last map.
        Others: as :class:`CAMClassifier`.
    """

    def __init__(self, *args, in_channels: int, extra_channels: Sequence[int] = (512, 512, 512),
                 alpha: float = 0.7, **kwargs) -> None:
        widths = [in_channels, *extra_channels]
        super().__init__(*args, in_channels=widths[-1], **kwargs)
        self.extra = nn.Sequential(*[
            nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), PeakAttention(alpha))
            for cin, cout in zip(widths[:-1], widths[1:])])

    def extract_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """(B, 3, H, W) -> (B, D', H/16, W/16): the attended features of the last block."""
        return self.extra(self.backbone(inputs)[-1])
