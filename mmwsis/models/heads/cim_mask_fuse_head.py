"""CIM's ``MaskFuse`` box head: RoI features fused with the proposal's own 7x7 mask."""
from typing import List, Optional

import torch
import torch.nn as nn
from mmdet.structures.bbox import bbox2roi
from mmengine.model import BaseModule

from mmwsis.registry import MODELS


@MODELS.register_module()
class MaskFuseHead(BaseModule):
    """RoIAlign the proposals' boxes, fuse their masks, and embed each proposal.

    ``x_box`` (R, D, s, s) are the RoI features of the boxes and ``x_mask = x_box * m``
    with ``m`` (R, 1, s, s) the proposal's mask cropped to its box
    (:func:`~mmwsis.pseudo.box_cropped_masks`). Their concatenation (R, 2D, s, s) goes
    through a 3x3 conv to ``conv_channels`` and ReLU, is flattened, and two FC layers of
    ``fc_channels`` with ReLU give ``h`` (R, fc_channels).

    Args:
        in_channels: channels D of the feature map.
        featmap_stride: its stride.
        roi_size: s (7, CIM's).
        conv_channels: the fusion conv's output (CIM: 1024, the C4 width).
        fc_channels: the two FC layers' width (CIM: 4096).
        roi_layer: an ``mmcv.ops`` RoI layer config without ``spatial_scale`` (RoIAlign,
            adaptive sampling, as CIM).
    """

    def __init__(self,
                 in_channels: int,
                 featmap_stride: int,
                 roi_size: int = 7,
                 conv_channels: int = 1024,
                 fc_channels: int = 4096,
                 roi_layer: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.roi_size = roi_size
        self.roi_extractor = MODELS.build(dict(
            type='mmdet.SingleRoIExtractor',
            roi_layer=roi_layer or dict(type='RoIAlign', output_size=roi_size,
                                        sampling_ratio=0),
            out_channels=in_channels,
            featmap_strides=[featmap_stride]))
        self.fuse = nn.Sequential(
            nn.Conv2d(2 * in_channels, conv_channels, 3, padding=1), nn.ReLU(inplace=True))
        self.fcs = nn.Sequential(
            nn.Flatten(), nn.Linear(conv_channels * roi_size * roi_size, fc_channels),
            nn.ReLU(inplace=True), nn.Linear(fc_channels, fc_channels), nn.ReLU(inplace=True))
        self.out_channels = fc_channels

    def forward(self, feats: torch.Tensor, boxes: List[torch.Tensor],
                box_masks: List[torch.Tensor]) -> torch.Tensor:
        """(B, D, h, w) features, B (R_i, 4) boxes and B (R_i, s, s) masks ->
        (sum R_i, fc_channels)."""
        rois = bbox2roi([b.to(feats.dtype) for b in boxes])
        x_box = self.roi_extractor((feats, ), rois)
        masks = torch.cat([m.to(feats.dtype) for m in box_masks])[:, None]
        if masks.shape[-2:] != x_box.shape[-2:]:
            raise ValueError(f'box masks are {tuple(masks.shape[-2:])}, RoI features '
                             f'{tuple(x_box.shape[-2:])}: make them the same size')
        return self.fcs(self.fuse(torch.cat([x_box, x_box * masks], dim=1)))
