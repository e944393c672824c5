"""mmengine's ``DefaultSampler`` with an epoch of its own length and indices."""
import math
from typing import Iterator, List

from mmengine.dataset import DefaultSampler


class EpochLengthSampler(DefaultSampler):
    """A ``DefaultSampler`` whose subclass sets :attr:`epoch_length` (through
    :meth:`set_epoch_length`) and gives each epoch's indices (:meth:`_epoch_indices`);
    sharding over ranks and ``round_up`` are ``DefaultSampler``'s."""

    epoch_length: int

    def set_epoch_length(self, length: int) -> None:
        self.epoch_length = length
        if self.round_up:
            self.num_samples = math.ceil(length / self.world_size)
            self.total_size = self.num_samples * self.world_size
        else:
            self.num_samples = math.ceil((length - self.rank) / self.world_size)
            self.total_size = length

    def _epoch_indices(self) -> List[int]:
        raise NotImplementedError

    def __iter__(self) -> Iterator[int]:
        indices = self._epoch_indices()
        if self.round_up:
            indices = (indices * int(self.total_size / len(indices) + 1))[:self.total_size]
        return iter(indices[self.rank:self.total_size:self.world_size])
