"""Benchmark LIID's graph construction and multiway cut on a synthetic VOC/COCO-sized set.

Proposals are drawn image by image (VOC: 10,582 images, 20 classes, ~9.5 proposals each;
``--nodes 1000000``: 120,000 images, 80 classes). Each image has 1–3 labels drawn with a
Zipf-like class frequency (the commonest class is in 34 % of the images with 20 classes,
like VOC's "person", 20 % with 80); each proposal is background (30 %) or one of its
image's classes.
Features are class centres plus per-image and per-proposal Gaussian noise; probabilities
are a noisy softmax filtered by the image labels, as LIID's MIL network outputs them.

Examples::

    python tools/benchmarks/bench_multiway_cut.py                      # 10^5, D=256
    python tools/benchmarks/bench_multiway_cut.py --dim 2048
    python tools/benchmarks/bench_multiway_cut.py --compare-rules      # mutual vs original
    python tools/benchmarks/bench_multiway_cut.py --index flat ivf ivfpq hnsw   # kNN indexes
    python tools/benchmarks/bench_multiway_cut.py --reduce-dim 256 64 32  # PCA search
    python tools/benchmarks/bench_multiway_cut.py --nodes 1000000 --index ivf  # COCO scale

With several ``--index`` values the labels of each cut are compared with the first's.
"""
import argparse
import itertools
import os
import platform
import resource
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pulp
import torch

from mmwsis.pseudo.liid_graph import LiidGraph, graph_from_neighbours
from mmwsis.pseudo.multiway_cut import CutResult, multiway_cut
from mmwsis.pseudo.proposal_knn import KINDS, knn_recall, shared_label_knn


def make_dataset(nodes: int, images: int, classes: int, dim: int, seed: int,
                 skew: float = 0.7, background: float = 0.3) -> dict[str, np.ndarray]:
    """Synthetic proposals: features (N, dim) float32, probs (N, C+1), image_ids (N,),
    image_labels (images, C) bool and the true class (N,) of each proposal."""
    rng = np.random.default_rng(seed)
    prior = 1.0 / np.arange(1, classes + 1)**skew
    prior /= prior.sum()
    labels = np.zeros((images, classes), dtype=bool)
    # 1–3 distinct labels per image, by Gumbel top-k sampling without replacement
    keys = np.log(prior) - np.log(-np.log(rng.random((images, classes))))
    count = rng.integers(1, 4, images)
    ranked = np.argsort(-keys, axis=1)
    for j in range(3):
        pick = count > j
        labels[np.flatnonzero(pick), ranked[pick, j]] = True
    image_ids = np.sort(np.concatenate([np.arange(images),
                                        rng.integers(0, images, nodes - images)]))
    own = labels[image_ids]
    choice = (rng.random(nodes) * own.sum(axis=1)).astype(np.int64)
    true = 1 + np.argmax(np.cumsum(own, axis=1) > choice[:, None], axis=1)
    true[rng.random(nodes) < background] = 0
    centres = rng.standard_normal((classes + 1, dim), dtype=np.float32)
    centres[0] = 0.0
    per_image = rng.standard_normal((images, dim), dtype=np.float32)
    features = np.empty((nodes, dim), dtype=np.float32)
    for lo in range(0, nodes, 65536):  # in chunks: D=2048 at 10^6 proposals is 8 GiB
        hi = min(nodes, lo + 65536)
        features[lo:hi] = rng.standard_normal((hi - lo, dim), dtype=np.float32)
        features[lo:hi] *= 1.5
        features[lo:hi] += centres[true[lo:hi]] + per_image[image_ids[lo:hi]]
    logits = 5.0 * np.eye(classes + 1)[true] + 1.5 * rng.standard_normal((nodes, classes + 1))
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    probs *= np.concatenate([np.ones((images, 1), dtype=bool), labels], axis=1)[image_ids]
    return dict(features=features, probs=probs, image_ids=image_ids, image_labels=labels,
                true=true)


class PeakMemory:
    """Samples the summed PSS (proportional set size: pages shared with forked workers
    are split between them, not counted twice) of this process and its descendants."""

    def __init__(self, interval: float = 0.2) -> None:
        self.peak, self.interval = 0, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    @staticmethod
    def _tree_pss() -> int:
        parent = {}
        for stat in Path('/proc').glob('[0-9]*/stat'):
            try:
                parent[int(stat.parent.name)] = int(stat.read_text().rsplit(')', 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
        tree, frontier = {os.getpid()}, [os.getpid()]
        while frontier:
            pid = frontier.pop()
            children = [c for c, p in parent.items() if p == pid and c not in tree]
            tree.update(children)
            frontier.extend(children)
        total = 0
        for pid in tree:
            try:
                for line in Path(f'/proc/{pid}/smaps_rollup').read_text().splitlines():
                    if line.startswith('Pss:'):
                        total += int(line.split()[1]) * 1024
            except OSError:
                continue
        return total

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, self._tree_pss())

    def __enter__(self) -> 'PeakMemory':
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._tree_pss())


def size_table(result: CutResult) -> list[str]:
    """Markdown rows: components by size bucket, and how each bucket was solved."""
    rows = ['| component size | components | nodes | trivial | ILP optimal | fallback | '
            'max solve s |', '|---|---|---|---|---|---|---|']
    edges = [1, 2, 5, 11, 51, 201, 1001, 5001, np.inf]
    for lo, hi in zip(edges[:-1], edges[1:]):
        sel = (result.sizes >= lo) & (result.sizes < hi)
        if not sel.any():
            continue
        name = f'{lo}' if hi == lo + 1 else f'{lo}–{hi - 1:g}'
        rows.append(
            f'| {name} | {sel.sum()} | {result.sizes[sel].sum()} '
            f'| {(result.method[sel] == "trivial").sum()} '
            f'| {((result.method[sel] == "ilp") & result.optimal[sel]).sum()} '
            f'| {(result.method[sel] == "fallback").sum()} | {result.time[sel].max():.2f} |')
    return rows


def _cpu_seconds() -> float:
    """CPU time of this process (all threads) and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def cut_report(name: str, graph: LiidGraph, result: CutResult, true: np.ndarray,
               build_s: float, build_cpu: float, cut_cpu: float,
               extra: tuple[str, ...] = ()) -> list[str]:
    counts = result.counts()
    fb = result.method == 'fallback'
    accuracy = float((result.labels == true).mean())
    return [
        f'### {name}', '',
        f'- graph: {graph.num_nodes} nodes, {graph.num_edges} proposal edges, '
        f'{graph.num_terminal_edges} terminal edges; build {build_s:.1f} s '
        f'(CPU {build_cpu:.0f} s)',
        *extra,
        f'- cut wall time: {result.wall_time:.1f} s (CPU with workers and CBC {cut_cpu:.0f} s); '
        f'components: {result.sizes.size} '
        f'(largest {result.sizes.max()}); trivial {counts["trivial"]}, ILP {counts["ilp"]}, '
        f'fallback {counts["fallback"]}; proved optimal {counts["optimal"]}/{result.sizes.size}',
        f'- objective {result.total_objective:.3f}, lower bound {result.total_bound:.3f}, '
        f'gap {result.gap:.3f} (fallback components: {fb.sum()}, their gap '
        f'{(result.objective[fb] - result.bound[fb]).sum():.3f})',
        f'- labels equal to the synthetic true class: {accuracy:.3f}', '',
        *size_table(result), '']


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--nodes', type=int, default=100_000)
    parser.add_argument('--images', type=int, help='default: 10,582 per 10^5 nodes '
                        '(VOC), 120,000 per 10^6 with --classes 80')
    parser.add_argument('--classes', type=int, help='default 20, or 80 from 5·10^5 nodes')
    parser.add_argument('--dim', type=int, default=256)
    parser.add_argument('--k', type=int, default=3)
    parser.add_argument('--rule', choices=['mutual', 'original'], default='mutual')
    parser.add_argument('--compare-rules', action='store_true',
                        help='build and cut with both neighbour rules')
    parser.add_argument('--index', nargs='+', default=['auto'],
                        choices=KINDS,
                        help='faiss index(es) of the kNN; labels are compared with the first')
    parser.add_argument('--reduce-dim', type=int, nargs='+', default=[None],
                        help='PCA dimensions of the neighbour search, one run each '
                        '(labels are compared with the first run\'s)')
    parser.add_argument('--recall-queries', type=int, default=200,
                        help='proposals whose exact neighbours are found by brute force')
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--time-limit', type=float, default=30.0)
    parser.add_argument('--max-ilp-nodes', type=int, default=2000)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()
    classes = args.classes or (80 if args.nodes >= 500_000 else 20)
    images = args.images or round(args.nodes * (0.12 if classes == 80 else 0.10582))

    print('## bench_multiway_cut\n')
    print(f'- command: `python {" ".join(sys.argv)}`')
    print(f'- machine: {platform.machine()} {platform.processor() or ""}, '
          f'{os.cpu_count()} CPUs, torch threads {torch.get_num_threads()}, '
          f'load average {os.getloadavg()[0]:.1f} at start; Python {platform.python_version()}, '
          f'numpy {np.__version__}, torch {torch.__version__}, pulp {pulp.__version__} (CBC)')
    with PeakMemory() as memory:
        start = time.perf_counter()
        data = make_dataset(args.nodes, images, classes, args.dim, args.seed)
        freq = data['image_labels'].mean(axis=0)
        print(f'- data: {args.nodes} proposals, {images} images, {classes} classes, D={args.dim}, '
              f'{time.perf_counter() - start:.1f} s to generate; commonest class in '
              f'{freq.max():.0%} of images; best prob >= 0.9 for '
              f'{(data["probs"].max(axis=1) >= 0.9).mean():.0%} of proposals\n')
        reference = None
        for rule in (['mutual', 'original'] if args.compare_rules else [args.rule]):
            for index, reduce_dim in itertools.product(args.index, args.reduce_dim):
                start, cpu = time.perf_counter(), _cpu_seconds()
                neighbours, sim = shared_label_knn(data['features'], data['image_ids'],
                                                   data['image_labels'], args.k, index,
                                                   reduce_dim=reduce_dim)
                knn_s = time.perf_counter() - start
                graph = graph_from_neighbours(neighbours, sim, data['probs'],
                                              neighbour_rule=rule)
                build_s, build_cpu = time.perf_counter() - start, _cpu_seconds() - cpu
                recall = knn_recall(data['features'], data['image_ids'], data['image_labels'],
                                    neighbours, args.recall_queries, args.seed)
                del neighbours, sim
                cpu = _cpu_seconds()
                result = multiway_cut(graph, num_workers=args.workers,
                                      time_limit=args.time_limit,
                                      max_ilp_nodes=args.max_ilp_nodes)
                search = (f'PCA to {reduce_dim} dimensions' if reduce_dim and reduce_dim < args.dim
                          else f'D={args.dim}')
                name = f'{index!r}, {search}'
                extra = [f'- kNN ({index!r} faiss index per label group, {search}): '
                         f'{knn_s:.1f} s; '
                         f'recall of the exact {args.k} neighbours on {args.recall_queries} '
                         f'random proposals: {recall:.4f}']
                if reference is None:
                    reference = (name, result.labels)
                else:
                    extra.append(f'- labels equal to those of the {reference[0]} graph: '
                                 f'{(result.labels == reference[1]).mean():.4f}')
                print('\n'.join(cut_report(f'neighbour_rule={rule!r}, k={args.k}, '
                                           f'index={name}', graph, result, data['true'],
                                           build_s, build_cpu, _cpu_seconds() - cpu,
                                           tuple(extra))), flush=True)
                del graph, result
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20
    print(f'- peak memory of this process and its workers together (PSS sampled every 0.2 s): '
          f'{memory.peak / 2**30:.2f} GiB; peak RSS of this process {own:.2f} GiB, of the '
          f'largest worker {children:.2f} GiB (shared pages included)')


if __name__ == '__main__':
    main()
