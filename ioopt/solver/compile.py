"""Pyomo model -> HiGHS arrays, with index tables that address rows and columns by
*(component name, index)*.

The compiler reads the Pyomo model itself: the active objective, every active constraint
(in declaration order, each component whole) and every named Expression (the region's
totals, which the results evaluate). Columns and rows come in the order Pyomo's own
``LinearStandardFormCompiler`` gives them (each variable component whole, at its first
appearance in the objective then the rows; columns with no coefficient dropped);
``tests/test_compile.py`` checks the two agree entry by entry. Reading the bodies
directly (they are ``LinearExpression`` objects of ``(coef, var)`` monomials, as
``ioopt.formulation.rows`` writes them) is what makes this route faster; any other body
is read through Pyomo's standard repn. Integrality is the variables' domain: relaxing a
model (:func:`relax`) is a Pyomo transformation, so the Pyomo model and the LP agree.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression
from pyomo.repn.standard_repn import generate_standard_repn
from scipy.sparse import csc_matrix, csr_matrix

INF = highspy.kHighsInf


@dataclass
class Compiled:
    """The model as HiGHS sees it, with index tables back to the Pyomo components."""

    lp: Any
    """The highspy.HighsLp (column-wise matrix)."""
    row_ref: list[tuple[str, Hashable]]
    """(constraint name, index) of each row."""
    col_ref: list[tuple[str, Hashable]]
    """(variable name, index) of each column."""
    rows: dict[str, dict[Hashable, int]]
    """Constraint name -> index -> row."""
    cols: dict[str, dict[Hashable, int]]
    """Variable name -> index -> column (variables in no row nor the objective: absent)."""
    exprs: dict[str, dict[Hashable, int]]
    """Named Expression name -> index -> row of :attr:`expr_matrix`."""
    expr_matrix: Any
    """CSR matrix of the named Expressions over the columns."""
    expr_const: np.ndarray
    integer_cols: np.ndarray
    maximize: bool
    relaxed: bool = False
    """Integrality dropped by :func:`relax` (the case's ``solver.relax_integers``)."""
    cache: dict[Any, Any] = field(default_factory=dict)
    """Index arrays derived once per compiled model (ioopt.results)."""

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        return len(self.row_ref)

    @property
    def n_cols(self) -> int:
        """Number of columns."""
        return len(self.col_ref)

    def row(self, name: str, index: Hashable) -> int | None:
        """The row of constraint ``name[index]`` (None: not written)."""
        return self.rows.get(name, {}).get(index)

    def col(self, name: str, index: Hashable) -> int | None:
        """The column of variable ``name[index]`` (None: not a column)."""
        return self.cols.get(name, {}).get(index)

    def columns_of(self, name: str, keys: Iterable[Hashable]) -> np.ndarray:
        """Columns of ``name[k]`` for each k (-1 where not a column)."""
        table = self.cols.get(name, {})
        return np.fromiter((table.get(k, -1) for k in keys), dtype=np.int64)

    def row_name(self, r: int) -> str:
        """A row as Pyomo names it, e.g. ``energy_total[2021]``."""
        name, idx = self.row_ref[r]
        return _label(name, idx)

    def col_name(self, c: int) -> str:
        """A column as Pyomo names it, e.g. ``x[P1,2021]``."""
        name, idx = self.col_ref[c]
        return _label(name, idx)

    def matrix(self) -> csc_matrix:
        """The constraint matrix as a scipy CSC matrix."""
        return lp_matrix(self.lp)


def _label(name: str, idx: Hashable) -> str:
    if idx is None:
        return name
    parts = idx if isinstance(idx, tuple) else (idx,)
    return f"{name}[{','.join(map(str, parts))}]"


def relax(m: pyo.ConcreteModel) -> None:
    """The LP relaxation, in place: integer and binary variables become continuous within
    their bounds (Pyomo's ``core.relax_integer_vars`` transformation).
    """
    pyo.TransformationFactory("core.relax_integer_vars").apply_to(m)


def relaxed_model(m: pyo.ConcreteModel) -> bool:
    """Whether :func:`relax` was applied to the model (its binaries are continuous)."""
    return m.component("_relaxed_integer_vars") is not None


def lp_matrix(lp: Any) -> csc_matrix:
    """The constraint matrix of a (column-wise) HighsLp as a scipy CSC matrix."""
    a = lp.a_matrix_
    return csc_matrix((np.asarray(a.value_), np.asarray(a.index_), np.asarray(a.start_)),
                      shape=(lp.num_row_, lp.num_col_))


def _pairs(expr: Any) -> tuple[list[tuple[Any, Any]], float]:
    """``((coef, var) pairs, constant)`` of a linear expression. The common case, a
    ``LinearExpression`` of monomials as ``ioopt.formulation.rows`` writes them, is read
    directly; any other linear expression through Pyomo's standard repn.
    """
    if type(expr) is LinearExpression:
        try:  # every term a (coef, var) monomial
            return [a._args_ for a in expr.args], 0.0
        except AttributeError:
            pass
        pairs: list[tuple[Any, Any]] = []
        const = 0.0
        for a in expr.args:
            if type(a) is MonomialTermExpression:
                pairs.append(a.args)
            elif getattr(a, "is_variable_type", lambda: False)():
                pairs.append((1.0, a))
            else:
                const += float(pyo.value(a))
        return pairs, const
    if expr is None or isinstance(expr, (int, float)):
        return [], float(expr or 0.0)
    repn = generate_standard_repn(expr, compute_values=True, quadratic=False)
    if not repn.is_linear():
        raise ValueError(f"a nonlinear expression cannot go to HiGHS: {expr}")
    return (list(zip(map(float, repn.linear_coefs), repn.linear_vars, strict=True)),
            float(repn.constant or 0.0))


def compile_model(m: pyo.ConcreteModel) -> Compiled:
    """Compile the model's active objective and constraints to a HighsLp, and its named
    Expressions to a matrix over the same columns.
    """
    # the cyclic garbage collector would scan the model's objects again and again while
    # the term lists grow (nothing made here is garbage until it returns)
    with PauseGC():
        return _compile(m)


def _compile(m: pyo.ConcreteModel) -> Compiled:
    objs = list(m.component_data_objects(pyo.Objective, active=True))
    if len(objs) != 1:
        raise ValueError(f"the model needs exactly one active objective, has {len(objs)}")
    obj = objs[0]
    pairs, offset = _pairs(obj.expr)

    row_ref: list[tuple[str, Hashable]] = []
    rows: dict[str, dict[Hashable, int]] = {}
    lower: list[float] = []
    upper: list[float] = []
    starts = [len(pairs)]
    for con in m.component_objects(pyo.Constraint, active=True):
        name = con.local_name
        table = rows.setdefault(name, {})
        for k, cd in con.items():
            if not cd.active:
                continue
            lb, body, ub = cd.to_bounded_expression(True)
            terms, const = _pairs(body)
            pairs.extend(terms)
            starts.append(len(pairs))
            lower.append(-INF if lb is None else float(lb) - const)
            upper.append(INF if ub is None else float(ub) - const)
            table[k] = len(row_ref)
            row_ref.append((name, k))
    coefs, var_list = zip(*pairs, strict=True) if pairs else ((), ())

    # columns: variable components in order of first appearance (objective, then rows),
    # each whole; the position map is transient (this function only)
    position: dict[int, int] = {}
    every: list[tuple[Any, Hashable, Any]] = []
    cols_of_terms: list[int] = []
    for v in var_list:
        i = position.get(id(v))
        if i is None:
            pc = v.parent_component()
            pname = pc.local_name
            for k, vd in pc.items():
                position[id(vd)] = len(every)
                every.append((pname, k, vd))
            i = position[id(v)]
        cols_of_terms.append(i)
    col = np.asarray(cols_of_terms, dtype=np.int64)
    val = np.fromiter(coefs, dtype=float, count=len(coefs))
    n_obj = starts[0]
    c_all = np.zeros(len(every))
    np.add.at(c_all, col[:n_obj], val[:n_obj])
    st = np.asarray(starts, dtype=np.int64)
    n_rows = len(row_ref)
    ridx = np.repeat(np.arange(n_rows, dtype=np.int64), np.diff(st))
    A = csr_matrix((val[n_obj:], (ridx, col[n_obj:])), shape=(n_rows, len(every))).tocsc()
    keep = np.flatnonzero((np.diff(A.indptr) > 0) | (c_all != 0))
    if len(keep) < len(every):
        A = A[:, keep].tocsc()
    A.sort_indices()
    new_pos = np.full(len(every), -1, dtype=np.int64)
    new_pos[keep] = np.arange(len(keep))
    col_ref: list[tuple[str, Hashable]] = []
    cols: dict[str, dict[Hashable, int]] = {}
    col_lower = np.empty(len(keep))
    col_upper = np.empty(len(keep))
    is_int = np.zeros(len(keep), dtype=bool)
    for i, e in enumerate(keep.tolist()):
        name, k, vd = every[e]
        col_ref.append((name, k))
        cols.setdefault(name, {})[k] = i
        lb, ub = vd.lb, vd.ub
        col_lower[i] = -INF if lb is None else lb
        col_upper[i] = INF if ub is None else ub
        is_int[i] = vd.is_integer()
    cost = c_all[keep]

    exprs, E, e_const = _expressions(m, position, new_pos, len(keep))

    lp = highspy.HighsLp()
    n_cols = len(keep)
    lp.num_col_ = n_cols
    lp.num_row_ = n_rows
    lp.col_cost_ = cost
    lp.col_lower_ = col_lower
    lp.col_upper_ = col_upper
    lp.row_lower_ = np.asarray(lower, dtype=float)
    lp.row_upper_ = np.asarray(upper, dtype=float)
    lp.offset_ = offset
    maximize = obj.sense == pyo.maximize
    lp.sense_ = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = n_cols
    lp.a_matrix_.num_row_ = n_rows
    lp.a_matrix_.start_ = A.indptr.astype(np.int32)
    lp.a_matrix_.index_ = A.indices.astype(np.int32)
    lp.a_matrix_.value_ = A.data.astype(float)
    if is_int.any():
        lp.integrality_ = [highspy.HighsVarType.kInteger if f else highspy.HighsVarType.kContinuous
                           for f in is_int]
    return Compiled(lp=lp, row_ref=row_ref, col_ref=col_ref, rows=rows, cols=cols,
                    exprs=exprs, expr_matrix=E, expr_const=e_const,
                    integer_cols=np.flatnonzero(is_int), maximize=maximize,
                    relaxed=relaxed_model(m))


def _expressions(m: pyo.ConcreteModel, position: dict[int, int], new_pos: np.ndarray,
                 n_cols: int) -> tuple[dict[str, dict[Hashable, int]], csr_matrix, np.ndarray]:
    """The named Expressions as rows of a CSR matrix over the columns. A variable that is
    no column (in no row and not in the objective) is free in the LP and reads as 0.
    """
    table: dict[str, dict[Hashable, int]] = {}
    pairs: list[tuple[Any, Any]] = []
    starts = [0]
    consts: list[float] = []
    for comp in m.component_objects(pyo.Expression):
        t = table.setdefault(comp.local_name, {})
        for k, ed in comp.items():
            terms, const = _pairs(ed.expr)
            pairs.extend(terms)
            starts.append(len(pairs))
            consts.append(const)
            t[k] = len(consts) - 1
    coefs, var_list = zip(*pairs, strict=True) if pairs else ((), ())
    pos = np.fromiter((position.get(id(v), -1) for v in var_list), dtype=np.int64,
                      count=len(var_list))
    col = np.where(pos >= 0, new_pos[np.maximum(pos, 0)] if len(new_pos) else -1, -1)
    row = np.repeat(np.arange(len(consts), dtype=np.int64), np.diff(np.asarray(starts)))
    keep = col >= 0
    E = csr_matrix((np.fromiter(coefs, dtype=float, count=len(coefs))[keep],
                    (row[keep], col[keep])),
                   shape=(len(consts), n_cols))
    return table, E, np.asarray(consts, dtype=float)
