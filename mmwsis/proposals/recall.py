"""How well a set of proposals covers the ground-truth instances (class-agnostic)."""
from typing import Dict, Optional, Sequence

import numpy as np
from pycocotools import mask as mask_utils

from mmwsis.evaluation.functional import encode_masks, mask_iou
from .io import Proposals


def best_overlaps(proposals: Proposals, gt_masks: Sequence[dict],
                  ignore: Optional[dict] = None) -> np.ndarray:
    """(G,) float64: each GT instance's best mask IoU with any proposal (0 if none).

    ``ignore``: an RLE of pixels (e.g. VOC's void band, disjoint from every GT mask)
    removed from the proposals first, so they count neither way.
    """
    if not len(proposals) or not len(gt_masks):
        return np.zeros(len(gt_masks))
    masks = proposals.masks
    if ignore is not None:
        masks = encode_masks(proposals.decode() & ~mask_utils.decode(ignore).astype(bool))
    return mask_iou(masks, gt_masks).max(axis=0)


def proposal_recall(proposals_per_image: Sequence[Proposals],
                    gt_masks_per_image: Sequence[Sequence[dict]],
                    iou_thrs: Sequence[float] = (0.5, 0.7),
                    ignore_per_image: Optional[Sequence[Optional[dict]]] = None
                    ) -> Dict[str, float]:
    """Recall of GT instances by proposals, pooled over images.

    Args:
        proposals_per_image: one :class:`Proposals` per image.
        gt_masks_per_image: the GT instance RLEs of the same images, in the same order.
        iou_thrs: a GT instance counts as recalled at ``t`` if some proposal of its image
            has mask IoU >= ``t`` with it.
        ignore_per_image: optional RLE per image of pixels to leave out of the IoU (VOC
            void); by default every proposal pixel counts, as in mmwsis's mask AP.

    Returns:
        ``recall@t`` for each threshold (share of all GT instances), ``mabo`` (mean over
        instances of the best overlap), ``mean_proposals`` (per image) and
        ``num_instances``.
    """
    if len(proposals_per_image) != len(gt_masks_per_image):
        raise ValueError(f'{len(proposals_per_image)} proposal sets for '
                         f'{len(gt_masks_per_image)} images')
    ignores = ignore_per_image or [None] * len(proposals_per_image)
    best = np.concatenate([np.zeros(0)] + [
        best_overlaps(props, gts, ignore) for props, gts, ignore in zip(
            proposals_per_image, gt_masks_per_image, ignores)])
    result = {f'recall@{t:g}': float((best >= t).mean()) if best.size else 0.
              for t in iou_thrs}
    result['mabo'] = float(best.mean()) if best.size else 0.
    result['mean_proposals'] = float(np.mean([len(p) for p in proposals_per_image])
                                     if proposals_per_image else 0.)
    result['num_instances'] = int(best.size)
    return result
