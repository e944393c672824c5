"""CIM's network: proposal MIL with PCL clusters, complete-instance mining and integrity."""
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from mmdet.structures import DetDataSample

from mmwsis.models.losses import cim_branch_losses, mil_bag_loss, pcl_loss
from mmwsis.pseudo import branch_targets
from mmwsis.registry import MODELS
from .base_teacher import BaseTeacher
from .cam_classifier import check_unresized


@MODELS.register_module()
class CIMNet(BaseTeacher):
    """Backbone -> :class:`~mmwsis.models.heads.MaskFuseHead` ->
    :class:`~mmwsis.models.heads.CIMRefinementHead` (Li et al., CVPR 2023).

    Each sample carries its proposals (``proposals.bboxes`` in the input frame) and, in
    its metainfo, what ``LoadProposalsWithRelations`` and ``AssignProposalClusters`` add:
    ``proposal_box_masks`` (R, 7, 7), ``proposal_iou`` and ``proposal_containment``
    (R, R), ``proposal_clusters`` (R, C + 1).

    Loss (SEEDS.md §4 (b)): ``L_bag + L_pcl + sum_k (L_cls^k + 3 L_iou^k + L_bag^k)``,
    branch k trained towards :func:`~mmwsis.pseudo.branch_targets` of the previous
    branch's detached scores (the MIL branch's for k = 0), weights times
    ``branch_weights[k]`` (3, 1, 1).

    ``predict`` sets ``proposal_scores`` (R, C + 1): ``mean_k P^k * Q^k`` averaged over
    ``test_scales`` (shorter side in pixels; ``None``: the image as it is) and, with
    ``test_flip``, their horizontal flips. The proposals' RLEs travel in the metainfo
    (``proposal_masks``), so the labeler reads the very proposals that were scored.

    Args:
        backbone: config; its last output is the RoI feature map.
        roi_head: :class:`MaskFuseHead` config (without ``in_channels`` /
            ``featmap_stride`` if given here).
        num_classes: C.
        in_channels, featmap_stride: the feature map's channels and stride.
        num_refinements: K (3).
        branch_weights: the mined weights' multiplier per branch (3, 1, 1: CIM's).
        seed_share, con_thr: as :func:`~mmwsis.pseudo.mine_complete_instances`.
        anti_noise: draw the mined instances by weight each iteration (CIM's).
        complete_instances: CIM's mining step; off, each branch is trained towards its
            top-scoring seeds (PCL / OICR-style refinement), for the ablation.
        integrity: the integrity heads; off (the ablation), they get no loss, the bag loss
            and the test score use ``P^k`` alone and branch k + 1 mines with ``P^k`` as
            its detection score.
        test_scales, test_flip: inference passes.
    """

    def __init__(self,
                 backbone: dict,
                 num_classes: int,
                 in_channels: int,
                 featmap_stride: int = 16,
                 roi_head: Optional[dict] = None,
                 num_refinements: int = 3,
                 branch_weights: Sequence[float] = (3.0, 1.0, 1.0),
                 seed_share: float = 0.1,
                 con_thr: float = 0.85,
                 anti_noise: bool = True,
                 complete_instances: bool = True,
                 integrity: bool = True,
                 test_scales: Sequence[Optional[int]] = (None, ),
                 test_flip: bool = True,
                 seed: int = 0,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if len(branch_weights) != num_refinements:
            raise ValueError(f'{len(branch_weights)} branch_weights for {num_refinements} '
                             'refinements')
        self.backbone = MODELS.build(backbone)
        self.roi_head = MODELS.build(dict(type='MaskFuseHead', in_channels=in_channels,
                                          featmap_stride=featmap_stride, **(roi_head or {})))
        self.head = MODELS.build(dict(type='CIMRefinementHead',
                                      in_channels=self.roi_head.out_channels,
                                      num_classes=num_classes,
                                      num_refinements=num_refinements))
        self.num_classes = num_classes
        self.branch_weights = tuple(branch_weights)
        self.seed_share, self.con_thr, self.anti_noise = seed_share, con_thr, anti_noise
        self.complete_instances, self.integrity = complete_instances, integrity
        self.test_scales, self.test_flip = tuple(test_scales), test_flip
        self.rng = np.random.default_rng(seed)

    def embed(self, inputs: torch.Tensor, boxes: List[torch.Tensor],
              box_masks: List[torch.Tensor]) -> torch.Tensor:
        """(B, 3, H, W), B (R_i, 4) boxes and (R_i, 7, 7) masks -> (sum R_i, D)."""
        return self.roi_head(self.backbone(inputs)[-1], boxes, box_masks)

    def _forward(self, inputs: torch.Tensor,
                 data_samples: Optional[List[DetDataSample]] = None) -> torch.Tensor:
        """(sum R_i, C + 1) test scores of the samples' proposals."""
        boxes, masks = _proposal_inputs(inputs, data_samples)
        outputs = self.head(self.embed(inputs, boxes, masks), [len(b) for b in boxes])
        return self.head.proposal_scores(outputs, self.integrity)

    def loss(self, inputs: torch.Tensor,
             data_samples: List[DetDataSample]) -> Dict[str, torch.Tensor]:
        boxes, masks = _proposal_inputs(inputs, data_samples)
        counts = [len(b) for b in boxes]
        outputs = self.head(self.embed(inputs, boxes, masks), counts)
        totals: Dict[str, torch.Tensor] = {}
        for i, sample in enumerate(data_samples):
            rows = slice(sum(counts[:i]), sum(counts[:i + 1]))
            for name, value in self.image_losses(sample, outputs, rows).items():
                totals[name] = totals.get(name, 0) + value / len(data_samples)
        return totals

    def image_losses(self, sample: DetDataSample, outputs: Dict[str, object],
                     rows: slice) -> Dict[str, torch.Tensor]:
        """The loss terms of one image (rows ``rows`` of the batch's proposals)."""
        meta = sample.metainfo
        labels = list(meta['image_labels'])
        cls, det = outputs['mil_cls'][rows], outputs['mil_det'][rows]
        clusters = torch.as_tensor(np.asarray(meta['proposal_clusters']), device=cls.device)
        iou = np.asarray(meta['proposal_iou'], dtype=np.float32)
        containment = np.asarray(meta['proposal_containment'], dtype=np.float32)
        losses = dict(loss_mil=mil_bag_loss(cls, det, labels), loss_pcl=pcl_loss(cls, clusters))
        previous = (cls, det)
        for k, (prob, integrity) in enumerate(zip(outputs['refine'], outputs['integrity'])):
            prob = prob[rows]
            integrity = integrity[rows] if self.integrity else torch.ones_like(prob)
            targets = branch_targets(
                previous[0].detach().cpu().numpy(), previous[1].detach().cpu().numpy(),
                labels, iou, containment, k, self.rng if self.anti_noise else None,
                self.seed_share, self.con_thr, self.complete_instances)
            as_tensor = lambda a: torch.as_tensor(a, device=prob.device)  # noqa: E731
            weights = as_tensor(targets.weights) * self.branch_weights[k]
            terms = cim_branch_losses(prob, integrity, as_tensor(targets.labels), weights,
                                      as_tensor(targets.integrity), labels)
            if not self.integrity:
                del terms['integrity']
            for name, value in terms.items():
                losses[f'loss_{name}{k}'] = value
            previous = (prob, integrity if self.integrity else prob)
        return losses

    @torch.no_grad()
    def predict(self, inputs: torch.Tensor,
                data_samples: List[DetDataSample]) -> List[DetDataSample]:
        for image, sample in zip(inputs, data_samples):
            check_unresized(sample)
            height, width = sample.metainfo['img_shape']
            image = image[None, :, :height, :width]
            boxes, masks = _proposal_inputs(image, [sample])
            total = None
            for size in self.test_scales:
                scale = 1.0 if size is None else size / min(height, width)
                shape = (max(round(height * scale), 1), max(round(width * scale), 1))
                scaled = F.interpolate(image, size=shape, mode='bilinear', align_corners=False)
                passes = [(scaled, boxes[0] * scale, masks[0])]
                if self.test_flip:
                    flipped = boxes[0] * scale
                    flipped = torch.stack([shape[1] - flipped[:, 2], flipped[:, 1],
                                           shape[1] - flipped[:, 0], flipped[:, 3]], dim=1)
                    passes.append((scaled.flip(-1), flipped, masks[0].flip(-1)))
                for batch, b, m in passes:
                    outputs = self.head(self.embed(batch, [b], [m]), [len(b)])
                    scores = self.head.proposal_scores(outputs, self.integrity)
                    total = scores if total is None else total + scores
            sample.proposal_scores = total / (len(self.test_scales) * (1 + self.test_flip))
        return data_samples


def _proposal_inputs(inputs: torch.Tensor, data_samples: List[DetDataSample]):
    """Each sample's (R_i, 4) boxes and (R_i, s, s) box masks, the masks flipped with a
    horizontally flipped image."""
    boxes, masks = [], []
    for sample in data_samples:
        meta = sample.metainfo
        if len(sample.proposals.bboxes) == 0:
            raise ValueError(f'{meta.get("img_path")}: no proposals; CIM scores proposals, '
                             'so every image needs some (check the proposal store)')
        mask = torch.as_tensor(np.asarray(meta['proposal_box_masks']), dtype=inputs.dtype,
                               device=inputs.device)
        if meta.get('flip'):
            if meta.get('flip_direction') != 'horizontal':
                raise ValueError(f'{meta.get("img_path")}: CIM box masks follow horizontal '
                                 f'flips only, got {meta.get("flip_direction")!r}')
            mask = mask.flip(-1)
        boxes.append(sample.proposals.bboxes.to(inputs.device))
        masks.append(mask)
    return boxes, masks
