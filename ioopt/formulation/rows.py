"""Writing rows fast and recording what each quota row means, for the results.

A row is written as a list of ``(coef, var)`` terms plus a constant; it becomes a
Pyomo ``LinearExpression`` built from ``MonomialTermExpression`` terms (much faster than
``sum()`` of products for long rows). Soft rows get a non-negative slack variable
penalised in the objective. Quota rows also record a :class:`QuotaRow` so the results
can report limit, use, slack and shadow price in the quota's own unit.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression

from ioopt.formulation.data import ModelData
from ioopt.schemas import FAMILIES, Mode

Terms = list[tuple[float, Any]]
Rows = dict[Any, tuple[Terms, float, str, float]]
"""Index tuple -> (terms, constant, sense, rhs)."""


def merge(terms: Iterable[tuple[float, Any]]) -> list[tuple[float, Any]]:
    """(coef, var) pairs with duplicate variables merged and zero coefficients dropped."""
    merged: dict[int, list[Any]] = {}
    for c, v in terms:
        k = id(v)
        if k in merged:
            merged[k][0] += c
        else:
            merged[k] = [float(c), v]
    return [(c, v) for c, v in merged.values() if c != 0]


def linear(terms: Iterable[tuple[float, Any]]) -> LinearExpression:
    """A LinearExpression from (coef, var) pairs; duplicate variables are merged."""
    return _expression(merge(terms))


def _expression(merged: list[tuple[float, Any]]) -> LinearExpression:
    return LinearExpression([MonomialTermExpression((c, v)) for c, v in merged])


def set_objective(m: pyo.ConcreteModel, name: str, terms: Terms, sense: Any) -> None:
    """Add the objective ``name`` (the one solved: any other is deactivated) and record its
    merged terms for the compiler (:func:`ioopt.solve.compile_model`).
    """
    for obj in m.component_objects(pyo.Objective, active=True):
        obj.deactivate()
    merged = merge(terms)
    m.add_component(name, pyo.Objective(expr=_expression(merged), sense=sense))
    reg: Registry = m._ioopt
    reg.objective = (name, merged)


@dataclass
class QuotaRow:
    """What a quota row measures, for reporting (all in model units)."""

    family: str
    key: tuple[Hashable, ...]
    year: int | None
    park: str | None
    scope: str | None
    limit: float
    """The limit as stated (for intensity and share rows: the ratio)."""
    used: Terms
    used_const: float = 0.0
    per: Terms | None = None
    """Denominator for intensity and share rows (value added, electricity use)."""
    per_const: float = 0.0
    mode: Mode = Mode.hard
    penalty: float | None = None
    """Soft mode: the row's own penalty in objective units per model unit (None: family's)."""
    constraint: Any = None
    slack: Any = None


@dataclass
class Registry:
    """Rows and quota records of a built model, kept on ``m._ioopt``."""

    data: ModelData
    quota_rows: list[QuotaRow] = field(default_factory=list)
    penalties: Terms = field(default_factory=list)
    elastic: bool = False
    """Every quota and rule row gets a slack, whatever its mode (see build_model)."""
    trivially_infeasible: list[str] = field(default_factory=list)
    totals: Any = None
    """The region's yearly totals as terms (accounting.Totals), set by build_model."""
    row_cons: list[Any] = field(default_factory=list)
    """Every row as written (ConstraintData, in model order), with its bounds (None:
    infinite) and terms, so the compiler need not walk the expressions again."""
    row_lower: list[float | None] = field(default_factory=list)
    row_upper: list[float | None] = field(default_factory=list)
    row_start: list[int] = field(default_factory=lambda: [0])
    """Row i's terms are ``term_coefs/term_vars[row_start[i]:row_start[i + 1]]``."""
    term_coefs: list[float] = field(default_factory=list)
    term_vars: list[Any] = field(default_factory=list)
    objective: tuple[str, list[tuple[float, Any]]] | None = None
    """The solved objective's name and merged terms (set_objective)."""


def add_rows(
    m: pyo.ConcreteModel,
    family: str,
    rows: Rows,
    modes: dict[Any, Mode] | None = None,
    penalties: dict[Any, float] | None = None,
) -> pyo.Constraint | None:
    """Add the rows of one family as an indexed Constraint named after the family.

    ``rows`` maps an index tuple to ``(terms, const, sense, rhs)`` meaning
    ``sum(terms) + const  sense  rhs`` with sense one of ``"<="``, ``">="``, ``"=="``.
    Rows in soft mode get a slack variable ``slack_<family>[index]``, penalised at the
    row's entry in ``penalties`` or else the family's penalty.
    """
    reg: Registry = m._ioopt
    fam = reg.data.family(family)
    kept: dict[tuple[Hashable, ...], tuple[Any, Any, Any]] = {}
    written: dict[tuple[Hashable, ...], list[tuple[float, Any]]] = {}
    spec = FAMILIES.get(family)
    elastic = reg.elastic and spec is not None and spec.table != "none"
    soft = [k for k in rows if rows[k][2] != "=="
            and (elastic or (modes or {}).get(k, fam.mode) == Mode.soft)]
    slack = None
    if soft:
        slack = pyo.Var(soft, domain=pyo.NonNegativeReals)
        m.add_component(f"slack_{family}", slack)
        own = penalties or {}
        reg.penalties.extend((own.get(k, fam.penalty_model), slack[k]) for k in soft)
    soft_set = set(soft)
    for k, (terms, const, sense, rhs) in rows.items():
        if k in soft_set:
            assert slack is not None
            terms = [*terms, (-1.0 if sense == "<=" else 1.0, slack[k])]
        bound = rhs - const
        merged = merge(terms)
        if not merged:
            ok = (sense == "<=" and bound >= -1e-9) or (sense == ">=" and bound <= 1e-9) or (
                sense == "==" and abs(bound) <= 1e-9)
            if not ok:
                reg.trivially_infeasible.append(
                    f"{family}[{', '.join(map(str, k))}]: fixed terms {const:g} {sense} {rhs:g}")
            continue
        body = _expression(merged)
        if sense == "<=":
            kept[k] = (None, body, bound)
        elif sense == ">=":
            kept[k] = (bound, body, None)
        else:
            kept[k] = (bound, body, bound)
        written[k] = merged
    if not kept:
        return None
    con = pyo.Constraint(list(kept), rule=lambda _m, *k: kept[k])
    m.add_component(family, con)
    for k, (lo, _body, up) in kept.items():
        merged = written[k]
        reg.row_cons.append(con[pyomo_index(k)])
        reg.row_lower.append(lo)
        reg.row_upper.append(up)
        reg.term_coefs.extend(c for c, _ in merged)
        reg.term_vars.extend(v for _, v in merged)
        reg.row_start.append(len(reg.term_coefs))
    return con


def add_quota_rows(
    m: pyo.ConcreteModel,
    family: str,
    records: list[QuotaRow],
    rows: Rows,
) -> None:
    """Add a quota family: its rows (as add_rows) and their records for the results."""
    modes = {r.key: r.mode for r in records}
    penalties = {r.key: r.penalty for r in records if r.penalty is not None}
    con = add_rows(m, family, rows, modes, penalties)
    slack = m.component(f"slack_{family}")
    reg: Registry = m._ioopt
    for r in records:
        idx = pyomo_index(r.key)
        if con is not None and idx in con:
            r.constraint = con[idx]
        if slack is not None and idx in slack:
            r.slack = slack[idx]
        reg.quota_rows.append(r)


def pyomo_index(key: tuple[Hashable, ...]) -> Hashable:
    """Pyomo stores one-element indices unwrapped: (2021,) is index 2021."""
    return key[0] if len(key) == 1 else key
