"""Reading a solution through the compiled model's index tables.

Everything here addresses rows and columns by *(component name, index)* (see
:class:`ioopt.solver.compile.Compiled`) and reads HiGHS's solution arrays; index arrays
are derived once per compiled model and kept in its cache, so re-solves of the same
model (what-if batches) read their tables without any lookup.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from ioopt.families import FAMILIES
from ioopt.formulation import Built
from ioopt.formulation.rows import QuotaRow, Ref
from ioopt.solver.compile import Compiled
from ioopt.solver.highs import SolveResult


def comp_of(res: SolveResult) -> Compiled:
    """The compiled model of a solve that has a solution."""
    assert res.compiled is not None and res.col_value is not None, "tables need a solution"
    return res.compiled


def columns(res: SolveResult, name: str, keys: list[Hashable]) -> np.ndarray:
    """Columns of variable ``name`` at ``keys`` (-1: not a column), once per compiled model."""
    comp = comp_of(res)
    hit = comp.cache.get(("cols", name))
    if hit is None:
        hit = comp.cache[("cols", name)] = comp.columns_of(name, keys)
    return hit  # type: ignore[no-any-return]


def values(res: SolveResult, name: str, keys: list[Hashable]) -> np.ndarray:
    """Solution values of variable ``name`` at ``keys``; a variable that is no column of
    the model (in no row and not in the objective) is free in the LP and reads 0.
    """
    cols = columns(res, name, keys)
    x = res.col_value
    assert x is not None
    return np.where(cols >= 0, x[np.maximum(cols, 0)] if len(x) else 0.0, 0.0)


def csr(comp: Compiled) -> Any:
    """The constraint matrix by rows (once per compiled model)."""
    hit = comp.cache.get("csr")
    if hit is None:
        hit = comp.cache["csr"] = comp.matrix().tocsr()
    return hit


def activity(res: SolveResult, r: int) -> float:
    """A row's activity (its body's value) at the solution."""
    A = csr(comp_of(res))
    lo, hi = A.indptr[r], A.indptr[r + 1]
    assert res.col_value is not None
    return float(A.data[lo:hi] @ res.col_value[A.indices[lo:hi]])


def value_of(res: SolveResult, ref: Ref) -> float:
    """The value of a named Expression or a variable at the solution."""
    comp = comp_of(res)
    name, idx = ref
    assert res.col_value is not None
    e = comp.exprs.get(name, {}).get(idx)
    if e is not None:
        E = comp.expr_matrix
        lo, hi = E.indptr[e], E.indptr[e + 1]
        return float(E.data[lo:hi] @ res.col_value[E.indices[lo:hi]]) + float(comp.expr_const[e])
    c = comp.col(name, idx)
    return 0.0 if c is None else float(res.col_value[c])


def quota_use(q: QuotaRow, res: SolveResult) -> tuple[float, float, float]:
    """(use in the limit's unit before dividing, the ratio's denominator (1 for totals),
    the row's slack variable's value) of a quota row at the solution. An indicator
    (``report`` mode) is read from its Expressions and has no slack.
    """
    comp = comp_of(res)
    assert res.col_value is not None
    if q.is_indicator and not q.is_ratio:  # its use is a named Expression, not a row
        return value_of(res, q.indicator), 1.0, 0.0
    sc = comp.col(f"slack_{q.family}", q.index) if q.has_slack else None
    slack = float(res.col_value[sc]) if sc is not None else 0.0
    if q.is_ratio:
        assert q.num is not None and q.den is not None
        return value_of(res, q.num), value_of(res, q.den), slack
    r = comp.row(q.family, q.index)
    if r is None:
        return q.const, 1.0, slack
    sign = 1.0 if FAMILIES[q.family].sense == "<=" else -1.0
    return activity(res, r) + sign * slack + q.const, 1.0, slack


def row_dual(res: SolveResult, name: str, idx: Hashable) -> float:
    """The dual of constraint ``name[idx]`` (0 where not written or without duals)."""
    if res.row_dual is None or res.compiled is None:
        return 0.0
    r = res.compiled.row(name, idx)
    return 0.0 if r is None else float(res.row_dual[r])


def var_keys(built: Built, res: SolveResult, name: str) -> list[Any]:
    """A variable's index, in its order (once per compiled model)."""
    comp = comp_of(res)
    hit = comp.cache.get(("keys", name))
    if hit is None:
        var = built.pyomo.component(name)
        hit = comp.cache[("keys", name)] = [] if var is None else list(var.keys())
    return hit  # type: ignore[no-any-return]


def production(built: Built, res: SolveResult) -> pd.DataFrame:
    """x[j,t] as a wide frame: projects x years (万 units), zeros where not producing
    (computed once per solution).
    """
    hit = res.cache.get("production")
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    d = built.data
    keys = var_keys(built, res, "x")
    wide = np.zeros((len(d.projects), len(d.years)))
    wide[grid_positions(built, res, "x")] = values(res, "x", keys)
    out = pd.DataFrame(wide, index=d.projects.index, columns=list(d.years))
    res.cache["production"] = out
    return out


def var_series(built: Built, res: SolveResult, name: str) -> pd.Series:
    """A variable's solution values as a Series over its index (sector-year variables)."""
    keys = var_keys(built, res, name)
    cache = comp_of(res).cache
    index = cache.get(("index", name))
    if index is None:
        index = cache[("index", name)] = pd.MultiIndex.from_tuples(keys)
    return pd.Series(values(res, name, keys), index=index)


def grid_positions(built: Built, res: SolveResult, name: str) -> tuple[np.ndarray, np.ndarray]:
    """(project row, year column) of each index of a project-year variable, in its order."""
    d = built.data
    cache = comp_of(res).cache
    hit = cache.get(("grid", name))
    if hit is None:
        row = {j: i for i, j in enumerate(d.projects.index)}
        col = {t: i for i, t in enumerate(d.years)}
        keys = var_keys(built, res, name)
        hit = cache[("grid", name)] = (np.array([row[j] for j, _ in keys], dtype=np.int64),
                                       np.array([col[t] for _, t in keys], dtype=np.int64))
    return hit  # type: ignore[no-any-return]
