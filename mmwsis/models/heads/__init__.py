from .confidence_mask_head import ConfidenceWeightedMaskHead
from .irn_branches import BoundaryBranch, DisplacementBranch

__all__ = ['ConfidenceWeightedMaskHead', 'BoundaryBranch', 'DisplacementBranch']
