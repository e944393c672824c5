"""Predicted points against GT instance masks (PRM peaks, BESTIE's PAM points)."""
from typing import Tuple

import numpy as np


def score_points(points: np.ndarray, labels: np.ndarray, instance_masks: np.ndarray,
                 instance_labels: np.ndarray) -> Tuple[int, int, int, int]:
    """Points against GT instances: a point is right when it lies inside an instance of
    its class that no earlier point has claimed (one per instance).

    Args:
        points: (P, 2) ``x, y``, in the order to match (best first).
        labels: (P,) class ids.
        instance_masks: (N, H, W) bool; instance_labels: (N,).

    Returns:
        ``(right, points, instances hit, instances)``.
    """
    instance_labels = np.asarray(instance_labels)
    claimed = np.zeros(len(instance_masks), bool)
    right = 0
    for (x, y), label in zip(np.asarray(points), labels):
        col, row = int(round(x)), int(round(y))
        if not len(instance_masks):
            break
        row = min(max(row, 0), instance_masks.shape[1] - 1)
        col = min(max(col, 0), instance_masks.shape[2] - 1)
        hits = np.flatnonzero(instance_masks[:, row, col] & (instance_labels == label)
                              & ~claimed)
        if len(hits):
            claimed[hits[0]] = True
            right += 1
    return right, len(points), int(claimed.sum()), len(instance_masks)
