"""An epoch long enough for every class: the schedule follows the number of labelled images.

A recipe's epochs (IRNet's 5 CAM epochs, Mask R-CNN's 12) were set on datasets where each
class has hundreds to thousands of labelled images: VOC train_aug ~780 per class, COCO
~4,000. A small dataset with many classes gives each class far fewer per epoch, and the
same epochs then under-train it (the photographic preset: 60 images per class, a CAM
classifier at F1 0.50 after 5 epochs). :class:`ClassCoverageSampler` makes one epoch
at least ``min_images_per_class`` labelled images of an average class::

    epoch length = max(N, ceil(min_images_per_class * C / m))

with N the training images, C the classes and m the mean number of classes per image,
all read from the image-level labels (which every supervision level carries). On a
dataset where the floor does not bind it yields exactly the indices of mmengine's
``DefaultSampler``; otherwise it chains further seeded permutations of the images, so
that each image appears floor(r) or ceil(r) times an epoch (r = epoch length / N).
"""
import math
from typing import Optional, Sized

import torch
from mmengine.logging import print_log

from mmwsis.registry import DATA_SAMPLERS
from .epoch_length_sampler import EpochLengthSampler


def label_statistics(dataset: Sized) -> tuple:
    """``(num_images, num_classes, mean classes per image)`` from the image labels.

    The dataset must serve ``image_labels`` in its data infos (every mmwsis dataset does)
    and name its classes in ``metainfo['classes']``.
    """
    classes = (getattr(dataset, 'metainfo', None) or {}).get('classes')
    if not classes:
        raise ValueError(f'{type(dataset).__name__} names no classes in its metainfo; '
                         'ClassCoverageSampler needs them to size an epoch')
    num_images = len(dataset)
    if num_images == 0:
        raise ValueError(f'{type(dataset).__name__} is empty: no training image to sample')
    label_pairs = 0
    for idx in range(num_images):
        info = dataset.get_data_info(idx)
        if 'image_labels' not in info:
            raise KeyError(f'{type(dataset).__name__} gives no image_labels; use an mmwsis '
                           'dataset (VOCInstanceDataset, COCOInstanceDataset) or '
                           "mmengine's DefaultSampler")
        label_pairs += len(info['image_labels'])
    return num_images, len(classes), label_pairs / num_images


def coverage_epoch_length(num_images: int, num_classes: int, labels_per_image: float,
                          min_images_per_class: int) -> int:
    """Samples in one epoch: ``max(N, ceil(min_images_per_class * C / m))``."""
    if labels_per_image <= 0:
        return num_images
    return max(num_images, math.ceil(min_images_per_class * num_classes / labels_per_image))


@DATA_SAMPLERS.register_module()
class ClassCoverageSampler(EpochLengthSampler):
    """``DefaultSampler`` whose epoch covers >= ``min_images_per_class`` images per class.

    Args:
        dataset (Sized): an mmwsis dataset (its data infos carry ``image_labels``).
        min_images_per_class (int): labelled images of an average class in one epoch.
            100 keeps the epoch of VOC, COCO and the built-in shapes (>= 111 per class) as
            it is and lengthens it where classes have fewer labelled images.
        shuffle, seed, round_up: as mmengine's ``DefaultSampler``.
    """

    def __init__(self,
                 dataset: Sized,
                 min_images_per_class: int = 100,
                 shuffle: bool = True,
                 seed: Optional[int] = None,
                 round_up: bool = True) -> None:
        super().__init__(dataset, shuffle=shuffle, seed=seed, round_up=round_up)
        if min_images_per_class < 0:
            raise ValueError(f'min_images_per_class must be >= 0, got {min_images_per_class}')
        num_images, num_classes, per_image = label_statistics(dataset)
        self.set_epoch_length(coverage_epoch_length(num_images, num_classes, per_image,
                                                    min_images_per_class))
        print_log(
            f'ClassCoverageSampler: {num_images} images, {num_classes} classes, '
            f'{per_image:.2f} labels per image, {num_images * per_image / num_classes:.0f} '
            f'labelled images per class -> an epoch of {self.epoch_length} samples '
            f'({self.epoch_length / num_images:.2f} passes; floor {min_images_per_class} '
            'per class)',
            logger='current')

    def _epoch_indices(self) -> list:
        num_images = len(self.dataset)
        passes = math.ceil(self.epoch_length / num_images)
        if self.shuffle:
            generator = torch.Generator()
            generator.manual_seed(self.seed + self.epoch)
            chunks = [torch.randperm(num_images, generator=generator) for _ in range(passes)]
        else:
            chunks = [torch.arange(num_images)] * passes
        return torch.cat(chunks)[:self.epoch_length].tolist()
