"""BoxCaseg's box sample: an image cropped around a jittered copy of one of its GT boxes."""
from typing import Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmdet.structures.bbox import get_box_tensor

from mmwsis.pseudo.boxcaseg_proxy import box_pixels
from mmwsis.registry import TRANSFORMS


@TRANSFORMS.register_module()
class JitteredBoxCrop(BaseTransform):
    """Crop ``results['img']`` around GT box ``results['box_index']`` and resize to
    ``size`` x ``size``; ``gt_seg_map`` is 1 on the true box (in the crop), 0 elsewhere.

    The crop window is the box with its centre moved by ``U(-shift, shift)`` times its
    half-size and each side scaled by ``U(*scale_range)`` (BoxCaseg: 0.25 and 0.5-1.5),
    clipped to the image. The box's other annotations (``gt_bboxes``, their labels and
    ignore flags) are dropped: the sample's target is the map alone, class-agnostic.

    Args:
        size: output side (BoxCaseg trains at 288).
        shift: the centre's jitter, in half-sizes.
        scale_range: the sides' scale range; ``(1, 1)`` and ``shift=0`` crop the box as it
            is (BoxCaseg's inference crop).
    """

    def __init__(self, size: int = 288, shift: float = 0.25,
                 scale_range: Tuple[float, float] = (0.5, 1.5)) -> None:
        self.size, self.shift, self.scale_range = size, shift, tuple(scale_range)

    def window(self, box: np.ndarray) -> np.ndarray:
        """(4,) jittered ``x1, y1, x2, y2`` of ``box``."""
        x1, y1, x2, y2 = np.asarray(box, dtype=np.float64)
        width, height = x2 - x1, y2 - y1
        cx = (x1 + x2) / 2 + np.random.uniform(-self.shift, self.shift) * width / 2
        cy = (y1 + y2) / 2 + np.random.uniform(-self.shift, self.shift) * height / 2
        width *= np.random.uniform(*self.scale_range)
        height *= np.random.uniform(*self.scale_range)
        return np.array([cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2])

    def transform(self, results: dict) -> dict:
        boxes = np.asarray(get_box_tensor(results['gt_bboxes'])).reshape(-1, 4)
        box = boxes[results['box_index']]
        image = results['img']
        x1, y1, x2, y2 = box_pixels(self.window(box), image.shape[:2])
        scale_x, scale_y = self.size / (x2 - x1), self.size / (y2 - y1)
        results['img'] = cv2.resize(image[y1:y2, x1:x2], (self.size, self.size),
                                    interpolation=cv2.INTER_LINEAR)
        target = np.zeros((self.size, self.size), np.uint8)
        left = int(np.clip(round((box[0] - x1) * scale_x), 0, self.size))
        top = int(np.clip(round((box[1] - y1) * scale_y), 0, self.size))
        right = int(np.clip(round((box[2] - x1) * scale_x), 0, self.size))
        bottom = int(np.clip(round((box[3] - y1) * scale_y), 0, self.size))
        target[top:bottom, left:right] = 1
        results['gt_seg_map'] = target
        results['img_shape'] = (self.size, self.size)
        for key in ('gt_bboxes', 'gt_bboxes_labels', 'gt_ignore_flags'):
            results.pop(key, None)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(size={self.size}, shift={self.shift}, '
                f'scale_range={self.scale_range})')
