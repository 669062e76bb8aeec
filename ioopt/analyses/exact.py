"""Exact leave-one-out and force-in re-solves on one :class:`HighsSession`.

The model is built with the ``commitment`` family off (committed projects become
candidates from their committed year) and each committed project's build decision fixed
at its year: the same optimum, and every project can be removed or forced in by changing
column or row bounds. Each re-solve reports its :class:`Outcome` — status, incumbent and
proven bound — so a re-solve that stops at its time limit is never read as a verdict.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from ioopt.case import Case
from ioopt.formulation import build_model
from ioopt.schemas import FamilySettings
from ioopt.solver.compile import INF, compile_model
from ioopt.solver.highs import HighsSession
from ioopt.solver.status import SolveStatus

RANK_MIP_GAP = 1e-6
"""Exact values are differences of two optima: solve each to a tight gap."""

RESOLVE_OPTIONS = {"mip_allow_restart": False}
"""HiGHS options of the re-solves: without MIP restarts the default case's 91 re-solves
take a third less time with the same values (to 1e-10; measured when set)."""


@dataclass(frozen=True)
class Base:
    """A solved base to start a session from: its objective, solution and column table."""

    objective: float
    x: np.ndarray
    cols: dict[str, dict[Any, int]]


@dataclass(frozen=True)
class Outcome:
    """What one re-solve ended with."""

    status: SolveStatus
    objective: float = float("nan")
    """The incumbent's objective (NaN without one)."""
    bound: float = float("nan")
    """The proven bound on the optimum (a maximum: no solution is better; NaN: none)."""
    gap: float = float("nan")
    changed: tuple[str, ...] = ()
    """The other projects whose build decision differs from the base portfolio's."""
    seconds: float = 0.0
    """HiGHS's own time for the re-solve."""

    def fall(self, base: float) -> float:
        """How much the optimum falls from ``base``: from the re-solve's incumbent; inf
        when the re-solve proved there is no solution; NaN when it stopped without one
        (no verdict).
        """
        if self.status.has_solution:
            return base - self.objective
        return float("inf") if self.status == SolveStatus.INFEASIBLE else float("nan")



def committed_dependents(case: Case) -> dict[str, list[str]]:
    """Each project -> the committed projects that need it, directly or through others
    (dependencies.csv, when the dependency family is on). A committed project cannot run
    without what it requires, so leaving a project out takes these out with it.
    """
    if not case.config.families.get("dependency", FamilySettings()).enabled:
        return {}
    p = case.projects
    committed = set(p.index[p["status"] == "committed"])
    needed_by: dict[str, set[str]] = defaultdict(set)
    dep = case.dependencies
    for a, k in zip(dep["project"], dep["requires"], strict=True):
        if a in committed:
            needed_by[str(k)].add(str(a))
    out: dict[str, list[str]] = {}
    for j in list(needed_by):
        found: list[str] = []
        todo = [j]
        while todo:
            for a in sorted(needed_by.get(todo.pop(), ())):
                if a not in found and a != j:
                    found.append(a)
                    todo.append(a)
        out[j] = found
    return out


class ExactSession:
    """The case's MILP on one session, for leave-one-out and force-in re-solves.

    ``fixed``: every other build decision held at the base optimum (the re-solves are LPs:
    fast estimates, each a bound on the exact value). ``base``: the case's solved base
    (its solution and objective, the same optimum): given, the session takes it as its
    start instead of solving the base MILP again.
    """

    def __init__(self, case: Case, time_limit: float | None = None,
                 mip_gap: float = RANK_MIP_GAP, threads: int = 1, fixed: bool = False,
                 base: Base | None = None) -> None:
        fams = dict(case.config.families)
        fams["commitment"] = FamilySettings(enabled=False)
        free = case.replace(config=case.config.model_copy(update={"families": fams}))
        self.built = build_model(free)
        self.d = self.built.data
        self.comp = compile_model(self.built.pyomo)
        self.s = HighsSession(self.comp, time_limit=time_limit, mip_gap=mip_gap, threads=threads,
                              options=RESOLVE_OPTIONS)
        p = case.projects
        self.committed = {j: int(oy) for j, st, oy in zip(p.index, p["status"], p["online_year"],
                                                           strict=True) if st == "committed"}
        self.build_cols: dict[str, list[tuple[int, int]]] = defaultdict(list)
        build: dict[Any, int] = self.comp.cols.get("build", {})
        for (j, t), col in build.items():
            self.build_cols[j].append((t, col))
        for cols in self.build_cols.values():
            cols.sort()
        self.once_row = dict(self.comp.rows.get("build_once", {}))
        self.dependents = committed_dependents(case)
        for j, oy in self.committed.items():
            for t, col in self.build_cols.get(j, []):
                v = 1.0 if t == oy else 0.0
                self.s.set_col_bounds(np.array([col]), np.array([v]), np.array([v]))
        self.start: np.ndarray | None = None
        """The base optimum (the warm start of every re-solve)."""
        if base is not None:
            self.start = self._mapped(base)
            self.base_status, self.base_objective = SolveStatus.OPTIMAL, base.objective
        else:
            first = self._run()
            self.base_status, self.base_objective = first.status, first.objective
            self.start = self._x if first.status.has_solution else None
        self.fixed = fixed and self.start is not None
        self.base_build: dict[int, float] = {}
        if self.fixed:
            assert self.start is not None
            ints = self.comp.integer_cols
            vals = np.round(self.start[ints])
            self.s.set_col_bounds(ints, vals, vals)
            self.s.relax_integrality()
            self.base_build = dict(zip(ints.tolist(), vals.tolist(), strict=True))
            again = self._run()
            self.base_status, self.base_objective = again.status, again.objective

    def _mapped(self, base: Base) -> np.ndarray:
        """The base solution in this session's columns, matched by (component, index);
        committed projects' build decisions (fixed in the base) are 1 in their year.
        """
        x = np.zeros(self.comp.n_cols)
        for c, (name, idx) in enumerate(self.comp.col_ref):
            b = base.cols.get(name, {}).get(idx)
            if b is not None:
                x[c] = base.x[b]
        for j, oy in self.committed.items():
            for t, col in self.build_cols.get(j, []):
                x[col] = 1.0 if t == oy else 0.0
        return x

    def _run(self, j: str | None = None) -> Outcome:
        res = self.s.solve(duals=False)
        self._x = res.col_value
        bound = res.bound if res.bound is not None else (
            res.objective if res.status == SolveStatus.OPTIMAL and res.objective is not None
            else float("nan"))
        return Outcome(res.status, float("nan") if res.objective is None else res.objective,
                       float(bound), float("nan") if res.mip_gap is None else res.mip_gap,
                       self._changed(res.col_value, j), res.timings.get("solve", 0.0))

    def _changed(self, x: np.ndarray | None, j: str | None) -> tuple[str, ...]:
        start = self.start
        if x is None or start is None or j is None:
            return ()
        out = []
        for k, cols in self.build_cols.items():
            if k == j:
                continue
            idx = [c for _, c in cols]
            if bool((start[idx] > 0.5).any()) != bool((x[idx] > 0.5).any()):
                out.append(k)
        return tuple(sorted(out))

    def _restore(self, j: str) -> None:
        for t, col in self.build_cols.get(j, []):
            if self.fixed:
                v = self.base_build[col]
                lo, hi = v, v
            elif j in self.committed:
                lo = hi = 1.0 if t == self.committed[j] else 0.0
            else:
                lo, hi = 0.0, 1.0
            self.s.set_col_bounds(np.array([col]), np.array([lo]), np.array([hi]))

    def _warm(self, zero_cols: list[int] | None = None) -> None:
        if self.start is None or self.fixed:
            return
        x = self.start.copy()
        x[zero_cols or []] = 0.0
        self.s.set_mip_start(x)

    def without(self, j: str) -> Outcome:
        """The optimum with project j (and the committed projects that need it) never built."""
        gone = [j, *self.dependents.get(j, [])]
        cols = [c for k in gone for _, c in self.build_cols.get(k, [])]
        xt = self.comp.cols.get("x", {})
        x_cols = [xt[(k, t)] for k in gone for t in self.d.x_years(k) if (k, t) in xt]
        self.s.set_col_bounds(np.array(cols), np.zeros(len(cols)), np.zeros(len(cols)))
        self._warm(cols + x_cols)
        out = self._run(j)
        for k in gone:
            self._restore(k)
        return out

    def forced(self, j: str) -> Outcome:
        """The optimum with candidate j built (in the year that suits it best)."""
        cols = [c for _, c in self.build_cols.get(j, [])]
        if not cols:
            return Outcome(SolveStatus.INFEASIBLE)
        if self.fixed:  # free j's own decisions only (an LP: the best mix of its years)
            self.s.set_col_bounds(np.array(cols), np.zeros(len(cols)), np.ones(len(cols)))
        if j in self.once_row:
            r = np.array([self.once_row[j]])
            self.s.set_row_bounds(r, np.array([1.0]), np.array([1.0]))
            self._warm()
            out = self._run(j)
            self.s.set_row_bounds(r, np.array([-INF]), np.array([1.0]))
        else:
            self.s.set_col_bounds(np.array(cols[:1]), np.array([1.0]), np.array([1.0]))
            self._warm()
            out = self._run(j)
        self._restore(j)
        return out


def exact_values(case: Case, tasks: list[tuple[str, str]], workers: int,
                 time_limit: float | None, mip_gap: float, base: Base | None = None
                 ) -> tuple[float, dict[tuple[str, str], Outcome]]:
    """(the re-solve model's base optimum, each (project, 'without'|'forced') task's
    outcome), the tasks split into one chunk per worker, each on its own session started
    from ``base`` when given.
    """
    if not tasks:
        return float("nan"), {}
    n = max(1, min(workers, len(tasks)))
    chunks = [tasks[i::n] for i in range(n)]
    args = [(case, chunk, time_limit, mip_gap, base) for chunk in chunks]
    results = map_tasks(_exact_chunk, args, n)
    objective = float(results[0][0])
    out = {}
    for _, done in results:
        for j, what, outcome in done:
            out[(j, what)] = outcome
    return objective, out


def _exact_chunk(args: tuple[Case, list[tuple[str, str]], float | None, float, Base | None]
                 ) -> tuple[float, list[tuple[str, str, Outcome]]]:
    case, chunk, time_limit, mip_gap, base = args
    s = ExactSession(case, time_limit, mip_gap, base=base)
    done = []
    for j, what in chunk:
        o = s.without(j) if what == "without" else s.forced(j)
        done.append((j, what, o))
    return s.base_objective, done


def map_tasks(fn: Callable[[Any], Any], tasks: list[Any], workers: int) -> list[Any]:
    """``fn`` over ``tasks`` in order, in a process pool when there are several workers
    (each task carries what it needs: no process globals).
    """
    if workers <= 1 or len(tasks) <= 1:
        return [fn(t) for t in tasks]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, tasks, chunksize=max(1, len(tasks) // (4 * workers))))
