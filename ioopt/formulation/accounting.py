"""The region's totals per year as linear terms: counted energy, CO2, water, value added.

Accounting (see models/FORMULATION.md, "Energy and CO2 accounting"):

- counted energy ``E_t = sum_j fuel_j' x[j,t] + kappa * (sum_j elec_j x[j,t]
  - sum_{j generates} x[j,t]) + [renewables counted] kappa * sum_{j renewable} x[j,t]``,
  i.e. fuel burned locally (feedstock excluded when the switch is on) plus the
  electricity the region takes from the grid (its use net of local generation). This is
  MODEL.md's ``sum_j (fuel_j + kappa elec_j) x`` without counting locally generated power
  twice (once as the plant's coal, once as the consumer's electricity).
- CO2 ``C_t = sum_j (co2p_j + ef_fuel fuel_j) x[j,t] + ef_grid (sum_j elec_j x[j,t] -
  sum_{j generates} x[j,t])``: renewables emit nothing and displace grid power.

Every per-unit figure is that of year t (``ModelData.figures(t)``: the same every year
unless the case gives it by year).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyomo.environ as pyo

from ioopt.formulation.data import ModelData
from ioopt.formulation.rows import Terms, linear


@dataclass
class Totals:
    """Per-year linear terms of the region's totals (model units)."""

    energy: dict[int, Terms]
    co2: dict[int, Terms]
    water: dict[int, Terms]
    va: dict[int, Terms]
    elec_by_park: dict[tuple[str, int], Terms]


TOTALS = {"energy": "energy_use", "co2": "co2_emitted", "water": "water_use",
          "va": "value_added"}
"""Totals attribute -> the named Pyomo Expression (indexed by year) that states it."""


def region_totals(m: pyo.ConcreteModel, d: ModelData) -> Totals:
    """Build the per-year terms once (the families share them) and state each total as a
    named Pyomo Expression (``energy_use[t]``, ``co2_emitted[t]``, ``water_use[t]``,
    ``value_added[t]``) that the results evaluate.
    """
    p = d.projects
    acc = d.case.config.accounting
    kappa = acc.kappa_tce_per_mwh
    gen = set(d.generators)
    ren = set(d.renewables)
    count_ren = not acc.exclude_renewable_electricity
    va = p["va"].to_dict()
    park = p["park"].to_dict()
    out = Totals({}, {}, {}, {}, {})
    args = (kappa, acc.ef_grid_t_per_mwh, gen, ren, count_ren)
    # per-unit figures of year t (ModelData.figures); computed once when none changes by year
    every_year = _coefficients(d.projects, *args) if d.yearly is None else None
    for t in d.years:
        e_coef, c_coef, water, elec = every_year or _coefficients(d.figures(t), *args)
        xs = [(j, m.x[j, t]) for j in p.index if (j, t) in m.x]
        out.energy[t] = [(e_coef[j], v) for j, v in xs if e_coef[j] != 0]
        out.co2[t] = [(c_coef[j], v) for j, v in xs if c_coef[j] != 0]
        out.water[t] = [(water[j], v) for j, v in xs if water[j] != 0]
        out.va[t] = [(va[j], v) for j, v in xs if va[j] != 0]
        for j, v in xs:
            if elec[j] != 0:
                out.elec_by_park.setdefault((park[j], t), []).append((elec[j], v))
    for attr, name in TOTALS.items():
        terms = getattr(out, attr)
        m.add_component(name, pyo.Expression(list(d.years),
                                             rule=lambda _m, t, tt=terms: linear(tt[t])))
    return out


def _coefficients(f: pd.DataFrame, kappa: float, ef_grid: float, gen: set[str], ren: set[str],
                  count_ren: bool) -> tuple[dict[str, float], ...]:
    """Per project, for one year's per-unit figures ``f``: counted energy, CO2, water and
    electricity per unit of output (the terms of E_t, C_t, W_t and elec_use).
    """
    e_coef, c_coef = {}, {}
    for j, fuel, co2, elec in zip(f.index, f["fuel_energy"], f["co2"], f["elec"], strict=True):
        net_el = float(elec) - (1.0 if j in gen else 0.0)
        e_coef[j] = float(fuel) + kappa * net_el + (kappa if (count_ren and j in ren) else 0.0)
        c_coef[j] = float(co2) + ef_grid * net_el
    return e_coef, c_coef, f["water"].to_dict(), f["elec"].to_dict()
