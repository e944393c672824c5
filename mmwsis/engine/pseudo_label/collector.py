"""The pseudo-label stage's collector: an mmengine metric over the teacher's test loop.

Each predicted sample goes to the method's labeler as it arrives; results are cached per
image (resumable). On rank 0, once every image is done, the labeler's dataset-level step
runs, the labels are filtered by image labels and score, overlaps are resolved, and the
output is written atomically: a COCO instances json (RLE masks, ``score`` per annotation)
or a folder of semantic PNGs. The labels are scored against GT where the dataset has it.
"""
import json
import os
import os.path as osp
import shutil
from collections import Counter
from typing import Dict, List, Optional, Sequence

import numpy as np
import pycocotools.mask as mask_utils
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger
from PIL import Image

from mmwsis.evaluation.functional import (ImageInstances, confusion_matrix, encode_masks,
                                          iou_per_label, voc_instance_ap)
from mmwsis.evaluation.metrics.instance_map import format_ap_table
from mmwsis.pseudo.coco_export import build_coco_json, write_json_atomic
from mmwsis.pseudo.overlap import resolve_overlaps
from mmwsis.registry import DATASETS, METRICS, PSEUDO_LABELERS
from mmwsis.utils.result_cache import ResultCache


def filter_instances(result: dict, allowed_labels: Sequence[int], score_thr: float,
                     resolve: bool, min_area: int) -> dict:
    """Keep instances of the image's own classes, above ``score_thr``, made disjoint.

    Args:
        result: ``masks`` (M, H, W) bool, ``labels`` (M,), ``scores`` (M,).
    """
    labels = np.asarray(result['labels'], dtype=np.int64)
    scores = np.asarray(result['scores'], dtype=np.float64)
    masks = np.asarray(result['masks'], dtype=bool)
    areas = masks.sum(axis=(1, 2))
    keep = np.isin(labels, list(allowed_labels)) & (scores >= score_thr) & (areas >= min_area)
    masks, labels, scores = masks[keep], labels[keep], scores[keep]
    if resolve and len(masks):
        masks, kept = resolve_overlaps(masks, scores, min_area=min_area)
        labels, scores = labels[kept], scores[kept]
    return dict(masks=masks, labels=labels, scores=scores)


def _decode(rles: List[dict], shape) -> np.ndarray:
    if not rles:
        return np.zeros((0, *shape), dtype=bool)
    return mask_utils.decode(list(rles)).transpose(2, 0, 1).astype(bool)


@METRICS.register_module()
class PseudoLabelCollector(BaseMetric):
    """Collect teacher outputs into pseudo labels; see the module docstring.

    Args:
        labeler: config of a registered pseudo-labeler (``PSEUDO_LABELERS``).
        dataset: the labelled split with ``supervision='mask'``: source of the image list,
            sizes, file names and image labels, and of GT for scoring (never shown to the
            teacher).
        out_dir: ``<out_dir>/<name>.json`` (instances) or ``<out_dir>/<name>/`` (semantic
            PNGs), ``<out_dir>/<name>_summary.json`` and ``<out_dir>/cache/<name>/``.
        name: output name, e.g. ``'train'``.
        score_thr: drop instances scored below it (CIM uses 0.3).
        resolve_overlaps: give each pixel to the highest-scoring instance covering it and
            drop instances left with under half their area (see ``resolve_overlaps``).
        restrict_to_image_labels: drop classes absent from the image's labels.
        min_area: drop instances smaller than this many pixels.
    """

    default_prefix = 'pseudo'

    def __init__(self,
                 labeler: dict,
                 dataset: dict,
                 out_dir: str,
                 name: str = 'train',
                 score_thr: float = 0.0,
                 resolve_overlaps: bool = True,
                 restrict_to_image_labels: bool = True,
                 min_area: int = 1,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.labeler = PSEUDO_LABELERS.build(labeler)
        self.dataset_cfg = dataset
        self.out_dir = out_dir
        self.name = name
        self.cache = ResultCache(osp.join(out_dir, 'cache', name))
        self.score_thr = score_thr
        self.resolve_overlaps = resolve_overlaps
        self.restrict_to_image_labels = restrict_to_image_labels
        self.min_area = min_area

    @property
    def output_path(self) -> str:
        if self.labeler.output == 'instances':
            return osp.join(self.out_dir, f'{self.name}.json')
        return osp.join(self.out_dir, self.name)

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            img_id = str(sample['img_id'])
            result = self.labeler.per_image(sample)
            if self.labeler.output == 'instances' and 'masks' in result:
                result = dict(result, masks=encode_masks(np.asarray(result['masks'], bool)))
            self.cache.put(img_id, result)
            self.results.append(img_id)

    def compute_metrics(self, results: List[str]) -> Dict[str, float]:
        logger = MMLogger.get_current_instance()
        dataset = DATASETS.build(self.dataset_cfg)
        infos = [dataset.get_data_info(i) for i in range(len(dataset))]
        img_ids = [str(info['img_id']) for info in infos]
        missing = self.cache.missing(img_ids)
        if missing:
            raise RuntimeError(f'{len(missing)} images have no cached teacher output in '
                               f'{self.cache.root} (e.g. {missing[:3]}); rerun to finish them')
        finalized = self.labeler.finalize({i: self.cache.get(i) for i in img_ids})
        if self.labeler.output == 'instances':
            return self._write_instances(dataset, infos, finalized, logger)
        return self._write_semantic(len(dataset.metainfo['classes']) + 1, infos, finalized,
                                    logger)

    def _write_instances(self, dataset, infos: List[dict], finalized: Dict[str, dict],
                         logger) -> Dict[str, float]:
        classes = tuple(dataset.metainfo['classes'])
        final, images, scored = {}, [], []
        for info in infos:
            img_id, shape = str(info['img_id']), (info['height'], info['width'])
            result = finalized[img_id]
            allowed = (info['image_labels'] if self.restrict_to_image_labels
                       else range(len(classes)))
            result = filter_instances(dict(result, masks=_decode(result['masks'], shape)),
                                      allowed, self.score_thr, self.resolve_overlaps,
                                      self.min_area)
            rles = encode_masks(result['masks'])
            final[img_id] = dict(masks=rles, labels=result['labels'], scores=result['scores'])
            images.append(dict(img_id=img_id, height=shape[0], width=shape[1],
                               file_name=osp.relpath(info['img_path'],
                                                     dataset.data_prefix['img'])))
            if info.get('has_masks'):
                gt = info['instances']
                scored.append(ImageInstances(
                    pred_masks=rles, pred_labels=result['labels'], pred_scores=result['scores'],
                    gt_masks=[g['mask'] for g in gt],
                    gt_labels=[g['bbox_label'] for g in gt]))
        write_json_atomic(build_coco_json(images, final, classes), self.output_path)

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
            metrics = {f'mAP{int(round(t * 100))}': float(m * 100)
                       for t, m in zip(ap['iou_thrs'], ap['map'])}
            lines.append(f'quality against GT on {len(scored)} images with instance masks '
                         '(voc protocol)\n' + format_ap_table(ap, classes))
        summary['metrics'] = metrics
        summary['scored_images'] = len(scored)
        write_json_atomic(summary, osp.join(self.out_dir, f'{self.name}_summary.json'))
        logger.info('\n'.join(lines))
        return metrics

    def _write_semantic(self, num_labels: int, infos: List[dict],
                        finalized: Dict[str, np.ndarray], logger) -> Dict[str, float]:
        tmp_dir = self.output_path + '.tmp'
        shutil.rmtree(tmp_dir, ignore_errors=True)
        os.makedirs(tmp_dir)
        confusion, labelled, valid = None, 0, 0
        for info in infos:
            label_map = np.asarray(finalized[str(info['img_id'])], dtype=np.uint8)
            Image.fromarray(label_map).save(osp.join(tmp_dir, f'{info["img_id"]}.png'))
            if info.get('seg_map_path'):
                gt = np.asarray(Image.open(info['seg_map_path']))
                matrix = confusion_matrix(label_map, gt, num_labels)
                confusion = matrix if confusion is None else confusion + matrix
                valid += int((gt != 255).sum())
                labelled += int(((gt != 255) & (label_map != 255)).sum())
        shutil.rmtree(self.output_path, ignore_errors=True)
        os.replace(tmp_dir, self.output_path)
        metrics = {}
        if confusion is not None:
            metrics = dict(mIoU=float(np.nanmean(iou_per_label(confusion)) * 100),
                           precision=float(np.trace(confusion) / max(confusion.sum(), 1) * 100),
                           coverage=float(labelled / max(valid, 1) * 100))
        write_json_atomic(dict(output=self.output_path, images=len(infos), metrics=metrics),
                          osp.join(self.out_dir, f'{self.name}_summary.json'))
        logger.info(f'semantic pseudo labels written to {self.output_path} '
                    f'({len(infos)} PNGs); against GT, over the pixels they label '
                    f'(mIoU, pixel precision) and the share they label (coverage): '
                    f'{json.dumps(metrics)}')
        return metrics
