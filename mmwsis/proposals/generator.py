"""A built-in unsupervised segment-proposal generator (selective-search style).

1. Over-segment the image with Felzenszwalb's graph method at a few scales.
2. For each over-segmentation and each similarity strategy, group greedily: merge the
   most similar adjacent pair of regions until one is left (Uijlings et al., IJCV 2013).
   Similarity = colour-histogram intersection (Lab) + texture-histogram intersection
   (uniform LBP) + size (favours merging small regions first) + fill (favours pairs
   whose union fills its box); the strategies drop some terms. Every superpixel and
   every merged region is a candidate.
3. Score each candidate by how much it looks like a whole object standing out from its
   surroundings, ``score = d * f * c / (c + c_img) * (1 - b)`` in [0, 1):

   * ``d``: colour distinctiveness, 1 - histogram intersection between the region's Lab
     histogram and that of its adjacent superpixels (weighted by shared outline length);
   * ``f``: fill, region area / box area (objects are compact);
   * ``c``: mean Lab difference across the 4-neighbour pixel pairs of its outline, against
     ``c_img``, the same mean over the whole image (edges on the outline);
   * ``b``: share of its perimeter on the image border (background touches it).
4. Drop candidates outside ``[min_area, max_area]`` (fractions of the image), then keep
   them by descending score, skipping any whose mask IoU with a kept one exceeds
   ``dedup_iou``, until ``max_proposals`` are kept.

Everything is deterministic (no random ranking, unlike the original selective search).
"""
from typing import List, Sequence, Set, Tuple

import numpy as np
from scipy import ndimage, sparse
from skimage.color import rgb2lab
from skimage.feature import local_binary_pattern
from skimage.segmentation import felzenszwalb

from mmwsis.evaluation.functional import encode_masks, mask_iou
from .io import Proposals, empty_proposals, proposals_from_rles

COLOUR_BINS = 12
LBP_POINTS = 8
# Weights of (colour, texture, size, fill) in each grouping strategy.
STRATEGIES = ((1., 1., 1., 1.), (0., 1., 1., 1.))
LAB_RANGES = ((0., 100.), (-100., 100.), (-100., 100.))


class _Superpixels:
    """Per-region statistics of an over-segmentation (labels (H, W) int64, ids 0..n-1).

    Attributes:
        size: (n,) pixel counts.
        colour: (n, 3 * COLOUR_BINS) per-channel L1-normalised Lab histograms (/ 3).
        texture: (n, LBP_POINTS + 2) L1-normalised uniform-LBP histograms.
        box: (n, 4) ``x1, y1, x2, y2`` (exclusive right/bottom).
        border: (n,) pixels on the image border.
        shared: (n, n) sparse symmetric, 4-neighbour pixel pairs between two regions.
        contrast: (n, n) sparse symmetric, summed Lab difference over those pairs.
    """

    def __init__(self, labels: np.ndarray, colour_bins: np.ndarray, lbp: np.ndarray,
                 pixel_contrast: Tuple[np.ndarray, np.ndarray]) -> None:
        n = int(labels.max()) + 1
        self.size = np.bincount(labels.ravel(), minlength=n).astype(np.float64)
        self.colour = np.concatenate([
            _histograms(labels, colour_bins[..., c], COLOUR_BINS, n) for c in range(3)],
            axis=1) / 3.
        self.texture = _histograms(labels, lbp, LBP_POINTS + 2, n)
        self.box = np.array([(s[1].start, s[0].start, s[1].stop, s[0].stop)
                             for s in ndimage.find_objects(labels + 1)], dtype=np.float64)
        rim = np.concatenate([labels[0], labels[-1], labels[1:-1, 0], labels[1:-1, -1]])
        self.border = np.bincount(rim, minlength=n).astype(np.float64)
        firsts, seconds, weights = [], [], []
        for a, b, w in ((labels[:, :-1], labels[:, 1:], pixel_contrast[0]),
                        (labels[:-1], labels[1:], pixel_contrast[1])):
            cut = a != b
            firsts += [a[cut], b[cut]]
            seconds += [b[cut], a[cut]]
            weights += [w[cut], w[cut]]
        rows, cols = np.concatenate(firsts), np.concatenate(seconds)
        # Duplicate entries are summed on conversion to CSR.
        self.shared = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
        self.contrast = sparse.csr_matrix((np.concatenate(weights), (rows, cols)),
                                          shape=(n, n))

    def pairs(self) -> List[Tuple[int, int]]:
        """Adjacent region pairs ``(i, j)``, ``i < j``, in row-major order."""
        upper = sparse.triu(self.shared, k=1).tocoo()
        order = np.lexsort((upper.col, upper.row))
        return list(zip(upper.row[order].tolist(), upper.col[order].tolist()))


def _histograms(labels: np.ndarray, values: np.ndarray, bins: int, n: int) -> np.ndarray:
    """(n, bins) L1-normalised histograms of integer ``values`` in [0, bins) per region."""
    counts = np.bincount((labels * bins + values).ravel(), minlength=n * bins)
    counts = counts.reshape(n, bins).astype(np.float64)
    return counts / counts.sum(axis=1, keepdims=True)


def _group(sp: _Superpixels, weights: Sequence[float], image_area: float
           ) -> Tuple[np.ndarray, np.ndarray]:
    """Greedy hierarchical grouping of one over-segmentation.

    Returns:
        members: (R, n) bool, the superpixels of each region (the n superpixels first,
            then one region per merge; R = 2n - 1 for a connected image).
        boxes: (R, 4) float64 ``x1, y1, x2, y2`` of each region.
    """
    w_colour, w_texture, w_size, w_fill = weights
    n = len(sp.size)
    size, colour, texture, box = (list(sp.size), list(sp.colour), list(sp.texture),
                                  list(sp.box))
    members = list(np.eye(n, dtype=bool))
    neighbours: List[Set[int]] = [set() for _ in range(n)]
    pairs = sp.pairs()
    for i, j in pairs:
        neighbours[i].add(j)
        neighbours[j].add(i)

    def similarity(i: int, j: int) -> float:
        lo, hi = np.minimum(box[i][:2], box[j][:2]), np.maximum(box[i][2:], box[j][2:])
        box_area = (hi[0] - lo[0]) * (hi[1] - lo[1])
        return (w_colour * np.minimum(colour[i], colour[j]).sum()
                + w_texture * np.minimum(texture[i], texture[j]).sum()
                + w_size * (1. - (size[i] + size[j]) / image_area)
                + w_fill * (1. - (box_area - size[i] - size[j]) / image_area))

    sims = {pair: similarity(*pair) for pair in pairs}
    while sims:
        i, j = max(sims, key=sims.get)
        t, total = len(size), size[i] + size[j]
        size.append(total)
        colour.append((colour[i] * size[i] + colour[j] * size[j]) / total)
        texture.append((texture[i] * size[i] + texture[j] * size[j]) / total)
        box.append(np.concatenate([np.minimum(box[i][:2], box[j][:2]),
                                   np.maximum(box[i][2:], box[j][2:])]))
        members.append(members[i] | members[j])
        merged = (neighbours[i] | neighbours[j]) - {i, j}
        for old in (i, j):
            for k in neighbours[old]:
                sims.pop((min(old, k), max(old, k)), None)
                neighbours[k].discard(old)
        neighbours.append(merged)
        for k in merged:
            neighbours[k].add(t)
            sims[(k, t)] = similarity(k, t)
    return np.array(members), np.array(box)


def _objectness(sp: _Superpixels, members: np.ndarray, boxes: np.ndarray,
                image_contrast: float) -> np.ndarray:
    """(R,) scores in [0, 1) of the regions ``members`` (R, n) with ``boxes`` (R, 4).

    ``distinct * fill * c / (c + image_contrast) * (1 - border share)``: see the module
    docstring.
    """
    inside = members.astype(np.float64)
    outside = 1. - inside
    # [r, k]: pixel pairs (resp. summed contrast) between region r and superpixel k
    # outside it (both matrices are symmetric).
    shared = outside * (sp.shared @ inside.T).T
    contrast = outside * (sp.contrast @ inside.T).T
    outline = shared.sum(axis=1)
    size = inside @ sp.size
    own_colour = (inside * sp.size) @ sp.colour / size[:, None]
    ring_colour = shared @ sp.colour / np.maximum(outline, 1e-12)[:, None]
    distinct = 1. - np.minimum(own_colour, ring_colour).sum(axis=1)
    distinct[outline == 0] = 0.
    fill = size / np.prod(boxes[:, 2:] - boxes[:, :2], axis=1)
    mean_contrast = contrast.sum(axis=1) / np.maximum(outline, 1.)
    border = inside @ sp.border
    border_share = border / np.maximum(outline + border, 1.)
    return (distinct * fill * mean_contrast / (mean_contrast + image_contrast)
            * (1. - border_share))


def generate_proposals(image: np.ndarray,
                       max_proposals: int = 100,
                       scales: Sequence[float] = (50., 150., 400.),
                       min_area: float = 0.002,
                       max_area: float = 0.9,
                       dedup_iou: float = 0.9) -> Proposals:
    """Unsupervised segment proposals of one image (see the module docstring).

    Args:
        image: (H, W, 3) uint8 RGB.
        max_proposals: at most this many proposals are returned.
        scales: Felzenszwalb ``scale`` of each over-segmentation (for ~160-500 px images).
        min_area / max_area: kept regions cover this share of the image, bounds included.
        dedup_iou: a candidate whose mask IoU with a better-ranked one exceeds this is
            dropped.

    Returns:
        :class:`Proposals` sorted by descending score, N <= ``max_proposals``.
    """
    if max_proposals < 1:
        raise ValueError(f'max_proposals must be >= 1, got {max_proposals}')
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise ValueError(f'image must be (H, W, 3) uint8 RGB, got {image.shape} {image.dtype}')
    height, width = image.shape[:2]
    area = float(height * width)
    lab = rgb2lab(ndimage.gaussian_filter(image.astype(np.float32) / 255.,
                                          sigma=(0.8, 0.8, 0)))
    colour_bins = np.stack([
        np.clip(((lab[..., c] - lo) / (hi - lo) * COLOUR_BINS).astype(np.int64), 0,
                COLOUR_BINS - 1) for c, (lo, hi) in enumerate(LAB_RANGES)], axis=-1)
    grey = (lab[..., 0] * 2.55).astype(np.uint8)
    lbp = local_binary_pattern(grey, LBP_POINTS, 1, method='uniform').astype(np.int64)
    contrast = (np.linalg.norm(lab[:, 1:] - lab[:, :-1], axis=-1),
                np.linalg.norm(lab[1:] - lab[:-1], axis=-1))
    image_contrast = (contrast[0].sum() + contrast[1].sum()) / (
        contrast[0].size + contrast[1].size) + 1e-6

    candidates, scores = [], []
    for scale in scales:
        labels = felzenszwalb(image, scale=scale, sigma=0.8,
                              min_size=max(4, int(min_area * area / 2))).astype(np.int64)
        sp = _Superpixels(labels, colour_bins, lbp, contrast)
        for weights in STRATEGIES:
            members, boxes = _group(sp, weights, area)
            region_size = members @ sp.size
            keep = (region_size >= min_area * area) & (region_size <= max_area * area)
            scores.append(_objectness(sp, members[keep], boxes[keep], image_contrast))
            candidates.extend((labels, m) for m in members[keep])
    if not candidates:
        return empty_proposals()
    return _select(candidates, np.concatenate(scores), max_proposals, dedup_iou)


def _select(candidates: List[Tuple[np.ndarray, np.ndarray]], scores: np.ndarray,
            max_proposals: int, dedup_iou: float) -> Proposals:
    """Greedy de-duplication by descending score, up to ``max_proposals``.

    ``candidates`` are (labels (H, W), members (n,) bool) pairs; masks are only built and
    encoded, ``max_proposals`` at a time, for the candidates examined.
    """
    order = np.argsort(-scores, kind='stable')
    kept_rles, kept_scores = [], []
    for start in range(0, len(order), max_proposals):
        chunk = order[start:start + max_proposals]
        rles = encode_masks(np.stack([candidates[k][1][candidates[k][0]] for k in chunk]))
        for k, rle in zip(chunk, rles):
            if kept_rles and mask_iou([rle], kept_rles).max() > dedup_iou:
                continue
            kept_rles.append(rle)
            kept_scores.append(scores[k])
            if len(kept_rles) == max_proposals:
                return proposals_from_rles(kept_rles, np.array(kept_scores))
    return proposals_from_rles(kept_rles, np.array(kept_scores))
