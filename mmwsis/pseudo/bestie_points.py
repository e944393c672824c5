"""BESTIE's instance cues for image labels: the peak points of PAM's class maps.

In BESTIE (Kim et al., CVPR 2022, "Beyond Semantic to Instance Segmentation") the
image-level classifier with peak attention modules (PAM) gives one point per object:
each class map is max-normalised, smoothed by a 3 x 3 mean, its 15 x 15 local maxima
are peaks, and the 25 best of each class scoring at least 0.1 are kept.
"""
from typing import Sequence, Tuple

import numpy as np
from scipy import ndimage


def pam_peak_points(cams: np.ndarray, labels: Sequence[int], smooth: int = 3,
                    nms_window: int = 15, top_k: int = 25,
                    min_score: float = 0.1) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Peak points of each class map.

    Args:
        cams: (K, H, W) non-negative class maps of the image's classes.
        labels: (K,) their class ids.
        smooth: side of the mean filter applied to the max-normalised map.
        nms_window: side of the window a peak is the maximum of.
        top_k: most peaks kept per class, the best first.
        min_score: smallest smoothed normalised value of a kept peak.

    Returns:
        ``points`` (P, 2) float64 ``x, y`` pixels, ``labels`` (P,) int64 and ``scores``
        (P,) float64 (the smoothed normalised value), by class then descending score.
        An all-zero map gives no points.
    """
    points, peak_labels, scores = [], [], []
    for cam, label in zip(np.asarray(cams, dtype=np.float64), labels):
        top = cam.max() if cam.size else 0.0
        if top <= 0:
            continue
        response = ndimage.uniform_filter(cam / top, size=smooth, mode='nearest')
        is_peak = ((response == ndimage.maximum_filter(response, size=nms_window, mode='nearest'))
                   & (response >= min_score))
        ys, xs = np.nonzero(is_peak)
        values = response[ys, xs]
        order = np.argsort(-values, kind='stable')[:top_k]
        points.append(np.stack([xs[order], ys[order]], axis=1).astype(np.float64))
        peak_labels.append(np.full(len(order), int(label), np.int64))
        scores.append(values[order])
    if not points:
        return np.zeros((0, 2)), np.zeros(0, np.int64), np.zeros(0)
    return np.concatenate(points), np.concatenate(peak_labels), np.concatenate(scores)
