"""IRNet's instance and semantic pseudo labels from CAMs, boundaries and displacements.

All inputs live on the stride-4 grid ``(h, w) = (⌈H/4⌉, ⌈W/4⌉)`` of an ``H × W`` image:

1. each pixel follows the displacement field to its centroid; the 4-connected regions of
   weak displacement (``‖D‖ < 2.5``) name the instances; optionally (not in the paper) each
   instance is then cut along the boundary map (:func:`split_instances_by_boundary`);
2. instance CAMs ``CAM_c ⊙ 1[instance n]`` are propagated by the random walk
   (radius 5, β = 10, 256 steps);
3. the walked maps are upsampled ×4, normalised by their global maximum and compared with a
   constant background score; each connected piece of a (class, instance) channel is one
   mask, scored by its maximum, and pieces under 1 % of the image are dropped.
"""
from typing import Optional, Sequence, Tuple, Union

import numpy as np
from scipy import ndimage

from .random_walk import random_walk


def refine_centroids(displacement: np.ndarray, iterations: int = 300) -> np.ndarray:
    """Centroid of every pixel by following the displacement field.

    Starting at the pixel's own coordinates, ``c ← clip(c + D(c))`` ``iterations`` times,
    with ``D(c)`` bilinearly interpolated and ``c`` clipped to the image.

    Args:
        displacement: (2, h, w) field ``(dy, dx)`` pointing from a pixel to its centroid.
        iterations: number of updates.

    Returns:
        (2, h, w) int64 ``(y, x)`` of the rounded centroids.
    """
    _, h, w = displacement.shape
    field = np.asarray(displacement, dtype=np.float64)
    coords = np.mgrid[0:h, 0:w].reshape(2, -1).astype(np.float64)
    upper = np.array([[h - 1], [w - 1]], dtype=np.float64)
    for _ in range(iterations):
        step = np.stack([
            ndimage.map_coordinates(channel, coords, order=1, mode='nearest')
            for channel in field
        ])
        coords = np.clip(coords + step, 0, upper)
    return np.rint(coords).astype(np.int64).reshape(2, h, w)


def cluster_instances(displacement: np.ndarray,
                      radius_threshold: float = 2.5,
                      iterations: int = 300) -> np.ndarray:
    """Instance map from a displacement field.

    The 4-connected components of ``{‖D‖ < radius_threshold}`` are the candidate centres;
    a pixel belongs to the component found at its converged centroid. The ids that occur
    are relabelled ``0..N-1`` in increasing order; pixels whose centroid lies outside every
    component share one more instance, as in IRNet.

    Args:
        displacement: (2, h, w) field ``(dy, dx)``.
        radius_threshold: displacement norm under which a pixel is a centre.
        iterations: see :func:`refine_centroids`.

    Returns:
        (h, w) int64 instance ids in ``0..N-1``.
    """
    centroids = refine_centroids(displacement, iterations)
    centres, _ = ndimage.label(np.linalg.norm(displacement, axis=0) < radius_threshold)
    ids = centres[centroids[0], centroids[1]]
    _, instance_map = np.unique(ids, return_inverse=True)
    return instance_map.reshape(ids.shape).astype(np.int64)


def split_instances_by_boundary(instance_map: np.ndarray, boundary: np.ndarray,
                                threshold: float) -> np.ndarray:
    """Cut every instance into the 4-connected pieces the boundary map leaves of it.

    IRNet's displacement field is trained on connected same-class regions, so two touching
    objects of one class share a centroid; the boundary branch often still sees the edge
    between them. Pixels with ``boundary >= threshold`` are cut out, each instance's
    remaining pixels are split into connected pieces, and every cut pixel joins the
    nearest piece (Euclidean).

    Args:
        instance_map: (h, w) int ids from :func:`cluster_instances`.
        boundary: (h, w) class-boundary probabilities in [0, 1].
        threshold: boundary probability from which a pixel separates pieces.

    Returns:
        (h, w) int64 ids ``0..N'-1``, ``N' >= 1``; the input unchanged (relabelled) when
        every pixel is a boundary pixel.
    """
    inner = np.asarray(boundary) < threshold
    pieces = np.zeros(instance_map.shape, dtype=np.int64)
    count = 0
    for instance in np.unique(instance_map):
        labelled, found = ndimage.label(inner & (instance_map == instance))
        pieces[labelled > 0] = labelled[labelled > 0] + count
        count += found
    if count == 0:
        return np.unique(instance_map, return_inverse=True)[1].reshape(instance_map.shape)
    nearest = ndimage.distance_transform_edt(pieces == 0, return_distances=False,
                                             return_indices=True)
    return pieces[nearest[0], nearest[1]] - 1


def instance_map_from_displacement(displacement: np.ndarray,
                                   boundary: np.ndarray,
                                   radius_threshold: float = 2.5,
                                   iterations: int = 300,
                                   boundary_split: Optional[float] = None) -> np.ndarray:
    """Step 1: :func:`cluster_instances`, then optionally :func:`split_instances_by_boundary`.

    Args:
        displacement: (2, h, w) field ``(dy, dx)``.
        boundary: (h, w) class-boundary probabilities in [0, 1].
        radius_threshold, iterations: see :func:`cluster_instances`.
        boundary_split: the split's boundary threshold; ``None`` (the paper) skips it.

    Returns:
        (h, w) int64 instance ids ``0..N-1``.
    """
    instance_map = cluster_instances(displacement, radius_threshold, iterations)
    if boundary_split is not None:
        instance_map = split_instances_by_boundary(instance_map, boundary, boundary_split)
    return instance_map


def object_extent(cams: np.ndarray, instance_map: np.ndarray,
                  fg_threshold: float = 0.25) -> float:
    """How large the image's objects are, as the teacher sees them, in grid cells.

    The square root of the median area of the instance clusters' foreground (cells where
    the max-normalised CAM of some class of the image exceeds ``fg_threshold``); clusters
    with under 4 such cells are ignored. 0 when there is none.

    Args:
        cams: (C, h, w) CAMs in [0, 1]; instance_map: (h, w) cluster ids.
    """
    if not len(cams):
        return 0.0
    foreground = cams.max(axis=0) > fg_threshold
    areas = np.bincount(instance_map[foreground].ravel())
    areas = areas[areas >= 4]
    return float(np.sqrt(np.median(areas))) if len(areas) else 0.0


def walk_log2_steps(extent: float, reference_extent: float, reference_log2_steps: int,
                    limits: Tuple[int, int] = (3, 8)) -> int:
    """A walk length for objects of ``extent`` cells, from one known to suit another extent.

    A random walk spreads over about sqrt(steps) cells, so the number of steps grows with
    the square of the object extent: ``log2 steps = reference + 2 log2(extent /
    reference_extent)``, rounded and kept within ``limits`` (8 is the paper's 256).
    """
    if extent <= 0:
        return reference_log2_steps
    steps = reference_log2_steps + 2 * np.log2(extent / reference_extent)
    return int(np.clip(np.round(steps), *limits))


def resolve_log2_steps(log2_steps: Union[int, str], cams: np.ndarray, instance_map: np.ndarray,
                       reference_extent: float = 12.0, reference_log2_steps: int = 5) -> int:
    """``log2_steps`` itself, or for ``'auto'`` the :func:`walk_log2_steps` of the objects'
    :func:`object_extent` in ``cams`` (C, h, w) over ``instance_map`` (h, w)."""
    if log2_steps != 'auto':
        return log2_steps
    return walk_log2_steps(object_extent(cams, instance_map), reference_extent,
                           reference_log2_steps)


def instance_scores_from_cams(cams: np.ndarray,
                              instance_map: np.ndarray,
                              boundary: np.ndarray,
                              radius: int = 5,
                              beta: float = 10.0,
                              log2_steps: int = 8) -> np.ndarray:
    """Random walk of the instance CAMs ``X_{c,n} = CAM_c ⊙ 1[instance_map == n]``.

    Args:
        cams: (C, h, w) class activation maps of the image's classes.
        instance_map: (h, w) int ids ``0..N-1`` from :func:`cluster_instances`.
        boundary: (h, w) class-boundary probabilities in [0, 1].
        radius, beta, log2_steps: random-walk settings (:func:`random_walk`).

    Returns:
        (C·N, h, w) float32 walked maps, channel ``c·N + n`` for class ``c``, instance ``n``.
    """
    c, h, w = cams.shape
    n = int(instance_map.max()) + 1
    onehot = instance_map[None] == np.arange(n)[:, None, None]
    instance_cams = (cams[:, None] * onehot[None]).reshape(c * n, h, w)
    return random_walk(instance_cams, boundary, radius, beta, log2_steps)


def _bilinear_x4_weights(out_size: int, in_size: int) -> np.ndarray:
    """(out_size, in_size) weights of a ×4 bilinear upsampling, half-pixel centres.

    Same sampling as ``torch.nn.functional.interpolate(scale_factor=4, mode='bilinear',
    align_corners=False)``, keeping the first ``out_size`` outputs.
    """
    pos = np.maximum((np.arange(out_size) + 0.5) / 4 - 0.5, 0)
    low = np.minimum(np.floor(pos).astype(np.int64), in_size - 1)
    high = np.minimum(low + 1, in_size - 1)
    frac = pos - low
    weights = np.zeros((out_size, in_size))
    np.add.at(weights, (np.arange(out_size), low), 1 - frac)
    np.add.at(weights, (np.arange(out_size), high), frac)
    return weights


def _upsample_normalised(maps: np.ndarray, image_size: Tuple[int, int]) -> np.ndarray:
    """(K, h, w) → (K, H, W): ×4 bilinear, cropped to the image, divided by the global max."""
    height, width = image_size
    _, h, w = maps.shape
    if 4 * h < height or 4 * w < width:
        raise ValueError(f'a {h}x{w} stride-4 grid does not cover a {height}x{width} image')
    rows = _bilinear_x4_weights(height, h)
    cols = _bilinear_x4_weights(width, w)
    upsampled = (rows @ maps.astype(np.float64) @ cols.T).astype(np.float32)
    peak = upsampled.max() if upsampled.size else 0.0
    return upsampled / peak if peak > 0 else upsampled


def _argmax_with_background(maps: np.ndarray, bg_threshold: float) -> np.ndarray:
    """(K, H, W) → (H, W) index in ``0..K``, 0 where no map exceeds ``bg_threshold``."""
    background = np.full((1, ) + maps.shape[1:], bg_threshold, dtype=maps.dtype)
    return np.argmax(np.concatenate([background, maps]), axis=0)


def instances_from_scores(
        scores: np.ndarray,
        class_ids: Sequence[int],
        image_size: Tuple[int, int],
        bg_threshold: float = 0.25,
        min_area_ratio: float = 0.01) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Instance masks from walked (class, instance) maps.

    Args:
        scores: (C·N, h, w) walked maps on the stride-4 grid, class-major
            (:func:`instance_scores_from_cams`).
        class_ids: (C,) class id of each CAM.
        image_size: ``(H, W)`` of the image, ``H <= 4h``, ``W <= 4w``.
        bg_threshold: constant background score after normalisation.
        min_area_ratio: pieces smaller than this fraction of ``H·W`` are dropped.

    Returns:
        ``masks`` (M, H, W) bool, ``labels`` (M,) int64 class ids, ``scores`` (M,) float32:
        the maximum normalised walk score inside each mask.
    """
    class_ids = np.asarray(class_ids, dtype=np.int64)
    height, width = image_size
    per_class = scores.shape[0] // max(len(class_ids), 1)
    normalised = _upsample_normalised(scores, image_size)
    winner = _argmax_with_background(normalised, bg_threshold)
    min_area = min_area_ratio * height * width
    masks, labels, mask_scores = [], [], []
    for channel, channel_map in enumerate(normalised):
        pieces, count = ndimage.label(winner == channel + 1)
        areas = np.bincount(pieces.ravel(), minlength=count + 1)
        for piece in np.flatnonzero(areas[1:] >= min_area) + 1:
            mask = pieces == piece
            masks.append(mask)
            labels.append(class_ids[channel // per_class])
            mask_scores.append(channel_map[mask].max())
    return (np.array(masks, dtype=bool).reshape(-1, height, width),
            np.array(labels, dtype=np.int64), np.array(mask_scores, dtype=np.float32))


def semantic_map_from_cams(cams: np.ndarray,
                           boundary: np.ndarray,
                           class_ids: Sequence[int],
                           image_size: Tuple[int, int],
                           bg_threshold: float = 0.25,
                           radius: int = 5,
                           beta: float = 10.0,
                           log2_steps: int = 8) -> np.ndarray:
    """Semantic pseudo label: random walk of the class CAMs, then argmax over a background.

    Args:
        cams: (C, h, w) class activation maps on the stride-4 grid.
        boundary: (h, w) class-boundary probabilities in [0, 1].
        class_ids: (C,) class id of each CAM.
        image_size: ``(H, W)`` of the image.
        bg_threshold: constant background score after normalisation by the global max.
        radius, beta, log2_steps: random-walk settings.

    Returns:
        (H, W) uint8: 0 for background, ``class_id + 1`` for objects.
    """
    walked = random_walk(cams, boundary, radius, beta, log2_steps)
    winner = _argmax_with_background(_upsample_normalised(walked, image_size), bg_threshold)
    keys = np.concatenate([[0], np.asarray(class_ids, dtype=np.int64) + 1])
    return keys[winner].astype(np.uint8)


def irn_instance_pseudo_labels(
        cams: np.ndarray,
        boundary: np.ndarray,
        displacement: np.ndarray,
        class_ids: Sequence[int],
        image_size: Tuple[int, int],
        radius_threshold: float = 2.5,
        iterations: int = 300,
        bg_threshold: float = 0.25,
        min_area_ratio: float = 0.01,
        beta: float = 10.0,
        log2_steps: Union[int, str] = 8,
        boundary_split: Optional[float] = None,
        reference_extent: float = 12.0,
        reference_log2_steps: int = 5) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """IRNet's instance pseudo labels of one image.

    Args:
        cams: (C, h, w) CAMs of the image's classes on the stride-4 grid.
        boundary: (h, w) class-boundary probabilities.
        displacement: (2, h, w) displacement field ``(dy, dx)``.
        class_ids: (C,) class id of each CAM.
        image_size: ``(H, W)`` of the image.
        radius_threshold, iterations, boundary_split: see
            :func:`instance_map_from_displacement`.
        bg_threshold, min_area_ratio: see :func:`instances_from_scores`.
        beta, log2_steps: random-walk settings (radius 5, :func:`random_walk`);
            ``log2_steps='auto'`` takes the walk length from this image's objects
            (:func:`object_extent`, :func:`walk_log2_steps` with ``reference_extent`` and
            ``reference_log2_steps``).

    Returns:
        ``masks`` (M, H, W) bool, ``labels`` (M,) int64, ``scores`` (M,) float32.
    """
    instance_map = instance_map_from_displacement(displacement, boundary, radius_threshold,
                                                  iterations, boundary_split)
    log2_steps = resolve_log2_steps(log2_steps, cams, instance_map, reference_extent,
                                    reference_log2_steps)
    scores = instance_scores_from_cams(cams, instance_map, boundary, beta=beta,
                                       log2_steps=log2_steps)
    return instances_from_scores(scores, class_ids, image_size, bg_threshold, min_area_ratio)
