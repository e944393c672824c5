"""Packing that carries image-level labels and points, and refuses stronger labels."""
import numpy as np
import torch
from mmdet.datasets.transforms import PackDetInputs

from mmwsis.registry import TRANSFORMS
from ..weak_labels import check_supervision

# Result keys that carry a label of each kind; an ``image`` sample may hold none of them.
STRONG_KEYS = {
    'point': ('gt_points',),
    'box': ('gt_bboxes',),
    'mask': ('gt_masks',),
}
ALLOWED = {
    'image': (),
    'point': ('point',),
    'box': ('box',),
    'mask': ('box', 'mask'),
}


@TRANSFORMS.register_module()
class PackWeakInputs(PackDetInputs):
    """``PackDetInputs`` for weak supervision.

    Adds ``image_labels`` (sorted 0-based class ids) and ``supervision`` to the metainfo,
    ``gt_points`` (N, 2) ``[x, y]`` to ``gt_instances.points`` and
    ``gt_instance_scores`` (N,) to ``gt_instances.scores``. Raises if the results
    hold a label stronger than the sample's declared ``supervision``: a second lock behind
    the dataset's own filtering.
    """

    def __init__(self, meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape',
                                  'scale_factor', 'flip', 'flip_direction',
                                  'image_labels', 'supervision')) -> None:
        super().__init__(meta_keys=meta_keys)

    def transform(self, results: dict) -> dict:
        supervision = check_supervision(results.get('supervision', 'mask'))
        for level, keys in STRONG_KEYS.items():
            present = [k for k in keys if k in results]
            if present and level not in ALLOWED[supervision]:
                raise RuntimeError(
                    f'{results.get("img_path")}: {present} reached the pipeline of a dataset '
                    f'declared supervision={supervision!r}; remove the transform that '
                    'loads them')
        if 'gt_points' in results:
            frame = (results['img'].shape[:2], bool(results.get('flip')))
            if frame != results['points_frame']:
                raise RuntimeError(
                    f'{results.get("img_path")}: the image was resized, cropped or flipped '
                    'after LoadPointAnnotations, which does not move points; load points last')
        packed = super().transform(results)
        if 'gt_instance_scores' in results:
            scores = np.asarray(results['gt_instance_scores'], dtype=np.float32)
            if len(scores) != len(results['gt_bboxes']):
                raise RuntimeError(
                    f'{results.get("img_path")}: {len(scores)} instance scores for '
                    f'{len(results["gt_bboxes"])} boxes; a transform dropped instances after '
                    'LoadInstanceScores, which only LoadAnnotations-aligned pipelines support')
            valid = ~np.asarray(results.get('gt_ignore_flags', np.zeros(len(scores), bool)))
            packed['data_samples'].gt_instances.scores = torch.as_tensor(scores[valid])
        if 'gt_points' in results:
            points = torch.as_tensor(np.asarray(results['gt_points'], dtype=np.float32))
            packed['data_samples'].gt_instances.points = points.reshape(-1, 2)
        return packed


@TRANSFORMS.register_module()
class LoadPointAnnotations:
    """Read point labels of a ``point``-supervised sample.

    Adds ``gt_points`` (N, 2) float32 ``[x, y]`` and ``gt_bboxes_labels`` (N,) int64.
    mmdet's geometric transforms do not move points, so it records the image shape it saw
    and :class:`PackWeakInputs` refuses a sample whose image changed shape or was flipped
    afterwards instead of packing misplaced points.
    """

    def __call__(self, results: dict) -> dict:
        results['points_frame'] = (results['img'].shape[:2], bool(results.get('flip')))
        instances = results.get('instances', [])
        results['gt_points'] = np.array([inst['point'] for inst in instances],
                                        dtype=np.float32).reshape(-1, 2)
        results['gt_bboxes_labels'] = np.array([inst['bbox_label'] for inst in instances],
                                               dtype=np.int64)
        return results
