"""Configs resolve the way mmdet users expect: `mmdet::` bases, `mmwsis::` from elsewhere."""
import glob
import os.path as osp

import pytest
from mmdet.datasets import CocoDataset
from mmengine.config import Config
from mmengine.registry import DefaultScope

import mmwsis  # noqa: F401
from mmwsis.registry import MODELS, PSEUDO_LABELERS
from mmwsis.utils import load_config, register_all_modules

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = sorted(p for p in glob.glob(osp.join(REPO, 'configs', '**', '*.py'), recursive=True)
                 if '_base_' not in p)


def test_config_basenames_are_unique():
    """`mim` finds a config by its basename across the whole package."""
    names = [osp.basename(p) for p in glob.glob(osp.join(REPO, 'configs', '**', '*.py'),
                                                 recursive=True)]
    duplicates = {n for n in names if names.count(n) > 1}
    assert not duplicates


def num_classes_in(node):
    if isinstance(node, dict):
        found = [node['num_classes']] if 'num_classes' in node else []
        return found + [n for v in node.values() for n in num_classes_in(v)]
    if isinstance(node, (list, tuple)):
        return [n for v in node for n in num_classes_in(v)]
    return []


CLASS_AGNOSTIC = ('BoxCaseg', 'BoxPrior', 'PassThrough')  # models without num_classes


def leaf_datasets(dataset: dict) -> list:
    """The datasets a (wrapped, concatenated) dataset config reads."""
    if 'datasets' in dataset:
        return [leaf for part in dataset.datasets for leaf in leaf_datasets(part)]
    if 'dataset' in dataset:
        return leaf_datasets(dataset.dataset)
    return [dataset]


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_every_config_resolves_to_its_data(path):
    cfg = load_config(path)
    assert cfg.default_scope == 'mmwsis'
    assert cfg.model.type
    for key in ('model', 'train_dataloader', 'pseudo_label'):
        assert set(num_classes_in(cfg.to_dict().get(key))) <= {len(cfg.classes)}
    if cfg.model.type not in CLASS_AGNOSTIC:
        assert set(num_classes_in(cfg.to_dict()['model'])) == {len(cfg.classes)}
    assert 'DataSplit' not in cfg.pretty_text and 'DataMetric' not in cfg.pretty_text
    # a model without weights (BoxPrior) is not trained: its pseudo-label loader is all
    loader = cfg.train_dataloader if 'train_dataloader' in cfg else cfg.pseudo_label.dataloader
    roots = {cfg.data_root} | {split.get('data_root') for split in cfg.data_splits.values()}
    for dataset in leaf_datasets(loader.dataset):
        assert dataset.data_root in roots - {None}  # a split may live elsewhere (salient)
        assert tuple(dataset.metainfo['classes']) == cfg.classes
        assert dataset.supervision == cfg.supervision
    if 'pseudo_label' in cfg:  # a labeler of another method's keys fails here, not on a GPU
        register_all_modules()
        PSEUDO_LABELERS.build(cfg.pseudo_label.labeler)


def test_coco_classes_are_mmdets():
    cfg = Config.fromfile(osp.join(REPO, 'configs/_base_/datasets/coco.py'))
    assert cfg.classes == CocoDataset.METAINFO['classes']


def test_downstream_config_inherits_mmwsis_package_path(tmp_path):
    downstream = tmp_path / 'my_refine.py'
    downstream.write_text("_base_ = 'mmwsis::refine/mask-rcnn_lite0_fpn_synthetic.py'\n"
                          "train_cfg = dict(max_epochs=1)\n")
    cfg = load_config(str(downstream))
    assert cfg.model.backbone.type == 'mmwsis.EfficientNetLite0'
    assert cfg.model.roi_head.mask_head.num_classes == 6
    assert cfg.train_cfg.max_epochs == 1


def test_mmwsis_modules_resolve_from_the_mmdet_scope():
    register_all_modules(init_default_scope=False)
    with DefaultScope.overwrite_default_scope('mmdet'):
        backbone = MODELS.build(dict(type='mmwsis.EfficientNetLite0', pretrained=False))
    assert backbone.out_channels == (24, 40, 112, 320)
