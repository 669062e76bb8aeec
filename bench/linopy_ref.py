"""Benchmark peer: ioopt's model of a synthetic case written with linopy's vectorised API.

``linopy_run(case_dir)`` is what a user might write instead of ioopt: variables
dimensioned over (project, year) and (sector, year) as xarray arrays, each constraint
family one vectorised expression, solved by HiGHS through linopy (``io_api="direct"``).
The case is read and converted to model units by :func:`bench.reference.load` and
:func:`bench.reference.prepare` (the same arrays the highspy reference builds from), so
the two differ only in how the model is assembled and handed to HiGHS.

Shadow prices as ioopt computes them: after the MILP the build variables are fixed at
their optimum and relaxed, and linopy re-solves the LP (a second solve of the whole model,
as a linopy user would do it); ``relax=True`` solves the LP relaxation once.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xarray as xr

from bench.reference import (
    INF,
    QUOTA_DIMENSION,
    RefData,
    RefResult,
    chain_terms,
    load,
    portfolio_frame,
    prepare,
)
from ioopt.units import DIMENSIONS, MONEY

TOTAL_COEF = {"energy_total": "e_coef", "carbon_total": "c_coef", "water_total": "water"}


def _total_limits(d: RefData, family: str) -> dict[int, float]:
    """Year -> limit (model units) of a yearly total quota (a blank year: every year)."""
    q = d.quotas[d.quotas["family"] == family]
    out: dict[int, float] = {}
    for yr, lim in zip(q["year"], q["limit_model"], strict=True):
        for t in (d.years.tolist() if pd.isna(yr) else [int(yr)]):
            out[int(t)] = float(lim)
    return out


def build_linopy(d: RefData) -> tuple[Any, list[dict[str, Any]]]:
    """The linopy model of the case and its quota records (name, year, park, limit, const,
    constraint name and coordinate) in ioopt's quota-table order.
    """
    import linopy

    years = pd.Index(d.years, name="year")
    proj = pd.Index(d.project_ids, name="project")
    sect = pd.Index(d.sector_ids, name="sector")
    pj, py = [proj, years], [sect, years]
    produces = xr.DataArray(d.produces, coords=pj)
    can_build = produces & xr.DataArray(d.candidate, coords=[proj])
    cap = xr.DataArray(d.cap, coords=[proj])
    lower = xr.where(xr.DataArray(d.candidate, coords=[proj]), 0.0, d.mu * cap)
    inf = np.inf

    m = linopy.Model(force_dim_names=True)
    # variables in the order Pyomo's compiler gives ioopt's columns: x, imp, build, exp
    x = m.add_variables(lower=lower.broadcast_like(produces), upper=cap.broadcast_like(produces),
                        coords=pj, name="x", mask=produces)
    imp_ub = xr.DataArray(np.where(d.imp_lim >= INF, inf, d.imp_lim), coords=[sect])
    exp_ub = xr.DataArray(np.where(d.exp_lim >= INF, inf, d.exp_lim), coords=[sect])
    zeros_sy = xr.DataArray(np.zeros((len(sect), len(years))), coords=py)
    imp = m.add_variables(lower=zeros_sy, upper=imp_ub + zeros_sy, name="imp")
    build = m.add_variables(coords=pj, name="build", binary=True, mask=can_build)
    exp = m.add_variables(lower=zeros_sy, upper=exp_ub + zeros_sy, name="exp")
    # absent (masked) slots contribute nothing to sums: linopy's legacy rule, made explicit
    xe, be = x.fillna(0), build.fillna(0)

    # build_once[j], production_max[j,t] (production_min when min_util > 0)
    n_years = can_build.sum("year")
    m.add_constraints(be.sum("year") <= 1, name="build_once", mask=n_years > 1)
    online = be.cumsum("year")
    m.add_constraints(xe - cap * online <= 0, name="production_max", mask=can_build)
    mu = xr.DataArray(d.mu, coords=[proj])
    if (d.mu[d.candidate] > 0).any():
        m.add_constraints(xe - mu * cap * online >= 0, name="production_min",
                          mask=can_build & (mu > 0))

    # chain_balance[s,t]: one term per (project, sector it makes or uses)
    ts, tj, tv = chain_terms(d)
    term = pd.RangeIndex(len(ts), name="term")
    term_sector = xr.DataArray(d.sector_ids[ts], coords=[term], name="sector")
    flows = xe.isel(project=xr.DataArray(tj, coords=[term])) * xr.DataArray(tv, coords=[term])
    net = flows.groupby(term_sector).sum().reindex(sector=sect)
    counted = (produces.isel(project=xr.DataArray(tj, coords=[term]))
               .groupby(term_sector).sum().reindex(sector=sect, fill_value=0))
    fd = xr.DataArray(d.fd, coords=py)
    m.add_constraints(net + imp - exp == fd, name="chain_balance", mask=(counted > 0) | (fd != 0))

    records: list[dict[str, Any]] = []
    # yearly totals: energy, carbon, water
    for fam, attr in TOTAL_COEF.items():
        limits = _total_limits(d, fam)
        if not limits:
            continue
        w = xr.DataArray(getattr(d, attr), coords=[proj])
        keep = w != 0
        total = (x.where(keep).fillna(0) * w).sum("project").sel(year=list(limits))
        lim = xr.DataArray(list(limits.values()), coords=[pd.Index(list(limits), name="year")])
        m.add_constraints(total <= lim, name=fam)
        records += [{"name": fam, "year": t, "park": None, "limit": v, "const": 0.0,
                     "con": fam, "at": {"year": t}} for t, v in limits.items()]

    # land[p]: land of new projects online in the last year, committed ones a constant
    existing = d.status == "existing"
    committed = d.status == "committed"
    q = d.quotas[d.quotas["family"] == "land"]
    if len(q):
        new_land = ~existing & (d.land != 0)
        const = pd.Series(d.land * (new_land & committed & (d.fixed_year <= d.years[-1])))
        const = const.groupby(d.park).sum()
        parks = pd.Index(q["park"].astype(str), name="park")
        land = xr.DataArray(np.where(new_land, d.land, 0.0), coords=[proj])
        by_park = ((build.where(land != 0).fillna(0) * land).sum("year")
                   .groupby(xr.DataArray(d.park, coords=[proj], name="park")).sum().reindex(park=parks))
        lim = xr.DataArray(q["limit_model"].to_numpy(dtype=float), coords=[parks])
        c = xr.DataArray(const.reindex(parks, fill_value=0.0).to_numpy(), coords=[parks])
        m.add_constraints(by_park <= lim - c, name="land", mask=by_park.has_terms)
        records += [{"name": "land", "year": None, "park": pk, "limit": float(v),
                     "const": float(cv), "con": "land", "at": {"park": pk}}
                    for pk, v, cv in zip(parks, lim.values, c.values, strict=True)]

    # capital_total
    q = d.quotas[d.quotas["family"] == "capital_total"]
    news = ~existing & (d.capex > 0)
    for lim_ in q["limit_model"]:
        const_k = float(d.capex[news & committed].sum())
        capex = xr.DataArray(np.where(news, d.capex, 0.0), coords=[proj])
        m.add_constraints((build.where(capex != 0).fillna(0) * capex).sum() <= float(lim_) - const_k,
                          name="capital_total")
        records.append({"name": "capital_total", "year": None, "park": None, "limit": float(lim_),
                        "const": const_k, "con": "capital_total", "at": {}})

    disc = xr.DataArray(d.disc, coords=[years])
    weight = xr.DataArray(d.weight, coords=[proj])
    pimp = xr.DataArray(d.imp_price, coords=[sect])
    m.add_objective((xe * (disc * weight)).sum() - (imp * (disc * pimp)).sum(), sense="max")
    return m, records


def _solve(m: Any, time_limit: float | None, mip_gap: float, threads: int | None) -> tuple[str, str]:
    opts: dict[str, Any] = {"output_flag": False, "mip_rel_gap": float(mip_gap)}
    if time_limit:
        opts["time_limit"] = float(time_limit)
    if threads:
        opts["threads"] = int(threads)
    status, cond = m.solve(solver_name="highs", io_api="direct", progress=False, **opts)
    return str(status), str(cond)


def linopy_run(case_dir: Path, relax: bool = False, time_limit: float | None = None,
               mip_gap: float | None = None) -> RefResult:
    """Load, build (linopy), solve (HiGHS via linopy) and extract, timed like
    :func:`bench.reference.reference_run`.
    """
    logging.getLogger("linopy").setLevel(logging.WARNING)
    t0 = time.perf_counter()
    case = load(case_dir)
    t1 = time.perf_counter()
    d = prepare(case)
    m, records = build_linopy(d)
    t2 = time.perf_counter()
    settings = d.solver
    tl = time_limit or settings.get("time_limit_s")
    gap = float(settings.get("mip_gap", 1e-4) if mip_gap is None else mip_gap)
    build = m.variables["build"]
    if relax:
        build.relax()
    status, cond = _solve(m, tl, gap, settings.get("threads"))
    highs_time = float(m.solver_model.getRunTime()) if m.solver_model is not None else 0.0
    objective = mip = None
    ok = status == "ok"
    if ok:
        objective = float(m.objective.value)
        mip = 0.0 if relax else float(m.solver_model.getInfo().mip_gap)
        if not relax:
            build.fix(build.solution.fillna(0.0).round())
            build.relax()
            s2, _ = _solve(m, tl, gap, settings.get("threads"))
            highs_time += float(m.solver_model.getRunTime())
            ok = s2 == "ok"
    t3 = time.perf_counter()
    tables: dict[str, pd.DataFrame] = {"portfolio": pd.DataFrame(), "quotas": pd.DataFrame(),
                                       "sectors": pd.DataFrame()}
    if objective is not None:
        tables = _extract(m, d, records, ok)
    t4 = time.perf_counter()
    q = tables["quotas"]
    stats = m.matrices
    return RefResult(
        status="optimal" if objective is not None else cond, termination=cond, objective=objective,
        mip_gap=mip, portfolio=tables["portfolio"], quotas=q, sectors=tables["sectors"],
        quota_duals=q["dual"].to_numpy() if "dual" in q else np.zeros(0),
        timings={"load": t1 - t0, "build": t2 - t1, "solve": t3 - t2, "extract": t4 - t3,
                 "highs": highs_time},
        size={"rows": len(stats.clabels), "cols": len(stats.vlabels),
              "nnz": int(stats.A.nnz) if stats.A is not None else 0})


def _extract(m: Any, d: RefData, records: list[dict[str, Any]], has_duals: bool
             ) -> dict[str, pd.DataFrame]:
    """Portfolio, quota and sector tables (as bench.reference.extract)."""
    years = d.years
    x = m.variables["x"].solution.fillna(0.0).values
    portfolio = portfolio_frame(d, x, m.variables["build"].solution.fillna(0.0).values)

    recs = []
    for r in records:
        con = m.constraints[r["con"]] if r["con"] in m.constraints else None  # noqa: SIM401 (no .get)
        used, dual = r["const"], 0.0
        if con is not None and int(con.labels.sel(r["at"]).item()) >= 0:
            used += float(con.lhs.sel(r["at"]).solution.item())
            if has_duals:
                dual = float(con.dual.sel(r["at"]).item())
        base = DIMENSIONS[QUOTA_DIMENSION[r["name"]]].base_per_model
        slack = r["limit"] - used
        recs.append({"name": r["name"], "year": r["year"], "park": r["park"], "sense": "<=",
                     "limit": r["limit"], "used": used, "slack": slack,
                     "binding": abs(slack) <= 1e-6 * max(1.0, abs(r["limit"])), "dual": dual,
                     "shadow_price": dual * MONEY / base if has_duals else np.nan})
    quotas = pd.DataFrame.from_records(recs)
    quotas["year"] = pd.array(quotas["year"], dtype="Int64")

    S, T = len(d.sector_ids), len(years)
    prod = np.zeros((S, T))
    np.add.at(prod, d.sector_of, x)
    chain = m.constraints["chain_balance"]
    chain_dual = np.where(chain.labels.values >= 0,
                          chain.dual.values if has_duals else np.nan, np.nan)
    sectors = pd.DataFrame({
        "sector": np.repeat(d.sector_ids, T), "year": np.tile(years, S),
        "production_10k": prod.ravel(),
        "imports_10k": m.variables["imp"].solution.values.ravel(),
        "exports_10k": m.variables["exp"].solution.values.ravel(),
        "marginal_value_cny_per_unit": -chain_dual.ravel() * MONEY / 1e4,
    })
    return {"portfolio": portfolio, "quotas": quotas, "sectors": sectors}
