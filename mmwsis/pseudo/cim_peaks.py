"""Class peaks of response maps: the points CIM clusters proposals around."""
from typing import Sequence, Tuple

import numpy as np
from scipy import ndimage


def class_peaks(maps: np.ndarray, labels: Sequence[int], window: int = 3,
                rel_thr: float = 0.5) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Local maxima of each class map, PRM's median filter, and a floor relative to the
    class's strongest peak.

    A pixel is a peak of its map when it is the maximum of its ``window`` x ``window``
    neighbourhood, above the map's median and above 0, and at least ``rel_thr`` of the
    map's maximum. The map's maximum is always a peak (PRM keeps the strongest peak of
    every image class).

    Args:
        maps: (K, H, W) response maps of the image's classes.
        labels: (K,) their class ids.
        window: neighbourhood side in pixels of ``maps``.
        rel_thr: the relative floor (PRM's absolute ``peak_threshold`` depends on the
            network's logit scale; a share of the class maximum does not).

    Returns:
        ``points`` (P, 2) float64 ``x, y`` pixels, ``labels`` (P,) int64 and ``scores``
        (P,) float64 (the map's value), by class then descending score.
    """
    points, peak_labels, scores = [], [], []
    for response, label in zip(np.asarray(maps, dtype=np.float64), labels):
        top = response.max() if response.size else 0.0
        if top <= 0:
            continue
        is_peak = ((response == ndimage.maximum_filter(response, size=window, mode='nearest'))
                   & (response > np.median(response)) & (response >= rel_thr * top))
        is_peak[np.unravel_index(int(np.argmax(response)), response.shape)] = True
        ys, xs = np.nonzero(is_peak)
        values = response[ys, xs]
        order = np.argsort(-values, kind='stable')
        points.append(np.stack([xs[order], ys[order]], axis=1).astype(np.float64))
        peak_labels.append(np.full(len(order), int(label), np.int64))
        scores.append(values[order])
    if not points:
        return np.zeros((0, 2)), np.zeros(0, np.int64), np.zeros(0)
    return np.concatenate(points), np.concatenate(peak_labels), np.concatenate(scores)
