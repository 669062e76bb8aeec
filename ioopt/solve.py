"""Solve a built model with HiGHS; shadow prices from the LP with integers fixed.

The Pyomo model is compiled once to sparse arrays (Pyomo's LinearStandardFormCompiler)
and handed to ``highspy.Highs`` in bulk, which is several times faster than Pyomo's
persistent interfaces for a one-shot solve. After a MILP solve the integer columns are
fixed at their optimal values on the same Highs object and the LP is re-solved: its
row duals are the shadow prices (MILP duals are not meaningful, and Pyomo's HiGHS
interfaces refuse them).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
import pyomo.environ as pyo
from scipy.sparse import csr_matrix

from ioopt.formulation import registry
from ioopt.solver.status import SolveStatus

INF = highspy.kHighsInf


@dataclass
class Compiled:
    """The model as HiGHS sees it, with the maps back to Pyomo components."""

    columns: list[Any]
    rows: list[Any]
    """Pyomo ConstraintData per HiGHS row."""
    col_of: dict[int, int]
    """id(VarData) -> column."""
    row_of: dict[int, int]
    """id(ConstraintData) -> row."""
    integer_cols: np.ndarray
    offset: float
    lp: Any
    relaxed: bool = False
    """Integrality dropped (``solver.relax_integers``)."""
    cache: dict[Any, Any] = field(default_factory=dict)
    """Column indices of variable groups and term lists (ioopt.results), kept for the
    model's re-solves."""


@dataclass
class SolveResult:
    """Outcome of a solve: status, objective, values, shadow prices, timings."""

    status: SolveStatus
    termination: str
    """HiGHS's model status, as HiGHS words it."""
    message: str
    objective: float | None = None
    mip_gap: float | None = None
    is_mip: bool = False
    shadow_price_method: str = ""
    col_value: np.ndarray | None = None
    row_dual: np.ndarray | None = None
    col_dual: np.ndarray | None = None
    timings: dict[str, float] = field(default_factory=dict)
    compiled: Compiled | None = None
    highs: Any = None
    ranging: Ranging | None = None
    """Sensitivity ranges of the LP the duals come from (None unless asked for)."""
    cache: dict[Any, Any] = field(default_factory=dict)
    """Values derived from this solution once (ioopt.results)."""


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


def get_ranging(h: Any, n_cols: int, n_rows: int) -> Ranging | None:
    """Ranging of the LP HiGHS has just solved to optimality (None if HiGHS declines)."""
    status, rg = h.getRanging()
    if status != highspy.HighsStatus.kOk:
        return None

    def arr(a: Any, n: int) -> np.ndarray:
        v = np.asarray(a.value_, dtype=float)[:n]
        v[np.abs(v) >= INF] = np.inf * np.sign(v[np.abs(v) >= INF])
        return v

    return Ranging(row_lo=arr(rg.row_bound_dn, n_rows), row_hi=arr(rg.row_bound_up, n_rows),
                   cost_lo=arr(rg.col_cost_dn, n_cols), cost_hi=arr(rg.col_cost_up, n_cols))


def compile_model(m: pyo.ConcreteModel) -> Compiled:
    """Compile a built model to a HighsLp (one row per constraint). The case's
    ``solver.relax_integers`` drops integrality (the LP relaxation).

    The matrix is assembled from the rows as the formulation wrote them (kept in the
    registry by ``add_rows``), not by walking the Pyomo expressions again; columns and rows
    come in the order Pyomo's LinearStandardFormCompiler gives them (each variable
    component whole, at its first appearance in the objective then the rows; columns
    with no coefficient dropped), which tests check entry by entry.
    """
    reg = registry(m)
    if reg.objective is None:
        raise ValueError("the model has no objective (set_objective)")
    obj_name, obj_terms = reg.objective
    obj = m.component(obj_name)
    rows = reg.row_cons
    starts = np.asarray(reg.row_start, dtype=np.int64)
    # columns: variable components in order of first appearance, each whole
    comps: dict[int, Any] = {}
    for v in [*(v for _, v in obj_terms), *reg.term_vars]:
        pc = v.parent_component()
        if id(pc) not in comps:
            comps[id(pc)] = pc
    every = [vd for pc in comps.values() for vd in pc.values()]
    position = {id(vd): i for i, vd in enumerate(every)}
    col = np.fromiter((position[id(v)] for v in reg.term_vars), dtype=np.int64,
                      count=len(reg.term_vars))
    row = np.repeat(np.arange(len(rows), dtype=np.int64), np.diff(starts))
    A = csr_matrix((np.asarray(reg.term_coefs, dtype=float), (row, col)),
                   shape=(len(rows), len(every))).tocsc()
    c_all = np.zeros(len(every))
    for coef, v in obj_terms:
        c_all[position[id(v)]] += coef
    used = (np.diff(A.indptr) > 0) | (c_all != 0)
    keep = np.flatnonzero(used)
    if len(keep) < len(every):
        A = A[:, keep].tocsc()
    A.sort_indices()
    columns = [every[i] for i in keep.tolist()]
    c = c_all[keep]
    lower = np.array([-INF if v is None else v for v in reg.row_lower], dtype=float)
    upper = np.array([INF if v is None else v for v in reg.row_upper], dtype=float)
    n_cols = len(columns)

    col_lower = np.array([-INF if v.lb is None else v.lb for v in columns], dtype=float)
    col_upper = np.array([INF if v.ub is None else v.ub for v in columns], dtype=float)
    relaxed = bool(reg.data.case.config.solver.relax_integers)
    is_int = np.array([v.is_integer() or v.is_binary() for v in columns], dtype=bool) & (
        not relaxed)

    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = len(rows)
    lp.col_cost_ = c
    lp.col_lower_ = col_lower
    lp.col_upper_ = col_upper
    lp.row_lower_ = lower
    lp.row_upper_ = upper
    lp.offset_ = 0.0
    lp.sense_ = highspy.ObjSense.kMaximize if obj.sense == pyo.maximize else highspy.ObjSense.kMinimize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = n_cols
    lp.a_matrix_.num_row_ = len(rows)
    lp.a_matrix_.start_ = A.indptr.astype(np.int32)
    lp.a_matrix_.index_ = A.indices.astype(np.int32)
    lp.a_matrix_.value_ = A.data.astype(float)
    if is_int.any():
        lp.integrality_ = [highspy.HighsVarType.kInteger if f else highspy.HighsVarType.kContinuous
                           for f in is_int]
    return Compiled(columns=columns, rows=rows,
                    col_of={id(v): i for i, v in enumerate(columns)},
                    row_of={id(r): i for i, r in enumerate(rows)},
                    integer_cols=np.flatnonzero(is_int), offset=lp.offset_, lp=lp,
                    relaxed=relaxed)


def lp_matrix(lp: Any) -> Any:
    """The constraint matrix of a (column-wise) HighsLp as a scipy CSC matrix."""
    from scipy.sparse import csc_matrix

    a = lp.a_matrix_
    return csc_matrix((np.asarray(a.value_), np.asarray(a.index_), np.asarray(a.start_)),
                      shape=(lp.num_row_, lp.num_col_))


def _status(h: Any) -> tuple[SolveStatus, str]:
    ms = h.getModelStatus()
    text = h.modelStatusToString(ms)
    S = highspy.HighsModelStatus
    if ms == S.kOptimal:
        return SolveStatus.OPTIMAL, text
    if ms == S.kInfeasible:
        return SolveStatus.INFEASIBLE, text
    if ms in (S.kUnbounded, S.kUnboundedOrInfeasible):
        return SolveStatus.UNBOUNDED, text
    if ms in (S.kTimeLimit, S.kIterationLimit, S.kInterrupt, S.kSolutionLimit):
        has = h.getInfo().primal_solution_status == 2  # kSolutionStatusFeasible
        return (SolveStatus.FEASIBLE if has else SolveStatus.TIME_LIMIT), text
    if ms == S.kModelEmpty:
        return SolveStatus.OPTIMAL, text
    return SolveStatus.ERROR, text


def new_highs(time_limit: float | None = None, mip_gap: float | None = None,
              threads: int | None = None, log_file: str | None = None) -> Any:
    """A quiet Highs instance with the solver settings applied."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", log_file is not None)
    if log_file:
        h.setOptionValue("log_file", log_file)
        h.setOptionValue("log_to_console", False)
    if time_limit:
        h.setOptionValue("time_limit", float(time_limit))
    if mip_gap is not None:
        h.setOptionValue("mip_rel_gap", float(mip_gap))
    if threads:
        h.setOptionValue("threads", int(threads))
    return h


def solve_model(m: pyo.ConcreteModel, time_limit: float | None = None,
                mip_gap: float | None = None, threads: int | None = None,
                log_file: str | None = None, ranging: bool = False) -> SolveResult:
    """Solve a built model; on success load the values into the Pyomo variables.

    ``ranging``: also ask HiGHS for the sensitivity ranges of the (fixed-integer) LP.
    """
    reg = registry(m)
    if reg.trivially_infeasible:
        return SolveResult(SolveStatus.INFEASIBLE, "Infeasible (before solving)",
                           "constraints that no decision can satisfy: "
                           + "; ".join(reg.trivially_infeasible))
    t0 = time.perf_counter()
    comp = compile_model(m)
    t1 = time.perf_counter()
    h = new_highs(time_limit, mip_gap, threads, log_file)
    h.passModel(comp.lp)
    res = run_highs(h, comp, ranging=ranging)
    res.timings = {"compile": t1 - t0, **res.timings}
    if res.col_value is not None:
        load_values(comp, res.col_value)
    return res


def run_highs(h: Any, comp: Compiled, ranging: bool = False) -> SolveResult:
    """Run HiGHS on the model it holds; for a MILP re-solve the LP with the integers fixed
    (the instance is left holding that LP).
    """
    t1 = time.perf_counter()
    is_mip = len(comp.integer_cols) > 0
    h.run()
    status, term = _status(h)
    if status == SolveStatus.UNBOUNDED and term != "Unbounded":
        # presolve could not tell infeasible from unbounded: ask again without it
        h.setOptionValue("presolve", "off")
        h.run()
        status, term = _status(h)
        h.setOptionValue("presolve", "choose")
    t2 = time.perf_counter()
    res = SolveResult(status, term, _message(status, term), is_mip=is_mip, compiled=comp,
                      highs=h, timings={"solve": t2 - t1})
    if not status.has_solution:
        return res
    info = h.getInfo()
    res.objective = float(info.objective_function_value)
    res.mip_gap = float(info.mip_gap) if is_mip else 0.0
    sol = h.getSolution()
    x = np.asarray(sol.col_value, dtype=float)
    res.col_value = x
    if is_mip:
        ints = comp.integer_cols.astype(np.int32)
        n = len(ints)
        fixed = np.round(x[ints])
        h.changeColsIntegrality(n, ints, np.array([highspy.HighsVarType.kContinuous] * n))
        h.changeColsBounds(n, ints, fixed, fixed)
        h.run()
        st2, term2 = _status(h)
        if st2 == SolveStatus.OPTIMAL:
            _take_lp(h, res, ranging)
            res.shadow_price_method = ("LP re-solved with the integer decisions fixed at the "
                                       "MILP optimum; duals hold for that portfolio")
        else:
            res.shadow_price_method = f"unavailable: fixed-integer LP ended {term2}"
    else:
        _take_lp(h, res, ranging)
        res.shadow_price_method = "LP duals (the model has no integer decisions)"
        if comp.relaxed:
            res.shadow_price_method = ("LP relaxation duals (build decisions may be fractional; "
                                       "the objective bounds the MILP's)")
    res.timings["resolve_lp"] = time.perf_counter() - t2
    return res


def _take_lp(h: Any, res: SolveResult, ranging: bool) -> None:
    sol = h.getSolution()
    res.col_value = np.asarray(sol.col_value, dtype=float)
    res.row_dual = np.asarray(sol.row_dual, dtype=float)
    res.col_dual = np.asarray(sol.col_dual, dtype=float)
    if ranging:
        res.ranging = get_ranging(h, len(res.col_value), len(res.row_dual))


def load_values(comp: Compiled, x: np.ndarray) -> None:
    """Set the Pyomo variables to a HiGHS solution."""
    for v, val in zip(comp.columns, x.tolist(), strict=True):
        v.set_value(val, skip_validation=True)


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
        SolveStatus.ERROR: f"HiGHS failed: {term}",
    }[status]
