"""BoxCaseg's samples: one per GT box, cropped around a jittered box, class-agnostic; and
salient-object images with their masks; the sampler that mixes them."""
import shutil

import numpy as np
import pytest
from mmengine.dataset import BaseDataset, ConcatDataset
from mmengine.registry import init_default_scope

from mmwsis.datasets import BoxInstanceDataset, MixedRatioSampler, SalientObjectDataset
from mmwsis.datasets.transforms import JitteredBoxCrop
from mmwsis.utils import register_all_modules


def crop_results(box=(20.0, 10.0, 60.0, 30.0)):
    image = np.zeros((50, 80, 3), np.uint8)
    x1, y1, x2, y2 = (int(v) for v in box)
    image[y1:y2, x1:x2] = 200
    return dict(img=image, img_shape=image.shape[:2], box_index=1,
                gt_bboxes=np.array([[0.0, 0.0, 5.0, 5.0], box]),
                gt_bboxes_labels=np.array([0, 1]), gt_ignore_flags=np.array([False, False]))


def test_an_unjittered_crop_is_the_box_and_its_target_is_all_one():
    out = JitteredBoxCrop(size=32, shift=0.0, scale_range=(1.0, 1.0))(crop_results())
    assert out['img'].shape == (32, 32, 3) and out['img_shape'] == (32, 32)
    assert (out['img'] == 200).all() and (out['gt_seg_map'] == 1).all()
    assert not {'gt_bboxes', 'gt_bboxes_labels', 'gt_ignore_flags'} & set(out)


def test_a_wider_window_puts_the_true_box_in_the_middle():
    # 1.5x the box, centred, inside the image: the box is the middle 2/3 of the crop
    out = JitteredBoxCrop(size=30, shift=0.0, scale_range=(1.5, 1.5))(crop_results())
    target = out['gt_seg_map']
    ys, xs = np.nonzero(target)
    assert (ys.min(), ys.max() + 1, xs.min(), xs.max() + 1) == (5, 25, 5, 25)
    np.testing.assert_array_equal(out['img'][..., 0] > 100, target == 1)


def test_jitter_stays_in_its_ranges():
    crop = JitteredBoxCrop(shift=0.25, scale_range=(0.5, 1.5))
    np.random.seed(0)
    windows = np.array([crop.window(np.array([20.0, 10.0, 60.0, 30.0])) for _ in range(500)])
    centres = (windows[:, :2] + windows[:, 2:]) / 2
    sides = windows[:, 2:] - windows[:, :2]
    assert (np.abs(centres - [40, 20]) <= np.array([5, 2.5]) + 1e-9).all()
    assert (sides >= np.array([20, 10]) - 1e-9).all()
    assert (sides <= np.array([60, 30]) + 1e-9).all()
    assert sides[:, 0].std() > 5  # it does jitter


def test_one_sample_per_box_at_box_supervision(synthetic_root, synthetic_classes):
    register_all_modules(init_default_scope=False)
    init_default_scope('mmwsis')
    dataset_cfg = dict(type='VOCInstanceDataset', data_root=str(synthetic_root),
                       ann_file='ImageSets/Segmentation/train.txt', supervision='box',
                       metainfo=dict(classes=synthetic_classes), pipeline=[])
    pipeline = [dict(type='mmdet.LoadImageFromFile'),
                dict(type='mmdet.LoadAnnotations', with_bbox=True),
                dict(type='JitteredBoxCrop', size=48),
                dict(type='PackWeakInputs', meta_keys=('img_path', 'img_shape', 'salient',
                                                       'supervision'))]
    boxes = BoxInstanceDataset(dataset_cfg, pipeline)
    images = boxes.dataset
    count = sum(len([i for i in images.get_data_info(j)['instances'] if not i['ignore_flag']])
                for j in range(len(images)))
    assert len(boxes) == count > len(images)
    info = boxes.get_data_info(1)
    assert 'mask' not in info['instances'][0] and info['salient'] is False
    sample = boxes[1]['data_samples']
    assert sample.gt_sem_seg.sem_seg.shape == (1, 48, 48)
    assert sample.gt_sem_seg.sem_seg.max() == 1 and sample.metainfo['salient'] is False
    assert len(sample.gt_instances) == 0  # class-agnostic: no box reaches the model
    with pytest.raises(ValueError, match="supervision='box'"):
        BoxInstanceDataset(dict(dataset_cfg, supervision='mask'), pipeline)


def test_salient_images_load_binary_masks_and_name_what_is_missing(synthetic_root, tmp_path):
    register_all_modules(init_default_scope=False)
    init_default_scope('mmwsis')
    pipeline = [dict(type='mmdet.LoadImageFromFile'), dict(type='LoadSaliencyMask'),
                dict(type='mmdet.RandomCrop', crop_size=(64, 64)),
                dict(type='mmdet.RandomFlip', prob=1.0, direction='vertical'),
                dict(type='PackWeakInputs', meta_keys=('img_path', 'img_shape', 'salient'))]
    root = synthetic_root / 'SalientObjects'
    salient = SalientObjectDataset(data_root=str(root), pipeline=pipeline)
    assert len(salient) == 4
    info = salient.get_data_info(0)
    assert info['salient'] is True and info['supervision'] == 'box'
    sample = salient[0]['data_samples']
    values = sample.gt_sem_seg.sem_seg.unique().tolist()
    assert set(values) <= {0, 1} and sample.metainfo['salient'] is True
    assert len(SalientObjectDataset(data_root=str(root), list_file=None)) == 4
    broken = tmp_path / 'broken'
    shutil.copytree(root, broken)
    (broken / 'Masks' / 'syn_salient_000002.png').unlink()
    with pytest.raises(FileNotFoundError, match='syn_salient_000002.png'):
        SalientObjectDataset(data_root=str(broken))
    with pytest.raises(FileNotFoundError, match="DUTS-TR-Image"):
        SalientObjectDataset(data_root=str(tmp_path / 'nowhere'))


class Part(BaseDataset):
    """A dataset of ``size`` empty infos."""

    def __init__(self, size):
        self.size = size
        super().__init__(metainfo=dict(classes=(str(size), )))

    def load_data_list(self):
        return [dict(index=i) for i in range(self.size)]


def test_mixed_ratio_sampler_keeps_every_box_and_fills_with_salient_samples():
    dataset = ConcatDataset([Part(11), Part(4)], ignore_keys='classes')
    sampler = MixedRatioSampler(dataset, ratio=0.6875, seed=3)
    indices = list(sampler)
    assert len(indices) == len(sampler) == 16  # ceil(11 / 0.6875)
    boxes = [i for i in indices if i < 11]
    assert sorted(boxes) == list(range(11))
    salient = np.bincount(np.array([i for i in indices if i >= 11]) - 11, minlength=4)
    assert sorted(salient.tolist()) == [1, 1, 1, 2]  # 5 draws of 4: each once, one twice
    assert indices != sorted(indices)  # shuffled together
    sampler.set_epoch(1)
    assert list(sampler) != indices and sorted(i for i in sampler if i < 11) == sorted(boxes)
    natural = list(MixedRatioSampler(dataset, seed=3))
    assert sorted(natural) == list(range(15))
    with pytest.raises(ValueError, match='ratio'):
        MixedRatioSampler(dataset, ratio=0.0)
    with pytest.raises(TypeError, match='two datasets'):
        MixedRatioSampler(Part(3))
