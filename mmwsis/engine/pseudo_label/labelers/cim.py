"""CIM's labelers: PRM peaks (the clusters' points) and CIM's detections."""
from mmwsis.pseudo.cim_mining import select_detections
from mmwsis.pseudo.cim_peaks import class_peaks
from mmwsis.registry import PSEUDO_LABELERS
from ..result import PseudoLabel
from .base import BaseLabeler
from .teacher_outputs import as_numpy


@PSEUDO_LABELERS.register_module()
class PeakPointLabeler(BaseLabeler):
    """The peaks of a :class:`~mmwsis.models.teachers.PeakResponseNet`'s maps.

    Reads ``cams_full`` (K, H, W) and ``cam_labels`` (K,) at the original size and keeps
    :func:`~mmwsis.pseudo.class_peaks` (local maxima over ``window`` pixels, above the
    map's median and ``rel_thr`` of its maximum; the maximum always).
    """

    output = 'points'

    def __init__(self, window: int = 3, rel_thr: float = 0.5) -> None:
        self.window, self.rel_thr = window, rel_thr

    def per_image(self, sample: dict) -> PseudoLabel:
        points, labels, scores = class_peaks(as_numpy(sample['cams_full']),
                                             as_numpy(sample['cam_labels']),
                                             self.window, self.rel_thr)
        return PseudoLabel.point_set(points, labels, scores)


@PSEUDO_LABELERS.register_module()
class CIMLabeler(BaseLabeler):
    """Instances from :class:`~mmwsis.models.teachers.CIMNet` outputs: the proposals
    kept by :func:`~mmwsis.pseudo.select_detections`, each with its own mask.

    Reads ``proposal_scores`` (R, C + 1), ``proposals.bboxes`` (R, 4) in the original
    frame and the proposals' RLEs ``proposal_masks`` (metainfo). The collector's
    ``score_thr`` then keeps those of the image's classes scored at least that (CIM's
    0.3).

    Args:
        score_thr, nms_iou, max_per_image: as ``select_detections`` (1e-5, 0.3, 100).
    """

    def __init__(self, score_thr: float = 1e-5, nms_iou: float = 0.3,
                 max_per_image: int = 100) -> None:
        self.kwargs = dict(score_thr=score_thr, nms_iou=nms_iou, max_per_image=max_per_image)

    def per_image(self, sample: dict) -> PseudoLabel:
        masks = list(sample['proposal_masks'])
        index, labels, scores = select_detections(
            as_numpy(sample['proposal_scores']), as_numpy(sample['proposals']['bboxes']),
            sample['image_labels'], **self.kwargs)
        return PseudoLabel.instances([masks[i] for i in index], labels, scores,
                                     image_size=sample['ori_shape'])
