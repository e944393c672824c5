"""PASCAL VOC 2012 (and SBD train_aug) read for instance segmentation.

Layout under ``data_root`` (the VOC2012 devkit folder)::

    JPEGImages/<id>.jpg
    Annotations/<id>.xml              objects: class name and box -> image labels, boxes
    SegmentationObject/<id>.png       instance ids (0 background, 255 void); optional
    SegmentationClass/<id>.png        class of each instance pixel; needed with the above
    SegmentationClassAug/<id>.png     SBD semantic maps (train_aug); optional
    ImageSets/Segmentation/{train_aug,train,val}.txt

Instance masks exist only for images with a ``SegmentationObject`` PNG (VOC's 2,913);
the other train_aug images carry image labels and boxes only. Void pixels (255) belong to
no instance, as in chainercv's VOC reader. Class names come from ``metainfo``, so a
VOC-layout folder with other classes works with ``metainfo=dict(classes=(...))``.
"""
import json
import os.path as osp
import xml.etree.ElementTree as ET
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmdet.datasets import BaseDetDataset
from mmengine.logging import print_log
from PIL import Image, UnidentifiedImageError

from mmwsis.evaluation.functional import encode_masks
from mmwsis.registry import DATASETS
from .base import WeakSupervisionMixin

VOC_CLASSES = ('aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus', 'car', 'cat',
               'chair', 'cow', 'diningtable', 'dog', 'horse', 'motorbike', 'person',
               'pottedplant', 'sheep', 'sofa', 'train', 'tvmonitor')
VOID = 255
MISSING_DATA_HINT = ('For the built-in synthetic data run '
                     '`python tools/make_synthetic.py --out {root}`; for VOC2012 point '
                     '`data_root` at the VOCdevkit/VOC2012 folder (see the README, "Data").')


def encode_rle(mask: np.ndarray) -> dict:
    """(H, W) bool -> COCO RLE with ``counts`` as str (json- and mmdet-friendly)."""
    rle = encode_masks(mask[None])[0]
    rle['counts'] = rle['counts'].decode('ascii')
    return rle


def read_index_png(path: str) -> np.ndarray:
    """Palette PNG -> (H, W) uint8 of palette indices (not colours)."""
    with Image.open(path) as image:
        if image.mode not in ('P', 'L'):
            raise ValueError(f'{path}: expected a palette (P) or grey (L) PNG of class/'
                             f'instance indices, got mode {image.mode}')
        return np.asarray(image)


def instances_from_pngs(obj_path: str, cls_path: str, num_classes: int) -> List[dict]:
    """GT instances of one image from its SegmentationObject + SegmentationClass PNGs.

    Returns one dict per instance id (ascending) with ``mask`` (RLE), ``bbox``
    ``[x1, y1, x2, y2]`` (pixels, exclusive right/bottom), ``bbox_label`` (0-based) and
    ``ignore_flag``.
    """
    objects = read_index_png(obj_path)
    classes = read_index_png(cls_path)
    if objects.shape != classes.shape:
        raise ValueError(f'{obj_path} is {objects.shape} but {cls_path} is {classes.shape}')
    instances = []
    for instance_id in np.unique(objects):
        if instance_id in (0, VOID):
            continue
        mask = objects == instance_id
        values, counts = np.unique(classes[mask], return_counts=True)
        valid = (values > 0) & (values <= num_classes)
        if not valid.any():
            raise ValueError(
                f'{obj_path}: instance id {instance_id} covers no class pixel in {cls_path} '
                f'(values {values.tolist()}; classes are 1..{num_classes}). Fix the PNGs or '
                f'the dataset `metainfo` classes.')
        label = int(values[valid][np.argmax(counts[valid])]) - 1
        ys, xs = np.nonzero(mask)
        instances.append(dict(
            bbox=[float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)],
            bbox_label=label, mask=encode_rle(mask), ignore_flag=0))
    return instances


@DATASETS.register_module()
class VOCInstanceDataset(WeakSupervisionMixin, BaseDetDataset):
    """VOC2012-layout instance segmentation with a declared supervision level.

    Args:
        supervision: what the pipeline may see: ``image`` | ``point`` | ``box`` | ``mask``.
        data_prefix: sub-folders; keys ``img``, ``ann``, ``obj``, ``cls``.
        pseudo_seg_dir, pseudo_points_file: see :class:`WeakSupervisionMixin`.
        Others as :class:`mmdet.datasets.BaseDetDataset` (``ann_file`` is the image list).
    """

    METAINFO = dict(classes=VOC_CLASSES)

    def __init__(self,
                 *args,
                 supervision: str = 'mask',
                 data_prefix: Optional[Dict[str, str]] = None,
                 pseudo_seg_dir: Optional[str] = None,
                 pseudo_points_file: Optional[str] = None,
                 **kwargs) -> None:
        self._init_supervision(supervision, pseudo_seg_dir, pseudo_points_file)
        prefix = dict(img='JPEGImages', ann='Annotations', obj='SegmentationObject',
                      cls='SegmentationClass')
        prefix.update(data_prefix or {})
        super().__init__(*args, data_prefix=prefix, **kwargs)

    @property
    def classes(self) -> Sequence[str]:
        return tuple(self.metainfo['classes'])

    def _check_layout(self) -> None:
        root = self.data_root
        if root and not osp.isdir(root):
            raise FileNotFoundError(f'data_root {root!r} does not exist. '
                                    + MISSING_DATA_HINT.format(root=root))
        if not osp.isfile(self.ann_file):
            raise FileNotFoundError(f'image list {self.ann_file!r} does not exist. '
                                    + MISSING_DATA_HINT.format(root=root or '<data_root>'))
        meta_path = osp.join(root or '', 'meta.json')
        if osp.isfile(meta_path):
            with open(meta_path) as f:
                written = tuple(json.load(f).get('classes', ()))
            if written and written != self.classes:
                raise ValueError(
                    f'{meta_path} lists classes {written} but the dataset was configured with '
                    f'{self.classes}; set `metainfo=dict(classes={written})` in the config.')

    def _parse_objects(self, path: str) -> List[dict]:
        """Objects of a VOC XML file: 0-based box, class index, difficult as ignore."""
        root = ET.parse(path).getroot()
        objects = []
        for obj in root.findall('object'):
            name = obj.findtext('name').strip()
            if name not in self.classes:
                raise ValueError(
                    f'{path}: object class {name!r} is not among the configured classes '
                    f'{self.classes}. Set `metainfo=dict(classes=(...))` in the dataset '
                    f'config to the class names of this data.')
            box = obj.find('bndbox')
            # VOC boxes are 1-based and inclusive.
            x1, y1, x2, y2 = (float(box.findtext(k)) for k in ('xmin', 'ymin', 'xmax', 'ymax'))
            objects.append(dict(bbox=[x1 - 1, y1 - 1, x2, y2],
                                bbox_label=self.classes.index(name),
                                ignore_flag=int(obj.findtext('difficult', '0') == '1')))
        return objects

    def load_data_list(self) -> List[dict]:
        self._check_layout()
        with open(self.ann_file) as f:
            img_ids = [line.split()[0] for line in f if line.strip()]
        prefix = self.data_prefix
        missing = [i for i in img_ids
                   if not osp.isfile(osp.join(prefix['img'], f'{i}.jpg'))]
        if missing:
            raise FileNotFoundError(
                f'{len(missing)} image(s) listed in {self.ann_file} are absent from '
                f'{prefix["img"]}: {", ".join(missing[:5])}{" ..." if len(missing) > 5 else ""}')
        data_list, corrupt = [], []
        for img_id in img_ids:
            info = self._load_one(img_id)
            if info is None:
                corrupt.append(img_id)
            else:
                data_list.append(info)
        if corrupt:
            print_log(f'{type(self).__name__}: skipped {len(corrupt)} unreadable image(s) '
                      f'in {prefix["img"]}: {", ".join(corrupt[:5])}', logger='current')
        return data_list

    def _load_one(self, img_id: str) -> Optional[dict]:
        prefix = self.data_prefix
        img_path = osp.join(prefix['img'], f'{img_id}.jpg')
        try:
            with Image.open(img_path) as image:
                image.verify()
                width, height = image.size
        except (UnidentifiedImageError, OSError, SyntaxError):
            return None
        xml_path = osp.join(prefix['ann'], f'{img_id}.xml')
        objects = self._parse_objects(xml_path) if osp.isfile(xml_path) else []
        obj_path = osp.join(prefix['obj'], f'{img_id}.png')
        cls_path = osp.join(prefix['cls'], f'{img_id}.png')
        has_masks = osp.isfile(obj_path)
        if has_masks and not osp.isfile(cls_path):
            raise FileNotFoundError(f'{obj_path} exists but its class map {cls_path} does not')
        instances = (instances_from_pngs(obj_path, cls_path, len(self.classes))
                     if has_masks else objects)
        labels = {obj['bbox_label'] for obj in objects} | {
            inst['bbox_label'] for inst in instances}
        return dict(img_id=img_id, img_path=img_path, height=height, width=width,
                    instances=instances, image_labels=sorted(labels), has_masks=has_masks,
                    seg_map_path=cls_path if osp.isfile(cls_path) else None)
