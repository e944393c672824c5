"""Points carried through mmdet's geometric transforms by their homography."""
from typing import Tuple

import numpy as np

from mmwsis.registry import TRANSFORMS


def project_points(points: np.ndarray, homography: np.ndarray,
                   shape: Tuple[int, int]) -> Tuple[np.ndarray, np.ndarray]:
    """Pixel points of the original image in the transformed one.

    Points are pixel indices (pixel centres at integers); mmdet's homographies act on
    continuous coordinates (pixel edges at integers), so a point goes in at ``+0.5`` and
    comes out at ``-0.5``.

    Args:
        points: (P, 2) ``x, y`` in the original image.
        homography: (3, 3) mmdet's ``homography_matrix`` (resize, crop, flip, ...).
        shape: (H, W) of the transformed image.

    Returns:
        ``(points, inside)``: (P, 2) float32 transformed ``x, y`` and (P,) bool, those
        that land inside the transformed image.
    """
    points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    ones = np.ones((len(points), 1))
    moved = np.concatenate([points + 0.5, ones], axis=1) @ np.asarray(homography).T
    moved = moved[:, :2] / moved[:, 2:] - 0.5
    height, width = shape
    inside = ((moved[:, 0] >= -0.5) & (moved[:, 0] < width - 0.5)
              & (moved[:, 1] >= -0.5) & (moved[:, 1] < height - 0.5))
    return moved.astype(np.float32), inside


@TRANSFORMS.register_module()
class LoadProjectedPoints:
    """Points of the original image, moved by the geometric transforms run so far.

    Put it after mmdet's ``Resize`` / ``RandomResize`` / ``RandomCrop`` / ``RandomFlip``
    (they record ``homography_matrix``); points that leave the image are dropped.

    - ``source='instances'`` (point supervision): the weak view's clicked points
      (``instances[*].point`` and ``bbox_label``) -> ``gt_points`` (N, 2) ``x, y`` and
      ``gt_bboxes_labels`` (N,), packed by :class:`PackWeakInputs` as
      ``gt_instances.points`` / ``labels``.
    - ``source='pseudo_points'`` (image labels): a point teacher's output (the dataset's
      ``pseudo_points_file``, e.g. BESTIE's PAM peaks) with score ``> min_score`` ->
      ``pseudo_points`` (P, 2) and ``pseudo_point_labels`` (P,), for ``meta_keys``. They
      are the teacher's guesses, not labels, so an image-label pipeline may carry them.

    Args:
        source: ``'instances'`` or ``'pseudo_points'``.
        min_score: pseudo points must score more than this (BESTIE keeps PAM peaks
            > 0.7); unused for ``'instances'``.
    """

    def __init__(self, source: str = 'instances', min_score: float = 0.0) -> None:
        if source not in ('instances', 'pseudo_points'):
            raise ValueError(f"source must be 'instances' or 'pseudo_points', got {source!r}")
        self.source, self.min_score = source, min_score

    def __call__(self, results: dict) -> dict:
        if self.source == 'instances':
            instances = results.get('instances', [])
            points = [inst['point'] for inst in instances]
            labels = [inst['bbox_label'] for inst in instances]
        else:
            entry = results.get('pseudo_points')
            if entry is None:
                raise KeyError(f'{results.get("img_path")}: LoadProjectedPoints('
                               "source='pseudo_points') needs the dataset argument "
                               '`pseudo_points_file`')
            keep = np.asarray(entry.get('scores', []), dtype=np.float64) > self.min_score
            points = np.asarray(entry['points'], dtype=np.float64).reshape(-1, 2)[keep]
            labels = np.asarray(entry['labels'], dtype=np.int64)[keep]
        homography = results.get('homography_matrix')
        homography = np.eye(3) if homography is None else homography
        moved, inside = project_points(np.asarray(points), homography,
                                       results['img'].shape[:2])
        labels = np.asarray(labels, dtype=np.int64).reshape(-1)[inside]
        if self.source == 'instances':
            results['points_frame'] = (results['img'].shape[:2], bool(results.get('flip')))
            results['gt_points'], results['gt_bboxes_labels'] = moved[inside], labels
        else:
            results['pseudo_points'], results['pseudo_point_labels'] = moved[inside], labels
        return results
