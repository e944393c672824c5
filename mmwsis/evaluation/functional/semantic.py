"""Semantic-segmentation confusion and mIoU (for CAMs and semantic pseudo labels)."""
import numpy as np

IGNORE = 255


def confusion_matrix(pred: np.ndarray, gt: np.ndarray, num_labels: int) -> np.ndarray:
    """(L, L) pixel counts ``[gt, pred]`` over pixels where neither is 255.

    Args:
        pred, gt: (H, W) int maps with values in [0, num_labels) or 255.
    """
    valid = (gt != IGNORE) & (pred != IGNORE)
    index = gt[valid].astype(np.int64) * num_labels + pred[valid].astype(np.int64)
    return np.bincount(index, minlength=num_labels**2).reshape(num_labels, num_labels)


def iou_per_label(confusion: np.ndarray) -> np.ndarray:
    """(L,) IoU of each label; NaN for labels absent from both prediction and GT."""
    tp = np.diag(confusion).astype(np.float64)
    union = confusion.sum(0) + confusion.sum(1) - tp
    with np.errstate(invalid='ignore', divide='ignore'):
        return np.where(union > 0, tp / union, np.nan)
