"""What a pipeline run reports: the metrics of each stage, as its evaluator names them."""
import json
import os
import os.path as osp
from typing import Dict, List, Sequence, Tuple

# (column, scalar key, scale to %) per evaluator type.
VOC_THRESHOLDS = (0.25, 0.5, 0.7, 0.75)


def evaluator_keys(evaluator) -> List[Tuple[str, str, float]]:
    """``(column, logged scalar key, factor to %)`` for what an evaluator config reports.

    ``InstanceMAPMetric`` logs ``<prefix>/mAP25`` ... in %, mmdet's ``CocoMetric`` logs
    ``coco/segm_mAP``, ``_50``, ``_75`` (segm first, else bbox) in [0, 1].
    """
    metrics = evaluator.get('metrics', evaluator) if isinstance(evaluator, dict) else evaluator
    keys = []
    for metric in metrics if isinstance(metrics, list) else [metrics]:
        kind = str(metric['type']).split('.')[-1]
        if kind == 'InstanceMAPMetric':
            prefix = metric.get('prefix') or 'ins'
            for t in metric.get('iou_thrs', VOC_THRESHOLDS):
                name = f'mAP{int(round(t * 100))}'
                keys.append((name, f'{prefix}/{name}', 1.0))
        elif kind == 'CocoMetric':
            prefix = metric.get('prefix') or 'coco'
            names = metric.get('metric', 'bbox')
            names = [names] if isinstance(names, str) else list(names)
            iou = 'segm' if 'segm' in names else names[0]
            keys += [(f'{iou} AP', f'{prefix}/{iou}_mAP', 100.0),
                     (f'{iou} AP50', f'{prefix}/{iou}_mAP_50', 100.0),
                     (f'{iou} AP75', f'{prefix}/{iou}_mAP_75', 100.0)]
        else:
            raise KeyError(f'the pipeline does not know what {metric["type"]} logs; '
                           'report InstanceMAPMetric or mmdet.CocoMetric')
    return keys


def last_scalars(work_dir: str, prefix: str = '') -> Dict[str, float]:
    """The last logged value of every scalar of the newest run in ``work_dir`` that logged
    a scalar starting with ``prefix`` (a training run and the pseudo-label run of its
    checkpoint share a work dir and log different scalars)."""
    if not osp.isdir(work_dir):
        return {}
    runs = sorted(d for d in os.listdir(work_dir)
                  if osp.isfile(osp.join(work_dir, d, 'vis_data', 'scalars.json')))
    for run in reversed(runs):
        values: Dict[str, float] = {}
        with open(osp.join(work_dir, run, 'vis_data', 'scalars.json')) as f:
            for line in f:
                values.update(json.loads(line))
        if any(key.startswith(prefix) for key in values):
            return values
    return {}


def metric_table(columns: Sequence[str], rows: Sequence[Tuple[str, Dict[str, float]]]) -> str:
    """A markdown table of ``rows`` (name, {column: value in %}); missing values ``-``."""
    width = max([len(name) for name, _ in rows] + [10])
    lines = [f'| {"":<{width}} |' + ''.join(f' {c:>8} |' for c in columns),
             f'|{"-" * (width + 2)}|' + '---------:|' * len(columns)]
    for name, values in rows:
        cells = ''.join(f' {values[c]:>8.1f} |' if values.get(c) is not None else f' {"-":>8} |'
                        for c in columns)
        lines.append(f'| {name:<{width}} |' + cells)
    return '\n'.join(lines)
