"""The box baselines on hand-built images: the filled box and GrabCut inside the box."""
import numpy as np
import pytest

from mmwsis.pseudo import filled_box_mask, grabcut_box_mask


def disc_image(size=(60, 80), centre=(30, 40), radius=12):
    """A red disc on a green-blue noisy background, (H, W, 3) uint8, and its mask."""
    rng = np.random.default_rng(0)
    image = np.empty((*size, 3), np.uint8)
    image[...] = (rng.normal((40, 160, 60), 12, (*size, 3))).clip(0, 255)
    ys, xs = np.mgrid[:size[0], :size[1]]
    disc = (ys - centre[0]) ** 2 + (xs - centre[1]) ** 2 <= radius ** 2
    image[disc] = (rng.normal((200, 30, 40), 12, (disc.sum(), 3))).clip(0, 255)
    return image, disc


def test_filled_box_covers_the_box_window():
    mask = filled_box_mask(np.array([10.2, 5.0, 20.0, 15.5]), (30, 40))
    ys, xs = np.nonzero(mask)
    assert (xs.min(), xs.max() + 1, ys.min(), ys.max() + 1) == (10, 20, 5, 16)
    assert mask.sum() == 10 * 11


def test_grabcut_finds_the_object_inside_its_box():
    image, disc = disc_image()
    box = np.array([24.0, 14.0, 57.0, 47.0])  # the disc's box with a margin
    mask = grabcut_box_mask(image, box)
    iou = (mask & disc).sum() / (mask | disc).sum()
    assert iou > 0.9
    assert iou > (filled_box_mask(box, disc.shape) & disc).sum() / filled_box_mask(
        box, disc.shape).sum() + 0.2  # much tighter than the box
    assert not mask[:, :24].any() and not mask[:14].any()  # nothing outside the box


def test_grabcut_is_deterministic():
    image, _ = disc_image()
    box = np.array([24.0, 14.0, 57.0, 47.0])
    np.testing.assert_array_equal(grabcut_box_mask(image, box), grabcut_box_mask(image, box))


def test_a_box_over_the_whole_image_is_the_filled_box():
    image, _ = disc_image(size=(20, 30))
    mask = grabcut_box_mask(image, np.array([0.0, 0.0, 30.0, 20.0]))
    assert mask.all()  # GrabCut has no background sample to fit


def test_grabcut_needs_a_colour_image():
    with pytest.raises(ValueError, match=r'\(H, W, 3\) uint8'):
        grabcut_box_mask(np.zeros((10, 10)), np.array([1.0, 1.0, 5.0, 5.0]))
