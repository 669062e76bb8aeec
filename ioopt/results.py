"""Solved model -> tidy DataFrames, one function per table, and the summary record.

Conventions (also in the README):
- quantities in model units: 万 product units, 万 tce, 万 t CO2, 万 m3, 亿元, mu;
- ``shadow_price`` is the change of the objective per unit of relaxation of the limit,
  ∂objective/∂limit, quoted per base unit (CNY per tce, per m3, per mu, per t CO2): >= 0
  for caps, <= 0 for floors (raising a floor costs). For intensity rows it is per tce
  (m3, t CO2) of extra room under the cap; for green-share rows per MWh of extra
  renewable requirement. It comes from the LP with integer decisions fixed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyomo.environ as pyo
from pyomo.core.expr.visitor import identify_variables

from ioopt import units
from ioopt.formulation import registry
from ioopt.formulation.rows import QuotaRow, Terms
from ioopt.schemas import FAMILIES
from ioopt.solve import SolveResult

RATIO_FAMILIES = {"energy_intensity", "carbon_intensity", "water_intensity", "green_share"}


def _val(terms: Terms, const: float = 0.0) -> float:
    return const + sum(c * (v.value or 0.0) for c, v in terms)


def _dual(res: SolveResult, con: Any) -> float:
    if con is None or res.row_dual is None or res.compiled is None:
        return 0.0
    r = res.compiled.row_of.get(id(con))
    return 0.0 if r is None else float(res.row_dual[r])


def _money_scale(m: pyo.ConcreteModel) -> float:
    return units.MONEY if registry(m).data.money_objective else 1.0


def objective_unit(m: pyo.ConcreteModel) -> str:
    """Unit of the objective as reported: 100m CNY (亿元) or job-years."""
    return "100m CNY" if registry(m).data.money_objective else "job-years"


def quota_table(m: pyo.ConcreteModel, res: SolveResult) -> pd.DataFrame:
    """Every quota-family row: limit, used, slack, binding, shadow price with its unit."""
    d = registry(m).data
    scale = _money_scale(m)
    sp_unit_num = "CNY" if d.money_objective else "jobs"
    recs = []
    for q in registry(m).quota_rows:
        recs.append(_quota_record(q, res, d, scale, sp_unit_num))
    cols = ["name", "year", "park", "scope", "sense", "limit", "used", "slack", "binding",
            "shadow_price", "unit", "shadow_price_unit", "price_note", "mode", "violation",
            "fixed_use", "description"]
    out = pd.DataFrame.from_records(recs, columns=cols)
    out["year"] = pd.array(out["year"], dtype="Int64")
    return out


def _quota_record(q: QuotaRow, res: SolveResult, d: Any, scale: float,
                  sp_num: str) -> dict[str, Any]:
    spec = FAMILIES[q.family]
    dim = units.DIMENSIONS[spec.dimension]
    used_abs = _val(q.used, q.used_const)
    violation = float(q.slack.value or 0.0) if q.slack is not None else 0.0
    if q.family in RATIO_FAMILIES:
        per = _val(q.per or [], q.per_const)
        used = used_abs / per if per > 1e-12 else 0.0
        room = q.limit * per - used_abs  # in numerator units
        slack = room if spec.sense == "<=" else -room
        tight = abs(slack) <= 1e-6 * max(1.0, abs(q.limit * per))
    else:
        used = used_abs
        slack = q.limit - used if spec.sense == "<=" else used - q.limit
        tight = abs(slack) <= 1e-6 * max(1.0, abs(q.limit))
    unit = dim.model_unit
    base = dim.base_unit
    if spec.dimension == "quantity":
        su = _scope_unit(d, q.scope)
        unit, base = f"10k {su}", su
    has_price = res.row_dual is not None
    dual = _dual(res, q.constraint)
    note = ""
    if tight and violation <= 1e-9 and abs(dual) <= 1e-12 and has_price:
        if q.constraint is None:
            note = FIXED_NOTE
        elif _integer_only(q.constraint):
            note = INTEGER_ONLY_NOTE
    return {
        "name": q.family,
        "year": q.year,
        "park": q.park,
        "scope": q.scope,
        "sense": spec.sense,
        "limit": q.limit,
        "used": used,
        "slack": slack,
        "binding": bool(tight or violation > 1e-9),
        "shadow_price": dual * scale / dim.base_per_model if has_price else float("nan"),
        "unit": unit,
        "shadow_price_unit": f"{sp_num}/{base}",
        "price_note": note,
        "mode": q.mode.value,
        "violation": violation,
        "fixed_use": q.used_const if q.family not in RATIO_FAMILIES else float("nan"),
        "description": spec.description,
    }


FIXED_NOTE = "no decision enters this row (existing and committed plants only): it has no price"
INTEGER_ONLY_NOTE = ("binds on build decisions only: with the portfolio fixed its price is 0 by "
                     "construction; re-solve with a changed limit to value it")


def _integer_only(con: Any) -> bool:
    """True when a row's variables are all integer (its fixed-integer LP dual is 0)."""
    if con is None:
        return False
    return all(v.is_integer() for v in identify_variables(con.body, include_fixed=True))


def _scope_unit(d: Any, scope: str | None) -> str:
    s = d.case.sectors
    if scope in s.index:
        return str(s.at[scope, "unit"])
    chain_units = set(s.loc[s["chain"] == scope, "unit"])
    return chain_units.pop() if len(chain_units) == 1 else "units"


def production(m: pyo.ConcreteModel) -> pd.DataFrame:
    """x[j,t] as a wide frame: projects x years (万 units), zeros where not producing."""
    d = registry(m).data
    idx = list(m.x.keys())
    vals = [m.x[k].value or 0.0 for k in idx]
    long = pd.DataFrame(idx, columns=["project", "year"]).assign(x=vals)
    wide = long.pivot(index="project", columns="year", values="x")
    return wide.reindex(index=d.projects.index, columns=d.years).fillna(0.0)


def portfolio_table(m: pyo.ConcreteModel, res: SolveResult) -> pd.DataFrame:
    """Every project: selected, online year, production by year, resources used, value."""
    d = registry(m).data
    p = d.projects
    acc = d.case.config.accounting
    x = production(m)
    online_year: dict[str, int | None] = {}
    for j in p.index:
        if j in d.fixed_online:
            online_year[j] = d.fixed_online[j]
        else:
            built = [t for t in d.build_years.get(j, []) if (m.build[j, t].value or 0) > 0.5]
            online_year[j] = built[0] if built else None
    total_x = x.sum(axis=1)
    disc = np.array([d.discount[t] for t in d.years])
    out = pd.DataFrame({
        "project": p.index,
        "name": p["name"],
        "name_zh": p["name_zh"],
        "sector": p["sector"],
        "chain": p["sector"].map(d.case.sectors["chain"]),
        "park": p["park"],
        "status": p["status"],
        "illustrative": p["illustrative"].astype(bool),
        "selected": [online_year[j] is not None for j in p.index],
        "online_year": pd.array([online_year[j] for j in p.index], dtype="Int64"),
        "capacity_10k": p["cap"],
        "unit": p["sector"].map(d.case.sectors["unit"]),
        "capex_100m_cny": p["capex"],
        "land_mu": p["land"],
    }, index=p.index)
    for t in d.years:
        out[f"production_10k_{t}"] = x[t]
    last = x[d.years[-1]]
    out["utilisation_last_year"] = (last / p["cap"].where(p["cap"] > 0)).fillna(0.0)
    out["output_value_100m_cny"] = total_x * p["price"]
    out["value_added_100m_cny"] = total_x * p["va"]
    out["energy_10k_tce"] = total_x * (p["fuel_energy"] + acc.kappa_tce_per_mwh * p["elec"])
    out["co2_10k_t"] = total_x * (p["co2"] + acc.ef_grid_t_per_mwh * p["elec"])
    out["water_10k_m3"] = total_x * p["water"]
    out["electricity_10k_mwh"] = total_x * p["elec"]
    out["jobs_last_year"] = last * p["jobs_per_unit"]
    w = pd.Series(d.objective_weight)
    out["contribution"] = (x.to_numpy() * disc).sum(axis=1) * w.reindex(p.index).to_numpy()
    out["reduced_cost"] = _build_reduced_cost(m, res, online_year)
    return out.reset_index(drop=True)


def _build_reduced_cost(m: pyo.ConcreteModel, res: SolveResult,
                        online_year: dict[str, int | None]) -> list[float]:
    """Reduced cost of each candidate's build decision in the fixed-integer LP, in
    objective units: for a rejected candidate, the best over its possible years (the
    first-order value of forcing it in); for a selected one, at its online year.
    """
    d = registry(m).data
    out = []
    for j in d.projects.index:
        if j not in d.build_years or res.col_dual is None or res.compiled is None:
            out.append(float("nan"))
            continue
        duals = []
        for t in d.build_years[j]:
            c = res.compiled.col_of.get(id(m.build[j, t]))
            duals.append((t, 0.0 if c is None else float(res.col_dual[c])))
        oy = online_year[j]
        out.append(dict(duals)[oy] if oy is not None else max(v for _, v in duals))
    return out


def sector_table(m: pyo.ConcreteModel, res: SolveResult) -> pd.DataFrame:
    """Production, imports, exports, intermediate use and final demand by sector and year."""
    d = registry(m).data
    x = production(m)
    inputs = d.inputs
    use = (inputs.merge(x.reset_index(names="project"), on="project")
           .set_index(["input_sector", "project"]))
    recs = []
    sectors = d.case.sectors
    cb = m.component("chain_balance")
    for s in sectors.index:
        makers = d.by_sector.get(s, [])
        sel = use.loc[s] if s in use.index.get_level_values(0) else None
        price = d.projects.loc[makers, "price"]
        for t in d.years:
            prod = float(x.loc[makers, t].sum()) if makers else 0.0
            inter = float((sel["coef"] * sel[t]).sum()) if sel is not None else 0.0
            dual = _dual(res, cb[s, t]) if cb is not None and (s, t) in cb else float("nan")
            recs.append({
                "sector": s, "chain": sectors.at[s, "chain"], "year": t,
                "unit": sectors.at[s, "unit"],
                "production_10k": prod,
                "imports_10k": m.imp[s, t].value or 0.0,
                "exports_10k": m.exp[s, t].value or 0.0,
                "intermediate_use_10k": inter,
                "final_demand_10k": d.demand.get((s, t), 0.0),
                "output_value_100m_cny": float((x.loc[makers, t] * price).sum()),
                "marginal_value_cny_per_unit": 0.0 - dual * _money_scale(m) / units.QTY,
            })
    return pd.DataFrame.from_records(recs)


def yearly_totals(m: pyo.ConcreteModel, portfolio: pd.DataFrame) -> pd.DataFrame:
    """Region totals by year: gross output, value added, counted energy, CO2, water."""
    d = registry(m).data
    tot = registry(m).totals
    x = production(m)
    recs = []
    for t in d.years:
        recs.append({
            "year": t,
            "gross_output_100m_cny": float((x[t] * d.projects["price"]).sum()),
            "value_added_100m_cny": float((x[t] * d.projects["va"]).sum()),
            "energy_10k_tce": _val(tot.energy[t]),
            "co2_10k_t": _val(tot.co2[t]),
            "water_10k_m3": _val(tot.water[t]),
            "n_online": int(portfolio[f"production_10k_{t}"].gt(0).sum()),
        })
    return pd.DataFrame.from_records(recs)
