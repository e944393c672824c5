"""FusionLabeler on pseudo jsons written as the pipeline writes them, and its pass-through
teacher: masks matched across sources and voted, errors that name the source."""
import json

import numpy as np
import pytest
import torch
from pycocotools import mask as mask_utils

from mmwsis.engine.pseudo_label import FusionLabeler
from mmwsis.evaluation.functional import encode_masks
from mmwsis.models.teachers import PassThrough
from mmwsis.pseudo import build_coco_json


def square(top: int, left: int, side: int) -> np.ndarray:
    mask = np.zeros((16, 16), bool)
    mask[top:top + side, left:left + side] = True
    return mask


def write_source(path, masks) -> str:
    """A one-image pseudo json ('img0', 16 x 16) with class-0 masks scored 0.9."""
    images = [dict(img_id='img0', file_name='img0.jpg', height=16, width=16)]
    instances = {'img0': dict(masks=encode_masks(np.stack(masks)), labels=[0] * len(masks),
                              scores=[0.9] * len(masks))} if masks else {}
    path.write_text(json.dumps(build_coco_json(images, instances, ['thing'])))
    return str(path)


def test_sources_are_voted_image_by_image(tmp_path):
    sources = dict(a=write_source(tmp_path / 'a.json', [square(0, 0, 8), square(10, 10, 4)]),
                   b=write_source(tmp_path / 'b.json', [square(0, 1, 8)]))
    sample = dict(img_id='img0', ori_shape=(16, 16))
    union = FusionLabeler(sources, min_agreement=0.5).per_image(sample)
    both = FusionLabeler(sources, min_agreement=1.0).per_image(sample)
    assert len(union.masks) == 2 and len(both.masks) == 1  # a's lone square needs b's vote
    np.testing.assert_array_equal(mask_utils.decode(both.masks[0]).astype(bool),
                                  square(0, 0, 8) & square(0, 1, 8))
    assert both.scores[0] == pytest.approx(56 / 64)  # two sources of two, mean IoU 7/8


def test_a_source_without_the_image_or_file_is_named(tmp_path):
    sources = dict(a=write_source(tmp_path / 'a.json', []), b=str(tmp_path / 'missing.json'))
    with pytest.raises(FileNotFoundError, match=r"missing.json \(fusion source 'b'\)"):
        FusionLabeler(sources).per_image(dict(img_id='img0', ori_shape=(16, 16)))
    labeler = FusionLabeler(dict(a=sources['a']))
    with pytest.raises(KeyError, match="has no image other"):
        labeler.per_image(dict(img_id='other', ori_shape=(16, 16)))
    with pytest.raises(ValueError, match=r'none given for \[\'b\'\]'):
        FusionLabeler(dict(a=sources['a'], b=None))


def test_pass_through_returns_the_samples_and_cannot_train():
    model = PassThrough()
    samples = [object()]
    assert model.predict(torch.zeros(1, 3, 4, 4), samples) is samples
    assert next(model.parameters(), None) is None  # tools/test.py then needs no checkpoint
    with pytest.raises(RuntimeError, match='no weights to train'):
        model.loss(torch.zeros(1, 3, 4, 4), samples)
