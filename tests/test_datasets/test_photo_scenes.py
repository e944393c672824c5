"""The photographic preset: silhouettes cut from real photographs, VOC conventions kept."""
import json

import numpy as np
import pytest
from scipy import ndimage

from mmwsis.datasets import VOCInstanceDataset
from mmwsis.datasets.synthetic import (PHOTO_CLASSES, VOID, render_photo_salient,
                                       render_photo_scene, write_synthetic_dataset)
from mmwsis.datasets.synthetic.photo_scene import (_photo_shape_mask, _sample_photo_shape)

SIZE = 160


@pytest.fixture(scope='module')
def scenes():
    return [render_photo_scene(np.random.default_rng([0, 0, i]), SIZE) for i in range(60)]


def test_ten_classes_in_five_look_alike_pairs():
    assert len(PHOTO_CLASSES) == 10 and len(set(PHOTO_CLASSES)) == 10
    for a, b in (('disc', 'oval'), ('square', 'rectangle'), ('triangle', 'arrowhead'),
                 ('ring', 'crescent'), ('cross', 'tee')):
        masks = []
        for kind in (a, b):
            shape = _sample_photo_shape(np.random.default_rng(0), kind, 50., 50., 30.)
            masks.append(_photo_shape_mask(shape, *shape.frame(100)))
        iou = (masks[0] & masks[1]).sum() / (masks[0] | masks[1]).sum()
        assert 0.3 < iou < 0.95, (a, b, iou)  # alike, not the same


def test_objects_span_a_sixth_to_a_half_of_the_image(scenes):
    extents = []
    for scene in scenes:
        for k in range(1, len(scene.instance_labels) + 1):
            ys, xs = np.nonzero(ndimage.binary_dilation(scene.instance_map == k))
            extents.append(max(np.ptp(ys), np.ptp(xs)) / SIZE)
    extents = np.array(extents)
    assert np.median(extents) > 1 / 6 and np.percentile(extents, 95) < 0.55
    assert extents.max() > 0.4


def test_touching_same_class_objects_and_void_bands(scenes):
    same_class_touching = sum(
        any(scene.instance_labels[i - 1] == scene.instance_labels[j - 1]
            for i, j in scene.touching) for scene in scenes)
    assert same_class_touching >= 10
    for scene in scenes:
        ids = scene.instance_map
        for k in range(1, len(scene.instance_labels) + 1):
            grown = ndimage.binary_dilation(ids == k)
            assert not np.isin(ids[grown & (ids != k)], [0, VOID], invert=True).any()


def test_texture_does_not_give_the_class_away(scenes):
    """Instances of one class are no more alike in colour than instances of two classes."""
    colours, labels = [], []
    for scene in scenes:
        for k, label in enumerate(scene.instance_labels, 1):
            colours.append(scene.image[scene.instance_map == k].mean(0))
            labels.append(label)
    colours, labels = np.array(colours), np.array(labels)
    distance = np.linalg.norm(colours[:, None] - colours[None], axis=-1)
    same = labels[:, None] == labels[None]
    off_diagonal = ~np.eye(len(labels), dtype=bool)
    within, across = distance[same & off_diagonal].mean(), distance[~same].mean()
    assert within > 0.8 * across


def test_photo_preset_is_a_deterministic_voc_dataset(tmp_path, synthetic_classes):
    sizes = dict(num_train=4, num_val=2, num_salient=2, image_size=96, seed=0, kind='photo')
    write_synthetic_dataset(tmp_path / 'a', **sizes)
    write_synthetic_dataset(tmp_path / 'b', workers=2, **sizes)
    for name in ('JPEGImages/syn_train_000003.jpg', 'SegmentationObject/syn_val_000001.png',
                 'annotations/instances_train.json', 'SalientObjects/Masks/syn_salient_000001.png'):
        assert (tmp_path / 'a' / name).read_bytes() == (tmp_path / 'b' / name).read_bytes()
    meta = json.loads((tmp_path / 'a' / 'meta.json').read_text())
    assert meta['kind'] == 'photo' and tuple(meta['classes']) == PHOTO_CLASSES
    coco = json.loads((tmp_path / 'a' / 'annotations' / 'instances_val.json').read_text())
    assert [c['name'] for c in coco['categories']] == list(PHOTO_CLASSES)
    dataset = VOCInstanceDataset(data_root=str(tmp_path / 'a'),
                                 ann_file='ImageSets/Segmentation/train.txt',
                                 metainfo=dict(classes=PHOTO_CLASSES), pipeline=[])
    assert len(dataset) == 4 and all(dataset.get_data_info(i)['instances'] for i in range(4))
    with pytest.raises(ValueError, match='lists classes'):
        VOCInstanceDataset(data_root=str(tmp_path / 'a'),
                           ann_file='ImageSets/Segmentation/train.txt',
                           metainfo=dict(classes=synthetic_classes), pipeline=[])


def test_salient_photo_object():
    image, mask = render_photo_salient(np.random.default_rng(3), SIZE)
    assert image.shape == (SIZE, SIZE, 3) and image.dtype == np.uint8
    assert 0.04 < mask.mean() < 0.5
