from .bestie_heads import BestieHeads
from .boxcaseg_heads import BoxCasegHeads, WeightTransfer
from .cim_mask_fuse_head import MaskFuseHead
from .cim_refinement_head import CIMRefinementHead
from .confidence_mask_head import ConfidenceWeightedMaskHead
from .irn_branches import BoundaryBranch, DisplacementBranch

__all__ = [
    'BestieHeads', 'BoxCasegHeads', 'WeightTransfer', 'MaskFuseHead', 'CIMRefinementHead',
    'ConfidenceWeightedMaskHead', 'BoundaryBranch', 'DisplacementBranch'
]
