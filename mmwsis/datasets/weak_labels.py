"""Weak views of an annotated image: what each supervision level may see.

A data info carries the strongest labels the files hold (``instances`` with ``bbox``,
``bbox_label`` and, where instance masks exist, an RLE ``mask``) plus ``image_labels``.
:func:`weaken_data_info` reduces it to the declared supervision before any transform runs,
so a training pipeline can never reach a stronger label than its config declares.
"""
import copy
from typing import Dict, List

import numpy as np
import pycocotools.mask as mask_utils
from scipy import ndimage

SUPERVISION_LEVELS = ('image', 'point', 'box', 'mask')
# Image-level keys that point at pixel labels (GT semantic maps): mask supervision only.
PIXEL_LABEL_KEYS = ('seg_map_path',)
# Instance keys each level may keep. ``ignore_flag`` is bookkeeping and ``score`` the
# confidence of a pseudo label, not labels.
VISIBLE_INSTANCE_KEYS: Dict[str, tuple] = {
    'image': (),
    'point': ('point', 'bbox_label', 'ignore_flag'),
    'box': ('bbox', 'bbox_label', 'ignore_flag', 'score'),
    'mask': ('bbox', 'bbox_label', 'mask', 'ignore_flag', 'score'),
}


def check_supervision(supervision: str) -> str:
    """Return ``supervision`` if it is a known level, else raise naming the choices."""
    if supervision not in SUPERVISION_LEVELS:
        raise ValueError(f'supervision={supervision!r} is not one of {SUPERVISION_LEVELS}')
    return supervision


def interior_point(mask: np.ndarray) -> List[float]:
    """The most interior pixel of a mask: a deterministic stand-in for a clicked point.

    Args:
        mask: (H, W) bool, non-empty.

    Returns:
        ``[x, y]`` in pixels (pixel centres at integer coordinates).
    """
    distance = ndimage.distance_transform_edt(np.pad(mask, 1))[1:-1, 1:-1]
    y, x = np.unravel_index(int(np.argmax(distance)), distance.shape)
    return [float(x), float(y)]


def _point_of(instance: dict) -> List[float]:
    if 'point' in instance:
        return instance['point']
    if 'mask' in instance:
        return interior_point(mask_utils.decode(instance['mask']).astype(bool))
    x1, y1, x2, y2 = instance['bbox']
    raise ValueError(
        f'no point label and no instance mask to derive one for the instance at box '
        f'({x1}, {y1}, {x2}, {y2}); point supervision needs either')


def weaken_data_info(data_info: dict, supervision: str) -> dict:
    """Copy of ``data_info`` whose ``instances`` hold only what ``supervision`` allows.

    ``image_labels`` (sorted class indices present in the image) are kept at every level.
    ``point`` is derived from the instance mask when the files hold no clicked point.
    """
    check_supervision(supervision)
    hidden = {'instances'} | (set() if supervision == 'mask' else set(PIXEL_LABEL_KEYS))
    weak = copy.deepcopy({k: v for k, v in data_info.items() if k not in hidden})
    keep = VISIBLE_INSTANCE_KEYS[supervision]
    instances = []
    for instance in data_info.get('instances', []) if keep else []:
        if supervision == 'point':
            instance = dict(instance, point=_point_of(instance))
        instances.append({k: copy.deepcopy(instance[k]) for k in keep if k in instance})
    weak['instances'] = instances
    weak['supervision'] = supervision
    return weak
