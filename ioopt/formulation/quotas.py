"""Quota families on the region's yearly totals, green share, land and capital.

Each ``add_<family>`` writes its rows from the quota records of ``quotas.csv`` (a blank
year means every year). Units are model units: 万 tce, 万 t CO2, 万 m3, 亿元, mu,
万 MWh; intensities in tce (t, m3) per 万元 of value added.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import pandas as pd
import pyomo.environ as pyo

from ioopt.families import FAMILIES
from ioopt.formulation.accounting import TOTALS, Totals
from ioopt.formulation.data import ModelData
from ioopt.formulation.phasing import online
from ioopt.formulation.rows import Builder, QuotaRow, Rows, Terms, add_quota_rows, add_rows, linear
from ioopt.schemas import Basis, Mode, basis_or_estimate, mode_or


class Limit(NamedTuple):
    """One quota row of quotas.csv for one year, in model units."""

    year: int | None
    park: str | None
    limit: float
    mode: Mode
    penalty: float | None
    """The row's own soft penalty in objective units (None: the family's)."""
    basis: Basis = Basis.estimate
    """What the limit rests on (blank: estimate)."""


def quota_limits(d: ModelData, family: str, quotas: pd.DataFrame | None = None
                 ) -> Iterator[Limit]:
    """A family's quota rows, years expanded (a blank year means every year).

    ``quotas``: read the limits from this quota table instead of the case's (a what-if
    that changes limits only, see ioopt.analyses.whatif).
    """
    fam = d.family(family)
    if not fam.enabled:
        return
    q = d.case.quotas if quotas is None else quotas
    sel = q[q["family"] == family]
    basis = sel["basis"]
    for year, park, lim, mode, pn, bs in zip(sel["year"], sel["park"], sel["limit_model"],
                                             sel["mode"], sel["penalty"], basis, strict=True):
        m_ = mode_or(mode, fam.mode)
        park_ = park or None
        if year is None or pd.isna(year):
            years: list[int | None] = (list(d.years) if FAMILIES[family].needs_year
                                       is not False else [None])
        else:
            years = [int(year)]
        for t in years:
            yield Limit(t, park_, float(lim), m_, fam.row_penalty(pn), basis_or_estimate(bs))


def _total(b: Builder, d: ModelData, totals: dict[int, Terms], total: str) -> None:
    records, rows = [], {}
    for q in quota_limits(d, total):
        t = q.year
        assert t is not None
        key = (t,)
        records.append(QuotaRow(total, key, t, None, None, q.limit, mode=q.mode,
                                penalty=q.penalty, basis=q.basis))
        rows[key] = (totals[t], 0.0, "<=", q.limit)
    add_quota_rows(b, total, records, rows)


def _intensity(b: Builder, d: ModelData, totals: dict[int, Terms], va: dict[int, Terms],
               intensity: str, num: str) -> None:
    records, rows = [], {}
    for q in quota_limits(d, intensity):
        t, lim = q.year, q.limit
        assert t is not None
        key = (t,)
        records.append(QuotaRow(intensity, key, t, None, None, lim, num=(num, t),
                                den=(TOTALS["va"], t), mode=q.mode, penalty=q.penalty,
                                basis=q.basis))
        rows[key] = ([*totals[t], *((-lim * c, v) for c, v in va[t])], 0.0, "<=", 0.0)
    add_quota_rows(b, intensity, records, rows)


def add_energy_total(b: Builder, d: ModelData, tot: Totals) -> None:
    """``energy_total[t]``: ``E_t <= Equota_t`` (``E_t`` the Expression ``energy_use[t]``)."""
    _total(b, d, tot.energy, "energy_total")


def add_energy_intensity(b: Builder, d: ModelData, tot: Totals) -> None:
    """``energy_intensity[t]``: ``E_t - theta_t VA_t <= 0`` (theta in tce per 万元)."""
    _intensity(b, d, tot.energy, tot.va, "energy_intensity", TOTALS["energy"])


def add_carbon_total(b: Builder, d: ModelData, tot: Totals) -> None:
    """``carbon_total[t]``: ``C_t <= Cquota_t`` (``co2_emitted[t]``)."""
    _total(b, d, tot.co2, "carbon_total")


def add_carbon_intensity(b: Builder, d: ModelData, tot: Totals) -> None:
    """``carbon_intensity[t]``: ``C_t - gamma_t VA_t <= 0`` (gamma in t CO2 per 万元)."""
    _intensity(b, d, tot.co2, tot.va, "carbon_intensity", TOTALS["co2"])


def add_water_total(b: Builder, d: ModelData, tot: Totals) -> None:
    """``water_total[t]``: ``W_t <= Wquota_t`` (``water_use[t]``)."""
    _total(b, d, tot.water, "water_total")


def add_water_intensity(b: Builder, d: ModelData, tot: Totals) -> None:
    """``water_intensity[t]``: ``W_t - omega_t VA_t <= 0`` (omega in m3 per 万元)."""
    _intensity(b, d, tot.water, tot.va, "water_intensity", TOTALS["water"])


def _green_parks(d: ModelData) -> list[tuple[str, int]]:
    """(park, year) of every green-share or green-power limit."""
    keys = {(lim.park, lim.year) for f in ("green_share", "green_power")
            for lim in quota_limits(d, f)}
    return sorted(keys, key=str)  # type: ignore[arg-type]


def green_terms(b: Builder, d: ModelData, tot: Totals) -> dict[tuple[str, int], Terms]:
    """The renewable electricity each green-target park counts, per (park, year): the
    output of the projects contracted to it (``supplies``), or, when accounting is pooled,
    its share ``green[p,t]`` of the city's renewable output.
    """
    if d.pooled:
        return {k: [(1.0, b.m.green[k])] for k in _green_parks(d)}
    return {k: tot.green_by_park.get(k, []) for k in _green_parks(d)}


def add_green_supply(b: Builder, d: ModelData, tot: Totals) -> None:
    """Renewable electricity a park can count.

    - contracted (the default): ``green_supply[p,t]``: ``sum_{j supplies p} x[j,t] -
      elec_use[p,t] <= 0`` -- a contract delivers at most what the park uses (direct
      supply is consumed on site; the rest would be exported and count for no one).
    - pooled: ``green[p,t] >= 0`` for parks with a green target, and ``green_supply[t]``:
      ``sum_p green[p,t] - sum_{j renewable} x[j,t] <= 0``.
    """
    m = b.m
    rows: Rows = {}
    if not d.pooled:
        for (p, t), contracted in sorted(tot.green_by_park.items(), key=str):
            use = tot.elec_by_park.get((p, t), [])
            rows[(p, t)] = ([*contracted, *((-c, v) for c, v in use)], 0.0, "<=", 0.0)
        add_rows(b, "green_supply", rows)
        return
    index = _green_parks(d)
    if not index:
        return
    m.green = pyo.Var(index, domain=pyo.NonNegativeReals)
    for t in d.years:
        terms: Terms = [(1.0, m.green[p, tt]) for p, tt in index if tt == t]
        if terms:
            terms += [(-1.0, m.x[j, t]) for j in d.renewables if (j, t) in m.x]
            rows[(t,)] = (terms, 0.0, "<=", 0.0)
    add_rows(b, "green_supply", rows)


def _green_expressions(b: Builder, d: ModelData, tot: Totals) -> dict[tuple[str, int], Terms]:
    """The green power each target park counts, stated once as the Expression
    ``green_use[p,t]`` (and the park's electricity use as ``elec_use[p,t]``).
    """
    if "green" not in b.shared:
        green = green_terms(b, d, tot)
        index = list(green)
        b.m.green_use = pyo.Expression(index, rule=lambda _m, p, t: linear(green[p, t]))
        b.m.elec_use = pyo.Expression(index, rule=lambda _m, p, t: linear(
            tot.elec_by_park.get((p, t), [])))
        b.shared["green"] = green
    out: dict[tuple[str, int], Terms] = b.shared["green"]
    return out


def add_green_share(b: Builder, d: ModelData, tot: Totals) -> None:
    """``green_share[p,t]``: ``green_use[p,t] - share_p * elec_use[p,t] >= 0`` where
    ``elec_use[p,t] = sum_{j in p} elec_j x[j,t]`` and ``green_use`` is the park's
    counted renewable electricity (see :func:`green_terms`).
    """
    _green_rows(b, d, tot, "green_share")


def add_green_power(b: Builder, d: ModelData, tot: Totals) -> None:
    """``green_power[p,t]``: ``green_use[p,t] >= limit`` (万 MWh of renewable electricity
    the park counts, e.g. the plan's 192亿 kWh for Huolinguole).
    """
    _green_rows(b, d, tot, "green_power")


def _green_rows(b: Builder, d: ModelData, tot: Totals, family: str) -> None:
    """The rows of a green family, one per (park, year) limit: a share of the park's
    electricity use (``green_share``, a ratio) or an amount (``green_power``).
    """
    limits = list(quota_limits(d, family))
    if not limits:
        return
    green = _green_expressions(b, d, tot)
    share = family == "green_share"
    records: list[QuotaRow] = []
    rows: Rows = {}
    for lim in limits:
        yr, p = lim.year, lim.park
        assert yr is not None and p is not None
        key = (p, yr)
        records.append(QuotaRow(family, key, yr, p, None, lim.limit,
                                num=("green_use", key) if share else None,
                                den=("elec_use", key) if share else None, mode=lim.mode,
                                penalty=lim.penalty, basis=lim.basis))
        if share:  # green_use - share x the park's electricity use >= 0
            use = tot.elec_by_park.get((p, yr), [])
            rows[key] = ([*green[key], *((-lim.limit * c, v) for c, v in use)], 0.0, ">=",
                         0.0)
        else:
            rows[key] = (green[key], 0.0, ">=", lim.limit)
    add_quota_rows(b, family, records, rows)


def add_land(b: Builder, d: ModelData, _tot: object = None) -> None:
    """``land[p]``: ``sum_{j in p, new} land_j * online[j,T] <= Lquota_p`` (mu); land of
    committed projects is a constant, existing plants' land is not counted.
    """
    m = b.m
    last = d.years[-1]
    land = d.projects["land"].to_dict()
    status = d.projects["status"].to_dict()
    records, rows = [], {}
    for q in quota_limits(d, "land"):
        p = q.park
        assert p is not None
        terms: Terms = []
        const = 0.0
        for j in d.by_park.get(p, []):
            if status[j] == "existing" or land[j] == 0:
                continue
            on, c = online(m, d, j, last)
            terms += [(land[j] * k, v) for k, v in on]
            const += land[j] * c
        key = (p,)
        records.append(QuotaRow("land", key, None, p, None, q.limit, const=const, mode=q.mode,
                                penalty=q.penalty, basis=q.basis))
        rows[key] = (terms, const, "<=", q.limit)
    add_quota_rows(b, "land", records, rows)


def capex_schedule(d: ModelData, j: str, online_year: int) -> dict[int, float]:
    """Share of project j's capex spent in each horizon year if it comes online in
    ``online_year``: spread evenly over its lead time (the online year itself when the
    lead time is 0); spending before the horizon is charged to its first year.
    """
    lead = int(d.projects.at[j, "lead_time_years"])
    spend = [online_year] if lead == 0 else list(range(online_year - lead, online_year))
    out: dict[int, float] = {}
    for y in spend:
        y = max(y, d.years[0])
        out[y] = out.get(y, 0.0) + 1.0 / len(spend)
    return out


def _new_with_capex(d: ModelData) -> tuple[list[str], dict[str, float]]:
    capex = d.projects["capex"].to_dict()
    status = d.projects["status"].to_dict()
    return [j for j in d.projects.index if status[j] != "existing" and capex[j] > 0], capex


def add_capital_total(b: Builder, d: ModelData, _tot: object = None) -> None:
    """``capital_total``: ``sum_j capex_j sum_t build[j,t] <= K`` (亿元, committed capex a
    constant).
    """
    m = b.m
    news, capex = _new_with_capex(d)
    records, rows = [], {}
    for q in quota_limits(d, "capital_total"):
        terms: Terms = []
        const = 0.0
        for j in news:
            if j in d.fixed_online:
                const += capex[j]
            else:
                terms += [(capex[j], m.build[j, t]) for t in d.build_years.get(j, [])]
        key = ("total",)
        records.append(QuotaRow("capital_total", key, None, None, None, q.limit, const=const,
                                mode=q.mode, penalty=q.penalty, basis=q.basis))
        rows[key] = (terms, const, "<=", q.limit)
    add_quota_rows(b, "capital_total", records, rows)


def add_capital_year(b: Builder, d: ModelData, _tot: object = None) -> None:
    """``capital_year[t]``: capex spent in year t (see capex_schedule) <= K_t."""
    m = b.m
    news, capex = _new_with_capex(d)
    limits = list(quota_limits(d, "capital_year"))
    if not limits:
        return
    by_year: dict[int, Terms] = {t: [] for t in d.years}
    const_year = dict.fromkeys(d.years, 0.0)
    for j in news:
        if j in d.fixed_online:
            for y, share in capex_schedule(d, j, d.fixed_online[j]).items():
                if y in const_year:
                    const_year[y] += share * capex[j]
            continue
        for tau in d.build_years.get(j, []):
            for y, share in capex_schedule(d, j, tau).items():
                by_year[y].append((share * capex[j], m.build[j, tau]))
    year_records: list[QuotaRow] = []
    year_rows: Rows = {}
    for q in limits:
        yr = q.year
        assert yr is not None
        year_records.append(QuotaRow("capital_year", (yr,), yr, None, None, q.limit,
                                     const=const_year[yr], mode=q.mode, penalty=q.penalty,
                                     basis=q.basis))
        year_rows[(yr,)] = (by_year[yr], const_year[yr], "<=", q.limit)
    add_quota_rows(b, "capital_year", year_records, year_rows)
