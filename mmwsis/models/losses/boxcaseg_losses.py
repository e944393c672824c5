"""BoxCaseg's box and smoothness losses (SEEDS.md §2 (b)).

Logits are (B, 1, H, W), upsampled to the input size before the losses. A box sample's
target is 1 inside its true box (the crop's label 255) and 0 elsewhere; a salient sample's
is its saliency mask. Both losses apply to every sample; the salient head's plain BCE
against the saliency mask (``F.binary_cross_entropy_with_logits``) is added for salient
samples only.
"""
import torch
import torch.nn.functional as F

NEIGHBOURS = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dy, dx) != (0, 0)]


def box_tightness_loss(logits: torch.Tensor, box_mask: torch.Tensor) -> torch.Tensor:
    """BBTP's tightness prior as multiple-instance bags: every row and every column.

    A row (column) crossing the box holds at least one object pixel, one outside it holds
    none, so the row's (column's) maximum logit is a bag score against the maximum of the
    target over the same row (column). BCE with logits, averaged over the B x (H + W)
    bags.

    Args:
        logits: (B, 1, H, W).
        box_mask: (B, 1, H, W) in {0, 1} (or a saliency mask).
    """
    target = box_mask.to(logits.dtype)
    bags = torch.cat([logits.amax(dim=3), logits.amax(dim=2)], dim=2)
    labels = torch.cat([target.amax(dim=3), target.amax(dim=2)], dim=2)
    return F.binary_cross_entropy_with_logits(bags, labels)


def pairwise_smoothness_loss(logits: torch.Tensor, weight: float = 0.05) -> torch.Tensor:
    """``weight`` x the mean over the 8 neighbours ``n`` of the mean over pixels ``p`` of
    ``(sigmoid(d)_p - sigmoid(d)_{p+n})²``, with zeros beyond the border.

    Args:
        logits: (B, 1, H, W).
        weight: BoxCaseg's 0.05.
    """
    prob = logits.sigmoid()
    height, width = prob.shape[-2:]
    padded = F.pad(prob, (1, 1, 1, 1))
    terms = [(prob - padded[..., 1 + dy:1 + dy + height, 1 + dx:1 + dx + width]).square().mean()
             for dy, dx in NEIGHBOURS]
    return weight * torch.stack(terms).mean()
