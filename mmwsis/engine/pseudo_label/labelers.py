"""Registered pseudo-labelers: thin wrappers from teacher outputs to ``mmwsis.pseudo``.

A labeler has ``output`` (``'instances'`` or ``'semantic'``), ``per_image(sample)`` (run
as each teacher output arrives; its picklable result is cached on disk) and
``finalize(per_image)`` (run once on rank 0 over every cached result: identity for
per-image methods, the multiway cut for LIID). Instance results are
``{'masks': (M, H, W) bool, 'labels': (M,), 'scores': (M,)}``; semantic results are
(H, W) uint8 maps (0 background, c+1 class c, 255 ignore).
"""
from abc import ABCMeta, abstractmethod
from typing import Any, Dict, Optional

import cv2
import numpy as np

from mmwsis.pseudo.ir_labels import ir_labels_from_cams
from mmwsis.pseudo.irn_instances import irn_instance_pseudo_labels, semantic_map_from_cams
from mmwsis.registry import PSEUDO_LABELERS


def _numpy(value) -> np.ndarray:
    return value.detach().cpu().numpy() if hasattr(value, 'detach') else np.asarray(value)


def teacher_frame(sample: dict):
    """(size the teacher worked at, original size): they differ by ``teacher_scale``."""
    height, width = sample['ori_shape']
    scale = sample.get('teacher_scale', 1.0)
    return (round(height * scale), round(width * scale)), (height, width)


def resize_label_maps(maps: np.ndarray, size) -> np.ndarray:
    """(N, h, w) integer/bool maps -> (N, H, W) by nearest neighbour."""
    if maps.shape[1:] == tuple(size):
        return maps
    resized = [cv2.resize(m.astype(np.uint8), size[::-1], interpolation=cv2.INTER_NEAREST)
               for m in maps]
    return np.array(resized, dtype=maps.dtype).reshape(len(maps), *size)


class PerImageLabeler(metaclass=ABCMeta):
    """Base of labelers whose whole work happens per image."""

    output = 'instances'

    @abstractmethod
    def per_image(self, sample: dict) -> Any:
        """Pseudo label of one predicted sample (a ``DetDataSample`` as a dict)."""

    def finalize(self, per_image: Dict[str, Any]) -> Dict[str, Any]:
        return per_image


@PSEUDO_LABELERS.register_module()
class IRNInstanceLabeler(PerImageLabeler):
    """IRNet instances: displacement-field centroids, random walk, connected segments.

    Args:
        bg_threshold: background score after the walk (0.25).
        min_area_ratio: drop segments under this share of the image (0.01).
        beta, log2_steps: random walk (10; 8 -> 256 steps; radius 5).
        boundary_split: cut instances along boundaries above this probability before
            the walk (``mmwsis.pseudo.split_instances_by_boundary``); ``None``, the
            paper's setting, does not.
    """

    def __init__(self, bg_threshold: float = 0.25, min_area_ratio: float = 0.01,
                 beta: float = 10.0, log2_steps: int = 8,
                 boundary_split: Optional[float] = None) -> None:
        self.kwargs = dict(bg_threshold=bg_threshold, min_area_ratio=min_area_ratio,
                           beta=beta, log2_steps=log2_steps, boundary_split=boundary_split)

    def per_image(self, sample: dict) -> dict:
        work_size, size = teacher_frame(sample)
        masks, labels, scores = irn_instance_pseudo_labels(
            _numpy(sample['cams']), _numpy(sample['boundary']),
            _numpy(sample['displacement']), _numpy(sample['cam_labels']), work_size,
            **self.kwargs)
        masks = resize_label_maps(masks, size)
        keep = masks.any(axis=(1, 2))
        return dict(masks=masks[keep], labels=labels[keep], scores=scores[keep])


@PSEUDO_LABELERS.register_module()
class IRNSemanticLabeler(PerImageLabeler):
    """IRNet semantic maps: the random walk on class CAMs (BESTIE's WSSS maps)."""

    output = 'semantic'

    def __init__(self, bg_threshold: float = 0.25, beta: float = 10.0,
                 log2_steps: int = 8, radius: int = 5) -> None:
        self.kwargs = dict(bg_threshold=bg_threshold, beta=beta, log2_steps=log2_steps,
                           radius=radius)

    def per_image(self, sample: dict) -> np.ndarray:
        work_size, size = teacher_frame(sample)
        label_map = semantic_map_from_cams(
            _numpy(sample['cams']), _numpy(sample['boundary']), _numpy(sample['cam_labels']),
            work_size, **self.kwargs)
        return resize_label_maps(label_map[None], size)[0]


@PSEUDO_LABELERS.register_module()
class IRLabeler(PerImageLabeler):
    """Inter-pixel relation labels from full-resolution CAMs (confident fg / bg).

    Args:
        fg_threshold, bg_threshold: 0.30 / 0.05 in the paper.
        refine: ``'crf'`` (dense CRF, pydensecrf2), ``'grabcut'`` (OpenCV, the
            CRF-free fallback) or ``'none'``.
    """

    output = 'semantic'

    def __init__(self, fg_threshold: float = 0.30, bg_threshold: float = 0.05,
                 refine: str = 'crf') -> None:
        self.kwargs = dict(fg_threshold=fg_threshold, bg_threshold=bg_threshold,
                           refine=refine)

    def per_image(self, sample: dict) -> np.ndarray:
        image = None
        if self.kwargs['refine'] != 'none':
            import mmcv
            image = mmcv.imread(sample['img_path'], channel_order='rgb')
        return ir_labels_from_cams(_numpy(sample['cams_full']), _numpy(sample['cam_labels']),
                                   image=image, **self.kwargs)
