"""One detection per GT box, by class and box IoU."""
import numpy as np

from mmwsis.pseudo import box_iou_matrix, match_detections_to_boxes


def test_box_iou_matrix_uses_pixel_edges():
    ious = box_iou_matrix(np.array([[0, 0, 10, 10]]), np.array([[0, 0, 10, 5], [20, 20, 30, 30],
                                                                  [5, 5, 5, 5]]))
    np.testing.assert_allclose(ious, [[0.5, 0.0, 0.0]])


def test_each_box_takes_its_classs_best_overlapping_detection():
    gt_boxes = np.array([[0, 0, 10, 10], [20, 0, 30, 10], [40, 0, 50, 10]], float)
    gt_labels = np.array([0, 1, 0])
    pred_boxes = np.array([[1, 0, 10, 10],    # class 0 over the first box
                           [0, 0, 10, 10],    # exact, but class 1
                           [20, 0, 29, 10],   # class 1 over the second box
                           [44, 0, 60, 10]])  # class 0, IoU 6 / 20 with the third: too low
    pred_labels = np.array([0, 1, 1, 0])
    match = match_detections_to_boxes(pred_boxes, pred_labels, gt_boxes, gt_labels)
    np.testing.assert_array_equal(match, [0, 2, -1])
    lenient = match_detections_to_boxes(pred_boxes, pred_labels, gt_boxes, gt_labels, 0.25)
    np.testing.assert_array_equal(lenient, [0, 2, 3])


def test_no_detection_matches_nothing():
    match = match_detections_to_boxes(np.zeros((0, 4)), np.zeros(0), np.array([[0, 0, 5, 5]]),
                                      np.array([0]))
    np.testing.assert_array_equal(match, [-1])


def test_a_detection_must_overlap_its_box_even_at_zero_iou():
    match = match_detections_to_boxes(np.array([[20, 20, 30, 30], [0, 0, 4, 4]]),
                                      np.array([0, 1]), np.array([[0, 0, 5, 5]]),
                                      np.array([0]), min_iou=0.0)
    np.testing.assert_array_equal(match, [-1])  # the class's one detection is elsewhere
