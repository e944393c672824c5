"""The slice-based IRN loss against a brute-force loop over the path-indexed pair set."""
import numpy as np
import torch

from mmwsis.models.losses import irn_losses
from mmwsis.pseudo.path_index import pair_index, pair_offsets

EPS = 1e-5


def reference(boundary_logits, displacement, labels, radius):
    b = torch.sigmoid(boundary_logits[:, 0]).flatten(1).double()
    d = displacement.flatten(2).double()
    lab = labels.flatten(1)
    index = pair_index(labels.shape[-2:], radius)
    deltas = np.concatenate([np.repeat(o[None], len(p), 0)
                             for o, p in zip(pair_offsets(radius), index.paths)])
    paths = [row for p in index.paths for row in p]
    sums = {k: [0.0, 0] for k in ('aff_bg', 'aff_fg', 'aff_neg', 'dp_fg', 'dp_bg')}
    for n in range(len(b)):
        for e, (i, j) in enumerate(zip(index.src, index.dst)):
            li, lj = int(lab[n, i]), int(lab[n, j])
            if li == 255 or lj == 255:
                continue
            a = 1 - b[n, paths[e]].max()
            diff = d[n, :, i] - d[n, :, j]
            if li == lj == 0:
                sums['aff_bg'][0] += -torch.log(a + EPS)
                sums['dp_bg'][0] += diff.abs().sum()
                sums['aff_bg'][1] += 1
                sums['dp_bg'][1] += 1
            elif li == lj:
                sums['aff_fg'][0] += -torch.log(a + EPS)
                sums['dp_fg'][0] += (diff - torch.tensor(deltas[e], dtype=diff.dtype)).abs().sum()
                sums['aff_fg'][1] += 1
                sums['dp_fg'][1] += 1
            else:
                sums['aff_neg'][0] += -torch.log(1 + EPS - a)
                sums['aff_neg'][1] += 1
    mean = {k: s / max(c, 1) for k, (s, c) in sums.items()}
    return mean['aff_bg'] / 4 + mean['aff_fg'] / 4 + mean['aff_neg'] / 2 + \
        mean['dp_fg'] / 4 + mean['dp_bg'] / 4


def test_matches_brute_force_pairs():
    torch.manual_seed(0)
    logits = torch.randn(2, 1, 7, 9)
    displacement = torch.randn(2, 2, 7, 9)
    labels = torch.randint(0, 3, (2, 7, 9))
    labels[0, 0, :4] = 255
    losses = irn_losses(logits, displacement, labels, radius=4)
    total = sum(losses.values())
    torch.testing.assert_close(total.double(), reference(logits, displacement, labels, 4),
                               rtol=1e-5, atol=1e-6)


def test_gradients_reach_both_branches():
    logits = torch.zeros(1, 1, 6, 6, requires_grad=True)
    displacement = torch.zeros(1, 2, 6, 6, requires_grad=True)
    labels = torch.zeros(1, 6, 6, dtype=torch.long)
    labels[0, :, 3:] = 1
    sum(irn_losses(logits, displacement, labels, radius=3).values()).backward()
    assert logits.grad.abs().sum() > 0 and displacement.grad.abs().sum() > 0
