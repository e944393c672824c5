"""Instance-segmentation AP at several mask-IoU thresholds (mAP^r_tau), two ways.

* :func:`voc_instance_ap`: chainercv's ``eval_instance_segmentation_voc``
  (``use_07_metric=False``), used by IRN and BESTIE. Each prediction is judged against
  its single best-IoU GT of its class (no fall-back to the second best) and AP is the
  area under the all-points precision envelope.
* :func:`coco_instance_ap`: pycocotools ``COCOeval('segm')`` with custom IoU
  thresholds, used by CIM. Matching falls back to the best *unmatched* GT, and AP is
  the 101-point interpolated precision, with at most ``max_dets`` detections per image
  and class.

Both return ``{'ap': (T, C), 'map': (T,), 'num_gt': (C,), 'num_pred': (C,),
'iou_thrs': (T,)}``. AP is NaN for a class with no GT, and ``map`` is the mean over
the other classes. Void pixels belong to no GT mask, so predicted pixels on void
count in the union.
"""
from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

from .mask_rle import mask_iou

DEFAULT_IOU_THRS = (0.25, 0.5, 0.7, 0.75)


@dataclass(frozen=True, eq=False)
class ImageInstances:
    """Predicted and ground-truth instances of one image.

    Attributes:
        pred_masks: P RLEs (see :func:`encode_masks`).
        pred_labels: (P,) int64, 0-based class of each prediction.
        pred_scores: (P,) float64 confidence of each prediction.
        gt_masks: G RLEs; void pixels are in none of them.
        gt_labels: (G,) int64, 0-based class of each GT instance.
    """

    pred_masks: Sequence[dict]
    pred_labels: np.ndarray
    pred_scores: np.ndarray
    gt_masks: Sequence[dict]
    gt_labels: np.ndarray

    def __post_init__(self) -> None:
        for name, dtype in (('pred_labels', np.int64), ('pred_scores', np.float64),
                            ('gt_labels', np.int64)):
            array = np.asarray(getattr(self, name), dtype=dtype)
            if array.ndim != 1:
                raise ValueError(f'{name} must be 1-D, got shape {array.shape}')
            object.__setattr__(self, name, array)
        num_pred = len(self.pred_masks)
        if len(self.pred_labels) != num_pred or len(self.pred_scores) != num_pred:
            raise ValueError('pred_masks, pred_labels and pred_scores differ in length')
        if len(self.gt_labels) != len(self.gt_masks):
            raise ValueError('gt_masks and gt_labels differ in length')


def _check_inputs(images: Sequence[ImageInstances], num_classes: int,
                  iou_thrs: Sequence[float]) -> np.ndarray:
    """Validate labels and thresholds; return the thresholds as a (T,) array."""
    thrs = np.asarray(iou_thrs, dtype=np.float64).reshape(-1)
    if thrs.size == 0 or np.any((thrs < 0) | (thrs > 1)):
        raise ValueError(f'iou_thrs must be non-empty and in [0, 1], got {iou_thrs}')
    for image in images:
        for labels in (image.pred_labels, image.gt_labels):
            if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
                raise ValueError(f'labels must be in [0, {num_classes}), got '
                                 f'{labels.min()}..{labels.max()}')
    return thrs


def _count_per_class(images: Sequence[ImageInstances], num_classes: int,
                     field: str) -> np.ndarray:
    """(C,) int64 number of instances per class in ``pred_labels`` or ``gt_labels``."""
    counts = np.zeros(num_classes, dtype=np.int64)
    for image in images:
        counts += np.bincount(getattr(image, field), minlength=num_classes)
    return counts


def _result(ap: np.ndarray, thrs: np.ndarray, num_gt: np.ndarray,
            num_pred: np.ndarray) -> dict[str, np.ndarray]:
    """Pack (T, C) AP into the result dict; ``map`` is NaN when every class is NaN."""
    has_gt = ~np.isnan(ap)
    counted = has_gt.sum(axis=1)
    total = np.where(has_gt, ap, 0.0).sum(axis=1)
    mean = np.divide(total, counted, out=np.full(len(thrs), np.nan), where=counted > 0)
    return dict(ap=ap, map=mean, num_gt=num_gt, num_pred=num_pred, iou_thrs=thrs)


def _best_gt_per_prediction(
        images: Sequence[ImageInstances]) -> tuple[np.ndarray, np.ndarray]:
    """For each prediction, its best same-class GT (dataset-wide id) and that IoU.

    Returns:
        best_gt: (N,) int64 index into the concatenated GTs of all images; only
            meaningful where ``best_iou >= 0``.
        best_iou: (N,) float64 IoU with that GT, or -1 when the image has no GT of
            the prediction's class. N is the total number of predictions.
    """
    best_gt, best_iou = [np.zeros(0, dtype=np.int64)], [np.zeros(0)]
    gt_offset = 0
    for image in images:
        num_pred, num_gt = len(image.pred_masks), len(image.gt_masks)
        if num_gt == 0:
            best_gt.append(np.zeros(num_pred, dtype=np.int64))
            best_iou.append(np.full(num_pred, -1.0))
            continue
        same_class = image.pred_labels[:, None] == image.gt_labels[None, :]
        ious = np.where(same_class, mask_iou(image.pred_masks, image.gt_masks), -1.0)
        index = ious.argmax(axis=1)  # first GT among ties, as chainercv
        best_gt.append(index + gt_offset)
        best_iou.append(ious[np.arange(num_pred), index])
        gt_offset += num_gt
    return np.concatenate(best_gt), np.concatenate(best_iou)


def _envelope_ap(precision: np.ndarray, recall: np.ndarray) -> np.ndarray:
    """All-points (VOC2010+) AP under the precision envelope.

    Args:
        precision: (T, D) cumulative precision in score order.
        recall: (T, D) cumulative recall in score order.

    Returns:
        (T,) AP; 0 when D == 0.
    """
    num_thrs = precision.shape[0]
    zeros, ones = np.zeros((num_thrs, 1)), np.ones((num_thrs, 1))
    mrec = np.concatenate([zeros, recall, ones], axis=1)
    mpre = np.concatenate([zeros, precision, zeros], axis=1)
    envelope = np.flip(np.maximum.accumulate(np.flip(mpre, axis=1), axis=1), axis=1)
    return (np.diff(mrec, axis=1) * envelope[:, 1:]).sum(axis=1)


def map_percent(result: dict) -> dict[str, float]:
    """``{'mAP25': ..., 'mAP50': ...}`` in % from a :func:`voc_instance_ap` or
    :func:`coco_instance_ap` result, one key per IoU threshold."""
    return {f'mAP{int(round(t * 100))}': float(m * 100)
            for t, m in zip(result['iou_thrs'], result['map'])}


def voc_instance_ap(images: Sequence[ImageInstances],
                    num_classes: int,
                    iou_thrs: Sequence[float] = DEFAULT_IOU_THRS
                    ) -> dict[str, np.ndarray]:
    """chainercv-style VOC instance AP (continuous, all points) per class and threshold.

    Per image and class, predictions are taken by descending score; each one looks only
    at the GT of its class with the highest IoU (first one on ties). It is a TP iff
    that IoU >= tau and that GT is not yet matched, else an FP (duplicates included).
    Per class over the dataset, predictions are sorted by descending score (stable in
    image order, then prediction order) and AP is the area under the precision
    envelope. IoUs are computed once per image and shared by all thresholds.

    Args:
        images: one record per image.
        num_classes: C; labels are in [0, C).
        iou_thrs: T IoU thresholds in [0, 1].

    Returns:
        ``ap`` (T, C) float64 (0 for a class with GT and no prediction, NaN for a class
        without GT), ``map`` (T,) mean over non-NaN classes, ``num_gt`` (C,) and
        ``num_pred`` (C,) int64, ``iou_thrs`` (T,).
    """
    thrs = _check_inputs(images, num_classes, iou_thrs)
    num_gt = _count_per_class(images, num_classes, 'gt_labels')
    num_pred = _count_per_class(images, num_classes, 'pred_labels')
    best_gt, best_iou = _best_gt_per_prediction(images)
    labels = np.concatenate([np.zeros(0, np.int64)] + [i.pred_labels for i in images])
    scores = np.concatenate([np.zeros(0)] + [i.pred_scores for i in images])

    # One stable global order serves both the per-image greedy matching (restricted to
    # one image it is that image's descending-score order) and the per-class ranking.
    order = np.argsort(-scores, kind='stable')
    labels, best_gt, best_iou = labels[order], best_gt[order], best_iou[order]
    is_tp = np.zeros((len(thrs), len(order)), dtype=bool)
    for t, thr in enumerate(thrs):
        candidates = np.flatnonzero(best_iou >= thr)
        # A GT goes to the first candidate that points at it; later ones are duplicates.
        _, first = np.unique(best_gt[candidates], return_index=True)
        is_tp[t, candidates[first]] = True

    ap = np.full((len(thrs), num_classes), np.nan)
    for c in np.flatnonzero(num_gt):
        tp = np.cumsum(is_tp[:, labels == c], axis=1)
        ranks = np.arange(1, tp.shape[1] + 1)
        ap[:, c] = _envelope_ap(tp / ranks, tp / num_gt[c])
    return _result(ap, thrs, num_gt, num_pred)


def _image_size(image: ImageInstances) -> tuple[int, int]:
    """(H, W) of an image from any of its RLEs; (0, 0) when it has none."""
    for rles in (image.gt_masks, image.pred_masks):
        if len(rles):
            height, width = rles[0]['size']
            return int(height), int(width)
    return 0, 0


def _in_memory_coco(images: Sequence[ImageInstances], num_classes: int,
                    annotations: list[dict]) -> COCO:
    """A pycocotools COCO index over images 1..len(images) and categories 1..C."""
    coco = COCO()
    image_infos = []
    for image_id, image in enumerate(images, start=1):
        height, width = _image_size(image)
        image_infos.append(dict(id=image_id, height=height, width=width))
    coco.dataset = dict(
        images=image_infos,
        categories=[dict(id=c + 1, name=str(c)) for c in range(num_classes)],
        annotations=annotations)
    coco.createIndex()
    return coco


def _coco_annotations(images: Sequence[ImageInstances], prefix: str) -> list[dict]:
    """COCO annotations of ``prefix`` ('gt' or 'pred'); ids start at 1 (0 = none)."""
    annotations = []
    for image_id, image in enumerate(images, start=1):
        rles = getattr(image, f'{prefix}_masks')
        if len(rles) == 0:
            continue
        areas = mask_utils.area(list(rles))
        labels = getattr(image, f'{prefix}_labels')
        for k, rle in enumerate(rles):
            annotation = dict(id=len(annotations) + 1, image_id=image_id,
                              category_id=int(labels[k]) + 1, segmentation=rle,
                              area=float(areas[k]), iscrowd=0)
            if prefix == 'pred':
                annotation['score'] = float(image.pred_scores[k])
            annotations.append(annotation)
    return annotations


def coco_instance_ap(images: Sequence[ImageInstances],
                     num_classes: int,
                     iou_thrs: Sequence[float] = DEFAULT_IOU_THRS,
                     max_dets: int = 100) -> dict[str, np.ndarray]:
    """CIM-style instance AP with pycocotools ``COCOeval('segm')``.

    ``params.iouThrs = iou_thrs`` and ``params.maxDets = [1, 10, max_dets]``; AP of
    class k at threshold t is the mean of ``eval['precision'][t, :, k, all, max_dets]``
    over entries > -1 (101 recall points), NaN if there are none. Only the 'all' area
    range is evaluated (the others do not change it). COCOeval keeps the ``max_dets``
    best detections per image *and class*; a per-image top-k is the caller's business.
    Everything is built in memory and COCOeval's prints are silenced.

    Args:
        images: one record per image.
        num_classes: C; labels are in [0, C).
        iou_thrs: T IoU thresholds in [0, 1].
        max_dets: detections kept per image and class.

    Returns:
        The same keys as :func:`voc_instance_ap`.
    """
    thrs = _check_inputs(images, num_classes, iou_thrs)
    if max_dets < 1:
        raise ValueError(f'max_dets must be >= 1, got {max_dets}')
    num_gt = _count_per_class(images, num_classes, 'gt_labels')
    num_pred = _count_per_class(images, num_classes, 'pred_labels')
    with contextlib.redirect_stdout(io.StringIO()):
        coco_gt = _in_memory_coco(images, num_classes, _coco_annotations(images, 'gt'))
        coco_dt = _in_memory_coco(images, num_classes,
                                  _coco_annotations(images, 'pred'))
        evaluator = COCOeval(coco_gt, coco_dt, iouType='segm')
        evaluator.params.iouThrs = thrs
        evaluator.params.maxDets = [1, 10, max_dets]
        evaluator.params.areaRng = [[0, 1e5**2]]
        evaluator.params.areaRngLbl = ['all']
        evaluator.evaluate()
        evaluator.accumulate()
    # COCOeval sorts params.maxDets, so max_dets is not always the last entry.
    max_dets_index = evaluator.params.maxDets.index(max_dets)
    precision = evaluator.eval['precision'][:, :, :, 0, max_dets_index]  # (T, R, C)
    valid = precision > -1
    counted = valid.sum(axis=1)
    total = np.where(valid, precision, 0.0).sum(axis=1)
    ap = np.divide(total, counted, out=np.full(total.shape, np.nan), where=counted > 0)
    return _result(ap, thrs, num_gt, num_pred)
