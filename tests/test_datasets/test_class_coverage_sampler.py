from collections import Counter
from unittest import mock

import pytest
from mmengine.dataset import DefaultSampler

from mmwsis.datasets import ClassCoverageSampler
from mmwsis.datasets.class_coverage_sampler import coverage_epoch_length, label_statistics


class LabelledImages:
    """``num_images`` images of ``num_classes`` classes, ``per_image`` labels each."""

    def __init__(self, num_images, num_classes, per_image):
        self.metainfo = dict(classes=tuple(f'c{i}' for i in range(num_classes)))
        self.labels = [[(i + k) % num_classes for k in range(per_image)]
                       for i in range(num_images)]

    def __len__(self):
        return len(self.labels)

    def get_data_info(self, idx):
        return dict(img_id=str(idx), image_labels=self.labels[idx])


def test_label_statistics():
    assert label_statistics(LabelledImages(40, 5, 2)) == (40, 5, 2.0)


def test_epoch_length_rule():
    # 400 images, 6 classes, 1.67 labels each: 111 per class, above the floor
    assert coverage_epoch_length(400, 6, 1.665, 100) == 400
    # 400 images, 10 classes, 1.49 labels each: 60 per class -> 672 samples
    assert coverage_epoch_length(400, 10, 1.49, 100) == 672
    assert coverage_epoch_length(400, 10, 1.49, 0) == 400


def test_same_indices_as_default_sampler_when_the_floor_does_not_bind():
    dataset = LabelledImages(50, 2, 1)  # 25 images per class
    ours = ClassCoverageSampler(dataset, min_images_per_class=20, seed=3)
    stock = DefaultSampler(dataset, seed=3)
    for epoch in (0, 1):
        ours.set_epoch(epoch)
        stock.set_epoch(epoch)
        assert len(ours) == len(stock) == 50
        assert list(ours) == list(stock)


def test_longer_epoch_visits_every_image_floor_or_ceil_times():
    dataset = LabelledImages(30, 6, 1)  # 5 images per class
    sampler = ClassCoverageSampler(dataset, min_images_per_class=12, seed=0)
    indices = list(sampler)
    assert len(sampler) == len(indices) == 72
    counts = Counter(indices)
    assert set(counts) == set(range(30))
    assert set(counts.values()) <= {2, 3}
    sampler.set_epoch(1)
    assert list(sampler) != indices


def test_ranks_split_the_epoch():
    dataset = LabelledImages(30, 6, 1)
    shards = []
    for rank in (0, 1):
        with mock.patch('mmengine.dataset.sampler.get_dist_info', return_value=(rank, 2)):
            shards.append(list(ClassCoverageSampler(dataset, min_images_per_class=12,
                                                    seed=0)))
    assert len(shards[0]) == len(shards[1]) == 36
    assert sorted(Counter(shards[0] + shards[1]).values()) == sorted(
        Counter(list(ClassCoverageSampler(dataset, min_images_per_class=12,
                                          seed=0))).values())


def test_dataset_without_image_labels_names_the_fix():
    class Plain(LabelledImages):
        def get_data_info(self, idx):
            return dict(img_id=str(idx))

    with pytest.raises(KeyError, match='image_labels'):
        ClassCoverageSampler(Plain(4, 2, 1), seed=0)
