"""A labeler that wraps any per-image mmwsis labeler and snaps its masks to superpixels."""
from typing import Optional

import mmcv
import numpy as np

from mmwsis.engine.pseudo_label import BaseLabeler, PseudoLabel
from mmwsis.evaluation.functional import decode_masks
from mmwsis.registry import PSEUDO_LABELERS
from .snap import snap_masks


@PSEUDO_LABELERS.register_module()
class SuperpixelSnapLabeler(BaseLabeler):
    """The pseudo masks of ``labeler``, each made a union of the image's graph segments.

    The wrapped labeler runs as it would alone; its masks (labels and scores unchanged)
    are then snapped (:func:`snap_to_superpixels`) to Felzenszwalb segments of the image
    file (``img_path``, :func:`graph_superpixels`) at a scale that follows the image's own
    pseudo masks (:func:`segmentation_scale`).

    Args:
        labeler: config of a registered per-image instance labeler (``BoxPriorLabeler``,
            ``BoxCasegLabeler``, ``IRNLabeler`` ...). A dataset-level one, which decides
            its instances in ``finalize``, is refused: its masks do not exist per image.
        scale_per_area: Felzenszwalb's ``scale`` per pixel of the image's median pseudo
            mask (0.05: chosen on the first 80 train images' GT, the project's README).
        min_size_per_area: its smallest segment, per pixel of that median mask.
        sigma: its smoothing.
        min_fraction: the share of a segment a mask must cover to take it.
    """

    def __init__(self, labeler: dict, scale_per_area: float = 0.05,
                 min_size_per_area: float = 0.01, sigma: float = 0.5,
                 min_fraction: float = 0.5) -> None:
        self.labeler: BaseLabeler = PSEUDO_LABELERS.build(labeler)
        name = type(self.labeler).__name__
        if self.labeler.output != 'instances':
            raise ValueError(f'{name} writes {self.labeler.output!r}; only instance '
                             'labelers have masks to snap')
        if type(self.labeler).finalize is not BaseLabeler.finalize:
            raise ValueError(f'{name} decides its instances over the whole split '
                             '(finalize); only per-image labelers can be snapped')
        if not 0.5 <= min_fraction < 1.0:
            raise ValueError(f'min_fraction must lie in [0.5, 1), got {min_fraction}')
        if scale_per_area <= 0 or min_size_per_area < 0:
            raise ValueError(f'scale_per_area must be positive and min_size_per_area not '
                             f'negative, got {scale_per_area} and {min_size_per_area}')
        self.scale_per_area, self.min_size_per_area = scale_per_area, min_size_per_area
        self.sigma, self.min_fraction = sigma, min_fraction

    def per_image(self, sample: dict) -> PseudoLabel:
        label = self.labeler.per_image(sample)
        if not label.masks:
            return label
        masks = decode_masks(label.masks, label.masks[0]['size'])
        image = self._image(sample.get('img_path'), masks.shape[1:])
        snapped = snap_masks(image, masks, self.scale_per_area, self.min_size_per_area,
                             self.sigma, self.min_fraction)
        return PseudoLabel.instances(snapped, label.labels, label.scores,
                                     image_size=masks.shape[1:], payload=label.payload)

    @staticmethod
    def _image(path: Optional[str], size: tuple) -> np.ndarray:
        if not path:
            raise KeyError('SuperpixelSnapLabeler reads the image file: the sample has no '
                           'img_path')
        image = mmcv.imread(path, channel_order='rgb')
        if image is None:
            raise OSError(f'{path}: cannot be read as an image')
        if image.shape[:2] != tuple(size):
            raise ValueError(f'{path}: image of size {image.shape[:2]}, pseudo masks of size '
                             f'{tuple(size)}')
        return image
