"""Writing rows fast, and what each quota row means, for the results.

A row is written as a list of ``(coef, var)`` terms plus a constant; it becomes a Pyomo
``LinearExpression`` built from ``MonomialTermExpression`` terms (much faster than
``sum()`` of products for long rows). The term lists are transient: once a row is
written, the Pyomo constraint is the only statement of it (the compiler reads the
constraint's body). Soft rows get a non-negative slack variable ``slack_<family>[index]``
penalised in the objective. Quota rows also get a :class:`QuotaRow` record saying what
the row measures (by the *names* of its Pyomo components, never by object identity), so
the results can report limit, use, slack and shadow price in the quota's own unit.

A quota or rule row in ``report`` mode (an indicator) is no constraint: a total's use is
the named Expression ``<family>_report[index]`` (its terms plus the fixed use), a ratio's
its numerator and denominator Expressions; it gets no slack, not even in the elastic
model, and no row in HiGHS.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression

from ioopt.families import FAMILIES
from ioopt.formulation.data import ModelData
from ioopt.schemas import Basis, Mode

Terms = list[tuple[float, Any]]
Rows = dict[Any, tuple[Terms, float, str, float]]
"""Index tuple -> (terms, constant, sense, rhs)."""
Ref = tuple[str, Hashable]
"""A Pyomo component's name and one of its indices (Pyomo's form: a 1-tuple unwrapped)."""


def merge(terms: Iterable[tuple[float, Any]]) -> list[tuple[float, Any]]:
    """(coef, var) pairs with duplicate variables merged and zero coefficients dropped."""
    merged: dict[int, list[Any]] = {}
    for c, v in terms:
        k = id(v)  # transient: merging within one row
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


@dataclass
class QuotaRow:
    """What a quota (or rule) row measures, for reporting (all in model units).

    The row itself is ``constraint`` (the Pyomo constraint ``family`` at ``index``); it
    holds no terms of its own. A total row reads ``use = row activity (less its slack)
    + const``; a ratio row (intensity, share) reads ``use = num / den`` where ``num`` and
    ``den`` name a Pyomo Expression or Var.
    """

    family: str
    key: tuple[Hashable, ...]
    year: int | None
    park: str | None
    scope: str | None
    limit: float
    """The limit as stated (for intensity and share rows: the ratio)."""
    const: float = 0.0
    """Fixed use (existing and committed plants), moved to the row's bound."""
    num: Ref | None = None
    """Ratio rows: the numerator (energy, CO2, water, green power)."""
    den: Ref | None = None
    """Ratio rows: the denominator (value added, a park's electricity use)."""
    mode: Mode = Mode.hard
    penalty: float | None = None
    """Soft mode: the row's own penalty in objective units per model unit (None: family's)."""
    basis: Basis = Basis.estimate
    """What the limit rests on (quotas.csv / rules.csv ``basis``; blank: estimate)."""
    has_row: bool = False
    """False when no decision enters the row (it was settled at build and not written)."""
    has_slack: bool = False

    @property
    def index(self) -> Hashable:
        """The row's index in its Pyomo constraint (and slack variable)."""
        return pyomo_index(self.key)

    @property
    def is_ratio(self) -> bool:
        """Whether the limit is a ratio (its row's denominator coefficients carry it)."""
        return self.den is not None

    @property
    def is_indicator(self) -> bool:
        """Whether the row is an indicator (``report`` mode): reported, never a constraint."""
        return self.mode == Mode.report

    @property
    def indicator(self) -> Ref:
        """The named Expression holding a total indicator's use (``<family>_report``)."""
        return (report_name(self.family), self.index)


@dataclass
class Builder:
    """What the formulation collects while it writes a model (discarded after the build)."""

    m: pyo.ConcreteModel
    data: ModelData
    elastic: bool = False
    """Every quota and rule row gets a slack, whatever its mode (see build_model)."""
    quota_rows: list[QuotaRow] = field(default_factory=list)
    penalties: Terms = field(default_factory=list)
    infeasible: list[str] = field(default_factory=list)
    """Rows with no decision in them that no decision can satisfy."""
    shared: dict[str, Any] = field(default_factory=dict)
    """Terms two families share (written in one pass), kept until the build ends."""


def set_objective(m: pyo.ConcreteModel, name: str, terms: Terms, sense: Any,
                  const: float = 0.0) -> None:
    """Add the objective ``name`` (the one solved: any other is deactivated), ``sum(terms)
    + const``.
    """
    for obj in m.component_objects(pyo.Objective, active=True):
        obj.deactivate()
    m.add_component(name, pyo.Objective(expr=linear_with(terms, const), sense=sense))


def add_rows(
    b: Builder,
    family: str,
    rows: Rows,
    modes: dict[Any, Mode] | None = None,
    penalties: dict[Any, float] | None = None,
) -> tuple[pyo.Constraint | None, pyo.Var | None]:
    """Add the rows of one family as an indexed Constraint named after the family.

    ``rows`` maps an index tuple to ``(terms, const, sense, rhs)`` meaning
    ``sum(terms) + const  sense  rhs`` with sense one of ``"<="``, ``">="``, ``"=="``.
    Rows in soft mode get a slack variable ``slack_<family>[index]``, penalised at the
    row's entry in ``penalties`` or else the family's penalty. Returns the constraint and
    the slack variable (None where the family wrote none).
    """
    m = b.m
    fam = b.data.family(family)
    kept: dict[tuple[Hashable, ...], tuple[Any, Any, Any]] = {}
    spec = FAMILIES.get(family)
    elastic = b.elastic and spec is not None and spec.table != "none"
    soft = [k for k in rows if rows[k][2] != "=="
            and (elastic or (modes or {}).get(k, fam.mode) == Mode.soft)]
    slack = None
    if soft:
        slack = pyo.Var(soft, domain=pyo.NonNegativeReals)
        m.add_component(f"slack_{family}", slack)
        own = penalties or {}
        b.penalties.extend((own.get(k, fam.penalty_model), slack[k]) for k in soft)
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
                b.infeasible.append(
                    f"{family}[{', '.join(map(str, k))}]: fixed terms {const:g} {sense} {rhs:g}")
            continue
        body = _expression(merged)
        if sense == "<=":
            kept[k] = (None, body, bound)
        elif sense == ">=":
            kept[k] = (bound, body, None)
        else:
            kept[k] = (bound, body, bound)
    if not kept:
        return None, slack
    con = pyo.Constraint(list(kept), rule=lambda _m, *k: kept[k])
    m.add_component(family, con)
    return con, slack


def add_quota_rows(b: Builder, family: str, records: list[QuotaRow], rows: Rows) -> None:
    """Add a quota family: its rows (as add_rows) and their records for the results.

    Rows in ``report`` mode are indicators, not constraints: a total's use becomes the
    Expression ``<family>_report[index]`` (a ratio's is its num / den Expressions).
    """
    report = {r.key: r.is_ratio for r in records if r.is_indicator}
    kept = {k: linear_with(rows[k][0], rows[k][1]) for k, ratio in report.items() if not ratio}
    if kept:
        b.m.add_component(report_name(family),
                          pyo.Expression(list(kept), rule=lambda _m, *k: kept[k]))
    rows = {k: v for k, v in rows.items() if k not in report}
    modes = {r.key: r.mode for r in records}
    penalties = {r.key: r.penalty for r in records if r.penalty is not None}
    con, slack = add_rows(b, family, rows, modes, penalties)
    for r in records:
        idx = r.index
        r.has_row = con is not None and idx in con
        r.has_slack = slack is not None and idx in slack
        b.quota_rows.append(r)


def report_name(family: str) -> str:
    """The Expression component of a family's total indicators (``report`` mode rows)."""
    return f"{family}_report"


def linear_with(terms: Iterable[tuple[float, Any]], const: float) -> LinearExpression:
    """A LinearExpression of (coef, var) pairs plus a constant."""
    args: list[Any] = [MonomialTermExpression((c, v)) for c, v in merge(terms)]
    return LinearExpression([*args, float(const)] if const or not args else args)


def pyomo_index(key: tuple[Hashable, ...]) -> Hashable:
    """Pyomo stores one-element indices unwrapped: (2021,) is index 2021."""
    return key[0] if len(key) == 1 else key
