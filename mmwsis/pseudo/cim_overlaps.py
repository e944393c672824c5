"""What CIM reads about each image's proposals: how they overlap and their 7x7 shape.

All on pycocotools RLEs, so that thousands of full-resolution proposals (COB's 4096 on a
VOC image) never have to be decoded at once.
"""
from typing import Sequence, Tuple

import numpy as np
from pycocotools import mask as mask_utils


def proposal_overlaps(rles: Sequence[dict]) -> Tuple[np.ndarray, np.ndarray]:
    """Mask IoU and containment between every pair of one image's proposals.

    Args:
        rles: R pycocotools RLEs of one image.

    Returns:
        ``iou`` (R, R) float32, ``iou[i, j] = |m_i & m_j| / |m_i | m_j|``, and
        ``containment`` (R, R) float32, ``containment[i, j] = |m_i & m_j| / |m_j|``: how
        much of ``j`` lies inside ``i`` (CIM's asymmetric IoU). Empty masks give 0.
    """
    num = len(rles)
    if num == 0:
        empty = np.zeros((0, 0), np.float32)
        return empty, empty.copy()
    rles = list(rles)
    iou = np.asarray(mask_utils.iou(rles, rles, [0] * num), dtype=np.float32)
    # pycocotools' crowd IoU of (d, g) is |d & g| / |d|: the transpose of containment.
    inside = np.asarray(mask_utils.iou(rles, rles, [1] * num), dtype=np.float32).T
    return iou, np.ascontiguousarray(inside)


def box_cropped_masks(rles: Sequence[dict], boxes: np.ndarray, size: int = 7,
                      chunk: int = 256) -> np.ndarray:
    """Each proposal's mask cropped to its box and sampled on a ``size`` x ``size`` grid.

    Nearest-neighbour at the centre of each grid cell, as CIM's 7x7 masks (which the
    ``MaskFuse`` head multiplies into its RoI features).

    Args:
        rles: R RLEs of one image.
        boxes: (R, 4) ``x1, y1, x2, y2`` in pixels, exclusive right/bottom.
        size: the grid side.
        chunk: proposals decoded at a time (memory is ``chunk * H * W`` bytes).

    Returns:
        (R, size, size) float32 in {0, 1}.
    """
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    if len(rles) != len(boxes):
        raise ValueError(f'{len(rles)} masks and {len(boxes)} boxes')
    out = np.zeros((len(boxes), size, size), np.float32)
    if not len(boxes):
        return out
    height, width = rles[0]['size']
    centres = (np.arange(size) + 0.5) / size
    xs = boxes[:, :1] + centres[None] * (boxes[:, 2:3] - boxes[:, :1])
    ys = boxes[:, 1:2] + centres[None] * (boxes[:, 3:4] - boxes[:, 1:2])
    xs = np.clip(np.floor(xs), 0, width - 1).astype(np.int64)
    ys = np.clip(np.floor(ys), 0, height - 1).astype(np.int64)
    for start in range(0, len(boxes), chunk):
        stop = min(start + chunk, len(boxes))
        masks = mask_utils.decode(list(rles[start:stop])).transpose(2, 0, 1)
        rows = np.arange(stop - start)[:, None, None]
        out[start:stop] = masks[rows, ys[start:stop, :, None], xs[start:stop, None, :]]
    return out
