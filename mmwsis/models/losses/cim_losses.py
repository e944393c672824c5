"""CIM's losses over one image's proposals (SEEDS.md §4 (b)).

Scores are (R, C + 1) with the background in column 0. Every binary cross-entropy is
averaged over its C + 1 entries (torch's ``mean``), with probabilities clamped to
``[EPS, 1 - EPS]``.
"""
from typing import Dict, Sequence

import torch
import torch.nn.functional as F

EPS = 1e-6


def _bce(prob: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Element-wise BCE of probabilities."""
    return F.binary_cross_entropy(prob.clamp(EPS, 1 - EPS), target, reduction='none')


def image_targets(image_labels: Sequence[int], num_classes: int,
                  like: torch.Tensor) -> torch.Tensor:
    """(C + 1,) ``[1, y]``: the background is in every image."""
    target = like.new_zeros(num_classes + 1)
    target[0] = 1
    target[[int(c) + 1 for c in image_labels]] = 1
    return target


def mil_bag_loss(cls_prob: torch.Tensor, det_prob: torch.Tensor,
                 image_labels: Sequence[int]) -> torch.Tensor:
    """WSDDN's image score ``sum_r S^cls * S^det`` against ``[1, y]``.

    Args:
        cls_prob: (R, C + 1) softmax over classes; det_prob: (R, C + 1) softmax over
            proposals.
    """
    image_score = (cls_prob * det_prob).sum(dim=0)
    target = image_targets(image_labels, cls_prob.shape[1] - 1, cls_prob)
    return _bce(image_score, target).mean()


def pcl_loss(cls_prob: torch.Tensor, clusters: torch.Tensor,
             weight: float = 12.0) -> torch.Tensor:
    """PCL's cluster loss over the proposal clusters of the peaks.

    Each foreground cluster counts as one bag of its size: the BCE of its members' mean
    class scores against its class. Each background proposal counts alone, against the
    background. The sum is divided by the number of clustered proposals.

    Args:
        cls_prob: (R, C + 1) the MIL branch's class softmax.
        clusters: (R, C + 1) int from :func:`~mmwsis.pseudo.proposal_clusters`.
    """
    num_classes = cls_prob.shape[1] - 1
    total = cls_prob.new_zeros(())
    count = 0
    for column in range(1, num_classes + 1):
        for cluster_id in torch.unique(clusters[:, column]):
            if cluster_id == 0:
                continue
            members = clusters[:, column] == cluster_id
            target = F.one_hot(torch.tensor(column), num_classes + 1).to(cls_prob)
            size = int(members.sum())
            total = total + size * _bce(cls_prob[members].mean(dim=0), target).mean()
            count += size
    background = clusters[:, 0] > 0
    if background.any():
        target = F.one_hot(torch.tensor(0), num_classes + 1).to(cls_prob)
        total = total + _bce(cls_prob[background], target.expand(
            int(background.sum()), -1)).mean(dim=1).sum()
        count += int(background.sum())
    return weight * total / (count + EPS)


def refine_cls_loss(prob: torch.Tensor, labels: torch.Tensor,
                    weights: torch.Tensor) -> torch.Tensor:
    """``-sum_r w_r sum_c Y_rc log P_rc / sum Y``: weighted CE over labelled proposals.

    Args:
        prob: (R, C + 1) a refinement branch's class softmax.
        labels: (R, C + 1) one-hot targets (all-zero rows are ignored).
        weights: (R,).
    """
    num = labels.sum()
    if num == 0:
        return prob.sum() * 0
    log_prob = prob.clamp_min(EPS).log()
    return -(weights[:, None] * labels * log_prob).sum() / num


def integrity_loss(integrity_prob: torch.Tensor, labels: torch.Tensor,
                   targets: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """Weighted smooth-L1 (beta 1) of the integrity score of each foreground-labelled
    proposal's class against its binary target, averaged over those proposals.

    Args:
        integrity_prob: (R, C + 1) sigmoid scores Q.
        labels: (R, C + 1) one-hot targets; foreground rows have their 1 in a column >= 1.
        targets: (R,) {0, 1}; weights: (R,).
    """
    foreground = labels[:, 1:].sum(dim=1) > 0
    if not foreground.any():
        return integrity_prob.sum() * 0
    classes = labels[foreground].argmax(dim=1)
    scores = integrity_prob[foreground].gather(1, classes[:, None])[:, 0]
    errors = F.smooth_l1_loss(scores, targets[foreground], reduction='none', beta=1.0)
    return (weights[foreground] * errors).sum() / foreground.sum()


def refine_bag_loss(prob: torch.Tensor, integrity_prob: torch.Tensor, labels: torch.Tensor,
                    weights: torch.Tensor, image_labels: Sequence[int]) -> torch.Tensor:
    """An image-level BCE on ``O = P * Q``.

    For a class in ``[1, y]`` the image score is the best ``O`` among the proposals
    labelled with it, weighted by that proposal's weight (the best over all proposals,
    weight 1, when none is labelled with it); for an absent class, the best over all
    proposals, weight 1.
    """
    combined = prob * integrity_prob
    target = image_targets(image_labels, prob.shape[1] - 1, prob)
    scores, class_weights = [], []
    for column in range(combined.shape[1]):
        members = torch.nonzero(labels[:, column] > 0, as_tuple=False)[:, 0]
        if target[column] > 0 and len(members):
            index = members[combined[members, column].argmax()]
            scores.append(combined[index, column])
            class_weights.append(weights[index])
        else:
            scores.append(combined[:, column].max())
            class_weights.append(weights.new_ones(()))
    return (torch.stack(class_weights) * _bce(torch.stack(scores), target)).mean()


def cim_branch_losses(prob: torch.Tensor, integrity_prob: torch.Tensor,
                      labels: torch.Tensor, weights: torch.Tensor, targets: torch.Tensor,
                      image_labels: Sequence[int]) -> Dict[str, torch.Tensor]:
    """A refinement branch's three terms: class CE, 3x integrity, bag."""
    return dict(cls=refine_cls_loss(prob, labels, weights),
                integrity=3.0 * integrity_loss(integrity_prob, labels, targets, weights),
                bag=refine_bag_loss(prob, integrity_prob, labels, weights, image_labels))
