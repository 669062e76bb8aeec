"""The region's totals per year as linear terms: counted energy, CO2, water, value added.

Accounting (see models/FORMULATION.md, "Energy and CO2 accounting"):

- counted energy ``E_t = sum_j fuel_j' x[j,t] + kappa * (sum_j elec_j x[j,t]
  - sum_{j fossil generator} x[j,t] - sum_{j renewable, counted} x[j,t])
  + [renewables counted] kappa * sum_{j renewable, counted} x[j,t]``: fuel burned locally
  (feedstock excluded when the switch is on) plus the electricity the region takes from
  the grid, net of its own generation. A renewable's output is "counted" (the region's
  own) only when it is contracted to a local park (``supplies``), or always when
  ``accounting.renewables`` is ``pooled``: exported renewable electricity never lowers the
  region's totals, while net exports of fossil generation do (their fuel is counted
  where it is burned).
- CO2 ``C_t = sum_j (co2p_j + ef_fuel fuel_j) x[j,t] + ef_grid * (the same net grid
  electricity)``: counted renewables emit nothing and displace grid power.

Every per-unit figure is that of year t (``ModelData.figures(t)``: the same every year
unless the case gives it by year).
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
    green_by_park: dict[tuple[str, int], Terms]
    """Output of the renewable projects contracted to each park (``supplies``)."""


TOTALS = {"energy": "energy_use", "co2": "co2_emitted", "water": "water_use",
          "va": "value_added"}
"""Totals attribute -> the named Pyomo Expression (indexed by year) that states it."""


def total_coefficients(d: ModelData, t: int | None = None) -> dict[str, dict[str, float]]:
    """Each project's coefficient in each region total, per model unit of its output, with
    the per-unit figures of year t (None: those of projects.csv, the base year's):
    ``energy`` (counted 万 tce), ``co2`` (万 t), ``water`` (万 m3), ``va`` (亿元), ``elec``
    (万 MWh used). The totals below are these times ``x[j,t]``; the backcast applies each
    year's to that year's output (the base year's to base-year output).
    """
    f = d.projects if t is None else d.figures(t)
    acc = d.case.config.accounting
    kappa = acc.kappa_tce_per_mwh
    ren = set(d.renewables)
    # generation that displaces the region's grid electricity: fossil plants, and the
    # renewables whose output counts as the region's own (contracted, or all when pooled)
    local = {j for j in d.generators if j not in ren or d.counted_locally(j)}
    count_ren = not acc.exclude_renewable_electricity
    e_coef, c_coef = {}, {}
    for j, fuel, co2, elec in zip(f.index, f["fuel_energy"], f["co2"], f["elec"], strict=True):
        net_el = float(elec) - (1.0 if j in local else 0.0)
        counted_ren = count_ren and j in ren and j in local
        e_coef[j] = float(fuel) + kappa * net_el + (kappa if counted_ren else 0.0)
        c_coef[j] = float(co2) + acc.ef_grid_t_per_mwh * net_el
    return {"energy": e_coef, "co2": c_coef, "water": f["water"].to_dict(),
            "va": d.projects["va"].to_dict(), "elec": f["elec"].to_dict()}


def region_totals(m: pyo.ConcreteModel, d: ModelData) -> Totals:
    """Build the per-year terms once (the families share them) and state each total as a
    named Pyomo Expression (``energy_use[t]``, ``co2_emitted[t]``, ``water_use[t]``,
    ``value_added[t]``) that the results evaluate.
    """
    p = d.projects
    park = p["park"].to_dict()
    out = Totals({}, {}, {}, {}, {}, {})
    # per-unit figures of year t (ModelData.figures); computed once when none changes by year
    every_year = total_coefficients(d) if d.yearly is None else None
    for t in d.years:
        coefs = every_year if every_year is not None else total_coefficients(d, t)
        e_coef, c_coef, water, va, elec = (coefs[k] for k in ("energy", "co2", "water", "va",
                                                                 "elec"))
        xs = [(j, m.x[j, t]) for j in p.index if (j, t) in m.x]
        out.energy[t] = [(e_coef[j], v) for j, v in xs if e_coef[j] != 0]
        out.co2[t] = [(c_coef[j], v) for j, v in xs if c_coef[j] != 0]
        out.water[t] = [(water[j], v) for j, v in xs if water[j] != 0]
        out.va[t] = [(va[j], v) for j, v in xs if va[j] != 0]
        for j, v in xs:
            if elec[j] != 0:
                out.elec_by_park.setdefault((park[j], t), []).append((elec[j], v))
            if j in d.contracted:
                out.green_by_park.setdefault((d.contracted[j], t), []).append((1.0, v))
    for attr, name in TOTALS.items():
        terms = getattr(out, attr)
        m.add_component(name, pyo.Expression(list(d.years),
                                             rule=lambda _m, t, tt=terms: linear(tt[t])))
    return out

