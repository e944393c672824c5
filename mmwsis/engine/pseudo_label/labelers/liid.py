"""LIID's dataset-level labeler: one proposal graph over the whole split, one multiway cut."""
import tempfile
from typing import Dict, Mapping, Optional

import numpy as np
from mmengine.logging import MMLogger

from mmwsis.pseudo.liid_graph import build_liid_graph
from mmwsis.pseudo.multiway_cut import multiway_cut
from mmwsis.registry import PSEUDO_LABELERS
from ..lazy_results import LazyResults
from ..result import PseudoLabel
from .base import BaseLabeler
from .teacher_outputs import as_numpy


@PSEUDO_LABELERS.register_module()
class LIIDCutLabeler(BaseLabeler):
    """Instances from :class:`~mmwsis.models.teachers.MILProposalNet` outputs (SEEDS §1).

    ``per_image`` returns no instance yet; its payload keeps the sample's
    ``proposal_probs`` (R, C+1) float32 (already multiplied by the image labels),
    ``proposal_feats`` (R, D) stored as float16 (half the disk; cosine neighbours do not
    need more), the proposals' RLE ``proposal_masks`` (metainfo; they carry the image
    size), their objectness ``proposals.scores`` (R,) (from the proposal source,
    computed from the image alone) and its ``image_labels``. ``finalize`` builds the
    graph over every proposal of the split
    (:func:`~mmwsis.pseudo.liid_graph.build_liid_graph`), cuts it
    (:func:`~mmwsis.pseudo.multiway_cut.multiway_cut`), logs the cut's statistics and
    returns, per image and lazily, the proposals whose terminal is a foreground class of
    that image: label = terminal - 1, and a score. LIID keeps every such proposal
    unscored; the score decides which of overlapping proposals the collector's overlap
    rule keeps:

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
        spill_dir: folder of the temporary file that holds the split's features
            (float16, ``N × D × 2`` bytes: 48 GB for COCO at 100 proposals per image
            and D=2048); ``None``: the system's temporary folder (``TMPDIR``).
    """

    scores = ('cls_x_objectness', 'cls')

    def __init__(self, graph: Optional[dict] = None, cut: Optional[dict] = None,
                 score: str = 'cls_x_objectness', spill_dir: Optional[str] = None) -> None:
        if score not in self.scores:
            raise ValueError(f'score must be one of {self.scores}, got {score!r}')
        self.graph_kwargs = dict(graph or {})
        self.cut_kwargs = dict(cut or {})
        self.score = score
        self.spill_dir = spill_dir

    def per_image(self, sample: dict) -> PseudoLabel:
        probs = as_numpy(sample['proposal_probs']).astype(np.float32)
        feats = as_numpy(sample['proposal_feats']).astype(np.float16)
        masks = list(sample['proposal_masks'])
        objectness = as_numpy(sample['proposals']['scores']).astype(np.float32)
        for name, values in (('proposal features', feats), ('proposal masks', masks),
                             ('proposal scores', objectness)):
            if len(values) != len(probs):
                raise ValueError(f'{sample.get("img_path")}: {len(probs)} scored proposals '
                                 f'but {len(values)} {name}')
        return PseudoLabel.instances([], [], [], image_size=sample['ori_shape'], payload=dict(
            probs=probs, feats=feats, proposal_masks=masks, objectness=objectness,
            image_labels=np.asarray(sample['image_labels'], dtype=np.int64)))

    def cut_terminals(self, results: Mapping[str, PseudoLabel]) -> Dict[str, np.ndarray]:
        """{img_id: cached label} -> {img_id: (R,) terminal of each proposal, 0 background}.

        One pass over the split gathers the proposals' probabilities (in memory) and
        features (streamed to a temporary file and memory-mapped, so the split's features
        are never all in memory); one graph over all of them, one multiway cut, whose
        statistics are logged.
        """
        img_ids = list(results)
        probs, labels, counts, dim = [], [], [], None
        # the features (the bulk: N x D) go to a temporary file as they are read, and the
        # kNN reads them memory-mapped, one label group at a time
        with tempfile.TemporaryFile(prefix='liid-feats-', dir=self.spill_dir) as spill:
            for img_id in img_ids:
                payload = results[img_id].payload
                feats = np.ascontiguousarray(payload['feats'], dtype=np.float16)
                if len(feats):
                    dim = dim or feats.shape[1]
                    if feats.shape[1] != dim:
                        raise ValueError(f'{img_id}: proposal features of dimension '
                                         f'{feats.shape[1]}, others have {dim}')
                spill.write(feats.tobytes())
                probs.append(payload['probs'])
                labels.append(payload['image_labels'])
                counts.append(len(payload['probs']))
            if sum(counts) == 0:
                return {i: np.zeros(0, np.int64) for i in img_ids}
            spill.flush()
            feats = np.memmap(spill, dtype=np.float16, mode='r', shape=(sum(counts), dim))
            probs = np.concatenate(probs)
            image_ids = np.repeat(np.arange(len(img_ids)), counts)
            image_labels = np.zeros((len(img_ids), probs.shape[1] - 1), dtype=bool)
            for row, present in enumerate(labels):
                image_labels[row, present] = True
            graph = build_liid_graph(feats, probs, image_ids, image_labels,
                                     **self.graph_kwargs)
            del feats
        cut = multiway_cut(graph, **self.cut_kwargs)
        stats = cut.counts()
        MMLogger.get_current_instance().info(
            f'LIID multiway cut: {graph.num_nodes} proposals of {len(img_ids)} images, '
            f'{graph.num_edges} proposal edges, {graph.num_terminal_edges} terminal edges; '
            f'{len(cut.sizes)} components (largest {int(cut.sizes.max(initial=0))}): '
            f'{stats["trivial"]} trivial, {stats["ilp"]} ILP, {stats["fallback"]} fallback, '
            f'{stats["optimal"]} proved optimal; objective {cut.total_objective:.4f}, '
            f'gap {cut.gap:.4f}; {cut.wall_time:.1f} s')
        return dict(zip(img_ids, np.split(cut.labels, np.cumsum(counts)[:-1])))

    def instances(self, cached: PseudoLabel, terminals: np.ndarray) -> PseudoLabel:
        """One image's instances: its proposals whose terminal is one of its classes.

        Args:
            cached: the image's :meth:`per_image` result.
            terminals: (R,) terminal of each proposal, 0 background.
        """
        payload = cached.payload
        keep = np.flatnonzero((terminals > 0)
                              & np.isin(terminals - 1, payload['image_labels']))
        scores = payload['probs'][keep, terminals[keep]].astype(np.float64)
        if self.score == 'cls_x_objectness':
            scores *= payload['objectness'][keep]
        return PseudoLabel.instances([payload['proposal_masks'][j] for j in keep],
                                     terminals[keep] - 1, scores)

    def finalize(self, results: Mapping[str, PseudoLabel]) -> Mapping[str, PseudoLabel]:
        """The cut, then each image's instances, derived when the writer asks for them."""
        terminals = self.cut_terminals(results)
        return LazyResults(list(results),
                           lambda img_id: self.instances(results[img_id], terminals[img_id]))
