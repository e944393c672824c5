"""Loading of labels that weak-supervision pipelines derive (not ground truth), and of the
class-agnostic saliency masks of other images that BoxCaseg trains on."""
import os.path as osp

import numpy as np
from PIL import Image

from mmwsis.registry import TRANSFORMS


@TRANSFORMS.register_module()
class LoadPseudoSegMap:
    """Read ``results['pseudo_seg_path']`` (a PNG of label indices) into ``gt_seg_map``.

    The map is a pseudo label made from weak labels (IRNet's relation labels: 0
    background, c+1 class c, 255 ignore), so mmdet's geometric transforms and packing
    treat it as a segmentation target.
    """

    def __call__(self, results: dict) -> dict:
        path = results.get('pseudo_seg_path')
        if path is None:
            raise KeyError('LoadPseudoSegMap needs the dataset argument `pseudo_seg_dir`')
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'pseudo label map {path} does not exist: run the teacher that makes them '
                '(e.g. `python tools/pipeline.py configs/irn/irn_synthetic.py`) or point '
                '`pseudo_seg_dir` at their folder')
        results['gt_seg_map'] = np.asarray(Image.open(path), dtype=np.uint8)
        return results


@TRANSFORMS.register_module()
class LoadInstanceScores:
    """``gt_instance_scores`` (N,) float32: the confidence of each (pseudo) instance.

    Aligned with mmdet's ``LoadAnnotations`` outputs (one entry per instance, 1.0 where
    the annotation has no ``score``); :class:`PackWeakInputs` packs it as
    ``gt_instances.scores`` and checks the alignment survived the transforms.
    """

    def __call__(self, results: dict) -> dict:
        results['gt_instance_scores'] = np.array(
            [inst.get('score', 1.0) for inst in results.get('instances', [])], dtype=np.float32)
        return results


@TRANSFORMS.register_module()
class LoadSaliencyMask:
    """``results['saliency_path']`` -> ``gt_seg_map`` (H, W) uint8, 1 where the mask is
    above 127 (the object), 0 elsewhere."""

    def __call__(self, results: dict) -> dict:
        mask = np.asarray(Image.open(results['saliency_path']).convert('L'))
        if mask.shape != results['img'].shape[:2]:
            raise ValueError(f'{results["saliency_path"]}: mask {mask.shape} and image '
                             f'{results["img"].shape[:2]} differ in size')
        results['gt_seg_map'] = (mask > 127).astype(np.uint8)
        return results
