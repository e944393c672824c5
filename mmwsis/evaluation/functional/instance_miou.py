"""How well the predicted masks cover the GT instances, whatever their scores."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .instance_ap import ImageInstances
from .mask_rle import mask_iou


def same_class_iou(image: ImageInstances) -> np.ndarray:
    """(P, G) mask IoU of each prediction with each GT instance, 0 across classes."""
    ious = mask_iou(image.pred_masks, image.gt_masks)
    return np.where(image.pred_labels[:, None] == image.gt_labels[None, :], ious, 0.0)


def instance_miou(images: Sequence[ImageInstances]) -> float:
    """Mean, over every GT instance, of its best mask IoU with a prediction of its class.

    A GT instance that no prediction of its class overlaps counts 0. Unlike mAP it ignores
    the scores and duplicates: it is the mask quality of box-supervised pseudo labels (one
    mask per GT box), and the coverage of any labeler. Returns a value in [0, 1], NaN when
    no image has a GT instance.
    """
    best = [same_class_iou(image).max(axis=0, initial=0.0) for image in images
            if len(image.gt_labels)]
    return float(np.concatenate(best).mean()) if best else float('nan')
