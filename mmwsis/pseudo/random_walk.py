"""IRNet's random walk: propagate seed maps inside the regions closed by a boundary map.

The transition matrix is built from the inter-pixel affinities of
:mod:`mmwsis.pseudo.path_index` (``a_ij = 1 - max B`` on the path i→j, radius 5),
symmetrised with ``a_ii = 1``, raised to ``β`` and normalised so each column sums to 1.
The walk is ``vec(X ⊙ (1 - B)) · T^(2^s)``. The original squares a dense ``n × n`` ``T``
``s`` times; :func:`random_walk` gives the same result with ``2^s`` sparse products, in
``O(n · pairs)`` memory. :func:`random_walk_dense` is that original scheme, kept as the
reference for tests and the benchmark.
"""
import numpy as np
import scipy.sparse as sp

from .path_index import max_boundary_along_paths


def transition_matrix(boundary: np.ndarray,
                      radius: int = 5,
                      beta: float = 10.0,
                      dtype: np.dtype = np.float32) -> sp.csr_matrix:
    """Column-stochastic transition matrix ``T = A^β / colsum(A^β)`` of an ``(h, w)`` grid.

    Pairs that would leave the image do not exist, which equals the original's padding of
    the boundary with 1 (zero affinity) before cropping.

    Args:
        boundary: (h, w) class-boundary probabilities in [0, 1].
        radius: pairs are closer than ``radius`` grid cells.
        beta: exponent applied elementwise to the affinities.
        dtype: float dtype of the result.

    Returns:
        (n, n) CSR matrix, ``n = h * w``, flat index ``y * w + x``, non-negative, each
        column summing to 1.
    """
    n = boundary.size
    src, dst, bmax = max_boundary_along_paths(np.asarray(boundary, dtype=np.float64), radius)
    aff = (1.0 - bmax)**beta
    diag = np.arange(n)
    rows = np.concatenate([src, dst, diag])
    cols = np.concatenate([dst, src, diag])
    vals = np.concatenate([aff, aff, np.ones(n)])
    aff_beta = sp.csr_matrix((vals, (rows, cols)), shape=(n, n))
    colsum = np.asarray(aff_beta.sum(axis=0)).ravel()
    return (aff_beta @ sp.diags(1.0 / colsum)).tocsr().astype(dtype)


def _walk_input(seeds: np.ndarray, boundary: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """``vec(seeds ⊙ (1 - boundary))``: (K, h, w) → (K, n)."""
    k = seeds.shape[0]
    return (seeds * (1.0 - boundary)[None]).reshape(k, boundary.size).astype(dtype)


def random_walk(seeds: np.ndarray,
                boundary: np.ndarray,
                radius: int = 5,
                beta: float = 10.0,
                log2_steps: int = 8,
                dtype: np.dtype = np.float32) -> np.ndarray:
    """Propagate ``K`` seed maps for ``2^log2_steps`` steps with sparse products.

    Args:
        seeds: (K, h, w) non-negative maps (class or instance CAMs).
        boundary: (h, w) class-boundary probabilities in [0, 1].
        radius, beta: see :func:`transition_matrix`.
        log2_steps: the walk takes ``2^log2_steps`` steps (IRNet: 8, i.e. 256).
        dtype: float dtype of the computation.

    Returns:
        (K, h, w) propagated maps ``vec(seeds ⊙ (1 - boundary)) · T^(2^log2_steps)``.
    """
    k, h, w = seeds.shape
    # x · T = (Tᵀ · xᵀ)ᵀ: iterate on the columns of xᵀ, all K channels per product.
    step = transition_matrix(boundary, radius, beta, dtype).T.tocsr()
    walked = np.ascontiguousarray(_walk_input(seeds, boundary, dtype).T)
    for _ in range(2**log2_steps):
        walked = step @ walked
    return np.ascontiguousarray(walked.T).reshape(k, h, w)


def random_walk_dense(seeds: np.ndarray,
                      boundary: np.ndarray,
                      radius: int = 5,
                      beta: float = 10.0,
                      log2_steps: int = 8,
                      dtype: np.dtype = np.float32) -> np.ndarray:
    """Reference of :func:`random_walk`: dense ``T`` squared ``log2_steps`` times.

    Needs two dense ``n × n`` matrices; use it only for tests and benchmarks.
    """
    k, h, w = seeds.shape
    trans = transition_matrix(boundary, radius, beta, dtype).toarray()
    buffer = np.empty_like(trans)
    for _ in range(log2_steps):
        np.matmul(trans, trans, out=buffer)
        trans, buffer = buffer, trans
    del buffer
    return (_walk_input(seeds, boundary, dtype) @ trans).reshape(k, h, w)
