"""One detection per GT box: how a box-supervised detector's predictions on the training
images become pseudo labels (mmdet's BoxInst, run on the boxes it was trained on)."""
import numpy as np

from .boxcaseg_proxy import box_iou_matrix


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
