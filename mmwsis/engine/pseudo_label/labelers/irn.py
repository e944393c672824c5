"""IRNet's labelers: relation labels (step 1), instances and semantic maps (step 2)."""
from typing import Optional, Union

from mmwsis.pseudo.ir_labels import ir_labels_from_cams
from mmwsis.pseudo.irn_instances import irn_instance_pseudo_labels, semantic_map_from_cams
from mmwsis.registry import PSEUDO_LABELERS
from ..result import PseudoLabel
from .base import BaseLabeler
from .teacher_outputs import as_numpy, resize_label_maps, teacher_frame


@PSEUDO_LABELERS.register_module()
class IRNInstanceLabeler(BaseLabeler):
    """IRNet instances: displacement-field centroids, random walk, connected segments.

    Reads the :class:`~mmwsis.models.teachers.IRNet` outputs ``cams``, ``cam_labels``,
    ``boundary`` and ``displacement`` (stride-4 grid of the image scaled by
    ``teacher_scale``); masks come back at the original size.

    Args:
        bg_threshold: background score after the walk (0.25).
        min_area_ratio: drop segments under this share of the image (0.01).
        beta, log2_steps: random walk (10; 8 -> 256 steps; radius 5). ``'auto'``: per
            image, from the size of its objects as the teacher sees them
            (``mmwsis.pseudo.walk_log2_steps``), anchored at ``reference_log2_steps`` for
            objects of ``reference_extent`` grid cells.
        boundary_split: cut instances along boundaries above this probability before
            the walk (``mmwsis.pseudo.split_instances_by_boundary``); ``None``, the
            paper's setting, does not.
    """

    def __init__(self, bg_threshold: float = 0.25, min_area_ratio: float = 0.01,
                 beta: float = 10.0, log2_steps: Union[int, str] = 8,
                 boundary_split: Optional[float] = None, reference_extent: float = 12.0,
                 reference_log2_steps: int = 5) -> None:
        self.kwargs = dict(bg_threshold=bg_threshold, min_area_ratio=min_area_ratio,
                           beta=beta, log2_steps=log2_steps, boundary_split=boundary_split,
                           reference_extent=reference_extent,
                           reference_log2_steps=reference_log2_steps)

    def per_image(self, sample: dict) -> PseudoLabel:
        work_size, size = teacher_frame(sample)
        masks, labels, scores = irn_instance_pseudo_labels(
            as_numpy(sample['cams']), as_numpy(sample['boundary']),
            as_numpy(sample['displacement']), as_numpy(sample['cam_labels']), work_size,
            **self.kwargs)
        masks = resize_label_maps(masks, size)
        keep = masks.any(axis=(1, 2))
        return PseudoLabel.instances(masks[keep], labels[keep], scores[keep], image_size=size)


@PSEUDO_LABELERS.register_module()
class IRNSemanticLabeler(BaseLabeler):
    """IRNet semantic maps: the random walk on class CAMs (BESTIE's WSSS maps)."""

    output = 'semantic'

    def __init__(self, bg_threshold: float = 0.25, beta: float = 10.0,
                 log2_steps: int = 8, radius: int = 5) -> None:
        self.kwargs = dict(bg_threshold=bg_threshold, beta=beta, log2_steps=log2_steps,
                           radius=radius)

    def per_image(self, sample: dict) -> PseudoLabel:
        work_size, size = teacher_frame(sample)
        label_map = semantic_map_from_cams(
            as_numpy(sample['cams']), as_numpy(sample['boundary']),
            as_numpy(sample['cam_labels']), work_size, **self.kwargs)
        return PseudoLabel.semantic(resize_label_maps(label_map[None], size)[0])


@PSEUDO_LABELERS.register_module()
class IRLabeler(BaseLabeler):
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

    def per_image(self, sample: dict) -> PseudoLabel:
        image = None
        if self.kwargs['refine'] != 'none':
            import mmcv
            image = mmcv.imread(sample['img_path'], channel_order='rgb')
        return PseudoLabel.semantic(ir_labels_from_cams(
            as_numpy(sample['cams_full']), as_numpy(sample['cam_labels']), image=image,
            **self.kwargs))
