"""CIM's PRM peaks through the collector: the points json and its scores against GT."""
import json

import numpy as np
import pytest
import torch
from mmengine.logging import MMLogger
from scipy import ndimage

from mmwsis.datasets import VOCInstanceDataset
from mmwsis.engine.pseudo_label import PseudoLabel
from mmwsis.registry import METRICS
from mmwsis.utils import register_all_modules

from .test_labeler_outputs import gt_instances, reference_dataset


def peak_maps(info: dict, extra_class: bool) -> dict:
    """One narrow bump per GT instance at its most interior pixel, a map per image class
    (and, with ``extra_class``, a map of a class the image does not have)."""
    masks, labels = gt_instances(info)
    classes = sorted(set(labels.tolist()))
    ys, xs = np.mgrid[0:info['height'], 0:info['width']]
    maps = np.zeros((len(classes) + extra_class, info['height'], info['width']), np.float32)
    for mask, label in zip(masks, labels):
        depth = ndimage.distance_transform_edt(mask)
        y, x = np.unravel_index(np.argmax(depth), depth.shape)
        maps[classes.index(label)] += np.exp(-((ys - y) ** 2 + (xs - x) ** 2) / 2.0)
    map_labels = classes + ([max(classes) + 1] if extra_class else [])
    if extra_class:
        maps[-1] = maps[0]
    return dict(cams_full=torch.from_numpy(maps), cam_labels=torch.tensor(map_labels))


def run(root, classes, out_dir, extra_class=False):
    register_all_modules(init_default_scope=False)
    MMLogger.get_instance('test_cim_labelers')
    dataset_cfg = reference_dataset(root, classes)
    collector = METRICS.build(dict(type='PseudoLabelCollector', out_dir=str(out_dir),
                                   labeler=dict(type='PeakPointLabeler', rel_thr=0.3),
                                   dataset=dataset_cfg))
    dataset = VOCInstanceDataset(**{k: v for k, v in dataset_cfg.items() if k != 'type'})
    for index in range(len(dataset)):
        info = dataset.get_data_info(index)
        collector.process({}, [dict(peak_maps(info, extra_class), img_id=info['img_id'],
                                    img_path=info['img_path'],
                                    ori_shape=(info['height'], info['width']),
                                    image_labels=info['image_labels'])])
    return collector.compute_metrics(collector.results), dataset


def test_one_peak_per_instance_scores_full_precision_and_recall(
        synthetic_root, synthetic_classes, tmp_path):
    metrics, dataset = run(synthetic_root, synthetic_classes, tmp_path)
    data = json.loads((tmp_path / 'train.json').read_text())
    assert data['classes'] == list(synthetic_classes)
    assert len(data['images']) == len(dataset)
    instances = sum(len(dataset.get_data_info(i)['instances']) for i in range(len(dataset)))
    assert sum(len(item['points']) for item in data['images'].values()) <= instances
    assert metrics['point_precision'] == pytest.approx(100.0)
    assert metrics['point_recall'] > 80.0  # touching same-class bumps can merge into one
    summary = json.loads((tmp_path / 'train_summary.json').read_text())
    assert summary['metrics'] == metrics and summary['scored_images'] == len(dataset)


def test_points_of_classes_outside_the_image_labels_are_dropped(
        synthetic_root, synthetic_classes, tmp_path):
    run(synthetic_root, synthetic_classes, tmp_path, extra_class=True)
    data = json.loads((tmp_path / 'train.json').read_text())
    dataset = VOCInstanceDataset(**{k: v for k, v in reference_dataset(
        synthetic_root, synthetic_classes).items() if k != 'type'})
    for index in range(len(dataset)):
        info = dataset.get_data_info(index)
        item = data['images'][str(info['img_id'])]
        assert set(item['labels']) <= set(info['image_labels'])
        assert item['scores'] == sorted(item['scores'], reverse=True)


def test_point_set_validation_and_cache_round_trip():
    label = PseudoLabel.point_set([[1.5, 2.0]], [3], [0.9])
    assert len(label) == 1
    again = PseudoLabel.from_dict(label.to_dict())
    np.testing.assert_array_equal(again.points, [[1.5, 2.0]])
    with pytest.raises(ValueError, match='one of each per point'):
        PseudoLabel.point_set([[1, 2], [3, 4]], [0], [1.0])
    old = {k: v for k, v in PseudoLabel.instances([], [], []).to_dict().items()
           if k != 'points'}
    assert PseudoLabel.from_dict(old).points is None  # caches written before points
