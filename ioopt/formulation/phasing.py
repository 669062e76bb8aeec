"""Variables and multi-year phasing: build once, stay online, produce within capacity.

``build[j,t]`` (binary) exists only for candidates and the years they may come online;
``online[j,t] = sum_{tau<=t} build[j,tau]`` is an expression, not a variable. Existing
plants and committed projects are online from a fixed year: their production bounds are
variable bounds, not rows.
"""

from __future__ import annotations

import pyomo.environ as pyo

from ioopt.formulation.data import ModelData
from ioopt.formulation.rows import Builder, Rows, Terms, add_rows


def add_variables(m: pyo.ConcreteModel, d: ModelData) -> None:
    """Declare build, x, imp, exp (green is declared by its family).

    - ``build[j,t]`` in {0,1}: candidate j comes online in year t.
    - ``x[j,t] >= 0``: production of project j in year t (万 units).
    - ``imp[s,t]``, ``exp[s,t] >= 0``: trade with the rest of the country, bounded by the
      sector's import and export limits (sectors.csv), except where markets.csv has steps
      for the sector, year and direction: there the steps bound it (their sum, the
      ``export_market`` / ``import_market`` row).
    """
    p = d.projects
    build_index = [(j, t) for j in d.candidates for t in d.build_years[j]]
    m.build = pyo.Var(build_index, domain=pyo.Binary)

    x_index = [(j, t) for j in p.index for t in d.x_years(j)]
    cap = p["cap"].to_dict()
    fixed = d.fixed_online
    sh = d.shares

    def x_bounds(_m: pyo.ConcreteModel, j: str, t: int) -> tuple[float, float]:
        if j in fixed:
            # existing and committed: cap x the year's shares (ramp-up, growth, max/min_util)
            flat = sh.flat.get(j)
            if flat is not None:
                return (flat[1] * cap[j], flat[0] * cap[j])
            return (sh.lower(j, t, fixed[j]) * cap[j], sh.upper(j, t, fixed[j]) * cap[j])
        return (0.0, cap[j])

    m.x = pyo.Var(x_index, domain=pyo.NonNegativeReals, bounds=x_bounds)

    s = d.case.sectors
    trade_index = [(sec, t) for sec in s.index for t in d.years]
    imp_lim = s["import_limit_10k"].to_dict()
    exp_lim = s["export_limit_10k"].to_dict()

    def bounds_from(lim: dict[str, float | None], direction: str):  # type: ignore[no-untyped-def]
        def rule(_m: pyo.ConcreteModel, sec: str, t: int) -> tuple[float, float | None]:
            if (sec, t, direction) in d.markets:
                return (0.0, None)  # its market's steps bound it
            v = lim[sec]
            return (0.0, None if v is None or v != v else float(v))
        return rule

    m.imp = pyo.Var(trade_index, domain=pyo.NonNegativeReals, bounds=bounds_from(imp_lim, "import"))
    m.exp = pyo.Var(trade_index, domain=pyo.NonNegativeReals, bounds=bounds_from(exp_lim, "export"))


def online(m: pyo.ConcreteModel, d: ModelData, j: str, t: int) -> tuple[Terms, float]:
    """online[j,t] as (terms, constant): 1 for a fixed project online by t, else the
    sum of its build variables up to t.
    """
    if j in d.fixed_online:
        return [], 1.0 if t >= d.fixed_online[j] else 0.0
    return [(1.0, m.build[j, tau]) for tau in d.build_years.get(j, []) if tau <= t], 0.0


def add_build_once(b: Builder, d: ModelData, _tot: object = None) -> None:
    """``build_once[j]``: ``sum_t build[j,t] <= 1``."""
    build = dict(b.m.build.items())
    once = {(j,): ([(1.0, build[j, t]) for t in d.build_years[j]], 0.0, "<=", 1.0)
            for j in d.candidates if len(d.build_years[j]) > 1}
    add_rows(b, "build_once", once)


def add_production_max(b: Builder, d: ModelData, _tot: object = None) -> None:
    """``production_max[j,t]``: ``x[j,t] - cap_j * sum_{tau<=t} u_j(t,tau) build[j,tau]
    <= 0`` with ``u_j(t,tau)`` the share of capacity j may produce in year t when online
    from tau (its ramp-up for the years since tau, capped by max_util in year t; without
    ramp-up and paths ``max_util_j``, i.e. ``x[j,t] - max_util_j cap_j online[j,t] <= 0``).
    """
    add_rows(b, "production_max", _production_rows(b, d)[0])


def add_production_min(b: Builder, d: ModelData, _tot: object = None) -> None:
    """``production_min[j,t]``: ``x[j,t] - cap_j * sum_{tau<=t} l_j(t,tau) build[j,tau]
    >= 0`` with ``l_j(t,tau) = min(min_util_j(t), u_j(t,tau))``.
    """
    add_rows(b, "production_min", _production_rows(b, d)[1])


def _production_rows(b: Builder, d: ModelData) -> tuple[Rows, Rows]:
    """The rows linking a candidate's production to its build decisions (both families,
    written in one pass and kept for the second family's call).
    """
    if "production" not in b.shared:
        b.shared["production"] = _write_production_rows(b, d)
    out: tuple[Rows, Rows] = b.shared["production"]
    return out


def _write_production_rows(b: Builder, d: ModelData) -> tuple[Rows, Rows]:
    m = b.m
    p = d.projects
    build = dict(m.build.items())
    x = dict(m.x.items())
    caps = p["cap"].astype(float).to_dict()
    sh = d.shares
    pmax: Rows = {}
    pmin: Rows = {}
    for j in d.candidates:
        cap = caps[j]
        years = d.build_years.get(j, [])
        builds = [(tau, build[j, tau]) for tau in years]
        flat = sh.flat.get(j)
        if flat is not None:  # the same shares every year: online[j,t] times them
            hi, lo = -flat[0] * cap, -flat[1] * cap
            for t in d.x_years(j):
                # online[j,t] = sum of build[j,tau] for tau <= t (as online() writes it)
                on = [v for tau, v in builds if tau <= t]
                pmax[(j, t)] = ([(1.0, x[j, t]), *((hi, v) for v in on)], 0.0, "<=", 0.0)
                if flat[1] > 0:
                    pmin[(j, t)] = ([(1.0, x[j, t]), *((lo, v) for v in on)], 0.0, ">=", 0.0)
            continue
        writes_min = any(v > 0 for v in sh.min_util[j])
        for t in d.x_years(j):
            on = [(tau, v) for tau, v in builds if tau <= t]
            pmax[(j, t)] = ([(1.0, x[j, t]), *((-sh.upper(j, t, tau) * cap, v) for tau, v in on)],
                            0.0, "<=", 0.0)
            if writes_min:
                pmin[(j, t)] = ([(1.0, x[j, t]), *((-sh.lower(j, t, tau) * cap, v)
                                                   for tau, v in on)], 0.0, ">=", 0.0)
    return pmax, pmin


def add_force_in(b: Builder, d: ModelData, _tot: object = None) -> None:
    """``force_in[j]``: ``sum_t build[j,t] == 1`` for a candidate the case forces in
    (``build[j,force_year] == 1`` when it gives the year).
    """
    build = dict(b.m.build.items())
    rows: Rows = {}
    for j, year in d.forced_in.items():
        years = [year] if year is not None else d.build_years[j]
        rows[(j,)] = ([(1.0, build[j, t]) for t in years if (j, t) in build], 0.0, "==", 1.0)
    add_rows(b, "force_in", rows)
