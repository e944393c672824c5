"""Exact multiway cut (Potts MAP) of a :class:`LiidGraph`, per connected component.

Objective, for labels ``l ∈ {0..C}^N`` (terminal ``k`` = class ``k``, 0 = background)::

    cost(l) = Σ_{(u,v) ∈ E} w_uv [l_u ≠ l_v]  +  Σ_v Σ_k t_vk [l_v ≠ k]

i.e. the weight of the proposal edges and terminal edges that the partition cuts.

* **Decomposition.** Terminals are fixed, so the cost is a sum over the connected
  components of the proposal–proposal graph, each of which is solved alone.
* **Label domain.** A component's labels are restricted to the terminals adjacent to
  its nodes. Exact: moving every node whose label lies outside that set to one common
  label inside it loses no terminal edge it had kept (it had none) and cuts no proposal
  edge that was not already cut, so some optimum uses only the domain. A component
  with no terminal edge at all is labelled background (0), as is a node alone with none.
* **Trivial components.** If one label is a best terminal of every node (always true
  for a single node, or when all nodes see one terminal), giving it to all nodes reaches
  the lower bound ``Σ_v min_k Σ_{j≠k} t_vj`` with no cut proposal edge: optimal, no ILP.
* **ILP** (:func:`solve_component_ilp`, PuLP + CBC). Small components are packed into
  one ILP per batch (a block-diagonal problem is optimal iff each block is), batches
  are fixed by component order alone and solved in worker processes, so the labels do
  not depend on ``num_workers`` unless a time limit is hit. A batch that CBC does not
  prove optimal in time is re-solved component by component.
* **Fallback** (:func:`fallback_cut`), for a component over ``max_ilp_nodes`` or whose
  own ILP timed out: ICM started from the best of the greedy labelling, the rounded LP
  relaxation and CBC's incumbent. Its lower bound is the LP relaxation value when the
  LP is solved in time, else the unary bound above, and the gap is reported.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Union

import numpy as np
import pulp
import scipy.sparse as sp
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

from .liid_graph import LiidGraph

Progress = Union[bool, Callable[[int, int], None]]


@dataclass(frozen=True)
class IlpSolution:
    """Result of :func:`solve_component_ilp`.

    Attributes:
        labels: (n,) int64 label index per node, ``None`` if CBC found no solution.
        optimal: CBC proved optimality.
        objective: cost of ``labels`` as read back from PuLP (NaN without a solution).
        status: PuLP's solution status text.
    """

    labels: np.ndarray | None
    optimal: bool
    objective: float
    status: str


@dataclass(frozen=True)
class FallbackSolution:
    """Result of :func:`fallback_cut`: (n,) ``labels``, their ``objective`` and a
    lower ``bound`` on the optimum (``objective − bound`` is the gap)."""

    labels: np.ndarray
    objective: float
    bound: float


@dataclass(frozen=True)
class CutResult:
    """Result of :func:`multiway_cut`, with ``M`` connected components.

    Attributes:
        labels: (N,) int64 terminal of each proposal, 0..C.
        component: (N,) int64 component of each proposal.
        sizes: (M,) nodes per component.
        method: (M,) str, ``'trivial'``, ``'ilp'`` or ``'fallback'``.
        optimal: (M,) bool, proved optimal.
        objective: (M,) float64 cost of each component's labelling.
        bound: (M,) float64 lower bound on each component's optimum.
        time: (M,) float64 seconds of the solve that handled the component (shared by
            the components of one ILP batch, 0 for trivial ones).
        wall_time: seconds for the whole cut.
    """

    labels: np.ndarray
    component: np.ndarray
    sizes: np.ndarray
    method: np.ndarray
    optimal: np.ndarray
    objective: np.ndarray
    bound: np.ndarray
    time: np.ndarray
    wall_time: float

    @property
    def total_objective(self) -> float:
        return float(self.objective.sum())

    @property
    def total_bound(self) -> float:
        return float(self.bound.sum())

    @property
    def gap(self) -> float:
        """Total objective minus total lower bound (0 when every component is optimal)."""
        return self.total_objective - self.total_bound

    def counts(self) -> dict[str, int]:
        """Components per method, and how many are proved optimal."""
        out = {m: int(np.count_nonzero(self.method == m))
               for m in ('trivial', 'ilp', 'fallback')}
        out['optimal'] = int(np.count_nonzero(self.optimal))
        return out


def potts_cost(edges: np.ndarray, edge_weights: np.ndarray, terminal_weights: np.ndarray,
               labels: np.ndarray) -> float:
    """Cost of ``labels`` (n,) on a graph with (m, 2) ``edges``, (m,) weights and
    (n, L) terminal weights: cut proposal edges plus cut terminal edges."""
    n = terminal_weights.shape[0]
    cut = labels[edges[:, 0]] != labels[edges[:, 1]]
    kept = terminal_weights[np.arange(n), labels]
    return float(edge_weights[cut].sum() + terminal_weights.sum() - kept.sum())


def cut_objective(graph: LiidGraph, labels: np.ndarray) -> float:
    """Multiway-cut cost of any (N,) labelling with values in 0..C."""
    return potts_cost(graph.edges, graph.edge_weights, graph.terminal_weights,
                      np.asarray(labels, dtype=np.int64))


def _unary_bound(terminal_weights: np.ndarray) -> float:
    """Optimum without proposal edges: each node keeps its heaviest terminal edge."""
    return float(terminal_weights.sum() - terminal_weights.max(axis=1).sum())


def solve_component_ilp(edges: np.ndarray,
                        edge_weights: np.ndarray,
                        terminal_weights: np.ndarray,
                        domain: np.ndarray | None = None,
                        time_limit: float | None = 30.0) -> IlpSolution:
    """Exact multiway cut of one graph as an ILP solved by CBC through PuLP.

    ``x_vk ∈ {0,1}``, ``Σ_k x_vk = 1``, ``z_uvk ≥ |x_uk − x_vk|`` (two inequalities),
    minimise ``½ Σ_uv w_uv Σ_k z_uvk + Σ_vk t_vk (1 − x_vk)``.

    Args:
        edges: (m, 2) int node pairs, indices into 0..n-1.
        edge_weights: (m,) non-negative weights.
        terminal_weights: (n, L) non-negative terminal weights.
        domain: (n, L) bool labels allowed per node (all if ``None``).
        time_limit: CBC's limit in seconds, ``None`` for none.

    Returns:
        :class:`IlpSolution`; ``optimal`` is False when CBC stopped on the time limit.
    """
    n, num_labels = terminal_weights.shape
    if domain is None:
        domain = np.ones((n, num_labels), dtype=bool)
    prob = pulp.LpProblem('multiway_cut', pulp.LpMinimize)
    index = np.full((n, num_labels), -1)
    nodes, ks = np.nonzero(domain)
    index[nodes, ks] = np.arange(nodes.size)
    x = [prob.add_variable(f'x_{v}_{k}', 0, 1, pulp.LpBinary) for v, k in zip(nodes, ks)]
    objective = [(x[i], -float(terminal_weights[v, k])) for i, (v, k) in enumerate(zip(nodes, ks))]
    for v in range(n):
        prob.addConstraint(pulp.LpConstraint(
            pulp.LpAffineExpression([(x[i], 1) for i in index[v][index[v] >= 0]]),
            pulp.LpConstraintEQ, rhs=1))
    for e, (u, v) in enumerate(edges):
        for k in np.flatnonzero(domain[u] | domain[v]):
            z = prob.add_variable(f'z_{e}_{k}', 0)
            objective.append((z, 0.5 * float(edge_weights[e])))
            xu = [(x[index[u, k]], 1)] if index[u, k] >= 0 else []
            xv = [(x[index[v, k]], 1)] if index[v, k] >= 0 else []
            for plus, minus in ((xu, xv), (xv, xu)):
                expr = [(z, 1)] + [(var, -c) for var, c in plus] + minus
                prob.addConstraint(pulp.LpConstraint(
                    pulp.LpAffineExpression(expr), pulp.LpConstraintGE, rhs=0))
    prob.setObjective(pulp.LpAffineExpression(objective,
                                              constant=float(terminal_weights.sum())))
    prob.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit))
    status = pulp.LpSolution[prob.sol_status]
    if prob.sol_status not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
        return IlpSolution(None, False, float('nan'), status)
    values = np.full((n, num_labels), -1.0)
    values[nodes, ks] = [var.varValue or 0.0 for var in x]
    return IlpSolution(np.argmax(values, axis=1), prob.sol_status == pulp.LpSolutionOptimal,
                       float(pulp.value(prob.objective)), status)


def lp_relaxation(edges: np.ndarray, edge_weights: np.ndarray, terminal_weights: np.ndarray,
                  time_limit: float | None = 30.0) -> tuple[float, np.ndarray] | None:
    """LP relaxation of the ILP above, by HiGHS (``scipy.optimize.linprog``).

    Returns:
        ``(value, x)`` with the LP optimum (a lower bound on the multiway cut) and the
        (n, L) fractional assignment, or ``None`` if it was not solved to optimality.
    """
    n, num_labels = terminal_weights.shape
    m = edges.shape[0]
    nx, nz = n * num_labels, m * num_labels
    cost = np.concatenate([-terminal_weights.ravel(),
                           np.repeat(0.5 * edge_weights, num_labels)])
    eq = sp.csr_matrix((np.ones(nx), (np.repeat(np.arange(n), num_labels), np.arange(nx))),
                       shape=(n, nx + nz))
    # rows: x_uk − x_vk − z_uvk ≤ 0 and x_vk − x_uk − z_uvk ≤ 0
    xu = (edges[:, :1] * num_labels + np.arange(num_labels)).ravel()
    xv = (edges[:, 1:] * num_labels + np.arange(num_labels)).ravel()
    z = nx + np.arange(nz)
    rows = np.arange(2 * nz)
    ub = sp.csr_matrix((np.concatenate([np.ones(2 * nz), -np.ones(2 * nz), -np.ones(2 * nz)]),
                        (np.tile(rows, 3), np.concatenate([xu, xv, xv, xu, z, z]))),
                       shape=(2 * nz, nx + nz))
    options = {} if time_limit is None else {'time_limit': float(time_limit)}
    res = linprog(cost, A_ub=ub, b_ub=np.zeros(2 * nz), A_eq=eq, b_eq=np.ones(n),
                  bounds=(0, 1), method='highs', options=options)
    if res.status != 0:
        return None
    return float(res.fun + terminal_weights.sum()), res.x[:nx].reshape(n, num_labels)


def icm(edges: np.ndarray, edge_weights: np.ndarray, terminal_weights: np.ndarray,
        labels: np.ndarray, max_sweeps: int = 100) -> np.ndarray:
    """Iterated conditional modes: move single nodes to their best label while that
    strictly lowers the cost. Returns new (n,) labels, never costlier than ``labels``."""
    n, num_labels = terminal_weights.shape
    labels = labels.copy()
    adj = sp.coo_matrix((np.concatenate([edge_weights, edge_weights]),
                         (np.concatenate([edges[:, 0], edges[:, 1]]),
                          np.concatenate([edges[:, 1], edges[:, 0]]))), shape=(n, n)).tocsr()
    unary = terminal_weights.sum(axis=1, keepdims=True) - terminal_weights
    for _ in range(max_sweeps):
        changed = False
        for v in range(n):
            lo, hi = adj.indptr[v], adj.indptr[v + 1]
            w = adj.data[lo:hi]
            cost = unary[v] + w.sum() - np.bincount(labels[adj.indices[lo:hi]], w,
                                                    minlength=num_labels)
            best = int(np.argmin(cost))
            if cost[best] < cost[labels[v]] - 1e-12:
                labels[v] = best
                changed = True
        if not changed:
            break
    return labels


def fallback_cut(edges: np.ndarray, edge_weights: np.ndarray, terminal_weights: np.ndarray,
                 time_limit: float | None = 30.0,
                 start: np.ndarray | None = None,
                 use_lp: bool = True) -> FallbackSolution:
    """Approximate multiway cut with a certified lower bound.

    ICM from the cheapest of: the greedy labelling (each node's heaviest terminal), the
    LP relaxation rounded by ``argmax`` per node, and ``start`` (e.g. CBC's incumbent).
    Bound: the LP value (a relaxation) when HiGHS solves the LP within ``time_limit``,
    else the unary bound (proposal edges ignored, their cost being non-negative).
    ``use_lp=False`` skips the LP (its memory grows to several GiB past ~10^4 nodes).
    """
    starts = [np.argmax(terminal_weights, axis=1)]
    bound = _unary_bound(terminal_weights)
    lp = lp_relaxation(edges, edge_weights, terminal_weights, time_limit) if use_lp else None
    if lp is not None:
        bound = max(bound, lp[0])
        starts.append(np.argmax(lp[1], axis=1))
    if start is not None:
        starts.append(np.asarray(start, dtype=np.int64))
    costs = [potts_cost(edges, edge_weights, terminal_weights, s) for s in starts]
    labels = icm(edges, edge_weights, terminal_weights, starts[int(np.argmin(costs))])
    return FallbackSolution(labels, potts_cost(edges, edge_weights, terminal_weights, labels),
                            bound)


@dataclass(frozen=True)
class _Component:
    """One non-trivial component, with local node indices and its label domain."""

    index: int
    edges: np.ndarray  # (m, 2) local
    edge_weights: np.ndarray  # (m,)
    terminal_weights: np.ndarray  # (n, L) columns = domain

    @property
    def size(self) -> int:
        return self.terminal_weights.shape[0]

    @property
    def variables(self) -> int:
        return (self.size + self.edges.shape[0]) * self.terminal_weights.shape[1]


@dataclass(frozen=True)
class _Limits:
    time_limit: float | None
    max_ilp_nodes: int
    max_lp_nodes: int


# per component: (index, local labels, method, optimal, objective, bound, seconds)
_Solved = tuple[int, np.ndarray, str, bool, float, float, float]


def _solve_alone(comp: _Component, limits: _Limits) -> _Solved:
    start = time.perf_counter()
    args = (comp.edges, comp.edge_weights, comp.terminal_weights)
    incumbent = None
    if comp.size <= limits.max_ilp_nodes:
        sol = solve_component_ilp(*args, time_limit=limits.time_limit)
        if sol.optimal:
            cost = potts_cost(*args, sol.labels)
            return (comp.index, sol.labels, 'ilp', True, cost, cost,
                    time.perf_counter() - start)
        incumbent = sol.labels
    fb = fallback_cut(*args, time_limit=limits.time_limit, start=incumbent,
                      use_lp=comp.size <= limits.max_lp_nodes)
    optimal = fb.objective - fb.bound <= 1e-9 * max(1.0, abs(fb.bound))
    return (comp.index, fb.labels, 'fallback', optimal, fb.objective, fb.bound,
            time.perf_counter() - start)


def _solve_batch(batch: list[_Component], limits: _Limits) -> list[_Solved]:
    """Solve a batch as one block-diagonal ILP; components of a batch that is not proved
    optimal (and a single component) go through :func:`_solve_alone`."""
    if len(batch) == 1:
        return [_solve_alone(batch[0], limits)]
    start = time.perf_counter()
    offsets = np.cumsum([0] + [c.size for c in batch])
    width = max(c.terminal_weights.shape[1] for c in batch)
    weights = np.zeros((offsets[-1], width))
    domain = np.zeros((offsets[-1], width), dtype=bool)
    for c, lo in zip(batch, offsets):
        weights[lo:lo + c.size, :c.terminal_weights.shape[1]] = c.terminal_weights
        domain[lo:lo + c.size, :c.terminal_weights.shape[1]] = True
    sol = solve_component_ilp(np.concatenate([c.edges + lo for c, lo in zip(batch, offsets)]),
                              np.concatenate([c.edge_weights for c in batch]), weights,
                              domain, limits.time_limit)
    if not sol.optimal:
        return [_solve_alone(c, limits) for c in batch]
    seconds = time.perf_counter() - start
    out = []
    for c, lo in zip(batch, offsets):
        labels = sol.labels[lo:lo + c.size]
        cost = potts_cost(c.edges, c.edge_weights, c.terminal_weights, labels)
        out.append((c.index, labels, 'ilp', True, cost, cost, seconds))
    return out


def _batches(components: list[_Component], max_ilp_nodes: int,
             batch_variables: int) -> list[list[_Component]]:
    """Consecutive ILP-sized components packed up to ``batch_variables`` variables;
    larger components, and those over ``max_ilp_nodes``, alone."""
    batches, current, used = [], [], 0
    for comp in components:
        if comp.size > max_ilp_nodes or comp.variables >= batch_variables:
            batches.append([comp])
            continue
        if used + comp.variables > batch_variables:
            batches.append(current)
            current, used = [], 0
        current.append(comp)
        used += comp.variables
    if current:
        batches.append(current)
    return batches


def _split(graph: LiidGraph, comp: np.ndarray, sizes: np.ndarray, selected: np.ndarray
           ) -> tuple[list[_Component], dict[int, tuple[np.ndarray, np.ndarray]]]:
    """The ``selected`` components as :class:`_Component` (in component order), and for
    each its (n,) global nodes and (L,) domain of terminal labels."""
    n = graph.num_nodes
    nodes_sorted = np.argsort(comp, kind='stable')
    starts = np.concatenate([[0], np.cumsum(sizes)])
    local = np.empty(n, dtype=np.int64)
    local[nodes_sorted] = np.arange(n) - starts[comp[nodes_sorted]]
    edge_comp = comp[graph.edges[:, 0]]
    edges_sorted = np.argsort(edge_comp, kind='stable')
    edge_starts = np.concatenate([[0], np.cumsum(np.bincount(edge_comp, minlength=sizes.size))])
    components, where = [], {}
    for c in np.flatnonzero(selected):
        nodes = nodes_sorted[starts[c]:starts[c + 1]]
        e = edges_sorted[edge_starts[c]:edge_starts[c + 1]]
        tw = graph.terminal_weights[nodes]
        domain = np.flatnonzero(tw.any(axis=0))
        components.append(_Component(int(c), local[graph.edges[e]], graph.edge_weights[e],
                                     tw[:, domain]))
        where[int(c)] = (nodes, domain)
    return components, where


def _run(batches: list[list[_Component]], num_workers: int, limits: _Limits,
         reporter: Callable[..., None], done: int) -> Iterator[list[_Solved]]:
    """Solve the batches in this process or in a pool (largest first), yielding results
    as they come and reporting progress."""
    if num_workers <= 1:
        for batch in batches:
            yield _solve_batch(batch, limits)
            done += len(batch)
            reporter(done)
    else:
        by_size = sorted(batches, key=lambda b: -sum(c.variables for c in b))
        with ProcessPoolExecutor(num_workers) as pool:
            pending = {pool.submit(_solve_batch, b, limits) for b in by_size}
            while pending:
                finished, pending = wait(pending, timeout=5.0, return_when=FIRST_COMPLETED)
                for future in finished:
                    solved = future.result()
                    done += len(solved)
                    yield solved
                reporter(done)
    reporter(done, True)


class _Reporter:
    """Calls ``progress(done, total)``; ``True`` prints to stderr at most every 5 s."""

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress, self.total, self.last = progress, total, time.perf_counter()

    def __call__(self, done: int, force: bool = False) -> None:
        if callable(self.progress):
            self.progress(done, self.total)
        elif self.progress and (force or time.perf_counter() - self.last >= 5.0):
            print(f'multiway_cut: {done}/{self.total} components', file=sys.stderr, flush=True)
            self.last = time.perf_counter()


def multiway_cut(graph: LiidGraph,
                 num_workers: int = 2,
                 time_limit: float | None = 30.0,
                 max_ilp_nodes: int = 2000,
                 max_lp_nodes: int = 20000,
                 batch_variables: int = 20000,
                 progress: Progress = True) -> CutResult:
    """Multiway cut of a LIID graph, exact per component (see the module docstring).

    Args:
        graph: the proposal graph.
        num_workers: worker processes for the ILPs (1 = in this process).
        time_limit: CBC (and fallback LP) limit per solve, in seconds.
        max_ilp_nodes: larger components go straight to :func:`fallback_cut`.
        max_lp_nodes: larger components get no LP bound in the fallback (memory).
        batch_variables: ILP variables packed into one CBC call at most.
        progress: ``True`` prints a count to stderr every few seconds, ``False`` is
            silent, a callable gets ``(components done, components total)``.

    Returns:
        :class:`CutResult`.
    """
    start = time.perf_counter()
    n = graph.num_nodes
    tw = graph.terminal_weights
    adj = sp.coo_matrix((np.ones(graph.num_edges), (graph.edges[:, 0], graph.edges[:, 1])),
                        shape=(n, n))
    num_comp, comp = connected_components(adj, directed=False)
    comp = comp.astype(np.int64)
    sizes = np.bincount(comp, minlength=num_comp)
    best = np.argmax(tw, axis=1)
    heaviest = tw.max(axis=1)
    # candidate label per component: best terminal of its node with the heaviest edge
    order = np.lexsort((-heaviest, comp))
    firsts = order[np.concatenate([[0], np.cumsum(sizes)[:-1]])]
    candidate = best[firsts]
    fits = tw[np.arange(n), candidate[comp]] >= heaviest
    trivial = np.bincount(comp, weights=~fits, minlength=num_comp) == 0

    labels = np.where(trivial[comp], candidate[comp], -1)
    unary = np.bincount(comp, weights=tw.sum(axis=1) - heaviest, minlength=num_comp)
    method = np.where(trivial, 'trivial', 'ilp').astype('<U8')
    optimal = trivial.copy()
    objective = np.where(trivial, unary, np.nan)
    bound = objective.copy()
    seconds = np.zeros(num_comp)

    components, where = _split(graph, comp, sizes, ~trivial)
    reporter = _Reporter(progress, num_comp)
    done = int(trivial.sum())
    reporter(done)
    batches = _batches(components, max_ilp_nodes, batch_variables)
    limits = _Limits(time_limit, max_ilp_nodes, max_lp_nodes)
    for solved in _run(batches, num_workers, limits, reporter, done):
        for index, local, how, opt, obj, low, sec in solved:
            nodes, domain = where[index]
            labels[nodes] = domain[local]
            method[index], optimal[index] = how, opt
            objective[index], bound[index], seconds[index] = obj, low, sec
    return CutResult(labels, comp, sizes, method, optimal, objective, bound, seconds,
                     time.perf_counter() - start)
