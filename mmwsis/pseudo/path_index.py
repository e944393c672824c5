"""Pixel pairs within a radius and the grid cells on the path between them (IRNet).

IRNet relates pixel ``i`` to every pixel ``j`` closer than ``radius`` on the stride-4 grid.
Each unordered pair is listed once, through a half-plane of offsets ``δ = j - i``, and the
pair's affinity is ``1 - max B`` over the cells within distance < 1 of the segment i→j,
where ``B`` is the class-boundary map. The same pair set serves the IRN training loss
(radius 10) and the random walk (radius 5).
"""
from typing import List, NamedTuple, Tuple

import numpy as np


def pair_offsets(radius: int) -> np.ndarray:
    """Half-plane offsets ``(dy, dx)`` with ``0 < dy² + dx² < radius²``, one per unordered pair.

    Order: ``dy = 0, dx = 1..r-1``, then ``dy = 1..r-1, dx = -(r-1)..(r-1)``.

    Returns:
        (P, 2) int64 array of ``(dy, dx)``.
    """
    r = int(radius)
    offsets = [(0, dx) for dx in range(1, r)]
    offsets += [(dy, dx) for dy in range(1, r) for dx in range(-(r - 1), r)
                if dy * dy + dx * dx < r * r]
    return np.asarray(offsets, dtype=np.int64).reshape(-1, 2)


def path_cells(offset: Tuple[int, int]) -> np.ndarray:
    """Grid cells within distance < 1 of the segment from ``(0, 0)`` to ``offset``.

    Such cells lie inside the bounding box of the two end points, so a pair whose end
    points are in the image has its whole path in the image. The test is done in exact
    integer arithmetic; cells are ordered from the start to the end of the segment.

    Returns:
        (L, 2) int64 array of ``(y, x)`` cells, both end points included.
    """
    dy, dx = int(offset[0]), int(offset[1])
    ys, xs = np.mgrid[min(0, dy):max(0, dy) + 1, min(0, dx):max(0, dx) + 1]
    ys, xs = ys.ravel(), xs.ravel()
    length2 = max(dy * dy + dx * dx, 1)
    proj = ys * dy + xs * dx  # t · |δ|², t = position of the foot of the perpendicular
    before = proj <= 0
    after = proj >= length2
    inside = ~(before | after)
    near = np.zeros(ys.shape, dtype=bool)
    near[before] = ys[before]**2 + xs[before]**2 < 1
    near[after] = (ys[after] - dy)**2 + (xs[after] - dx)**2 < 1
    # squared distance to the line, times |δ|²: |p|²·|δ|² - (p·δ)² < |δ|²
    near[inside] = ((ys[inside]**2 + xs[inside]**2) * length2 - proj[inside]**2
                    < length2)
    order = np.argsort(proj[near], kind='stable')
    return np.stack([ys[near], xs[near]], axis=1)[order].astype(np.int64)


class PairIndex(NamedTuple):
    """Every in-image pair of an ``(h, w)`` grid, as flat indices ``y * w + x``.

    Attributes:
        src: (E,) int64, first pixel ``i`` of each pair.
        dst: (E,) int64, second pixel ``j = i + δ``.
        paths: one (E_o, L_o) int64 array per offset of :func:`pair_offsets`; the pairs
            of offset ``o`` are the consecutive block ``E_o`` of ``src``/``dst`` and
            ``paths[o][e]`` are the ``L_o`` cells of that pair's path.
    """
    src: np.ndarray
    dst: np.ndarray
    paths: List[np.ndarray]


def pair_index(shape: Tuple[int, int], radius: int) -> PairIndex:
    """All pairs of an ``(h, w)`` grid within ``radius`` whose two pixels are in the image."""
    h, w = int(shape[0]), int(shape[1])
    srcs, dsts, paths = [], [], []
    for dy, dx in pair_offsets(radius):
        ys = np.arange(0, max(h - dy, 0))
        xs = np.arange(max(0, -dx), max(w - max(0, dx), 0))
        src = (ys[:, None] * w + xs[None, :]).ravel()
        cells = path_cells((dy, dx))
        srcs.append(src)
        dsts.append(src + dy * w + dx)
        paths.append(src[:, None] + (cells[:, 0] * w + cells[:, 1])[None, :])
    return PairIndex(np.concatenate(srcs), np.concatenate(dsts), paths)


def max_boundary_along_paths(
        boundary: np.ndarray,
        radius: int) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Maximum of ``boundary`` on the path of every in-image pair; affinity is ``1 - bmax``.

    Args:
        boundary: (h, w) class-boundary probabilities in [0, 1].
        radius: pairs are closer than this (5 for the random walk, 10 for IRN training).

    Returns:
        ``src`` (E,), ``dst`` (E,) flat pixel indices and ``bmax`` (E,) of the
        boundary's dtype.
    """
    index = pair_index(boundary.shape, radius)
    flat = np.ascontiguousarray(boundary).ravel()
    bmax = np.concatenate([flat[path].max(axis=1) for path in index.paths])
    return index.src, index.dst, bmax
