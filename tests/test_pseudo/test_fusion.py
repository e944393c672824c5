"""Pseudo-label fusion on hand-built masks: matching across sources, the pixel vote, the
agreement score."""
import numpy as np
import pytest

from mmwsis.pseudo import fuse_instances, match_across_sources


def square(top: int, left: int, side: int, size: int = 20) -> np.ndarray:
    mask = np.zeros((size, size), bool)
    mask[top:top + side, left:left + side] = True
    return mask


def source(*instances):
    """(masks, labels, scores) of (mask, label, score) triples."""
    masks = np.stack([m for m, _, _ in instances]) if instances else np.zeros((0, 20, 20), bool)
    return (masks, np.array([c for _, c, _ in instances], np.int64),
            np.array([s for _, _, s in instances], np.float64))


def test_instances_match_within_a_class_at_the_iou_threshold():
    a = source((square(0, 0, 10), 0, 0.9), (square(10, 10, 8), 1, 0.5))
    b = source((square(1, 1, 10), 0, 0.8),     # IoU 81/119 with a's first
               (square(10, 10, 8), 0, 0.7))    # same place as a's second, other class
    clusters = match_across_sources([a, b], match_iou=0.5)
    assert sorted(map(sorted, clusters)) == [[(0, 0), (1, 0)], [(0, 1)], [(1, 1)]]
    assert match_across_sources([a, b], match_iou=0.7)[0] == [(0, 0)]  # 0.68 < 0.7


def test_majority_vote_of_three_sources_and_agreement_score():
    a = source((square(0, 0, 10), 0, 0.9))
    b = source((square(0, 2, 10), 0, 0.9))
    c = source((square(2, 0, 10), 0, 0.9), (square(14, 14, 5), 0, 0.9))
    masks, labels, scores = fuse_instances([a, b, c], min_agreement=0.5)
    votes = square(0, 0, 10).astype(int) + square(0, 2, 10) + square(2, 0, 10)
    assert len(masks) == 1  # c's lone small square has one vote of the two it needs
    np.testing.assert_array_equal(masks[0], votes >= 2)
    assert labels.tolist() == [0]
    members = [square(0, 0, 10), square(0, 2, 10), square(2, 0, 10)]
    expected = np.mean([(m & masks[0]).sum() / (m | masks[0]).sum() for m in members])
    assert scores[0] == pytest.approx(expected)


def test_two_sources_union_or_intersection_and_singletons():
    a = source((square(0, 0, 10), 0, 0.9), (square(14, 14, 5), 1, 0.3))
    b = source((square(0, 1, 10), 0, 0.9))
    union, _, union_scores = fuse_instances([a, b], min_agreement=0.5)
    assert len(union) == 2
    np.testing.assert_array_equal(union[0], square(0, 0, 10) | square(0, 1, 10))
    assert union_scores[1] == pytest.approx(0.5)  # one source of two, IoU 1 with itself
    both, _, _ = fuse_instances([a, b], min_agreement=1.0)
    assert len(both) == 1
    np.testing.assert_array_equal(both[0], square(0, 0, 10) & square(0, 1, 10))


def test_empty_sources_and_bad_arguments():
    masks, labels, scores = fuse_instances([source(), source()])
    assert masks.shape == (0, 20, 20) and not len(labels) and not len(scores)
    with pytest.raises(ValueError, match='at least one source'):
        fuse_instances([])
    with pytest.raises(ValueError, match=r'min_agreement must lie in \(0, 1\]'):
        fuse_instances([source()], min_agreement=0.0)
    small = (np.zeros((0, 10, 10), bool), np.zeros(0, np.int64), np.zeros(0))
    with pytest.raises(ValueError, match='differ in size'):
        fuse_instances([source(), small])
