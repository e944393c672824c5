"""What CIM's network reads of each image's proposals besides their boxes."""
import os.path as osp
from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform

from mmwsis.pseudo import (box_cropped_masks, overlaps_from_atoms, pack_atoms, proposal_atoms,
                           proposal_clusters, unpack_atoms)
from mmwsis.registry import TRANSFORMS
from mmwsis.utils import ResultCache
from .proposals import LoadProposals


@TRANSFORMS.register_module()
class LoadProposalsWithRelations(LoadProposals):
    """:class:`LoadProposals`, plus how the proposals relate: computed once, cached.

    Adds ``proposal_iou`` and ``proposal_containment`` (R, R) float16
    (:func:`~mmwsis.pseudo.overlaps_from_atoms`) and ``proposal_box_masks`` (R, s, s)
    uint8 (:func:`~mmwsis.pseudo.box_cropped_masks`). The cache, beside the proposals in
    ``<store root>/relations_s<s>_top<max_proposals>/<img_id>.pkl``, holds the box masks
    and the proposals' atoms (:func:`~mmwsis.pseudo.proposal_atoms`), not the R x R maps:
    the maps are rebuilt from the atoms on every load (one sparse product), exactly,
    so that COB's 4,096 proposals cache a few MiB per image instead of 2 x 32 MiB. All
    are in the original frame: overlaps do not change under resizing or flipping; a
    horizontally flipped image's box masks are flipped by the model (``flip`` in the
    metainfo). Add the three keys to ``PackWeakInputs``' ``meta_keys``.

    Args:
        store, max_proposals: as :class:`LoadProposals`.
        box_mask_size: s (7, CIM's RoI size).
    """

    def __init__(self, store: dict, max_proposals: Optional[int] = None,
                 box_mask_size: int = 7) -> None:
        super().__init__(store, max_proposals)
        self.box_mask_size = box_mask_size

    def transform(self, results: dict) -> dict:
        results = super().transform(results)
        store = self.store(results.get('data_root') or '')
        top = 'all' if self.max_proposals is None else self.max_proposals
        cache = ResultCache(osp.join(store.root, f'relations_s{self.box_mask_size}_top{top}'))
        img_id = osp.splitext(osp.basename(results['img_path']))[0] \
            if results.get('img_id') is None else str(results['img_id'])
        num = len(results['proposal_masks'])
        relations = cache.get(img_id) if cache.has(img_id) else None
        if relations is None or len(relations['box_masks']) != num \
                or 'atom_areas' not in relations:
            relations = dict(
                **pack_atoms(*proposal_atoms(results['proposal_masks'])),
                box_masks=box_cropped_masks(results['proposal_masks'], results['proposals'],
                                            self.box_mask_size).astype(np.uint8))
            cache.put(img_id, relations)
        iou, containment = overlaps_from_atoms(*unpack_atoms(relations))
        results['proposal_iou'] = iou.astype(np.float16)
        results['proposal_containment'] = containment.astype(np.float16)
        results['proposal_box_masks'] = relations['box_masks']
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(store={self.store_cfg!r}, '
                f'max_proposals={self.max_proposals}, box_mask_size={self.box_mask_size})')


@TRANSFORMS.register_module()
class AssignProposalClusters(BaseTransform):
    """Group the proposals around the image's points (:func:`~mmwsis.pseudo.proposal_clusters`).

    Adds ``proposal_clusters`` (R, C + 1) int32 (add it to ``PackWeakInputs``'
    ``meta_keys``). Place it after :class:`LoadProposalsWithRelations`, before any
    geometric transform: points and proposals are in the original frame.

    Args:
        num_classes: C.
        points: ``'pseudo_points'``, a point teacher's output (the dataset's
            ``pseudo_points_file``: PRM peaks, for image labels), ``'instance_points'``,
            the point-supervision view's own points (one per instance, score 1), or
            ``'auto'`` (default): the instance points where the sample's ``supervision``
            is ``'point'``, else the pseudo points, so that one pipeline serves CIM and
            CIM-P.
        cover_thr, fg_iou: as :func:`~mmwsis.pseudo.proposal_clusters` (0.7, 0.5: CIM's).
    """

    def __init__(self, num_classes: int, points: str = 'auto',
                 cover_thr: float = 0.7, fg_iou: float = 0.5) -> None:
        if points not in ('auto', 'pseudo_points', 'instance_points'):
            raise ValueError(f"points must be 'auto', 'pseudo_points' or 'instance_points', "
                             f'got {points!r}')
        self.num_classes, self.points = num_classes, points
        self.cover_thr, self.fg_iou = cover_thr, fg_iou

    def transform(self, results: dict) -> dict:
        points = self.points
        if points == 'auto':
            points = ('instance_points' if results.get('supervision') == 'point'
                      else 'pseudo_points')
        if points == 'pseudo_points':
            if 'pseudo_points' not in results:
                raise KeyError(f'{results.get("img_path")}: no pseudo_points; set the '
                               "dataset's pseudo_points_file to the point teacher's json")
            entry = results['pseudo_points']
            xy = np.asarray(entry['points'], dtype=np.float64).reshape(-1, 2)
            labels, scores = np.asarray(entry['labels']), np.asarray(entry['scores'])
        else:
            instances = [i for i in results.get('instances', []) if 'point' in i]
            xy = np.asarray([i['point'] for i in instances], dtype=np.float64).reshape(-1, 2)
            labels = np.asarray([i['bbox_label'] for i in instances], dtype=np.int64)
            scores = np.ones(len(instances))
        yx = np.round(xy[:, ::-1]).astype(np.int64)
        results['proposal_clusters'] = proposal_clusters(
            results['proposal_masks'], yx, labels, scores, self.num_classes,
            self.cover_thr, self.fg_iou)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(num_classes={self.num_classes}, '
                f'points={self.points!r}, cover_thr={self.cover_thr}, fg_iou={self.fg_iou})')
