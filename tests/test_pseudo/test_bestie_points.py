"""PAM peak points: normalised, smoothed, NMS'd, top-k class maxima."""
import numpy as np

from mmwsis.pseudo import pam_peak_points


def bump(shape, y, x, height, sigma=2.0):
    ys, xs = np.mgrid[0:shape[0], 0:shape[1]]
    return height * np.exp(-((ys - y) ** 2 + (xs - x) ** 2) / (2 * sigma ** 2))


def smoothed_top(sigma):
    """The 3 x 3 mean of a unit Gaussian at its centre."""
    return (1 + 4 * np.exp(-1 / (2 * sigma ** 2)) + 4 * np.exp(-2 / (2 * sigma ** 2))) / 9


def test_peaks_are_smoothed_normalised_maxima():
    shape = (40, 50)
    cams = np.stack([4.0 * (bump(shape, 10, 12, 1.0) + bump(shape, 30, 40, 0.5)),
                     np.zeros(shape)])
    points, labels, scores = pam_peak_points(cams, [3, 5])
    np.testing.assert_array_equal(points, [[12, 10], [40, 30]])  # x, y
    assert points.dtype == np.float64 and labels.dtype == np.int64
    np.testing.assert_array_equal(labels, [3, 3])  # the all-zero map has no point
    top = smoothed_top(2.0)  # the map's scale (4) is normalised away
    np.testing.assert_allclose(scores, [top, 0.5 * top], rtol=1e-9)


def test_min_score_drops_weak_peaks():
    shape = (40, 50)
    cams = (bump(shape, 10, 12, 1.0) + bump(shape, 30, 40, 0.08))[None]
    assert len(pam_peak_points(cams, [0])[0]) == 1
    points, _, _ = pam_peak_points(cams, [0], min_score=0.05)
    np.testing.assert_array_equal(points, [[12, 10], [40, 30]])


def test_nms_window_merges_close_peaks():
    shape = (30, 30)
    cams = (bump(shape, 10, 10, 1.0, 1.5) + bump(shape, 10, 16, 0.8, 1.5))[None]
    points, _, _ = pam_peak_points(cams, [1])
    np.testing.assert_array_equal(points, [[10, 10]])  # 6 px apart, inside 15 x 15
    points, _, _ = pam_peak_points(cams, [1], nms_window=3)
    np.testing.assert_array_equal(points, [[10, 10], [16, 10]])


def test_top_k_keeps_the_best_per_class_in_input_order():
    shape = (60, 60)
    many = sum(bump(shape, y, x, h) for y, x, h in
               [(10, 10, 0.4), (10, 45, 1.0), (45, 10, 0.7), (45, 45, 0.9)])
    cams = np.stack([many, bump(shape, 30, 30, 1.0)])
    points, labels, scores = pam_peak_points(cams, [7, 2], top_k=2)
    np.testing.assert_array_equal(points, [[45, 10], [45, 45], [30, 30]])
    np.testing.assert_array_equal(labels, [7, 7, 2])
    top = smoothed_top(2.0)
    np.testing.assert_allclose(scores, [top, 0.9 * top, top], rtol=1e-6)


def test_no_maps_no_points():
    points, labels, scores = pam_peak_points(np.zeros((0, 5, 5)), [])
    assert points.shape == (0, 2) and labels.shape == scores.shape == (0,)
