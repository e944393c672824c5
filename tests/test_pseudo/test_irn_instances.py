import numpy as np
import pytest

from mmwsis.pseudo import (cluster_instances, instance_scores_from_cams,
                           instances_from_scores, irn_instance_pseudo_labels, object_extent,
                           refine_centroids, semantic_map_from_cams,
                           split_instances_by_boundary, walk_log2_steps)
from mmwsis.pseudo.irn_instances import _upsample_normalised

GRID = (16, 24)
IMAGE = (62, 93)
CENTRES = ((8, 6), (8, 17))
BOUNDARY = 0.02  # boundary probability away from the rings


def _towards_centres(gain=1.0):
    """(2, h, w) displacement towards the centre of the pixel's half of the grid."""
    ys, xs = np.mgrid[0:GRID[0], 0:GRID[1]].astype(float)
    left = xs < 11.5
    cy = np.where(left, CENTRES[0][0], CENTRES[1][0])
    cx = np.where(left, CENTRES[0][1], CENTRES[1][1])
    return gain * np.stack([cy - ys, cx - xs])


def _distance_to(centre, shape=GRID, scale=1):
    """Distance in grid cells to ``centre``, on a grid or on the ×``scale`` image."""
    ys, xs = np.mgrid[0:shape[0], 0:shape[1]].astype(float)
    ys, xs = (ys + 0.5) / scale - 0.5, (xs + 0.5) / scale - 0.5
    return np.hypot(ys - centre[0], xs - centre[1])


def _two_disc_scene(strengths, channels=(0, 1), floor=0.05):
    """Two discs, each closed by a ring of boundary = 1, on a weak uniform activation.

    Disc ``i`` adds ``strengths[i]`` to CAM channel ``channels[i]``.
    """
    boundary = np.full(GRID, BOUNDARY)
    cams = np.full((max(channels) + 1, ) + GRID, floor)
    for centre, strength, channel in zip(CENTRES, strengths, channels):
        dist = _distance_to(centre)
        boundary[(dist >= 3.6) & (dist < 5.2)] = 1.0
        cams[channel][dist < 3.6] += strength
    return cams, boundary


def test_refine_centroids_converges_to_centres():
    centroids = refine_centroids(_towards_centres(gain=0.3))
    want = _towards_centres() + np.mgrid[0:GRID[0], 0:GRID[1]]
    np.testing.assert_array_equal(centroids, want)


def test_refine_centroids_stays_in_the_image():
    displacement = np.zeros((2, ) + GRID)
    displacement[1] = 5.0
    centroids = refine_centroids(displacement, iterations=10)
    assert (centroids[1] == GRID[1] - 1).all()
    np.testing.assert_array_equal(centroids[0], np.mgrid[0:GRID[0], 0:GRID[1]][0])


def test_two_centres_give_two_instances():
    instance_map = cluster_instances(_towards_centres(gain=0.5))
    assert instance_map.shape == GRID
    assert (instance_map[:, :12] == 0).all() and (instance_map[:, 12:] == 1).all()


def test_pixels_converging_outside_every_centre_form_one_instance():
    displacement = _towards_centres()
    displacement[:, :, 12:] = [[[0.0]], [[5.0]]]  # right half runs off to the border
    instance_map = cluster_instances(displacement)
    assert (instance_map[:, 12:] == 0).all() and (instance_map[:, :12] == 1).all()


def test_instance_scores_are_class_major():
    cams, boundary = _two_disc_scene(strengths=(1.0, 0.6))
    instance_map = cluster_instances(_towards_centres())
    scores = instance_scores_from_cams(cams, instance_map, boundary, log2_steps=4)
    assert scores.shape == (4, ) + GRID
    left, right = CENTRES
    # inside a closed disc the walk keeps the uniform value CAM · (1 - B)
    keep = 1 - BOUNDARY
    assert scores[0][left] == pytest.approx(1.05 * keep, rel=1e-5)  # class 0, left
    assert scores[1][right] == pytest.approx(0.05 * keep, rel=1e-5)  # class 0, right
    assert scores[2][left] == pytest.approx(0.05 * keep, rel=1e-5)  # class 1, left
    assert scores[3][right] == pytest.approx(0.65 * keep, rel=1e-5)  # class 1, right
    assert scores[0][right] == 0 and scores[3][left] == 0


def test_two_discs_of_one_class_give_two_scored_masks():
    cams, boundary = _two_disc_scene(strengths=(1.0, 0.6), channels=(0, 0))
    masks, labels, scores = irn_instance_pseudo_labels(cams, boundary, _towards_centres(),
                                                       class_ids=[3], image_size=IMAGE)
    assert masks.shape == (2, ) + IMAGE and masks.dtype == bool
    order = np.argsort([np.nonzero(m)[1].mean() for m in masks])
    masks, labels, scores = masks[order], labels[order], scores[order]
    assert labels.tolist() == [3, 3]
    np.testing.assert_allclose(scores, [1.0, 0.65 / 1.05], rtol=1e-5)
    for mask, centre in zip(masks, CENTRES):
        dist = _distance_to(centre, IMAGE, scale=4)
        assert mask[dist < 3.0].all()
        assert not mask[dist > 4.5].any()


def test_small_pieces_are_dropped_and_channels_map_to_classes():
    scores = np.zeros((4, 16, 16))
    scores[2, 2:10, 2:10] = 1.0  # class 1, instance 0: large
    scores[2, 14, 14] = 0.9  # same channel, one cell: under 1 % of 64x64 once upsampled
    masks, labels, mask_scores = instances_from_scores(scores, [5, 9], (64, 64))
    assert labels.tolist() == [9]
    assert mask_scores == pytest.approx([1.0])
    assert masks[0].sum() >= 30 * 30
    masks, labels, mask_scores = instances_from_scores(scores, [5, 9], (64, 64),
                                                       min_area_ratio=0.0)
    assert labels.tolist() == [9, 9]
    # no output pixel sits on the cell's centre: the nearest are 0.5 px off on each axis
    assert mask_scores == pytest.approx([1.0, 0.9 * (1 - 0.5 / 4)**2])
    assert 0 < masks[1].sum() < 0.01 * 64 * 64


def test_no_object_above_background_gives_no_mask():
    masks, labels, scores = instances_from_scores(np.full((2, 4, 4), 0.1), [1, 2], (16, 16),
                                                  bg_threshold=1.5)
    assert masks.shape == (0, 16, 16) and labels.shape == scores.shape == (0, )


def test_semantic_map_of_two_classes():
    cams, boundary = _two_disc_scene(strengths=(1.0, 0.8))
    semantic = semantic_map_from_cams(cams, boundary, class_ids=[2, 7], image_size=IMAGE)
    assert semantic.shape == IMAGE and semantic.dtype == np.uint8
    assert set(np.unique(semantic).tolist()) == {0, 3, 8}
    for centre, value in zip(CENTRES, (3, 8)):
        dist = _distance_to(centre, IMAGE, scale=4)
        assert (semantic[dist < 3.0] == value).all()
        assert (semantic[dist > 4.5] != value).all()


def test_upsampling_matches_torch_bilinear():
    torch = pytest.importorskip('torch')
    maps = np.random.default_rng(0).random((3, 5, 7)).astype(np.float32)
    want = torch.nn.functional.interpolate(
        torch.from_numpy(maps)[None], scale_factor=4, mode='bilinear',
        align_corners=False)[0, :, :18, :27]
    want = (want / want.max()).numpy()
    np.testing.assert_allclose(_upsample_normalised(maps, (18, 27)), want, atol=1e-6)


def _one_centre():
    """(2, h, w) displacement of every pixel towards the grid centre (one instance)."""
    ys, xs = np.mgrid[0:GRID[0], 0:GRID[1]].astype(float)
    return np.stack([7.5 - ys, 11.5 - xs])


def test_boundary_split_cuts_an_instance_along_a_closed_boundary():
    instance_map = np.zeros(GRID, dtype=np.int64)
    instance_map[:, 20:] = 1
    boundary = np.full(GRID, 0.05)
    boundary[:, 9:11] = 0.9  # a wall through instance 0
    split = split_instances_by_boundary(instance_map, boundary, threshold=0.5)
    assert len(np.unique(split)) == 3 and split.max() == 2
    left, middle, right = split[0, 0], split[0, 15], split[0, 22]
    assert len({left, middle, right}) == 3
    assert (split[:, :9] == left).all() and (split[:, 11:20] == middle).all()
    assert (split[:, 20:] == right).all()
    # wall pixels join the nearest piece
    assert (split[:, 9] == left).all() and (split[:, 10] == middle).all()


def test_boundary_split_keeps_an_instance_with_an_open_boundary():
    boundary = np.full(GRID, 0.05)
    boundary[2:, 10] = 0.9  # the wall leaves a gap in row 0..1
    split = split_instances_by_boundary(np.zeros(GRID, dtype=np.int64), boundary, 0.5)
    assert (split == 0).all()


def test_boundary_split_of_an_all_boundary_map_is_the_input():
    instance_map = np.repeat(np.array([[4, 7]]), 3, axis=0)
    split = split_instances_by_boundary(instance_map, np.ones((3, 2)), threshold=0.5)
    np.testing.assert_array_equal(split, [[0, 1]] * 3)


def test_touching_objects_sharing_a_centroid_need_the_boundary_split():
    # two touching boxes of one class, split only by a wall that the boundary map sees
    cams = np.zeros((1, ) + GRID)
    cams[0, 2:14, 3:21] = 1.0
    boundary = np.full(GRID, BOUNDARY)
    boundary[2:14, 3:21] = 1.0  # outline of the pair ...
    boundary[3:13, 4:20] = BOUNDARY
    boundary[3:13, 11] = 0.5  # ... and a fainter wall between them, kept by the walk
    options = dict(class_ids=[3], image_size=IMAGE, log2_steps=4)
    paper = irn_instance_pseudo_labels(cams, boundary, _one_centre(), **options)
    split = irn_instance_pseudo_labels(cams, boundary, _one_centre(), boundary_split=0.4,
                                       **options)
    assert len(paper[0]) == 1
    assert len(split[0]) == 2 and split[1].tolist() == [3, 3]
    left, right = sorted(split[0], key=lambda m: np.nonzero(m)[1].mean())
    assert left[12:52, 16:42].all() and not left[:, 48:].any()
    assert right[12:52, 50:80].all() and not right[:, :44].any()


def test_object_extent_is_what_the_teacher_sees():
    cams = np.zeros((1, 20, 20), np.float32)
    cams[0, 2:8, 2:8] = 1.0   # a 6x6 object
    cams[0, 10:20, 10:20] = 1.0  # a 10x10 object
    clusters = np.zeros((20, 20), np.int64)
    clusters[:, 9:] = 1
    clusters[0, 0] = 2  # a one-cell cluster is ignored
    assert object_extent(cams, clusters) == pytest.approx(np.sqrt((36 + 100) / 2))
    assert object_extent(np.zeros((0, 20, 20)), clusters) == 0.0


def test_walk_length_grows_with_the_square_of_the_extent():
    assert walk_log2_steps(12, 12, 5) == 5
    assert walk_log2_steps(24, 12, 5) == 7  # twice as large: four times the steps
    assert walk_log2_steps(34, 12, 5) == 8  # VOC-sized objects: the paper's 256 steps
    assert walk_log2_steps(200, 12, 5) == 8 and walk_log2_steps(1, 12, 5) == 3
    assert walk_log2_steps(0, 12, 5) == 5  # nothing seen: the reference
