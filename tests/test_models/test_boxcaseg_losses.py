"""BoxCaseg's tightness and smoothness losses against hand-computed values."""
import math

import pytest
import torch
import torch.nn.functional as F

from mmwsis.models.losses import box_tightness_loss, pairwise_smoothness_loss


def box(height, width, top, bottom, left, right):
    mask = torch.zeros(1, 1, height, width)
    mask[..., top:bottom, left:right] = 1
    return mask


def test_tightness_bags_are_rows_and_columns():
    target = box(4, 6, 1, 3, 2, 5)  # rows 1-2, columns 2-4 cross the box
    logits = torch.full((1, 1, 4, 6), -3.0)
    logits[0, 0, 1, 2] = 4.0  # one confident pixel inside: row 1 and column 2 are found
    loss = box_tightness_loss(logits, target)
    bags = torch.tensor([-3.0, 4.0, -3.0, -3.0, -3.0, -3.0, 4.0, -3.0, -3.0, -3.0])
    labels = torch.tensor([0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0])
    assert loss.item() == pytest.approx(
        F.binary_cross_entropy_with_logits(bags, labels).item())
    # filling the box's rows and columns lowers it; one pixel per bag is all it asks
    diagonal = logits.clone()
    diagonal[0, 0, 2, 3] = diagonal[0, 0, 2, 4] = 4.0
    assert box_tightness_loss(diagonal, target) < loss
    whole = torch.where(target > 0, 4.0, -3.0)
    assert box_tightness_loss(whole, target).item() == pytest.approx(
        box_tightness_loss(diagonal, target).item())


def test_tightness_averages_over_the_batch_and_accepts_a_saliency_mask():
    targets = torch.cat([box(8, 8, 0, 4, 0, 4), box(8, 8, 2, 8, 3, 5)])
    logits = torch.randn(2, 1, 8, 8)
    both = box_tightness_loss(logits, targets)
    each = [box_tightness_loss(logits[i:i + 1], targets[i:i + 1]) for i in range(2)]
    assert both.item() == pytest.approx(sum(each).item() / 2)


def test_smoothness_is_zero_inside_a_flat_map_and_counts_the_zero_border():
    flat = torch.full((1, 1, 5, 5), -50.0)  # sigmoid ~ 0: no difference anywhere
    assert pairwise_smoothness_loss(flat).item() == pytest.approx(0.0, abs=1e-12)
    ones = torch.full((1, 1, 5, 5), 50.0)  # sigmoid ~ 1: only the zero padding differs
    # each neighbour offset leaves 5 (straight) or 9 (diagonal) of 25 pixels at the border
    expected = 0.05 * (4 * 5 + 4 * 9) / 25 / 8
    assert pairwise_smoothness_loss(ones).item() == pytest.approx(expected, rel=1e-6)
    assert pairwise_smoothness_loss(ones, weight=1.0).item() == pytest.approx(
        expected / 0.05, rel=1e-6)


def test_smoothness_gradient_pulls_an_outlier_towards_its_neighbours():
    logits = torch.zeros(1, 1, 5, 5)
    logits[0, 0, 2, 2] = 3.0
    logits.requires_grad_(True)
    pairwise_smoothness_loss(logits).backward()
    assert logits.grad[0, 0, 2, 2] > 0  # descending lowers the outlier
    assert logits.grad[0, 0, 1, 1] < 0 and not math.isnan(logits.grad.sum().item())
