"""BoxCaseg's proxy masks: one salient-head map per GT box, pasted and merged per image.

In BoxCaseg (Wang et al., CVPR 2021) the class-agnostic box-to-mask model sees each GT box
cropped exactly and resized to 320 x 320. Its salient-head probability is min-max
normalised over the crop, resized back to the box, thresholded at 0.5 and pasted into a
full-image mask (:func:`paste_box_mask`). The masks of an image are then painted in
descending box area, so that a smaller object overwrites a larger one; each instance keeps
the pixels that remain, and its confidence is the IoU between the box of that final mask
and its GT box (:func:`merge_proxy_masks`). Boxes are mmdet's ``(x1, y1, x2, y2)`` pixel
edges (a box covering pixel columns 2..5 is ``x1 = 2, x2 = 6``), so the IoU needs no
``+1`` (VOC's ``+1`` is the same thing on inclusive pixel indices).
"""
from typing import Tuple

import cv2
import numpy as np


def min_max_normalise(prob: np.ndarray) -> np.ndarray:
    """(h, w) map scaled to [0, 1] by its own minimum and maximum (all zeros if flat)."""
    prob = np.asarray(prob, dtype=np.float64)
    low, high = prob.min(), prob.max()
    if high - low <= 0:
        return np.zeros_like(prob)
    return (prob - low) / (high - low)


def box_pixels(box: np.ndarray, image_size: Tuple[int, int]) -> Tuple[int, int, int, int]:
    """The integer pixel window ``(x1, y1, x2, y2)`` (end exclusive) covering ``box``,
    clipped to the ``(H, W)`` image and at least one pixel wide and high."""
    height, width = image_size
    x1 = int(np.clip(np.floor(box[0]), 0, width - 1))
    y1 = int(np.clip(np.floor(box[1]), 0, height - 1))
    x2 = int(np.clip(np.ceil(box[2]), x1 + 1, width))
    y2 = int(np.clip(np.ceil(box[3]), y1 + 1, height))
    return x1, y1, x2, y2


def paste_box_mask(prob: np.ndarray, box: np.ndarray, image_size: Tuple[int, int],
                   threshold: float = 0.5) -> np.ndarray:
    """A full-image (H, W) bool mask from the salient map of one box crop.

    Args:
        prob: (h, w) salient-head probability of the crop (any crop resolution).
        box: (4,) ``x1, y1, x2, y2`` of the crop in the image.
        image_size: ``(H, W)``.
        threshold: on the min-max normalised map, resized to the box (bilinear).
    """
    x1, y1, x2, y2 = box_pixels(box, image_size)
    norm = min_max_normalise(prob).astype(np.float32)
    resized = cv2.resize(norm, (x2 - x1, y2 - y1), interpolation=cv2.INTER_LINEAR)
    mask = np.zeros(image_size, bool)
    mask[y1:y2, x1:x2] = resized.reshape(y2 - y1, x2 - x1) > threshold
    return mask


def mask_box(mask: np.ndarray) -> np.ndarray:
    """(4,) float ``x1, y1, x2, y2`` pixel edges of the (H, W) mask's pixels (zeros if
    empty)."""
    ys, xs = np.nonzero(mask)
    if not len(ys):
        return np.zeros(4)
    return np.array([xs.min(), ys.min(), xs.max() + 1, ys.max() + 1], dtype=np.float64)


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


def box_iou(a: np.ndarray, b: np.ndarray) -> float:
    """IoU of two ``x1, y1, x2, y2`` boxes (0 when either is empty)."""
    return float(box_iou_matrix(a, b)[0, 0])


def merge_proxy_masks(masks: np.ndarray, boxes: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """One image's per-box masks made disjoint, smaller boxes on top, with confidences.

    Args:
        masks: (N, H, W) bool, each box's pasted mask.
        boxes: (N, 4) its GT ``x1, y1, x2, y2``.

    Returns:
        ``(final, confidence)``: (N, H, W) bool disjoint masks in the input order (a mask
        may end up empty) and (N,) float64 IoU of each final mask's box with its GT box
        (0 for an empty mask).
    """
    masks = np.asarray(masks, dtype=bool)
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    owner = np.full(masks.shape[1:], -1, np.int64)
    for index in np.argsort(-areas, kind='stable'):  # largest first, painted over
        owner[masks[index]] = index
    final = owner[None] == np.arange(len(masks))[:, None, None]
    confidence = np.array([box_iou(mask_box(mask), box) if mask.any() else 0.0
                           for mask, box in zip(final, boxes)])
    return final, confidence
