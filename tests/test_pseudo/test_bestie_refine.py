"""Self-refined targets from the network's own centres and offsets."""
import numpy as np

from mmwsis.pseudo import gaussian_centres, refined_targets, refined_targets_with_points

SHAPE = (45, 50)


def bump(y, x, height, sigma=3.0, shape=SHAPE):
    ys, xs = np.mgrid[0:shape[0], 0:shape[1]]
    return height * np.exp(-((ys - y) ** 2 + (xs - x) ** 2) / (2 * sigma ** 2))


def box(top, bottom, left, right, shape=SHAPE):
    mask = np.zeros(shape, bool)
    mask[top:bottom, left:right] = True
    return mask


def towards(centre, shape=SHAPE):
    ys, xs = np.mgrid[0:shape[0], 0:shape[1]]
    return np.stack([centre[0] - ys, centre[1] - xs]).astype(np.float64)


def touching():
    """One class-0 component (rows 5..24, cols 5..44): left half offsets to (15, 15),
    right half to (15, 35); class probability 0.9 left, 0.7 right."""
    component, left = box(5, 25, 5, 45), box(5, 25, 5, 25)
    semantic = component.astype(np.int64)
    offset = np.where(left, towards((15, 15)), towards((15, 35)))
    seg_prob = np.stack([1 - component * np.where(left, 0.9, 0.7),
                         component * np.where(left, 0.9, 0.7)])
    return component, left, semantic, offset, seg_prob


def test_touching_objects_get_their_centres_and_confidences():
    component, left, semantic, offset, seg_prob = touching()
    center = (bump(15, 15, 1.5) + bump(15, 35, 0.6))[None]
    t = refined_targets(seg_prob, center, offset, semantic, [0], nms_window=11)
    right = component & ~left
    conf = np.where(left, 1.0, center[0, 15, 35] * 0.7)  # 1.5 x 0.9 is clipped to 1
    np.testing.assert_allclose(t.weight, np.where(component, conf, 0), rtol=1e-6)
    np.testing.assert_array_equal(t.offset, np.where(component, offset, 0))
    np.testing.assert_array_equal(t.center[0],
                                  gaussian_centres([[15, 15], [15, 35]], SHAPE, 6.0))
    # the default 41 x 41 NMS keeps one centre (20 px apart): one instance, one target
    t = refined_targets(seg_prob, center, offset, semantic, [0])
    np.testing.assert_array_equal(t.offset[:, right], towards((15, 15))[:, right])
    assert t.weight.dtype == np.float32


def test_weak_instance_centre_falls_back_to_the_centroid():
    component, left, semantic, offset, seg_prob = touching()
    center = bump(15, 15, 0.8)
    center[15, 35] = 0.35  # a peak whose own pixel is grouped to the left centre
    offset[:, 15, 35] = [0, -20]
    t = refined_targets(seg_prob, center[None], offset, semantic, [0], nms_window=21)
    first = left.copy()
    first[15, 35] = True
    rest = component & ~first
    centroid = (5785 / 399, 13765 / 399)  # the right half without (15, 35)
    np.testing.assert_allclose(t.weight[first], 0.8 * (400 * 0.9 + 0.7) / 401, rtol=1e-6)
    np.testing.assert_allclose(t.weight[rest], 0.7, rtol=1e-6)  # conf = seg_score
    ys, xs = np.nonzero(rest)
    np.testing.assert_allclose(t.offset[0, ys, xs], centroid[0] - ys, rtol=1e-6)
    np.testing.assert_allclose(t.offset[1, ys, xs], centroid[1] - xs, rtol=1e-6)
    np.testing.assert_array_equal(t.offset[:, 15, 35], [0, -20])
    np.testing.assert_array_equal(t.center[0], gaussian_centres([[15, 15], [14, 34]], SHAPE, 6.0))


def test_too_many_instances_or_none_are_skipped():
    shape = (20, 70)
    row = box(5, 15, 5, 65, shape)  # six 10-px-wide objects side by side
    bare = box(16, 20, 5, 25, shape)  # no centre in it
    semantic = (row | bare).astype(np.int64)
    offset = np.full((2, *shape), 10.0)
    center = np.zeros(shape)
    for i in range(6):
        part = box(5, 15, 5 + 10 * i, 15 + 10 * i, shape)
        offset[:, part] = towards((10, 10 + 10 * i), shape)[:, part]
        center += bump(10, 10 + 10 * i, 0.9, 2.0, shape)
    seg_prob = np.stack([1 - 0.5 * semantic, 0.5 * semantic])
    kwargs = dict(nms_window=5, max_instances=5)
    t = refined_targets(seg_prob, center[None], offset, semantic, [0], **kwargs)
    assert not t.weight.any() and not t.center.any() and not t.offset.any()
    kwargs['max_instances'] = 6
    t = refined_targets(seg_prob, center[None], offset, semantic, [0], **kwargs)
    np.testing.assert_array_equal(t.weight > 0, row)
    np.testing.assert_allclose(t.weight[10, 10:70:10], center[10, 10:70:10] * 0.5, rtol=1e-6)


def test_points_variant_groups_pixels_to_the_nearest_point():
    component, left, _, offset, _ = touching()
    semantic = component.astype(np.int64)
    semantic[box(30, 40, 5, 15)] = 2  # class 1 has no point
    predicted = np.where(left, offset + np.random.default_rng(0).uniform(-2, 2, offset.shape),
                         towards((15, 33)))
    points = np.array([[15, 15], [35, 15], [47, 40], [10, 35]], float)  # x, y
    t = refined_targets_with_points(semantic, predicted, points, [0, 0, 0, 2], [0, 1], 3)
    np.testing.assert_array_equal(t.weight, component)
    np.testing.assert_array_equal(t.offset, np.where(component, offset, 0))
    np.testing.assert_array_equal(t.center[0],
                                  gaussian_centres([[15, 15], [15, 35], [40, 47]], SHAPE, 6.0))
    assert not t.center[1:].any()
