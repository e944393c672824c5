"""The confidence-weighted mask loss: ignores low-confidence instances, weighs the rest."""
import torch
from mmdet.models.task_modules.samplers import SamplingResult
from mmdet.structures.mask import BitmapMasks
from mmengine.config import ConfigDict
from mmengine.structures import InstanceData

from mmwsis.models.heads import ConfidenceWeightedMaskHead
from mmwsis.registry import MODELS

CFG = ConfigDict(mask_size=8)


def head(**kwargs):
    # As configs build it (from any default scope), with mmdet's loss named explicitly.
    return MODELS.build(dict(
        type='ConfidenceWeightedMaskHead', num_convs=1, in_channels=4, conv_out_channels=4,
        num_classes=2, loss_mask=dict(type='mmdet.CrossEntropyLoss', use_mask=True,
                                      loss_weight=1.0), **kwargs))


def inputs(scores):
    masks = torch.zeros(2, 16, 16, dtype=torch.uint8)
    masks[0, 2:10, 2:10] = 1
    masks[1, 6:14, 6:14] = 1
    gt = InstanceData(bboxes=torch.tensor([[2., 2., 10., 10.], [6., 6., 14., 14.]]),
                      labels=torch.tensor([0, 1]),
                      masks=BitmapMasks(masks.numpy(), 16, 16))
    if scores is not None:
        gt.scores = torch.tensor(scores)
    priors = torch.tensor([[2., 2., 10., 10.], [6., 6., 14., 14.], [0., 0., 4., 4.]])
    result = SamplingResult(pos_inds=torch.tensor([0, 1]), neg_inds=torch.tensor([2]),
                            priors=priors, gt_bboxes=gt.bboxes,
                            assign_result=_assign(), gt_flags=torch.zeros(3, dtype=torch.uint8))
    return result, gt


def _assign():
    from mmdet.models.task_modules.assigners import AssignResult
    return AssignResult(num_gts=2, gt_inds=torch.tensor([1, 2, 0]),
                        max_overlaps=torch.ones(3), labels=torch.tensor([0, 1, -1]))


def per_roi_losses(preds, result, gt):
    targets = head().get_targets([result], [gt], CFG)
    logits = preds[torch.arange(2), torch.tensor([0, 1])]
    return torch.nn.functional.binary_cross_entropy_with_logits(
        logits, targets, reduction='none').flatten(1).mean(1)


def test_builds_from_the_registry():
    assert isinstance(head(), ConfidenceWeightedMaskHead)


def test_without_scores_it_is_the_stock_head():
    torch.manual_seed(0)
    preds = torch.randn(2, 2, 8, 8)
    result, gt = inputs(None)
    ours = head().loss_and_target(preds, [result], [gt], CFG)['loss_mask']['loss_mask']
    assert torch.allclose(ours, per_roi_losses(preds, result, gt).mean(), atol=1e-6)


def test_low_confidence_instances_are_ignored_and_others_weighted():
    torch.manual_seed(0)
    preds = torch.randn(2, 2, 8, 8)
    result, gt = inputs([0.9, 0.2])
    per_roi = per_roi_losses(preds, result, gt)
    ignored = head(min_confidence=0.5).loss_and_target(preds, [result], [gt], CFG)
    assert torch.allclose(ignored['loss_mask']['loss_mask'], per_roi[0], atol=1e-6)
    weighted = head(weight_by_confidence=True).loss_and_target(preds, [result], [gt], CFG)
    expected = (0.9 * per_roi[0] + 0.2 * per_roi[1]) / 1.1
    assert torch.allclose(weighted['loss_mask']['loss_mask'], expected, atol=1e-6)
