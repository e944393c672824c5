"""How well the predicted masks cover the GT instances, whatever their scores."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .instance_ap import ImageInstances
from .mask_rle import mask_iou


def instance_miou(images: Sequence[ImageInstances]) -> float:
    """Mean, over every GT instance, of its best mask IoU with a prediction of its class.

    A GT instance that no prediction of its class overlaps counts 0. Unlike mAP it ignores
    the scores and duplicates: it is the mask quality of box-supervised pseudo labels (one
    mask per GT box), and the coverage of any labeler. Returns a value in [0, 1], NaN when
    no image has a GT instance.
    """
    best = []
    for image in images:
        if not len(image.gt_labels):
            continue
        ious = mask_iou(image.pred_masks, image.gt_masks)
        same = image.pred_labels[:, None] == image.gt_labels[None, :]
        best.append(np.where(same, ious, 0.0).max(axis=0, initial=0.0))
    return float(np.concatenate(best).mean()) if best else float('nan')
