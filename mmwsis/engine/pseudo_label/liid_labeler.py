"""LIID's dataset-level labeler: one proposal graph over the whole split, one multiway cut."""
from typing import Dict, Optional

import numpy as np
from mmengine.logging import MMLogger

from mmwsis.pseudo.liid_graph import build_liid_graph
from mmwsis.pseudo.multiway_cut import multiway_cut
from mmwsis.registry import PSEUDO_LABELERS
from .labelers import _numpy


@PSEUDO_LABELERS.register_module()
class LIIDCutLabeler:
    """Instances from :class:`~mmwsis.models.teachers.MILProposalNet` outputs (SEEDS §1).

    ``per_image`` caches a sample's ``proposal_probs`` (R, C+1) float32 (already
    multiplied by the image labels), ``proposal_feats`` (R, D) stored as float16 (half
    the disk; cosine neighbours do not need more), the proposals' RLE ``proposal_masks``
    (metainfo; they carry the image size), their objectness ``proposals.scores`` (R,)
    (from the proposal source, computed from the image alone) and its ``image_labels``.
    ``finalize`` builds the graph over every proposal of the split
    (:func:`~mmwsis.pseudo.liid_graph.build_liid_graph`), cuts it
    (:func:`~mmwsis.pseudo.multiway_cut.multiway_cut`), logs the cut's statistics and
    returns, per image, the proposals whose terminal is a foreground class of that image:
    label = terminal - 1, and a score. LIID keeps every such proposal unscored; the score
    decides which of overlapping proposals the collector's overlap rule keeps:

    - ``score='cls_x_objectness'`` (default): the proposal's probability of its class
      times its objectness, so that a whole object beats its parts and the clutter the
      classifier also calls an object;
    - ``score='cls'``: the probability alone.

    Args:
        graph: keyword arguments of ``build_liid_graph`` (``k``,
            ``single_terminal_threshold``, ``top_classes``, ``min_weight``,
            ``neighbour_rule``).
        cut: keyword arguments of ``multiway_cut`` (``num_workers``, ``time_limit``,
            ``max_ilp_nodes``, ...).
        score: ``'cls_x_objectness'`` or ``'cls'``, see above.
    """

    output = 'instances'
    scores = ('cls_x_objectness', 'cls')

    def __init__(self, graph: Optional[dict] = None, cut: Optional[dict] = None,
                 score: str = 'cls_x_objectness') -> None:
        if score not in self.scores:
            raise ValueError(f'score must be one of {self.scores}, got {score!r}')
        self.graph_kwargs = dict(graph or {})
        self.cut_kwargs = dict(cut or {})
        self.score = score

    def per_image(self, sample: dict) -> dict:
        probs = _numpy(sample['proposal_probs']).astype(np.float32)
        masks = list(sample['proposal_masks'])
        if len(masks) != len(probs):
            raise ValueError(f'{sample.get("img_path")}: {len(probs)} scored proposals but '
                             f'{len(masks)} proposal masks')
        objectness = _numpy(sample['proposals']['scores']).astype(np.float32)
        if len(objectness) != len(probs):
            raise ValueError(f'{sample.get("img_path")}: {len(probs)} scored proposals but '
                             f'{len(objectness)} proposal scores')
        return dict(probs=probs,
                    feats=_numpy(sample['proposal_feats']).astype(np.float16),
                    proposal_masks=masks, objectness=objectness,
                    image_labels=np.asarray(sample['image_labels'], dtype=np.int64))

    def finalize(self, per_image: Dict[str, dict]) -> Dict[str, dict]:
        """{img_id: cached dict} -> {img_id: ``masks`` RLEs, ``labels`` (M,), ``scores``}."""
        img_ids = list(per_image)
        items = [per_image[i] for i in img_ids]
        counts = [len(item['probs']) for item in items]
        if sum(counts) == 0:
            return {i: dict(masks=[], labels=np.zeros(0, np.int64), scores=np.zeros(0))
                    for i in img_ids}
        probs = np.concatenate([item['probs'] for item in items])
        feats = np.concatenate([item['feats'] for item in items])
        image_ids = np.repeat(np.arange(len(items)), counts)
        image_labels = np.zeros((len(items), probs.shape[1] - 1), dtype=bool)
        for row, item in enumerate(items):
            image_labels[row, item['image_labels']] = True

        graph = build_liid_graph(feats, probs, image_ids, image_labels, **self.graph_kwargs)
        cut = multiway_cut(graph, **self.cut_kwargs)
        stats = cut.counts()
        MMLogger.get_current_instance().info(
            f'LIID multiway cut: {graph.num_nodes} proposals of {len(items)} images, '
            f'{graph.num_edges} proposal edges, {graph.num_terminal_edges} terminal edges; '
            f'{len(cut.sizes)} components (largest {int(cut.sizes.max(initial=0))}): '
            f'{stats["trivial"]} trivial, {stats["ilp"]} ILP, {stats["fallback"]} fallback, '
            f'{stats["optimal"]} proved optimal; objective {cut.total_objective:.4f}, '
            f'gap {cut.gap:.4f}; {cut.wall_time:.1f} s')

        results = {}
        splits = np.cumsum(counts)[:-1]
        for img_id, item, labels, p in zip(img_ids, items, np.split(cut.labels, splits),
                                           np.split(probs, splits)):
            keep = np.flatnonzero((labels > 0) & np.isin(labels - 1, item['image_labels']))
            scores = p[keep, labels[keep]].astype(np.float64)
            if self.score == 'cls_x_objectness':
                scores *= item['objectness'][keep]
            results[img_id] = dict(
                masks=[item['proposal_masks'][j] for j in keep],
                labels=(labels[keep] - 1).astype(np.int64), scores=scores)
        return results
