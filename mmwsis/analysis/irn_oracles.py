"""IRNet's instance labels from its teacher's outputs, with GT standing in for a part."""
from typing import Dict, Tuple

import cv2
import numpy as np
import pycocotools.mask as mask_utils

from mmwsis.engine.pseudo_label.labelers import resize_label_maps
from mmwsis.pseudo import (filter_instances, instance_map_from_displacement,
                           instance_scores_from_cams, instances_from_scores, resolve_log2_steps)


def gt_grid_maps(info: dict, work_size: Tuple[int, int],
                 grid: Tuple[int, int]) -> Tuple[np.ndarray, np.ndarray]:
    """GT class map (0 bg, c+1) and instance map (0 bg, k+1) on the teacher's grid."""
    classes = np.zeros((info['height'], info['width']), dtype=np.uint8)
    instances = np.zeros_like(classes)
    for k, instance in enumerate(info['instances']):
        mask = mask_utils.decode(instance['mask']).astype(bool)
        classes[mask] = instance['bbox_label'] + 1
        instances[mask] = k + 1

    def to_grid(label_map: np.ndarray) -> np.ndarray:
        work = cv2.resize(label_map, work_size[::-1], interpolation=cv2.INTER_NEAREST)
        return cv2.resize(work, grid[::-1], interpolation=cv2.INTER_NEAREST)

    return to_grid(classes), to_grid(instances).astype(np.int64)


def irn_oracle_labels(item: dict, options: dict, oracle_semantic: bool = False,
                      oracle_instances: bool = False) -> Dict[str, np.ndarray]:
    """One image's IRNet instance labels, optionally with GT parts.

    Args:
        item: the teacher's ``cams``, ``cam_labels``, ``boundary``, ``displacement`` (numpy,
            stride-4 grid), the image's ``size`` and the teacher's ``work_size``, and, for
            the oracles, ``gt_classes`` / ``gt_instances`` from :func:`gt_grid_maps`.
        options: the labeler's settings (``IRNInstanceLabeler(...).kwargs``):
            ``bg_threshold``, ``min_area_ratio``, ``beta``, ``log2_steps`` (or ``'auto'``
            with ``reference_extent`` and ``reference_log2_steps``) and ``boundary_split``.
        oracle_semantic: the GT class maps in place of the CAMs.
        oracle_instances: the GT instance map in place of the displacement clusters.

    Returns:
        ``masks`` (M, H, W), ``labels``, ``scores`` after the collector's class filter and
        overlap rule, and the ``instance_map`` used (grid).
    """
    cams, labels = item['cams'], item['cam_labels']
    if oracle_semantic:
        cams = np.stack([(item['gt_classes'] == c + 1) for c in labels]).astype(np.float32)
    if oracle_instances:
        instance_map = np.unique(item['gt_instances'], return_inverse=True)[1]
        instance_map = instance_map.reshape(item['gt_instances'].shape)
    else:
        instance_map = instance_map_from_displacement(
            item['displacement'], item['boundary'], boundary_split=options['boundary_split'])
    # 'auto' reads the teacher's own view of the objects, even with GT parts.
    log2_steps = resolve_log2_steps(options['log2_steps'], item['cams'], instance_map,
                                    options['reference_extent'],
                                    options['reference_log2_steps'])
    scores = instance_scores_from_cams(cams, instance_map, item['boundary'],
                                       beta=options['beta'], log2_steps=log2_steps)
    masks, mask_labels, mask_scores = instances_from_scores(
        scores, labels, item['work_size'], options['bg_threshold'], options['min_area_ratio'])
    masks = resize_label_maps(masks, item['size'])
    keep = masks.any(axis=(1, 2))
    masks, mask_labels, mask_scores = filter_instances(
        masks[keep], mask_labels[keep], mask_scores[keep], labels, 0.0, True, 0)
    return dict(masks=masks, labels=mask_labels, scores=mask_scores, instance_map=instance_map)
