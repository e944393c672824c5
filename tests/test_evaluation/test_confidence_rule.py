"""The confidence threshold of box-supervised pseudo masks, chosen on train GT
(``mmwsis.analysis.confidence_rule``, behind ``tools/analysis_tools/confidence_rule.py``)."""
import os.path as osp

import numpy as np
import pytest

from mmwsis.analysis import chosen_threshold, mask_quality, rank_correlation, threshold_table
from mmwsis.utils import load_config, register_all_modules

from ..test_engine.test_bestie_labelers import run
from ..test_engine.test_box_labelers import filled_box_outputs

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_the_threshold_that_separates_good_from_bad_masks_is_chosen():
    scores = np.array([0.95, 0.9, 0.85, 0.6, 0.5, 0.3])
    ious = np.array([0.9, 0.8, 0.7, 0.3, 0.6, 0.1])  # one good mask at a low confidence
    rows = threshold_table(scores, ious, (0.0, 0.5, 0.8, 0.9))
    by_t = {row['threshold']: row for row in rows}
    assert by_t[0.0]['kept'] == 1.0 and by_t[0.0]['recall'] == 1.0
    assert by_t[0.8]['precision'] == 1.0 and by_t[0.8]['recall'] == 0.75
    assert by_t[0.8]['mean_iou'] == pytest.approx(0.8)
    # F1: t=0 4/6 & 1 -> 0.8; t=0.5 0.8 & 1 -> 0.889; t=0.8 1 & 0.75 -> 0.857
    assert chosen_threshold(rows) == 0.5
    assert rank_correlation(scores, ious) > 0.7
    assert rank_correlation(np.ones(3), ious[:3]) == 0.0


def test_ties_keep_the_lowest_threshold():
    rows = threshold_table(np.array([0.9, 0.8]), np.array([0.9, 0.9]), (0.0, 0.5, 0.7))
    assert chosen_threshold(rows) == 0.0


def test_mask_quality_of_filled_boxes_on_the_tiny_data(synthetic_root, synthetic_classes,
                                                       tmp_path):
    run(synthetic_root, synthetic_classes, tmp_path, dict(type='BoxPriorLabeler'),
        filled_box_outputs)
    register_all_modules()
    cfg = load_config(osp.join(REPO, 'configs/filled_box/filled-box_synthetic.py'),
                      dict(data_root=f'{synthetic_root}/'))
    scores, ious, gt_count = mask_quality(cfg, str(tmp_path / 'train.json'), num_images=4)
    assert 0 < len(scores) <= gt_count
    # each filled box holds its shape, which fills a part of it
    assert 0.3 < ious.mean() < 0.95 and (scores <= 1).all()
