"""The papers' instance-segmentation metric as an mmengine metric."""
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger

from mmwsis.registry import METRICS
from ..functional import (DEFAULT_IOU_THRS, ImageInstances, coco_instance_ap,
                          encode_masks, map_percent, voc_instance_ap)


def format_ap_table(result: dict, classes: Sequence[str]) -> str:
    """Per-class AP (%) at each IoU threshold as a plain-text table."""
    thrs = [f'AP{int(round(t * 100))}' for t in result['iou_thrs']]
    header = f'{"class":<16}{"gt":>6}{"pred":>7}' + ''.join(f'{t:>8}' for t in thrs)
    rows = [header, '-' * len(header)]
    for k, name in enumerate(classes):
        aps = ''.join(f'{ap * 100:>8.1f}' for ap in result['ap'][:, k])
        rows.append(f'{name:<16}{result["num_gt"][k]:>6}{result["num_pred"][k]:>7}{aps}')
    rows.append('-' * len(header))
    rows.append(f'{"mean":<29}' + ''.join(f'{m * 100:>8.1f}' for m in result['map']))
    return '\n'.join(rows)


def sample_to_instances(data_sample: dict) -> ImageInstances:
    """Predictions and GT of one packed, predicted ``DetDataSample`` (as a dict)."""
    pred = data_sample['pred_instances']
    gt = data_sample['gt_instances']
    pred_masks = pred['masks'].cpu().numpy().astype(bool)
    gt_masks = gt['masks']
    gt_masks = gt_masks.to_ndarray() if hasattr(gt_masks, 'to_ndarray') else np.asarray(gt_masks)
    return ImageInstances(
        pred_masks=encode_masks(pred_masks),
        pred_labels=pred['labels'].cpu().numpy(),
        pred_scores=pred['scores'].cpu().numpy(),
        gt_masks=encode_masks(gt_masks.astype(bool)),
        gt_labels=gt['labels'].cpu().numpy())


@METRICS.register_module()
class InstanceMAPMetric(BaseMetric):
    """mAP^r at several mask-IoU thresholds (VOC: 0.25 / 0.5 / 0.7 / 0.75).

    ``mode='voc'`` is chainercv's ``eval_instance_segmentation_voc`` (IRNet, BESTIE);
    ``mode='coco'`` is COCOeval with the same thresholds (CIM). Masks are RLE-encoded as
    they arrive, so memory stays small. GT comes from the packed ``gt_instances`` of a
    ``supervision='mask'`` evaluation dataset.

    Returns ``{prefix}/mAP25`` ... and logs the per-class table.
    """

    default_prefix = 'ins'

    def __init__(self,
                 mode: str = 'voc',
                 iou_thrs: Sequence[float] = DEFAULT_IOU_THRS,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if mode not in ('voc', 'coco'):
            raise ValueError(f"mode must be 'voc' or 'coco', got {mode!r}")
        self.mode = mode
        self.iou_thrs = tuple(iou_thrs)

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            self.results.append(sample_to_instances(sample))

    def compute_metrics(self, results: List[ImageInstances]) -> Dict[str, float]:
        classes = self.dataset_meta['classes']
        evaluate = voc_instance_ap if self.mode == 'voc' else coco_instance_ap
        result = evaluate(results, len(classes), self.iou_thrs)
        MMLogger.get_current_instance().info(
            f'instance mAP ({self.mode} protocol, {len(results)} images)\n'
            + format_ap_table(result, classes))
        return map_percent(result)
