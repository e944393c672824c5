"""A training pipeline never sees a stronger label than its config declares."""
import glob
import json
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
from mmwsis.utils import apply_data_settings, register_all_modules

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
WEAK_CONFIGS = []
for path in sorted(glob.glob(osp.join(REPO, 'configs', '**', '*.py'), recursive=True)):
    if '_base_' not in path and Config.fromfile(path).get('supervision', 'mask') != 'mask':
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
    dataset = DATASETS.build(dict(dataset_cfg, pipeline=[], pseudo_seg_dir=None,
                                  pseudo_points_file=None))
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        Image.fromarray(np.full((info['height'], info['width']), PSEUDO_VALUE, np.uint8)).save(
            folder / f'{info["img_id"]}.png')


def write_pseudo_points(dataset_cfg: dict, path) -> None:
    """A stand-in point teacher's json: one point per image-label class at the image centre
    (made from the image labels only, as PRM's peaks are)."""
    dataset = DATASETS.build(dict(dataset_cfg, pipeline=[], pseudo_seg_dir=None,
                                  pseudo_points_file=None))
    images = {}
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        labels = list(info['image_labels'])
        images[str(info['img_id'])] = dict(
            points=[[info['width'] / 2, info['height'] / 2]] * len(labels), labels=labels,
            scores=[1.0] * len(labels))
    path.write_text(json.dumps(dict(classes=list(dataset.metainfo['classes']), images=images)))


def synthetic_data(cfg: Config, root) -> dict:
    """Data settings that keep a config's dataset type but read the tiny synthetic data
    (its VOC layout, or its COCO json for COCO configs), as a user's own data would."""
    kind = cfg.data_splits.train.type
    # the other splits are BoxCaseg's salient images (DUT-TR-Single on VOC): the tiny data's
    others = {name: dict(type=split.type, img_dir='SalientObjects/JPEGImages',
                         mask_dir='SalientObjects/Masks', list_file='SalientObjects/list.txt')
              for name, split in cfg.data_splits.items() if name not in ('train', 'val')}
    if kind == 'COCOInstanceDataset':
        splits = {split: dict(type=kind, ann_file=f'annotations/instances_{split}.json',
                              data_prefix=dict(img='JPEGImages/')) for split in ('train', 'val')}
    else:
        splits = {split: dict(type=kind, ann_file=f'ImageSets/Segmentation/{split}.txt',
                              data_prefix=dict(img='JPEGImages/')) for split in ('train', 'val')}
    return dict(data_root=f'{root}/', classes=CLASSES, data_splits=dict(others, **splits))


def first_batch(cfg: Config, root, pseudo_dir=None) -> dict:
    """The first training batch of ``cfg`` pointed at the tiny data (unresolved ``cfg``);
    for a config that trains nothing (BoxPrior), the first batch it labels."""
    register_all_modules(init_default_scope=False)
    init_default_scope('mmwsis')
    cfg = Config(cfg.to_dict())
    for key, value in synthetic_data(cfg, root).items():
        cfg[key] = value
    apply_data_settings(cfg)
    loader_cfg = (cfg.train_dataloader if 'train_dataloader' in cfg else
                  cfg.pseudo_label.dataloader).copy()
    for transform in loader_cfg.dataset.get('pipeline', []):
        if (transform.type in ('LoadProposals', 'LoadProposalsWithRelations')
                and transform.store.source != 'generate'):
            # MCG files are not in the tiny data: the built-in generator stands in
            top = transform.store.max_proposals
            transform.store = dict(root=str(root.parent / f'proposals_generated_{top}'),
                                   max_proposals=top)
    if 'pseudo_seg_dir' in loader_cfg.dataset:
        write_pseudo_maps(loader_cfg.dataset, pseudo_dir)
        loader_cfg.dataset.pseudo_seg_dir = str(pseudo_dir)
    if 'pseudo_points_file' in loader_cfg.dataset:
        pseudo_dir.mkdir(exist_ok=True)
        write_pseudo_points(loader_cfg.dataset, pseudo_dir / 'points.json')
        loader_cfg.dataset.pseudo_points_file = str(pseudo_dir / 'points.json')
    loader_cfg.num_workers = 0
    loader_cfg.persistent_workers = False
    loader = Runner.build_dataloader(loader_cfg)
    return next(iter(loader))


def assert_no_stronger_labels(batch: dict, supervision: str) -> None:
    for sample in batch['data_samples']:
        assert sample.metainfo['supervision'] == supervision
        if sample.metainfo.get('salient'):
            # class-agnostic masks of the salient split's own images, never of labelled ones
            assert osp.basename(sample.metainfo['img_path']).startswith('syn_salient_')
            continue
        if 'gt_sem_seg' in sample:  # a pseudo label map, or a box's map; never GT classes
            sem_seg = sample.gt_sem_seg.sem_seg[0]
            values = set(sem_seg.unique().tolist())
            if supervision == 'box' and values <= {0, 1}:  # BoxCaseg: the box, filled
                ys, xs = np.nonzero(sem_seg.numpy())
                assert (sem_seg[ys.min():ys.max() + 1, xs.min():xs.max() + 1] == 1).all()
            else:
                assert values <= {PSEUDO_VALUE, 255}, values
        assert sample.metainfo['image_labels']
        for field in STRONGER[supervision]:
            assert field not in sample.gt_instances, (supervision, field)
            assert field not in sample.get('ignored_instances', {}), (supervision, field)


@pytest.mark.parametrize('path', WEAK_CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_weak_config_training_batch(path, synthetic_root, tmp_path):
    """The batch a weak config trains on carries nothing above its declared supervision."""
    cfg = Config.fromfile(path)
    loader = cfg.get('train_dataloader', cfg.pseudo_label.dataloader)
    assert loader.dataset.get('supervision') in (None, cfg.supervision), (
        'a training dataset must not override the supervision its config declares')
    batch = first_batch(cfg, synthetic_root, tmp_path / 'pseudo')
    assert_no_stronger_labels(batch, cfg.supervision)


def image_level_cfg(pipeline_extra=()):
    cfg = Config.fromfile(osp.join(REPO, 'configs/refine/mask-rcnn_lite0_fpn_synthetic.py'))
    cfg.supervision = 'image'
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
