"""The case format, part 2: one pydantic model per CSV table row, and ``TABLES``.
Re-exported by :mod:`ioopt.schemas`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ioopt.families import QUOTA_FAMILIES, RULE_FAMILIES
from ioopt.schemas.config import (
    PATH_FIELDS,
    YEAR_ROW,
    Basis,
    Mode,
    NonNeg,
    PathField,
    SectorKind,
    Share,
    Status,
    _Strict,
    parse_ramp,
)

# ------------------------------------------------------------------ table rows


class SectorRow(_Strict):
    """``sectors.csv``: one row per sector (product), with its price and trade terms."""

    sector: str = Field(min_length=1, description="Sector id, used in other tables.")
    name: str = Field(description="English name.")
    name_zh: str = Field("", description="Chinese name.")
    chain: str = Field(description="Supply chain the sector belongs to (aluminium, ...).")
    unit: str = Field(min_length=1, description="Physical unit of one unit of product (t, MWh, unit, vial).")
    kind: SectorKind = Field(SectorKind.product, description="product or electricity (exactly one electricity sector).")
    price_cny: NonNeg = Field(description="Output value, CNY per unit.")
    va_share: Share = Field(description="Value added as a share of output value.")
    tax_share: Share = Field(0.0, description="Taxes as a share of output value.")
    import_price_cny: NonNeg | None = Field(None, description="CNY per unit imported; blank: price_cny (replaced by the step prices in the years markets.csv has import steps for the sector).")
    import_limit_10k: NonNeg | None = Field(None, description="Imports per year, 万 units; blank: unlimited; 0: none (replaced in the years markets.csv has import steps for the sector).")
    export_limit_10k: NonNeg | None = Field(None, description="Exports per year, 万 units; blank: unlimited; 0: none. Exports earn nothing beyond the output value of what is produced (price_cny); markets.csv gives per-year limits and lower prices for volume beyond a threshold.")
    source: str = Field(min_length=1, description="Where the figures come from (seed file, public source, or 'estimate: ...').")


class CoefficientRow(_Strict):
    """``coefficients.csv``: technical coefficients A[input, output] of the chains."""

    input_sector: str = Field(min_length=1, description="Sector supplying the input.")
    output_sector: str = Field(min_length=1, description="Sector using it.")
    coef: NonNeg = Field(description="Units of input per unit of output (e.g. t alumina per t aluminium).")
    year: int | None = Field(None, description=YEAR_ROW)
    source: str = Field(min_length=1, description="Provenance.")


class ParkRow(_Strict):
    """``parks.csv``: industrial parks."""

    park: str = Field(min_length=1, description="Park id.")
    name: str = Field(description="English name.")
    name_zh: str = Field("", description="Chinese name.")
    area: str = Field("", description="Area of the region (north, centre, south).")
    source: str = Field(min_length=1, description="Provenance.")


class ProjectRow(_Strict):
    """``projects.csv``: existing plants, committed and candidate projects.

    Per-unit coefficients are per physical unit of the project's sector; blank
    coefficients fall back to the sector's.
    """

    project: str = Field(min_length=1, description="Project id (unique).")
    name: str = Field(description="English name.")
    name_zh: str = Field("", description="Chinese name.")
    sector: str = Field(min_length=1, description="Sector it produces.")
    park: str = Field(min_length=1, description="Park it sits in.")
    status: Status = Field(description="existing, committed or candidate.")
    capacity_10k: NonNeg = Field(description="Capacity, 万 units of the sector's unit per year.")
    base_output_10k: NonNeg | None = Field(None, description="Existing: production in the base year, 万 units (for base-year totals and intensity baselines); blank: capacity.")
    online_year: int | None = Field(None, description="Committed: the year it comes online (required). Existing/candidate: blank.")
    earliest_year: int | None = Field(None, description="Candidate: earliest year it may come online; blank: first year.")
    lead_time_years: Annotated[int, Field(ge=0)] = Field(0, description="Years of building before it comes online; capex is spread over them.")
    capex_100m_cny: NonNeg = Field(0.0, description="Investment, 亿元 (0 for existing plants).")
    land_mu: NonNeg = Field(0.0, description="New land taken, mu (0 for existing plants).")
    min_util: Share = Field(0.0, description="Minimum utilisation when online (share of capacity).")
    max_util: Share = Field(1.0, description="Maximum utilisation when online (share of capacity).")
    ramp_up: str = Field("", description="New plants: shares of capacity in the 1st, 2nd, ... year online, e.g. '0.5;0.8'; blank: case.yaml utilisation.ramp_up.")
    fuel_tce: NonNeg = Field(0.0, description="Fossil fuel burned on site, tce per unit.")
    feedstock_share: Share = Field(0.0, description="Share of fuel_tce used as raw material (not counted when exclude_feedstock).")
    elec_mwh: NonNeg | None = Field(None, description="Electricity used, MWh per unit; blank: A[electricity, sector].")
    co2_process_t: NonNeg = Field(0.0, description="Process CO2 (not from fuel), t per unit.")
    water_m3: NonNeg = Field(0.0, description="Water withdrawn, m3 per unit.")
    price_cny: NonNeg | None = Field(None, description="Output value, CNY per unit; blank: sector price.")
    va_cny: NonNeg | None = Field(None, description="Value added, CNY per unit; blank: sector va_share x price.")
    tax_cny: NonNeg | None = Field(None, description="Taxes, CNY per unit; blank: sector tax_share x price.")
    jobs: NonNeg = Field(0.0, description="Jobs at full capacity, persons.")
    renewable: bool = Field(False, description="Generates renewable electricity (electricity sector only).")
    supplies: str = Field("", description="Renewable projects: the park whose users buy the output under contract (direct green supply, 源网荷储, green-power trading); it counts as that park's green power and lowers the region's counted energy and CO2, up to the park's use. Blank: the grid (exported; counts for the region only when accounting.renewables is pooled).")
    life_years: Annotated[int, Field(ge=1)] | None = Field(None, description="Economic life for the capital charge's annuity, years; blank: objective.asset_life_years.")
    exclusive_group: str = Field("", description="Projects sharing a group id: at most one is built.")
    force: Literal["in", "out"] | None = Field(None, description="A decision the case (or a scenario) takes: in: a candidate must be built (in force_year if given, else in a year it may come online); out: the project is neither built nor run (a candidate or committed project never comes online; an existing plant closes). Blank: the model decides.")
    force_year: int | None = Field(None, description="With force in: the year the candidate comes online; blank: any year it may.")
    illustrative: bool = Field(False, description="True for candidates built from sector norms, not named in a source.")
    source: str = Field(min_length=1, description="Provenance of the row's figures.")

    @field_validator("ramp_up")
    @classmethod
    def _ramp(cls, v: str) -> str:
        parse_ramp(v)
        return v


class ProjectInputRow(_Strict):
    """``project_inputs.csv`` (optional): a project's own input coefficient, overriding A."""

    project: str = Field(min_length=1, description="Project id.")
    input_sector: str = Field(min_length=1, description="Input sector.")
    coef: NonNeg = Field(description="Units of input per unit of the project's output.")
    year: int | None = Field(None, description=YEAR_ROW)
    source: str = Field(min_length=1, description="Provenance.")


class ProjectYearRow(_Strict):
    """``project_years.csv`` (optional): a project's figure in a year; between stated years
    linear, before the first and after the last flat; replaces its projects.csv cell.
    """

    project: str = Field(min_length=1, description="Project id.")
    year: int = Field(description="Year (base year to last year of the horizon).")
    field: PathField = Field(description=f"One of {list(PATH_FIELDS)} (units of projects.csv).")
    value: NonNeg = Field(description="The value in that year (shares for max_util/min_util).")
    source: str = Field(min_length=1, description="Provenance.")


class DemandRow(_Strict):
    """``demand.csv`` (optional): local final demand that must be met, per sector and year
    (the right-hand side of ``chain_balance``; no row: 0). Markets (``markets.csv``) are
    what the region may sell or buy beyond it.
    """

    sector: str = Field(min_length=1, description="Sector id.")
    year: int = Field(description="Year of the horizon.")
    final_demand_10k: NonNeg = Field(description="万 units per year that must be delivered locally.")
    source: str = Field(min_length=1, description="Provenance.")


class Direction(StrEnum):
    """Which side of a market a step is on."""

    export = "export"
    import_ = "import"


class MarketRow(_Strict):
    """``markets.csv`` (optional): export and import markets as price-volume steps, per
    sector, year and direction (family ``export_market`` / ``import_market``).

    Where a sector has rows for a year and direction, they replace sectors.csv's
    constant limit (and, for imports, its import price) in that year: the year's limit is
    the sum of the step widths (unlimited when the last width is blank) and each step's
    volume sells (costs) its own price. Other years keep sectors.csv's terms; a sector
    without rows behaves as without this file. Steps are taken in ``step`` order; export
    prices must not rise from step to step and must not exceed the sector's
    ``price_cny``, import prices must not fall.
    """

    sector: str = Field(min_length=1, description="Sector id. A sector, year and direction without steps keeps sectors.csv's limit (and import price).")
    year: int | None = Field(None, description="Year of the horizon; blank: every year (then no year-specific steps for the same sector and direction).")
    direction: Direction = Field(description="export (sold outside the region) or import (bought from outside).")
    step: Annotated[int, Field(ge=1)] = Field(description="Order of the step within its sector, year and direction (1 first).")
    volume_10k: Annotated[float, Field(gt=0)] | None = Field(
        None, description="Width of the step, 万 units per year; blank (last step only): unlimited.")
    price_cny: NonNeg = Field(description="CNY per unit for the volume in this step (exports: "
                              "received, at most the sector's price_cny and not rising from "
                              "step to step; imports: paid, not falling).")
    source: str = Field(min_length=1, description="Provenance of the step's volume and price.")


MODE_CELL = ("hard (a constraint), soft (a penalised slack) or report (an indicator: "
             "computed every year and reported against the limit with a verdict, never "
             "constraining); blank: the family's setting.")
BASIS_CELL = ("What the limit rests on: sourced (a published figure), derived (computed from "
              "published figures by the formula stated in source) or estimate; blank = "
              "estimate. Conclusions that rest on an estimate say so.")


class QuotaRow(_Strict):
    """``quotas.csv``: resource quotas (energy, CO2, water, land, capital, green share)."""

    family: str = Field(description=f"One of {QUOTA_FAMILIES}.")
    year: int | None = Field(None, description="Year; blank: every year (or the horizon, for land and capital_total).")
    park: str = Field("", description="Park id for land and green_share; blank otherwise.")
    limit: float = Field(ge=0, description="The limit, in `unit`.")
    unit: str = Field(min_length=1, description="Unit of the limit, e.g. '10k tce', 'tce/10k CNY', 'mu', '100m CNY', 'share'.")
    mode: Mode | None = Field(None, description=MODE_CELL)
    penalty: NonNeg | None = Field(None, description="Soft mode: CNY per base unit of excess or shortfall (per tce, m3, mu, t CO2, CNY); blank: the family's penalty.")
    basis: Basis | None = Field(None, description=BASIS_CELL)
    source: str = Field(min_length=1, description="Provenance.")


class RuleRow(_Strict):
    """``rules.csv`` (optional): sector policy rules (caps and floors by sector or chain)."""

    rule: str = Field(description=f"One of {RULE_FAMILIES}.")
    scope: str = Field(min_length=1, description="A sector id or a chain name.")
    year: int | None = Field(None, description="Year; blank: every year.")
    limit: float = Field(ge=0, description="Limit: 万 units (capacity/output) or 亿元 (value).")
    unit: str = Field(min_length=1, description="'10k units' for capacity/output rules, '100m CNY' for value floors.")
    mode: Mode | None = Field(None, description=MODE_CELL)
    penalty: NonNeg | None = Field(None, description="Soft mode: CNY per unit short or over (per t, per CNY of value); blank: the family's penalty.")
    basis: Basis | None = Field(None, description=BASIS_CELL)
    source: str = Field(min_length=1, description="Provenance.")


class DependencyRow(_Strict):
    """``dependencies.csv`` (optional): project runs only if the required project runs."""

    project: str = Field(min_length=1, description="The dependent project.")
    requires: str = Field(min_length=1, description="The project it needs.")
    source: str = Field(min_length=1, description="Provenance.")


class HistoryRow(_Strict):
    """``history.csv`` (optional): what actually happened, to check the model against (``ioopt backcast``)."""

    indicator: Literal["gross_output", "value_added", "energy", "co2", "water", "production", "electricity_generation"] = Field(
        description="gross_output, value_added (money); energy (counted as the model counts: equivalent value, renewable and feedstock excluded as case.yaml says), co2, water (region only); production (physical, scope sectors); electricity_generation (local plants).")
    scope: str = Field("region", description="'region', a chain, a sector, a park or a project id (money: any; energy, co2, water: region; production: sectors; electricity_generation: region or a park), or several joined by '+' (each project counted once).")
    year: int = Field(description="Year, from base_year to the horizon's last year (the base year is compared with existing plants' base_output_10k).")
    value: float = Field(ge=0, description="The figure, in `unit`.")
    unit: str = Field(min_length=1, description="Unit of the indicator's dimension: '100m CNY'/'亿元', '10k tce', '10k t CO2', '10k m3', '10k MWh'/'亿kWh'; production: the sector's unit, '10k <unit>' or '万<unit>'.")
    basis: Literal["sourced", "derived", "estimate"] = Field(description="sourced (a figure as published), derived (computed from published figures: say how in source), estimate.")
    prices: Literal["current", "base_year"] | None = Field(None, description="Money indicators (required): current (nominal, as bulletins give it) or base_year (at the case's base-year prices, as the model values); blank for the others.")
    deflator: float | None = Field(None, gt=0, description="Money at current prices: the year's price level relative to base_year (1.2 = 20 % higher); the figure is divided by it before comparing. Blank: compared undeflated, and said so.")
    source: str = Field(min_length=1, description="Provenance: seed and line, a page address, or 'estimate: ...'.")


class TableSpec(BaseModel):
    """A CSV table of the case format."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    file: str
    row: type[_Strict]
    required: bool
    key: tuple[str, ...]


TABLES: dict[str, TableSpec] = {
    "sectors": TableSpec(file="sectors.csv", row=SectorRow, required=True, key=("sector",)),
    "coefficients": TableSpec(file="coefficients.csv", row=CoefficientRow, required=True,
                              key=("input_sector", "output_sector", "year")),
    "parks": TableSpec(file="parks.csv", row=ParkRow, required=True, key=("park",)),
    "projects": TableSpec(file="projects.csv", row=ProjectRow, required=True, key=("project",)),
    "project_inputs": TableSpec(file="project_inputs.csv", row=ProjectInputRow, required=False,
                                key=("project", "input_sector", "year")),
    "project_years": TableSpec(file="project_years.csv", row=ProjectYearRow, required=False,
                               key=("project", "field", "year")),
    "demand": TableSpec(file="demand.csv", row=DemandRow, required=False, key=("sector", "year")),
    "markets": TableSpec(file="markets.csv", row=MarketRow, required=False,
                         key=("sector", "year", "direction", "step")),
    "quotas": TableSpec(file="quotas.csv", row=QuotaRow, required=True,
                        key=("family", "year", "park")),
    "rules": TableSpec(file="rules.csv", row=RuleRow, required=False, key=("rule", "scope", "year")),
    "dependencies": TableSpec(file="dependencies.csv", row=DependencyRow, required=False,
                              key=("project", "requires")),
    "history": TableSpec(file="history.csv", row=HistoryRow, required=False,
                         key=("indicator", "scope", "year")),
}
"""The case's CSV tables, in load order."""
