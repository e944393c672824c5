"""Make the pseudo instances of one image a training target: its classes, disjoint."""
from typing import Sequence, Tuple

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


def filter_instances(masks: np.ndarray, labels: np.ndarray, scores: np.ndarray,
                     allowed_labels: Sequence[int], score_thr: float = 0.0,
                     resolve: bool = True,
                     min_area: int = 1) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keep instances of the image's own classes, above ``score_thr``, made disjoint.

    Args:
        masks: (M, H, W) bool; labels: (M,) class ids; scores: (M,).
        allowed_labels: the classes the image may hold (its image labels).
        score_thr: drop instances scored below it.
        resolve: make the kept masks disjoint with :func:`resolve_overlaps`.
        min_area: drop instances (before and after resolving) under this many pixels.

    Returns:
        ``masks`` (K, H, W) bool, ``labels`` (K,) int64, ``scores`` (K,) float64.
    """
    labels = np.asarray(labels, dtype=np.int64)
    scores = np.asarray(scores, dtype=np.float64)
    masks = np.asarray(masks, dtype=bool)
    areas = masks.sum(axis=(1, 2))
    keep = np.isin(labels, list(allowed_labels)) & (scores >= score_thr) & (areas >= min_area)
    masks, labels, scores = masks[keep], labels[keep], scores[keep]
    if resolve and len(masks):
        masks, kept = resolve_overlaps(masks, scores, min_area=min_area)
        labels, scores = labels[kept], scores[kept]
    return masks, labels, scores
