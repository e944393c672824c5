"""Salient-object images with binary masks (DUTS-TR / DUT-TR-Single, the synthetic split)."""
import os
import os.path as osp
from typing import List, Optional

from mmengine.dataset import BaseDataset

from mmwsis.registry import DATASETS
from .weak_labels import check_supervision


@DATASETS.register_module()
class SalientObjectDataset(BaseDataset):
    """A folder of images and a folder of same-named PNG masks (0 background, 255 object).

    Each data info holds ``img_path``, ``saliency_path``, ``salient=True`` and the
    dataset's ``supervision``: the masks are class-agnostic and of other images than the
    labelled ones, so a sample carries the level the method's config declares for its
    own data (BoxCaseg: ``'box'``). ``metainfo`` may name the labelled data's classes (a
    ``DataSplit`` does), so that the two concatenate.

    Args:
        data_root: e.g. ``data/DUTS-TR`` or ``data/synthetic/SalientObjects``.
        img_dir, mask_dir: the two folders under ``data_root`` (DUTS-TR:
            ``DUTS-TR-Image`` and ``DUTS-TR-Mask``; the synthetic split: ``JPEGImages``
            and ``Masks``).
        list_file: image names without extension, one per line (``None``: every image of
            ``img_dir``), e.g. DUT-TR-Single's list.
        img_suffix: the images' extension.
        supervision: the level its samples declare.
    """

    METAINFO = dict(classes=('object', ))

    def __init__(self, data_root: str, img_dir: str = 'JPEGImages', mask_dir: str = 'Masks',
                 list_file: Optional[str] = 'list.txt', img_suffix: str = '.jpg',
                 supervision: str = 'box', **kwargs) -> None:
        self.supervision = check_supervision(supervision)
        self.img_dir, self.mask_dir = img_dir, mask_dir
        self.list_file, self.img_suffix = list_file, img_suffix
        super().__init__(data_root=data_root, **kwargs)

    def load_data_list(self) -> List[dict]:
        img_dir = osp.join(self.data_root, self.img_dir)
        mask_dir = osp.join(self.data_root, self.mask_dir)
        for folder in (img_dir, mask_dir):
            if not osp.isdir(folder):
                raise FileNotFoundError(f'salient-object folder {folder} does not exist: set '
                                        'data_root, img_dir and mask_dir (DUTS-TR: '
                                        "img_dir='DUTS-TR-Image', mask_dir='DUTS-TR-Mask')")
        if self.list_file:
            list_path = osp.join(self.data_root, self.list_file)
            if not osp.isfile(list_path):
                raise FileNotFoundError(f'{list_path} does not exist: write the image names '
                                        'there, or pass list_file=None for every image')
            with open(list_path) as f:
                names = [line.strip() for line in f if line.strip()]
        else:
            names = sorted(osp.splitext(name)[0] for name in os.listdir(img_dir)
                           if name.endswith(self.img_suffix))
        data_list = []
        for name in names:
            mask = osp.join(mask_dir, name + '.png')
            if not osp.isfile(mask):
                raise FileNotFoundError(f'{mask}: the mask of {name} is missing; add it or '
                                        f'remove {name} from the list')
            data_list.append(dict(img_path=osp.join(img_dir, name + self.img_suffix),
                                  saliency_path=mask, img_id=name, salient=True,
                                  supervision=self.supervision))
        if not data_list:
            raise ValueError(f'{img_dir}: no {self.img_suffix} images')
        return data_list

