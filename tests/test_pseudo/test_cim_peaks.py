"""Class peaks of response maps and the scoring of points against GT instances."""
import numpy as np

from mmwsis.evaluation.functional import score_points
from mmwsis.pseudo import class_peaks


def bump(shape, y, x, height, sigma=2.0):
    ys, xs = np.mgrid[0:shape[0], 0:shape[1]]
    return height * np.exp(-((ys - y) ** 2 + (xs - x) ** 2) / (2 * sigma ** 2))


def test_peaks_are_local_maxima_above_the_relative_floor():
    shape = (30, 40)
    maps = np.stack([bump(shape, 5, 5, 1.0) + bump(shape, 20, 30, 0.6)
                     + bump(shape, 25, 5, 0.3),
                     np.zeros(shape)])
    points, labels, scores = class_peaks(maps, [4, 7], window=3, rel_thr=0.5)
    np.testing.assert_array_equal(points, [[5, 5], [30, 20]])  # x, y; 0.3 < 0.5 * 1.0
    np.testing.assert_array_equal(labels, [4, 4])  # an all-zero map has no peak
    np.testing.assert_allclose(scores, [1.0, 0.6], atol=1e-6)
    low, _, _ = class_peaks(maps, [4, 7], rel_thr=0.2)
    assert len(low) == 3


def test_the_strongest_peak_is_always_kept():
    shape = (10, 10)
    flat = np.full(shape, 0.5)
    flat[3, 4] = 0.6  # above the median only there
    points, labels, _ = class_peaks(flat[None], [2], rel_thr=0.99)
    np.testing.assert_array_equal(points, [[4, 3]])
    none = class_peaks(np.zeros((0, 5, 5)), [])
    assert none[0].shape == (0, 2) and len(none[1]) == len(none[2]) == 0


def test_points_score_one_per_instance_and_class():
    masks = np.zeros((3, 20, 20), bool)
    masks[0, 0:10, 0:10] = True
    masks[1, 10:20, 10:20] = True
    masks[2, 0:10, 10:20] = True
    labels = np.array([0, 0, 1])
    points = np.array([[2, 2], [3, 3], [15, 15], [15, 5], [5, 15]], float)
    point_labels = np.array([0, 0, 0, 0, 1])
    # (2,2) hits 0; (3,3) is a second point on 0; (15,15) hits 1; (15,5) is class 0 on the
    # class-1 instance 2; (5,15) is background.
    assert score_points(points, point_labels, masks, labels) == (2, 5, 2, 3)
    assert score_points(points[:0], point_labels[:0], masks, labels) == (0, 0, 0, 3)
    assert score_points(points, point_labels, masks[:0], labels[:0]) == (0, 5, 0, 0)
