"""Semantic mIoU of CAMs against GT class maps: how good a CAM teacher is."""
from typing import Dict, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger

from mmwsis.registry import METRICS
from ..functional import confusion_matrix, iou_per_label


@METRICS.register_module()
class CAMMIoUMetric(BaseMetric):
    """mIoU (background included) of ``argmax([bg_threshold, CAMs])`` against GT.

    Each sample needs ``cams_full`` (K, H, W) with ``cam_labels`` (K,) from the teacher's
    ``predict`` and ``gt_sem_seg`` (0 background, c+1 class c, 255 void). IRNet reports it
    on VOC train with ``bg_threshold=0.15``; several thresholds can be given, the first is
    the headline.
    """

    default_prefix = 'cam'

    def __init__(self, bg_thresholds: Sequence[float] = (0.15, ), **kwargs) -> None:
        super().__init__(**kwargs)
        self.bg_thresholds = tuple(bg_thresholds)

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        num_labels = len(self.dataset_meta['classes']) + 1
        for sample in data_samples:
            if 'gt_sem_seg' not in sample:
                continue
            cams = sample['cams_full'].cpu().numpy()
            keys = np.concatenate([[0], sample['cam_labels'].cpu().numpy() + 1])
            gt = sample['gt_sem_seg']['sem_seg'][0].cpu().numpy()
            self.results.append(np.stack([
                confusion_matrix(keys[np.concatenate(
                    [np.full((1, *cams.shape[1:]), t), cams]).argmax(0)], gt, num_labels)
                for t in self.bg_thresholds]))

    def compute_metrics(self, results: list) -> Dict[str, float]:
        if not results:
            MMLogger.get_current_instance().warning(
                'CAM mIoU not measured: the evaluated images have no GT class maps')
            return {}
        confusion = np.sum(results, axis=0)
        miou = [float(np.nanmean(iou_per_label(c)) * 100) for c in confusion]
        MMLogger.get_current_instance().info('CAM mIoU by background threshold: ' + ', '.join(
            f'{t:.2f}: {m:.1f}' for t, m in zip(self.bg_thresholds, miou)))
        return dict(mIoU=miou[0], **{f'mIoU@{t:.2f}': m for t, m in zip(self.bg_thresholds, miou)})
