"""BESTIE's semantic knowledge transfer: centre and offset targets from a WSSS map and
points.

In BESTIE (Kim et al., CVPR 2022, "Beyond Semantic to Instance Segmentation") each
8-connected piece of a class in the weakly-supervised semantic map (at least 50 pixels)
that holds exactly one point of its class becomes one instance: its offsets point to its
centroid (image labels, the points are PAM peaks) or to the point (BESTIE-P, clicked
points), and the centre heatmap is a Gaussian (σ 6) there. Pieces with no point or with
several are ignored (weight 0).
"""
from typing import NamedTuple, Sequence, Tuple

import numpy as np
from scipy import ndimage

from .bestie_instances import large_components

CENTRES_AT = ('centroid', 'point')


class CentreOffsetTargets(NamedTuple):
    """``center`` (C, H, W) float32 heatmaps, ``offset`` (2, H, W) float32 ``(dy, dx)``
    and ``weight`` (H, W) float32 (0: ignored)."""
    center: np.ndarray
    offset: np.ndarray
    weight: np.ndarray


def point_pixels(points: np.ndarray, shape: Tuple[int, int]) -> np.ndarray:
    """(P, 2) float ``x, y`` points -> (P, 2) int64 ``y, x`` pixels, rounded and clipped
    to an image of ``shape`` (H, W)."""
    xy = np.rint(np.asarray(points, dtype=np.float64).reshape(-1, 2)).astype(np.int64)
    return np.stack([np.clip(xy[:, 1], 0, shape[0] - 1), np.clip(xy[:, 0], 0, shape[1] - 1)],
                    axis=1)


def gaussian_centres(points_yx: np.ndarray, shape: Tuple[int, int], sigma: float) -> np.ndarray:
    """(H, W) float32: the maximum of ``exp(-d² / 2σ²)`` around each point (N, 2) ``y, x``
    (rounded to a pixel, peak 1), each on a square patch of radius ``int(3σ + 1)``
    (39 x 39 for σ = 6) clipped to the image."""
    heat = np.zeros(shape, np.float32)
    radius = int(3 * sigma + 1)
    for cy, cx in np.rint(np.asarray(points_yx, dtype=np.float64).reshape(-1, 2)).astype(int):
        y0, y1 = max(cy - radius, 0), min(cy + radius + 1, shape[0])
        x0, x1 = max(cx - radius, 0), min(cx + radius + 1, shape[1])
        if y0 >= y1 or x0 >= x1:
            continue
        dy, dx = np.arange(y0, y1) - cy, np.arange(x0, x1) - cx
        patch = np.exp(-(dy[:, None] ** 2 + dx[None] ** 2) / (2 * sigma ** 2))
        heat[y0:y1, x0:x1] = np.maximum(heat[y0:y1, x0:x1], patch)
    return heat


def transfer_targets(semantic: np.ndarray, points: np.ndarray, point_labels: np.ndarray,
                     image_labels: Sequence[int], num_classes: int, sigma: float = 6.0,
                     min_area: int = 50, centre_at: str = 'centroid') -> CentreOffsetTargets:
    """Targets of the components of ``semantic`` holding exactly one point of their class.

    Points are counted at their rounded pixel (:func:`point_pixels`). A used component
    ``K`` gets ``offset = (cy - y, cx - x)`` and weight 1 on its pixels; the others
    weight 0.

    Args:
        semantic: (H, W) int WSSS map: 0 background, ``c + 1`` class ``c``, 255 ignore.
        points: (P, 2) float ``x, y``.
        point_labels: (P,) int 0-based classes of the points.
        image_labels: 0-based classes of the image.
        num_classes: foreground classes C (channels of ``center``).
        sigma: Gaussian σ of the centres, pixels.
        min_area: smallest component used, pixels.
        centre_at: ``'centroid'``: the centre is the component's centroid (float mean
            ``y, x``), Gaussians at the used centroids; ``'point'``: the centre is the
            point's pixel, Gaussians at all points of the image's classes.
    """
    if centre_at not in CENTRES_AT:
        raise ValueError(f'centre_at must be one of {CENTRES_AT}, got {centre_at!r}')
    semantic = np.asarray(semantic)
    shape = semantic.shape
    pixels = point_pixels(points, shape)
    point_labels = np.asarray(point_labels, np.int64).reshape(-1)
    center = np.zeros((num_classes, *shape), np.float32)
    offset = np.zeros((2, *shape), np.float32)
    weight = np.zeros(shape, np.float32)
    for cls in sorted({int(c) for c in image_labels}):
        mine = pixels[point_labels == cls]
        components, ids = large_components(semantic == cls + 1, min_area)
        hit = components[mine[:, 0], mine[:, 1]]
        counts = np.bincount(hit, minlength=components.max() + 1)
        used = ids[counts[ids] == 1]
        lookup = np.zeros((components.max() + 1, 2))  # centre (y, x) of each component
        if centre_at == 'centroid':
            lookup[used] = np.reshape(ndimage.center_of_mass(np.ones(shape), components, used),
                                      (-1, 2))
            center[cls] = gaussian_centres(lookup[used], shape, sigma)
        else:
            lookup[hit] = mine  # a used component holds one point: its row is that point
            center[cls] = gaussian_centres(mine, shape, sigma)
        ys, xs = np.nonzero(np.isin(components, used))
        target = lookup[components[ys, xs]]
        offset[0, ys, xs] = target[:, 0] - ys
        offset[1, ys, xs] = target[:, 1] - xs
        weight[ys, xs] = 1
    return CentreOffsetTargets(center, offset, weight)
