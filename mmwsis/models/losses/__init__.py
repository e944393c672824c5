from .irn_losses import irn_losses, pair_terms

__all__ = ['irn_losses', 'pair_terms']
