"""Mask R-CNN's mask head with a per-instance confidence on the mask loss."""
from typing import List

import torch
import torch.nn.functional as F
from mmdet.models.roi_heads.mask_heads import FCNMaskHead
from mmdet.models.task_modules.samplers import SamplingResult
from mmdet.utils import ConfigType, InstanceList

from mmwsis.registry import MODELS


@MODELS.register_module()
class ConfidenceWeightedMaskHead(FCNMaskHead):
    """``FCNMaskHead`` whose mask loss weighs each RoI by its GT instance's ``scores``.

    Pseudo labels carry a confidence (``gt_instances.scores``, packed by
    ``LoadInstanceScores`` + ``PackWeakInputs``). Each positive RoI's per-pixel BCE is
    averaged over its mask, multiplied by its instance's weight and normalised by the sum of
    weights. The weight is the confidence (``weight_by_confidence=True``) or 1, and 0 for
    instances below ``min_confidence`` (BoxCaseg ignores unreliable proxy masks). Without
    ``scores`` in the GT it is exactly ``FCNMaskHead``.
    """

    def __init__(self, *args, min_confidence: float = 0.0, weight_by_confidence: bool = True,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.min_confidence = min_confidence
        self.weight_by_confidence = weight_by_confidence

    def roi_weights(self, sampling_results: List[SamplingResult],
                    batch_gt_instances: InstanceList) -> torch.Tensor:
        """(num_pos,) weight of each positive RoI from its GT instance's confidence."""
        scores = torch.cat([gt.scores[res.pos_assigned_gt_inds]
                            for res, gt in zip(sampling_results, batch_gt_instances)])
        weights = scores if self.weight_by_confidence else torch.ones_like(scores)
        return torch.where(scores >= self.min_confidence, weights, torch.zeros_like(weights))

    def loss_and_target(self, mask_preds: torch.Tensor,
                        sampling_results: List[SamplingResult],
                        batch_gt_instances: InstanceList,
                        rcnn_train_cfg: ConfigType) -> dict:
        if not all('scores' in gt for gt in batch_gt_instances):
            return super().loss_and_target(mask_preds, sampling_results, batch_gt_instances,
                                           rcnn_train_cfg)
        targets = self.get_targets(sampling_results, batch_gt_instances, rcnn_train_cfg)
        if mask_preds.size(0) == 0:
            return dict(loss_mask=dict(loss_mask=mask_preds.sum()), mask_targets=targets)
        labels = torch.cat([res.pos_gt_labels for res in sampling_results])
        channel = torch.zeros_like(labels) if self.class_agnostic else labels
        logits = mask_preds[torch.arange(len(labels), device=labels.device), channel]
        per_roi = F.binary_cross_entropy_with_logits(
            logits, targets.to(logits.dtype), reduction='none').flatten(1).mean(1)
        weights = self.roi_weights(sampling_results, batch_gt_instances).to(per_roi.dtype)
        loss = (per_roi * weights).sum() / weights.sum().clamp(min=1e-6)
        return dict(loss_mask=dict(loss_mask=loss * self.loss_mask.loss_weight),
                    mask_targets=targets)
