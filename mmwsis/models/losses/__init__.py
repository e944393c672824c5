from .bestie_losses import topk_cross_entropy, weighted_l1, weighted_mse
from .boxcaseg_losses import box_tightness_loss, pairwise_smoothness_loss
from .cim_losses import (cim_branch_losses, integrity_loss, mil_bag_loss, pcl_loss,
                         refine_bag_loss, refine_cls_loss)
from .irn_losses import irn_losses, pair_terms

__all__ = [
    'topk_cross_entropy', 'weighted_l1', 'weighted_mse', 'box_tightness_loss',
    'pairwise_smoothness_loss', 'cim_branch_losses',
    'integrity_loss', 'mil_bag_loss', 'pcl_loss', 'refine_bag_loss', 'refine_cls_loss',
    'irn_losses', 'pair_terms'
]
