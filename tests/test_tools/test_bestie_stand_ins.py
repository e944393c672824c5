"""`tools/analysis_tools/bestie_stand_ins.py`: the GT stand-ins split WSSS pieces as GT does."""
import numpy as np
import pytest

from tests.tool_module import tool_module


def stand_ins():
    return tool_module('analysis_tools/bestie_stand_ins.py')


def touching_squares():
    """One WSSS piece of class 0 (value 1) over two touching GT squares of class 0."""
    left, right = np.zeros((32, 48), bool), np.zeros((32, 48), bool)
    left[8:24, 4:20] = True
    right[8:24, 20:36] = True
    semantic = np.where(left | right, 1, 0).astype(np.uint8)
    semantic[8, 4:36] = 255  # void is not a class
    seg_prob = np.stack([1.0 - (semantic == 1), (semantic == 1) * 0.8])
    return semantic, seg_prob, [(left, 0), (right, 0)]


def test_pieces_are_whole_and_the_gt_split_recovers_each_instance():
    module = stand_ins()
    semantic, seg_prob, gt = touching_squares()
    masks, labels, scores = module.wsss_pieces(semantic, seg_prob, min_area=10)
    assert len(masks) == 1 and labels == [0] and scores == pytest.approx([0.8])
    masks, labels, _ = module.gt_split(semantic, seg_prob, gt)
    assert len(masks) == 2 and labels == [0, 0]
    for mask, (truth, _) in zip(masks, gt):
        assert (mask == (truth & (semantic == 1))).all()


def test_gt_centres_split_the_piece_where_the_offsets_point():
    module = stand_ins()
    semantic, seg_prob, gt = touching_squares()
    ys, xs = np.mgrid[0:32, 0:48].astype(np.float64)
    centre_x = np.where(xs < 20, 11.5, 27.5)  # each square's pixels point to its centre
    offset = np.stack([15.5 - ys, centre_x - xs])
    masks, labels, _ = module.gt_centre_split(semantic, seg_prob, offset, gt, min_area=10)
    assert len(masks) == 2 and labels == [0, 0]
    assert {tuple(np.argwhere(m)[:, 1].min(keepdims=True)) for m in masks} == {(4,), (20,)}
    # without offsets to tell them apart, the pixels go to the nearest centroid: the same
    masks, _, _ = module.gt_centre_split(semantic, seg_prob, np.zeros_like(offset), gt, 10)
    assert len(masks) == 2
