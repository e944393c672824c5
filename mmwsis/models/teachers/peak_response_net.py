"""PRM's classifier (peak response maps), trained from image labels: CIM's peaks."""
from typing import List, Optional

import torch
import torch.nn.functional as F
from mmdet.structures import DetDataSample

from mmwsis.registry import MODELS
from .cam_classifier import CAMClassifier


def peak_stimulation(response: torch.Tensor, window: int = 3) -> torch.Tensor:
    """PRM's image scores: each map's mean over its peaks (local maxima in a ``window``
    neighbourhood, at or above the map's median: the median peak filter), so that the
    gradient reaches the peaks only.

    Args:
        response: (B, C, h, w) class response maps.

    Returns:
        (B, C) image logits.
    """
    pooled = F.max_pool2d(response, window, stride=1, padding=window // 2)
    median = response.flatten(2).median(dim=2).values[..., None, None]
    peaks = ((response == pooled) & (response >= median)).to(response.dtype)
    return (response * peaks).sum(dim=(2, 3)) / peaks.sum(dim=(2, 3)).clamp_min(1)


@MODELS.register_module()
class PeakResponseNet(CAMClassifier):
    """A CAM classifier whose image score is PRM's peak stimulation instead of global
    average pooling (Zhou et al., CVPR 2018; the PRM CIM reads its peaks from).

    Trained with the multi-label soft-margin loss on image labels, as the CAM classifier.
    ``predict`` gives the same maps as :class:`CAMClassifier` (``cams_full`` of the
    image's classes, multi-scale + flip, max-normalised); the peaks are the labeler's
    (``PeakPointLabeler``), so their thresholds change without retraining.

    Args:
        peak_window: the local-maximum window of peak stimulation on the feature grid
            (3, PRM's).
        Others: as :class:`CAMClassifier`.
    """

    def __init__(self, *args, peak_window: int = 3, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.peak_window = peak_window

    def _forward(self, inputs: torch.Tensor,
                 data_samples: Optional[List[DetDataSample]] = None) -> torch.Tensor:
        """(B, 3, H, W) -> (B, C) image logits by peak stimulation."""
        response = self.classifier(self.extract_feat(inputs))
        return peak_stimulation(response, self.peak_window)
