"""Pseudo-label fusion: several teachers' pseudo jsons of one split fused image by image."""
import os.path as osp
from typing import Dict, Optional

import numpy as np

from mmwsis.evaluation.functional import decode_masks
from mmwsis.pseudo.fusion import fuse_instances
from mmwsis.registry import PSEUDO_LABELERS
from ..pseudo_json import pseudo_instances
from ..result import PseudoLabel
from .base import BaseLabeler


@PSEUDO_LABELERS.register_module()
class FusionLabeler(BaseLabeler):
    """Instances fused from the pseudo labels other teachers wrote for the same split.

    ``sources`` maps a name to a pseudo json written by an mmwsis ``pseudo_label`` run on
    this split (in a pipeline, earlier steps' outputs, through the fusion step's
    ``inputs``). For each sample, by ``img_id``, the instances of every source are matched
    and merged by pixel vote, and scored by how far the sources agree
    (:func:`~mmwsis.pseudo.fuse_instances`). The model is
    :class:`~mmwsis.models.teachers.PassThrough`: nothing is computed from the image.

    Args:
        sources: name -> pseudo-label json (each a COCO json of this split's images).
        match_iou: mask IoU at which two sources' instances are one object.
        min_agreement: share of the sources a pixel needs.
    """

    def __init__(self, sources: Dict[str, Optional[str]], match_iou: float = 0.5,
                 min_agreement: float = 0.5) -> None:
        missing = sorted(name for name, path in (sources or {}).items() if not path)
        if not sources or missing:
            raise ValueError('FusionLabeler needs a pseudo json per source (sources=dict('
                             f'name=path)); none given for {missing or "any source"}. In a '
                             "pipeline an earlier step's output fills it through the step's "
                             'inputs; alone, pass --cfg-options pseudo_label.labeler.sources.'
                             '<name>=<work_dir>/pseudo_labels/train.json')
        if not 0 < min_agreement <= 1:
            raise ValueError(f'min_agreement must lie in (0, 1], got {min_agreement}')
        self.sources = dict(sources)
        self.match_iou, self.min_agreement = match_iou, min_agreement
        self._instances: Optional[Dict[str, Dict[str, dict]]] = None

    def source_instances(self) -> Dict[str, Dict[str, dict]]:
        """name -> img_id -> that source's instances (read once, on first use)."""
        if self._instances is None:
            for name, path in self.sources.items():
                if not osp.isfile(path):
                    raise FileNotFoundError(f'{path} (fusion source {name!r}) does not exist: '
                                            "run that teacher's pseudo-label stage first")
            self._instances = {name: pseudo_instances(path)
                               for name, path in self.sources.items()}
        return self._instances

    def per_image(self, sample: dict) -> PseudoLabel:
        size = tuple(int(s) for s in sample['ori_shape'])
        img_id = str(sample['img_id'])
        sources = []
        for name, by_image in self.source_instances().items():
            if img_id not in by_image:
                raise KeyError(f'{self.sources[name]} (fusion source {name!r}) has no image '
                               f'{img_id}: every source must label the same split')
            entry = by_image[img_id]
            masks = decode_masks(entry['masks'], size)
            if masks.shape[1:] != size:
                raise ValueError(f'{self.sources[name]}: masks of image {img_id} are '
                                 f'{masks.shape[1:]}, the image is {size}')
            sources.append((masks, np.asarray(entry['labels'], np.int64),
                            np.asarray(entry['scores'], np.float64)))
        masks, labels, scores = fuse_instances(sources, self.match_iou, self.min_agreement)
        return PseudoLabel.instances(masks, labels, scores, image_size=size)
