"""BESTIE: instance cues from semantic maps and points, with online self-refinement."""
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from mmdet.structures import DetDataSample

from mmwsis.models.heads.bestie_heads import BestieHeads
from mmwsis.models.losses.bestie_losses import topk_cross_entropy, weighted_l1, weighted_mse
from mmwsis.pseudo.bestie_refine import refined_targets, refined_targets_with_points
from mmwsis.pseudo.bestie_targets import CentreOffsetTargets, transfer_targets
from mmwsis.registry import MODELS
from .base_teacher import BaseTeacher
from .cam_classifier import check_unresized

SUPERVISIONS = ('image', 'point')


def _points_of(sample: DetDataSample, supervision: str):
    """(P, 2) ``x, y`` and (P,) 0-based classes of a packed sample's instance cues: PAM
    peaks (metainfo ``pseudo_points``) for image labels, clicked points for points."""
    if supervision == 'point':
        return (sample.gt_instances.points.cpu().numpy().reshape(-1, 2),
                sample.gt_instances.labels.cpu().numpy())
    meta = sample.metainfo
    if 'pseudo_points' not in meta:
        raise KeyError(f'{meta.get("img_path")}: BESTIE with image labels needs its PAM '
                       "points: LoadProjectedPoints(source='pseudo_points') in the pipeline, "
                       "'pseudo_points' and 'pseudo_point_labels' in PackWeakInputs' meta_keys")
    return (np.asarray(meta['pseudo_points'], dtype=np.float64).reshape(-1, 2),
            np.asarray(meta['pseudo_point_labels'], dtype=np.int64))


def _stack(targets: Sequence[CentreOffsetTargets], device: torch.device):
    """Per-sample targets -> (B, C, H, W), (B, 2, H, W), (B, H, W) tensors."""
    return tuple(torch.as_tensor(np.stack([getattr(t, name) for t in targets]), device=device)
                 for name in ('center', 'offset', 'weight'))


@MODELS.register_module()
class BESTIE(BaseTeacher):
    """BESTIE (Kim et al., CVPR 2022, SEEDS §5): a backbone, a stride-4 decoder and three
    heads (semantic C+1, class-wise centre heatmaps C, offsets 2).

    Training targets, per sample, from its semantic pseudo label (the WSSS map, packed as
    ``gt_sem_seg``) and its points (PAM peaks for image labels, clicks for points):

    - semantic knowledge transfer (:func:`~mmwsis.pseudo.transfer_targets`): a WSSS
      component holding exactly one point becomes one instance (centre at its centroid
      for image labels, at the point for points);
    - online self-refinement (``self_refinement``): the network's own detached outputs
      regrouped inside the WSSS components (:func:`~mmwsis.pseudo.refined_targets`, or
      ``refined_targets_with_points``), a second target of equal weight.

    Loss: top-20 % CE on the WSSS map, ``center_weight`` x weighted MSE and
    ``offset_weight`` x weighted L1, each halved between the transferred and the refined
    targets when refinement is on (with points the centres have one target, the points).

    ``predict`` resizes the image so that its shorter side is ``test_short_side`` (the
    scale it trains at), optionally averages its flip, and sets ``seg_prob``
    (C+1, h, w) softmax, ``center`` (C, h, w) and ``offset`` (2, h, w) at that size, with
    ``teacher_scale``; ``BESTIELabeler`` groups them.

    Args:
        backbone: multi-level backbone config (finest level stride 4).
        num_classes: foreground classes C.
        in_channels: channels of the backbone levels the heads read, finest first.
        supervision: ``'image'`` (PAM peaks) or ``'point'`` (clicks).
        decoder_channels, head_channels: see :class:`BestieHeads`.
        sigma: centre Gaussian σ in input pixels (6).
        min_area: smallest WSSS component used, in pixels (50).
        self_refinement: train on the self-refined targets too (BESTIE: on from the first
            iteration).
        refine_thr, nms_window, beta, max_instances: self-refinement (0.3, 41, 3, 5).
        top_ratio: share of the hardest pixels the CE averages (0.2).
        center_weight, offset_weight: loss weights (200, 0.01).
        offset_unit: the offset head predicts in units of this many input pixels (BESTIE:
            1, raw pixels, learnt over 50k iterations). Offsets reach tens of pixels; a
            unit near their typical length lets a short schedule learn them.
        test_short_side: inference scale (``None``: the image as it is).
        test_flip: average the horizontal flip at inference.
        size_divisor: inputs are padded to a multiple of it (the backbone's stride).
    """

    def __init__(self,
                 backbone: dict,
                 num_classes: int,
                 in_channels: Sequence[int],
                 supervision: str = 'image',
                 decoder_channels: int = 128,
                 head_channels: int = 256,
                 sigma: float = 6.0,
                 min_area: int = 50,
                 self_refinement: bool = True,
                 refine_thr: float = 0.3,
                 nms_window: int = 41,
                 beta: float = 3.0,
                 max_instances: int = 5,
                 top_ratio: float = 0.2,
                 center_weight: float = 200.0,
                 offset_weight: float = 0.01,
                 offset_unit: float = 1.0,
                 test_short_side: Optional[int] = None,
                 test_flip: bool = False,
                 size_divisor: int = 32,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if supervision not in SUPERVISIONS:
            raise ValueError(f'supervision must be one of {SUPERVISIONS}, got {supervision!r}')
        self.backbone = MODELS.build(backbone)
        self.heads = BestieHeads(in_channels, num_classes, decoder_channels, head_channels)
        self.num_classes = num_classes
        self.supervision = supervision
        self.sigma, self.min_area = sigma, min_area
        self.self_refinement = self_refinement
        self.refine_kwargs = dict(thr=refine_thr, nms_window=nms_window, beta=beta,
                                  max_instances=max_instances, min_area=min_area, sigma=sigma)
        self.top_ratio = top_ratio
        self.center_weight, self.offset_weight = center_weight, offset_weight
        self.offset_unit = offset_unit
        self.test_short_side, self.test_flip = test_short_side, test_flip
        self.size_divisor = size_divisor

    def _forward(self, inputs: torch.Tensor,
                 data_samples: Optional[List[DetDataSample]] = None) -> Dict[str, torch.Tensor]:
        """(B, 3, H, W) -> ``seg`` (B, C+1, H, W) logits, ``center`` (B, C, H, W),
        ``offset`` (B, 2, H, W) in pixels, upsampled to the input."""
        maps = self.heads(self.backbone(inputs))
        maps['offset'] = maps['offset'] * self.offset_unit
        return {name: F.interpolate(value, size=inputs.shape[-2:], mode='bilinear',
                                    align_corners=False) for name, value in maps.items()}

    def loss(self, inputs: torch.Tensor,
             data_samples: List[DetDataSample]) -> Dict[str, torch.Tensor]:
        out = self._forward(inputs)
        semantic = torch.stack([s.gt_sem_seg.sem_seg[0] for s in data_samples]).long()
        sem_np = semantic.cpu().numpy()
        cues = [_points_of(s, self.supervision) for s in data_samples]
        labels = [list(s.metainfo['image_labels']) for s in data_samples]
        centre_at = 'point' if self.supervision == 'point' else 'centroid'
        transferred = [
            transfer_targets(sem, points, point_labels, image_labels, self.num_classes,
                             sigma=self.sigma, min_area=self.min_area, centre_at=centre_at)
            for sem, (points, point_labels), image_labels in zip(sem_np, cues, labels)]
        center_t, offset_t, weight_t = _stack(transferred, inputs.device)
        losses = dict(loss_seg=topk_cross_entropy(out['seg'], semantic, self.top_ratio))
        loss_center = weighted_mse(out['center'], center_t, weight_t)
        loss_offset = weighted_l1(out['offset'], offset_t, weight_t)
        if self.self_refinement:
            refined = self._refined(out, sem_np, cues, labels)
            center_r, offset_r, weight_r = _stack(refined, inputs.device)
            if self.supervision == 'point':  # centres only come from the points
                center_r, weight_c = center_t, weight_t
            else:
                weight_c = weight_r
            loss_center = (loss_center + weighted_mse(out['center'], center_r, weight_c)) / 2
            loss_offset = (loss_offset + weighted_l1(out['offset'], offset_r, weight_r)) / 2
        losses['loss_center'] = self.center_weight * loss_center
        losses['loss_offset'] = self.offset_weight * loss_offset
        return losses

    @torch.no_grad()
    def _refined(self, out: Dict[str, torch.Tensor], semantic: np.ndarray, cues: list,
                 labels: list) -> List[CentreOffsetTargets]:
        """Self-refined targets from the detached outputs, per sample."""
        offset = out['offset'].detach().cpu().numpy()
        if self.supervision == 'point':
            return [refined_targets_with_points(sem, off, points, point_labels, image_labels,
                                                self.num_classes, sigma=self.sigma)
                    for sem, off, (points, point_labels), image_labels
                    in zip(semantic, offset, cues, labels)]
        seg_prob = torch.softmax(out['seg'].detach(), dim=1).cpu().numpy()
        center = out['center'].detach().cpu().numpy()
        return [refined_targets(prob, ctr, off, sem, image_labels, **self.refine_kwargs)
                for prob, ctr, off, sem, image_labels
                in zip(seg_prob, center, offset, semantic, labels)]

    def _outputs(self, image: torch.Tensor) -> Dict[str, torch.Tensor]:
        """(3, h, w) -> ``seg_prob``, ``center``, ``offset`` at (h, w), flip-averaged if
        ``test_flip`` (the flipped offsets' ``dx`` changes sign)."""
        height, width = image.shape[-2:]
        pad = (0, (-width) % self.size_divisor, 0, (-height) % self.size_divisor)
        views = [image, image.flip(-1)] if self.test_flip else [image]
        out = self._forward(torch.stack([F.pad(view, pad) for view in views]))
        out = {name: value[..., :height, :width] for name, value in out.items()}
        out['seg'] = torch.softmax(out['seg'], dim=1)
        if self.test_flip:
            out['offset'][1, 1].neg_()
            out = {name: (value[0] + value[1].flip(-1)) / 2 for name, value in out.items()}
        else:
            out = {name: value[0] for name, value in out.items()}
        return dict(seg_prob=out['seg'], center=out['center'], offset=out['offset'])

    @torch.no_grad()
    def predict(self, inputs: torch.Tensor,
                data_samples: List[DetDataSample]) -> List[DetDataSample]:
        for image, sample in zip(inputs, data_samples):
            check_unresized(sample)
            height, width = sample.metainfo['img_shape']
            image = image[:, :height, :width]
            scale = (1.0 if self.test_short_side is None else
                     self.test_short_side / min(height, width))
            if scale != 1.0:
                size = (round(height * scale), round(width * scale))  # as teacher_frame
                image = F.interpolate(image[None], size=size, mode='bilinear',
                                      align_corners=False)[0]
            for name, value in self._outputs(image).items():
                setattr(sample, name, value)
            sample.set_metainfo(dict(teacher_scale=scale))
        return data_samples
