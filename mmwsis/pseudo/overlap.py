"""Make pseudo instances of one image disjoint, as a training target must be."""
from typing import Tuple

import numpy as np


def resolve_overlaps(masks: np.ndarray, scores: np.ndarray, min_area: int = 1,
                     min_kept_ratio: float = 0.5) -> Tuple[np.ndarray, np.ndarray]:
    """Give each pixel to the highest-scoring instance that covers it.

    Instances are visited by descending score (ties: lower index first); each keeps the
    pixels no earlier instance took. An instance is dropped when what it keeps is under
    ``min_area`` pixels or under ``min_kept_ratio`` of its own area (it was mostly
    inside a more confident one).

    Args:
        masks: (N, H, W) bool.
        scores: (N,) float.

    Returns:
        ``masks`` (M, H, W) bool, disjoint, and ``keep`` (M,) int: their indices in the
        input, in input order.
    """
    order = np.argsort(-np.asarray(scores), kind='stable')
    taken = np.zeros(masks.shape[1:], dtype=bool)
    kept = {}
    for i in order:
        own = masks[i] & ~taken
        area = int(masks[i].sum())
        if area and own.sum() >= max(min_area, min_kept_ratio * area):
            kept[i] = own
            taken |= own
    keep = np.array(sorted(kept), dtype=np.int64)
    out = np.stack([kept[i] for i in keep]) if len(keep) else np.zeros((0, *masks.shape[1:]), bool)
    return out, keep
