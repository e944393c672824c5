"""No teacher: the samples reach the labeler as the data pipeline packed them."""
from typing import Dict, List, Optional

import torch
from mmdet.structures import DetDataSample

from mmwsis.registry import MODELS
from .base_teacher import BaseTeacher


@MODELS.register_module()
class PassThrough(BaseTeacher):
    """A model without weights that computes nothing, for labelers that read what other
    runs stored (:class:`~mmwsis.engine.pseudo_label.FusionLabeler`).

    ``predict`` returns the samples unchanged. A pipeline step with this model sets
    ``train=False``, and ``tools/test.py CONFIG --pseudo-label`` needs no checkpoint.
    """

    def loss(self, inputs: torch.Tensor,
             data_samples: List[DetDataSample]) -> Dict[str, torch.Tensor]:
        raise RuntimeError('PassThrough has no weights to train: run its pseudo-label stage '
                           '(`tools/test.py CONFIG --pseudo-label`, or a pipeline step with '
                           'train=False)')

    def predict(self, inputs: torch.Tensor,
                data_samples: List[DetDataSample]) -> List[DetDataSample]:
        return data_samples

    def _forward(self, inputs: torch.Tensor,
                 data_samples: Optional[List[DetDataSample]] = None) -> torch.Tensor:
        return inputs
