"""CIM's losses on hand-built proposal scores, against values worked out by hand."""
import math

import pytest
import torch

from mmwsis.models.losses import (cim_branch_losses, integrity_loss, mil_bag_loss, pcl_loss,
                                  refine_bag_loss, refine_cls_loss)


def bce(p, t):
    return -(t * math.log(p) + (1 - t) * math.log(1 - p))


def test_mil_bag_loss_sums_class_times_detection_scores():
    cls = torch.tensor([[0.2, 0.8, 0.0], [0.6, 0.2, 0.2]])
    det = torch.tensor([[0.5, 0.75, 0.5], [0.5, 0.25, 0.5]])
    # image scores: bg 0.4, class 0: 0.65, class 1: 0.1; targets [1, 1, 0]
    expected = (bce(0.4, 1) + bce(0.65, 1) + bce(0.1, 0)) / 3
    assert mil_bag_loss(cls, det, [0]).item() == pytest.approx(expected, rel=1e-5)


def test_pcl_loss_bags_clusters_and_counts_background_alone():
    cls = torch.tensor([[0.1, 0.8, 0.1], [0.3, 0.6, 0.1], [0.7, 0.2, 0.1], [0.2, 0.2, 0.6]])
    clusters = torch.tensor([[0, 1, 0], [0, 1, 0], [1, 0, 0], [0, 0, 0]])
    # cluster 1 (class 0, column 1): mean [0.2, 0.7, 0.1], size 2; proposal 2 background.
    cluster = 2 * (bce(0.2, 0) + bce(0.7, 1) + bce(0.1, 0)) / 3
    background = (bce(0.7, 1) + bce(0.2, 0) + bce(0.1, 0)) / 3
    expected = 12 * (cluster + background) / 3
    assert pcl_loss(cls, clusters).item() == pytest.approx(expected, rel=1e-4)
    assert pcl_loss(cls, torch.zeros_like(clusters)).item() == 0


def test_refine_cls_loss_is_weighted_and_ignores_unlabelled():
    prob = torch.tensor([[0.5, 0.5], [0.25, 0.75], [0.9, 0.1]])
    labels = torch.tensor([[1., 0.], [0., 1.], [0., 0.]])
    weights = torch.tensor([2.0, 1.0, 5.0])
    expected = -(2 * math.log(0.5) + math.log(0.75)) / 2
    assert refine_cls_loss(prob, labels, weights).item() == pytest.approx(expected, rel=1e-5)
    nothing = refine_cls_loss(prob.requires_grad_(), torch.zeros_like(labels), weights)
    assert nothing.item() == 0
    nothing.backward()  # still part of the graph


def test_integrity_loss_reads_the_labelled_class_of_foreground_proposals():
    q = torch.tensor([[0.9, 0.2, 0.4], [0.1, 0.7, 0.3], [0.5, 0.5, 0.5]])
    labels = torch.tensor([[1., 0., 0.], [0., 0., 1.], [0., 1., 0.]])
    targets = torch.tensor([1., 1., 0.])
    weights = torch.tensor([1.0, 2.0, 0.5])
    # foreground: 1 (class column 2, q 0.3, target 1: error 0.5 * 0.7^2) and
    # 2 (column 1, q 0.5, target 0: 0.5 * 0.5^2)
    expected = (2.0 * 0.5 * 0.49 + 0.5 * 0.5 * 0.25) / 2
    assert integrity_loss(q, labels, targets, weights).item() == pytest.approx(expected)


def test_refine_bag_loss_uses_the_labelled_proposals_of_present_classes():
    prob = torch.tensor([[0.6, 0.3, 0.1], [0.2, 0.7, 0.1], [0.1, 0.1, 0.8]])
    q = torch.tensor([[1.0, 0.5, 0.5], [0.5, 0.5, 0.5], [0.5, 1.0, 0.5]])
    labels = torch.tensor([[1., 0., 0.], [0., 1., 0.], [0., 0., 0.]])
    weights = torch.tensor([0.5, 0.25, 1.0])
    # O = [[.6, .15, .05], [.1, .35, .05], [.05, .1, .4]]; image labels {0}: targets [1,1,0]
    # bg: labelled proposal 0 -> .6, weight .5; class 0: proposal 1 -> .35, weight .25;
    # class 1 (absent): max over all .4, weight 1.
    expected = (0.5 * bce(0.6, 1) + 0.25 * bce(0.35, 1) + bce(0.4, 0)) / 3
    loss = refine_bag_loss(prob, q, labels, weights, [0])
    assert loss.item() == pytest.approx(expected, rel=1e-5)
    # A present class with no labelled proposal falls back to the best of all, weight 1.
    fallback = refine_bag_loss(prob, q, labels, weights, [0, 1])
    expected = (0.5 * bce(0.6, 1) + 0.25 * bce(0.35, 1) + bce(0.4, 1)) / 3
    assert fallback.item() == pytest.approx(expected, rel=1e-5)


def test_branch_losses_backpropagate_to_both_heads():
    logits = torch.randn(5, 4, requires_grad=True)
    iou_logits = torch.randn(5, 4, requires_grad=True)
    labels = torch.zeros(5, 4)
    labels[0, 2] = labels[1, 2] = labels[2, 0] = 1
    losses = cim_branch_losses(logits.softmax(1), iou_logits.sigmoid(), labels,
                               torch.full((5, ), 0.5), torch.tensor([1., 0., 0., 0., 0.]),
                               image_labels=[1])
    assert set(losses) == {'cls', 'integrity', 'bag'}
    sum(losses.values()).backward()
    assert logits.grad.abs().sum() > 0 and iou_logits.grad.abs().sum() > 0
