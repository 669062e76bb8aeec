"""Solved model -> tidy DataFrames, one function per table, and the summary record.

Conventions (also in the README):
- quantities in model units: 万 product units, 万 tce, 万 t CO2, 万 m3, 亿元, mu;
- ``shadow_price`` is the change of the objective per unit of relaxation of the limit,
  ∂objective/∂limit, quoted per base unit (CNY per tce, per m3, per mu, per t CO2): >= 0
  for caps, <= 0 for floors (raising a floor costs). For intensity rows it is per tce
  (m3, t CO2) of extra room under the cap; for green-share rows per MWh of extra
  renewable requirement. It comes from the LP with integer decisions fixed.
- sensitivity ranges (when the solve asked HiGHS for ranging) hold for the fixed
  portfolio: ``limit_lo_same_price``..``limit_hi_same_price`` is the interval of a total
  quota's limit over which its shadow price stays what it is; ``value_change_lo_pct``..
  ``value_change_hi_pct`` is how far a project's unit value (price, value-added or tax
  rate) can move, all its years together, before the LP's plan changes (HiGHS's cost
  ranging per year, combined by the 100 % rule: a safe, possibly narrow, interval).
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
            "fixed_use", "limit_lo_same_price", "limit_hi_same_price", "description"]
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
    lo = hi = float("nan")
    rg = res.ranging
    if rg is not None and q.family not in RATIO_FAMILIES and res.compiled is not None and \
            q.constraint is not None and id(q.constraint) in res.compiled.row_of:
        r = res.compiled.row_of[id(q.constraint)]
        # the row's bound is limit - fixed use: shift the range back to the limit
        lo, hi = float(rg.row_lo[r]) + q.used_const, float(rg.row_hi[r]) + q.used_const
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
        "limit_lo_same_price": lo,
        "limit_hi_same_price": hi,
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
    # online year: the first year the cumulative build reaches one half (a MILP builds
    # 0 or 1 once; the LP relaxation may build fractions, reported in build_fraction)
    online_year: dict[str, int | None] = dict.fromkeys(p.index)
    online_year.update(d.fixed_online)
    fraction = dict.fromkeys(p.index, 0.0)
    fraction.update(dict.fromkeys(d.fixed_online, 1.0))
    for j, years in d.build_years.items():
        if j in d.fixed_online:
            continue
        cum = 0.0
        for t in years:
            cum += m.build[j, t].value or 0.0
            if online_year[j] is None and cum > 0.5:
                online_year[j] = t
        fraction[j] = min(1.0, cum)
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
        "build_fraction": [fraction[j] for j in p.index],
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
    lo, hi = _value_ranges(m, res)
    out["value_change_lo_pct"] = lo
    out["value_change_hi_pct"] = hi
    return out.reset_index(drop=True)


def _value_ranges(m: pyo.ConcreteModel, res: SolveResult) -> tuple[list[float], list[float]]:
    """Per project, the % change of its unit value (every year's x cost together) that
    keeps the fixed-portfolio LP's basis optimal: HiGHS's per-column cost ranges combined
    by the 100 % rule (sum of each column's change over its allowance <= 1).
    """
    d = registry(m).data
    n = len(d.projects)
    rg, comp = res.ranging, res.compiled
    if rg is None or comp is None:
        return [float("nan")] * n, [float("nan")] * n
    cost = np.asarray(comp.lp.col_cost_, dtype=float)
    cols: dict[str, list[int]] = {}
    for (j, t) in m.x:
        col = comp.col_of.get(id(m.x[j, t]))
        if col is not None and cost[col] != 0:
            cols.setdefault(j, []).append(col)
    lo_out, hi_out = [], []
    for j in d.projects.index:
        cs = np.array(cols.get(j, []), dtype=np.int64)
        if not len(cs):
            lo_out.append(float("nan"))
            hi_out.append(float("nan"))
            continue
        c: np.ndarray = cost[cs]
        room_up = rg.cost_hi[cs] - c   # >= 0: how far each cost can rise
        room_dn = c - rg.cost_lo[cs]   # >= 0: how far each can fall
        # a rise of the value by e changes cost c by e*c: up for c > 0, down for c < 0
        with np.errstate(divide="ignore"):
            use_up: np.ndarray = np.where(c > 0, np.abs(c) / room_up, np.abs(c) / room_dn)
            use_dn: np.ndarray = np.where(c > 0, np.abs(c) / room_dn, np.abs(c) / room_up)
        hi_out.append(100.0 / float(use_up.sum()) if use_up.sum() > 0 else float("inf"))
        lo_out.append(-100.0 / float(use_dn.sum()) if use_dn.sum() > 0 else float("-inf"))
    return lo_out, hi_out


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
    sectors = d.case.sectors
    years = list(d.years)
    p = d.projects
    # projects -> sectors by matrix products (years as columns)
    prod = x.groupby(p["sector"]).sum().reindex(index=sectors.index, fill_value=0.0)
    value = x.mul(p["price"], axis=0).groupby(p["sector"]).sum().reindex(
        index=sectors.index, fill_value=0.0)
    inp = d.inputs
    use = x.reindex(inp["project"]).to_numpy() * inp["coef"].to_numpy()[:, None]
    inter = pd.DataFrame(use, columns=years).groupby(inp["input_sector"].to_numpy()).sum()
    inter = inter.reindex(index=sectors.index, fill_value=0.0)
    idx = pd.MultiIndex.from_product([sectors.index, years], names=["sector", "year"])
    keys = list(idx)
    imp = m.imp
    exp = m.exp
    cb = m.component("chain_balance")
    duals = [(_dual(res, cb[k]) if cb is not None and k in cb else float("nan")) for k in keys]
    out = pd.DataFrame({
        "sector": idx.get_level_values(0),
        "chain": sectors["chain"].reindex(idx.get_level_values(0)).to_numpy(),
        "year": idx.get_level_values(1),
        "unit": sectors["unit"].reindex(idx.get_level_values(0)).to_numpy(),
        "production_10k": prod.to_numpy().ravel(),
        "imports_10k": [imp[k].value or 0.0 for k in keys],
        "exports_10k": [exp[k].value or 0.0 for k in keys],
        "intermediate_use_10k": inter.to_numpy().ravel(),
        "final_demand_10k": [d.demand.get(k, 0.0) for k in keys],
        "output_value_100m_cny": value.to_numpy().ravel(),
        "marginal_value_cny_per_unit": -np.asarray(duals) * _money_scale(m) / units.QTY,
    })
    return out


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


def flows_table(m: pyo.ConcreteModel) -> pd.DataFrame:
    """The supply chains as flows by year, for Sankey diagrams and audits: each sector's
    deliveries to the sectors whose projects use it (intermediate use), and imports into,
    exports from and final demand of each sector. ``quantity_10k`` is in the source
    sector's unit (``unit``; the target's for imports); ``value_100m_cny`` values it at that
    sector's price (imports at the import price).
    """
    d = registry(m).data
    x = production(m)
    years = list(d.years)
    sectors = d.case.sectors
    inp = d.inputs
    use = x.reindex(inp["project"]).to_numpy() * inp["coef"].to_numpy()[:, None]
    target = d.projects["sector"].reindex(inp["project"]).to_numpy()
    inter = (pd.DataFrame(use, columns=years)
             .assign(source=inp["input_sector"].to_numpy(), target=target)
             .groupby(["source", "target"]).sum()
             .melt(ignore_index=False, var_name="year", value_name="quantity_10k")
             .reset_index())
    inter["kind"] = "intermediate"
    sec_keys = list(m.imp.keys())
    trade = pd.DataFrame(sec_keys, columns=["sector", "year"])
    imports = trade.assign(source="imports", target=trade["sector"], kind="import",
                           quantity_10k=[m.imp[k].value or 0.0 for k in sec_keys])
    exports = trade.assign(source=trade["sector"], target="exports", kind="export",
                           quantity_10k=[m.exp[k].value or 0.0 for k in sec_keys])
    fd = pd.DataFrame([(s, t, v) for (s, t), v in d.demand.items()],
                      columns=["source", "year", "quantity_10k"])
    fd = fd.assign(target="final_demand", kind="final_demand", sector=fd["source"])
    inter["sector"] = inter["source"]
    out = pd.concat([inter, imports, exports, fd], ignore_index=True)
    out["quantity_10k"] = out["quantity_10k"].astype(float)
    out = out[out["quantity_10k"] > 1e-9].copy()
    price = out["sector"].map(sectors["price"])
    price = price.where(out["kind"] != "import", out["sector"].map(sectors["import_price"]))
    out["unit"] = out["sector"].map(sectors["unit"])
    out["value_100m_cny"] = out["quantity_10k"] * price.astype(float)
    out["year"] = out["year"].astype(int)
    cols = ["year", "source", "target", "kind", "quantity_10k", "unit", "value_100m_cny"]
    return out[cols].sort_values(["year", "kind", "source", "target"]).reset_index(drop=True)
