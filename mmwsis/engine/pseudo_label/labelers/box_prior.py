"""The box baselines' labeler: the filled-box or GrabCut masks, merged as BoxCaseg's are."""
from mmwsis.registry import PSEUDO_LABELERS
from ..result import PseudoLabel
from .base import BaseLabeler
from .boxcaseg import gt_boxes_and_labels, proxy_instances
from .teacher_outputs import as_numpy


@PSEUDO_LABELERS.register_module()
class BoxPriorLabeler(BaseLabeler):
    """Instances from :class:`~mmwsis.models.teachers.BoxPrior` outputs.

    Reads ``box_masks`` (N, H, W) bool, one mask per GT box at the original image size,
    and the GT boxes and classes. The masks are merged and scored exactly as BoxCaseg's
    proxy masks (smaller boxes on top, confidence = IoU of the final mask's box with the
    GT box), so the baselines and BoxCaseg differ only in how a box becomes a mask.
    """

    def per_image(self, sample: dict) -> PseudoLabel:
        size = tuple(sample['ori_shape'])
        boxes, labels = gt_boxes_and_labels(sample)
        masks = as_numpy(sample['box_masks']).astype(bool)
        if masks.shape != (len(boxes), *size):
            raise ValueError(f'{sample.get("img_path")}: box masks of shape {masks.shape} '
                             f'for {len(boxes)} GT boxes on an image of size {size}')
        return proxy_instances(masks, boxes, labels, size)
