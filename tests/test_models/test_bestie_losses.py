"""BESTIE's hard-pixel CE and weighted centre / offset losses against hand values."""
import math

import torch

from mmwsis.models.losses import topk_cross_entropy, weighted_l1, weighted_mse


def softplus(a):
    return math.log(1 + math.exp(a))


def test_topk_cross_entropy_averages_the_hardest_valid_pixels():
    # pixel i: logits (0, a_i), target 0, so its CE is log(1 + e^a_i)
    a = torch.tensor([-2.0, -1.0, 0.0, 1.0, 2.0])
    logits = torch.stack([torch.zeros(5), a]).view(1, 2, 1, 5).requires_grad_()
    target = torch.tensor([[[0, 0, 0, 0, 255]]])
    loss = topk_cross_entropy(logits, target, top_ratio=0.5)  # 2 of the 4 valid pixels
    assert math.isclose(loss.item(), (softplus(1) + softplus(0)) / 2, rel_tol=1e-6)
    loss.backward()
    assert logits.grad[0, :, 0, :2].abs().sum() == 0  # easy pixels get no gradient
    every = topk_cross_entropy(logits, target, top_ratio=1.0)
    assert math.isclose(every.item(), sum(softplus(v) for v in (-2, -1, 0, 1)) / 4,
                        rel_tol=1e-6)


def test_topk_cross_entropy_pools_the_batch_and_handles_all_ignored():
    logits = torch.zeros(2, 3, 1, 2)
    logits[0, 1] = 2.0  # image 0 prefers class 1
    target = torch.tensor([[[0, 0]], [[2, 255]]])
    # CE: image 0 pixels log(2 + e^2) - 0 each, image 1 pixel log(3)
    expected = math.log(2 + math.exp(2))
    loss = topk_cross_entropy(logits, target, top_ratio=0.67)  # round(0.67 * 3) = 2
    assert math.isclose(loss.item(), expected, rel_tol=1e-6)
    loss = topk_cross_entropy(logits, target, top_ratio=1.0)
    assert math.isclose(loss.item(), (2 * expected + math.log(3)) / 3, rel_tol=1e-6)
    ignored = logits.clone().requires_grad_()
    zero = topk_cross_entropy(ignored, torch.full((2, 1, 2), 255))
    zero.backward()
    assert zero.item() == 0 and ignored.grad.abs().sum() == 0


def test_weighted_losses_divide_by_the_weighted_pixels():
    pred = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]], [[0.0, -1.0], [2.0, 0.0]]]],
                        requires_grad=True)
    target = torch.zeros(1, 2, 2, 2)
    weight = torch.tensor([[[0.0, 0.5], [1.0, 0.0]]])  # pixels (0, 1) and (1, 0)
    mse = weighted_mse(pred, target, weight)
    assert math.isclose(mse.item(), (0.5 * (4 + 1) + 1 * (9 + 4)) / 2, rel_tol=1e-6)
    l1 = weighted_l1(pred, target, weight)
    assert math.isclose(l1.item(), (0.5 * (2 + 1) + 1 * (3 + 2)) / 2, rel_tol=1e-6)
    (mse + l1).backward()
    assert pred.grad[0, :, 0, 0].abs().sum() == 0 and pred.grad[0, 0, 1, 0] != 0
    none = weighted_mse(pred, target, torch.zeros(1, 2, 2))
    none.backward()
    assert none.item() == 0 and none.requires_grad
    assert weighted_l1(pred, target, torch.zeros(1, 2, 2)).item() == 0
