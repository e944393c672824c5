"""COCO instances json read with a declared supervision level.

Image labels are the categories present in the image (crowd regions included); GT masks
are normalised to RLE with str ``counts`` so every mmwsis dataset hands the same form to
``LoadAnnotations``, the metric and the weak views.
"""
import os.path as osp
from typing import List, Optional, Union

import pycocotools.mask as mask_utils
from mmdet.datasets import CocoDataset

from mmwsis.registry import DATASETS
from .base import WeakSupervisionMixin


def segmentation_to_rle(segmentation: Union[list, dict], height: int, width: int) -> dict:
    """COCO polygon list / uncompressed / compressed RLE -> compressed RLE, str counts."""
    if isinstance(segmentation, list):
        rle = mask_utils.merge(mask_utils.frPyObjects(segmentation, height, width))
    elif isinstance(segmentation['counts'], list):
        rle = mask_utils.frPyObjects(segmentation, height, width)
    else:
        rle = dict(segmentation)
    if isinstance(rle['counts'], bytes):
        rle['counts'] = rle['counts'].decode('ascii')
    return rle


@DATASETS.register_module()
class COCOInstanceDataset(WeakSupervisionMixin, CocoDataset):
    """mmdet's ``CocoDataset`` plus ``supervision`` and ``image_labels``."""

    def __init__(self, *args, supervision: str = 'mask', pseudo_seg_dir: Optional[str] = None,
                 pseudo_points_file: Optional[str] = None, **kwargs) -> None:
        self._init_supervision(supervision, pseudo_seg_dir, pseudo_points_file)
        super().__init__(*args, **kwargs)

    def load_data_list(self) -> List[dict]:
        """mmdet's loading, refusing configured classes that the file does not have.

        Categories of the file that are not configured are ignored, as in mmdet.
        """
        data_list = super().load_data_list()
        configured = tuple(self.metainfo['classes'])
        found = set(self.cat2label.values())
        unknown = [name for k, name in enumerate(configured) if k not in found]
        if unknown:
            raise ValueError(
                f'{self.ann_file}: configured classes {unknown} are not categories of this '
                f'file. Set `metainfo=dict(classes=(...))` to names from its "categories".')
        return data_list

    def parse_data_info(self, raw_data_info: dict) -> dict:
        """One image: mmdet's fields, plus ``image_labels``, RLE masks and ``score``.

        An annotation's ``score`` (pseudo labels carry one) is kept per instance, 1.0 when
        absent, so a confidence-aware mask head can weight it.
        """
        img = raw_data_info['raw_img_info']
        height, width = img['height'], img['width']
        instances = []
        for ann in raw_data_info['raw_ann_info']:
            x, y, w, h = ann['bbox']
            visible = (min(x + w, width) - max(x, 0)) * (min(y + h, height) - max(y, 0))
            if (ann.get('ignore', False) or ann['category_id'] not in self.cat_ids
                    or w < 1 or h < 1 or ann.get('area', w * h) <= 0 or visible <= 0):
                continue
            instance = dict(bbox=[x, y, x + w, y + h],
                            bbox_label=self.cat2label[ann['category_id']],
                            ignore_flag=int(bool(ann.get('iscrowd', False))),
                            score=float(ann.get('score', 1.0)))
            if ann.get('segmentation'):
                instance['mask'] = segmentation_to_rle(ann['segmentation'], height, width)
            instances.append(instance)
        return dict(img_path=osp.join(self.data_prefix['img'], img['file_name']),
                    img_id=img['img_id'], height=height, width=width, seg_map_path=None,
                    instances=instances,
                    image_labels=sorted({inst['bbox_label'] for inst in instances}),
                    has_masks=all('mask' in inst for inst in instances))
