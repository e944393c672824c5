"""BESTIE's online self-refinement: targets regrouped from the network's own outputs.

In BESTIE (Kim et al., CVPR 2022, "Beyond Semantic to Instance Segmentation") the
detached semantic, centre and offset outputs split every WSSS piece of an image class
(8-connected, at least 50 pixels) into instances (:func:`component_instances`, centre
threshold 0.3, 41 x 41 NMS, β 3); pieces with no centre or more than 5 instances are
skipped. Each instance gets a Gaussian (σ 6) at its centre, offsets to it and a weight
equal to its confidence. With clicked points (BESTIE-P) the pixels of each class are
instead grouped to its points through the predicted offsets.
"""
from typing import Sequence

import numpy as np

from .bestie_instances import component_instances, group_pixels, large_components
from .bestie_targets import CentreOffsetTargets, gaussian_centres, point_pixels


def refined_targets(seg_prob: np.ndarray, center: np.ndarray, offset: np.ndarray,
                    semantic: np.ndarray, image_labels: Sequence[int], thr: float = 0.3,
                    nms_window: int = 41, beta: float = 3, max_instances: int = 5,
                    min_area: int = 50, sigma: float = 6.0) -> CentreOffsetTargets:
    """Self-refined targets of one image.

    An instance whose centre score is below ``thr`` is centred at its centroid with
    confidence ``seg_score``; otherwise at its centre-map argmax with confidence
    ``centre_score x seg_score``; clipped to [0, 1]. Its pixels get
    ``offset = (cy - y, cx - x)`` and weight = confidence.

    Args:
        seg_prob: (C+1, H, W) softmax (only the image classes' channels are read).
        center: (C, H, W) centre heatmaps.
        offset: (2, H, W) predicted ``(dy, dx)``.
        semantic: (H, W) WSSS map: 0 background, ``c + 1`` class ``c``, 255 ignore.
        image_labels: 0-based classes of the image.
        thr, nms_window, beta: see :func:`~.bestie_instances.component_centres`.
        max_instances: a component splitting into more instances is skipped.
        min_area: smallest component used, pixels.
        sigma: Gaussian σ of the centres, pixels.
    """
    semantic = np.asarray(semantic)
    shape = semantic.shape
    center_t = np.zeros(center.shape, np.float32)
    offset_t = np.zeros((2, *shape), np.float32)
    weight = np.zeros(shape, np.float32)
    for cls in sorted({int(c) for c in image_labels}):
        components, ids = large_components(semantic == cls + 1, min_area)
        centres = []
        for index in ids:
            instances = component_instances(center[cls], seg_prob[cls + 1], components == index,
                                            offset, thr, nms_window, beta, ignore_empty=True,
                                            min_centre_score=thr)
            if not instances or len(instances) > max_instances:
                continue
            for inst in instances:
                conf = (inst.seg_score if inst.centre_score < thr
                        else inst.centre_score * inst.seg_score)
                ys, xs = np.nonzero(inst.mask)
                offset_t[0, ys, xs] = inst.centre[0] - ys
                offset_t[1, ys, xs] = inst.centre[1] - xs
                weight[ys, xs] = np.clip(conf, 0, 1)
                centres.append(inst.centre)
        center_t[cls] = gaussian_centres(np.reshape(centres, (-1, 2)), shape, sigma)
    return CentreOffsetTargets(center_t, offset_t, weight)


def refined_targets_with_points(semantic: np.ndarray, offset: np.ndarray, points: np.ndarray,
                                point_labels: np.ndarray, image_labels: Sequence[int],
                                num_classes: int, sigma: float = 6.0) -> CentreOffsetTargets:
    """Self-refined targets of one image with clicked points (BESTIE-P).

    The pixels of ``semantic == c + 1`` go to the class-``c`` point (its rounded pixel)
    nearest to ``p + offset[:, p]``; their offsets point to it, weight 1. Centres:
    Gaussians at all points of the image's classes. Classes without points: weight 0.

    Args:
        semantic: (H, W) WSSS map: 0 background, ``c + 1`` class ``c``, 255 ignore.
        offset: (2, H, W) predicted ``(dy, dx)``.
        points: (P, 2) float ``x, y``; point_labels: (P,) 0-based classes.
        image_labels: 0-based classes of the image.
        num_classes: foreground classes C.
        sigma: Gaussian σ of the centres, pixels.
    """
    semantic = np.asarray(semantic)
    shape = semantic.shape
    pixels = point_pixels(points, shape)
    point_labels = np.asarray(point_labels, np.int64).reshape(-1)
    center_t = np.zeros((num_classes, *shape), np.float32)
    offset_t = np.zeros((2, *shape), np.float32)
    weight = np.zeros(shape, np.float32)
    for cls in sorted({int(c) for c in image_labels}):
        mine = pixels[point_labels == cls]
        center_t[cls] = gaussian_centres(mine, shape, sigma)
        if not len(mine):
            continue
        region = semantic == cls + 1
        ys, xs = np.nonzero(region)
        target = mine[group_pixels(region, offset, mine)[ys, xs]]
        offset_t[0, ys, xs] = target[:, 0] - ys
        offset_t[1, ys, xs] = target[:, 1] - xs
        weight[ys, xs] = 1
    return CentreOffsetTargets(center_t, offset_t, weight)
