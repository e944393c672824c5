"""A tiny synthetic dataset for the project's tests (the shapes preset, 96 px)."""
import pytest

from mmwsis.datasets.synthetic import write_synthetic_dataset


@pytest.fixture(scope='session')
def tiny_root(tmp_path_factory):
    root = tmp_path_factory.mktemp('data') / 'synthetic'
    write_synthetic_dataset(root, num_train=6, num_val=2, num_salient=2, image_size=96, seed=0)
    return root
