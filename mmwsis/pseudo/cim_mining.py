"""CIM's online pseudo labels of one refinement branch (SEEDS.md §4 (c)).

Plain functions on one image's arrays: the teacher calls them with detached scores at
every iteration. Proposal scores are (R, C + 1) with the background in column 0; the
image labels, peaks and mined instances use class indices ``0..C-1`` (column ``c + 1``).
"""
from dataclasses import dataclass
from typing import Optional, Sequence, Tuple

import numpy as np
from mmcv.ops import nms


@dataclass
class MinedInstances:
    """The pseudo ground truth of one image: proposals, their classes and weights.

    Attributes:
        index: (G,) int64 proposal indices, unique.
        label: (G,) int64 class in ``[0, C)``.
        weight: (G,) float32, the proposal's class score times its detection score.
    """

    index: np.ndarray
    label: np.ndarray
    weight: np.ndarray

    def __len__(self) -> int:
        return len(self.index)


@dataclass
class BranchTargets:
    """What one refinement branch is trained towards, per proposal.

    Attributes:
        labels: (R, C + 1) float32 one-hot (column 0 background); all-zero: ignored.
        weights: (R,) float32, the weight of the pseudo GT a proposal was given by.
        integrity: (R,) float32 in {0, 1}: whether the proposal's IoU with its pseudo GT
            exceeds the branch's IoU threshold (the integrity head's target).
        foreground: (R,) bool, proposals labelled with an object class.
    """

    labels: np.ndarray
    weights: np.ndarray
    integrity: np.ndarray
    foreground: np.ndarray


def big_proposals(containment: np.ndarray, con_thr: float = 0.85,
                  share: float = 0.9) -> np.ndarray:
    """(R,) bool: proposals that contain almost all others (``containment > con_thr``
    for at least ``share`` of the R proposals), e.g. a whole-image segment."""
    num = len(containment)
    return (containment > con_thr).sum(axis=1) >= share * num


def mask_nms(order: np.ndarray, iou: np.ndarray, thr: float) -> np.ndarray:
    """Greedy NMS over proposals visited in ``order``: a proposal is dropped when its
    mask IoU with an already kept one exceeds ``thr``. Returns the kept indices."""
    kept = []
    for i in order:
        if all(iou[i, j] <= thr for j in kept):
            kept.append(int(i))
    return np.asarray(kept, dtype=np.int64)


def mine_complete_instances(cls_scores: np.ndarray, det_scores: np.ndarray,
                            image_labels: Sequence[int], iou: np.ndarray,
                            containment: np.ndarray, cls_thr: float,
                            seed_share: float = 0.1, con_thr: float = 0.85,
                            complete: bool = True) -> MinedInstances:
    """Seeds by class score, then for each the most detectable proposal containing it.

    For each image-label class ``c``: the top ``ceil(seed_share * R)`` proposals by
    class score, thinned by mask-IoU NMS at ``cls_thr``, are seeds. Each seed ``s`` is
    replaced by the proposal of highest detection score among those that contain it
    (``containment[r, s] > con_thr``) and are not :func:`big_proposals`; a seed no such
    proposal contains is dropped. Each mined proposal gets class ``c`` with weight
    ``cls * det``, unless it already holds a class of higher weight. With ``complete``
    off (the ablation of the mining step: PCL / OICR-style top-scoring seeds), the seeds
    themselves are the pseudo GT.

    Args:
        cls_scores, det_scores: (R, C + 1) the branch's inputs (the MIL branch's class
            and detection softmaxes for the first refinement, the previous refinement's
            class scores and integrity scores after it).
        image_labels: the classes present, in ``[0, C)``.
        iou, containment: (R, R) from :func:`~mmwsis.pseudo.proposal_overlaps`.
        cls_thr: the seed NMS threshold (CIM: 0.25 + 0.1 k for branch k).
        seed_share: share of the proposals taken as seed candidates (0.1, CIM's).
        con_thr: containment for "contains" (0.85, CIM's).
        complete: replace each seed by the complete instance containing it (CIM's).
    """
    num = len(cls_scores)
    best_label, best_weight = {}, {}
    if num == 0:
        return _instances(best_label, best_weight)
    big = big_proposals(containment, con_thr)
    top = int(np.ceil(seed_share * num))
    for label in sorted(set(int(c) for c in image_labels)):
        a, b = cls_scores[:, label + 1], det_scores[:, label + 1]
        order = np.argsort(-a, kind='stable')[:top]
        for seed in mask_nms(order, iou, cls_thr):
            if complete:
                candidates = np.flatnonzero((containment[:, seed] > con_thr) & ~big)
                if not len(candidates):
                    continue
                chosen = int(candidates[np.argmax(b[candidates])])
            else:
                chosen = int(seed)
            weight = float(a[chosen] * b[chosen])
            if weight > best_weight.get(chosen, -np.inf):
                best_label[chosen], best_weight[chosen] = label, weight
    return _instances(best_label, best_weight)


def _instances(labels: dict, weights: dict) -> MinedInstances:
    index = np.asarray(sorted(labels), dtype=np.int64)
    return MinedInstances(index, np.asarray([labels[i] for i in index], dtype=np.int64),
                          np.asarray([weights[i] for i in index], dtype=np.float32))


def sample_by_weight(instances: MinedInstances,
                     rng: np.random.Generator) -> MinedInstances:
    """CIM's anti-noise sampling: per class, draw as many instances as it has, with
    replacement and probability proportional to weight; keep those drawn (once each).
    A class whose weights are all zero is drawn uniformly."""
    keep = []
    for label in np.unique(instances.label):
        members = np.flatnonzero(instances.label == label)
        weights = instances.weight[members].astype(np.float64)
        prob = weights / weights.sum() if weights.sum() > 0 else None
        keep.extend(np.unique(rng.choice(members, size=len(members), p=prob)))
    keep = np.sort(np.asarray(keep, dtype=np.int64))
    return MinedInstances(instances.index[keep], instances.label[keep],
                          instances.weight[keep])


def propagate_to_proposals(instances: MinedInstances, iou: np.ndarray, big: np.ndarray,
                           num_classes: int, cls_thr: float,
                           iou_thr: float) -> BranchTargets:
    """Label every proposal after the pseudo GT it overlaps most.

    ``u_r = max_g iou[r, g]``: 0 -> ignored; below ``cls_thr`` -> background; otherwise
    the class of that pseudo GT. :func:`big_proposals` are background. Weights are the
    pseudo GT's (background included); the integrity target is ``u_r > iou_thr``.
    """
    num = len(iou)
    labels = np.zeros((num, num_classes + 1), np.float32)
    weights = np.zeros(num, np.float32)
    integrity = np.zeros(num, np.float32)
    if num == 0 or not len(instances):
        return BranchTargets(labels, weights, integrity, np.zeros(num, bool))
    overlap = iou[:, instances.index]
    nearest = overlap.argmax(axis=1)
    best = overlap[np.arange(num), nearest]
    classes = np.where(best < cls_thr, 0, instances.label[nearest] + 1)
    classes[big] = 0
    labelled = best > 0
    labels[np.flatnonzero(labelled), classes[labelled]] = 1.0
    weights[labelled] = instances.weight[nearest[labelled]]
    integrity[labelled] = (best[labelled] > iou_thr).astype(np.float32)
    return BranchTargets(labels, weights, integrity, labelled & (classes > 0))


def branch_targets(cls_scores: np.ndarray, det_scores: np.ndarray,
                   image_labels: Sequence[int], iou: np.ndarray, containment: np.ndarray,
                   branch: int, rng: Optional[np.random.Generator] = None,
                   seed_share: float = 0.1, con_thr: float = 0.85,
                   complete: bool = True) -> BranchTargets:
    """The targets of refinement branch ``branch`` (k = 0, 1, 2) of one image.

    Thresholds as CIM's: ``cls_thr = 0.25 + 0.1 k`` (also the seed NMS), ``iou_thr =
    0.5 + 0.1 k``. With ``rng``, the mined instances are thinned by
    :func:`sample_by_weight` (training); without, all are used. ``complete``: as
    :func:`mine_complete_instances`.
    """
    cls_thr, iou_thr = 0.25 + 0.1 * branch, 0.5 + 0.1 * branch
    mined = mine_complete_instances(cls_scores, det_scores, image_labels, iou, containment,
                                    cls_thr, seed_share, con_thr, complete)
    if rng is not None and len(mined):
        mined = sample_by_weight(mined, rng)
    return propagate_to_proposals(mined, iou, big_proposals(containment, con_thr),
                                  cls_scores.shape[1] - 1, cls_thr, iou_thr)


def select_detections(scores: np.ndarray, boxes: np.ndarray, image_labels: Sequence[int],
                      score_thr: float = 1e-5, nms_iou: float = 0.3,
                      max_per_image: int = 100) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CIM's detections of one image: per image-label class, proposals scored above
    ``score_thr``, box NMS at ``nms_iou`` (mmcv's), then the ``max_per_image`` best.

    Args:
        scores: (R, C + 1) test scores (background column 0).
        boxes: (R, 4) ``x1, y1, x2, y2``.

    Returns:
        ``index`` (D,) proposal indices, ``labels`` (D,) classes, ``scores`` (D,), best
        first (a proposal may be kept for two classes).
    """
    index, labels, kept_scores = [], [], []
    boxes = np.asarray(boxes, dtype=np.float32).reshape(-1, 4)
    for label in sorted(set(int(c) for c in image_labels)):
        column = np.asarray(scores[:, label + 1], dtype=np.float32)
        candidates = np.flatnonzero(column > score_thr)
        if not len(candidates):
            continue
        _, keep = nms(boxes[candidates], column[candidates], nms_iou)
        keep = candidates[np.asarray(keep, dtype=np.int64)]
        index.append(keep)
        labels.append(np.full(len(keep), label, np.int64))
        kept_scores.append(column[keep].astype(np.float64))
    if not index:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    index, labels, kept_scores = map(np.concatenate, (index, labels, kept_scores))
    order = np.argsort(-kept_scores, kind='stable')[:max_per_image]
    return index[order], labels[order], kept_scores[order]
