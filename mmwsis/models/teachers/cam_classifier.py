"""The CAM teacher: a multi-label classifier whose 1x1 weights give class activation maps."""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmdet.structures import DetDataSample

from mmwsis.registry import MODELS
from .base_teacher import BaseTeacher
from .cam_utils import class_activation_maps, image_cam_scales, multiscale_cams


def image_label_targets(data_samples: Sequence[DetDataSample], num_classes: int,
                        device: torch.device) -> torch.Tensor:
    """(B, C) multi-hot targets from each sample's ``image_labels`` metainfo."""
    targets = torch.zeros(len(data_samples), num_classes, device=device)
    for i, sample in enumerate(data_samples):
        targets[i, list(sample.metainfo['image_labels'])] = 1
    return targets


@MODELS.register_module()
class CAMClassifier(BaseTeacher):
    """Backbone -> global average pooling -> 1x1 bias-free classifier (IRNet's CAM net).

    Trained with the multi-label soft-margin loss on image labels. ``predict`` returns, per
    image, multi-scale + flip CAMs of the image's own classes (max-normalised): ``cams``
    (K, ceil(H/4), ceil(W/4)), ``cams_full`` (K, H, W) and ``cam_labels`` (K,).

    Args:
        backbone: config of a backbone whose last output is the CAM feature map
            (output stride 16 in the paper).
        num_classes: number of foreground classes.
        in_channels: channels of that feature map.
        cam_scales, cam_flip: test-time scales and flip of the CAMs.
        cam_short_side: if set, ``cam_scales`` are relative to the image resized so that
            its shorter side is this many pixels (``image_cam_scales``); the paper uses
            the image as it is (``None``).
    """

    def __init__(self,
                 backbone: dict,
                 num_classes: int,
                 in_channels: int,
                 cam_scales: Sequence[float] = (1.0, 0.5, 1.5, 2.0),
                 cam_flip: bool = True,
                 cam_short_side: Optional[int] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.classifier = nn.Conv2d(in_channels, num_classes, 1, bias=False)
        self.num_classes = num_classes
        self.cam_scales = tuple(cam_scales)
        self.cam_flip = cam_flip
        self.cam_short_side = cam_short_side

    def extract_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """(B, 3, H, W) -> (B, D, H/16, W/16): the backbone's last map."""
        return self.backbone(inputs)[-1]

    def cam(self, inputs: torch.Tensor) -> torch.Tensor:
        """(B, 3, H, W) -> (B, C, h, w) non-negative class activation maps."""
        return class_activation_maps(self.extract_feat(inputs), self.classifier.weight)

    def _forward(self, inputs: torch.Tensor,
                 data_samples: Optional[List[DetDataSample]] = None) -> torch.Tensor:
        """(B, 3, H, W) -> (B, C) image-level logits."""
        return self.classifier(F.adaptive_avg_pool2d(self.extract_feat(inputs), 1)).flatten(1)

    def loss(self, inputs: torch.Tensor,
             data_samples: List[DetDataSample]) -> Dict[str, torch.Tensor]:
        logits = self._forward(inputs)
        targets = image_label_targets(data_samples, self.num_classes, logits.device)
        return dict(loss_cls=F.multilabel_soft_margin_loss(logits, targets))

    def image_cams(self, inputs: torch.Tensor,
                   sample: DetDataSample) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """CAMs of one packed sample: (strided, full, labels); see ``multiscale_cams``."""
        height, width = sample.metainfo['img_shape']
        labels = list(sample.metainfo['image_labels'])
        scales = image_cam_scales(self.cam_scales, self.cam_short_side, height, width)
        strided, full = multiscale_cams(inputs[:, :height, :width], self.cam, labels, scales,
                                        self.cam_flip)
        return strided, full, torch.as_tensor(labels, dtype=torch.long)

    @torch.no_grad()
    def predict(self, inputs: torch.Tensor,
                data_samples: List[DetDataSample]) -> List[DetDataSample]:
        for image, sample in zip(inputs, data_samples):
            check_unresized(sample)
            sample.cams, sample.cams_full, sample.cam_labels = self.image_cams(image, sample)
        return data_samples


def check_unresized(sample: DetDataSample) -> None:
    """Teacher outputs are made at the original resolution: refuse a resized test image."""
    if tuple(sample.metainfo['img_shape']) != tuple(sample.metainfo['ori_shape']):
        raise ValueError(f'{sample.metainfo.get("img_path")}: teacher inference expects the '
                         'original resolution; remove the Resize from the test pipeline')
