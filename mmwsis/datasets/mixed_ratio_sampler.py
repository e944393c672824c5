"""One shuffled stream of two datasets at a set ratio: BoxCaseg's box and salient samples.

BoxCaseg trains on VOC's box samples and DUT-TR-Single's salient images shuffled together,
and on COCO with 0.6875 of every batch from the boxes. :class:`MixedRatioSampler` reads an
mmengine ``ConcatDataset`` of the two and makes an epoch of every sample of the first
(the boxes) once and as many of the second as the ratio asks::

    epoch length = ceil(N_1 / ratio),  N_2' = epoch length - N_1

the second's samples drawn from chained seeded permutations of it (each used floor or
ceil of ``N_2' / N_2`` times), all shuffled together. ``ratio=None`` is the plain
concatenation, each sample once.
"""
import math
from typing import Optional

import torch
from mmengine.dataset import ConcatDataset

from mmwsis.registry import DATA_SAMPLERS
from .epoch_length_sampler import EpochLengthSampler


@DATA_SAMPLERS.register_module()
class MixedRatioSampler(EpochLengthSampler):
    """``DefaultSampler`` over a two-part ``ConcatDataset`` with ``ratio`` of the first.

    Args:
        dataset: ``ConcatDataset`` of exactly two datasets.
        ratio: the first dataset's share of an epoch, in (0, 1] (BoxCaseg's COCO setting
            0.6875); ``None``: their own sizes.
        shuffle, seed, round_up: as mmengine's ``DefaultSampler``.
    """

    def __init__(self, dataset: ConcatDataset, ratio: Optional[float] = None,
                 shuffle: bool = True, seed: Optional[int] = None,
                 round_up: bool = True) -> None:
        super().__init__(dataset, shuffle=shuffle, seed=seed, round_up=round_up)
        parts = getattr(dataset, 'datasets', None)
        if parts is None or len(parts) != 2:
            raise TypeError('MixedRatioSampler needs a ConcatDataset of two datasets, got '
                            f'{type(dataset).__name__}')
        if ratio is not None and not 0 < ratio <= 1:
            raise ValueError(f'ratio must lie in (0, 1], got {ratio}')
        self.sizes = (len(parts[0]), len(parts[1]))
        if min(self.sizes) == 0:
            raise ValueError(f'MixedRatioSampler: a part is empty (sizes {self.sizes})')
        self.set_epoch_length(sum(self.sizes) if ratio is None
                              else math.ceil(self.sizes[0] / ratio))

    def _epoch_indices(self) -> list:
        first, second = self.sizes
        wanted = self.epoch_length - first
        generator = torch.Generator()
        generator.manual_seed(self.seed + self.epoch)
        passes = math.ceil(wanted / second)
        draws = [torch.randperm(second, generator=generator) if self.shuffle
                 else torch.arange(second) for _ in range(passes)]
        indices = torch.cat([torch.arange(first)] + [first + d for d in draws])
        indices = indices[:self.epoch_length]
        if self.shuffle:
            indices = indices[torch.randperm(len(indices), generator=generator)]
        return indices.tolist()
