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
        objectness = _numpy(sample['proposals']['scores']).astype(np.float32)
        for name, values in (('proposal masks', masks), ('proposal scores', objectness)):
            if len(values) != len(probs):
                raise ValueError(f'{sample.get("img_path")}: {len(probs)} scored proposals '
                                 f'but {len(values)} {name}')
        return dict(probs=probs,
                    feats=_numpy(sample['proposal_feats']).astype(np.float16),
                    proposal_masks=masks, objectness=objectness,
                    image_labels=np.asarray(sample['image_labels'], dtype=np.int64))

    def cut_terminals(self, per_image: Dict[str, dict]) -> Dict[str, np.ndarray]:
        """{img_id: cached dict} -> {img_id: (R,) terminal of each proposal, 0 background}.

        One graph over every proposal of the split, one multiway cut; its statistics are
        logged.
        """
        img_ids = list(per_image)
        items = [per_image[i] for i in img_ids]
        counts = [len(item['probs']) for item in items]
        if sum(counts) == 0:
            return {i: np.zeros(0, np.int64) for i in img_ids}
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
        return dict(zip(img_ids, np.split(cut.labels, np.cumsum(counts)[:-1])))

    def instances(self, item: dict, terminals: np.ndarray) -> dict:
        """One image's instances: its proposals whose terminal is one of its classes.

        Args:
            item: the image's cached dict (:meth:`per_image`).
            terminals: (R,) terminal of each proposal, 0 background.

        Returns:
            ``masks`` (M,) RLEs, ``labels`` (M,) int64 class ids, ``scores`` (M,) float64.
        """
        keep = np.flatnonzero((terminals > 0) & np.isin(terminals - 1, item['image_labels']))
        scores = item['probs'][keep, terminals[keep]].astype(np.float64)
        if self.score == 'cls_x_objectness':
            scores *= item['objectness'][keep]
        return dict(masks=[item['proposal_masks'][j] for j in keep],
                    labels=(terminals[keep] - 1).astype(np.int64), scores=scores)

    def finalize(self, per_image: Dict[str, dict]) -> Dict[str, dict]:
        """{img_id: cached dict} -> {img_id: ``masks`` RLEs, ``labels`` (M,), ``scores``}."""
        terminals = self.cut_terminals(per_image)
        return {img_id: self.instances(item, terminals[img_id])
                for img_id, item in per_image.items()}
