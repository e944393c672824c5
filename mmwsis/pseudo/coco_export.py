"""Pseudo instances to a COCO instances json, written atomically."""
import json
import os
import os.path as osp
import tempfile
from typing import Dict, List, Sequence

import numpy as np
import pycocotools.mask as mask_utils


def coco_annotation(rle: dict, category_id: int, score: float, image_id: int,
                    annotation_id: int) -> dict:
    """One COCO annotation from an RLE (``counts`` bytes or str); keeps its ``score``."""
    counts = rle['counts']
    compressed = dict(size=list(rle['size']),
                      counts=counts if isinstance(counts, bytes) else counts.encode('ascii'))
    x, y, w, h = mask_utils.toBbox(compressed)
    return dict(id=annotation_id, image_id=image_id, category_id=category_id,
                segmentation=dict(size=compressed['size'],
                                  counts=compressed['counts'].decode('ascii')),
                area=float(mask_utils.area(compressed)),
                bbox=[float(x), float(y), float(w), float(h)], iscrowd=0, score=float(score))


def build_coco_json(images: Sequence[dict], instances: Dict[str, dict],
                    classes: Sequence[str]) -> dict:
    """A COCO instances dict.

    Args:
        images: per image ``img_id`` (any hashable), ``file_name``, ``height``,
            ``width``, in the order the json should list them (ids 1..N follow it).
        instances: ``img_id -> {'masks': [RLE], 'labels': (M,) 0-based, 'scores': (M,)}``.
        classes: category names; category id = index + 1.
    """
    coco_images: List[dict] = []
    annotations: List[dict] = []
    for image_id, image in enumerate(images, start=1):
        coco_images.append(dict(id=image_id, file_name=image['file_name'],
                                height=int(image['height']), width=int(image['width']),
                                source_id=str(image['img_id'])))
        found = instances.get(image['img_id'])
        if found is None:
            continue
        for rle, label, score in zip(found['masks'], np.asarray(found['labels']),
                                     np.asarray(found['scores'])):
            annotations.append(coco_annotation(rle, int(label) + 1, float(score), image_id,
                                               len(annotations) + 1))
    categories = [dict(id=i + 1, name=name) for i, name in enumerate(classes)]
    return dict(images=coco_images, annotations=annotations, categories=categories)


def write_json_atomic(data: dict, path: str) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: never half a file."""
    directory = osp.dirname(osp.abspath(path))
    os.makedirs(directory, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=directory, prefix='.tmp-', suffix='.json')
    try:
        with os.fdopen(handle, 'w') as f:
            json.dump(data, f)
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise
