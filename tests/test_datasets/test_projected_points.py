"""Points through mmdet's resize, crop and flip by the homography they record."""
import numpy as np
import pytest
from mmdet.datasets.transforms import RandomCrop, RandomFlip, Resize

from mmwsis.datasets.transforms import LoadProjectedPoints, project_points


def marked_image(points, shape=(40, 60)):
    """A zero image with one bright pixel at each (x, y) point."""
    img = np.zeros((*shape, 3), dtype=np.uint8)
    for x, y in points:
        img[y, x] = 255
    return img


def bright_pixels(img):
    ys, xs = np.nonzero(img[..., 0] == img[..., 0].max())
    return sorted(zip(xs.tolist(), ys.tolist()))


def test_points_follow_a_flip_and_a_crop_pixel_for_pixel():
    np.random.seed(0)
    points = [(20, 15), (40, 25)]  # inside every 50 x 30 (w x h) crop of the flipped 60 x 40
    results = dict(img=marked_image(points), img_shape=(40, 60), instances=[
        dict(point=[20.0, 15.0], bbox_label=2), dict(point=[40.0, 25.0], bbox_label=4)])
    results = RandomFlip(prob=1.0)(results)
    results = RandomCrop(crop_size=(50, 30))(results)  # (w, h)
    results = LoadProjectedPoints(source='instances')(results)
    moved = results['gt_points'].round().astype(int).tolist()
    assert sorted(map(tuple, moved)) == bright_pixels(results['img'])
    assert results['gt_bboxes_labels'].tolist() == [2, 4]
    np.testing.assert_allclose(results['gt_points'], np.round(results['gt_points']))


def test_resize_scales_pixel_centres():
    results = dict(img=marked_image([(10, 10)]), img_shape=(40, 60),
                   instances=[dict(point=[10.0, 10.0], bbox_label=0)])
    results = Resize(scale=(120, 80), keep_ratio=False)(results)  # x2
    results = LoadProjectedPoints(source='instances')(results)
    np.testing.assert_allclose(results['gt_points'], [[20.5, 20.5]])  # centre of 20..21


def test_pseudo_points_keep_only_confident_ones_and_drop_those_outside():
    entry = dict(points=[[1, 1], [30, 20], [59, 39]], labels=[0, 1, 2],
                 scores=[0.9, 0.5, 0.95])
    homography = np.array([[1, 0, -20], [0, 1, 0], [0, 0, 1]], dtype=np.float32)  # crop x>=20
    results = dict(img=np.zeros((40, 40, 3), np.uint8), pseudo_points=entry,
                   homography_matrix=homography)
    results = LoadProjectedPoints(source='pseudo_points', min_score=0.7)(results)
    np.testing.assert_allclose(results['pseudo_points'], [[39, 39]])
    assert results['pseudo_point_labels'].tolist() == [2]
    assert 'gt_points' not in results  # not a label: image-level pipelines may carry it


def test_missing_pseudo_points_name_the_dataset_argument():
    with pytest.raises(KeyError, match='pseudo_points_file'):
        LoadProjectedPoints(source='pseudo_points')(dict(img=np.zeros((4, 4, 3))))


def test_project_points_is_the_identity_without_transforms():
    points, inside = project_points(np.array([[0, 0], [3, 2]]), np.eye(3), (3, 4))
    np.testing.assert_allclose(points, [[0, 0], [3, 2]])
    assert inside.tolist() == [True, True]
