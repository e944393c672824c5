import importlib

import numpy as np
import pytest

from mmwsis.pseudo.liid_graph import LiidGraph
from mmwsis.pseudo.multiway_cut import (IlpSolution, cut_objective, fallback_cut, icm,
                                        lp_relaxation, multiway_cut, potts_cost,
                                        solve_component_ilp)

# The module, not the function of the same name that mmwsis.pseudo exports.
mc = importlib.import_module('mmwsis.pseudo.multiway_cut')


def _random_problem(rng, n, labels, edge_prob=0.4, terminal_prob=0.5):
    """(m, 2) edges, (m,) weights and (n, labels) sparse terminal weights."""
    pairs = [(u, v) for u in range(n) for v in range(u + 1, n) if rng.random() < edge_prob]
    edges = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    weights = rng.uniform(0.05, 1.5, len(edges))
    terminals = rng.random((n, labels)) * (rng.random((n, labels)) < terminal_prob)
    return edges, weights, terminals


def _brute_force(edges, weights, terminals):
    """Minimum cost over all labellings of at most ~10^5."""
    n, num_labels = terminals.shape
    every = np.indices((num_labels,) * n).reshape(n, -1).T
    cut = every[:, edges[:, 0]] != every[:, edges[:, 1]]
    kept = terminals[np.arange(n), every].sum(axis=1)
    return float((cut @ weights + terminals.sum() - kept).min())


def _union(problems):
    """Disjoint union of problems as one LiidGraph."""
    offsets = np.cumsum([0] + [t.shape[0] for _, _, t in problems])
    return LiidGraph(np.concatenate([e + o for (e, _, _), o in zip(problems, offsets)]),
                     np.concatenate([w for _, w, _ in problems]),
                     np.concatenate([t for _, _, t in problems]))


def test_potts_cost_by_hand():
    edges = np.array([[0, 1], [1, 2]])
    weights = np.array([2.0, 3.0])
    terminals = np.array([[0.5, 0.0], [0.0, 0.25], [1.0, 0.0]])
    # labels 0, 1, 1: edge 0-1 cut (2), node 2 loses its terminal 0 (1), node 0 keeps 0.5
    assert potts_cost(edges, weights, terminals, np.array([0, 1, 1])) == pytest.approx(3.0)
    graph = LiidGraph(edges, weights, terminals)
    assert cut_objective(graph, np.array([0, 0, 0])) == pytest.approx(0.25)


def test_ilp_is_optimal_against_brute_force():
    rng = np.random.default_rng(0)
    for _ in range(40):
        n, num_labels = int(rng.integers(1, 9)), int(rng.integers(3, 5))
        edges, weights, terminals = _random_problem(rng, n, num_labels)
        best = _brute_force(edges, weights, terminals)
        sol = solve_component_ilp(edges, weights, terminals)
        assert sol.optimal
        assert sol.objective == pytest.approx(best, abs=1e-7)
        assert potts_cost(edges, weights, terminals, sol.labels) == pytest.approx(best, abs=1e-7)


def test_ilp_respects_domain():
    rng = np.random.default_rng(1)
    edges, weights, terminals = _random_problem(rng, 6, 4)
    domain = np.zeros((6, 4), dtype=bool)
    domain[:, [1, 3]] = True
    sol = solve_component_ilp(edges, weights, terminals, domain)
    assert set(sol.labels.tolist()) <= {1, 3}
    sub = terminals[:, [1, 3]]
    sub_cost = _brute_force(edges, weights, sub) + terminals[:, [0, 2]].sum()
    assert sol.objective == pytest.approx(sub_cost, abs=1e-7)


def test_decomposition_equals_whole_graph():
    rng = np.random.default_rng(2)
    problems = [_random_problem(rng, int(rng.integers(1, 7)), 5) for _ in range(8)]
    graph = _union(problems)
    whole = solve_component_ilp(graph.edges, graph.edge_weights, graph.terminal_weights)
    result = multiway_cut(graph, num_workers=1, progress=False)
    assert whole.optimal and result.optimal.all()
    assert result.total_objective == pytest.approx(whole.objective, abs=1e-7)
    assert cut_objective(graph, result.labels) == pytest.approx(whole.objective, abs=1e-7)
    assert result.sizes.sum() == graph.num_nodes
    assert result.gap == pytest.approx(0.0, abs=1e-9)


def test_domain_restriction_keeps_the_optimum():
    """Components see few of 6 terminals; the cut only tries those, brute force all 6."""
    rng = np.random.default_rng(3)
    for _ in range(15):
        n = int(rng.integers(2, 7))
        edges, weights, few = _random_problem(rng, n, 2, edge_prob=0.7, terminal_prob=0.7)
        terminals = np.zeros((n, 6))
        terminals[:, rng.choice(6, 2, replace=False)] = few
        graph = LiidGraph(edges, weights, terminals)
        result = multiway_cut(graph, num_workers=1, progress=False)
        assert result.total_objective == pytest.approx(
            _brute_force(edges, weights, terminals), abs=1e-7)


def test_trivial_components():
    terminals = np.zeros((6, 4))
    terminals[0, 2] = 0.7  # alone: its best terminal
    terminals[0, 1] = 0.2
    terminals[[1, 2], 3] = [0.9, 0.4]  # 1-2-3 chain, node 3 without terminal edge
    terminals[4, 1] = 0.5  # 4-5: node 5 sees terminals 1 and 2 but prefers 1
    terminals[5, [1, 2]] = [0.6, 0.3]
    graph = LiidGraph(np.array([[1, 2], [2, 3], [4, 5]]), np.array([1.0, 1.0, 0.1]), terminals)
    result = multiway_cut(graph, num_workers=1, progress=False)
    assert (result.method == 'trivial').all() and result.optimal.all()
    np.testing.assert_array_equal(result.labels, [2, 3, 3, 3, 1, 1])
    lonely = multiway_cut(LiidGraph(np.zeros((0, 2), np.int64), np.zeros(0), np.zeros((2, 3))),
                          num_workers=1, progress=False)
    np.testing.assert_array_equal(lonely.labels, [0, 0])  # no terminal edge: background


def test_lp_relaxation_bounds_the_optimum():
    rng = np.random.default_rng(4)
    for _ in range(10):
        edges, weights, terminals = _random_problem(rng, 7, 4, edge_prob=0.6)
        value, x = lp_relaxation(edges, weights, terminals)
        assert value <= _brute_force(edges, weights, terminals) + 1e-7
        np.testing.assert_allclose(x.sum(axis=1), 1.0, atol=1e-7)


def test_icm_reaches_a_local_optimum():
    rng = np.random.default_rng(9)
    for _ in range(10):
        edges, weights, terminals = _random_problem(rng, 8, 4, edge_prob=0.5)
        start = rng.integers(0, 4, 8)
        labels = icm(edges, weights, terminals, start)
        cost = potts_cost(edges, weights, terminals, labels)
        assert cost <= potts_cost(edges, weights, terminals, start) + 1e-12
        for v in range(8):
            for k in range(4):
                moved = labels.copy()
                moved[v] = k
                assert potts_cost(edges, weights, terminals, moved) >= cost - 1e-9


def test_fallback_respects_its_bound():
    rng = np.random.default_rng(5)
    for _ in range(20):
        edges, weights, terminals = _random_problem(rng, 7, 4, edge_prob=0.6)
        best = _brute_force(edges, weights, terminals)
        fb = fallback_cut(edges, weights, terminals)
        assert fb.bound <= best + 1e-7 <= fb.objective + 2e-7
        assert potts_cost(edges, weights, terminals, fb.labels) == pytest.approx(fb.objective)
        no_lp = fallback_cut(edges, weights, terminals, use_lp=False)
        assert no_lp.bound <= fb.bound + 1e-9


def test_fallback_is_exact_on_easy_cases():
    """A path whose nodes each prefer one terminal, plus one node pulled by its
    neighbours: the LP is integral, and the fallback is the optimum with zero gap."""
    edges = np.array([[0, 1], [1, 2], [2, 3], [3, 4]])
    weights = np.array([1.0, 1.0, 0.2, 1.0])
    terminals = np.array([[0.9, 0, 0], [0.2, 0.3, 0], [0.8, 0, 0], [0, 0, 0.9],
                          [0, 0, 0.7]])
    fb = fallback_cut(edges, weights, terminals)
    best = _brute_force(edges, weights, terminals)
    assert fb.objective == pytest.approx(best) and fb.bound == pytest.approx(best)
    np.testing.assert_array_equal(fb.labels, [0, 0, 0, 2, 2])
    result = multiway_cut(LiidGraph(edges, weights, terminals), num_workers=1,
                          max_ilp_nodes=0, progress=False)
    assert result.method.tolist() == ['fallback'] and result.optimal.all()


def test_components_over_max_ilp_nodes_use_the_fallback():
    rng = np.random.default_rng(6)
    problems = [_random_problem(rng, 7, 4, edge_prob=0.8) for _ in range(4)]
    graph = _union(problems)
    exact = multiway_cut(graph, num_workers=1, progress=False)
    approx = multiway_cut(graph, num_workers=1, max_ilp_nodes=3, progress=False)
    big = approx.sizes > 3
    assert big.any() and (approx.method[big] == 'fallback').all()
    assert (approx.objective >= approx.bound - 1e-9).all()
    assert (approx.bound <= exact.objective + 1e-7).all()
    assert (approx.objective >= exact.objective - 1e-7).all()


def test_unproven_ilp_goes_to_fallback_from_its_incumbent(monkeypatch):
    """A CBC run stopped on its time limit (simulated) falls back, never worse."""
    rng = np.random.default_rng(7)
    graph = _union([_random_problem(rng, 6, 4, edge_prob=0.8) for _ in range(3)])
    real = mc.solve_component_ilp

    def timed_out(*args, **kwargs):
        sol = real(*args, **kwargs)
        return IlpSolution(sol.labels, False, sol.objective, 'Solution Found')

    monkeypatch.setattr(mc, 'solve_component_ilp', timed_out)
    result = multiway_cut(graph, num_workers=1, progress=False)
    solved = result.method != 'trivial'
    assert solved.any() and (result.method[solved] == 'fallback').all()
    monkeypatch.undo()
    exact = multiway_cut(graph, num_workers=1, progress=False)
    np.testing.assert_allclose(result.objective, exact.objective, atol=1e-7)


def test_workers_give_identical_results():
    rng = np.random.default_rng(8)
    graph = _union([_random_problem(rng, int(rng.integers(1, 8)), 6, edge_prob=0.5)
                    for _ in range(60)])
    calls = []
    one = multiway_cut(graph, num_workers=1, batch_variables=200, progress=False)
    two = multiway_cut(graph, num_workers=2, batch_variables=200,
                       progress=lambda done, total: calls.append((done, total)))
    np.testing.assert_array_equal(one.labels, two.labels)
    np.testing.assert_array_equal(one.method, two.method)
    np.testing.assert_allclose(one.objective, two.objective)
    assert calls[-1] == (two.sizes.size, two.sizes.size)
    assert (two.method == 'ilp').sum() > 1 and two.optimal.all()
