"""Configs resolve the way mmdet users expect: `mmdet::` bases, `mmwsis::` from elsewhere."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.registry import DefaultScope

import mmwsis  # noqa: F401
from mmwsis.registry import MODELS
from mmwsis.utils import register_all_modules

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = sorted(p for p in glob.glob(osp.join(REPO, 'configs', '**', '*.py'), recursive=True)
                 if '_base_' not in p)


def test_config_basenames_are_unique():
    """`mim` finds a config by its basename across the whole package."""
    names = [osp.basename(p) for p in glob.glob(osp.join(REPO, 'configs', '**', '*.py'),
                                                 recursive=True)]
    duplicates = {n for n in names if names.count(n) > 1}
    assert not duplicates


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_every_config_parses_with_mmwsis_scope(path):
    cfg = Config.fromfile(path)
    assert cfg.default_scope == 'mmwsis'
    assert cfg.model.type


def test_downstream_config_inherits_mmwsis_package_path(tmp_path):
    downstream = tmp_path / 'my_refine.py'
    downstream.write_text("_base_ = 'mmwsis::refine/mask-rcnn_lite0_fpn_synthetic.py'\n"
                          "train_cfg = dict(max_epochs=1)\n")
    cfg = Config.fromfile(str(downstream))
    assert cfg.model.backbone.type == 'mmwsis.EfficientNetLite0'
    assert cfg.model.roi_head.mask_head.num_classes == 6
    assert cfg.train_cfg.max_epochs == 1


def test_mmwsis_modules_resolve_from_the_mmdet_scope():
    register_all_modules(init_default_scope=False)
    with DefaultScope.overwrite_default_scope('mmdet'):
        backbone = MODELS.build(dict(type='mmwsis.EfficientNetLite0', pretrained=False))
    assert backbone.out_channels == (24, 40, 112, 320)
