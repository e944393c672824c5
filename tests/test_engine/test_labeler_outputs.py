"""IRNet's and LIID's labelers write the pseudo json they wrote before the labeler contract.

The teacher outputs are made from each tiny-dataset image's GT with a seeded generator (no
network runs), so the json depends only on the labelers and the collector. The files in
``tests/data/pseudo_labels/`` were written by the code before ``BaseLabeler`` existed; a
change that alters them changes the pseudo labels every method gives.
"""
import json
import os.path as osp

import numpy as np
import pycocotools.mask as mask_utils
import pytest
import torch
from scipy import ndimage
from mmengine.logging import MMLogger

from mmwsis.datasets import VOCInstanceDataset
from mmwsis.registry import METRICS
from mmwsis.utils import register_all_modules

GOLDEN = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'data', 'pseudo_labels')
STRIDE = 4


def reference_dataset(root, classes) -> dict:
    return dict(type='VOCInstanceDataset', data_root=str(root),
                ann_file='ImageSets/Segmentation/train.txt', metainfo=dict(classes=classes),
                supervision='mask', test_mode=True, pipeline=[])


def gt_instances(info: dict):
    """(N, H, W) bool masks and (N,) labels of one image's GT."""
    masks = np.stack([mask_utils.decode(inst['mask']).astype(bool)
                      for inst in info['instances']])
    return masks, np.array([inst['bbox_label'] for inst in info['instances']])


def irn_teacher_output(info: dict, rng: np.random.Generator) -> dict:
    """IRNet-like outputs on the stride-4 grid: noisy CAMs, boundaries and displacements
    towards each GT instance's centroid."""
    masks, labels = gt_instances(info)
    grid = masks[:, STRIDE // 2::STRIDE, STRIDE // 2::STRIDE]
    h, w = grid.shape[1:]
    classes = np.unique(labels)
    cams = np.stack([grid[labels == c].any(0) for c in classes]).astype(np.float32)
    cams = np.clip(cams * rng.uniform(0.5, 1.0, cams.shape) + rng.uniform(0, 0.2, cams.shape),
                   0, None).astype(np.float32)
    boundary = np.zeros((h, w), np.float32)
    displacement = np.zeros((2, h, w), np.float32)
    ys, xs = np.mgrid[0:h, 0:w]
    for mask in grid:
        if not mask.any():
            continue
        cy, cx = ys[mask].mean(), xs[mask].mean()
        displacement[0][mask] = cy - ys[mask]
        displacement[1][mask] = cx - xs[mask]
        boundary[ndimage.binary_dilation(mask) & ~mask] = 0.9
    displacement += rng.normal(0, 0.1, displacement.shape).astype(np.float32)
    boundary = np.clip(boundary + rng.uniform(0, 0.1, boundary.shape), 0, 1).astype(np.float32)
    return dict(cams=torch.from_numpy(cams), cam_labels=torch.from_numpy(classes),
                boundary=torch.from_numpy(boundary),
                displacement=torch.from_numpy(displacement), teacher_scale=1.0)


def liid_teacher_output(info: dict, rng: np.random.Generator, num_classes: int) -> dict:
    """MIL-like outputs: GT masks and shifted copies as proposals, class-coloured features."""
    masks, labels = gt_instances(info)
    shifted = np.roll(masks, shift=int(rng.integers(3, 9)), axis=2)
    proposals = np.concatenate([masks, shifted, masks | shifted[::-1]])
    proposal_labels = np.concatenate([labels, labels, labels[::-1]])
    probs = rng.uniform(0, 0.6, (len(proposals), num_classes + 1))
    probs[np.arange(len(proposals)), proposal_labels + 1] += rng.uniform(0.0, 1.0, len(proposals))
    probs /= probs.sum(1, keepdims=True)
    image_labels = np.zeros(num_classes + 1, bool)
    image_labels[0] = True
    image_labels[np.unique(labels) + 1] = True
    probs *= image_labels
    feats = np.eye(num_classes + 1)[proposal_labels + 1].repeat(4, axis=1)
    feats = feats + rng.normal(0, 0.1, feats.shape)
    rles = mask_utils.encode(np.asfortranarray(proposals.transpose(1, 2, 0).astype(np.uint8)))
    return dict(proposal_probs=torch.tensor(probs, dtype=torch.float32),
                proposal_feats=torch.tensor(feats, dtype=torch.float32),
                proposal_masks=list(rles),
                proposals=dict(scores=torch.tensor(rng.uniform(0.2, 1, len(proposals)),
                                                   dtype=torch.float32)))


def run_collector(labeler: dict, make_output, root, classes, out_dir) -> str:
    """Feed made-up teacher outputs of every tiny train image to a collector; the json."""
    register_all_modules(init_default_scope=False)
    MMLogger.get_instance('test_labeler_outputs')
    dataset_cfg = reference_dataset(root, classes)
    collector = METRICS.build(dict(type='PseudoLabelCollector', labeler=labeler,
                                   dataset=dataset_cfg, out_dir=str(out_dir)))
    dataset = VOCInstanceDataset(**{k: v for k, v in dataset_cfg.items() if k != 'type'})
    for index in range(len(dataset)):
        info = dataset.get_data_info(index)
        rng = np.random.default_rng([7, index])
        sample = dict(make_output(info, rng), img_id=info['img_id'], img_path=info['img_path'],
                      ori_shape=(info['height'], info['width']),
                      image_labels=info['image_labels'])
        collector.process({}, [sample])
    collector.compute_metrics(collector.results)
    return (out_dir / 'train.json').read_text()


CASES = {
    'irn': (dict(type='IRNInstanceLabeler', min_area_ratio=0.01, log2_steps=5,
                 boundary_split=0.15), lambda info, rng, n: irn_teacher_output(info, rng)),
    'liid': (dict(type='LIIDCutLabeler', graph=dict(k=3, neighbour_rule='mutual'),
                  cut=dict(num_workers=1, progress=False)), liid_teacher_output),
}


@pytest.mark.parametrize('method', sorted(CASES))
def test_pseudo_json_is_unchanged(method, synthetic_root, synthetic_classes, tmp_path):
    labeler, output = CASES[method]
    written = run_collector(labeler, lambda info, rng: output(info, rng, len(synthetic_classes)),
                            synthetic_root, synthetic_classes, tmp_path)
    data = json.loads(written)
    assert data['annotations'], 'the made-up teacher outputs should give instances'
    with open(osp.join(GOLDEN, f'{method}_train.json')) as f:
        assert written == f.read()
