"""Loading of per-image segment proposals (LIID's input) into the data pipeline."""
import os.path as osp
from typing import Dict, Optional

from mmcv.transforms import BaseTransform

from mmwsis.proposals import ProposalStore
from mmwsis.registry import TRANSFORMS


@TRANSFORMS.register_module()
class LoadProposals(BaseTransform):
    """Add an image's segment proposals from a :class:`~mmwsis.proposals.ProposalStore`.

    Adds ``proposals`` (N, 4) float32 ``x1, y1, x2, y2`` boxes and ``proposals_scores``
    (N,) float32 (mmdet's names: ``PackDetInputs`` / ``PackWeakInputs`` pack them as
    ``data_samples.proposals``), and ``proposal_masks``: the N RLEs (add the key to the
    packer's ``meta_keys`` to carry them). The image is keyed by ``img_id`` (its file
    stem when absent); proposals are computed and cached on first use. Relative store
    paths (``root``, ``source_dir``) are under the dataset's ``data_root``, so a config's
    proposals follow its data.

    Place it right after ``LoadImageFromFile``, before any geometric transform. mmdet
    3.3.0's ``Resize`` / ``RandomFlip`` move ``gt_bboxes`` only, not ``proposals``: wrap
    them in mmdet's ``ProposalBroadcaster`` (``dict(type='mmdet.ProposalBroadcaster',
    transforms=[dict(type='mmdet.Resize', ...), dict(type='mmdet.RandomFlip', ...)])``),
    which replays them, with the same random draws, on the proposals. ``proposal_masks``
    stay in the original image frame (``ori_shape``): transform them, or paste results
    back, with ``scale_factor`` / ``flip`` / ``homography_matrix``.

    Args:
        store: :class:`~mmwsis.proposals.ProposalStore` arguments (``root``,
            ``source``, ``source_dir``, ``max_proposals``).
        max_proposals: keep only the first this many (all of the store's by default).
    """

    def __init__(self, store: dict, max_proposals: Optional[int] = None) -> None:
        self.store_cfg = dict(store)
        self.max_proposals = max_proposals
        self._stores: Dict[str, ProposalStore] = {}

    def store(self, data_root: str) -> ProposalStore:
        """The store of images under ``data_root`` (relative paths resolved there)."""
        if data_root not in self._stores:
            cfg = dict(self.store_cfg)
            for key in ('root', 'source_dir'):
                if cfg.get(key) and not osp.isabs(cfg[key]):
                    cfg[key] = osp.join(data_root, cfg[key])
            self._stores[data_root] = ProposalStore(**cfg)
        return self._stores[data_root]

    def transform(self, results: dict) -> dict:
        img_path = results['img_path']
        img_id = results.get('img_id')
        img_id = osp.splitext(osp.basename(img_path))[0] if img_id is None else str(img_id)
        store = self.store(results.get('data_root') or '')
        proposals = store.get(img_id, img_path).top(self.max_proposals)
        results['proposals'] = proposals.boxes
        results['proposals_scores'] = proposals.scores
        results['proposal_masks'] = proposals.masks
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(store={self.store_cfg!r}, '
                f'max_proposals={self.max_proposals})')
