import numpy as np
import pytest

from mmwsis.pseudo.liid_graph import build_liid_graph, terminal_edges
from mmwsis.pseudo.proposal_knn import knn_recall, shared_label_knn


def _random_set(rng, n=240, images=30, classes=5, dim=12):
    features = rng.standard_normal((n, dim)).astype(np.float32)
    image_ids = rng.integers(0, images, n)
    image_labels = rng.random((images, classes)) < 0.3
    image_labels[0] = False  # an image without foreground labels
    probs = rng.dirichlet(np.ones(classes + 1) * 0.3, n)
    return features, probs, image_ids, image_labels


def _reference_knn(features, image_ids, image_labels, k):
    """Dense float64 brute force: per node, the k most similar label-sharing others."""
    unit = features.astype(np.float64)
    unit /= np.linalg.norm(unit, axis=1, keepdims=True)
    sim = unit @ unit.T + 1.0
    own = image_labels[image_ids].astype(int)
    shares = own @ own.T > 0
    np.fill_diagonal(shares, False)
    out = []
    for i in range(len(features)):
        cand = np.flatnonzero(shares[i])
        cand = cand[np.argsort(-sim[i, cand], kind='stable')][:k]
        out.append((cand, sim[i, cand]))
    return out, sim


@pytest.mark.parametrize('k,index', [(1, 'flat'), (3, 'flat'), (3, 'auto'), (5, 'flat')])
def test_knn_matches_brute_force(k, index):
    rng = np.random.default_rng(k * 1000 + len(index))
    features, _, image_ids, image_labels = _random_set(rng)
    neighbours, similarity = shared_label_knn(features, image_ids, image_labels, k, index)
    reference, _ = _reference_knn(features, image_ids, image_labels, k)
    for i, (cand, sim) in enumerate(reference):
        found = neighbours[i][neighbours[i] >= 0]
        np.testing.assert_array_equal(found, cand)
        np.testing.assert_allclose(similarity[i, :len(cand)], sim, atol=1e-12)
        assert np.isnan(similarity[i, len(cand):]).all()


@pytest.mark.parametrize('index', ['ivf', 'ivfpq', 'hnsw'])
def test_approximate_knn_recall(index):
    # clustered features, as proposals of one object class are: an approximate index
    # finds nearly all exact neighbours, and knn_recall sees what it missed
    rng = np.random.default_rng(5)
    centres = rng.standard_normal((40, 16))
    features = (centres[rng.integers(0, 40, 3000)]
                + 0.3 * rng.standard_normal((3000, 16))).astype(np.float32)
    image_ids = np.arange(3000) // 10
    image_labels = np.ones((300, 2), dtype=bool)
    exact, _ = shared_label_knn(features, image_ids, image_labels, 3, 'flat')
    approx, similarity = shared_label_knn(features, image_ids, image_labels, 3, index)
    assert knn_recall(features, image_ids, image_labels, exact, queries=300) == 1.0
    recall = knn_recall(features, image_ids, image_labels, approx, queries=300)
    assert 0.9 <= recall <= 1.0
    assert (approx >= 0).all() and (approx != np.arange(3000)[:, None]).all()
    assert (np.diff(similarity, axis=1) <= 1e-12).all()
    # a neighbour list with one exact neighbour per row replaced by -1 has recall <= 2/3
    damaged = exact.copy()
    damaged[:, 0] = -1
    assert knn_recall(features, image_ids, image_labels, damaged, queries=300) <= 2 / 3


def test_knn_excludes_self_but_not_duplicates():
    features = np.array([[1, 0], [1, 0], [0, 1], [0.1, 0.9]], dtype=np.float32)
    labels = np.ones((1, 1), dtype=bool)
    neighbours, similarity = shared_label_knn(features, np.zeros(4, np.int64), labels, 1)
    np.testing.assert_array_equal(neighbours[:, 0], [1, 0, 3, 2])
    assert similarity[0, 0] == pytest.approx(2.0)


@pytest.mark.parametrize('rule', ['mutual', 'original'])
def test_graph_edges_against_reference(rule):
    rng = np.random.default_rng(11)
    features, probs, image_ids, image_labels = _random_set(rng)
    graph = build_liid_graph(features, probs, image_ids, image_labels, k=3,
                             neighbour_rule=rule)
    reference, sim = _reference_knn(features, image_ids, image_labels, 3)
    table_min = min(s.min() for _, s in reference if s.size)
    knn = {(i, int(j)) for i, (cand, _) in enumerate(reference) for j in cand}
    expected = {}
    for i, j in knn:
        if i < j and (rule == 'original' or (j, i) in knn) and sim[i, j] - table_min > 1e-4:
            expected[i, j] = sim[i, j] - table_min
    got = {tuple(e): w for e, w in zip(graph.edges.tolist(), graph.edge_weights)}
    assert got.keys() == expected.keys()
    np.testing.assert_allclose([got[e] for e in expected], list(expected.values()), atol=1e-12)
    assert (np.diff(graph.edges[:, 0]) >= 0).all() and len(got) == graph.num_edges
    # no edge between images without a shared foreground label
    own = image_labels[image_ids]
    assert (own[graph.edges[:, 0]] & own[graph.edges[:, 1]]).any(axis=1).all()
    assert not np.isin(graph.edges, np.flatnonzero(image_ids == 0)).any()


def test_mutual_and_original_rules_differ_as_released():
    """Unit vectors at 0°, 10°, 15° and 90° (k=1): 0°→10°, 10°↔15°, 90°→15°.

    'original' keeps i–j iff j is the lower index's neighbour, so with indices in angle
    order it keeps 0°–10° and 10°–15°, and with the order reversed the one-directional
    0°–10° link disappears; 'mutual' keeps only 10°–15° either way.
    """
    angles = np.deg2rad([0.0, 10.0, 15.0, 90.0])
    features = np.stack([np.cos(angles), np.sin(angles)], axis=1).astype(np.float32)
    probs = np.tile([0.5, 0.5], (4, 1))
    args = (np.zeros(4, np.int64), np.ones((1, 1), dtype=bool))

    def edges(order, rule):
        graph = build_liid_graph(features[order], probs, *args, k=1, neighbour_rule=rule)
        return {tuple(sorted(np.asarray(order)[e])) for e in graph.edges.tolist()}

    forward, backward = [0, 1, 2, 3], [3, 2, 1, 0]
    assert edges(forward, 'original') == {(0, 1), (1, 2)}
    assert edges(backward, 'original') == {(1, 2)}
    assert edges(forward, 'mutual') == edges(backward, 'mutual') == {(1, 2)}
    with pytest.raises(ValueError):
        build_liid_graph(features, probs, *args, neighbour_rule='union')


def test_terminal_rule():
    probs = np.array([
        [0.02, 0.95, 0.03, 0.0, 0.0, 0.0],  # >= 0.9: one edge
        [0.9, 0.1, 0.0, 0.0, 0.0, 0.0],  # exactly 0.9 counts as confident
        [0.3, 0.25, 0.2, 0.15, 0.1, 0.0],  # top 4 of 5 non-zero
        [0.5, 0.0, 0.49995, 0.00005, 0.0, 0.0],  # third class under the 1e-4 floor
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],  # no edge at all
    ])
    expected = np.array([
        [0, 0.95, 0, 0, 0, 0],
        [0.9, 0, 0, 0, 0, 0],
        [0.3, 0.25, 0.2, 0.15, 0, 0],
        [0.5, 0, 0.49995, 0, 0, 0],
        [0, 0, 0, 0, 0, 0],
    ])
    np.testing.assert_allclose(terminal_edges(probs), expected)
    np.testing.assert_allclose(terminal_edges(probs, top_classes=2)[2], [0.3, 0.25, 0, 0, 0, 0])


def test_pca_search_keeps_the_neighbours_of_low_rank_features_and_their_exact_similarity():
    # features in a 4-dimensional subspace of 32 (plus tiny noise): PCA to 4 dimensions
    # loses nothing, PCA to 1 loses most of the neighbour order
    rng = np.random.default_rng(7)
    basis = np.linalg.qr(rng.standard_normal((32, 4)))[0].T
    features = (rng.standard_normal((600, 4)) @ basis
                + 1e-4 * rng.standard_normal((600, 32))).astype(np.float32)
    image_ids = np.arange(600) // 6
    image_labels = np.ones((100, 1), dtype=bool)
    exact, exact_sim = shared_label_knn(features, image_ids, image_labels, 3, 'flat')
    reduced, reduced_sim = shared_label_knn(features, image_ids, image_labels, 3, 'flat',
                                            reduce_dim=4)
    assert (reduced == exact).mean() > 0.98
    np.testing.assert_allclose(reduced_sim[reduced == exact], exact_sim[reduced == exact])
    unit = features / np.linalg.norm(features, axis=1, keepdims=True)
    row = np.arange(600)[:, None]
    np.testing.assert_allclose(reduced_sim, np.einsum('nd,nkd->nk', unit, unit[reduced]) + 1,
                               rtol=1e-5)  # recomputed from all 32 dimensions
    one, _ = shared_label_knn(features, image_ids, image_labels, 3, 'flat', reduce_dim=1)
    assert (one == exact).mean() < 0.5
    assert (row != reduced).all()
