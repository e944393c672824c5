"""IRNet: boundary and displacement branches on the frozen CAM network."""
import math
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmdet.structures import DetDataSample

from mmwsis.registry import MODELS
from .base_teacher import BaseTeacher
from ..heads.irn_branches import BoundaryBranch, DisplacementBranch
from ..losses.irn_losses import irn_losses
from .cam_classifier import check_unresized
from .cam_utils import class_activation_maps, image_cam_scales, multiscale_cams


@MODELS.register_module()
class IRNet(BaseTeacher):
    """Inter-pixel relation network (Ahn et al., CVPR'19) as a teacher.

    The backbone and the 1x1 classifier are the trained CAM network's (loaded from its
    checkpoint through ``init_cfg``) and stay frozen; only the two branches train, on
    inter-pixel relation labels (``gt_sem_seg``: 0 background, c+1 class c, 255 ignore).

    ``predict`` returns per image, on the stride-4 grid ``(ceil(H/4), ceil(W/4))``:
    ``cams`` (K, h, w) + ``cam_labels`` (K,) for the image's classes, ``boundary`` (h, w)
    in [0, 1] (flip-averaged) and ``displacement`` (2, h, w) in grid units, minus the
    mean displacement measured in training (the paper's ``MeanShift``).

    Args:
        backbone: the CAM backbone, with ``out_indices`` giving levels at strides
            (4, 8, 16, 16); the last one is the CAM feature map.
        in_channels: channels of those levels.
        num_classes: foreground classes of the CAM classifier.
        radius: pair radius of the training loss (10 in the paper).
        inference_scale: the image is resized by this factor before the branches run
            (1.0 in the paper); outputs are on the stride-4 grid of the resized image and
            ``teacher_scale`` tells the labelers.
        inference_long_side: if set, instead resize each image so that its longer side is
            this many pixels: the size IRN's training crops were taken at.
        cam_short_side: as :class:`CAMClassifier` (for the CAMs of ``predict``).
        mean_shift_momentum: EMA momentum of the running mean displacement.
    """

    def __init__(self,
                 backbone: dict,
                 in_channels: Sequence[int],
                 num_classes: int,
                 radius: int = 10,
                 cam_scales: Sequence[float] = (1.0, 0.5, 1.5, 2.0),
                 cam_flip: bool = True,
                 inference_scale: float = 1.0,
                 inference_long_side: Optional[int] = None,
                 cam_short_side: Optional[int] = None,
                 mean_shift_momentum: float = 0.01,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.classifier = nn.Conv2d(in_channels[-1], num_classes, 1, bias=False)
        self.boundary_branch = BoundaryBranch(in_channels)
        self.displacement_branch = DisplacementBranch(in_channels)
        self.register_buffer('displacement_mean', torch.zeros(2))
        self.radius = radius
        self.cam_scales = tuple(cam_scales)
        self.cam_flip = cam_flip
        self.inference_scale = inference_scale
        self.inference_long_side = inference_long_side
        self.cam_short_side = cam_short_side
        self.mean_shift_momentum = mean_shift_momentum
        self._freeze_cam_network()

    def _freeze_cam_network(self) -> None:
        for module in (self.backbone, self.classifier):
            module.eval()
            for param in module.parameters():
                param.requires_grad = False

    def train(self, mode: bool = True) -> 'IRNet':
        super().train(mode)
        self._freeze_cam_network()
        return self

    def extract_feat(self, inputs: torch.Tensor) -> List[torch.Tensor]:
        with torch.no_grad():
            return [f.detach() for f in self.backbone(inputs)]

    def _forward(self, inputs: torch.Tensor,
                 data_samples: Optional[List[DetDataSample]] = None) -> tuple:
        """(B, 3, H, W) -> boundary logits (B, 1, h, w), displacement (B, 2, h, w)."""
        feats = self.extract_feat(inputs)
        return self.boundary_branch(feats), self.displacement_branch(feats)

    def loss(self, inputs: torch.Tensor,
             data_samples: List[DetDataSample]) -> Dict[str, torch.Tensor]:
        boundary_logits, displacement = self._forward(inputs)
        grid = boundary_logits.shape[-2:]
        labels = torch.stack([s.gt_sem_seg.sem_seg[0] for s in data_samples])
        # Nearest-neighbour subsampling to the stride-4 grid (the paper's x0.25 resize).
        labels = labels[:, 2::4, 2::4][:, :grid[0], :grid[1]]
        with torch.no_grad():
            batch_mean = displacement.mean((0, 2, 3))
            self.displacement_mean.lerp_(batch_mean, self.mean_shift_momentum)
        return irn_losses(boundary_logits, displacement, labels.to(inputs.device), self.radius)

    def _cam(self, inputs: torch.Tensor) -> torch.Tensor:
        return class_activation_maps(self.backbone(inputs)[-1], self.classifier.weight)

    @torch.no_grad()
    def predict(self, inputs: torch.Tensor,
                data_samples: List[DetDataSample]) -> List[DetDataSample]:
        for image, sample in zip(inputs, data_samples):
            check_unresized(sample)
            height, width = sample.metainfo['img_shape']
            image = image[:, :height, :width]
            cam_scales = image_cam_scales(self.cam_scales, self.cam_short_side, height, width)
            scale = (self.inference_scale if self.inference_long_side is None else
                     self.inference_long_side / max(height, width))
            if scale != 1.0:
                height, width = round(height * scale), round(width * scale)
                image = F.interpolate(image[None], size=(height, width), mode='bilinear',
                                      align_corners=False)[0]
            grid = (math.ceil(height / 4), math.ceil(width / 4))
            labels = list(sample.metainfo['image_labels'])
            cams, _ = multiscale_cams(image, self._cam, labels, [s / scale for s in cam_scales],
                                      self.cam_flip)
            # Branches see the image zero-padded to a multiple of 16, flipped too.
            padded = F.pad(image, (0, (-width) % 16, 0, (-height) % 16))
            feats = self.extract_feat(torch.stack([padded, padded.flip(-1)]))
            edge = self.boundary_branch(feats)
            boundary = torch.sigmoid(edge[0, 0] / 2 + edge[1, 0].flip(-1) / 2)
            displacement = self.displacement_branch(feats)[0]
            displacement = displacement - self.displacement_mean.view(2, 1, 1)
            sample.cams = cams
            sample.cam_labels = torch.as_tensor(labels, dtype=torch.long)
            sample.boundary = boundary[:grid[0], :grid[1]]
            sample.displacement = displacement[:, :grid[0], :grid[1]]
            sample.set_metainfo(dict(teacher_scale=scale))
        return data_samples
