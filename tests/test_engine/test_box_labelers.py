"""The box labelers through the collector: the baselines' filled boxes, and a box-supervised
detector's predictions matched to the GT boxes, merged and scored as BoxCaseg's proxy masks."""
import json

import numpy as np
import pytest
import torch

from mmwsis.engine.pseudo_label import BoxMatchedLabeler, BoxPriorLabeler
from mmwsis.pseudo import filled_box_mask

from .test_bestie_labelers import run
from .test_labeler_outputs import gt_instances


def filled_box_outputs(info: dict) -> dict:
    """What BoxPrior(prior='filled') sets: each GT box, filled, at the original size."""
    masks, labels = gt_instances(info)
    boxes = np.array([inst['bbox'] for inst in info['instances']], np.float32)
    filled = np.stack([filled_box_mask(box, masks.shape[1:]) for box in boxes])
    return dict(box_masks=torch.from_numpy(filled),
                gt_instances=dict(bboxes=torch.from_numpy(boxes),
                                  labels=torch.from_numpy(labels)))


def test_filled_boxes_score_one_unless_covered(synthetic_root, synthetic_classes, tmp_path):
    metrics = run(synthetic_root, synthetic_classes, tmp_path, dict(type='BoxPriorLabeler'),
                  filled_box_outputs)
    data = json.loads((tmp_path / 'train.json').read_text())
    scores = np.array([a['score'] for a in data['annotations']])
    assert len(scores) and np.median(scores) == 1.0 and scores.min() > 0
    # the synthetic shapes fill part of their box: boxes are right at low IoU only
    assert metrics['mAP25'] > 80.0 and metrics['mAP75'] < metrics['mAP25']
    summary = json.loads((tmp_path / 'train_summary.json').read_text())
    assert 40.0 < summary['instance_mIoU'] < 95.0  # a filled box covers its shape and more


def test_a_mask_per_box_at_the_image_size_is_required():
    sample = dict(ori_shape=(20, 20), box_masks=torch.zeros(1, 20, 20, dtype=torch.bool),
                  gt_instances=dict(bboxes=torch.zeros(2, 4), labels=torch.zeros(2)))
    with pytest.raises(ValueError, match=r'shape \(1, 20, 20\) for 2 GT boxes'):
        BoxPriorLabeler().per_image(sample)


def detector_outputs(info: dict) -> dict:
    """What a good box-supervised detector predicts on a train image: each GT mask with a
    slightly loose box and a spill outside it, plus a false positive of every class in a
    corner; and the GT boxes the labeler matches them to."""
    masks, labels = gt_instances(info)
    boxes = np.array([inst['bbox'] for inst in info['instances']], np.float32)
    spilled = masks.copy()
    spilled[:, :, :2] = True  # pixels far outside every box
    corner = np.zeros((len(np.unique(labels)), *masks.shape[1:]), bool)
    corner[:, :4, -4:] = True
    return dict(
        pred_instances=dict(
            bboxes=torch.from_numpy(np.concatenate([boxes + [-1, -1, 1, 1],
                                                    np.tile([[0, 0, 4, 4]], (len(corner), 1))])),
            labels=torch.from_numpy(np.concatenate([labels, np.unique(labels)])),
            scores=torch.ones(len(labels) + len(corner)),
            masks=torch.from_numpy(np.concatenate([spilled, corner]))),
        gt_instances=dict(bboxes=torch.from_numpy(boxes), labels=torch.from_numpy(labels)))


def test_detections_matched_to_the_gt_boxes_give_the_masks_inside_them(
        synthetic_root, synthetic_classes, tmp_path):
    metrics = run(synthetic_root, synthetic_classes, tmp_path,
                  dict(type='BoxMatchedLabeler', min_iou=0.5), detector_outputs)
    data = json.loads((tmp_path / 'train.json').read_text())
    # one mask per GT box: the corner false positives matched none
    gt_count = len(json.loads(
        (synthetic_root / 'annotations' / 'instances_train.json').read_text())['annotations'])
    assert 0.9 * gt_count <= len(data['annotations']) <= gt_count
    assert metrics['mAP50'] > 90.0  # the spill outside each box is cut off


def test_predictions_must_be_at_the_original_size():
    sample = dict(ori_shape=(20, 20),
                  pred_instances=dict(bboxes=torch.zeros(1, 4), labels=torch.zeros(1),
                                      masks=torch.zeros(1, 10, 10, dtype=torch.bool)),
                  gt_instances=dict(bboxes=torch.zeros(1, 4), labels=torch.zeros(1)))
    with pytest.raises(ValueError, match='rescale=True'):
        BoxMatchedLabeler().per_image(sample)
