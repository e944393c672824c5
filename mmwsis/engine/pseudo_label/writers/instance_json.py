"""Instance pseudo labels -> one COCO json (RLE masks, ``score``), scored against GT."""
import os.path as osp
from collections import Counter
from typing import Dict, List, Mapping

import numpy as np
from mmengine.logging import MMLogger

from mmwsis.evaluation.functional import (ImageInstances, decode_masks, encode_masks,
                                          instance_miou, map_percent, voc_instance_ap)
from mmwsis.evaluation.metrics.instance_map import format_ap_table
from mmwsis.pseudo import build_coco_json, filter_instances, write_json_atomic
from mmwsis.registry import PSEUDO_LABEL_WRITERS
from ..result import PseudoLabel


@PSEUDO_LABEL_WRITERS.register_module(name='instances')
class InstanceJsonWriter:
    """Write ``<out_dir>/<name>.json`` and ``<out_dir>/<name>_summary.json``.

    Each image's instances are first made a training target
    (:func:`~mmwsis.pseudo.filter_instances`): its own classes, ``score >= score_thr``,
    disjoint (each pixel to the highest-scoring instance, instances left with under half
    their area dropped), at least ``min_area`` pixels. The json lists every image of the
    split, in order, with ``source_id`` = its ``img_id`` and ``file_name`` relative to the
    dataset's image folder; it is written atomically. Images with GT instance masks score
    the labels (mAP^r, VOC protocol, and the GT instances' mean IoU with their best mask,
    :func:`~mmwsis.evaluation.functional.instance_miou`); the summary holds the counts and
    those scores.

    Args:
        out_dir, name: where to write.
        score_thr, resolve_overlaps, restrict_to_image_labels, min_area: the filter.
    """

    def __init__(self, out_dir: str, name: str, score_thr: float = 0.0,
                 resolve_overlaps: bool = True, restrict_to_image_labels: bool = True,
                 min_area: int = 1) -> None:
        self.out_dir, self.name = out_dir, name
        self.score_thr = score_thr
        self.resolve_overlaps = resolve_overlaps
        self.restrict_to_image_labels = restrict_to_image_labels
        self.min_area = min_area

    @property
    def output_path(self) -> str:
        return osp.join(self.out_dir, f'{self.name}.json')

    def write(self, dataset, infos: List[dict],
              labels: Mapping[str, PseudoLabel]) -> Dict[str, float]:
        """Filter, write and score every image of ``infos``; return the mAP^r metrics."""
        classes = tuple(dataset.metainfo['classes'])
        final, images, scored = {}, [], []
        for info in infos:
            img_id, shape = str(info['img_id']), (info['height'], info['width'])
            label = labels[img_id]
            allowed = (info['image_labels'] if self.restrict_to_image_labels
                       else range(len(classes)))
            masks, kept_labels, scores = filter_instances(
                decode_masks(label.masks, shape), label.labels, label.scores, allowed,
                self.score_thr, self.resolve_overlaps, self.min_area)
            rles = encode_masks(masks)
            final[img_id] = dict(masks=rles, labels=kept_labels, scores=scores)
            images.append(dict(img_id=img_id, height=shape[0], width=shape[1],
                               file_name=osp.relpath(info['img_path'],
                                                     dataset.data_prefix['img'])))
            if info.get('has_masks'):
                gt = info['instances']
                scored.append(ImageInstances(
                    pred_masks=rles, pred_labels=kept_labels, pred_scores=scores,
                    gt_masks=[g['mask'] for g in gt], gt_labels=[g['bbox_label'] for g in gt]))
        write_json_atomic(build_coco_json(images, final, classes), self.output_path)
        return self._summarise(classes, infos, final, scored)

    def _summarise(self, classes, infos, final: dict, scored: list) -> Dict[str, float]:
        counts = Counter(int(label) for item in final.values() for label in item['labels'])
        per_image = [len(item['labels']) for item in final.values()]
        summary = dict(output=self.output_path, images=len(infos),
                       instances=int(sum(per_image)),
                       instances_per_image=float(np.mean(per_image)) if per_image else 0.0,
                       empty_images=int(sum(n == 0 for n in per_image)),
                       per_class={classes[k]: counts.get(k, 0) for k in range(len(classes))})
        lines = [f'pseudo labels written to {self.output_path}: {summary["instances"]} '
                 f'instances on {len(infos)} images ({summary["instances_per_image"]:.2f} per '
                 f'image, {summary["empty_images"]} empty)',
                 'per class: ' + ', '.join(f'{k} {v}' for k, v in summary['per_class'].items())]
        metrics = {}
        if scored:
            ap = voc_instance_ap(scored, len(classes))
            metrics = map_percent(ap)
            summary['instance_mIoU'] = 100 * instance_miou(scored)
            lines.append(f'quality against GT on {len(scored)} images with instance masks '
                         '(voc protocol)\n' + format_ap_table(ap, classes) +
                         f'\nGT instances\' mIoU with their best mask: '
                         f'{summary["instance_mIoU"]:.1f}')
        summary['metrics'] = metrics
        summary['scored_images'] = len(scored)
        write_json_atomic(summary, osp.join(self.out_dir, f'{self.name}_summary.json'))
        MMLogger.get_current_instance().info('\n'.join(lines))
        return metrics
