"""BESTIE's losses: hard-pixel cross-entropy on the WSSS map, weighted MSE on the centre
heatmaps and weighted L1 on the offsets (Kim et al., CVPR 2022, after Panoptic-DeepLab).
"""
import torch
import torch.nn.functional as F

IGNORE = 255


def topk_cross_entropy(logits: torch.Tensor, target: torch.Tensor, top_ratio: float = 0.2,
                       ignore_index: int = IGNORE) -> torch.Tensor:
    """Mean of the largest ``top_ratio`` share (rounded, at least one) of the per-pixel
    cross-entropies of the non-ignored pixels of the batch (DeepLab's hard-pixel CE).

    Args:
        logits: (B, C+1, H, W) semantic logits.
        target: (B, H, W) long classes, ``ignore_index`` ignored.

    Returns:
        A scalar; 0 (with a graph) when every pixel is ignored.
    """
    losses = F.cross_entropy(logits, target, ignore_index=ignore_index, reduction='none')
    valid = losses[target != ignore_index]
    if not valid.numel():
        return logits.sum() * 0
    count = max(1, int(round(top_ratio * valid.numel())))
    return valid.topk(count).values.mean()


def _weighted_mean(error: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """Σ W · error over (B, C, H, W) / #{(b, p): W > 0}; 0 (with a graph) without
    weight."""
    count = (weight > 0).sum()
    if not count:
        return error.sum() * 0
    return (error * weight[:, None]).sum() / count


def weighted_mse(pred: torch.Tensor, target: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """``Σ_{b,c,p} W (pred - target)² / #{(b, p): W > 0}`` of (B, C, H, W) maps with
    (B, H, W) pixel weights (BESTIE's centre loss)."""
    return _weighted_mean((pred - target) ** 2, weight)


def weighted_l1(pred: torch.Tensor, target: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """``Σ_{b,c,p} W |pred - target| / #{(b, p): W > 0}`` of (B, 2, H, W) offsets with
    (B, H, W) pixel weights (BESTIE's offset loss)."""
    return _weighted_mean((pred - target).abs(), weight)
