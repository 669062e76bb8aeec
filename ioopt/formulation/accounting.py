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
"""

from __future__ import annotations

from dataclasses import dataclass

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


def total_coefficients(d: ModelData) -> dict[str, dict[str, float]]:
    """Each project's coefficient in each region total, per model unit of its output:
    ``energy`` (counted 万 tce), ``co2`` (万 t), ``water`` (万 m3), ``va`` (亿元). The
    totals below are these times ``x[j,t]``; the backcast applies them to base-year output.
    """
    p = d.projects
    acc = d.case.config.accounting
    kappa = acc.kappa_tce_per_mwh
    gen = set(d.generators)
    ren = set(d.renewables)
    count_ren = not acc.exclude_renewable_electricity
    e_coef, c_coef = {}, {}
    for j, fuel, co2, elec in zip(p.index, p["fuel_energy"], p["co2"], p["elec"], strict=True):
        net_el = float(elec) - (1.0 if j in gen else 0.0)
        e_coef[j] = float(fuel) + kappa * net_el + (kappa if (count_ren and j in ren) else 0.0)
        c_coef[j] = float(co2) + acc.ef_grid_t_per_mwh * net_el
    return {"energy": e_coef, "co2": c_coef, "water": p["water"].to_dict(),
            "va": p["va"].to_dict()}


def region_totals(m: pyo.ConcreteModel, d: ModelData) -> Totals:
    """Build the per-year terms once (the families share them) and state each total as a
    named Pyomo Expression (``energy_use[t]``, ``co2_emitted[t]``, ``water_use[t]``,
    ``value_added[t]``) that the results evaluate.
    """
    p = d.projects
    coefs = total_coefficients(d)
    e_coef, c_coef, water, va = coefs["energy"], coefs["co2"], coefs["water"], coefs["va"]
    elec = p["elec"].to_dict()
    park = p["park"].to_dict()
    out = Totals({}, {}, {}, {}, {})
    for t in d.years:
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
