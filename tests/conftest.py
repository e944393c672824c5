"""Shared fixtures: one tiny synthetic dataset per test session."""
import shutil

import pytest

from mmwsis.datasets.synthetic import CLASSES, write_synthetic_dataset


@pytest.fixture(scope='session')
def synthetic_root(tmp_path_factory):
    """A tiny synthetic dataset (VOC layout + COCO json), read-only for tests."""
    root = tmp_path_factory.mktemp('data') / 'synthetic'
    write_synthetic_dataset(root, num_train=12, num_val=6, num_salient=4, image_size=96, seed=0)
    return root


@pytest.fixture
def synthetic_copy(synthetic_root, tmp_path):
    """A private copy of the tiny dataset that a test may damage."""
    copy = tmp_path / 'synthetic'
    shutil.copytree(synthetic_root, copy)
    return copy


@pytest.fixture(scope='session')
def synthetic_classes():
    return tuple(CLASSES)
