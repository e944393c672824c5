"""A training pipeline never sees a stronger label than its config declares."""
import glob
import os.path as osp

import numpy as np
import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from PIL import Image

import mmwsis  # noqa: F401
from mmwsis.datasets import VOCInstanceDataset
from mmwsis.datasets.synthetic import CLASSES
from mmwsis.registry import DATASETS
from mmwsis.utils import register_all_modules

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
WEAK_CONFIGS = []
for path in sorted(glob.glob(osp.join(REPO, 'configs', '**', '*.py'), recursive=True)):
    if '_base_' in path:
        continue
    cfg = Config.fromfile(path)
    if cfg.train_dataloader.dataset.get('supervision', 'mask') != 'mask':
        WEAK_CONFIGS.append(path)

STRONGER = {
    'image': ('masks', 'bboxes', 'points', 'labels'),
    'point': ('masks', 'bboxes'),
    'box': ('masks', 'points'),
}


PSEUDO_VALUE = 7  # what the stand-in pseudo label maps hold


def write_pseudo_maps(dataset_cfg: dict, folder) -> None:
    """Constant pseudo label maps for every image of a dataset (stand-ins for IR labels)."""
    folder.mkdir(exist_ok=True)
    dataset = DATASETS.build(dict(dataset_cfg, pipeline=[], pseudo_seg_dir=None))
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        Image.fromarray(np.full((info['height'], info['width']), PSEUDO_VALUE, np.uint8)).save(
            folder / f'{info["img_id"]}.png')


def point_at_synthetic(dataset: dict, root) -> None:
    """Keep a config's pipeline and supervision, read the tiny synthetic data instead."""
    dataset.update(data_root=str(root), metainfo=dict(classes=CLASSES))
    if dataset.type == 'COCOInstanceDataset':
        dataset.update(ann_file='annotations/instances_train.json',
                       data_prefix=dict(img='JPEGImages/'))
    else:
        dataset.update(ann_file='ImageSets/Segmentation/train.txt')
    for transform in dataset.get('pipeline', []):
        if transform.type == 'LoadProposals':  # never into the config's store of real images
            count = transform.store.get('max_proposals', 100)
            transform.store = dict(root=str(root.parent / f'proposals_{count}'),
                                   max_proposals=count)


def first_batch(cfg: Config, root, pseudo_dir=None) -> dict:
    register_all_modules(init_default_scope=False)
    init_default_scope('mmwsis')
    loader_cfg = cfg.train_dataloader.copy()
    point_at_synthetic(loader_cfg.dataset, root)
    if 'pseudo_seg_dir' in loader_cfg.dataset:
        write_pseudo_maps(loader_cfg.dataset, pseudo_dir)
        loader_cfg.dataset.pseudo_seg_dir = str(pseudo_dir)
    loader_cfg.num_workers = 0
    loader_cfg.persistent_workers = False
    loader = Runner.build_dataloader(loader_cfg)
    return next(iter(loader))


def assert_no_stronger_labels(batch: dict, supervision: str) -> None:
    for sample in batch['data_samples']:
        if 'gt_sem_seg' in sample:  # only a pseudo label map may arrive, never GT classes
            values = set(sample.gt_sem_seg.sem_seg.unique().tolist())
            assert values <= {PSEUDO_VALUE, 255}, values
        assert sample.metainfo['supervision'] == supervision
        assert sample.metainfo['image_labels']
        for field in STRONGER[supervision]:
            assert field not in sample.gt_instances, (supervision, field)
            assert field not in sample.get('ignored_instances', {}), (supervision, field)


@pytest.mark.parametrize('path', WEAK_CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_weak_config_training_batch(path, synthetic_root, tmp_path):
    cfg = Config.fromfile(path)
    supervision = cfg.train_dataloader.dataset.supervision
    batch = first_batch(cfg, synthetic_root, tmp_path / 'pseudo')
    assert_no_stronger_labels(batch, supervision)


def image_level_cfg(pipeline_extra=()):
    cfg = Config.fromfile(osp.join(REPO, 'configs/refine/mask-rcnn_lite0_fpn_synthetic.py'))
    cfg.train_dataloader.dataset.supervision = 'image'
    cfg.train_dataloader.dataset.pipeline = [
        dict(type='mmdet.LoadImageFromFile'), *pipeline_extra,
        dict(type='mmdet.Resize', scale=(128, 128), keep_ratio=True),
        dict(type='PackWeakInputs')]
    cfg.train_dataloader.batch_size = 4
    return cfg


def test_image_level_batch_carries_no_mask_box_or_point(synthetic_root):
    assert_no_stronger_labels(first_batch(image_level_cfg(), synthetic_root), 'image')


def test_loading_masks_into_an_image_level_pipeline_is_refused(synthetic_root):
    cfg = image_level_cfg([dict(type='mmdet.LoadAnnotations', with_bbox=True, with_mask=True)])
    with pytest.raises(RuntimeError, match="declared supervision='image'"):
        first_batch(cfg, synthetic_root)


def test_image_level_data_info_has_no_instances(synthetic_root, synthetic_classes):
    dataset = VOCInstanceDataset(
        data_root=str(synthetic_root), ann_file='ImageSets/Segmentation/train.txt',
        metainfo=dict(classes=synthetic_classes), pipeline=[], supervision='image')
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        assert info['instances'] == [] and info['image_labels']
        assert 'seg_map_path' not in info  # the GT class map is hidden too
