"""CIM's proposal side on hand-built proposal sets: overlaps, 7x7 masks, clusters, mining."""
import numpy as np
import pytest

from mmwsis.evaluation.functional import encode_masks
from mmwsis.pseudo import (MinedInstances, big_proposals, box_cropped_masks, branch_targets,
                           mask_nms, mine_complete_instances, overlaps_from_atoms,
                           propagate_to_proposals, proposal_atoms, proposal_clusters,
                           proposal_overlaps, sample_by_weight)


def box_mask(shape, y1, x1, y2, x2):
    mask = np.zeros(shape, bool)
    mask[y1:y2, x1:x2] = True
    return mask


# ------------------------------------------------------------------ overlaps
def test_overlaps_match_dense_computation():
    rng = np.random.default_rng(0)
    masks = rng.random((6, 24, 30)) > 0.6
    masks[5] = False  # an empty proposal scores 0 everywhere
    iou, containment = proposal_overlaps(encode_masks(masks))
    flat = masks.reshape(6, -1).astype(np.float64)
    inter = flat @ flat.T
    area = flat.sum(1)
    union = area[:, None] + area[None] - inter
    with np.errstate(invalid='ignore', divide='ignore'):
        dense_iou = np.where(union > 0, inter / union, 0)
        dense_inside = np.where(area[None] > 0, inter / area[None], 0)
    np.testing.assert_allclose(iou, dense_iou, atol=1e-6)
    np.testing.assert_allclose(containment, dense_inside, atol=1e-6)
    assert iou.dtype == containment.dtype == np.float32


def test_containment_is_asymmetric():
    big, small = box_mask((20, 20), 0, 0, 10, 10), box_mask((20, 20), 2, 2, 6, 6)
    iou, containment = proposal_overlaps(encode_masks(np.stack([big, small])))
    assert containment[0, 1] == pytest.approx(1.0)  # all of the small one is in the big
    assert containment[1, 0] == pytest.approx(0.16)  # 16 of the big one's 100 pixels
    assert iou[0, 1] == iou[1, 0] == pytest.approx(0.16)


def test_atoms_of_hierarchical_proposals_are_its_finest_regions():
    # Four quadrants; proposals are unions of them, as a segment hierarchy's are.
    quadrant = np.zeros((4, 20, 20), bool)
    quadrant[0, :10, :10] = quadrant[1, :10, 10:] = True
    quadrant[2, 10:, :10] = quadrant[3, 10:, 10:] = True
    unions = [(0,), (1,), (0, 1), (2, 3), (0, 1, 2, 3), (0, 1, 2)]
    masks = np.stack([quadrant[list(u)].any(0) for u in unions])
    membership, areas = proposal_atoms(encode_masks(masks), chunk=4)  # two chunks
    assert membership.shape == (6, 4) and sorted(areas) == [100] * 4
    # Each proposal covers the atoms of its quadrants, and its area is theirs.
    np.testing.assert_array_equal(membership @ areas, masks.reshape(6, -1).sum(1))
    np.testing.assert_array_equal(membership.toarray().sum(1), [len(u) for u in unions])


def test_atoms_survive_a_hash_collision(monkeypatch):
    from mmwsis.pseudo import cim_overlaps
    rng = np.random.default_rng(2)
    masks = rng.random((40, 12, 16)) > 0.5
    exact = proposal_overlaps(encode_masks(masks))
    calls = []
    real_mix = cim_overlaps._mix64

    def colliding_first_salt(values):  # every pixel gets one key under the first salt
        calls.append(1)
        return np.zeros_like(values) if len(calls) <= 2 else real_mix(values)

    monkeypatch.setattr(cim_overlaps, '_mix64', colliding_first_salt)
    membership, areas = proposal_atoms(encode_masks(masks), chunk=32)
    assert len(calls) == 4  # two chunks, hashed twice: the collision was seen and re-salted
    for got, want in zip(overlaps_from_atoms(membership, areas), exact):
        np.testing.assert_array_equal(got, want)


def test_no_proposals():
    iou, containment = proposal_overlaps([])
    assert iou.shape == containment.shape == (0, 0)


# ------------------------------------------------------------------ 7x7 masks
def test_box_cropped_masks_sample_each_cell_centre():
    # An L shape in a 14x14 box: its 7x7 sampling is the L at half resolution.
    mask = np.zeros((30, 40), bool)
    mask[10:24, 5:9] = True
    mask[20:24, 5:19] = True
    rles = encode_masks(mask[None])
    out = box_cropped_masks(rles, np.array([[5, 10, 19, 24]]), size=7, chunk=1)
    expected = np.zeros((7, 7), np.float32)
    expected[:, :2] = 1
    expected[5:, :] = 1
    np.testing.assert_array_equal(out[0], expected)
    full = box_cropped_masks(rles, np.array([[5, 20, 19, 24]]))
    assert full.shape == (1, 7, 7) and full.min() == 1  # the bottom bar fills its own box


def test_box_cropped_masks_chunks_agree():
    rng = np.random.default_rng(1)
    masks = rng.random((5, 16, 16)) > 0.5
    boxes = np.array([[0, 0, 16, 16], [2, 3, 9, 15], [0, 0, 1, 1], [5, 5, 12, 8],
                      [15, 15, 16, 16]], np.float32)
    rles = encode_masks(masks)
    np.testing.assert_array_equal(box_cropped_masks(rles, boxes, chunk=2),
                                  box_cropped_masks(rles, boxes, chunk=256))
    with pytest.raises(ValueError, match='5 masks and 4 boxes'):
        box_cropped_masks(rles, boxes[:4])


# ------------------------------------------------------------------ clusters
def cluster_scene():
    """Two objects: proposals 0-2 around A (left), 3-4 around B (right), 5 straddles A,
    6 is elsewhere (touches neither)."""
    shape = (40, 60)
    masks = np.stack([
        box_mask(shape, 5, 5, 25, 25),   # 0: A
        box_mask(shape, 5, 5, 24, 26),   # 1: A, nearly
        box_mask(shape, 6, 4, 25, 25),   # 2: A, nearly
        box_mask(shape, 10, 35, 30, 55),  # 3: B
        box_mask(shape, 10, 36, 30, 56),  # 4: B, nearly
        box_mask(shape, 0, 0, 12, 12),   # 5: overlaps A a little
        box_mask(shape, 32, 0, 40, 8),   # 6: elsewhere
    ])
    return encode_masks(masks)


def test_clusters_group_proposals_around_each_peak():
    rles = cluster_scene()
    peaks = np.array([[15, 15], [20, 45]])
    clusters = proposal_clusters(rles, peaks, peak_labels=np.array([2, 0]),
                                 peak_scores=np.array([0.9, 0.5]), num_classes=3)
    assert clusters.shape == (7, 4) and clusters.dtype == np.int32
    # B (score 0.5) is visited first: cluster 1 of class 0; A then is cluster 2 of class 2.
    np.testing.assert_array_equal(clusters[:, 1], [0, 0, 0, 1, 1, 0, 0])
    np.testing.assert_array_equal(clusters[:, 3], [2, 2, 2, 0, 0, 0, 0])
    np.testing.assert_array_equal(clusters[:, 2], 0)
    # 5 overlaps A's object by less than 0.5: background; 6 touches nothing: no cluster.
    np.testing.assert_array_equal(clusters[:, 0], [0, 0, 0, 0, 0, 1, 0])


def test_clusters_skip_uncovered_peaks_and_empty_inputs():
    rles = cluster_scene()
    clusters = proposal_clusters(rles, np.array([[38, 58]]), np.array([1]), np.array([1.0]), 3)
    assert not clusters.any()
    assert proposal_clusters(rles, np.zeros((0, 2)), [], [], 3).shape == (7, 4)
    assert proposal_clusters([], np.array([[1, 1]]), [0], [1.0], 3).shape == (0, 4)


def test_mean_mask_threshold_picks_the_agreed_object():
    # Three proposals cover the peak: a corner, and two arms that each add a third of
    # agreement outside it. Above 0.7 the object is the corner, above 0.3 the whole L.
    shape = (20, 20)
    masks = np.stack([box_mask(shape, 0, 0, 10, 10), box_mask(shape, 0, 0, 10, 20),
                      box_mask(shape, 0, 0, 20, 10)])
    rles = encode_masks(masks)
    strict = proposal_clusters(rles, np.array([[5, 5]]), [0], [1.0], 1)
    np.testing.assert_array_equal(strict[:, 1], [1, 0, 0])  # the arms: IoU 0.5, not above
    np.testing.assert_array_equal(strict[:, 0], [0, 1, 1])
    loose = proposal_clusters(rles, np.array([[5, 5]]), [0], [1.0], 1, cover_thr=0.3)
    np.testing.assert_array_equal(loose[:, 1], [0, 1, 1])  # IoU with the L: 1/3, 2/3, 2/3
    np.testing.assert_array_equal(loose[:, 0], [1, 0, 0])


# ------------------------------------------------------------------ mining
def mining_scene():
    """Proposals: 0 a part of an object, 1 the whole object (contains 0), 2 an unrelated
    segment, 3 the whole image (contains everything: "big")."""
    shape = (40, 40)
    masks = np.stack([box_mask(shape, 10, 10, 18, 18), box_mask(shape, 8, 8, 24, 24),
                      box_mask(shape, 30, 30, 38, 38), box_mask(shape, 0, 0, 40, 40)])
    return proposal_overlaps(encode_masks(masks))


def scores(rows):
    """(R, C + 1) with the background column first."""
    return np.asarray(rows, dtype=np.float32)


def test_big_proposals():
    _, containment = mining_scene()
    np.testing.assert_array_equal(big_proposals(containment), [False, False, False, True])


def test_mask_nms_keeps_order_and_drops_overlaps():
    iou = np.array([[1, .6, 0], [.6, 1, .2], [0, .2, 1]])
    np.testing.assert_array_equal(mask_nms(np.array([1, 0, 2]), iou, 0.5), [1, 2])
    np.testing.assert_array_equal(mask_nms(np.array([1, 0, 2]), iou, 0.7), [1, 0, 2])


def test_mining_completes_the_seed_and_skips_big_proposals():
    iou, containment = mining_scene()
    # The class score favours the part (0); detection favours the whole image (3), which
    # is big, then the whole object (1).
    cls = scores([[0, .9], [0, .5], [0, .1], [0, .3]])
    det = scores([[0, .1], [0, .6], [0, .05], [0, .9]])
    mined = mine_complete_instances(cls, det, [0], iou, containment, cls_thr=0.25,
                                    seed_share=0.25)
    np.testing.assert_array_equal(mined.index, [1])
    np.testing.assert_array_equal(mined.label, [0])
    assert mined.weight[0] == pytest.approx(0.5 * 0.6)
    # The ablation without mining keeps the seed itself: the part, weight 0.9 * 0.1.
    seeds = mine_complete_instances(cls, det, [0], iou, containment, cls_thr=0.25,
                                    seed_share=0.25, complete=False)
    np.testing.assert_array_equal(seeds.index, [0])
    assert seeds.weight[0] == pytest.approx(0.9 * 0.1)


def test_mining_keeps_the_higher_weight_class_of_a_proposal():
    iou, containment = mining_scene()
    cls = scores([[0, .9, .8], [0, .5, .7], [0, .1, .1], [0, .3, .3]])
    det = scores([[0, .1, .1], [0, .6, .6], [0, .05, .05], [0, .9, .9]])
    mined = mine_complete_instances(cls, det, [0, 1], iou, containment, 0.25, seed_share=0.25)
    np.testing.assert_array_equal(mined.index, [1])
    np.testing.assert_array_equal(mined.label, [1])  # 0.7 * 0.6 > 0.5 * 0.6
    none = mine_complete_instances(cls, det, [], iou, containment, 0.25)
    assert len(none) == 0


def test_sampling_by_weight_is_seeded_and_never_keeps_zero_weight():
    instances = MinedInstances(np.arange(6), np.array([0, 0, 0, 1, 1, 1]),
                               np.array([1., 0., 0., 0., 0., 0.], np.float32))
    first = sample_by_weight(instances, np.random.default_rng(3))
    second = sample_by_weight(instances, np.random.default_rng(3))
    np.testing.assert_array_equal(first.index, second.index)
    assert 0 in first.index and 1 not in first.index and 2 not in first.index
    # Class 1's weights are all zero: drawn uniformly, so at least one of them stays.
    assert set(first.index) & {3, 4, 5}


def test_propagation_labels_ignore_background_and_integrity():
    iou = np.array([[1., .8, .3, .1, 0.],
                    [.8, 1., .2, .1, 0.],
                    [.3, .2, 1., 0., 0.],
                    [.1, .1, 0., 1., 0.],
                    [0., 0., 0., 0., 1.]], np.float32)
    big = np.array([False, False, False, True, False])
    gt = MinedInstances(np.array([0]), np.array([2]), np.array([0.4], np.float32))
    targets = propagate_to_proposals(gt, iou, big, num_classes=3, cls_thr=0.25, iou_thr=0.5)
    np.testing.assert_array_equal(targets.labels.argmax(1)[:4], [3, 3, 3, 0])
    np.testing.assert_array_equal(targets.labels[4], 0)  # no overlap: ignored
    assert targets.labels[[0, 1, 2, 3]].sum() == 4
    np.testing.assert_allclose(targets.weights, [.4, .4, .4, .4, 0])
    np.testing.assert_array_equal(targets.integrity, [1, 1, 0, 0, 0])
    np.testing.assert_array_equal(targets.foreground, [True, True, True, False, False])
    # 2 is below a stricter class threshold: background, still weighted.
    strict = propagate_to_proposals(gt, iou, big, 3, cls_thr=0.35, iou_thr=0.6)
    assert strict.labels[2, 0] == 1 and strict.weights[2] == pytest.approx(0.4)


def test_branch_thresholds_tighten_with_depth():
    iou, containment = mining_scene()
    cls = scores([[0, .9], [0, .5], [0, .1], [0, .3]])
    det = scores([[0, .1], [0, .6], [0, .05], [0, .9]])
    first = branch_targets(cls, det, [0], iou, containment, branch=0, seed_share=0.25)
    last = branch_targets(cls, det, [0], iou, containment, branch=2, seed_share=0.25)
    # Proposal 0 has IoU 0.25 with the mined whole object (1): foreground for branch 0
    # (cls_thr 0.25 is exclusive only below), background for branch 2 (0.45).
    assert iou[0, 1] == pytest.approx(0.25)
    assert first.labels[0, 1] == 1 and last.labels[0, 0] == 1
    sampled = branch_targets(cls, det, [0], iou, containment, 0, np.random.default_rng(0),
                             seed_share=0.25)
    np.testing.assert_array_equal(sampled.labels, first.labels)  # one instance: always drawn
