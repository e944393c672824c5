"""Semantic knowledge transfer: one-point components become instances."""
import numpy as np
import pytest

from mmwsis.pseudo import gaussian_centres, transfer_targets


def test_gaussians_peak_at_one_on_a_clipped_patch():
    heat = gaussian_centres([[30.0, 30.0]], (70, 70), 6.0)
    assert heat.dtype == np.float32 and heat[30, 30] == 1
    np.testing.assert_allclose(heat[33, 34], np.exp(-25 / 72), rtol=1e-6)
    assert np.count_nonzero(heat) == 39 * 39  # radius 3σ + 1 = 19
    assert heat[30, 49] > 0 and heat[30, 50] == 0
    corner = gaussian_centres([[2.0, 3.0]], (70, 70), 6.0)
    assert np.count_nonzero(corner) == (2 + 20) * (3 + 20)  # clipped to the image
    # two centres combine by maximum, not sum; a centre is rounded to its pixel
    both = gaussian_centres([[10.4, 10.0], [10.0, 16.0]], (30, 30), 2.0)
    np.testing.assert_allclose(both[10, 13], np.exp(-9 / 8), rtol=1e-6)
    assert gaussian_centres(np.zeros((0, 2)), (4, 5), 6.0).shape == (4, 5)


def scene():
    """Class 0: A (one point, centroid (6, 7)), B (two points); class 1: C (only a
    class-0 point) and a 20 px piece with a class-1 point; 255 around."""
    semantic = np.zeros((30, 40), np.int64)
    semantic[2:11, 2:13] = 1  # A, 9 x 11 = 99 px
    semantic[15:25, 2:12] = 1  # B
    semantic[2:12, 20:30] = 2  # C
    semantic[20:24, 30:35] = 2  # small
    semantic[:, 38:] = 255
    points = np.array([[4, 3], [5, 17], [8, 22], [25, 5], [32, 21], [36, 8]], float)  # x, y
    point_labels = np.array([0, 0, 0, 0, 1, 2])
    return semantic, points, point_labels


def test_one_point_components_get_centroid_targets():
    semantic, points, point_labels = scene()
    t = transfer_targets(semantic, points, point_labels, [0, 1], 3, sigma=6.0, min_area=50)
    assert t.center.shape == (3, 30, 40) and t.offset.shape == (2, 30, 40)
    assert t.center.dtype == t.offset.dtype == t.weight.dtype == np.float32
    a = np.zeros((30, 40), bool)
    a[2:11, 2:13] = True
    np.testing.assert_array_equal(t.weight, a)  # B: two points, C: none of its class
    ys, xs = np.mgrid[0:30, 0:40]
    np.testing.assert_array_equal(t.offset[0], np.where(a, 6 - ys, 0))
    np.testing.assert_array_equal(t.offset[1], np.where(a, 7 - xs, 0))
    np.testing.assert_array_equal(t.center[0], gaussian_centres([[6, 7]], (30, 40), 6.0))
    assert t.center[0, 6, 7] == 1
    assert not t.center[1:].any()


def test_point_centres_use_the_point_and_draw_every_point():
    semantic, points, point_labels = scene()
    t = transfer_targets(semantic, points, point_labels, [0, 1], 3, centre_at='point')
    a = np.zeros((30, 40), bool)
    a[2:11, 2:13] = True
    np.testing.assert_array_equal(t.weight, a)
    ys, xs = np.mgrid[0:30, 0:40]
    np.testing.assert_array_equal(t.offset[0], np.where(a, 3 - ys, 0))
    np.testing.assert_array_equal(t.offset[1], np.where(a, 4 - xs, 0))
    class0 = [[3, 4], [17, 5], [22, 8], [5, 25]]  # y, x: all class-0 points
    np.testing.assert_array_equal(t.center[0], gaussian_centres(class0, (30, 40), 6.0))
    np.testing.assert_array_equal(t.center[1], gaussian_centres([[21, 32]], (30, 40), 6.0))
    assert not t.center[2].any()  # class 2 is not an image class


def test_components_are_8_connected():
    semantic = np.zeros((20, 20), np.int64)
    semantic[0:8, 0:8] = 1
    semantic[8:16, 8:16] = 1  # touches the first square at a corner only
    points = np.array([[3, 3], [12, 12]], float)
    t = transfer_targets(semantic, points, [0, 0], [0], 1, min_area=10)
    assert not t.weight.any()  # one component, two points
    t = transfer_targets(semantic, points[:1], [0], [0], 1, min_area=10)
    assert t.weight.sum() == 128
    np.testing.assert_allclose(t.offset[:, 0, 0], [7.5, 7.5])  # centroid of both squares


def test_bad_centre_at():
    with pytest.raises(ValueError):
        transfer_targets(np.zeros((4, 4), int), np.zeros((0, 2)), [], [], 1, centre_at='box')
