"""Families ``export_market`` and ``import_market``: trade as price-volume steps.

Where markets.csv has steps for a sector, year and direction (:mod:`ioopt.markets`), the
trade variable ``exp[s,t]`` (``imp[s,t]``) is split into one variable per step,
``exp_step[s,t,k]`` in ``[0, width_k]`` (``imp_step``; an unlimited last step has no upper
bound), and one equality row per (s,t) links them. The objective (:func:`market_terms`)
charges each export step's volume the price it gives up against the sector's price and
each import step its own price; the row's dual is the marginal export (import) price.
"""

from __future__ import annotations

import pyomo.environ as pyo

from ioopt import units
from ioopt.formulation.data import ModelData
from ioopt.formulation.rows import Builder, Rows, Terms, add_rows

STEP_VARS = {"export": "exp_step", "import": "imp_step"}
TRADE_VARS = {"export": "exp", "import": "imp"}


def add_export_market(b: Builder, d: ModelData, _tot: object = None) -> None:
    """``export_market[s,t]``: ``exp[s,t] - sum_k exp_step[s,t,k] = 0`` (万 units of s),
    with ``0 <= exp_step[s,t,k] <= width_k``; only where markets.csv has export steps.
    """
    _add_market(b, d, "export")


def add_import_market(b: Builder, d: ModelData, _tot: object = None) -> None:
    """``import_market[s,t]``: ``imp[s,t] - sum_k imp_step[s,t,k] = 0`` (万 units of s),
    with ``0 <= imp_step[s,t,k] <= width_k``; only where markets.csv has import steps.
    """
    _add_market(b, d, "import")


def market_keys(d: ModelData, direction: str) -> list[tuple[str, int]]:
    """The (sector, year) pairs with steps in ``direction``, in sectors.csv then year order."""
    order = {s: i for i, s in enumerate(d.case.sectors.index)}
    keys = [(s, t) for (s, t, dn) in d.markets if dn == direction]
    return sorted(keys, key=lambda k: (order[k[0]], k[1]))


def _add_market(b: Builder, d: ModelData, direction: str) -> None:
    family = f"{direction}_market"
    keys = market_keys(d, direction)
    if not d.family(family).enabled or not keys:
        return
    m = b.m
    widths = {(s, t, st.step): st.volume_10k for s, t in keys
              for st in d.markets[(s, t, direction)]}
    step = pyo.Var(list(widths), domain=pyo.NonNegativeReals,
                   bounds=lambda _m, s, t, k: (0.0, widths[(s, t, k)]))
    m.add_component(STEP_VARS[direction], step)
    trade = getattr(m, TRADE_VARS[direction])
    rows: Rows = {}
    for s, t in keys:
        terms: Terms = [(1.0, trade[s, t])]
        terms += [(-1.0, step[s, t, st.step]) for st in d.markets[(s, t, direction)]]
        rows[(s, t)] = (terms, 0.0, "==", 0.0)
    add_rows(b, family, rows)


def market_terms(m: pyo.ConcreteModel, d: ModelData) -> Terms:
    """The objective's market terms (objective units, discounted):

    - export step k of (s,t): ``-df_t c_s max(0, price_s - p_k) exp_step[s,t,k]``, the
      output value given up by selling below the sector's price, times ``c_s``, how the
      measure moves with price (:attr:`ModelData.price_weight`);
    - import step k: ``-df_t w_imp p_k imp_step[s,t,k]`` when ``objective.import_cost`` is
      on (replacing ``import_price_s imp[s,t]``), ``w_imp`` the measure's
      :attr:`ModelData.import_weight`.
    """
    k = units.CNY_PER_UNIT_TO_MODEL
    price = d.case.sectors["price"].to_dict()
    pay_imports = d.import_weight
    terms: Terms = []
    for (s, t, dn), steps in d.markets.items():
        var = m.component(STEP_VARS[dn])
        if var is None:
            continue
        for st in steps:
            if dn == "export":
                loss = max(0.0, float(price[s]) - st.price_cny * k) * d.price_weight[s]
                if loss:
                    terms.append((-d.discount[t] * loss, var[s, t, st.step]))
            elif pay_imports and st.price_cny:
                terms.append((-d.discount[t] * pay_imports * st.price_cny * k, var[s, t, st.step]))
    return terms


def priced_imports(d: ModelData) -> set[tuple[str, int]]:
    """(sector, year) whose imports are priced by their steps, not by import_price."""
    return {(s, t) for (s, t, dn) in d.markets if dn == "import"}
