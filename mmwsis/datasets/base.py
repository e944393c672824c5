"""What every mmwsis dataset adds to mmdet's: a declared supervision level."""
import os.path as osp
from typing import List, Optional

from mmengine.logging import print_log

from .weak_labels import check_supervision, weaken_data_info


class WeakSupervisionMixin:
    """Serve each sample reduced to ``self.supervision`` and skip label-less images.

    Mixed into an mmdet ``BaseDetDataset`` subclass whose ``__init__`` receives
    ``supervision`` (one of ``image``, ``point``, ``box``, ``mask``). Evaluation and
    pseudo-label scoring use ``supervision='mask'`` datasets; training configs declare
    the weak level they are allowed to see. ``pseudo_seg_dir`` is a folder of
    ``<img_id>.png`` pseudo label maps made from weak labels (e.g. IRNet's relation
    labels), exposed to the pipeline as ``pseudo_seg_path``. Each data info also carries
    the dataset's ``data_root``, under which transforms keep derived files (proposals).
    """

    supervision: str = 'mask'
    pseudo_seg_dir: Optional[str] = None

    def _init_supervision(self, supervision: str, pseudo_seg_dir: Optional[str]) -> None:
        self.supervision = check_supervision(supervision)
        self.pseudo_seg_dir = pseudo_seg_dir

    def get_data_info(self, idx: int) -> dict:
        info = weaken_data_info(super().get_data_info(idx), self.supervision)
        info['data_root'] = self.data_root
        if self.pseudo_seg_dir:
            info['pseudo_seg_path'] = osp.join(self.pseudo_seg_dir, f'{info["img_id"]}.png')
        return info

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
