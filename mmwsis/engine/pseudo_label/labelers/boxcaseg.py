"""BoxCaseg's labeler: proxy masks from its per-box salient maps."""
from typing import Tuple

import numpy as np
from mmdet.structures.bbox import get_box_tensor

from mmwsis.pseudo.boxcaseg_proxy import merge_proxy_masks, paste_box_mask
from mmwsis.registry import PSEUDO_LABELERS
from ..result import PseudoLabel
from .base import BaseLabeler
from .teacher_outputs import as_numpy


def gt_boxes_and_labels(sample: dict) -> Tuple[np.ndarray, np.ndarray]:
    """(N, 4) float GT boxes and (N,) int64 classes of a box-supervised sample."""
    instances = sample['gt_instances']
    boxes = as_numpy(get_box_tensor(instances['bboxes'])).reshape(-1, 4)
    return boxes, as_numpy(instances['labels']).astype(np.int64)


def proxy_instances(masks: np.ndarray, boxes: np.ndarray, labels: np.ndarray,
                    image_size: Tuple[int, int]) -> PseudoLabel:
    """One image's (N, H, W) per-box masks made disjoint (smaller boxes on top) and scored
    by box IoU (:func:`~mmwsis.pseudo.merge_proxy_masks`); masks left empty are dropped."""
    final, confidence = merge_proxy_masks(masks, boxes)
    keep = final.any(axis=(1, 2))
    return PseudoLabel.instances(final[keep], labels[keep], confidence[keep],
                                 image_size=image_size)


@PSEUDO_LABELERS.register_module()
class BoxCasegLabeler(BaseLabeler):
    """Instances from :class:`~mmwsis.models.teachers.BoxCaseg` outputs.

    Reads ``<head>_probs`` (N, s, s), one head's map of each GT box's crop, and the sample's
    GT boxes and classes (``gt_instances``, box supervision: the image at its original
    size). Each map is pasted back into its box (:func:`~mmwsis.pseudo.paste_box_mask`,
    min-max normalised, above ``threshold``), the image's masks are made disjoint with the
    smaller boxes on top and scored by the IoU of their box with the GT box
    (:func:`~mmwsis.pseudo.merge_proxy_masks`); masks left empty are dropped.

    Args:
        threshold: BoxCaseg's 0.5.
        head: the head whose maps become the masks: ``'salient'`` (BoxCaseg's) or
            ``'weak'`` (the box head, the only one a model trained on boxes alone has).
    """

    HEADS = ('salient', 'weak')

    def __init__(self, threshold: float = 0.5, head: str = 'salient') -> None:
        if head not in self.HEADS:
            raise ValueError(f'head must be one of {self.HEADS}, got {head!r}')
        self.threshold, self.head = threshold, head

    def per_image(self, sample: dict) -> PseudoLabel:
        size = tuple(sample['ori_shape'])
        boxes, labels = gt_boxes_and_labels(sample)
        probs = as_numpy(sample[f'{self.head}_probs'])
        if len(probs) != len(boxes):
            raise ValueError(f'{sample.get("img_path")}: {len(probs)} box maps for '
                             f'{len(boxes)} GT boxes')
        masks = np.zeros((len(boxes), *size), bool)
        for index, (prob, box) in enumerate(zip(probs, boxes)):
            masks[index] = paste_box_mask(prob, box, size, self.threshold)
        return proxy_instances(masks, boxes, labels, size)
