"""Centres, pixel grouping and instances of BESTIE's components."""
import numpy as np
import pytest

from mmwsis.pseudo import (component_centres, component_instances, disk_area, group_pixels,
                           instance_map)

SHAPE = (45, 50)


def bump(y, x, height, sigma=2.0, shape=SHAPE):
    ys, xs = np.mgrid[0:shape[0], 0:shape[1]]
    return height * np.exp(-((ys - y) ** 2 + (xs - x) ** 2) / (2 * sigma ** 2))


def box(top, bottom, left, right, shape=SHAPE):
    mask = np.zeros(shape, bool)
    mask[top:bottom, left:right] = True
    return mask


def towards(centre, shape=SHAPE):
    """(2, H, W) offsets of every pixel to ``centre`` (y, x)."""
    ys, xs = np.mgrid[0:shape[0], 0:shape[1]]
    return np.stack([centre[0] - ys, centre[1] - xs]).astype(np.float64)


def two_objects():
    """Two touching objects in one component (rows 5..24): left cols 5..24 with offsets
    to (15, 15), right cols 25..44 to (15, 35); centre bumps 0.8 and 0.6 there."""
    component = box(5, 25, 5, 45)
    left = box(5, 25, 5, 25)
    offset = np.where(left, towards((15, 15)), towards((15, 35)))
    center = bump(15, 15, 0.8, 3.0) + bump(15, 35, 0.6, 3.0)
    return component, left, offset, center


def test_disk_area_counts_lattice_points():
    assert [disk_area(r) for r in (1.0, 1.5, 2.5)] == [1, 9, 21]


def test_peaks_above_thr_and_nms_merges_close_ones():
    component = box(5, 35, 5, 55, (40, 60))
    center = (bump(15, 15, 0.9, shape=(40, 60)) + bump(15, 22, 0.6, shape=(40, 60))
              + bump(25, 45, 0.5, shape=(40, 60)) + bump(28, 10, 0.05, shape=(40, 60))
              + bump(0, 0, 5.0, shape=(40, 60)))  # outside the component
    offset = np.full((2, 40, 60), 10.0)  # nothing converged: no clustered centre
    centres, scores = component_centres(center, component, offset, 0.1, 15, 3)
    np.testing.assert_array_equal(centres, [[15, 15], [25, 45]])  # (15, 22): 7 px away
    np.testing.assert_allclose(scores, center[[15, 25], [15, 45]])
    centres, _ = component_centres(center, component, offset, 0.1, 3, 3)
    np.testing.assert_array_equal(centres, [[15, 15], [15, 22], [25, 45]])
    assert centres.dtype == np.int64


def converged(extra=()):
    """A component whose offsets converge on (20, 30): exactly the 21-pixel disk has
    ‖offset‖ < 2.5; ``extra`` pixels get offset 0 too."""
    component = box(10, 30, 15, 45)
    offset = towards((20, 30))
    for y, x in extra:
        offset[:, y, x] = 0
    return component, offset


def test_clustered_centre_from_a_converged_disk():
    component, offset = converged()
    weak = bump(20, 30, 0.2)  # below thr: no peak
    centres, scores = component_centres(weak, component, offset, 0.3, 41, 3)
    np.testing.assert_array_equal(centres, [[20, 30]])
    np.testing.assert_array_equal(scores, [1.0])
    # the centre map must exceed cluster_min_score at the cluster
    assert not len(component_centres(weak, component, offset, 0.3, 41, 3,
                                     cluster_min_score=0.25)[0])
    # area strictly inside (21 - 3, 21 + 3): 23 pixels pass, 24 do not
    component, offset = converged([(23, 30), (23, 31)])
    np.testing.assert_array_equal(component_centres(weak, component, offset, 0.3, 41, 3)[0],
                                  [[20, 30]])
    component, offset = converged([(23, 29), (23, 30), (23, 31)])
    assert not len(component_centres(weak, component, offset, 0.3, 41, 3)[0])


def test_clustered_centre_only_far_from_peaks():
    component, offset = converged()
    center = bump(20, 30, 0.2) + bump(20, 42, 0.9)
    centres, scores = component_centres(center, component, offset, 0.3, 11, 3)
    np.testing.assert_array_equal(centres, [[20, 42]])  # the cluster is 12 px away
    centres, scores = component_centres(center, component, offset, 0.3, 11, 3, far=10)
    np.testing.assert_array_equal(centres, [[20, 42], [20, 30]])
    np.testing.assert_allclose(scores, [center[20, 42], 1.0])


def test_grouping_follows_the_offsets():
    component, left, offset, _ = two_objects()
    noisy = offset + np.random.default_rng(0).uniform(-2, 2, offset.shape)
    groups = group_pixels(component, noisy, np.array([[15, 15], [15, 35]]))
    np.testing.assert_array_equal(groups, np.where(component, np.where(left, 0, 1), -1))
    groups = group_pixels(component, noisy, np.array([[15, 35], [15, 15]]))
    np.testing.assert_array_equal(groups, np.where(component, np.where(left, 1, 0), -1))
    assert (group_pixels(component, offset, np.zeros((0, 2))) == -1).all()


def test_component_instances_split_touching_objects():
    component, left, offset, center = two_objects()
    seg = np.where(left, 0.9, 0.7)
    instances = component_instances(center, seg, component, offset, 0.1, 11, 3, False)
    assert len(instances) == 2
    (mask_l, centre_l, score_l, seg_l), (mask_r, centre_r, score_r, seg_r) = instances
    np.testing.assert_array_equal(mask_l, left)
    np.testing.assert_array_equal(mask_r, component & ~left)
    assert centre_l == (15.0, 15.0) and centre_r == (15.0, 35.0)
    assert score_l == center[15, 15] and score_r == center[15, 35]
    np.testing.assert_allclose([seg_l, seg_r], [0.9, 0.7])
    # a centre score below min_centre_score moves the centre to the centroid
    instances = component_instances(center, seg, component, offset, 0.1, 11, 3, False,
                                    min_centre_score=0.7)
    assert instances[0].centre == (15.0, 15.0) and instances[1].centre == (14.5, 34.5)


def test_component_without_centres():
    component, _, offset, _ = two_objects()
    seg = np.full(SHAPE, 0.8)
    none = np.zeros(SHAPE)  # no peak; the converged disks have C_K = 0 < 0.05
    assert component_instances(none, seg, component, offset, 0.1, 11, 3, True) == []
    (inst,) = component_instances(none, seg, component, offset, 0.1, 11, 3, False)
    np.testing.assert_array_equal(inst.mask, component)
    assert inst.centre == (14.5, 24.5) and np.isnan(inst.centre_score)
    assert np.isclose(inst.seg_score, 0.8)


def test_clustered_centre_scores_one():
    component, offset = converged()
    (inst,) = component_instances(bump(20, 30, 0.2), np.full(SHAPE, 0.5), component, offset,
                                  0.3, 41, 3, True)
    np.testing.assert_array_equal(inst.mask, component)
    assert inst.centre == (20.0, 30.0) and inst.centre_score == 1.0


def test_instance_map():
    component, left, offset, center0 = two_objects()
    block, small = box(30, 40, 5, 15), box(30, 34, 40, 45)
    seg_prob = np.zeros((3, *SHAPE))
    seg_prob[0] = 1
    seg_prob[:, left] = [[0.1], [0.9], [0]]
    seg_prob[:, component & ~left] = [[0.3], [0.7], [0]]
    seg_prob[:, block] = [[0.2], [0], [0.8]]
    seg_prob[:, small] = [[0.2], [0], [0.8]]  # 20 px < min_area
    center = np.stack([center0, np.zeros(SHAPE)])
    masks, labels, scores = instance_map(seg_prob, center, offset, nms_window=11)
    np.testing.assert_array_equal(masks, [left, component & ~left, block])
    np.testing.assert_array_equal(labels, [0, 0, 1])
    np.testing.assert_allclose(scores, [center0[15, 15] * 0.9, center0[15, 35] * 0.7, 0.8])
    masks, labels, _ = instance_map(seg_prob, center, offset, image_labels=[0], nms_window=11)
    np.testing.assert_array_equal(labels, [0, 0])  # class 1 is background now
    background = np.zeros((3, 8, 8))
    background[0] = 1
    masks, labels, scores = instance_map(background, np.zeros((2, 8, 8)), np.zeros((2, 8, 8)))
    assert masks.shape == (0, 8, 8) and labels.dtype == np.int64 and scores.shape == (0,)


def test_instance_map_groups_a_given_semantic_map():
    """A WSSS map replaces the network's argmax: its pieces are split by the network's
    centres and offsets and scored by its class probability; pixels of classes absent
    from the image labels, of unknown values and 255 are background."""
    component, left, offset, center0 = two_objects()
    block = box(30, 40, 5, 15)
    seg_prob = np.zeros((3, *SHAPE))
    seg_prob[0] = 1
    seg_prob[:, left] = [[0.4], [0.6], [0]]  # the network sees only the left object
    seg_prob[:, component & ~left] = [[0.8], [0.2], [0]]
    semantic = np.zeros(SHAPE, np.uint8)
    semantic[component] = 1
    semantic[box(5, 25, 44, 45)] = 255  # a void border of the right object
    semantic[block] = 2  # class 1, not in the image labels
    semantic[box(40, 45, 30, 50)] = 7  # no such class
    center = np.stack([center0, np.zeros(SHAPE)])
    masks, labels, scores = instance_map(seg_prob, center, offset, image_labels=[0],
                                         nms_window=11, semantic=semantic)
    right = component & ~left & (semantic != 255)
    np.testing.assert_array_equal(masks, [left, right])
    np.testing.assert_array_equal(labels, [0, 0])
    np.testing.assert_allclose(scores, [center0[15, 15] * 0.6, center0[15, 35] * 0.2])
    # without a semantic map the network's argmax keeps the left object only
    masks, _, _ = instance_map(seg_prob, center, offset, image_labels=[0], nms_window=11)
    np.testing.assert_array_equal(masks, [left])
    with pytest.raises(ValueError, match='does not match'):
        instance_map(seg_prob, center, offset, semantic=semantic[:-1])
