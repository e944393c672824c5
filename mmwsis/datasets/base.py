"""What every mmwsis dataset adds to mmdet's: a declared supervision level."""
import json
import os.path as osp
from typing import Dict, List, Optional

from mmengine.logging import print_log

from .weak_labels import check_supervision, weaken_data_info


class WeakSupervisionMixin:
    """Serve each sample reduced to ``self.supervision`` and skip label-less images.

    Mixed into an mmdet ``BaseDetDataset`` subclass whose ``__init__`` receives
    ``supervision`` (one of ``image``, ``point``, ``box``, ``mask``). Evaluation and
    pseudo-label scoring use ``supervision='mask'`` datasets; training configs declare
    the weak level they are allowed to see. ``pseudo_seg_dir`` is a folder of
    ``<img_id>.png`` pseudo label maps made from weak labels (e.g. IRNet's relation
    labels), exposed to the pipeline as ``pseudo_seg_path``. ``pseudo_points_file`` is a
    point pseudo-label json (a ``points`` writer's output, e.g. PRM peaks), whose entry of
    each image is exposed as ``pseudo_points`` (``points`` (P, 2) ``x, y``, ``labels``,
    ``scores``). Each data info also carries the dataset's ``data_root``, under which
    transforms keep derived files (proposals).
    """

    supervision: str = 'mask'
    pseudo_seg_dir: Optional[str] = None
    pseudo_points_file: Optional[str] = None

    def _init_supervision(self, supervision: str, pseudo_seg_dir: Optional[str],
                          pseudo_points_file: Optional[str] = None) -> None:
        self.supervision = check_supervision(supervision)
        self.pseudo_seg_dir = pseudo_seg_dir
        self.pseudo_points_file = pseudo_points_file
        self._pseudo_points: Optional[Dict[str, dict]] = None

    def get_data_info(self, idx: int) -> dict:
        info = weaken_data_info(super().get_data_info(idx), self.supervision)
        info['data_root'] = self.data_root
        if self.pseudo_seg_dir:
            info['pseudo_seg_path'] = osp.join(self.pseudo_seg_dir, f'{info["img_id"]}.png')
        if self.pseudo_points_file:
            info['pseudo_points'] = self._points_of(str(info['img_id']))
        return info

    def _points_of(self, img_id: str) -> dict:
        """The image's entry of ``pseudo_points_file`` (read once, classes checked)."""
        path = self.pseudo_points_file
        if self._pseudo_points is None:
            if not osp.isfile(path):
                raise FileNotFoundError(f'pseudo_points_file {path} does not exist: run the '
                                        'point teacher (its pseudo-label stage) first')
            with open(path) as f:
                data = json.load(f)
            classes = list(self.metainfo['classes'])
            if data.get('classes') != classes:
                raise ValueError(f'{path} was written for the classes {data.get("classes")}, '
                                 f'this dataset has {classes}: relabel with this dataset')
            self._pseudo_points = data['images']
        if img_id not in self._pseudo_points:
            raise KeyError(f'{path} has no points for image {img_id}: it was written for '
                           'another split or image list; relabel this one')
        return self._pseudo_points[img_id]

    def filter_data(self) -> List[dict]:
        """In training, skip images without labels (logged with a count)."""
        if self.test_mode:
            return self.data_list
        kept, skipped = [], []
        for info in self.data_list:
            empty = (not info['image_labels'] if self.supervision == 'image'
                     else not info['instances'])
            (skipped if empty else kept).append(info)
        if skipped:
            examples = ', '.join(str(info['img_id']) for info in skipped[:5])
            print_log(
                f'{type(self).__name__}: skipped {len(skipped)} of {len(self.data_list)} '
                f'training images with no {self.supervision}-level labels (e.g. {examples})',
                logger='current')
        return kept
