"""A config names its data once: datasets, metrics and every num_classes follow."""
import os.path as osp

import pytest
from mmengine.config import Config

from mmwsis.registry import DATASETS, METRICS
from mmwsis.utils import apply_data_settings
from mmwsis.utils import register_all_modules

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def data_cfg(**overrides) -> Config:
    cfg = Config(dict(
        data_root='data/mine/', classes=('cat', 'dog', 'bird'), supervision='image',
        data_splits=dict(
            train=dict(type='VOCInstanceDataset', ann_file='ImageSets/Segmentation/train.txt',
                       data_prefix=dict(img='JPEGImages/')),
            val=dict(type='COCOInstanceDataset', ann_file='annotations/val.json',
                     data_prefix=dict(img='val/'))),
        instance_metric=dict(type='InstanceMAPMetric', mode='voc'),
        model=dict(type='M', num_classes=80, head=dict(num_classes=80), other=dict(depth=3)),
        train_dataloader=dict(dataset=dict(type='DataSplit', split='train', pipeline=[
            dict(type='AssignProposalClusters', num_classes=80)])),
        val_dataloader=dict(dataset=dict(type='DataSplit', split='val', supervision='mask',
                                         data_prefix=dict(seg='seg/'), test_mode=True)),
        val_evaluator=dict(type='DataMetric', prefix='mine')))
    cfg.merge_from_dict(overrides)
    return cfg


def test_splits_take_root_classes_and_supervision_and_their_own_keys_win():
    cfg = apply_data_settings(data_cfg())
    train, val = cfg.train_dataloader.dataset, cfg.val_dataloader.dataset
    assert train == dict(type='VOCInstanceDataset', ann_file='ImageSets/Segmentation/train.txt',
                         data_prefix=dict(img='JPEGImages/'), data_root='data/mine/',
                         metainfo=dict(classes=('cat', 'dog', 'bird')), supervision='image',
                         pipeline=[dict(type='AssignProposalClusters', num_classes=3)])
    assert val.type == 'COCOInstanceDataset' and val.supervision == 'mask'
    assert val.data_prefix == dict(img='val/', seg='seg/')  # merged, not replaced
    assert cfg.val_evaluator == dict(type='InstanceMAPMetric', mode='voc', prefix='mine')


def test_a_split_kept_elsewhere_keeps_its_own_root():
    """BoxCaseg's salient images are not under the labelled data's root."""
    cfg = data_cfg(data_splits=dict(salient=dict(type='SalientObjectDataset',
                                                 data_root='data/DUT-TR-Single/')),
                   train_dataloader=dict(dataset=dict(split='salient')))
    dataset = apply_data_settings(cfg).train_dataloader.dataset
    assert dataset.data_root == 'data/DUT-TR-Single/'
    assert dataset.metainfo == dict(classes=('cat', 'dog', 'bird'))


def test_every_num_classes_of_the_model_and_loaders_follows_the_classes():
    cfg = apply_data_settings(data_cfg())
    assert cfg.num_classes == 3
    assert cfg.model.num_classes == 3 and cfg.model.head.num_classes == 3
    assert cfg.train_dataloader.dataset.pipeline[0].num_classes == 3
    assert cfg.model.other == dict(depth=3)


def test_resolving_twice_changes_nothing():
    once = apply_data_settings(data_cfg())
    assert apply_data_settings(Config(once.to_dict())).to_dict() == once.to_dict()


def test_pseudo_label_json_reads_the_split_images(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = data_cfg()
    cfg.train_dataloader.dataset.labels = 'work/train.json'
    dataset = apply_data_settings(cfg).train_dataloader.dataset
    assert dataset.type == 'COCOInstanceDataset'
    assert dataset.ann_file == str(tmp_path / 'work' / 'train.json')
    assert dataset.data_prefix == dict(img='JPEGImages/')


def test_coco_metric_scores_against_the_val_split_json():
    cfg = data_cfg(instance_metric=dict(type='mmdet.CocoMetric', metric=['segm']))
    metric = apply_data_settings(cfg).val_evaluator
    assert metric.ann_file == 'data/mine/annotations/val.json'
    cfg = data_cfg(instance_metric=dict(type='mmdet.CocoMetric'))
    cfg.data_splits.val.ann_file = 'ImageSets/Segmentation/val.txt'
    with pytest.raises(ValueError, match='COCO json'):
        apply_data_settings(cfg)


def test_bad_settings_are_named():
    with pytest.raises(KeyError, match="data_splits has \\['train', 'val'\\]"):
        apply_data_settings(data_cfg(train_dataloader=dict(dataset=dict(split='test'))))
    with pytest.raises(ValueError, match="listed twice: \\['cat'\\]"):
        apply_data_settings(data_cfg(classes=('cat', 'cat')))


def test_an_unresolved_reference_says_how_to_resolve_it():
    register_all_modules(init_default_scope=False)
    with pytest.raises(RuntimeError, match='apply_data_settings'):
        DATASETS.build(dict(type='DataSplit', split='train'))
    with pytest.raises(RuntimeError, match='apply_data_settings'):
        METRICS.build(dict(type='DataMetric'))


def test_a_plain_mmdet_config_is_left_alone():
    cfg = Config(dict(model=dict(num_classes=80)))
    assert apply_data_settings(cfg).model.num_classes == 80
