"""Pseudo-label fusion: the instances of several teachers' pseudo labels of one image,
matched across teachers and merged by pixel vote. Plain functions on arrays."""
import math
from typing import List, Sequence, Tuple

import numpy as np

Instances = Tuple[np.ndarray, np.ndarray, np.ndarray]  # (M, H, W) bool, (M,) int, (M,) float


def _iou(mask: np.ndarray, others: np.ndarray) -> np.ndarray:
    """IoU of an (H, W) mask with each of (N, H, W) masks."""
    inter = (others & mask).sum(axis=(1, 2))
    union = (others | mask).sum(axis=(1, 2))
    return np.where(union > 0, inter / np.maximum(union, 1), 0.0)


def match_across_sources(sources: Sequence[Instances], match_iou: float) -> List[List[tuple]]:
    """Group the instances of K sources into clusters of at most one instance per source.

    Instances are taken in descending score (ties: source order, then index); each one not
    yet grouped starts a cluster, which takes from every other source its ungrouped
    instance of the same class with the highest mask IoU with the seed, if that IoU is at
    least ``match_iou``.

    Returns:
        Clusters, each a list of ``(source index, instance index)``, seed first.
    """
    order = sorted(((-float(scores[i]), k, i) for k, (_, _, scores) in enumerate(sources)
                    for i in range(len(scores))))
    grouped = [np.zeros(len(labels), bool) for _, labels, _ in sources]
    clusters = []
    for _, k, i in order:
        if grouped[k][i]:
            continue
        grouped[k][i] = True
        seed_mask, seed_label = sources[k][0][i], sources[k][1][i]
        cluster = [(k, i)]
        for other, (masks, labels, _) in enumerate(sources):
            if other == k:
                continue
            candidates = np.nonzero((labels == seed_label) & ~grouped[other])[0]
            if not len(candidates):
                continue
            ious = _iou(seed_mask, masks[candidates])
            best = int(np.argmax(ious))
            if ious[best] >= match_iou:
                grouped[other][candidates[best]] = True
                cluster.append((other, int(candidates[best])))
        clusters.append(cluster)
    return clusters


def fuse_instances(sources: Sequence[Instances], match_iou: float = 0.5,
                   min_agreement: float = 0.5) -> Instances:
    """One image's instances from K sources' instances, by matching and pixel vote.

    Each cluster of :func:`match_across_sources` becomes one instance of its class: the
    pixels that at least ``ceil(min_agreement * K)`` of its members cover (so a cluster
    with fewer members than that vanishes). Its score is the agreement: the share of the
    K sources in the cluster times the members' mean IoU with the fused mask, in [0, 1].

    Args:
        sources: K tuples of (M_k, H, W) bool masks, (M_k,) int labels, (M_k,) scores, one
            image's pseudo labels from each teacher.
        match_iou: the mask IoU at which instances of two sources are the same object.
        min_agreement: the share of the K sources a pixel needs (0.5 with two sources: the
            union of a matched pair; 1.0: the intersection of all).

    Returns:
        (N, H, W) bool masks, (N,) int64 labels, (N,) float64 scores, highest score first;
        empty masks dropped.
    """
    if not sources:
        raise ValueError('fusion needs at least one source')
    if not 0 < min_agreement <= 1:
        raise ValueError(f'min_agreement must lie in (0, 1], got {min_agreement}')
    sizes = {masks.shape[1:] for masks, _, _ in sources}
    if len(sizes) > 1:
        raise ValueError(f'the sources\' masks differ in size: {sorted(sizes)}')
    size = sizes.pop()
    votes_needed = math.ceil(min_agreement * len(sources) - 1e-9)
    fused, labels, scores = [], [], []
    for cluster in match_across_sources(sources, match_iou):
        members = np.stack([sources[k][0][i] for k, i in cluster])
        mask = members.sum(axis=0) >= votes_needed
        if not mask.any():
            continue
        fused.append(mask)
        labels.append(int(sources[cluster[0][0]][1][cluster[0][1]]))
        scores.append(len(cluster) / len(sources) * float(_iou(mask, members).mean()))
    order = np.argsort(-np.asarray(scores), kind='stable')
    masks = np.stack(fused)[order] if fused else np.zeros((0, *size), bool)
    return (masks, np.asarray(labels, np.int64)[order],
            np.asarray(scores, np.float64)[order])
