"""One detection per GT box: how a box-supervised detector's predictions on the training
images become pseudo labels (mmdet's BoxInst, run on the boxes it was trained on)."""
import numpy as np


def box_iou_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N, M) IoU of (N, 4) and (M, 4) ``x1, y1, x2, y2`` boxes (0 for empty ones)."""
    a = np.asarray(a, np.float64).reshape(-1, 4)
    b = np.asarray(b, np.float64).reshape(-1, 4)
    width = (np.minimum(a[:, None, 2], b[None, :, 2]) -
             np.maximum(a[:, None, 0], b[None, :, 0])).clip(0)
    height = (np.minimum(a[:, None, 3], b[None, :, 3]) -
              np.maximum(a[:, None, 1], b[None, :, 1])).clip(0)
    inter = width * height
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a[:, None] + area_b[None, :] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def match_detections_to_boxes(pred_boxes: np.ndarray, pred_labels: np.ndarray,
                              gt_boxes: np.ndarray, gt_labels: np.ndarray,
                              min_iou: float = 0.5) -> np.ndarray:
    """The detection of each GT box: its class's prediction of the highest box IoU.

    Args:
        pred_boxes, pred_labels: (P, 4) and (P,) predictions.
        gt_boxes, gt_labels: (G, 4) and (G,) GT boxes.
        min_iou: below it a GT box has no detection (0.5, detection's usual match); a
            detection that does not overlap the box never matches it.

    Returns:
        (G,) int64 index into the predictions, -1 where none matches. A prediction may
        serve two GT boxes (touching objects of one class); the labeler's merge then
        splits the pixels between them.
    """
    pred_labels = np.asarray(pred_labels).reshape(-1)
    gt_labels = np.asarray(gt_labels).reshape(-1)
    ious = box_iou_matrix(gt_boxes, pred_boxes)
    ious[gt_labels[:, None] != pred_labels[None, :]] = 0.0
    if not ious.shape[1]:
        return np.full(len(gt_labels), -1, np.int64)
    best = ious.argmax(axis=1)
    best_iou = ious[np.arange(len(best)), best]
    return np.where((best_iou >= min_iou) & (best_iou > 0), best, -1).astype(np.int64)
