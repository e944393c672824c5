"""A point teacher's json reaches the next teacher's samples, or a clear error does."""
import json

import pytest

from mmwsis.datasets import VOCInstanceDataset


def dataset(root, classes, points_file):
    return VOCInstanceDataset(data_root=str(root), ann_file='ImageSets/Segmentation/train.txt',
                              metainfo=dict(classes=classes), supervision='image',
                              pseudo_points_file=points_file and str(points_file), pipeline=[])


def write_points(path, classes, img_ids):
    images = {i: dict(points=[[3.0, 4.0]], labels=[0], scores=[0.9]) for i in img_ids}
    path.write_text(json.dumps(dict(classes=list(classes), images=images)))


def test_each_image_gets_its_entry(synthetic_root, synthetic_classes, tmp_path):
    probe = dataset(synthetic_root, synthetic_classes, None)
    ids = [str(probe.get_data_info(i)['img_id']) for i in range(len(probe))]
    write_points(tmp_path / 'peaks.json', synthetic_classes, ids)
    data = dataset(synthetic_root, synthetic_classes, tmp_path / 'peaks.json')
    info = data.get_data_info(0)
    assert info['pseudo_points'] == dict(points=[[3.0, 4.0]], labels=[0], scores=[0.9])
    assert info['instances'] == []  # still the image-level view


def test_missing_file_mismatched_classes_and_missing_images_are_named(
        synthetic_root, synthetic_classes, tmp_path):
    with pytest.raises(FileNotFoundError, match='missing.json does not exist'):
        dataset(synthetic_root, synthetic_classes, tmp_path / 'missing.json').get_data_info(0)
    write_points(tmp_path / 'other.json', ('a', 'b'), [])
    with pytest.raises(ValueError, match='other.json was written for the classes'):
        dataset(synthetic_root, synthetic_classes, tmp_path / 'other.json').get_data_info(0)
    write_points(tmp_path / 'few.json', synthetic_classes, ['nothing'])
    with pytest.raises(KeyError, match='has no points for image'):
        dataset(synthetic_root, synthetic_classes, tmp_path / 'few.json').get_data_info(0)
