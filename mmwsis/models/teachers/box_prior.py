"""The box baselines as a teacher without weights: each GT box becomes a mask by a rule."""
from typing import Dict, List, Optional

import numpy as np
import torch
from mmdet.structures import DetDataSample
from mmdet.structures.bbox import get_box_tensor

from mmwsis.pseudo.box_prior_masks import filled_box_mask, grabcut_box_mask
from mmwsis.registry import MODELS
from .base_teacher import BaseTeacher

PRIORS = ('filled', 'grabcut')


@MODELS.register_module()
class BoxPrior(BaseTeacher):
    """Masks from GT boxes alone, for the baselines beside BoxCaseg.

    ``predict`` sets ``box_masks`` (N, H, W) bool on each sample, one full-image mask per
    GT box at ``img_shape``: the filled box (:func:`~mmwsis.pseudo.filled_box_mask`) or
    GrabCut inside it (:func:`~mmwsis.pseudo.grabcut_box_mask`) on the image's pixels.
    There is nothing to train: a pipeline step with this model sets ``train=False``, and
    ``tools/test.py CONFIG --pseudo-label`` needs no checkpoint.

    Args:
        prior: ``'filled'`` or ``'grabcut'``.
        grabcut_iterations: GrabCut rounds (OpenCV's sample uses 5).
        data_preprocessor: must leave the pixels as uint8 values (no mean, no std).
    """

    def __init__(self, prior: str = 'grabcut', grabcut_iterations: int = 5,
                 data_preprocessor: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor)
        if prior not in PRIORS:
            raise ValueError(f'prior must be one of {PRIORS}, got {prior!r}')
        self.prior = prior
        self.grabcut_iterations = grabcut_iterations

    def loss(self, inputs: torch.Tensor,
             data_samples: List[DetDataSample]) -> Dict[str, torch.Tensor]:
        raise RuntimeError('BoxPrior has no weights to train: run its pseudo-label stage '
                           '(`tools/test.py CONFIG --pseudo-label`, or a pipeline step with '
                           'train=False)')

    def box_masks(self, image: torch.Tensor, sample: DetDataSample) -> torch.Tensor:
        """(N, H, W) bool masks of the sample's GT boxes from its (3, H', W') padded
        image."""
        height, width = sample.metainfo['img_shape']
        pixels = image[:, :height, :width].permute(1, 2, 0).round().clamp(0, 255)
        pixels = pixels.to(torch.uint8).cpu().numpy()
        masks = []
        for box in get_box_tensor(sample.gt_instances.bboxes).cpu().numpy().reshape(-1, 4):
            if self.prior == 'filled':
                masks.append(filled_box_mask(box, (height, width)))
            else:
                masks.append(grabcut_box_mask(pixels, box, self.grabcut_iterations))
        return torch.from_numpy(np.stack(masks) if masks else
                                np.zeros((0, height, width), bool))

    def predict(self, inputs: torch.Tensor,
                data_samples: List[DetDataSample]) -> List[DetDataSample]:
        for image, sample in zip(inputs, data_samples):
            sample.box_masks = self.box_masks(image, sample)
        return data_samples

    def _forward(self, inputs: torch.Tensor,
                 data_samples: Optional[List[DetDataSample]] = None) -> List[torch.Tensor]:
        if data_samples is None:
            raise ValueError('BoxPrior needs the samples: their GT boxes are its input')
        return [self.box_masks(image, sample) for image, sample in zip(inputs, data_samples)]
