"""Pseudo masks snapped to the image's superpixels: plain functions on arrays.

A pseudo mask's outline comes from a teacher's coarse map or from a box; the image's own
edges are sharper. The image is cut into Felzenszwalb-Huttenlocher graph segments
(scikit-image), which end at colour edges; each segment that a mask covers for more than
``min_fraction`` of its pixels is taken whole, the others are dropped.
"""
from typing import Tuple

import numpy as np
from skimage.segmentation import felzenszwalb


def median_mask_area(masks: np.ndarray) -> float:
    """The median pixel count of the non-empty masks of (M, H, W) ``masks``; 0 if none."""
    areas = masks.reshape(len(masks), -1).sum(axis=1) if masks.size else np.zeros(0)
    areas = areas[areas > 0]
    return float(np.median(areas)) if len(areas) else 0.0


def segmentation_scale(masks: np.ndarray, scale_per_area: float,
                       min_size_per_area: float) -> Tuple[float, int]:
    """Felzenszwalb's ``scale`` and ``min_size`` for an image whose pseudo masks are ``masks``.

    Felzenszwalb merges two regions when their dividing edge is weaker than
    ``scale / size`` of each, so a segment's size at a given contrast grows with ``scale``;
    both follow the image's median pseudo mask (never GT), and so the objects of whatever
    data the labeler runs on.

    Returns:
        ``(scale_per_area * area, max(1, round(min_size_per_area * area)))``.
    """
    if scale_per_area <= 0 or min_size_per_area < 0:
        raise ValueError(f'scale_per_area must be positive and min_size_per_area not '
                         f'negative, got {scale_per_area} and {min_size_per_area}')
    area = median_mask_area(masks)
    return scale_per_area * area, max(1, int(round(min_size_per_area * area)))


def graph_superpixels(image: np.ndarray, scale: float, min_size: int,
                      sigma: float = 0.5) -> np.ndarray:
    """Felzenszwalb-Huttenlocher segments of an (H, W, 3) RGB image: (H, W) int64 ids from 0.

    ``sigma`` is the Gaussian smoothing before segmenting (the paper's 0.5)."""
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f'an (H, W, 3) RGB image is needed, got shape {image.shape}')
    return felzenszwalb(image, scale=scale, sigma=sigma, min_size=min_size,
                        channel_axis=-1).astype(np.int64)


def snap_masks(image: np.ndarray, masks: np.ndarray, scale_per_area: float = 0.05,
               min_size_per_area: float = 0.01, sigma: float = 0.5,
               min_fraction: float = 0.5) -> np.ndarray:
    """An image's pseudo masks snapped to its graph segments, at the scale its masks give.

    :func:`segmentation_scale`, then :func:`graph_superpixels` of ``image`` ((H, W, 3)
    RGB), then :func:`snap_to_superpixels` of ``masks`` ((M, H, W) bool). Returns
    (M, H, W) bool.
    """
    if not len(masks):
        return np.asarray(masks, bool).copy()
    scale, min_size = segmentation_scale(masks, scale_per_area, min_size_per_area)
    return snap_to_superpixels(masks, graph_superpixels(image, scale, min_size, sigma),
                               min_fraction)


def snap_to_superpixels(masks: np.ndarray, superpixels: np.ndarray,
                        min_fraction: float = 0.5) -> np.ndarray:
    """Each mask as the union of the superpixels it covers for more than ``min_fraction``.

    Disjoint masks stay disjoint: at ``min_fraction >= 0.5`` no two of them can hold more
    than half of one superpixel. A mask that takes no superpixel whole (an object smaller
    than its segments) is kept as it was, on top of the others.

    Args:
        masks: (M, H, W) bool pseudo masks.
        superpixels: (H, W) int superpixel ids from 0.
        min_fraction: in [0.5, 1).

    Returns:
        (M, H, W) bool, in the order of ``masks``.
    """
    if not 0.5 <= min_fraction < 1.0:
        raise ValueError(f'min_fraction must lie in [0.5, 1) so that disjoint masks stay '
                         f'disjoint, got {min_fraction}')
    masks = np.asarray(masks, bool)
    if masks.shape[1:] != superpixels.shape:
        raise ValueError(f'masks of shape {masks.shape} for superpixels of shape '
                         f'{superpixels.shape}')
    if not len(masks):
        return masks.copy()
    count = int(superpixels.max()) + 1
    sizes = np.bincount(superpixels.ravel(), minlength=count)
    covered = np.stack([np.bincount(superpixels[mask], minlength=count) for mask in masks])
    taken = covered > min_fraction * sizes
    snapped = taken[:, superpixels]
    unsnapped = ~snapped.any(axis=(1, 2))
    if unsnapped.any():
        snapped &= ~masks[unsnapped].any(axis=0)
        snapped[unsnapped] = masks[unsnapped]
    return snapped
