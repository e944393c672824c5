import json

import numpy as np
import pycocotools.mask as mask_utils

from mmwsis.evaluation.functional import encode_masks
from mmwsis.pseudo.coco_export import build_coco_json, write_json_atomic
from mmwsis.pseudo.overlap import resolve_overlaps


def box_mask(shape, y0, y1, x0, x1):
    mask = np.zeros(shape, bool)
    mask[y0:y1, x0:x1] = True
    return mask


def test_higher_score_keeps_the_shared_pixels():
    a = box_mask((10, 10), 0, 6, 0, 6)  # 36 px, score 0.5
    b = box_mask((10, 10), 3, 9, 3, 9)  # 36 px, score 0.9
    masks, keep = resolve_overlaps(np.stack([a, b]), np.array([0.5, 0.9]))
    assert keep.tolist() == [0, 1]
    assert masks[1].sum() == 36 and masks[0].sum() == 36 - 9
    assert not (masks[0] & masks[1]).any()


def test_instance_mostly_inside_a_better_one_is_dropped():
    big = box_mask((10, 10), 0, 10, 0, 10)
    small = box_mask((10, 10), 2, 4, 2, 4)
    masks, keep = resolve_overlaps(np.stack([small, big]), np.array([0.2, 0.8]))
    assert keep.tolist() == [1] and masks.shape == (1, 10, 10)


def test_coco_json_round_trip(tmp_path):
    masks = np.stack([box_mask((8, 12), 1, 4, 2, 7), box_mask((8, 12), 5, 8, 0, 3)])
    instances = {'a': dict(masks=encode_masks(masks), labels=np.array([2, 0]),
                           scores=np.array([0.9, 0.4]))}
    images = [dict(img_id='a', file_name='a.jpg', height=8, width=12),
              dict(img_id='b', file_name='b.jpg', height=8, width=12)]
    data = build_coco_json(images, instances, ('x', 'y', 'z'))
    path = tmp_path / 'out' / 'train.json'
    write_json_atomic(data, str(path))
    loaded = json.loads(path.read_text())
    assert [i['id'] for i in loaded['images']] == [1, 2]
    assert [a['category_id'] for a in loaded['annotations']] == [3, 1]
    assert [a['score'] for a in loaded['annotations']] == [0.9, 0.4]
    first = loaded['annotations'][0]
    assert first['bbox'] == [2.0, 1.0, 5.0, 3.0] and first['area'] == 15.0
    decoded = mask_utils.decode(dict(first['segmentation'],
                                     counts=first['segmentation']['counts'].encode()))
    np.testing.assert_array_equal(decoded.astype(bool), masks[0])
    assert list((tmp_path / 'out').iterdir()) == [path]  # no temporary file left
