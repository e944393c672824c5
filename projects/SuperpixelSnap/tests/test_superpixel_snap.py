"""The snapping functions on arrays: superpixels taken whole or not at all, disjoint masks
kept disjoint, the segmentation scale following the masks, segments ending at colour
edges."""
import numpy as np
import pytest

from projects.SuperpixelSnap.superpixel_snap import (graph_superpixels, median_mask_area,
                                                     segmentation_scale, snap_to_superpixels)


def quadrants(size: int = 8) -> np.ndarray:
    """(size, size) ids 0..3, one per quadrant."""
    half = size // 2
    rows, cols = np.mgrid[:size, :size]
    return (rows >= half) * 2 + (cols >= half)


def test_a_superpixel_covered_over_half_is_taken_whole_else_dropped():
    mask = np.zeros((1, 8, 8), bool)
    mask[0, :4, :3] = True   # 12 of quadrant 0's 16 pixels
    mask[0, :3, 4:6] = True  # 6 of quadrant 1's 16
    snapped = snap_to_superpixels(mask, quadrants())
    expected = np.zeros((8, 8), bool)
    expected[:4, :4] = True
    np.testing.assert_array_equal(snapped[0], expected)


def test_exactly_half_is_not_enough():
    mask = np.zeros((2, 8, 8), bool)
    mask[0, :4, :2] = True                   # half of quadrant 0
    mask[1, 4:, 4:] = True                   # all of quadrant 3
    snapped = snap_to_superpixels(mask, quadrants())
    # mask 0 takes no superpixel whole, so it stays as it was
    np.testing.assert_array_equal(snapped[0], mask[0])
    np.testing.assert_array_equal(snapped[1], mask[1])


def test_disjoint_masks_stay_disjoint_and_small_ones_stay_on_top():
    rng = np.random.default_rng(0)
    superpixels = rng.integers(0, 30, (40, 40))
    owner = rng.integers(0, 5, (40, 40))      # 4 disjoint masks and background
    masks = np.stack([owner == k for k in range(1, 5)])
    masks[3] = False
    masks[3, 10:12, 10:12] = True              # an object smaller than a superpixel
    masks[:3, 10:12, 10:12] = False
    snapped = snap_to_superpixels(masks, superpixels)
    assert snapped.sum(axis=0).max() <= 1
    np.testing.assert_array_equal(snapped[3], masks[3])


def test_min_fraction_under_a_half_is_refused():
    with pytest.raises(ValueError, match=r'\[0.5, 1\)'):
        snap_to_superpixels(np.zeros((1, 8, 8), bool), quadrants(), min_fraction=0.4)
    with pytest.raises(ValueError, match=r'shape \(1, 4, 4\)'):
        snap_to_superpixels(np.zeros((1, 4, 4), bool), quadrants())


def test_the_segmentation_scale_follows_the_median_mask():
    masks = np.zeros((4, 100, 100), bool)
    masks[0, :20, :20] = True   # 400
    masks[1, :10, :40] = True   # 400
    masks[2, :50, :50] = True   # 2,500; masks[3] is empty and ignored
    assert median_mask_area(masks) == 400
    assert segmentation_scale(masks, 0.05, 0.01) == (20.0, 4)
    assert segmentation_scale(masks[:, ::2, ::2], 0.05, 0.01) == (5.0, 1)
    assert segmentation_scale(masks[:0], 0.05, 0.01) == (0.0, 1)
    with pytest.raises(ValueError, match='scale_per_area must be positive'):
        segmentation_scale(masks, 0.0, 0.01)


def test_graph_superpixels_end_at_a_colour_edge():
    rng = np.random.default_rng(0)
    image = rng.integers(100, 140, (48, 48, 3)).astype(np.uint8)  # textured grey
    image[:, 20:] = (30, 30, 200)
    superpixels = graph_superpixels(image, scale=20.0, min_size=4)
    assert superpixels.shape == (48, 48) and superpixels.min() == 0
    for index in np.unique(superpixels):
        columns = np.nonzero(superpixels == index)[1]
        assert columns.max() < 20 or columns.min() >= 20
    with pytest.raises(ValueError, match=r'\(H, W, 3\) RGB'):
        graph_superpixels(image[..., 0], 20.0, 4)
