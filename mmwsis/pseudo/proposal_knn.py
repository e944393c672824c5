"""Cosine k-nearest neighbours among proposals whose images share a foreground label (faiss).

LIID links two proposals only if their images share a label, so the search runs per label
group (the proposals of the images holding that label) and the groups' candidates are
merged. Each group gets its own faiss index over unit vectors (inner product = cosine):

* ``'flat'``: exact (``IndexFlatIP``);
* ``'ivf'``: ``IndexIVFFlat`` with ``nlist = round(4·sqrt(G))`` cells (faiss' guideline
  for ``G`` vectors), trained on at most ``32·nlist`` of them, searching
  ``nprobe = max(8, nlist // 16)`` cells;
* ``'ivfpq'``: the same cells and probes holding 4-bit product-quantised codes of 2
  dimensions per sub-quantiser, scanned with faiss' SIMD "fast scan"
  (``IVF…,PQ{D/2}x4fs,RFlat``); the ``32(k+1)`` best codes of a query are re-ranked
  exactly (``IndexRefineFlat``; 8(k+1) missed a third of the neighbours on 16-dimensional
  features). faiss' CPU IVF scans one query at a time, far below the BLAS speed of
  ``'flat'``, so ``'ivf'`` saves little; fast scan scans blocks of queries over packed
  codes;
* ``'hnsw'``: ``IndexHNSWFlat`` with 32 links per node and ``efSearch = max(64, 4k)``;
* ``'auto'``: ``'flat'`` for groups of at most ``flat_max`` proposals, ``'ivfpq'`` above
  (``'ivf'`` on odd dimensions).

With ``reduce_dim`` the search runs on the unit vectors projected by one PCA
(``faiss.PCAMatrix``, fitted on a sample of the whole set) and normalised again; only the
choice of neighbours is approximate: their similarities are recomputed from the full
features.

How far an approximate index is from the exact one is measured by :func:`knn_recall`
(``tools/benchmarks/bench_multiway_cut.py --index``).
"""
import math
from typing import Literal, Optional

import faiss
import numpy as np

KnnIndex = Literal['auto', 'flat', 'ivf', 'ivfpq', 'hnsw']
KINDS = ('auto', 'flat', 'ivf', 'ivfpq', 'hnsw')


def _cells(size: int) -> int:
    """IVF cells for ``size`` vectors: ``round(4·sqrt(size))`` (faiss' guideline)."""
    return max(1, round(4 * math.sqrt(size)))


def _train_ivf(index: 'faiss.Index', vectors: np.ndarray, nlist: int, seed: int) -> None:
    """Train ``index`` (an IVF index, or one wrapping it) on at most ``32·nlist`` of the
    (G, D) ``vectors`` (in index order) with 10 k-means iterations, and probe
    ``max(8, nlist // 16)`` cells. faiss' defaults (25 iterations on up to 256 points a
    cell) spent 48 s of 140 training one 2·10^5 group, for the same recall (0.71 / 0.72)."""
    ivf = faiss.extract_index_ivf(index)
    ivf.cp.seed = seed
    ivf.cp.niter = 10
    ivf.cp.min_points_per_centroid = 1  # a small group trains on all it has, quietly
    sample = np.random.default_rng(seed).permutation(len(vectors))[:32 * nlist]
    index.train(vectors[np.sort(sample)])
    ivf.nprobe = max(8, nlist // 16)


def _group_index(vectors: np.ndarray, kind: str, k: int, seed: int) -> 'faiss.Index':
    """A faiss inner-product index over (G, D) float32 unit ``vectors``, filled."""
    size, dim = vectors.shape
    if kind == 'flat':
        index = faiss.IndexFlatIP(dim)
    elif kind == 'ivf':
        nlist = _cells(size)
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist,
                                   faiss.METRIC_INNER_PRODUCT)
        _train_ivf(index, vectors, nlist, seed)
    elif kind == 'ivfpq':
        if dim % 2:
            raise ValueError(f"index 'ivfpq' needs an even dimension, got {dim}")
        nlist = _cells(size)
        index = faiss.index_factory(dim, f'IVF{nlist},PQ{dim // 2}x4fs,RFlat',
                                    faiss.METRIC_INNER_PRODUCT)
        _train_ivf(index, vectors, nlist, seed)
        index.k_factor = 32
    elif kind == 'hnsw':
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efSearch = max(64, 4 * k)
    else:
        raise ValueError(f'index must be one of {KINDS}, got {kind!r}')
    index.add(vectors)
    return index


def _unit(features: np.ndarray) -> np.ndarray:
    """(G, D) float32 rows scaled to norm 1 (zero rows stay zero)."""
    vectors = np.array(features, dtype=np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    return vectors


def fit_pca(features: np.ndarray, dim: int, sample: int = 100_000,
            seed: int = 0) -> 'faiss.PCAMatrix':
    """A PCA from the (N, D) features' unit vectors to ``dim`` dimensions, fitted on at
    most ``sample`` random rows (read in index order, so a memmap is read forward)."""
    n = features.shape[0]
    rows = np.sort(np.random.default_rng(seed).permutation(n)[:sample])
    pca = faiss.PCAMatrix(features.shape[1], dim)
    pca.train(_unit(features[rows]))
    return pca


def _search_vectors(features: np.ndarray, pca: Optional['faiss.PCAMatrix']) -> np.ndarray:
    """(G, D) rows -> the unit (G, D or d) float32 vectors the index searches."""
    vectors = _unit(features)
    return vectors if pca is None else _unit(pca.apply(vectors))


def shared_label_knn(features: np.ndarray,
                     image_ids: np.ndarray,
                     image_labels: np.ndarray,
                     k: int,
                     index: KnnIndex = 'auto',
                     flat_max: int = 50_000,
                     reduce_dim: Optional[int] = None,
                     seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` most cosine-similar label-sharing proposals of every proposal.

    ``k`` counts neighbours *other than the proposal itself* (self is excluded by index,
    so a duplicate feature elsewhere is still a neighbour). A pair sharing several labels
    counts once. Candidates are ranked by faiss' float32 similarity, ties by lower index.

    Args:
        features: (N, D) float proposal features (a ``np.memmap`` works: each group's
            rows are read when its index is built).
        image_ids: (N,) int image index of each proposal.
        image_labels: (num_images, C) bool foreground image labels.
        k: neighbours per proposal.
        index: one of :data:`KINDS` (module docstring).
        flat_max: largest group ``'auto'`` searches exactly.
        reduce_dim: search in this many PCA dimensions (module docstring); ``None`` or
            at least D: the full features.
        seed: seed of the PCA and IVF training samples and of k-means.

    Returns:
        ``(neighbours, similarity)``: (N, k) int64 indices, -1 where a proposal has fewer
        than ``k`` candidates, and (N, k) float64 ``cos + 1`` recomputed in float64
        (NaN where the index is -1), each row sorted by decreasing similarity.
    """
    n = features.shape[0]
    node_labels = np.asarray(image_labels, dtype=bool)[np.asarray(image_ids)]
    pca = (fit_pca(features, reduce_dim, seed=seed)
           if reduce_dim is not None and reduce_dim < features.shape[1] else None)
    src, dst, sim = [], [], []
    for c in range(node_labels.shape[1]):
        members = np.flatnonzero(node_labels[:, c])
        size = members.size
        if size < 2:
            continue
        vectors = _search_vectors(features[members], pca)
        kind = index
        if index == 'auto':
            kind = ('flat' if size <= flat_max else
                    'ivfpq' if vectors.shape[1] % 2 == 0 else 'ivf')
        found_sim, found = _group_index(vectors, kind, k, seed).search(
            vectors, min(k + 1, size))
        is_self = found == np.arange(size)[:, None]
        # drop self where found, else the last (weakest) hit, keeping k per row
        drop = np.where(is_self.any(axis=1), is_self.argmax(axis=1), found.shape[1] - 1)
        keep = np.ones(found.shape, dtype=bool)
        keep[np.arange(size), drop] = False
        keep &= found >= 0
        rows = np.broadcast_to(members[:, None], found.shape)
        src.append(rows[keep])
        dst.append(members[found[keep]])
        sim.append(found_sim[keep])
    neighbours = np.full((n, k), -1, dtype=np.int64)
    if src:
        src, dst, sim = np.concatenate(src), np.concatenate(dst), np.concatenate(sim)
        order = np.lexsort((dst, src))
        src, dst, sim = src[order], dst[order], sim[order]
        first = np.ones(src.size, dtype=bool)
        first[1:] = (src[1:] != src[:-1]) | (dst[1:] != dst[:-1])
        src, dst, sim = src[first], dst[first], sim[first]
        order = np.lexsort((dst, -sim, src))
        src, dst = src[order], dst[order]
        starts = np.searchsorted(src, src, side='left')
        rank = np.arange(src.size) - starts
        top = rank < k
        neighbours[src[top], rank[top]] = dst[top]
    return neighbours, _cosine_plus_one(features, neighbours)


def _cosine_plus_one(features: np.ndarray, neighbours: np.ndarray,
                     rows: int = 4096) -> np.ndarray:
    """(N, k) float64 ``cos(f_i, f_neighbours[i, j]) + 1``, NaN where the index is -1."""
    out = np.full(neighbours.shape, np.nan)
    for start in range(0, neighbours.shape[0], rows):
        nbr = neighbours[start:start + rows]
        f = np.asarray(features[start:start + rows], dtype=np.float64)
        g = np.asarray(features[np.maximum(nbr, 0)], dtype=np.float64)
        f /= np.maximum(np.linalg.norm(f, axis=1, keepdims=True), 1e-12)
        g /= np.maximum(np.linalg.norm(g, axis=2, keepdims=True), 1e-12)
        sim = np.einsum('nd,nkd->nk', f, g) + 1.0
        out[start:start + rows] = np.where(nbr >= 0, sim, np.nan)
    return out


def knn_recall(features: np.ndarray, image_ids: np.ndarray, image_labels: np.ndarray,
               neighbours: np.ndarray, queries: int = 200, seed: int = 0) -> float:
    """Share of the exact ``k`` label-sharing neighbours that ``neighbours`` found.

    Measured on ``queries`` random proposals, each against all its candidates by brute
    force (float32), so it costs ``queries × N × D`` whatever the index.
    """
    n, k = neighbours.shape
    node_labels = np.asarray(image_labels, dtype=bool)[np.asarray(image_ids)]
    picked = np.random.default_rng(seed).choice(n, size=min(queries, n), replace=False)
    hits = total = 0
    for i in picked:
        cand = np.flatnonzero(node_labels[:, node_labels[i]].any(axis=1))
        cand = cand[cand != i]
        if cand.size == 0:
            continue
        sims = _unit(features[cand]) @ _unit(features[i:i + 1])[0]
        exact = cand[np.argsort(-sims, kind='stable')[:k]]
        hits += np.isin(exact, neighbours[i]).sum()
        total += exact.size
    return hits / total if total else 1.0
