"""BoxCaseg's proxy masks on hand-built maps: pasting, merging, confidences."""
import numpy as np
import pytest

from mmwsis.pseudo import box_iou, mask_box, merge_proxy_masks, paste_box_mask


def test_paste_normalises_resizes_and_places_the_crop():
    prob = np.full((32, 32), 0.2)
    prob[8:24, 8:24] = 0.4  # a low map: 0.4 is its maximum, so it is the object
    mask = paste_box_mask(prob, np.array([10.0, 20.0, 42.0, 36.0]), (50, 60))
    assert mask.shape == (50, 60)
    ys, xs = np.nonzero(mask)
    # the crop's middle half lands in the middle half of the 32 x 16 box
    assert (xs.min(), xs.max(), ys.min(), ys.max()) == (18, 33, 24, 31)
    flat = paste_box_mask(np.full((8, 8), 0.9), np.array([0.0, 0.0, 4.0, 4.0]), (10, 10))
    assert not flat.any()  # a flat map has no object after min-max normalisation


def test_paste_clips_boxes_to_the_image():
    mask = paste_box_mask(np.ones((4, 4)) * np.arange(4), np.array([-5.0, 6.5, 30.0, 12.0]),
                          (10, 20))
    assert mask.shape == (10, 20) and not mask[:6].any() and mask[6:, 19].all()


def test_box_of_a_mask_and_iou_use_pixel_edges():
    mask = np.zeros((10, 10), bool)
    mask[2:5, 3:7] = True
    np.testing.assert_array_equal(mask_box(mask), [3, 2, 7, 5])
    assert box_iou(mask_box(mask), np.array([3.0, 2.0, 7.0, 5.0])) == 1.0
    assert box_iou(np.array([0.0, 0.0, 2.0, 2.0]), np.array([1.0, 0.0, 3.0, 2.0])) == \
        pytest.approx(2 / 6)
    assert box_iou(np.zeros(4), np.array([0.0, 0.0, 2.0, 2.0])) == 0.0


def test_merge_puts_smaller_boxes_on_top_and_scores_what_remains():
    big = np.zeros((20, 20), bool)
    big[2:18, 2:18] = True
    small = np.zeros((20, 20), bool)
    small[6:10, 6:10] = True
    covered = small.copy()  # a third box whose mask the small one fully covers
    boxes = np.array([[2, 2, 18, 18], [6, 6, 10, 10], [5, 5, 11, 11]], np.float64)
    final, confidence = merge_proxy_masks(np.stack([big, small, covered]), boxes)
    np.testing.assert_array_equal(final[1], small)
    np.testing.assert_array_equal(final[0], big & ~small)
    assert not final[2].any() and confidence[2] == 0.0
    assert (final.sum(axis=0) <= 1).all()
    np.testing.assert_allclose(confidence[:2], [1.0, 1.0])  # the hole keeps big's box
    # a mask shrunk to half its box scores 0.5
    half = np.zeros((20, 20), bool)
    half[2:18, 2:10] = True
    _, confidence = merge_proxy_masks(half[None], boxes[:1])
    assert confidence[0] == pytest.approx(0.5)
