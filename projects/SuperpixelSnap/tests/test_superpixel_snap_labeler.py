"""SuperpixelSnapLabeler from outside mmwsis: built from mmwsis's registry around a
labeler of the package, and through tools/test.py from a config that inherits an
``mmwsis::`` config and loads this project with ``custom_imports``."""
import json
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest
import torch

import projects.SuperpixelSnap.superpixel_snap  # noqa: F401  (registers the labeler)
from mmwsis.engine.pseudo_label import BaseLabeler
from mmwsis.registry import PSEUDO_LABELERS
from mmwsis.utils import register_all_modules

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
CONFIG = 'projects/SuperpixelSnap/configs/grabcut-snap_synthetic.py'


def disc_image(path: str) -> np.ndarray:
    """A red disc of radius 12 on a textured grey ground, 64 px; its (64, 64) mask."""
    rng = np.random.default_rng(0)
    image = rng.integers(100, 140, (64, 64, 3)).astype(np.uint8)
    disc = np.hypot(*np.mgrid[-32:32, -32:32]) < 12
    image[disc] = (20, 20, 220)  # BGR red
    cv2.imwrite(path, image)
    return disc


def coarse_sample(path: str, disc: np.ndarray) -> dict:
    """A teacher's coarse view of the disc (its mask at 1/8, upsampled: a blocky outline),
    as a box labeler's input: one mask, spilling past the disc, for one GT box around it."""
    coarse = cv2.resize(disc.astype(np.float32), (8, 8), interpolation=cv2.INTER_AREA)
    blocky = cv2.resize(coarse, (64, 64), interpolation=cv2.INTER_LINEAR) > 0.25
    box = np.array([[16, 16, 48, 48]], np.float32)
    return dict(img_path=path, ori_shape=(64, 64), box_masks=torch.from_numpy(blocky[None]),
                gt_instances=dict(bboxes=torch.from_numpy(box), labels=torch.zeros(1)))


def iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / (a | b).sum())


def decode(label) -> np.ndarray:
    from pycocotools import mask as mask_utils
    return mask_utils.decode(label.masks).transpose(2, 0, 1).astype(bool)


def test_a_coarse_mask_snaps_to_the_object_outline(tmp_path):
    register_all_modules(init_default_scope=False)
    path = str(tmp_path / 'disc.png')
    disc = disc_image(path)
    sample = coarse_sample(path, disc)
    plain = PSEUDO_LABELERS.build(dict(type='BoxPriorLabeler')).per_image(sample)
    labeler = PSEUDO_LABELERS.build(dict(type='SuperpixelSnapLabeler',
                                         labeler=dict(type='BoxPriorLabeler')))
    assert isinstance(labeler, BaseLabeler)
    snapped = labeler.per_image(sample)
    np.testing.assert_array_equal(snapped.labels, plain.labels)
    np.testing.assert_array_equal(snapped.scores, plain.scores)
    # the disc's one segment is taken whole, the ground's segments that the spill covers
    # less than half are left out
    interior = cv2.erode(disc.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    assert (decode(snapped)[0] >= interior).all()
    assert decode(snapped)[0].sum() < decode(plain)[0].sum()
    assert iou(decode(snapped)[0], disc) > iou(decode(plain)[0], disc) + 0.02


def test_labelers_without_per_image_masks_are_refused():
    register_all_modules(init_default_scope=False)
    with pytest.raises(ValueError, match='LIIDCutLabeler decides its instances over the whole'):
        PSEUDO_LABELERS.build(dict(type='SuperpixelSnapLabeler',
                                   labeler=dict(type='LIIDCutLabeler')))


def test_an_image_of_another_size_is_named(tmp_path):
    register_all_modules(init_default_scope=False)
    path = str(tmp_path / 'disc.png')
    sample = coarse_sample(path, disc_image(path))
    cv2.imwrite(path, np.zeros((32, 32, 3), np.uint8))
    labeler = PSEUDO_LABELERS.build(dict(type='SuperpixelSnapLabeler',
                                         labeler=dict(type='BoxPriorLabeler')))
    with pytest.raises(ValueError, match=r'disc.png: image of size \(32, 32\)'):
        labeler.per_image(sample)


def test_the_project_config_labels_through_tools_test(tiny_root, tmp_path):
    command = [sys.executable, 'tools/test.py', CONFIG, '--pseudo-label',
               '--work-dir', str(tmp_path), '--cfg-options', f'data_root={tiny_root}/',
               'pseudo_label.dataloader.num_workers=0']
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    data = json.loads((tmp_path / 'pseudo_labels' / 'train.json').read_text())
    gt = json.loads((tiny_root / 'annotations' / 'instances_train.json').read_text())
    assert 0.8 * len(gt['annotations']) <= len(data['annotations']) <= len(gt['annotations'])
    summary = json.loads((tmp_path / 'pseudo_labels' / 'train_summary.json').read_text())
    assert summary['metrics']['mAP25'] > 50.0

    # the project's measurement tool scores that json as labelled and snapped again
    command = [sys.executable, 'projects/SuperpixelSnap/tools/measure_snap.py', CONFIG,
               str(tmp_path / 'pseudo_labels' / 'train.json'), '--name', 'tiny',
               '--num-images', '6', '--scales', '0.05', '--out-dir', str(tmp_path),
               '--cfg-options', f'data_root={tiny_root}/']
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    measured = json.loads((tmp_path / 'tiny.json').read_text())
    assert measured['images'] == 6 and set(measured['after']) == {'0.05'}
    assert 0 < measured['before']['instance_mIoU'] <= 100
