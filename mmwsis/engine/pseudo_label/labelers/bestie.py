"""BESTIE's labelers: PAM peak points (its instance cues), and its instances."""
from typing import Optional, Tuple

import numpy as np

from mmwsis.pseudo.bestie_instances import instance_map
from mmwsis.pseudo.bestie_points import pam_peak_points
from mmwsis.registry import PSEUDO_LABELERS
from ..result import PseudoLabel
from .base import BaseLabeler
from .teacher_outputs import as_numpy, resize_label_maps, teacher_frame


@PSEUDO_LABELERS.register_module()
class PAMPointLabeler(BaseLabeler):
    """The peak points of a :class:`~mmwsis.models.teachers.PAMClassifier`'s maps.

    Reads ``cams_full`` (K, H, W) and ``cam_labels`` (K,) at the original size and keeps
    :func:`~mmwsis.pseudo.pam_peak_points` (max-normalised, ``smooth`` x ``smooth`` mean,
    ``nms_window`` x ``nms_window`` maxima, the ``top_k`` best per class scoring at least
    ``min_score``). All are written with their scores; BESTIE's training keeps those
    above its own threshold (0.7, ``LoadProjectedPoints``).

    Args:
        smooth, top_k, min_score: BESTIE's 3, 25 and 0.1.
        nms_window: BESTIE's 15 px, at ``window_short_side``.
        window_short_side: the image scale ``nms_window`` was set at (PAM extracts points
            at a 321 px shorter side); each image's window is ``nms_window`` times its
            shorter side over this, rounded to an odd number, at least 3 (a 160 px image:
            7, a VOC 375 px one: 17). ``None``: ``nms_window`` as it is.
    """

    output = 'points'

    def __init__(self, smooth: int = 3, nms_window: int = 15,
                 window_short_side: Optional[int] = 321, top_k: int = 25,
                 min_score: float = 0.1) -> None:
        self.nms_window, self.window_short_side = nms_window, window_short_side
        self.kwargs = dict(smooth=smooth, top_k=top_k, min_score=min_score)

    def window_for(self, height: int, width: int) -> int:
        """The NMS window of an image of ``height`` x ``width`` pixels."""
        if self.window_short_side is None:
            return self.nms_window
        window = self.nms_window * min(height, width) / self.window_short_side
        return max(3, 2 * int(round((window - 1) / 2)) + 1)

    def per_image(self, sample: dict) -> PseudoLabel:
        cams = as_numpy(sample['cams_full'])
        points, labels, scores = pam_peak_points(
            cams, as_numpy(sample['cam_labels']),
            nms_window=self.window_for(*cams.shape[-2:]), **self.kwargs)
        return PseudoLabel.point_set(points, labels, scores)


@PSEUDO_LABELERS.register_module()
class BESTIELabeler(BaseLabeler):
    """Instances from :class:`~mmwsis.models.teachers.BESTIE` outputs (``get_ins_map``).

    Reads ``seg_prob`` (C+1, h, w), ``center`` (C, h, w) and ``offset`` (2, h, w) at the
    teacher's scale and groups them with :func:`~mmwsis.pseudo.instance_map` restricted
    to the image's labels: each connected piece of a class of at least ``min_area``
    pixels is split among its centres (``thr``, ``nms_window``, ``beta``), a piece
    without a centre is one instance; score = centre score x mean class probability.
    Masks come back at the original size.

    Args:
        thr, nms_window, beta, min_area: BESTIE's inference 0.1, 41, 3 and 50 (pixels at
            the teacher's scale).
        semantic: which map the pieces come from. ``'network'``: the argmax of the
            teacher's semantic head (BESTIE's ``get_ins_map``). ``'wsss'``: the WSSS map
            the teacher was trained on, as ``LoadPseudoSegMap`` loads it into the sample
            (``gt_sem_seg``; the pseudo-label dataset needs ``pseudo_seg_dir``); the
            network still gives the centres, offsets and scores.
    """

    SEMANTIC = ('network', 'wsss')

    def __init__(self, thr: float = 0.1, nms_window: int = 41, beta: float = 3.0,
                 min_area: int = 50, semantic: str = 'network') -> None:
        if semantic not in self.SEMANTIC:
            raise ValueError(f'semantic={semantic!r}: one of {self.SEMANTIC}')
        self.semantic = semantic
        self.kwargs = dict(thr=thr, nms_window=nms_window, beta=beta, min_area=min_area)

    def wsss_map(self, sample: dict, work_size: Tuple[int, int]) -> np.ndarray:
        """The sample's WSSS map (H, W) at the original size -> (h, w) at ``work_size``."""
        seg = sample.get('gt_sem_seg')
        if seg is None:
            raise KeyError(
                f'BESTIELabeler(semantic=\'wsss\') needs the WSSS map of {sample.get("img_path")}'
                ': add LoadPseudoSegMap to pseudo_label.dataloader.dataset.pipeline and set '
                'pseudo_label.dataloader.dataset.pseudo_seg_dir to the maps\' folder')
        height, width = sample['ori_shape']
        semantic = as_numpy(seg['sem_seg'])[0, :height, :width]  # unpadded
        return resize_label_maps(semantic[None], work_size)[0]

    def per_image(self, sample: dict) -> PseudoLabel:
        _, size = teacher_frame(sample)
        seg_prob = as_numpy(sample['seg_prob'])
        semantic = (self.wsss_map(sample, seg_prob.shape[1:]) if self.semantic == 'wsss'
                    else None)
        masks, labels, scores = instance_map(
            seg_prob, as_numpy(sample['center']), as_numpy(sample['offset']),
            image_labels=list(sample['image_labels']), semantic=semantic, **self.kwargs)
        masks = resize_label_maps(masks, size)
        keep = masks.any(axis=(1, 2))
        return PseudoLabel.instances(masks[keep], labels[keep], scores[keep], image_size=size)
