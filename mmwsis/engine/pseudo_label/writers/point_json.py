"""Point pseudo labels -> one json of points per image, scored against GT instances."""
import os.path as osp
from typing import Dict, List, Mapping

from mmengine.logging import MMLogger

from mmwsis.evaluation.functional import decode_masks, score_points
from mmwsis.pseudo import write_json_atomic
from mmwsis.registry import PSEUDO_LABEL_WRITERS
from ..result import PseudoLabel


@PSEUDO_LABEL_WRITERS.register_module(name='points')
class PointJsonWriter:
    """Write ``<out_dir>/<name>.json``: ``{"classes": [...], "images": {img_id: {"points":
    [[x, y], ...], "labels": [...], "scores": [...]}}}`` for every image of the split,
    restricted to its image labels, best first; written atomically.

    Where GT instance masks exist, the points are scored (``point_precision``: points
    inside an instance of their class, one point per instance; ``point_recall``: instances
    hit) into ``<out_dir>/<name>_summary.json``. With ``score_thr`` > 0 (the threshold
    the point's user applies, e.g. BESTIE's 0.7 on PAM peaks), the points scoring above
    it are scored too (``point_precision@thr``, ``point_recall@thr``); all are written.
    """

    def __init__(self, out_dir: str, name: str, score_thr: float = 0.0) -> None:
        self.out_dir, self.name, self.score_thr = out_dir, name, score_thr

    @property
    def output_path(self) -> str:
        return osp.join(self.out_dir, f'{self.name}.json')

    def write(self, dataset, infos: List[dict],
              labels: Mapping[str, PseudoLabel]) -> Dict[str, float]:
        classes = list(dataset.metainfo['classes'])
        images, scored = {}, 0
        totals, kept_totals = [0, 0, 0, 0], [0, 0, 0, 0]
        for info in infos:
            img_id = str(info['img_id'])
            label = labels[img_id]
            if label.points is None:
                raise ValueError(f'image {img_id}: a point labeler must return '
                                 'PseudoLabel.point_set(points, labels, scores)')
            allowed = set(info['image_labels'])
            keep = [i for i, c in enumerate(label.labels) if c in allowed]
            keep.sort(key=lambda i: -label.scores[i])
            points, point_labels = label.points[keep], label.labels[keep]
            images[img_id] = dict(points=points.tolist(), labels=point_labels.tolist(),
                                  scores=label.scores[keep].tolist())
            if info.get('has_masks'):
                gt = info['instances']
                masks = decode_masks([g['mask'] for g in gt], (info['height'], info['width']))
                gt_labels = [g['bbox_label'] for g in gt]
                counts = score_points(points, point_labels, masks, gt_labels)
                totals = [t + c for t, c in zip(totals, counts)]
                above = label.scores[keep] > self.score_thr
                counts = score_points(points[above], point_labels[above], masks, gt_labels)
                kept_totals = [t + c for t, c in zip(kept_totals, counts)]
                scored += 1
        write_json_atomic(dict(classes=classes, images=images), self.output_path)
        metrics = {}
        if scored:
            metrics = _precision_recall(totals, '')
            if self.score_thr > 0:
                metrics.update(_precision_recall(kept_totals, f'@{self.score_thr:g}'))
        num = sum(len(item['points']) for item in images.values())
        write_json_atomic(dict(output=self.output_path, images=len(infos), points=num,
                               metrics=metrics, scored_images=scored),
                          osp.join(self.out_dir, f'{self.name}_summary.json'))
        MMLogger.get_current_instance().info(
            f'point pseudo labels written to {self.output_path}: {num} points on '
            f'{len(infos)} images' + (
                f'; on {scored} images with GT instances, precision '
                f'{metrics["point_precision"]:.1f} %, recall {metrics["point_recall"]:.1f} %'
                if scored else '') + (
                f'; above {self.score_thr:g}: precision '
                f'{metrics[f"point_precision@{self.score_thr:g}"]:.1f} %, recall '
                f'{metrics[f"point_recall@{self.score_thr:g}"]:.1f} %'
                if scored and self.score_thr > 0 else ''))
        return metrics


def _precision_recall(totals: List[int], suffix: str) -> Dict[str, float]:
    """``(right, points, hit, instances)`` -> point precision and recall (%)."""
    right, num_points, hit, num_instances = totals
    return {f'point_precision{suffix}': 100.0 * right / max(num_points, 1),
            f'point_recall{suffix}': 100.0 * hit / max(num_instances, 1)}
