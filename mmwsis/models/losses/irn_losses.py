"""IRNet's inter-pixel affinity and displacement losses over path-indexed pixel pairs.

Pairs are enumerated per offset as shifted slices of the grid, so the path maximum of
the boundary map needs no (pairs x path) index tensor: memory stays O(B·h·w) per offset.
"""
from typing import Dict, Tuple

import torch

from mmwsis.pseudo.path_index import pair_offsets, path_cells

IGNORE = 255
EPS = 1e-5


def _window(x: torch.Tensor, top: int, left: int, rows: int, cols: int) -> torch.Tensor:
    return x[..., top:top + rows, left:left + cols]


def pair_terms(boundary: torch.Tensor, displacement: torch.Tensor, labels: torch.Tensor,
               offset: Tuple[int, int]) -> Dict[str, Tuple[torch.Tensor, torch.Tensor]]:
    """Loss sums and pair counts of one offset ``(dy, dx)`` (dy >= 0).

    Args:
        boundary: (B, h, w) boundary probabilities.
        displacement: (B, 2, h, w) predicted (dy, dx).
        labels: (B, h, w) relation labels (0 bg, c fg, 255 ignore).

    Returns:
        ``{term: (sum, count)}`` for the terms ``aff_bg``, ``aff_fg``, ``aff_neg``,
        ``dp_fg``, ``dp_bg`` over the pairs (i, i + offset) inside the grid.
    """
    dy, dx = int(offset[0]), int(offset[1])
    height, width = boundary.shape[-2:]
    rows, left = height - dy, max(0, -dx)
    cols = width - abs(dx)
    path_max = None
    for cy, cx in path_cells((dy, dx)):
        cells = _window(boundary, int(cy), left + int(cx), rows, cols)
        path_max = cells if path_max is None else torch.maximum(path_max, cells)
    affinity = 1 - path_max
    a = _window(labels, 0, left, rows, cols)
    b = _window(labels, dy, left + dx, rows, cols)
    known = (a != IGNORE) & (b != IGNORE)
    masks = dict(bg=known & (a == 0) & (b == 0), fg=known & (a == b) & (a > 0),
                 neg=known & (a != b))
    diff = (_window(displacement, 0, left, rows, cols)
            - _window(displacement, dy, left + dx, rows, cols))
    delta = displacement.new_tensor([dy, dx]).view(1, 2, 1, 1)
    values = dict(aff_bg=(-torch.log(affinity + EPS), masks['bg']),
                  aff_fg=(-torch.log(affinity + EPS), masks['fg']),
                  aff_neg=(-torch.log(1 + EPS - affinity), masks['neg']),
                  dp_fg=((diff - delta).abs().sum(1), masks['fg']),
                  dp_bg=(diff.abs().sum(1), masks['bg']))
    return {name: ((value * mask).sum(), mask.sum()) for name, (value, mask) in values.items()}


def irn_losses(boundary_logits: torch.Tensor, displacement: torch.Tensor,
               labels: torch.Tensor, radius: int = 10) -> Dict[str, torch.Tensor]:
    """IRNet's loss terms (SEEDS.md section 3b); their sum is the paper's total loss.

    ``a_ij = 1 - max_{k in path(i, j)} B_k``; ``D_i - D_j`` should equal the offset
    ``j - i`` inside one instance (``D`` points to the centroid) and 0 on background.

    Args:
        boundary_logits: (B, 1, h, w) class-boundary logits on the stride-4 grid.
        displacement: (B, 2, h, w) predicted (dy, dx) to the instance centroid, grid units.
        labels: (B, h, w) relation labels: 0 background, 1..C class, 255 ignore.
        radius: pairs closer than this are compared (10 in training).

    Returns:
        ``loss_aff_bg``, ``loss_aff_fg``, ``loss_aff_neg``, ``loss_dp_fg``, ``loss_dp_bg``,
        weighted so that their sum is ``(L_aff+ + L_aff-) / 2 + (L_dp_fg + L_dp_bg) / 2``
        with ``L_aff+`` the mean of its bg and fg parts and ``L_dp = mean L1 / 2``.
    """
    boundary = torch.sigmoid(boundary_logits[:, 0])
    labels = labels.long()
    totals: Dict[str, list] = {}
    for offset in pair_offsets(radius):
        for name, (total, count) in pair_terms(boundary, displacement, labels, offset).items():
            acc = totals.setdefault(name, [0, 0])
            acc[0] = acc[0] + total
            acc[1] = acc[1] + count
    mean = {name: total / count.clamp(min=1) for name, (total, count) in totals.items()}
    return dict(loss_aff_bg=mean['aff_bg'] / 4, loss_aff_fg=mean['aff_fg'] / 4,
                loss_aff_neg=mean['aff_neg'] / 2, loss_dp_fg=mean['dp_fg'] / 4,
                loss_dp_bg=mean['dp_bg'] / 4)
