"""CIM's proposal classifiers: an anti-noise MIL branch and K refinement branches."""
from typing import Dict, List, Optional

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmwsis.registry import MODELS


@MODELS.register_module()
class CIMRefinementHead(BaseModule):
    """Scores of each proposal embedding ``h`` (R, D), background in column 0.

    - MIL branch: ``S^cls = softmax_c(W_cls h)`` and ``S^det = softmax_r(W_det h)``, the
      latter over each image's own proposals;
    - refinement branch k: ``P^k = softmax_c(W^k_cls h)`` and the class-specific
      integrity ``Q^k = sigmoid(W^k_iou h)``.

    Args:
        in_channels: D.
        num_classes: C (foreground).
        num_refinements: K (3, CIM's).
    """

    def __init__(self,
                 in_channels: int,
                 num_classes: int,
                 num_refinements: int = 3,
                 init_cfg: Optional[dict] = dict(type='Normal', layer='Linear', std=0.01)
                 ) -> None:
        super().__init__(init_cfg=init_cfg)
        outputs = num_classes + 1
        self.mil_cls = nn.Linear(in_channels, outputs)
        self.mil_det = nn.Linear(in_channels, outputs)
        self.refine_cls = nn.ModuleList(
            nn.Linear(in_channels, outputs) for _ in range(num_refinements))
        self.refine_iou = nn.ModuleList(
            nn.Linear(in_channels, outputs) for _ in range(num_refinements))
        self.num_classes = num_classes
        self.num_refinements = num_refinements

    def forward(self, h: torch.Tensor, counts: List[int]) -> Dict[str, object]:
        """(sum R_i, D) embeddings of B images with ``counts`` proposals ->
        ``mil_cls``, ``mil_det`` (sum R_i, C + 1) and the lists ``refine``,
        ``integrity`` of K (sum R_i, C + 1) probabilities."""
        det = torch.cat([d.softmax(dim=0) for d in self.mil_det(h).split(counts)])
        return dict(mil_cls=self.mil_cls(h).softmax(dim=1), mil_det=det,
                    refine=[fc(h).softmax(dim=1) for fc in self.refine_cls],
                    integrity=[fc(h).sigmoid() for fc in self.refine_iou])

    @staticmethod
    def proposal_scores(outputs: Dict[str, object], integrity: bool = True) -> torch.Tensor:
        """CIM's test score ``mean_k P^k * Q^k`` (sum R_i, C + 1); ``mean_k P^k``
        without ``integrity`` (the integrity head's ablation)."""
        if not integrity:
            return torch.stack(outputs['refine']).mean(dim=0)
        return torch.stack([p * q for p, q in zip(outputs['refine'],
                                                  outputs['integrity'])]).mean(dim=0)
