"""BESTIE's grouping of a semantic component into instances by centres and offsets.

In BESTIE (Kim et al., CVPR 2022, "Beyond Semantic to Instance Segmentation") every
connected piece of a class (8-connected, at least 50 pixels) is split among its centres:
the peaks of the class's centre map inside the piece (above a threshold, maxima of a
41 x 41 window) plus the "clustered" centres where the predicted offsets have converged
(a small disk of near-zero offsets, its area within β = 3 pixels of the ideal). Each
pixel goes to the centre nearest to where its offset points. The same grouping serves
online self-refinement (threshold 0.3, :mod:`.bestie_refine`) and inference
(threshold 0.1, :func:`instance_map`, BESTIE's ``get_ins_map``).
"""
from typing import List, NamedTuple, Optional, Sequence, Tuple

import numpy as np
from scipy import ndimage

EIGHT = np.ones((3, 3), bool)
FOUR = ndimage.generate_binary_structure(2, 1)


class ComponentInstance(NamedTuple):
    """One instance of a component: ``mask`` (H, W) bool, ``centre`` (y, x) float,
    ``centre_score`` (NaN without a centre) and ``seg_score`` (mean class probability)."""
    mask: np.ndarray
    centre: Tuple[float, float]
    centre_score: float
    seg_score: float


def large_components(mask: np.ndarray, min_area: int) -> Tuple[np.ndarray, np.ndarray]:
    """8-connected components of ``mask`` (H, W): the (H, W) int label map and the (n,)
    labels of those with at least ``min_area`` pixels."""
    components, count = ndimage.label(mask, structure=EIGHT)
    areas = np.bincount(components.ravel(), minlength=count + 1)
    ids = np.nonzero(areas >= min_area)[0]
    return components, ids[ids > 0]


def restrict_classes(seg_prob: np.ndarray, image_labels: Sequence[int]) -> np.ndarray:
    """A copy of ``seg_prob`` (C+1, H, W) with the foreground channels of the classes
    (0-based) not in ``image_labels`` zeroed."""
    prob = np.array(seg_prob, dtype=np.float64)
    keep = np.zeros(len(prob), bool)
    keep[0] = True
    keep[np.asarray(list(image_labels), np.int64) + 1] = True
    prob[~keep] = 0
    return prob


def disk_area(radius: float) -> int:
    """Lattice points ``(dy, dx)`` with ``dy² + dx² < radius²`` (21 for 2.5)."""
    reach = int(np.ceil(radius))
    dy, dx = np.mgrid[-reach:reach + 1, -reach:reach + 1]
    return int(np.count_nonzero(dy ** 2 + dx ** 2 < radius ** 2))


def _centroid(mask: np.ndarray) -> Tuple[float, float]:
    ys, xs = np.nonzero(mask)
    return float(ys.mean()), float(xs.mean())


def component_centres(center_map: np.ndarray, component: np.ndarray, offset: np.ndarray,
                      thr: float, nms_window: int, beta: float, cluster_radius: float = 2.5,
                      cluster_min_score: float = 0.05,
                      far: float = 100.0) -> Tuple[np.ndarray, np.ndarray]:
    """The centres of one component of a class.

    ``C_K`` = ``center_map`` on the component, 0 elsewhere. Peaks: pixels of ``C_K``
    above ``thr`` that are the maximum of their ``nms_window`` x ``nms_window`` window.
    Clustered centres: a perfect centre's converged offsets cover a disk of radius
    ``cluster_radius``, so a 4-connected piece of {‖offset‖ < ``cluster_radius``} on the
    component counts when its area is "a disk of radius cluster_radius ± beta pixels":
    strictly between ``A - beta`` and ``A + beta``, with ``A`` = :func:`disk_area`. Its
    rounded centroid is a centre (score 1) if ``C_K`` there exceeds
    ``cluster_min_score`` and it is more than ``far`` px from every peak (or there are
    no peaks).

    Args:
        center_map: (H, W) centre heatmap of the class.
        component: (H, W) bool component.
        offset: (2, H, W) predicted ``(dy, dx)`` to the centre.

    Returns:
        ``centres`` (N, 2) int64 ``y, x`` (peaks by descending score, then clustered
        centres) and ``scores`` (N,) float64.
    """
    ck = np.where(component, center_map, 0).astype(np.float64)
    is_peak = (ck > thr) & (ck == ndimage.maximum_filter(ck, size=nms_window, mode='nearest'))
    ys, xs = np.nonzero(is_peak)
    order = np.argsort(-ck[ys, xs], kind='stable')
    peaks = np.stack([ys[order], xs[order]], axis=1).astype(np.int64)
    settled = component & (np.hypot(offset[0], offset[1]) < cluster_radius)
    clusters, count = ndimage.label(settled, structure=FOUR)
    areas = np.bincount(clusters.ravel(), minlength=count + 1)[1:]
    ideal = disk_area(cluster_radius)
    ids = np.nonzero((areas > ideal - beta) & (areas < ideal + beta))[0] + 1
    clustered = np.zeros((0, 2), np.int64)
    if len(ids):
        clustered = np.rint(np.reshape(ndimage.center_of_mass(settled, clusters, ids),
                                       (-1, 2))).astype(np.int64)
        clustered = clustered[ck[clustered[:, 0], clustered[:, 1]] > cluster_min_score]
        if len(peaks) and len(clustered):
            gaps = np.linalg.norm(clustered[:, None] - peaks[None], axis=2).min(axis=1)
            clustered = clustered[gaps > far]
    centres = np.concatenate([peaks, clustered])
    scores = np.concatenate([ck[peaks[:, 0], peaks[:, 1]], np.ones(len(clustered))])
    return centres, scores


def group_pixels(component: np.ndarray, offset: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """(H, W) int64: for each pixel ``p`` of ``component`` the index of the centre
    (``centres`` (N, 2) ``y, x``) nearest to ``p + offset[:, p]``; -1 elsewhere (and
    everywhere without centres)."""
    groups = np.full(component.shape, -1, np.int64)
    centres = np.asarray(centres, dtype=np.float64).reshape(-1, 2)
    if not len(centres):
        return groups
    ys, xs = np.nonzero(component)
    to_y, to_x = ys + offset[0, ys, xs], xs + offset[1, ys, xs]
    dist = (to_y[:, None] - centres[None, :, 0]) ** 2 + (to_x[:, None] - centres[None, :, 1]) ** 2
    groups[ys, xs] = dist.argmin(axis=1)
    return groups


def component_instances(center_map: np.ndarray, seg_prob_c: np.ndarray, component: np.ndarray,
                        offset: np.ndarray, thr: float, nms_window: int, beta: float,
                        ignore_empty: bool,
                        min_centre_score: Optional[float] = None) -> List[ComponentInstance]:
    """Split one component among its :func:`component_centres`.

    Each non-empty group ``I`` of :func:`group_pixels` is an instance; its centre is the
    argmax over ``I`` of ``C_K`` (clustered centres' pixels set to their score 1) and
    ``centre_score`` that value; ``seg_score`` is the mean of ``seg_prob_c`` over ``I``.

    Args:
        center_map: (H, W) centre heatmap of the class.
        seg_prob_c: (H, W) probability of the class.
        component: (H, W) bool component.
        offset: (2, H, W) predicted ``(dy, dx)``.
        thr, nms_window, beta: see :func:`component_centres`.
        ignore_empty: a component without centres gives no instance; otherwise it is one
            instance at its centroid, ``centre_score`` NaN.
        min_centre_score: an instance whose ``centre_score`` is below it is centred at
            its centroid instead (``None``: always at the argmax).
    """
    centres, scores = component_centres(center_map, component, offset, thr, nms_window, beta)
    if not len(centres):
        if ignore_empty:
            return []
        return [ComponentInstance(component.copy(), _centroid(component), float('nan'),
                                  float(seg_prob_c[component].mean()))]
    ck = np.where(component, center_map, 0).astype(np.float64)
    ck[centres[:, 0], centres[:, 1]] = scores
    groups = group_pixels(component, offset, centres)
    instances = []
    for index in range(len(centres)):
        mask = groups == index
        if not mask.any():
            continue
        py, px = np.unravel_index(int(np.argmax(np.where(mask, ck, -np.inf))), mask.shape)
        centre_score = float(ck[py, px])
        centre = (float(py), float(px))
        if min_centre_score is not None and centre_score < min_centre_score:
            centre = _centroid(mask)
        instances.append(ComponentInstance(mask, centre, centre_score,
                                           float(seg_prob_c[mask].mean())))
    return instances


def instance_map(seg_prob: np.ndarray, center: np.ndarray, offset: np.ndarray,
                 image_labels: Optional[Sequence[int]] = None, thr: float = 0.1,
                 nms_window: int = 41, beta: float = 3, min_area: int = 50,
                 semantic: Optional[np.ndarray] = None
                 ) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """BESTIE's inference: the instances of a semantic map.

    Each 8-connected component of at least ``min_area`` pixels of each class of the
    semantic map is split by :func:`component_instances` (a component without centres is
    one instance). Score = ``centre_score`` x ``seg_score`` (``seg_score`` alone without a
    centre), ``seg_score`` being the mean of ``seg_prob``'s class channel over the mask.

    Args:
        seg_prob: (C+1, H, W) softmax, channel 0 background.
        center: (C, H, W) centre heatmaps.
        offset: (2, H, W) ``(dy, dx)`` to the centre.
        image_labels: 0-based classes of the image; the other classes' foreground
            channels (and their pixels of ``semantic``) are dropped (``None``: all
            classes).
        semantic: (H, W) integer map to group instead of ``seg_prob``'s argmax (BESTIE's
            own): 0 background, c+1 class c, 255 ignored (a WSSS map).

    Returns:
        ``masks`` (N, H, W) bool, ``labels`` (N,) int64 0-based classes and ``scores``
        (N,) float64, by class, component and centre.
    """
    prob = (np.asarray(seg_prob, dtype=np.float64) if image_labels is None
            else restrict_classes(seg_prob, image_labels))
    if semantic is None:
        semantic = prob.argmax(axis=0)
    else:
        semantic = np.asarray(semantic, dtype=np.int64)
        if semantic.shape != prob.shape[1:]:
            raise ValueError(f'semantic map {semantic.shape} does not match seg_prob '
                             f'{prob.shape[1:]}')
        known = (semantic > 0) & (semantic < len(prob))
        if image_labels is not None:
            known &= np.isin(semantic - 1, np.asarray(list(image_labels), np.int64))
        semantic = np.where(known, semantic, 0)
    masks, labels, scores = [], [], []
    for value in np.unique(semantic[semantic > 0]):
        cls = int(value) - 1
        components, ids = large_components(semantic == value, min_area)
        for index in ids:
            for inst in component_instances(center[cls], prob[value], components == index,
                                            offset, thr, nms_window, beta, ignore_empty=False):
                masks.append(inst.mask)
                labels.append(cls)
                scores.append(inst.seg_score if np.isnan(inst.centre_score)
                              else inst.centre_score * inst.seg_score)
    if not masks:
        return np.zeros((0, *semantic.shape), bool), np.zeros(0, np.int64), np.zeros(0)
    return np.stack(masks), np.array(labels, np.int64), np.array(scores, np.float64)
