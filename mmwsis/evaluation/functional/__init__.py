"""Evaluation as plain numpy/pycocotools functions."""
from .instance_ap import (DEFAULT_IOU_THRS, ImageInstances, coco_instance_ap,
                          map_percent, voc_instance_ap)
from .instance_miou import instance_miou, same_class_iou
from .mask_rle import decode_masks, encode_masks, mask_iou
from .point_hits import score_points
from .semantic import confusion_matrix, iou_per_label

__all__ = [
    'DEFAULT_IOU_THRS', 'ImageInstances', 'coco_instance_ap', 'decode_masks', 'encode_masks',
    'instance_miou',
    'map_percent', 'mask_iou', 'voc_instance_ap', 'score_points', 'confusion_matrix',
    'iou_per_label', 'same_class_iou'
]
