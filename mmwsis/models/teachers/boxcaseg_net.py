"""BoxCaseg: a class-agnostic box-to-mask network trained on box crops and salient images."""
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn.functional as F
from mmdet.structures import DetDataSample
from mmdet.structures.bbox import get_box_tensor

from mmwsis.models.heads.boxcaseg_heads import BoxCasegHeads
from mmwsis.models.losses.boxcaseg_losses import box_tightness_loss, pairwise_smoothness_loss
from mmwsis.pseudo.boxcaseg_proxy import box_pixels
from mmwsis.registry import MODELS
from .base_teacher import BaseTeacher


def _is_salient(sample: DetDataSample) -> bool:
    return bool(sample.metainfo.get('salient', False))


@MODELS.register_module()
class BoxCaseg(BaseTeacher):
    """BoxCaseg (Wang et al., CVPR 2021, SEEDS.md §2): every backbone level upsampled to
    the finest (stride 4) and concatenated, then :class:`BoxCasegHeads` (a weak box head
    and the salient head that borrows its weights).

    A training batch mixes box samples (an image cropped around a jittered GT box) and
    salient images. Each is packed with ``gt_sem_seg``: 1 inside the true box (box
    samples) or on the salient object (salient samples, metainfo ``salient=True``), 0
    elsewhere. Losses, on logits upsampled to the input:

    - ``loss_mil``: the row / column tightness bags of the weak head against that map,
      every sample (:func:`~mmwsis.models.losses.box_tightness_loss`);
    - ``loss_pair``: the weak head's 8-neighbour smoothness, every sample
      (:func:`~mmwsis.models.losses.pairwise_smoothness_loss`, ``pairwise_weight``);
    - ``loss_salient``: BCE of the salient head against the saliency mask, salient
      samples only.

    ``predict`` takes whole images with their GT boxes (``gt_instances.bboxes``, box
    supervision), crops every box exactly, resizes it to ``crop_size`` square and sets
    ``salient_probs`` and ``weak_probs`` (N, crop_size, crop_size): each head's sigmoid per
    box, in the boxes' order. ``BoxCasegLabeler`` pastes and merges one of them (BoxCaseg's:
    the salient head's).

    Args:
        backbone: multi-level backbone config, finest level first.
        in_channels: channels of the levels the heads read (concatenated: the heads' C).
        alpha: the salient head's FCN share (0.7 VOC, 0.6 COCO).
        pairwise_weight: the smoothness term's weight (0.05).
        crop_size: the side the boxes are resized to at inference (320).
    """

    def __init__(self,
                 backbone: dict,
                 in_channels: Sequence[int],
                 alpha: float = 0.7,
                 pairwise_weight: float = 0.05,
                 crop_size: int = 320,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.heads = BoxCasegHeads(sum(in_channels), alpha)
        self.pairwise_weight = pairwise_weight
        self.crop_size = crop_size

    def features(self, inputs: torch.Tensor) -> torch.Tensor:
        """(B, 3, H, W) -> (B, C, H/4, W/4): every level at the finest one's size."""
        levels = self.backbone(inputs)
        size = levels[0].shape[-2:]
        return torch.cat([levels[0]] + [
            F.interpolate(level, size=size, mode='bilinear', align_corners=False)
            for level in levels[1:]], dim=1)

    def _up(self, logits: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
        return F.interpolate(logits, size=like.shape[-2:], mode='bilinear', align_corners=False)

    def _forward(self, inputs: torch.Tensor,
                 data_samples: Optional[List[DetDataSample]] = None) -> Dict[str, torch.Tensor]:
        """(B, 3, H, W) -> ``weak`` and ``salient`` (B, 1, H, W) logits."""
        features = self.features(inputs)
        return dict(weak=self._up(self.heads.weak_logits(features), inputs),
                    salient=self._up(self.heads.salient_logits(features), inputs))

    def loss(self, inputs: torch.Tensor,
             data_samples: List[DetDataSample]) -> Dict[str, torch.Tensor]:
        features = self.features(inputs)
        target = torch.stack([s.gt_sem_seg.sem_seg for s in data_samples]).to(inputs)
        target = (target == 1).to(inputs.dtype)  # padding (255) is outside
        weak = self._up(self.heads.weak_logits(features), inputs)
        losses = dict(loss_mil=box_tightness_loss(weak, target),
                      loss_pair=pairwise_smoothness_loss(weak, self.pairwise_weight))
        salient = torch.tensor([_is_salient(s) for s in data_samples], device=inputs.device)
        if salient.any():
            logits = self._up(self.heads.salient_logits(features[salient]), inputs)
            losses['loss_salient'] = F.binary_cross_entropy_with_logits(logits, target[salient])
        else:  # keep the salient head in the graph (DDP needs every parameter used)
            losses['loss_salient'] = 0 * self.heads.salient_logits(features[:1]).sum()
        return losses

    @torch.no_grad()
    def predict(self, inputs: torch.Tensor,
                data_samples: List[DetDataSample]) -> List[DetDataSample]:
        for image, sample in zip(inputs, data_samples):
            height, width = sample.metainfo['img_shape']
            crops = []
            for box in get_box_tensor(sample.gt_instances.bboxes).cpu().numpy():
                x1, y1, x2, y2 = box_pixels(box, (height, width))
                crops.append(F.interpolate(image[None, :, y1:y2, x1:x2],
                                           size=(self.crop_size, self.crop_size),
                                           mode='bilinear', align_corners=False))
            if crops:
                features = self.features(torch.cat(crops))
                salient, weak = (self._up(logits(features), crops[0])[:, 0].sigmoid()
                                 for logits in (self.heads.salient_logits,
                                                self.heads.weak_logits))
            else:
                salient = weak = inputs.new_zeros((0, self.crop_size, self.crop_size))
            sample.salient_probs, sample.weak_probs = salient, weak
        return data_samples
