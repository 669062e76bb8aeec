"""The objective: the chosen measure over the horizon, minus import costs, market price
losses, capital charges and penalties.
"""

from __future__ import annotations

import pyomo.environ as pyo

from ioopt.formulation.data import ModelData
from ioopt.formulation.markets import market_terms, priced_imports
from ioopt.formulation.rows import Builder, Terms, set_objective


def capital_recovery_factor(rate: float, life: int) -> float:
    """The annuity per unit of capital: ``r / (1 - (1 + r)^-L)`` (``1 / L`` at r = 0)."""
    if rate == 0:
        return 1.0 / life
    return rate / (1.0 - (1.0 + rate) ** -life)


def annuities(d: ModelData) -> dict[str, float]:
    """New project -> its yearly capital charge (亿元 per year online) when the objective's
    ``capital_charge`` is ``annuity``; empty otherwise (and for the jobs measure).
    """
    obj = d.case.config.objective
    if obj.capital_charge != "annuity" or not d.money_objective:
        return {}
    p = d.projects
    out = {}
    for j, st, capex, life in zip(p.index, p["status"], p["capex"], p["life_years"],
                                  strict=True):
        if st == "existing" or not capex:
            continue
        years = obj.asset_life_years if life is None or life != life else int(life)
        out[str(j)] = float(capex) * capital_recovery_factor(obj.capital_rate, years)
    return out


def charge_from(d: ModelData, a: float, first: int) -> float:
    """The discounted sum of a yearly charge ``a`` over the horizon years from ``first``."""
    return a * sum(d.discount[t] for t in d.years if t >= first)


def add_objective(b: Builder, d: ModelData) -> None:
    """``objective``: maximise ``sum_t df_t [sum_j w_j x[j,t] - sum_s pimp_s imp[s,t]
    - market terms - sum_j a_j online[j,t]] - sum_rows penalty * slack``.

    ``w_j`` is the measure per unit (output value, value added, tax: 亿元 per 万 units;
    jobs: persons per 万 units); import costs are subtracted, times
    :attr:`ModelData.import_weight` (gross output 1, value added and tax 0: their shares
    are net of inputs already), when ``objective.import_cost`` is on, at the sector's
    import price except where
    markets.csv prices the year's imports by steps; export steps priced below the
    sector's price lose the difference (:func:`ioopt.formulation.markets.market_terms`);
    ``a_j`` is a new project's annuity (capex times the capital recovery factor) when
    ``objective.capital_charge`` is ``annuity``, charged for each year it is online (a
    constant for committed projects); ``df_t`` discounts from the first year.
    """
    m = b.m
    w = d.objective_weight
    terms: Terms = [(d.discount[t] * w[j], m.x[j, t]) for (j, t) in m.x if w[j] != 0]
    if d.import_weight:
        pimp = d.case.sectors["import_price"].to_dict()
        stepped = priced_imports(d)
        terms += [(-d.discount[t] * d.import_weight * pimp[s], m.imp[s, t]) for (s, t) in m.imp
                  if pimp[s] != 0 and (s, t) not in stepped]
    terms += market_terms(m, d)
    const = 0.0
    for j, a in annuities(d).items():
        if j in d.fixed_online:
            const -= charge_from(d, a, d.fixed_online[j])
        else:
            terms += [(-charge_from(d, a, tau), m.build[j, tau])
                      for tau in d.build_years.get(j, [])]
    terms += [(-c, v) for c, v in b.penalties]
    set_objective(m, "objective", terms, pyo.maximize, const)
