"""The score of a pseudo-label json against the GT instances of its (training) split."""
from typing import Dict, List, Optional, Tuple

import numpy as np
from mmengine.config import Config

from mmwsis.engine.pseudo_label import pseudo_instances, reference_dataset_cfg
from mmwsis.evaluation.functional import (DEFAULT_IOU_THRS, ImageInstances,
                                          coco_instance_ap, map_percent, voc_instance_ap)
from mmwsis.registry import DATASETS

Scores = Dict[str, Dict[str, float]]


def score_instances(images: List[ImageInstances], num_classes: int) -> Scores:
    """``{'voc' | 'coco': {'mAP25': ..., ...}}`` in %: chainercv's VOC mAP^r and
    pycocotools' COCOeval segm, at IoU 0.25 / 0.5 / 0.7 / 0.75."""
    out = {}
    for mode, evaluate in (('voc', voc_instance_ap), ('coco', coco_instance_ap)):
        out[mode] = map_percent(evaluate(images, num_classes, DEFAULT_IOU_THRS))
    return out


def labelled_images(cfg: Config, path: str,
                    num_images: Optional[int] = None) -> Tuple[int, List[ImageInstances]]:
    """The first ``num_images`` images of the split of ``path`` (written by ``cfg``'s
    ``pseudo_label`` run; all by default) that have GT instance masks, each with its pseudo
    labels (:func:`pseudo_instances`, matched by the json's ``source_id``), and the split's
    number of classes. Raises ``ValueError`` when the json lacks an image of the split or
    no image has GT masks."""
    reference = DATASETS.build(reference_dataset_cfg(cfg))
    predictions = pseudo_instances(path)
    count = len(reference) if num_images is None else min(num_images, len(reference))
    images, missing = [], []
    for index in range(count):
        info = reference.get_data_info(index)
        if not info.get('has_masks'):
            continue
        pred = predictions.get(str(info['img_id']))
        if pred is None:
            missing.append(str(info['img_id']))
            continue
        images.append(ImageInstances(
            pred_masks=pred['masks'], pred_labels=np.asarray(pred['labels'], np.int64),
            pred_scores=np.asarray(pred['scores'], np.float64),
            gt_masks=[g['mask'] for g in info['instances']],
            gt_labels=[g['bbox_label'] for g in info['instances']]))
    if missing:
        raise ValueError(f'{path} has no entry for {len(missing)} images of the split '
                         f'(first: {missing[0]}); was it written by this config\'s '
                         'pseudo_label run?')
    if not images:
        raise ValueError('no image of the pseudo-label split has GT instance masks')
    return len(reference.metainfo['classes']), images


def score_pseudo_json(cfg: Config, path: str,
                      num_images: Optional[int] = None) -> Tuple[int, Scores]:
    """Score ``path`` on the images of :func:`labelled_images`. Returns the number of
    images scored and :func:`score_instances`."""
    num_classes, images = labelled_images(cfg, path, num_images)
    return len(images), score_instances(images, num_classes)
