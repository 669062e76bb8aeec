"""Result columns and the result table of markets (families ``export_market``,
``import_market``): the volume sold or bought in each price step, and the marginal
export and import prices read from the rows' duals.

The dual of ``export_market[s,t]`` (``exp - sum of steps = 0``) is the objective's gain
per unit of export that needs no step, ``c_s df_t (price_s - p*)``: the marginal export
price is ``p* = price_s - dual / (c_s df_t)``, the price at which one more unit
exported would neither gain nor lose (within a step: its price; at a threshold: the
marginal cost of the last unit, between the two steps' prices). The dual of
``import_market[s,t]`` is ``df_t p*``, the cost of one more unit imported. Both come from
the LP with the portfolio fixed, in CNY per unit of the sector; a year with nothing
traded in a direction has no marginal price there (blank: the dual is only bounded).
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import pandas as pd

from ioopt import units
from ioopt.formulation import Built
from ioopt.formulation.markets import STEP_VARS, TRADE_VARS
from ioopt.solution import comp_of, row_dual, var_series
from ioopt.solver.highs import SolveResult

COLUMNS = ["sector", "year", "direction", "step", "volume_10k", "price_cny", "used_10k",
           "full", "unit"]


def marginal_prices(built: Built, res: SolveResult,
                    keys: list[tuple[str, int]]) -> dict[str, np.ndarray]:
    """``marginal_export_price_cny_per_unit`` and ``marginal_import_price_cny_per_unit``
    for each (sector, year) of ``keys``: NaN where the year has no steps in that direction,
    where nothing is traded (the dual is then only bounded, not a price), or where the
    measure does not move with the price (jobs; imports not costed).
    """
    d = built.data
    out = {}
    rows = comp_of(res).rows
    price = d.case.sectors["price_cny"].astype(float).to_dict()
    pay = d.import_weight
    to_cny = units.MONEY / units.QTY if d.money_objective else float("nan")
    for direction in ("export", "import"):
        family = f"{direction}_market"
        have = rows.get(family, {})
        vals = np.full(len(keys), np.nan)
        traded = var_series(built, res, TRADE_VARS[direction])
        for i, key in enumerate(keys):
            if key not in have or res.row_dual is None or traded.get(key, 0.0) <= 1e-9:
                continue
            s, t = key
            dual = row_dual(res, family, key) * to_cny / d.discount[t]
            if direction == "export" and d.price_weight[s] > 0:
                vals[i] = price[s] - dual / d.price_weight[s]
            elif direction == "import" and pay:
                vals[i] = dual / pay
        out[f"marginal_{direction}_price_cny_per_unit"] = vals
    return out


def market_table(built: Built, res: SolveResult) -> pd.DataFrame:
    """One row per market step and year: its width (NaN: unlimited), price, the volume
    used and whether the step is full.
    """
    d = built.data
    if not d.markets:
        return pd.DataFrame(columns=COLUMNS)
    unit = d.case.sectors["unit"].to_dict()
    used: dict[str, pd.Series] = {dn: var_series(built, res, name)
                                  for dn, name in STEP_VARS.items()
                                  if built.pyomo.component(name) is not None}
    recs = []
    for (s, t, dn), steps in d.markets.items():
        for st in steps:
            key: Hashable = (s, t, st.step)
            v = float(used[dn].get(key, 0.0)) if dn in used else 0.0
            width = st.volume_10k
            recs.append({"sector": s, "year": t, "direction": dn, "step": st.step,
                         "volume_10k": np.nan if width is None else width,
                         "price_cny": st.price_cny, "used_10k": v,
                         "full": width is not None and v >= width * (1 - 1e-9) - 1e-9,
                         "unit": unit[s]})
    order = {s: i for i, s in enumerate(d.case.sectors.index)}
    out = pd.DataFrame.from_records(recs, columns=COLUMNS)
    out = out.assign(_o=out["sector"].map(order)).sort_values(
        ["direction", "_o", "year", "step"], kind="stable").drop(columns="_o")
    return out.reset_index(drop=True)


def stepped_import_prices(built: Built, res: SolveResult) -> dict[tuple[str, int], float]:
    """(sector, year) -> the average price paid for its imports (亿元 per 万 units) where
    markets.csv prices them by steps (for valuing import flows).
    """
    d = built.data
    if built.pyomo.component(STEP_VARS["import"]) is None:
        return {}
    used = var_series(built, res, STEP_VARS["import"])
    k = units.CNY_PER_UNIT_TO_MODEL
    out = {}
    for (s, t, dn), steps in d.markets.items():
        if dn != "import":
            continue
        vol = [float(used.get((s, t, st.step), 0.0)) for st in steps]
        if sum(vol) > 1e-12:
            out[(s, t)] = sum(v * st.price_cny * k for v, st in zip(vol, steps, strict=True)) / sum(vol)
    return out
