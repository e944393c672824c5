"""Class activation maps of one image at several scales, with horizontal flips."""
import math
from typing import Callable, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F


def class_activation_maps(features: torch.Tensor, classifier_weight: torch.Tensor) -> torch.Tensor:
    """``ReLU(w_c · f)``: (B, D, h, w) features, (C, D, 1, 1) weights -> (B, C, h, w)."""
    return F.relu(F.conv2d(features, classifier_weight))


def image_cam_scales(relative_scales: Sequence[float], short_side: Optional[int],
                     height: int, width: int) -> Tuple[float, ...]:
    """CAM test scales of one image: ``relative_scales`` of the image as it is or, with a
    ``short_side``, of the image resized so that its shorter side is that many pixels
    (the CAM network then sees objects at the size it was built for, whatever the data)."""
    base = 1.0 if short_side is None else short_side / min(height, width)
    return tuple(base * s for s in relative_scales)


def multiscale_cams(image: torch.Tensor,
                    cam_fn: Callable[[torch.Tensor], torch.Tensor],
                    class_ids: Sequence[int],
                    scales: Sequence[float] = (1.0, 0.5, 1.5, 2.0),
                    flip: bool = True) -> Tuple[torch.Tensor, torch.Tensor]:
    """Multi-scale (+ flip) CAMs of one image, restricted to its classes, max-normalised.

    Args:
        image: (3, H, W) normalised image, unpadded.
        cam_fn: maps a (B, 3, h, w) batch to (B, C, h', w') non-negative CAMs.
        class_ids: the image's classes (0-based); only their maps are returned.
        scales: input rescaling factors; maps of all scales (and flips) are summed.
        flip: add the horizontally flipped image's maps (flipped back).

    Returns:
        ``strided`` (K, ceil(H/4), ceil(W/4)) on the stride-4 grid and ``full`` (K, H, W),
        each class map divided by its maximum (+1e-5), K = len(class_ids) (0 for an image
        without labels: no map, nothing to compute).
    """
    height, width = image.shape[-2:]
    grid = (math.ceil(height / 4), math.ceil(width / 4))
    ids = torch.as_tensor(list(class_ids), dtype=torch.long, device=image.device)
    strided = image.new_zeros((len(ids), *grid))
    full = image.new_zeros((len(ids), height, width))
    if not len(ids):
        return strided, full
    for scale in scales:
        size = (max(round(height * scale), 1), max(round(width * scale), 1))
        scaled = F.interpolate(image[None], size=size, mode='bilinear', align_corners=False)
        batch = torch.cat([scaled, scaled.flip(-1)]) if flip else scaled
        cams = cam_fn(batch)[:, ids]
        cams = cams[0] + (cams[1].flip(-1) if flip else 0)
        strided += F.interpolate(cams[None], size=grid, mode='bilinear', align_corners=False)[0]
        full += F.interpolate(cams[None], size=(height, width), mode='bilinear',
                              align_corners=False)[0]
    eps = 1e-5
    strided /= strided.flatten(1).amax(1).view(-1, 1, 1) + eps
    full /= full.flatten(1).amax(1).view(-1, 1, 1) + eps
    return strided, full
