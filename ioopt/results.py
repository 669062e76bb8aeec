"""Solved model -> tidy DataFrames, one function per table (the quotas table is in
:mod:`ioopt.quota_table`).

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
- an indicator (``mode`` report) is never binding and has no shadow price
  (``price_note`` says so); ``verdict`` states every row's use against its limit.
- ``binding``: the row's use is at its limit (``|slack| <= 1e-6 max(1, |limit|)``, in
  the numerator's units for a ratio); a soft row past its limit is not binding, its
  ``violation`` says by how much (the summary lists both).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ioopt import units
from ioopt.formulation import Built
from ioopt.formulation.accounting import TOTALS
from ioopt.market_results import marginal_prices, stepped_import_prices
from ioopt.solution import (
    columns,
    comp_of,
    grid_positions,
    production,
    row_dual,
    value_of,
    values,
    var_keys,
    var_series,
)
from ioopt.solver.highs import SolveResult


def money_scale(built: Built) -> float:
    """CNY per objective unit: 1e8 for money measures (亿元), 1 for jobs."""
    return units.MONEY if built.money_objective else 1.0


def objective_unit(built: Built) -> str:
    """Unit of the objective as reported: 100m CNY (亿元) or job-years."""
    return "100m CNY" if built.money_objective else "job-years"


def portfolio_table(built: Built, res: SolveResult) -> pd.DataFrame:
    """Every project: selected, online year, production by year, resources used, value."""
    d = built.data
    p = d.projects
    acc = d.case.config.accounting
    x = production(built, res)
    # online year: the first year the cumulative build reaches one half (a MILP builds
    # 0 or 1 once; the LP relaxation may build fractions, reported in build_fraction)
    build = np.zeros((len(p), len(d.years)))
    if var_keys(built, res, "build"):
        build[grid_positions(built, res, "build")] = values(res, "build",
                                                              var_keys(built, res, "build"))
    cum = np.cumsum(build, axis=1)
    reached = cum > 0.5
    years = np.array(d.years)
    first = np.where(reached.any(axis=1), years[reached.argmax(axis=1)], -1)
    online_year: dict[str, int | None] = {
        j: (int(y) if y >= 0 else None) for j, y in zip(p.index, first.tolist(), strict=True)}
    fraction = dict(zip(p.index, np.minimum(1.0, cum[:, -1]).tolist(), strict=True))
    for j, t in d.fixed_online.items():
        online_year[j], fraction[j] = t, 1.0
    xa = x.to_numpy()
    total_x = xa.sum(axis=1)
    last = xa[:, -1]
    disc = np.array([d.discount[t] for t in d.years])

    def num(col: str) -> np.ndarray:
        return p[col].to_numpy(dtype=float)

    cap = num("cap")

    def used(col: str) -> np.ndarray:  # sum over the years of production x the year's figure
        return total_x * num(col) if d.yearly is None else (xa * d.grid(col)).sum(axis=1)

    fuel, elec, co2 = used("fuel_energy"), used("elec"), used("co2")
    with np.errstate(divide="ignore", invalid="ignore"):
        util = np.where(cap > 0, last / np.where(cap > 0, cap, 1.0), 0.0)
    w = pd.Series(d.objective_weight).reindex(p.index).to_numpy(dtype=float)
    lo, hi = _value_ranges(built, res)
    cols: dict[str, Any] = {
        "project": p.index.to_numpy(),
        "name": p["name"].to_numpy(),
        "name_zh": p["name_zh"].to_numpy(),
        "sector": p["sector"].to_numpy(),
        "chain": p["sector"].map(d.case.sectors["chain"]).to_numpy(),
        "park": p["park"].to_numpy(),
        "status": p["status"].to_numpy(),
        "illustrative": p["illustrative"].to_numpy(dtype=bool),
        "selected": np.array([online_year[j] is not None for j in p.index], dtype=bool),
        "online_year": pd.array([online_year[j] for j in p.index], dtype="Int64"),
        "build_fraction": np.array([fraction[j] for j in p.index], dtype=float),
        "capacity_10k": cap,
        "unit": p["sector"].map(d.case.sectors["unit"]).to_numpy(),
        "capex_100m_cny": num("capex"),
        "land_mu": num("land"),
        **{f"production_10k_{t}": xa[:, i] for i, t in enumerate(d.years)},
        "utilisation_last_year": util,
        "output_value_100m_cny": total_x * num("price"),
        "value_added_100m_cny": total_x * num("va"),
        "energy_10k_tce": fuel + acc.kappa_tce_per_mwh * elec,
        "co2_10k_t": co2 + acc.ef_grid_t_per_mwh * elec,
        "water_10k_m3": used("water"),
        "electricity_10k_mwh": elec,
        "jobs_last_year": last * num("jobs_per_unit"),
        "contribution": (xa * disc).sum(axis=1) * w,
        "reduced_cost": _build_reduced_cost(built, res, online_year),
        "value_change_lo_pct": lo,
        "value_change_hi_pct": hi,
    }
    out = pd.DataFrame(cols)
    return out


def _value_ranges(built: Built, res: SolveResult) -> tuple[np.ndarray, np.ndarray]:
    """Per project, the % change of its unit value (every year's x cost together) that
    keeps the fixed-portfolio LP's basis optimal: HiGHS's per-column cost ranges combined
    by the 100 % rule (sum of each column's change over its allowance <= 1).
    """
    d = built.data
    n = len(d.projects)
    rg, comp = res.ranging, res.compiled
    if rg is None or comp is None:
        return np.full(n, np.nan), np.full(n, np.nan)
    cost = np.asarray(comp.lp.col_cost_, dtype=float)
    cols = columns(res, "x", var_keys(built, res, "x"))
    rows, _ = grid_positions(built, res, "x")
    keep = cols >= 0
    keep[keep] = cost[cols[keep]] != 0
    cs, rs = cols[keep], rows[keep]
    c = cost[cs]
    room_up = rg.cost_hi[cs] - c   # >= 0: how far each cost can rise
    room_dn = c - rg.cost_lo[cs]   # >= 0: how far each can fall
    # a rise of the value by e changes cost c by e*c: up for c > 0, down for c < 0
    with np.errstate(divide="ignore"):
        use_up = np.where(c > 0, np.abs(c) / room_up, np.abs(c) / room_dn)
        use_dn = np.where(c > 0, np.abs(c) / room_dn, np.abs(c) / room_up)
    up = np.bincount(rs, weights=use_up, minlength=n)
    dn = np.bincount(rs, weights=use_dn, minlength=n)
    has = np.bincount(rs, minlength=n) > 0
    with np.errstate(divide="ignore"):
        hi = np.where(up > 0, 100.0 / up, np.inf)
        lo = np.where(dn > 0, -100.0 / dn, -np.inf)
    return np.where(has, lo, np.nan), np.where(has, hi, np.nan)


def _build_reduced_cost(built: Built, res: SolveResult,
                        online_year: dict[str, int | None]) -> np.ndarray:
    """Reduced cost of each candidate's build decision in the fixed-integer LP, in
    objective units: for a rejected candidate, the best over its possible years (the
    first-order value of forcing it in); for a selected one, at its online year.
    """
    d = built.data
    p = d.projects
    out = np.full(len(p), np.nan)
    keys = var_keys(built, res, "build") if res.compiled is not None else []
    if res.col_dual is None or not keys:
        return out
    cols = columns(res, "build", keys)
    rows, ycols = grid_positions(built, res, "build")
    dual = np.full((len(p), len(d.years)), -np.inf)
    dual[rows, ycols] = np.where(cols >= 0, res.col_dual[np.maximum(cols, 0)], 0.0)
    best = dual.max(axis=1)
    year_col = {t: i for i, t in enumerate(d.years)}
    has = np.zeros(len(p), dtype=bool)
    has[rows] = True
    for i, j in enumerate(p.index):
        if not has[i]:
            continue
        oy = online_year[j]
        out[i] = dual[i, year_col[oy]] if oy is not None and oy in year_col and \
            np.isfinite(dual[i, year_col[oy]]) else best[i]
    return out


def sector_table(built: Built, res: SolveResult) -> pd.DataFrame:
    """Production, imports, exports, intermediate use and final demand by sector and year;
    the marginal value of each product and, where markets.csv has steps, its marginal
    export and import prices (:mod:`ioopt.market_results`).
    """
    d = built.data
    x = production(built, res)
    sectors = d.case.sectors
    years = list(d.years)
    p = d.projects
    # projects -> sectors by matrix products (years as columns)
    prod = x.groupby(p["sector"]).sum().reindex(index=sectors.index, fill_value=0.0)
    value = x.mul(p["price"], axis=0).groupby(p["sector"]).sum().reindex(
        index=sectors.index, fill_value=0.0)
    inp, use = input_use(d, x)
    inter = pd.DataFrame(use, columns=years).groupby(inp["input_sector"].to_numpy()).sum()
    inter = inter.reindex(index=sectors.index, fill_value=0.0)
    idx = pd.MultiIndex.from_product([sectors.index, years], names=["sector", "year"])
    keys = list(idx)
    imp = var_series(built, res, "imp").reindex(idx, fill_value=0.0)
    exp = var_series(built, res, "exp").reindex(idx, fill_value=0.0)
    cb = comp_of(res).rows.get("chain_balance", {})
    duals = [(row_dual(res, "chain_balance", k) if k in cb else float("nan")) for k in keys]
    out = pd.DataFrame({
        "sector": idx.get_level_values(0),
        "chain": sectors["chain"].reindex(idx.get_level_values(0)).to_numpy(),
        "year": idx.get_level_values(1),
        "unit": sectors["unit"].reindex(idx.get_level_values(0)).to_numpy(),
        "production_10k": prod.to_numpy().ravel(),
        "imports_10k": imp.to_numpy(),
        "exports_10k": exp.to_numpy(),
        "intermediate_use_10k": inter.to_numpy().ravel(),
        "final_demand_10k": [d.demand.get(k, 0.0) for k in keys],
        "output_value_100m_cny": value.to_numpy().ravel(),
        "marginal_value_cny_per_unit": -np.asarray(duals) * money_scale(built) / units.QTY,
        **marginal_prices(built, res, keys),
    })
    return out


def input_use(d: Any, x: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """(the inputs' project and input_sector, one row per pair; the units each uses in
    each year, rows x years) at production ``x`` (projects x years), at each year's
    coefficients.
    """
    if d.yearly_inputs is None:
        inp = d.inputs
        return inp, x.reindex(inp["project"]).to_numpy() * inp["coef"].to_numpy()[:, None]
    a = pd.concat([d.inputs_at(t).assign(year=t) for t in d.years]).pivot_table(
        index=["project", "input_sector"], columns="year", values="coef", aggfunc="sum",
        fill_value=0.0).reindex(columns=list(d.years), fill_value=0.0)
    keys = a.index.to_frame(index=False)
    return keys, x.reindex(keys["project"]).to_numpy() * a.to_numpy()


def yearly_totals(built: Built, res: SolveResult, portfolio: pd.DataFrame) -> pd.DataFrame:
    """Region totals by year: gross output, value added, counted energy, CO2, water (the
    model's named Expressions ``energy_use``, ``co2_emitted``, ``water_use``).
    """
    d = built.data
    x = production(built, res)
    recs = []
    for t in d.years:
        recs.append({
            "year": t,
            "gross_output_100m_cny": float((x[t] * d.projects["price"]).sum()),
            "value_added_100m_cny": float((x[t] * d.projects["va"]).sum()),
            "energy_10k_tce": value_of(res, (TOTALS["energy"], t)),
            "co2_10k_t": value_of(res, (TOTALS["co2"], t)),
            "water_10k_m3": value_of(res, (TOTALS["water"], t)),
            "n_online": int(portfolio[f"production_10k_{t}"].gt(0).sum()),
        })
    return pd.DataFrame.from_records(recs)


def flows_table(built: Built, res: SolveResult) -> pd.DataFrame:
    """The supply chains as flows by year, for Sankey diagrams and audits: each sector's
    deliveries to the sectors whose projects use it (intermediate use), and imports into,
    exports from and final demand of each sector. ``quantity_10k`` is in the source
    sector's unit (``unit``; the target's for imports); ``value_100m_cny`` values it at that
    sector's price (imports at the import price, or what their market steps cost).
    """
    d = built.data
    x = production(built, res)
    years = list(d.years)
    sectors = d.case.sectors
    inp, use = input_use(d, x)
    target = d.projects["sector"].reindex(inp["project"]).to_numpy()
    inter = (pd.DataFrame(use, columns=years)
             .assign(source=inp["input_sector"].to_numpy(), target=target)
             .groupby(["source", "target"]).sum()
             .melt(ignore_index=False, var_name="year", value_name="quantity_10k")
             .reset_index())
    inter["kind"] = "intermediate"
    imp, exp = var_series(built, res, "imp"), var_series(built, res, "exp")
    trade = pd.DataFrame(list(imp.index), columns=["sector", "year"])
    imports = trade.assign(source="imports", target=trade["sector"], kind="import",
                           quantity_10k=imp.to_numpy())
    trade = pd.DataFrame(list(exp.index), columns=["sector", "year"])
    exports = trade.assign(source=trade["sector"], target="exports", kind="export",
                           quantity_10k=exp.to_numpy())
    fd = pd.DataFrame([(s, t, v) for (s, t), v in d.demand.items()],
                      columns=["source", "year", "quantity_10k"])
    fd = fd.assign(target="final_demand", kind="final_demand", sector=fd["source"])
    inter["sector"] = inter["source"]
    out = pd.concat([inter, imports, exports, fd], ignore_index=True)
    out["quantity_10k"] = out["quantity_10k"].astype(float)
    out = out[out["quantity_10k"] > 1e-9].copy()
    price = out["sector"].map(sectors["price"])
    price = price.where(out["kind"] != "import", out["sector"].map(sectors["import_price"]))
    for (s, t), paid in stepped_import_prices(built, res).items():  # markets.csv steps
        price[(out["kind"] == "import") & (out["sector"] == s) & (out["year"].astype(int) == t)] = paid
    out["unit"] = out["sector"].map(sectors["unit"])
    out["value_100m_cny"] = out["quantity_10k"] * price.astype(float)
    out["year"] = out["year"].astype(int)
    cols = ["year", "source", "target", "kind", "quantity_10k", "unit", "value_100m_cny"]
    return out[cols].sort_values(["year", "kind", "source", "target"]).reset_index(drop=True)
