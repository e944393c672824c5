"""CIM's proposal clusters: the proposals around each class peak (PCL's bags)."""
from typing import Sequence

import numpy as np
from pycocotools import mask as mask_utils


def proposal_clusters(rles: Sequence[dict], peaks: np.ndarray, peak_labels: np.ndarray,
                      peak_scores: np.ndarray, num_classes: int, cover_thr: float = 0.7,
                      fg_iou: float = 0.5) -> np.ndarray:
    """Group one image's proposals into a cluster per peak and a background cluster.

    Peaks are visited by ascending score. For each, the proposals whose mask covers the
    peak pixel are averaged; the pixels where that mean exceeds ``cover_thr`` are the
    peak's object. Proposals of mask IoU above ``fg_iou`` with it join the peak's cluster
    (a new id; a later, stronger peak of the same class takes them over); those of IoU in
    ``(0, fg_iou]`` go to the background cluster. A proposal in any foreground cluster
    at the end is not background. Peaks covered by no proposal are skipped.

    Args:
        rles: R pycocotools RLEs of one image.
        peaks: (P, 2) int ``y, x`` pixels, in the proposals' frame (image labels: the
            PRM peaks; point labels: the instance points).
        peak_labels: (P,) class index in ``[0, num_classes)``.
        peak_scores: (P,) the visiting order (ties: input order).
        num_classes: C.
        cover_thr: share of the covering proposals a pixel must be in (0.7, CIM's).
        fg_iou: IoU with the peak's object to join its cluster (0.5, CIM's).

    Returns:
        (R, C + 1) int32: column ``c + 1`` holds the id (>= 1) of the class-``c`` cluster
        a proposal is in (0: none); column 0 is 1 for the background cluster.
    """
    num = len(rles)
    clusters = np.zeros((num, num_classes + 1), np.int32)
    peaks = np.asarray(peaks, dtype=np.int64).reshape(-1, 2)
    if num == 0 or len(peaks) == 0:
        return clusters
    rles = list(rles)
    height, width = rles[0]['size']
    background = np.zeros(num, bool)
    next_id = 1
    for index in np.argsort(np.asarray(peak_scores), kind='stable'):
        y, x = np.clip(peaks[index], 0, [height - 1, width - 1])
        point = np.zeros((height, width, 1), np.uint8, order='F')
        point[y, x] = 1
        # Crowd IoU of (point, mask) is |point & mask| / |point|: 1 where the mask covers it.
        covering = np.flatnonzero(
            np.asarray(mask_utils.iou(mask_utils.encode(point), rles, [1] * num))[0] > 0)
        if not len(covering):
            continue
        mean = mask_utils.decode([rles[i] for i in covering]).mean(axis=2)
        obj = mask_utils.encode(np.asfortranarray((mean > cover_thr)[..., None].astype(np.uint8)))
        iou = np.asarray(mask_utils.iou(rles, obj, [0]))[:, 0]
        column = int(peak_labels[index]) + 1
        members = iou > fg_iou
        clusters[members, column] = next_id
        next_id += 1
        background |= (iou > 0) & ~members
    clusters[:, 0] = background & ~(clusters[:, 1:] > 0).any(axis=1)
    return clusters
