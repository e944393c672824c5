import numpy as np
import pytest

from mmwsis.pseudo import (max_boundary_along_paths, pair_index, pair_offsets, path_cells,
                           random_walk, random_walk_dense, transition_matrix)


def _all_offsets(radius):
    """Every non-zero offset closer than ``radius``, both orientations."""
    r = radius
    return {(dy, dx)
            for dy in range(-r + 1, r) for dx in range(-r + 1, r)
            if 0 < dy * dy + dx * dx < r * r}


def _cells_near_segment(offset):
    """Brute force in floating point on a window wider than the bounding box."""
    end = np.asarray(offset, dtype=float)
    cells = set()
    for y in range(min(0, offset[0]) - 2, max(0, offset[0]) + 3):
        for x in range(min(0, offset[1]) - 2, max(0, offset[1]) + 3):
            point = np.array([y, x], dtype=float)
            t = np.clip(point @ end / (end @ end), 0, 1)
            if np.linalg.norm(point - t * end) < 1 - 1e-9:
                cells.add((y, x))
    return cells


def _random_inputs(shape, channels, seed):
    rng = np.random.default_rng(seed)
    boundary = rng.random(shape)**3
    seeds = rng.random((channels, ) + shape) * (rng.random((channels, ) + shape) < 0.3)
    return seeds, boundary


def _labels(walked, bg=0.25):
    normalised = walked / walked.max()
    return np.argmax(np.concatenate([np.full((1, ) + walked.shape[1:], bg), normalised]), 0)


@pytest.mark.parametrize('radius', [5, 10])
def test_pair_offsets_are_one_half_plane(radius):
    offsets = [tuple(o) for o in pair_offsets(radius)]
    assert len(set(offsets)) == len(offsets)
    full = _all_offsets(radius)
    assert len(offsets) == len(full) // 2
    for dy, dx in offsets:
        assert dy > 0 or (dy == 0 and dx > 0)
        assert (-dy, -dx) not in offsets
    assert set(offsets) | {(-dy, -dx) for dy, dx in offsets} == full


def test_pair_offsets_radius_5_count():
    assert len(pair_offsets(5)) == 34 == len(_all_offsets(5)) // 2


def test_path_cells_axis_aligned_and_diagonal():
    assert path_cells((0, 3)).tolist() == [[0, 0], [0, 1], [0, 2], [0, 3]]
    assert path_cells((2, 0)).tolist() == [[0, 0], [1, 0], [2, 0]]
    assert {tuple(c) for c in path_cells((1, 1))} == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert {tuple(c) for c in path_cells((2, 2))} == {(0, 0), (0, 1), (1, 0), (1, 1),
                                                       (1, 2), (2, 1), (2, 2)}
    assert {tuple(c) for c in path_cells((1, -1))} == {(0, 0), (0, -1), (1, 0), (1, -1)}


def test_path_cells_match_brute_force_for_all_training_offsets():
    for offset in pair_offsets(10):
        cells = path_cells(tuple(offset))
        assert {tuple(c) for c in cells} == _cells_near_segment(tuple(offset))
        assert cells[0].tolist() == [0, 0] and cells[-1].tolist() == list(offset)


def test_pair_index_lists_every_in_image_pair_once():
    h, w, radius = 6, 8, 5
    index = pair_index((h, w), radius)
    pairs = set(zip(index.src.tolist(), index.dst.tolist()))
    assert len(pairs) == len(index.src)
    expected = set()
    for y in range(h):
        for x in range(w):
            for dy, dx in pair_offsets(radius):
                if 0 <= y + dy < h and 0 <= x + dx < w:
                    expected.add((y * w + x, (y + dy) * w + x + dx))
    assert pairs == expected
    assert sum(len(p) for p in index.paths) == len(index.src)


def test_max_boundary_along_paths_matches_brute_force():
    h, w, radius = 7, 9, 5
    boundary = np.random.default_rng(0).random((h, w))
    src, dst, bmax = max_boundary_along_paths(boundary, radius)
    got = dict(zip(zip(src.tolist(), dst.tolist()), bmax.tolist()))
    for y in range(h):
        for x in range(w):
            for dy, dx in pair_offsets(radius):
                if 0 <= y + dy < h and 0 <= x + dx < w:
                    cells = _cells_near_segment((dy, dx))
                    want = max(boundary[y + cy, x + cx] for cy, cx in cells)
                    assert got[(y * w + x, (y + dy) * w + x + dx)] == want


def test_transition_matrix_is_column_stochastic_and_matches_definition():
    h, w, beta = 5, 6, 10.0
    boundary = np.random.default_rng(1).random((h, w))
    trans = transition_matrix(boundary, radius=5, beta=beta, dtype=np.float64).toarray()
    assert (trans >= 0).all()
    np.testing.assert_allclose(trans.sum(axis=0), 1.0, rtol=1e-12)
    affinity = np.eye(h * w)
    for y in range(h):
        for x in range(w):
            for dy, dx in pair_offsets(5):
                if 0 <= y + dy < h and 0 <= x + dx < w:
                    cells = _cells_near_segment((dy, dx))
                    a = 1 - max(boundary[y + cy, x + cx] for cy, cx in cells)
                    i, j = y * w + x, (y + dy) * w + x + dx
                    affinity[i, j] = affinity[j, i] = a**beta
    np.testing.assert_allclose(trans, affinity / affinity.sum(axis=0), rtol=1e-12)


@pytest.mark.parametrize('shape,seed', [((9, 11), 0), ((14, 13), 1), ((9, 11), 2), ((6, 17), 3)])
def test_sparse_walk_matches_dense_reference(shape, seed):
    seeds, boundary = _random_inputs(shape, 3, seed)
    sparse = random_walk(seeds, boundary, dtype=np.float64)
    dense = random_walk_dense(seeds, boundary, dtype=np.float64)
    assert sparse.shape == dense.shape == seeds.shape
    np.testing.assert_allclose(sparse, dense, rtol=1e-5, atol=1e-5 * np.abs(dense).max())
    np.testing.assert_array_equal(_labels(sparse), _labels(dense))


def test_sparse_walk_matches_dense_reference_in_float32():
    seeds, boundary = _random_inputs((10, 12), 3, 4)
    sparse = random_walk(seeds, boundary, log2_steps=5)
    dense = random_walk_dense(seeds, boundary, log2_steps=5)
    assert sparse.dtype == dense.dtype == np.float32
    np.testing.assert_allclose(sparse, dense, rtol=1e-3, atol=1e-4 * dense.max())


def test_walk_is_one_transition_per_step():
    seeds, boundary = _random_inputs((5, 7), 2, 5)
    trans = transition_matrix(boundary, dtype=np.float64).toarray()
    x = (seeds * (1 - boundary)).reshape(2, -1)
    want = x @ trans @ trans
    got = random_walk(seeds, boundary, log2_steps=1, dtype=np.float64)
    np.testing.assert_allclose(got.reshape(2, -1), want, rtol=1e-12)


@pytest.mark.parametrize('wall', [True, False])
def test_boundary_wall_stops_propagation(wall):
    h, w = 10, 13
    boundary = np.full((h, w), 0.05)
    if wall:
        boundary[:, 6] = 1.0
    seeds = np.zeros((1, h, w))
    seeds[0, 3:7, 1:4] = 1.0
    walked = random_walk(seeds, boundary, dtype=np.float64)[0]
    assert (walked[:, :6] > 0).all()
    if wall:
        assert (walked[:, 6:] == 0).all()
    else:
        assert (walked[:, 7:] > 1e-3).all()
