"""An mmwsis pseudo json is read by source id and scored in both protocols
(``mmwsis.analysis``, behind ``tools/analysis_tools/score_pseudo_labels.py``)."""
import json

import numpy as np
import pytest

from mmwsis.analysis import pseudo_instances, score_instances
from mmwsis.evaluation.functional import ImageInstances, encode_masks
from mmwsis.pseudo import build_coco_json


def test_a_pseudo_json_is_read_by_source_id_and_scored_in_both_protocols(tmp_path):
    square = np.zeros((1, 20, 20), bool)
    square[0, 2:10, 2:10] = True
    disc = np.zeros((1, 20, 20), bool)
    disc[0, 12:18, 12:18] = True
    rles = {'a': encode_masks(square), 'b': encode_masks(disc)}
    path = tmp_path / 'train.json'
    path.write_text(json.dumps(build_coco_json(
        [dict(img_id=k, file_name=f'{k}.jpg', height=20, width=20) for k in ('b', 'a')],
        {'a': dict(masks=rles['a'], labels=[0], scores=[0.9]),
         'b': dict(masks=rles['b'], labels=[1], scores=[0.8])}, ('square', 'disc'))))
    found = pseudo_instances(str(path))
    assert sorted(found) == ['a', 'b'] and found['a']['labels'] == [0]
    assert found['b']['scores'] == [0.8]

    right = [ImageInstances(pred_masks=found[k]['masks'],
                            pred_labels=np.asarray(found[k]['labels']),
                            pred_scores=np.asarray(found[k]['scores']), gt_masks=rles[k],
                            gt_labels=[label]) for k, label in (('a', 0), ('b', 1))]
    scores = score_instances(right, 2)
    assert scores['voc']['mAP50'] == pytest.approx(100.0)
    assert scores['coco']['mAP50'] == pytest.approx(100.0)
    swapped = [ImageInstances(pred_masks=i.pred_masks, pred_labels=1 - i.pred_labels,
                              pred_scores=i.pred_scores, gt_masks=i.gt_masks,
                              gt_labels=i.gt_labels) for i in right]
    assert score_instances(swapped, 2)['voc']['mAP50'] == 0.0
