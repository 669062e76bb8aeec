"""Pre-grouped model data: every index and coefficient the constraint families need.

Grouping happens once here, with pandas, so that each constraint is written from its
own slice (no rule scans all projects for each index).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ioopt import iomath, units, yearly
from ioopt.case import Case
from ioopt.families import SWITCHABLE
from ioopt.markets import MarketKey, Step, market_steps
from ioopt.schemas import FamilySettings, Measure, Mode, Objective
from ioopt.yearly import Shares

FIGURES = ("elec", "fuel_energy", "co2", "water")
"""Per-unit figures of a project that may change by year (model data columns)."""


@dataclass(frozen=True)
class Family:
    """Resolved switches of one constraint family."""

    name: str
    enabled: bool
    mode: Mode
    penalty_model: float
    """Objective units per model unit of slack."""
    scale: float = 1.0
    """Objective units per model unit of slack, per CNY per base unit of penalty."""

    def row_penalty(self, cny_per_base: object) -> float | None:
        """A row's own penalty (CNY per base unit, blank: None) in objective units."""
        if cny_per_base is None or pd.isna(cny_per_base):  # type: ignore[call-overload]
            return None
        return float(cny_per_base) * self.scale  # type: ignore[arg-type]


@dataclass
class ModelData:
    """Everything build_model needs, grouped by the index it is used under."""

    case: Case
    years: list[int]
    discount: dict[int, float]
    families: dict[str, Family]
    money_objective: bool
    projects: pd.DataFrame
    """One row per project (index: project id) with model-unit coefficients:
    cap, price, va, tax, jobs_per_unit, elec, fuel_energy (counted tce/unit),
    co2 (t/unit, process + combustion), water, capex, land. The :data:`FIGURES` columns are
    the first year's when they change by year: read them with :meth:`figures`."""
    candidates: list[str]
    build_years: dict[str, list[int]]
    """Candidate -> the years it may come online."""
    fixed_online: dict[str, int]
    """Existing (base year) and committed projects -> the year they are online from."""
    inputs: pd.DataFrame
    """Long table: project, input_sector, coef (units of input per unit of output)."""
    by_sector: dict[str, list[str]]
    by_park: dict[str, list[str]]
    demand: dict[tuple[str, int], float]
    electricity: str | None
    generators: list[str]
    renewables: list[str]
    shares: Shares
    """Utilisation: the shares of capacity each project may and must produce by year."""
    forced_in: dict[str, int | None] = field(default_factory=dict)
    """Candidate the case forces in -> its force_year (None: any year it may come online).
    Projects forced out are in neither ``candidates`` nor ``fixed_online``."""
    contracted: dict[str, str] = field(default_factory=dict)
    """Renewable project -> the park that buys its output under contract (``supplies``)."""
    pooled: bool = False
    """accounting.renewables is pooled: every renewable MWh counts as the region's own."""
    objective_weight: dict[str, float] = field(default_factory=dict)
    """Project -> objective coefficient per model unit of output (undiscounted)."""
    markets: dict[MarketKey, list[Step]] = field(default_factory=dict)
    """(sector, year, direction) -> its price steps (markets.csv), for the switched-on
    market families only."""
    price_weight: dict[str, float] = field(default_factory=dict)
    """Sector -> how the objective's measure moves per 亿元 of output value lost to a lower
    price (gross output, value added: 1; tax: the sector's tax share; jobs: 0)."""
    import_weight: float = 0.0
    """How the objective's measure moves per 亿元 of imports bought (when
    ``objective.import_cost`` is on): gross output 1 (output value less what is brought in),
    value added and tax 0 (a fixed share of output value, net of every input already, so
    charging imports again would count them twice), jobs 0; a weighted measure its gross
    output weight."""
    yearly: dict[int, pd.DataFrame] | None = None
    """Year -> the :data:`FIGURES` of every project, when any changes by year (None: the
    ``projects`` columns hold for every year)."""
    yearly_inputs: dict[int, pd.DataFrame] | None = None
    """Year -> ``inputs`` of that year, when any input coefficient changes by year."""

    def figures(self, t: int) -> pd.DataFrame:
        """The per-unit figures (:data:`FIGURES` columns, one row per project) in year t."""
        return self.projects if self.yearly is None else self.yearly[t]

    def inputs_at(self, t: int) -> pd.DataFrame:
        """Intermediate inputs per unit of output in year t (long: project, input_sector,
        coef); the same frame every year unless a coefficient changes by year.
        """
        return self.inputs if self.yearly_inputs is None else self.yearly_inputs[t]

    def grid(self, col: str) -> np.ndarray:
        """A per-unit figure of every project (rows) in every year (columns)."""
        if self.yearly is None:
            v = self.projects[col].to_numpy(dtype=float)
            return np.repeat(v[:, None], len(self.years), axis=1)
        return np.column_stack([self.yearly[t][col].to_numpy(dtype=float) for t in self.years])

    def family(self, name: str) -> Family:
        """Settings of a family; structural rows (build_once, ...) are always on and hard."""
        return self.families.get(name) or Family(name, True, Mode.hard, 0.0)

    def counted_locally(self, j: str) -> bool:
        """Whether renewable project j's output counts as the region's own electricity
        (contracted to a local park, or every renewable when accounting is pooled).
        """
        return self.pooled or j in self.contracted

    def x_years(self, j: str) -> list[int]:
        """Years in which project j may produce."""
        if j in self.fixed_online:
            start = self.fixed_online[j]
        elif self.build_years.get(j):
            start = self.build_years[j][0]
        else:
            return []
        return [t for t in self.years if t >= start]


def resolve_families(case: Case, money_objective: bool) -> dict[str, Family]:
    """Merge case.yaml's family settings with the catalogue defaults."""
    out = {}
    for name, spec in SWITCHABLE.items():
        s = case.config.families.get(name, FamilySettings())
        penalty = spec.default_penalty if s.penalty is None else s.penalty
        dim = units.DIMENSIONS[spec.dimension]
        scale = dim.base_per_model / (units.MONEY if money_objective else 1.0)
        out[name] = Family(name, s.enabled, s.mode, penalty * scale, scale)
    return out


def prepare(case: Case) -> ModelData:
    """Group and convert the case's tables for the formulation."""
    cfg = case.config
    years = case.years
    measure = cfg.objective.measure
    money = measure != Measure.jobs  # weighted: jobs are weighted in CNY per job-year
    families = resolve_families(case, money)
    r = cfg.objective.discount_rate
    discount = {t: 1.0 / (1.0 + r) ** (t - years[0]) for t in years}

    p = case.projects.copy()
    el = case.electricity_sector
    # per unit of output, in each year: electricity (project column, else the sector's A
    # coefficient), counted fuel, CO2, water and intermediate inputs (the IO view computes
    # them the same way); once for every year when nothing changes by year
    per_year = {t: _figures(case, t, el) for t in years} if yearly.has_years(case) else None
    figures, inputs = per_year[years[0]] if per_year else _figures(case, None, el)
    p[list(FIGURES)] = figures
    p["cap"] = p["capacity_10k"].astype(float)
    p["capex"] = p["capex_100m_cny"].astype(float)
    p["land"] = p["land_mu"].astype(float)

    commitment = families["commitment"].enabled
    fixed_online: dict[str, int] = {}
    build_years: dict[str, list[int]] = {}
    forced_out = set(p.index[p["force"] == "out"])
    for j, st, oy, ey, lead in zip(p.index, p["status"], p["online_year"], p["earliest_year"],
                                   p["lead_time_years"], strict=True):
        if j in forced_out:
            continue  # neither built nor run: no variables at all
        if st == "existing":
            fixed_online[j] = cfg.base_year
        elif st == "committed" and commitment:
            fixed_online[j] = int(oy)
        else:
            first = years[0]
            if st == "committed":
                first = int(oy)  # commitment switched off: a candidate from its year on
            elif ey is not None and not pd.isna(ey):
                first = int(ey)
            first = max(first, cfg.base_year + int(lead))
            build_years[j] = [t for t in years if t >= first]
    candidates = [j for j in p.index if j in build_years]

    demand: dict[tuple[str, int], float] = defaultdict(float)
    for s, t, v in zip(case.demand["sector"], case.demand["year"],
                       case.demand["final_demand_10k"], strict=True):
        demand[(s, int(t))] += float(v)

    generators = list(p.index[p["sector"] == el]) if el else []
    renewables = list(p.index[p["renewable"].astype(bool)])
    ren = set(renewables)
    contracted = {str(j): str(park) for j, park in zip(p.index, p["supplies"], strict=True)
                  if park and j in ren}

    weights = _objective_weights(p, measure, cfg.objective.weights)
    directions = tuple(dn for dn in ("export", "import") if families[f"{dn}_market"].enabled)
    return ModelData(
        case=case, years=years, discount=discount, families=families, money_objective=money,
        projects=p, candidates=candidates, build_years=build_years, fixed_online=fixed_online,
        inputs=inputs,
        by_sector={str(k): list(v) for k, v in p.groupby("sector", sort=True).groups.items()},
        by_park={str(k): list(v) for k, v in p.groupby("park", sort=True).groups.items()},
        demand=dict(demand), electricity=el, generators=generators, renewables=renewables,
        forced_in={str(j): (None if y is None or y != y else int(y))
                   for j, f, y in zip(p.index, p["force"], p["force_year"], strict=True)
                   if f == "in" and j in build_years},
        contracted=contracted, pooled=cfg.accounting.renewables == "pooled", objective_weight=weights,
        markets=market_steps(case, directions),
        price_weight=_price_weights(case, measure, cfg.objective.weights),
        import_weight=import_weight(cfg.objective),
        shares=yearly.shares(case),
        yearly={t: f for t, (f, _) in per_year.items()} if per_year else None,
        yearly_inputs={t: i for t, (_, i) in per_year.items()} if per_year else None,
    )


def import_weight(objective: Objective) -> float:
    """:attr:`ModelData.import_weight` of a case's ``objective`` settings (0 when import costs
    are off).
    """
    if not objective.import_cost:
        return 0.0
    if objective.measure == Measure.weighted:
        return float(objective.weights.get("gross_output", 0.0))
    return 1.0 if objective.measure == Measure.gross_output else 0.0


def _price_weights(case: Case, measure: Measure,
                   weights: Mapping[Any, float]) -> dict[str, float]:
    """Per sector, the objective's change per unit of output value (亿元) a lower price
    takes away: gross output and value added fall one for one (inputs do not change),
    tax by the sector's tax share, jobs not at all; a weighted measure by its weights.
    """
    s = case.sectors
    tax = pd.to_numeric(s["tax_share"]).astype(float).fillna(0.0).to_dict()
    per = {"gross_output": 1.0, "value_added": 1.0, "jobs": 0.0}
    if measure == Measure.weighted:
        return {k: sum(w * (tax[k] if m == "tax" else per[m]) for m, w in weights.items())
                for k in s.index}
    return {k: tax[k] if measure == Measure.tax else per[measure.value] for k in s.index}


def _figures(case: Case, year: int | None, el: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the :data:`FIGURES` of every project, its intermediate inputs) in ``year`` (None:
    a case where nothing changes by year).
    """
    acc = case.config.accounting
    # intermediate inputs per unit of output: sector column of A, overridden per project
    p, elec, inputs = yearly.inputs_at(case, year, el)
    direct = iomath.calc_project_direct(p, acc.ef_fuel_t_per_tce, acc.exclude_feedstock)
    out = pd.DataFrame({"elec": elec, **{c: direct[c] for c in FIGURES[1:]}}, index=p.index)
    return out, inputs


def _objective_weights(p: pd.DataFrame, measure: Measure,
                       weights: Mapping[Any, float]) -> dict[str, float]:
    cols = {"gross_output": "price", "value_added": "va", "tax": "tax", "jobs": "jobs_per_unit"}
    if measure == Measure.weighted:
        w = np.zeros(len(p))
        for k, wk in weights.items():
            # jobs are weighted in CNY per job-year: convert to 亿元 per job-year
            scale = wk / units.MONEY if k == "jobs" else wk
            w = w + scale * p[cols[k]].to_numpy(dtype=float)
    else:
        w = p[cols[measure.value]].to_numpy(dtype=float)
    return dict(zip(p.index, w.tolist(), strict=True))
