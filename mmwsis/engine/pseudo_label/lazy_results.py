"""A read-only ``img_id -> PseudoLabel`` mapping that computes each value on access."""
from typing import Callable, Iterator, Mapping, Sequence

from mmwsis.utils.result_cache import ResultCache
from .result import PseudoLabel


class LazyResults(Mapping):
    """``img_id -> PseudoLabel`` over a fixed list of images, nothing held in memory.

    Each lookup calls ``load(img_id)`` again (reading a cache file, or deriving the label
    from one), so iterating over a split costs one image's memory at a time.

    Args:
        img_ids: the images, in the order iteration gives them.
        load: ``img_id -> PseudoLabel``.
    """

    def __init__(self, img_ids: Sequence[str], load: Callable[[str], PseudoLabel]) -> None:
        self.img_ids = [str(i) for i in img_ids]
        self._known = set(self.img_ids)
        self._load = load

    @classmethod
    def from_cache(cls, cache: ResultCache, img_ids: Sequence[str]) -> 'LazyResults':
        """The cached per-image results of ``img_ids`` (each must be in ``cache``)."""
        def load(img_id: str) -> PseudoLabel:
            try:
                return PseudoLabel.from_dict(cache.get(img_id))
            except ValueError as error:
                raise ValueError(f'{cache.path(img_id)}: {error}') from error

        return cls(img_ids, load)

    def __getitem__(self, img_id: str) -> PseudoLabel:
        if img_id not in self._known:
            raise KeyError(img_id)
        return self._load(img_id)

    def __iter__(self) -> Iterator[str]:
        return iter(self.img_ids)

    def __len__(self) -> int:
        return len(self.img_ids)
