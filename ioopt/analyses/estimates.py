"""A project's value at the prices of the base optimum (first-order estimates).

For each committed and candidate project: the output it adds, minus its inputs and the
quotas it uses, each valued at the shadow prices of the LP with the portfolio fixed; and
its use of each quota row and input, for the reasons (:mod:`ioopt.analyses.reasons`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from ioopt import pipeline
from ioopt.families import FAMILIES
from ioopt.formulation.objective import annuities, charge_from
from ioopt.units import row_unit

OWN_ROWS = {"production_max", "production_min", "build_once"}
"""Rows that belong to one project (indexed by it) and do not price shared resources."""


@dataclass
class RowInfo:
    """What one row of the model is, for valuing a project's use of it."""

    kind: str
    """'own', 'chain', 'quota' or 'other'."""
    family: str
    key: tuple[Any, ...]
    quota: int | None = None
    """Index into the quota table for quota rows."""


def row_infos(result: pipeline.RunResult) -> list[RowInfo]:
    """What each row of the base solve's model is, for valuing projects at its prices."""
    assert result.model is not None and result.solve.compiled is not None
    comp = result.solve.compiled
    quota_of = {}
    for i, q in enumerate(result.model.quota_rows):
        r = comp.row(q.family, q.index)
        if r is not None:
            quota_of[r] = i
    out = []
    for r, (fam, idx) in enumerate(comp.row_ref):
        key = idx if isinstance(idx, tuple) else (idx,)
        if r in quota_of:
            out.append(RowInfo("quota", fam, key, quota_of[r]))
        elif fam in OWN_ROWS:
            out.append(RowInfo("own", fam, key))
        elif fam == "chain_balance":
            out.append(RowInfo("chain", fam, key))
        else:
            out.append(RowInfo("other", fam, key))
    return out


@dataclass
class Estimate:
    """A project's first-order value at the base optimum's prices."""

    value: float
    """Objective change if the activity is added (first order, at fixed duals)."""
    output: float
    """Objective coefficients times activity, plus the value of the own product row."""
    inputs: float
    cost: dict[int, float]
    """Row -> cost at the row's shadow price (quota rows and input rows)."""
    use: dict[int, float]
    """Row -> use, in the row's model unit (a quota's unit; 万 units of an input)."""
    other: float
    online_year: int | None
    capital: float = 0.0
    """The capital charge in the objective (its build decision's coefficient, sign
    reversed: >= 0); ``output`` is net of it."""


def price_parts(e: Estimate, infos: list[RowInfo]) -> dict[str, float]:
    """A project's value at the optimum's prices, in parts that add up (the ranking's and
    rejected.csv's columns): output - inputs - capital charge - quotas - other rows =
    first_order.
    """
    return {"output_at_prices": e.output, "inputs_at_prices": e.inputs, "capital_charge": e.capital,
            "quota_cost_at_prices": sum(e.cost[r] for r in e.cost if infos[r].kind == "quota"),
            "other_at_prices": e.other, "net_output_at_prices": e.output - e.capital - e.inputs,
            "first_order": e.value}


def estimates(result: pipeline.RunResult, infos: list[RowInfo]) -> dict[str, Estimate]:
    """Each committed/candidate project's value at the fixed-portfolio LP prices."""
    res = result.solve
    comp = res.compiled
    assert result.model is not None and comp is not None and res.row_dual is not None
    assert res.col_value is not None
    d = result.model.data
    pf_year = result.portfolio.set_index("project")["online_year"]
    sel_year = {j: int(v) for j, v in pf_year.items() if not pd.isna(v)}
    lp = comp.lp
    A = comp.matrix()
    c = np.asarray(lp.col_cost_, dtype=float)
    y = res.row_dual
    kind = np.array([i.kind for i in infos])
    sector_of_row = [i.key[0] if i.kind == "chain" else None for i in infos]
    p = d.projects
    out: dict[str, Estimate] = {}
    status = p["status"].to_dict()
    own_rows = _own_rows(infos)
    charge = annuities(d)
    for j in p.index:
        if status[j] == "existing":
            continue
        sector = p.at[j, "sector"]
        own = own_rows.get(j, set())
        x_cols = {t: comp.col("x", (j, t)) for t in d.x_years(j)}
        if j in sel_year:
            oy = sel_year[j]
            act = {col: float(res.col_value[col]) for col in x_cols.values() if col is not None}
            if j in d.build_years:
                bc = comp.col("build", (j, oy))
                if bc is not None:
                    act[bc] = 1.0
            e = _with_capital(_evaluate(A, c, y, kind, own, sector_of_row, sector, act, oy), c,
                              comp.col("build", (j, oy)))
            if j in d.fixed_online and j in charge:  # committed: a constant of the objective
                fixed = charge_from(d, charge[j], oy)
                e = replace(e, capital=fixed, value=e.value - fixed)
            out[j] = e
            continue
        best: Estimate | None = None
        cap = float(p.at[j, "cap"])
        sh = d.shares
        for tau in d.build_years.get(j, []):
            act = {}
            bc = comp.col("build", (j, tau))
            if bc is not None:
                act[bc] = 1.0
            for t, col in x_cols.items():
                if col is None or t < tau:
                    continue
                nv = _net_unit_value(A, c, y, own, col)
                # as much as it may (ramp-up, max_util) if it pays, else its minimum
                act[col] = cap * (sh.upper(j, t, tau) if nv > 0 else sh.lower(j, t, tau))
            e = _with_capital(_evaluate(A, c, y, kind, own, sector_of_row, sector, act, tau), c,
                              bc)
            if best is None or e.value > best.value:
                best = e
        if best is not None:
            out[j] = best
    return out


def _with_capital(e: Estimate, c: np.ndarray, build_col: int | None) -> Estimate:
    """The estimate with its capital charge (the build column's objective coefficient)
    stated apart: ``output`` then excludes it.
    """
    if build_col is None or c[build_col] == 0:
        return e
    charge = -float(c[build_col])
    return replace(e, output=e.output + charge, capital=charge)


def _own_rows(infos: list[RowInfo]) -> dict[str, set[int]]:
    """Project -> the rows that belong to it alone (production_max/min, build_once)."""
    out: dict[str, set[int]] = defaultdict(set)
    for r, i in enumerate(infos):
        if i.kind == "own":
            out[i.key[0]].add(r)
    return out


def _net_unit_value(A: Any, c: np.ndarray, y: np.ndarray, own: set[int], col: int) -> float:
    lo, hi = A.indptr[col], A.indptr[col + 1]
    rows, vals = A.indices[lo:hi], A.data[lo:hi]
    mask = np.array([r not in own for r in rows], dtype=bool)
    return float(c[col] - (y[rows[mask]] * vals[mask]).sum())


def _evaluate(A: Any, c: np.ndarray, y: np.ndarray, kind: np.ndarray, own: set[int],
              sector_of_row: list[Any], sector: str, act: dict[int, float],
              online_year: int | None) -> Estimate:
    output = inputs = other = 0.0
    qcost: dict[int, float] = defaultdict(float)
    quse: dict[int, float] = defaultdict(float)
    qsum = 0.0
    for col, a in act.items():
        output += c[col] * a
        lo, hi = A.indptr[col], A.indptr[col + 1]
        for r, v in zip(A.indices[lo:hi].tolist(), A.data[lo:hi].tolist(), strict=True):
            if r in own:
                continue
            cost = y[r] * v * a
            k = kind[r]
            if k == "chain":
                if sector_of_row[r] == sector:
                    output -= cost
                else:
                    inputs += cost
                    qcost[r] += cost
                    quse[r] -= v * a  # inputs enter their balance row with a minus sign
            elif k == "quota":
                qcost[r] += cost
                quse[r] += v * a
                qsum += cost
            else:
                other += cost
    value = output - inputs - qsum - other
    return Estimate(value, output, inputs, dict(qcost), dict(quse), other, online_year)


USE_COLUMNS = ["project", "kind", "row", "quota", "year", "park", "scope", "sense", "use", "unit",
                "shadow_price", "shadow_price_unit", "opportunity_cost", "binding", "slack",
                "limit", "fixed_use", "basis"]


def use_records(j: str, e: Estimate, infos: list[RowInfo], q: pd.DataFrame,
                 base: pipeline.RunResult) -> list[dict[str, Any]]:
    """Project j's use of each quota row and of each input, valued at the LP prices."""
    out = []
    sectors = base.case.sectors
    for r, cost in e.cost.items():
        use = e.use.get(r, 0.0)
        if abs(use) < 1e-12:
            continue
        info = infos[r]
        if info.kind == "quota" and info.quota is not None:
            qr = q.iloc[info.quota]
            out.append({"project": j, "kind": "quota", "row": r, "quota": qr["name"],
                        "year": qr["year"], "park": qr["park"], "scope": qr["scope"],
                        "sense": qr["sense"], "use": use,
                        # a ratio row is written in its numerator's unit (万 tce, 万 MWh)
                        "unit": row_unit(FAMILIES[qr["name"]].dimension)
                        if qr["name"] in FAMILIES and FAMILIES[qr["name"]].ratio else qr["unit"],
                        "shadow_price": qr["shadow_price"],
                        "shadow_price_unit": qr["shadow_price_unit"], "opportunity_cost": cost,
                        "binding": bool(qr["binding"]), "slack": qr["slack"],
                        "limit": qr["limit"], "fixed_use": qr["fixed_use"],
                        "basis": qr["basis"]})
        elif info.kind == "chain":
            s_, t = info.key
            unit = str(sectors.at[s_, "unit"])
            price = cost / use * 1e4 if use else 0.0  # 亿元 per 万 units -> CNY per unit
            out.append({"project": j, "kind": "input", "row": r, "quota": s_, "year": t,
                        "park": None, "scope": None, "sense": "==", "use": use,
                        "unit": f"10k {unit}",
                        "shadow_price": price, "shadow_price_unit": f"CNY/{unit}",
                        "opportunity_cost": cost, "binding": True, "slack": np.nan,
                        "limit": np.nan, "fixed_use": np.nan, "basis": None})
    return out


