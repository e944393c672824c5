"""A box-supervised detector's predictions on its own training images, one per GT box."""
import numpy as np
from mmdet.structures.bbox import get_box_tensor

from mmwsis.pseudo.box_matching import match_detections_to_boxes
from mmwsis.pseudo.boxcaseg_proxy import box_pixels
from mmwsis.registry import PSEUDO_LABELERS
from ..result import PseudoLabel
from .base import BaseLabeler
from .boxcaseg import gt_boxes_and_labels, proxy_instances
from .teacher_outputs import as_numpy


@PSEUDO_LABELERS.register_module()
class BoxMatchedLabeler(BaseLabeler):
    """Instances from an mmdet instance segmenter's ``pred_instances`` and the GT boxes.

    For a detector trained on boxes (mmdet's BoxInst), the boxes are still known when it
    labels the training images. Each GT box takes the prediction of its class with the
    highest box IoU (:func:`~mmwsis.pseudo.match_detections_to_boxes`, at least
    ``min_iou``), and that prediction's mask inside the box's window; the masks are then
    merged and scored as BoxCaseg's proxy masks are (smaller boxes on top, confidence =
    IoU of the final mask's box with the GT box). A GT box that no prediction matches
    gets no mask.

    Args:
        min_iou: box IoU for a prediction to stand for a GT box (detection's 0.5).
    """

    def __init__(self, min_iou: float = 0.5) -> None:
        self.min_iou = min_iou

    def per_image(self, sample: dict) -> PseudoLabel:
        size = tuple(sample['ori_shape'])
        boxes, labels = gt_boxes_and_labels(sample)
        pred = sample['pred_instances']
        pred_masks = as_numpy(pred['masks']).astype(bool)
        if pred_masks.shape[1:] != size and len(pred_masks):
            raise ValueError(f'{sample.get("img_path")}: predicted masks of size '
                             f'{pred_masks.shape[1:]} for an image of {size}; the teacher '
                             'must predict at the original size (rescale=True)')
        match = match_detections_to_boxes(
            as_numpy(get_box_tensor(pred['bboxes'])).reshape(-1, 4),
            as_numpy(pred['labels']), boxes, labels, self.min_iou)
        masks = np.zeros((len(boxes), *size), bool)
        for index, (box, detection) in enumerate(zip(boxes, match)):
            if detection >= 0:
                x1, y1, x2, y2 = box_pixels(box, size)
                masks[index, y1:y2, x1:x2] = pred_masks[detection, y1:y2, x1:x2]
        return proxy_instances(masks, boxes, labels, size)
