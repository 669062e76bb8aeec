"""The one HiGHS session: everything that talks to the solver goes through it.

A :class:`HighsSession` holds one compiled model (:mod:`ioopt.solver.compile`) and one
``highspy.Highs`` instance (constructed here and nowhere else in ioopt). It

- solves: an LP, or a MILP then the LP with the integer decisions fixed at the optimum,
  whose row duals are the shadow prices (MILP duals are not meaningful);
- edits in place: row bounds, matrix coefficients and column bounds, in its own copy of
  the arrays and on the instance, so a re-solve of an LP starts from the previous basis
  (a hot start); a MILP after a fixed-integer LP gets the edited model passed whole;
- takes MIP starts, computes ranging and an IIS, and maps HiGHS's model status to
  :class:`~ioopt.solver.status.SolveStatus` (time limits with or without an incumbent).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np

from ioopt.errors import check_solver_limits
from ioopt.solver.compile import Compiled
from ioopt.solver.status import REFUSED, SolveStatus, solver_error

INF = highspy.kHighsInf


@dataclass
class Ranging:
    """HiGHS's sensitivity ranges of an LP at its optimal basis.

    ``row_lo``/``row_hi``: the interval over which a row's active bound can move with the
    basis (and so the row's dual) unchanged; ``cost_lo``/``cost_hi``: the interval of a
    column's objective coefficient over which the basis stays optimal. Infinite where
    unlimited.
    """

    row_lo: np.ndarray
    row_hi: np.ndarray
    cost_lo: np.ndarray
    cost_hi: np.ndarray


@dataclass
class SolveResult:
    """Outcome of a solve: status, objective, values, shadow prices, timings."""

    status: SolveStatus
    termination: str
    """HiGHS's model status, as HiGHS words it."""
    message: str
    objective: float | None = None
    """The incumbent's objective (None without a solution)."""
    bound: float | None = None
    """The best bound HiGHS proved (a MILP; for an optimal solve, within the gap)."""
    mip_gap: float | None = None
    is_mip: bool = False
    shadow_price_method: str = ""
    col_value: np.ndarray | None = None
    row_dual: np.ndarray | None = None
    col_dual: np.ndarray | None = None
    timings: dict[str, float] = field(default_factory=dict)
    compiled: Compiled | None = None
    ranging: Ranging | None = None
    """Sensitivity ranges of the LP the duals come from (None unless asked for)."""
    cache: dict[Any, Any] = field(default_factory=dict)
    """Values derived from this solution once (ioopt.results)."""
    numerics: list[str] = field(default_factory=list)
    """Numbers of the model outside HiGHS's comfortable ranges (ioopt.solver.numerics)."""


def infeasible_result(reason: str) -> SolveResult:
    """The result of a model found infeasible before solving (rows no decision enters)."""
    return SolveResult(SolveStatus.INFEASIBLE, "Infeasible (before solving)",
                       "constraints that no decision can satisfy: " + reason)


FIXED_LP_SECONDS = 120.0
"""The time budget of the fixed-integer LP re-solve (on top of the MILP's own limit)."""


class HighsSession:
    """One compiled model on one HiGHS instance: solve, edit in place, solve again."""

    def __init__(self, comp: Compiled, time_limit: float | None = None,
                 mip_gap: float | None = None, threads: int | None = None,
                 log_file: str | None = None, options: dict[str, Any] | None = None) -> None:
        check_solver_limits(time_limit, mip_gap, ("solver time limit", "solver MIP gap"))
        self.comp = comp
        lp = comp.lp
        self.row_lower = np.asarray(lp.row_lower_, dtype=float).copy()
        self.row_upper = np.asarray(lp.row_upper_, dtype=float).copy()
        self.col_lower = np.asarray(lp.col_lower_, dtype=float).copy()
        self.col_upper = np.asarray(lp.col_upper_, dtype=float).copy()
        self.values = np.asarray(lp.a_matrix_.value_, dtype=float).copy()
        self._index = np.asarray(lp.a_matrix_.index_, dtype=np.int64)
        self._start = np.asarray(lp.a_matrix_.start_, dtype=np.int64)
        self.is_mip = len(comp.integer_cols) > 0
        self.h: Any = highspy.Highs()
        self.h.setOptionValue("output_flag", log_file is not None)
        if log_file:
            self.h.setOptionValue("log_file", log_file)
            self.h.setOptionValue("log_to_console", False)
        if time_limit is not None:
            self.h.setOptionValue("time_limit", float(time_limit))
        if mip_gap is not None:
            self.h.setOptionValue("mip_rel_gap", float(mip_gap))
        if threads:
            self.h.setOptionValue("threads", int(threads))
        for name, value in (options or {}).items():
            self.h.setOptionValue(name, value)
        self._refused = False
        """Whether HiGHS refused the model last passed to it (passModel failed)."""
        self.integral = True
        """False after :meth:`relax_integrality`: the session solves the LP relaxation."""
        self._in_sync = False
        """Whether the instance holds exactly the session's arrays (else pass it whole)."""
        self._start_x: np.ndarray | None = None
        self.solves = 0

    # ------------------------------------------------------------------ edits

    def set_row_bounds(self, rows: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        """Set the bounds of rows (model arrays, and the instance when in sync)."""
        self._set_bounds(self.row_lower, self.row_upper, rows, lower, upper,
                         self.h.changeRowsBounds)

    def set_col_bounds(self, cols: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
        """Set the bounds of columns (model arrays, and the instance when in sync)."""
        self._set_bounds(self.col_lower, self.col_upper, cols, lower, upper,
                         self.h.changeColsBounds)

    def _set_bounds(self, lo_all: np.ndarray, up_all: np.ndarray, idx: np.ndarray,
                    lower: np.ndarray, upper: np.ndarray, change: Any) -> None:
        idx = np.asarray(idx, dtype=np.int64)
        if not len(idx):
            return
        lo_all[idx] = lower
        up_all[idx] = upper
        if self._in_sync:
            change(len(idx), idx.astype(np.int32), lo_all[idx], up_all[idx])

    def coefficient(self, row: int, col: int) -> float:
        """The matrix coefficient at (row, col) (0 where there is none)."""
        k = self._position(row, col)
        return 0.0 if k is None else float(self.values[k])

    def set_coefficient(self, row: int, col: int, value: float) -> None:
        """Set one matrix coefficient; a new nonzero needs the model passed again."""
        k = self._position(row, col)
        if k is None:
            if value == 0.0:
                return
            raise ValueError(f"no coefficient at ({self.comp.row_name(row)}, "
                             f"{self.comp.col_name(col)}) to change")
        self.values[k] = value
        if self._in_sync:
            self.h.changeCoeff(int(row), int(col), float(value))

    def _position(self, row: int, col: int) -> int | None:
        lo, hi = self._start[col], self._start[col + 1]
        k = lo + int(np.searchsorted(self._index[lo:hi], row))
        return k if k < hi and self._index[k] == row else None

    def set_mip_start(self, x: np.ndarray | None) -> None:
        """A starting solution for the next MILP solve (None: none)."""
        self._start_x = None if x is None else np.asarray(x, dtype=float)

    # ------------------------------------------------------------------ solve

    def relax_integrality(self) -> None:
        """From now on solve the LP relaxation (the integer columns continuous)."""
        self.integral = False
        self._in_sync = False

    def _load(self) -> None:
        lp = self.comp.lp
        lp.row_lower_, lp.row_upper_ = self.row_lower, self.row_upper
        lp.col_lower_, lp.col_upper_ = self.col_lower, self.col_upper
        lp.a_matrix_.value_ = self.values
        # HiGHS silently drops a NaN coefficient and reads a NaN cost or bound as a
        # verdict: refuse them here, as HiGHS refuses huge numbers (passModel fails)
        nan = (not np.isfinite(self.values).all() or not np.isfinite(lp.col_cost_).all()
               or any(np.isnan(a).any() for a in (self.row_lower, self.row_upper,
                                                  self.col_lower, self.col_upper)))
        self._refused = nan or self.h.passModel(lp) == highspy.HighsStatus.kError
        if self.is_mip and not self.integral:
            ints = self.comp.integer_cols.astype(np.int32)
            n = len(ints)
            self.h.changeColsIntegrality(n, ints,
                                         np.array([highspy.HighsVarType.kContinuous] * n))
        self._in_sync = True

    def solve(self, duals: bool = True, ranging: bool = False) -> SolveResult:
        """Solve the model as it now stands.

        ``duals``: for a MILP, re-solve the LP with the integers fixed at the optimum for
        shadow prices (the instance is then out of sync and the next solve passes the
        model whole). ``ranging``: sensitivity ranges of the LP the duals come from.
        """
        if not self._in_sync:
            self._load()
        if self._refused:  # HiGHS kept no model: never read its (empty) answer
            return SolveResult(SolveStatus.ERROR, REFUSED, _message(SolveStatus.ERROR, REFUSED),
                               compiled=self.comp)
        is_mip = self.is_mip and self.integral
        if is_mip and self._start_x is not None:
            sol = highspy.HighsSolution()
            sol.col_value = self._start_x.tolist()
            sol.value_valid = True
            self.h.setSolution(sol)
            self._start_x = None
        t1 = time.perf_counter()
        self.h.run()
        status, term = self.status()
        if status == SolveStatus.UNBOUNDED and term != "Unbounded":
            # presolve could not tell infeasible from unbounded: ask again without it
            self.h.setOptionValue("presolve", "off")
            self.h.run()
            status, term = self.status()
            self.h.setOptionValue("presolve", "choose")
        t2 = time.perf_counter()
        self.solves += 1
        res = SolveResult(status, term, _message(status, term), is_mip=is_mip,
                          compiled=self.comp, timings={"solve": t2 - t1})
        info = self.h.getInfo()
        if is_mip:
            bound = float(info.mip_dual_bound)
            res.bound = bound if np.isfinite(bound) and abs(bound) < INF else None
        if not status.has_solution:
            return res
        res.objective = float(info.objective_function_value)
        res.mip_gap = float(info.mip_gap) if is_mip else 0.0
        res.col_value = np.asarray(self.h.getSolution().col_value, dtype=float)
        if not is_mip:
            self._take_lp(res, ranging)
            res.shadow_price_method = ("LP relaxation duals (build decisions may be fractional; "
                                       "the objective bounds the MILP's)" if self.comp.relaxed
                                       else "LP duals (the model has no integer decisions)")
        elif duals:
            self._fixed_lp(res, ranging)
        res.timings["resolve_lp"] = time.perf_counter() - t2
        return res

    def _fixed_lp(self, res: SolveResult, ranging: bool) -> None:
        assert res.col_value is not None
        ints = self.comp.integer_cols.astype(np.int32)
        n = len(ints)
        fixed = np.round(res.col_value[ints])
        self.h.changeColsIntegrality(n, ints, np.array([highspy.HighsVarType.kContinuous] * n))
        self.h.changeColsBounds(n, ints, fixed, fixed)
        self._in_sync = False
        # the LP gets its own time budget: HiGHS counts its time limit on a clock that the
        # MILP's run has already used up (a time-limited MILP would lose every price)
        _, limit = self.h.getOptionValue("time_limit")
        self.h.setOptionValue("time_limit", float(self.h.getRunTime()) + FIXED_LP_SECONDS)
        try:
            self.h.run()
        finally:
            self.h.setOptionValue("time_limit", limit)
        st2, term2 = self.status()
        if st2 == SolveStatus.OPTIMAL:
            self._take_lp(res, ranging)
            res.shadow_price_method = (
                "LP re-solved with the integer decisions fixed at the MILP optimum; duals hold "
                "for that portfolio" if res.status == SolveStatus.OPTIMAL else
                "LP re-solved with the integer decisions fixed at the MILP's best portfolio "
                "found (not proven optimal); duals hold for that portfolio")
        else:
            res.shadow_price_method = f"unavailable: fixed-integer LP ended {term2}"

    def _take_lp(self, res: SolveResult, ranging: bool) -> None:
        sol = self.h.getSolution()
        res.col_value = np.asarray(sol.col_value, dtype=float)
        res.row_dual = np.asarray(sol.row_dual, dtype=float)
        res.col_dual = np.asarray(sol.col_dual, dtype=float)
        if ranging:
            res.ranging = self._ranging(len(res.col_value), len(res.row_dual))

    def _ranging(self, n_cols: int, n_rows: int) -> Ranging | None:
        status, rg = self.h.getRanging()
        if status != highspy.HighsStatus.kOk:
            return None

        def arr(a: Any, n: int) -> np.ndarray:
            v = np.asarray(a.value_, dtype=float)[:n]
            v[np.abs(v) >= INF] = np.inf * np.sign(v[np.abs(v) >= INF])
            return v

        return Ranging(row_lo=arr(rg.row_bound_dn, n_rows), row_hi=arr(rg.row_bound_up, n_rows),
                       cost_lo=arr(rg.col_cost_dn, n_cols), cost_hi=arr(rg.col_cost_up, n_cols))

    def status(self) -> tuple[SolveStatus, str]:
        """HiGHS's model status as a :class:`SolveStatus`, and HiGHS's own words."""
        h = self.h
        ms = h.getModelStatus()
        text = h.modelStatusToString(ms)
        S = highspy.HighsModelStatus
        if ms == S.kOptimal or ms == S.kModelEmpty:
            return SolveStatus.OPTIMAL, text
        if ms == S.kInfeasible:
            return SolveStatus.INFEASIBLE, text
        if ms in (S.kUnbounded, S.kUnboundedOrInfeasible):
            return SolveStatus.UNBOUNDED, text
        if ms in (S.kTimeLimit, S.kIterationLimit, S.kInterrupt, S.kSolutionLimit):
            has = h.getInfo().primal_solution_status == 2  # kSolutionStatusFeasible
            return (SolveStatus.FEASIBLE if has else SolveStatus.TIME_LIMIT), text
        return SolveStatus.ERROR, text

    # -------------------------------------------------------------------- IIS

    def iis(self) -> tuple[SolveStatus, list[int], list[int]]:
        """An irreducible infeasible subset of the LP relaxation: (the relaxation's status,
        its rows, its columns whose bounds take part). Empty unless the LP is infeasible.
        """
        self.h.setOptionValue("iis_strategy", 2)
        self.relax_integrality()
        self.solve(duals=False)
        st, _ = self.status()
        if st != SolveStatus.INFEASIBLE:
            return st, [], []
        status, iis = self.h.getIis()
        if status != highspy.HighsStatus.kOk or not iis.valid_:
            return SolveStatus.ERROR, [], []
        return (st, np.asarray(iis.row_index_, dtype=int).tolist(),
                np.asarray(iis.col_index_, dtype=int).tolist())


def _message(status: SolveStatus, term: str) -> str:
    return {
        SolveStatus.OPTIMAL: "optimal solution found",
        SolveStatus.FEASIBLE: f"stopped early ({term}) with a feasible, not proven optimal, "
                              "solution; see mip_gap",
        SolveStatus.INFEASIBLE: "the scenario is infeasible: no portfolio satisfies every "
                                "hard constraint (relax a quota, or make it soft)",
        SolveStatus.UNBOUNDED: f"the model is unbounded or infeasible ({term}): some "
                               "benefit can grow without limit; check import/export limits "
                               "and prices",
        SolveStatus.TIME_LIMIT: f"stopped ({term}) before any feasible solution was found; "
                                "raise --time-limit",
        SolveStatus.ERROR: solver_error(term),
    }[status]
