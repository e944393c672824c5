"""How well a pseudo label's confidence tells a good mask from a bad one, on train GT.

A box-supervised labeler (BoxCaseg, the box baselines) gives one mask per GT box with a
confidence (the IoU of the mask's box with the GT box). Mask R-CNN's
``ConfidenceWeightedMaskHead`` can ignore the masks below a threshold and weigh the rest.
The threshold is chosen here, from the masks of the first training images and their GT
(never val): each mask's quality is its IoU with the best GT instance of its class, a mask
is *good* at IoU >= 0.5, and the threshold kept is the one whose "confidence >= t" agrees
best with "good" (F1 over the masks; the lowest such t on ties).
"""
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.config import Config
from scipy.stats import spearmanr

from mmwsis.evaluation.functional import same_class_iou
from .pseudo_label_scores import labelled_images


def mask_quality(cfg: Config, path: str,
                 num_images: Optional[int] = None) -> Tuple[np.ndarray, np.ndarray, int]:
    """Confidence and GT IoU of every pseudo mask on the first ``num_images`` images.

    Returns ``(scores, ious, gt_count)``: (M,) float64 each, the mask's confidence and its
    IoU with the GT instance of its class it overlaps most (0 when none), and the number
    of GT instances on those images (:func:`~mmwsis.analysis.labelled_images`).
    """
    _, images = labelled_images(cfg, path, num_images)
    ious = [same_class_iou(image).max(axis=1, initial=0.0) for image in images]
    scores = [image.pred_scores for image in images]
    return (np.concatenate(scores), np.concatenate(ious),
            sum(len(image.gt_labels) for image in images))


def threshold_table(scores: np.ndarray, ious: np.ndarray, thresholds: Sequence[float],
                    good_iou: float = 0.5) -> List[Dict[str, float]]:
    """Per threshold ``t``: the share of masks kept (confidence >= t), their mean IoU,
    precision and recall of "kept" for "good" (IoU >= ``good_iou``) and its F1."""
    good = ious >= good_iou
    rows = []
    for t in thresholds:
        kept = scores >= t
        hits = int((kept & good).sum())
        precision = hits / kept.sum() if kept.any() else 0.0
        recall = hits / good.sum() if good.any() else 0.0
        f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
        rows.append(dict(threshold=float(t), kept=float(kept.mean()) if len(kept) else 0.0,
                         mean_iou=float(ious[kept].mean()) if kept.any() else 0.0,
                         precision=float(precision), recall=float(recall), f1=float(f1)))
    return rows


def chosen_threshold(rows: List[Dict[str, float]]) -> float:
    """The threshold of the best F1 (the lowest one on ties)."""
    best = max(row['f1'] for row in rows)
    return min(row['threshold'] for row in rows if row['f1'] == best)


def rank_correlation(scores: np.ndarray, ious: np.ndarray) -> float:
    """Spearman's rank correlation of confidence and IoU (0 when either is constant)."""
    if len(scores) < 2 or np.ptp(scores) == 0 or np.ptp(ious) == 0:
        return 0.0
    return float(spearmanr(scores, ious)[0])
