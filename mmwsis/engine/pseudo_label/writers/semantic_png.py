"""Semantic pseudo labels -> one PNG per image, scored against GT class maps."""
import json
import os
import os.path as osp
import shutil
from typing import Dict, List, Mapping

import numpy as np
from mmengine.logging import MMLogger
from PIL import Image

from mmwsis.evaluation.functional import confusion_matrix, iou_per_label
from mmwsis.pseudo import write_json_atomic
from mmwsis.registry import PSEUDO_LABEL_WRITERS
from ..result import PseudoLabel


@PSEUDO_LABEL_WRITERS.register_module(name='semantic')
class SemanticPngWriter:
    """Write ``<out_dir>/<name>/<img_id>.png`` (0 background, c+1 class c, 255 ignore).

    The folder is filled under ``<name>.tmp`` and renamed when complete. Where the dataset
    has GT class maps (``seg_map_path``), the maps are scored over the pixels they label
    (mIoU, pixel precision) and by the share of valid pixels they label (coverage); the
    scores go to ``<out_dir>/<name>_summary.json``.
    """

    def __init__(self, out_dir: str, name: str) -> None:
        self.out_dir, self.name = out_dir, name

    @property
    def output_path(self) -> str:
        return osp.join(self.out_dir, self.name)

    def write(self, dataset, infos: List[dict],
              labels: Mapping[str, PseudoLabel]) -> Dict[str, float]:
        num_labels = len(dataset.metainfo['classes']) + 1
        tmp_dir = self.output_path + '.tmp'
        shutil.rmtree(tmp_dir, ignore_errors=True)
        os.makedirs(tmp_dir)
        confusion, labelled, valid = None, 0, 0
        for info in infos:
            label_map = labels[str(info['img_id'])].label_map
            if label_map is None:
                raise ValueError(f'image {info["img_id"]}: a semantic labeler must return '
                                 'PseudoLabel.semantic(label_map)')
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
        MMLogger.get_current_instance().info(
            f'semantic pseudo labels written to {self.output_path} ({len(infos)} PNGs); '
            'against GT, over the pixels they label (mIoU, pixel precision) and the share '
            f'they label (coverage): {json.dumps(metrics)}')
        return metrics
