"""BoxCaseg's labeler through the collector: proxy masks from made-up per-box maps."""
import functools
import json

import cv2
import numpy as np
import pytest
import torch

from mmwsis.engine.pseudo_label import BoxCasegLabeler
from mmwsis.pseudo import box_pixels

from .test_bestie_labelers import run
from .test_labeler_outputs import gt_instances

CROP = 32


def boxcaseg_outputs(info: dict, head: str = 'salient') -> dict:
    """What a perfect box-to-mask model gives in ``head``'s maps: each GT mask inside its
    box, resized to the crop, as a probability in [0.2, 0.7] (the labeler min-max
    normalises it); the other head's maps are empty."""
    masks, labels = gt_instances(info)
    size = masks.shape[1:]
    boxes = np.array([inst['bbox'] for inst in info['instances']], np.float32)
    probs = []
    for mask, box in zip(masks, boxes):
        x1, y1, x2, y2 = box_pixels(box, size)
        crop = mask[y1:y2, x1:x2].astype(np.float32)
        probs.append(0.2 + 0.5 * cv2.resize(crop, (CROP, CROP), interpolation=cv2.INTER_LINEAR))
    other = 'weak' if head == 'salient' else 'salient'
    return {f'{head}_probs': torch.from_numpy(np.stack(probs)),
            f'{other}_probs': torch.zeros(len(probs), CROP, CROP),
            'gt_instances': dict(bboxes=torch.from_numpy(boxes),
                                 labels=torch.from_numpy(labels))}


@pytest.mark.parametrize('head', BoxCasegLabeler.HEADS)
def test_perfect_maps_give_the_gt_masks_with_their_box_confidence(
        synthetic_root, synthetic_classes, tmp_path, head):
    metrics = run(synthetic_root, synthetic_classes, tmp_path,
                  dict(type='BoxCasegLabeler', head=head),
                  functools.partial(boxcaseg_outputs, head=head))
    data = json.loads((tmp_path / 'train.json').read_text())
    scores = [a['score'] for a in data['annotations']]
    assert scores and all(0 < s <= 1 for s in scores)
    assert np.median(scores) > 0.9  # most objects keep their box; occluded ones score less
    assert metrics['mAP50'] > 90.0


def test_a_map_per_box_is_required():
    sample = dict(ori_shape=(20, 20), salient_probs=torch.zeros(1, CROP, CROP),
                  gt_instances=dict(bboxes=torch.zeros(2, 4), labels=torch.zeros(2)))
    with pytest.raises(ValueError, match='1 box maps for 2 GT boxes'):
        BoxCasegLabeler().per_image(sample)


def test_a_head_it_does_not_have_is_refused():
    with pytest.raises(ValueError, match="head must be one of"):
        BoxCasegLabeler(head='fcn')
