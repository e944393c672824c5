"""LIID's MIL network: a per-proposal (C+1)-way classifier trained from image labels only."""
from typing import Dict, List, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmdet.structures import DetDataSample
from mmdet.structures.bbox import bbox2roi

from mmwsis.registry import MODELS
from .base_teacher import BaseTeacher
from .cam_classifier import image_label_targets


@MODELS.register_module()
class MILProposalNet(BaseTeacher):
    """Backbone -> RoI pooling of the proposal boxes -> mean over the bins -> classifier.

    Each image's proposals (``data_samples[i].proposals.bboxes`` (R, 4), in the input
    frame, as ``LoadProposals`` + ``mmdet.ProposalBroadcaster`` pack them) are pooled
    from the backbone's last map into ``(R, D, s, s)`` and averaged into the
    "category-aware semantic feature" ``(R, D)``; ``cls_fc`` maps it to ``(R, C+1)``
    logits, index 0 = background (LIID's inference network).

    Training (LIID's recipe was never released; this is WSDDN's two-stream MIL): a second
    linear stream ``det_fc`` gives ``(R, C+1)`` logits too, and the image score of class
    ``k`` is ``s_k = Σ_r softmax_k(cls)[r, k] · softmax_r(det)[r, k]`` (classes softmaxed
    per proposal, proposals softmaxed per class). The loss is the binary cross-entropy of
    ``s`` (clamped to ``[1e-6, 1 - 1e-6]``) against ``[1, y_1..y_C]``: the foreground
    image labels, with background always present, so the background column learns what
    no image class explains. An image without proposals is trained on one full-image box.

    ``predict`` adds to each sample ``proposal_probs`` (R, C+1), ``softmax(cls)`` times
    ``[1, y]`` (background kept, no renormalisation, as LIID's inference does), and
    ``proposal_feats`` (R, D). The proposals' masks travel in the sample's metainfo
    (``proposal_masks``, RLEs in the original frame; add the key to ``PackWeakInputs``'
    ``meta_keys``), so the labeler sees exactly the proposals that were scored.

    Args:
        backbone: config of a backbone; its last output is pooled.
        num_classes: number of foreground classes ``C``.
        in_channels: channels ``D`` of that map.
        featmap_stride: its stride (32 for ResNet-50 layer4 in the paper).
        roi_layer: an ``mmcv.ops`` RoI layer config without ``spatial_scale``, e.g.
            ``dict(type='RoIPool', output_size=7)`` (the paper's; CUDA only in mmcv) or
            ``dict(type='RoIAlign', output_size=7, sampling_ratio=0)`` (runs on CPU).
    """

    def __init__(self,
                 backbone: dict,
                 num_classes: int,
                 in_channels: int,
                 featmap_stride: int = 32,
                 roi_layer: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.roi_extractor = MODELS.build(dict(
            type='mmdet.SingleRoIExtractor',
            roi_layer=roi_layer or dict(type='RoIPool', output_size=7),
            out_channels=in_channels,
            featmap_strides=[featmap_stride]))
        self.cls_fc = nn.Linear(in_channels, num_classes + 1)
        self.det_fc = nn.Linear(in_channels, num_classes + 1)
        self.num_classes = num_classes

    def proposal_features(self, inputs: torch.Tensor,
                          boxes: List[torch.Tensor]) -> torch.Tensor:
        """(B, 3, H, W) images and B (R_i, 4) boxes -> (ΣR_i, D) mean-pooled RoI features."""
        feats = self.backbone(inputs)[-1]
        rois = bbox2roi([b.to(feats.dtype) for b in boxes])
        return self.roi_extractor((feats, ), rois).mean(dim=(2, 3))

    def _forward(self, inputs: torch.Tensor,
                 data_samples: Optional[List[DetDataSample]] = None) -> torch.Tensor:
        """(B, 3, H, W) and the samples' proposals -> (sum R_i, C+1) class logits."""
        return self.cls_fc(self.proposal_features(inputs, _boxes(inputs, data_samples)))

    def image_scores(self, vecs: torch.Tensor, counts: List[int]) -> torch.Tensor:
        """(ΣR_i, D) features of B images with ``counts`` proposals -> (B, C+1) scores."""
        cls = F.softmax(self.cls_fc(vecs), dim=1)
        det = self.det_fc(vecs)
        scores = [(c * F.softmax(d, dim=0)).sum(dim=0)
                  for c, d in zip(cls.split(counts), det.split(counts))]
        return torch.stack(scores)

    def loss(self, inputs: torch.Tensor,
             data_samples: List[DetDataSample]) -> Dict[str, torch.Tensor]:
        boxes = _boxes(inputs, data_samples, full_image_if_empty=True)
        vecs = self.proposal_features(inputs, boxes)
        scores = self.image_scores(vecs, [len(b) for b in boxes]).clamp(1e-6, 1 - 1e-6)
        targets = image_label_targets(data_samples, self.num_classes, scores.device)
        targets = torch.cat([targets.new_ones(len(targets), 1), targets], dim=1)
        return dict(loss_mil=F.binary_cross_entropy(scores, targets))

    @torch.no_grad()
    def predict(self, inputs: torch.Tensor,
                data_samples: List[DetDataSample]) -> List[DetDataSample]:
        boxes = _boxes(inputs, data_samples)
        vecs = self.proposal_features(inputs, boxes)
        probs = F.softmax(self.cls_fc(vecs), dim=1)
        targets = image_label_targets(data_samples, self.num_classes, probs.device)
        keep = torch.cat([targets.new_ones(len(targets), 1), targets], dim=1)
        counts = [len(b) for b in boxes]
        for i, (sample, p, v) in enumerate(zip(data_samples, probs.split(counts),
                                               vecs.split(counts))):
            sample.proposal_probs = p * keep[i]
            sample.proposal_feats = v
        return data_samples


def _boxes(inputs: torch.Tensor, data_samples: List[DetDataSample],
           full_image_if_empty: bool = False) -> List[torch.Tensor]:
    """Each sample's (R_i, 4) proposal boxes; one (1, 4) box of its image if it has none
    and ``full_image_if_empty`` (LIID's dummy proposal)."""
    boxes = []
    for sample in data_samples:
        b = sample.proposals.bboxes.to(inputs.device)
        if full_image_if_empty and len(b) == 0:
            height, width = sample.metainfo['img_shape']
            b = b.new_tensor([[0, 0, width, height]])
        boxes.append(b)
    return boxes
