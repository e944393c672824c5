"""What every teacher shares: mmengine's three forward modes."""
from abc import ABCMeta, abstractmethod
from typing import Dict, List, Optional, Union

import torch
from mmdet.structures import DetDataSample
from mmengine.model import BaseModel


class BaseTeacher(BaseModel, metaclass=ABCMeta):
    """A teacher model: ``forward`` dispatches mmengine's modes to ``loss`` (weak labels
    -> losses), ``predict`` (outputs the pseudo-labelers read, set on the samples) and
    ``_forward`` (plain tensors)."""

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[List[DetDataSample]] = None,
                mode: str = 'tensor') -> Union[Dict[str, torch.Tensor], list, tuple,
                                               torch.Tensor]:
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self._forward(inputs, data_samples)
        raise ValueError(f'mode must be loss, predict or tensor, got {mode!r}')

    @abstractmethod
    def loss(self, inputs: torch.Tensor,
             data_samples: List[DetDataSample]) -> Dict[str, torch.Tensor]:
        """Losses from a batch and its weak labels."""

    @abstractmethod
    def predict(self, inputs: torch.Tensor,
                data_samples: List[DetDataSample]) -> List[DetDataSample]:
        """The samples with the teacher's outputs set on them."""

    @abstractmethod
    def _forward(self, inputs: torch.Tensor,
                 data_samples: Optional[List[DetDataSample]] = None):
        """Raw network outputs."""
