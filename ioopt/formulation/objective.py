"""The objective: the chosen measure over the horizon, minus import costs, market price
losses and penalties.
"""

from __future__ import annotations

import pyomo.environ as pyo

from ioopt.formulation.data import ModelData
from ioopt.formulation.markets import market_terms, priced_imports
from ioopt.formulation.rows import Builder, Terms, set_objective


def add_objective(b: Builder, d: ModelData) -> None:
    """``objective``: maximise ``sum_t df_t [sum_j w_j x[j,t] - sum_s pimp_s imp[s,t]
    - market terms] - sum_rows penalty * slack``.

    ``w_j`` is the measure per unit (output value, value added, tax: 亿元 per 万 units;
    jobs: persons per 万 units); import costs are subtracted for money measures when
    ``objective.import_cost`` is on, at the sector's import price except where
    markets.csv prices the year's imports by steps; export steps priced below the
    sector's price lose the difference (:func:`ioopt.formulation.markets.market_terms`);
    ``df_t`` discounts from the first year.
    """
    m = b.m
    w = d.objective_weight
    terms: Terms = [(d.discount[t] * w[j], m.x[j, t]) for (j, t) in m.x if w[j] != 0]
    if d.money_objective and d.case.config.objective.import_cost:
        pimp = d.case.sectors["import_price"].to_dict()
        stepped = priced_imports(d)
        terms += [(-d.discount[t] * pimp[s], m.imp[s, t]) for (s, t) in m.imp
                  if pimp[s] != 0 and (s, t) not in stepped]
    terms += market_terms(m, d)
    terms += [(-c, v) for c, v in b.penalties]
    set_objective(m, "objective", terms, pyo.maximize)
