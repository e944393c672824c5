"""BESTIE's labelers through the collector: PAM points and instances from made-up outputs."""
import json

import numpy as np
import pytest
import torch
from mmengine.logging import MMLogger

from mmwsis.datasets import VOCInstanceDataset
from mmwsis.engine.pseudo_label import BESTIELabeler, PAMPointLabeler
from mmwsis.registry import METRICS
from mmwsis.utils import register_all_modules

from .test_labeler_outputs import gt_instances, reference_dataset

SCALE = 2  # the teacher works at twice the image size, as BESTIE's configs


def bestie_outputs(info: dict) -> dict:
    """What a perfect BESTIE gives at ``SCALE`` x: one-hot GT classes, a Gaussian at each
    instance's centroid and offsets towards it."""
    masks, labels = gt_instances(info)
    masks = masks.repeat(SCALE, axis=1).repeat(SCALE, axis=2)
    num_classes = int(labels.max()) + 1
    h, w = masks.shape[1:]
    seg = np.zeros((num_classes + 1, h, w), np.float32)
    seg[0] = 1.0
    center = np.zeros((num_classes, h, w), np.float32)
    offset = np.zeros((2, h, w), np.float32)
    ys, xs = np.mgrid[0:h, 0:w]
    for mask, label in zip(masks, labels):
        seg[:, mask] = 0.0
        seg[label + 1, mask] = 1.0
        cy, cx = ys[mask].mean(), xs[mask].mean()
        center[label] = np.maximum(center[label],
                                   np.exp(-((ys - cy) ** 2 + (xs - cx) ** 2) / 72.0))
        offset[0][mask], offset[1][mask] = cy - ys[mask], cx - xs[mask]
    return dict(seg_prob=torch.from_numpy(seg), center=torch.from_numpy(center),
                offset=torch.from_numpy(offset), teacher_scale=float(SCALE))


def run(root, classes, out_dir, labeler, outputs):
    register_all_modules(init_default_scope=False)
    MMLogger.get_instance('test_bestie_labelers')
    dataset_cfg = reference_dataset(root, classes)
    collector = METRICS.build(dict(type='PseudoLabelCollector', out_dir=str(out_dir),
                                   labeler=labeler, dataset=dataset_cfg))
    dataset = VOCInstanceDataset(**{k: v for k, v in dataset_cfg.items() if k != 'type'})
    for index in range(len(dataset)):
        info = dataset.get_data_info(index)
        collector.process({}, [dict(outputs(info), img_id=info['img_id'],
                                    img_path=info['img_path'],
                                    ori_shape=(info['height'], info['width']),
                                    image_labels=info['image_labels'])])
    return collector.compute_metrics(collector.results)


def test_perfect_outputs_give_the_gt_instances_at_the_original_size(
        synthetic_root, synthetic_classes, tmp_path):
    metrics = run(synthetic_root, synthetic_classes, tmp_path,
                  dict(type='BESTIELabeler', thr=0.1, nms_window=41, min_area=50),
                  bestie_outputs)
    data = json.loads((tmp_path / 'train.json').read_text())
    assert data['annotations'] and all(0 < a['score'] <= 1 for a in data['annotations'])
    assert metrics['mAP50'] > 90.0  # touching same-class objects can share a centre


def wsss_outputs(info: dict) -> dict:
    """A network that sees no object (background everywhere) but perfect centres and
    offsets, and the GT's semantic map as the WSSS map, packed and padded as mmdet's
    preprocessor leaves it (1, H', W'), 255 outside the image."""
    outputs = bestie_outputs(info)
    outputs['seg_prob'][0], outputs['seg_prob'][1:] = 1.0, 0.0
    masks, labels = gt_instances(info)
    semantic = np.full((1, info['height'] + 7, info['width'] + 3), 255, np.uint8)
    semantic[0, :info['height'], :info['width']] = 0
    for mask, label in zip(masks, labels):
        semantic[0, :info['height'], :info['width']][mask] = label + 1
    outputs['gt_sem_seg'] = dict(sem_seg=torch.from_numpy(semantic))
    return outputs


def test_wsss_semantic_groups_the_wsss_map_with_the_networks_centres(
        synthetic_root, synthetic_classes, tmp_path):
    labeler = dict(type='BESTIELabeler', thr=0.1, nms_window=41, min_area=50)
    wsss = run(synthetic_root, synthetic_classes, tmp_path / 'wsss',
               dict(labeler, semantic='wsss'), wsss_outputs)
    assert wsss['mAP50'] > 90.0
    network = run(synthetic_root, synthetic_classes, tmp_path / 'network', labeler,
                  wsss_outputs)
    assert network['mAP50'] == 0.0  # the network's own map has no object
    with pytest.raises(KeyError, match='LoadPseudoSegMap'):
        run(synthetic_root, synthetic_classes, tmp_path / 'missing',
            dict(labeler, semantic='wsss'), bestie_outputs)
    with pytest.raises(ValueError, match='semantic='):
        BESTIELabeler(semantic='gt')


def test_pam_points_scale_their_window_with_the_image():
    labeler = PAMPointLabeler(nms_window=15, window_short_side=321)
    assert [labeler.window_for(s, 500) for s in (160, 321, 375)] == [7, 15, 17]
    assert PAMPointLabeler(nms_window=15, window_short_side=None).window_for(160, 160) == 15
    maps = np.zeros((1, 160, 160), np.float32)
    # 3 x 3 plateaus: the 3 x 3 mean keeps their value at their centre
    maps[0, 39:42, 39:42], maps[0, 39:42, 49:52], maps[0, 119:122, 119:122] = 1.0, 0.9, 0.8
    label = labeler.per_image(dict(cams_full=torch.from_numpy(maps),
                                   cam_labels=torch.tensor([2])))
    # a 7 px window at 160 px keeps two peaks 10 px apart (15 px would merge them)
    np.testing.assert_allclose(label.points, [[40, 40], [50, 40], [120, 120]])
    np.testing.assert_allclose(label.scores, [1.0, 0.9, 0.8], rtol=1e-5)
    assert label.labels.tolist() == [2, 2, 2]
