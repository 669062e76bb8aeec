"""The case format, part 1: ``case.yaml`` (horizon, accounting, objective, solver,
family switches, utilisation, uncertainty), the enums and the cell helpers the tables
share. Re-exported by :mod:`ioopt.schemas`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ioopt.families import QUOTA_FAMILIES, RULE_FAMILIES, SWITCHABLE

NonNeg = Annotated[float, Field(ge=0)]
Share = Annotated[float, Field(ge=0, le=1)]
YEAR_ROW = ("Year of this value; rows of the same key with years interpolate linearly (flat "
            "outside); blank: every year (then no other row of the key).")
PathField = Literal["max_util", "min_util", "elec_mwh", "fuel_tce", "co2_process_t", "water_m3"]
PATH_FIELDS: tuple[str, ...] = get_args(PathField)
"""projects.csv columns that project_years.csv can give by year."""


def parse_ramp(text: object) -> tuple[float, ...]:
    """A ramp-up cell: '0.5;0.8' -> (0.5, 0.8), blank -> (); ValueError unless shares."""
    if text is None or text == "" or text != text:
        return ()
    try:
        out = tuple(float(v) for v in str(text).split(";"))
    except ValueError:
        out = (float("nan"),)
    if not all(0.0 <= v <= 1.0 for v in out):
        raise ValueError("shares between 0 and 1 separated by ';', e.g. '0.5;0.8'")
    return out


NUMBER_BOUND = 1e15
"""Every number of a case (capacities, prices, unit figures, limits, coefficients) is
finite and below this in size: larger values are typing errors that wreck the solve."""


def check_bounded(value: object) -> object:
    """``value`` unchanged if every float in it (lists, mappings too) is below
    :data:`NUMBER_BOUND` in size; ValueError otherwise (NaN and inf are refused by
    ``allow_inf_nan=False`` before this runs).
    """
    items = value.values() if isinstance(value, dict) else value if isinstance(
        value, (list, tuple)) else (value,)
    for v in items:
        if isinstance(v, (dict, list, tuple)):
            check_bounded(v)
        elif isinstance(v, float) and not abs(v) < NUMBER_BOUND:
            raise ValueError("a number below 1e15 in size")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              allow_inf_nan=False)

    @field_validator("*")
    @classmethod
    def _bounded(cls, v: object) -> object:
        return check_bounded(v)


# --------------------------------------------------------------------------- enums


class Status(StrEnum):
    """Project status: what the model may decide about a project."""

    existing = "existing"
    committed = "committed"
    candidate = "candidate"


class Mode(StrEnum):
    """What a quota or rule row does: a hard limit, a soft one with a penalised slack, or
    an indicator (``report``): computed every year and reported against its target with a
    verdict, never constraining the portfolio.
    """

    hard = "hard"
    soft = "soft"
    report = "report"


class Basis(StrEnum):
    """What a quota or rule row's limit rests on (blank: an estimate)."""

    sourced = "sourced"  # a published figure (a plan, a statistic, a standard)
    derived = "derived"  # computed from published figures by the formula in its source
    estimate = "estimate"  # made up or guessed: conclusions that rest on it say so


def basis_or_estimate(value: object) -> Basis:
    """A row's basis cell (blank, None or NaN: an estimate)."""
    return Basis(value) if isinstance(value, str) and value else Basis.estimate


REPORT_FAMILIES_EXCLUDED = {f: (
    "with pooled renewables a park's green power is allocated by its own green rows, so "
    "without the row there is nothing to report; use contracted renewables (the default) "
    "or make it soft with a small penalty") for f in ("green_share", "green_power")}
"""Quota families that cannot be indicators (``mode: report``) under pooled renewables
(``accounting.renewables: pooled``), and why."""


def mode_or(value: object, default: Mode) -> Mode:
    """A row's mode cell (blank, None or NaN: the family's default)."""
    return Mode(value) if isinstance(value, str) and value else default


class SectorKind(StrEnum):
    """A product sector, or the electricity sector (one per case)."""

    product = "product"
    electricity = "electricity"


class Measure(StrEnum):
    """The objective's measure of regional benefit."""

    gross_output = "gross_output"
    value_added = "value_added"
    tax = "tax"
    jobs = "jobs"
    weighted = "weighted"


# ---------------------------------------------------------------------- case.yaml
class Accounting(_Strict):
    """How energy and CO2 are counted (China's dual-control accounting switches)."""

    kappa_tce_per_mwh: float = Field(
        0.1229, gt=0, le=1,
        description="tce counted per MWh of electricity: 0.1229 equivalent value (NBS), "
        "~0.30 coal-consumption (equal-value) method.")
    exclude_renewable_electricity: bool = Field(
        True, description="China's 2021 rule: locally generated renewable electricity is "
        "not counted in the energy total.")
    exclude_feedstock: bool = Field(
        True, description="Energy used as raw material (feedstock_share of a project's "
        "fuel) is not counted in the energy total.")
    ef_fuel_t_per_tce: float = Field(
        2.66, ge=0, description="t CO2 per tce of fossil fuel burned (NDRC ~2.66-2.77).")
    ef_grid_t_per_mwh: float = Field(
        0.7025, ge=0, description="t CO2 per MWh of electricity imported from the grid "
        "(MEE provincial factor).")
    renewables: Literal["contracted", "pooled"] = Field(
        "contracted", description="Which renewable electricity counts as the region's own. "
        "contracted (the rules as written): only the output of renewable projects contracted "
        "to a local park (projects.csv `supplies`) lowers the region's counted energy and CO2 "
        "and counts towards green-power targets; the rest is exported and credits nothing, "
        "so only net exports of fossil generation reduce the counted totals. pooled (ioopt "
        "before 0.3): every MWh of local renewable generation counts, exported or not, and "
        "green targets draw on the city's pooled renewable output.")


class FamilySettings(_Strict):
    """Switches of one constraint family."""

    enabled: bool = Field(True, description="Whether the family's constraints are built.")
    mode: Mode = Field(Mode.hard, description="hard: a constraint; soft: penalised slack; "
                       "report: an indicator, computed and reported against its limit with a "
                       "verdict, never constraining (quota and rule families only).")
    penalty: float | None = Field(
        None, ge=0, description="Soft-mode penalty, CNY per base unit of the quota "
        "(per tce, m3, mu, t CO2, CNY, MWh or product unit); blank: the family default.")


class Objective(_Strict):
    """What the optimisation maximises."""

    measure: Measure = Field(Measure.gross_output, description="The measure maximised.")
    weights: dict[Literal["gross_output", "value_added", "tax", "jobs"], float] = Field(
        default_factory=dict,
        description="For measure=weighted: weight per measure (jobs weighted in CNY/job-year).")
    discount_rate: float = Field(0.0, ge=0, lt=1, description="Annual discount rate.")
    import_cost: bool = Field(
        True, description="Subtract the cost of imports (import_price x imports) from "
        "gross output (from a weighted measure, times its gross_output weight). Value added "
        "and tax are shares of output value net of every input already: imports are not "
        "charged again.")
    capital_charge: Literal["none", "annuity"] = Field(
        "none", description="How investment enters a money objective. none: it does not "
        "(investment is limited only by the capital families). annuity: each year a new "
        "project is online, its capex times the capital recovery factor at capital_rate over "
        "its life_years is subtracted, so a project online late in the horizon pays for the "
        "years it produces, not for its whole life.")
    capital_rate: float = Field(
        0.08, ge=0, lt=1, description="Interest rate of the capital charge's annuity "
        "(8 %: the social discount rate of NDRC's 建设项目经济评价方法与参数, 3rd ed.).")
    asset_life_years: int = Field(
        20, ge=1, description="Economic life of an asset for the annuity, years, where "
        "projects.csv gives no life_years.")

    @model_validator(mode="after")
    def _weights_for_weighted(self) -> Objective:
        if self.measure == Measure.weighted and not self.weights:
            raise ValueError("measure 'weighted' needs a non-empty 'weights' mapping")
        if self.capital_charge == "annuity" and self.measure == Measure.jobs:
            raise ValueError("capital_charge 'annuity' needs a money measure, not 'jobs'")
        return self


class SolverSettings(_Strict):
    """HiGHS settings."""

    time_limit_s: float | None = Field(None, gt=0, description="Wall-clock limit per solve.")
    mip_gap: float = Field(1e-4, ge=0, lt=1, description="Relative MIP gap accepted.")
    threads: int | None = Field(None, ge=1, description="HiGHS threads (blank: HiGHS default).")
    relax_integers: bool = Field(
        False, description="Solve the LP relaxation: build decisions may be fractional "
                           "(screening very large cases; its objective bounds the MILP's).")


class Perturbation(_Strict):
    """An uncertain number: a multiplier drawn per sample for the matching rows' field."""

    table: Literal["sectors", "coefficients", "projects", "quotas", "rules", "markets"] = Field(
        description="Table whose field is perturbed.")
    field: str = Field(description="Numeric column, e.g. price_cny, coef, limit, fuel_tce.")
    where: dict[str, str | int | float] = Field(
        default_factory=dict, description="Row selector: column -> value (all must match); empty: every row.")
    rel: float = Field(gt=0, lt=1, description="Relative half-width: the multiplier lies in [1 - rel, 1 + rel].")
    dist: Literal["uniform", "triangular", "normal"] = Field(
        "uniform", description="uniform or triangular on [1 - rel, 1 + rel]; normal with sd rel/2, clipped to the range.")
    joint: bool = Field(False, description="True: one draw for all matching rows; false: one per row.")


class Utilisation(_Strict):
    """How far plants may run each year: new plants ramp up, existing plants grow."""

    ramp_up: list[Share] = Field(
        default_factory=list,
        description="Most a new (committed or candidate) plant may produce, as a share of "
        "capacity, in its 1st, 2nd, ... year online (the 1st year is part of a year); "
        "afterwards max_util. Per project: projects.csv ramp_up. Empty: no ramp-up.")
    existing_growth: Share | None = Field(
        0.10, description="Most an existing plant's utilisation may rise per year, as a "
        "share of capacity, from base_output_10k / capacity_10k (2021: +1 step from 2020); "
        "blank (null): no limit (capacity x max_util from the first year).")


class Checks(_Strict):
    """How strict the value checks of a case are (``case.yaml`` ``checks``)."""

    cost_consistency: Literal["error", "warn", "off"] = Field(
        "error", description="Every sector and project: input cost per unit (inputs at "
        "their sector's price, electricity at the electricity sector's price, fuel_tce not "
        "already bought as fuel_sector input at fuel_sector's price per tce) + value added "
        "per unit must not exceed the output price, in every year. error: the case does not "
        "load; warn: it loads and validate/solve print each row; off: not checked.")
    fuel_sector: str | None = Field(
        None, description="Sector whose price prices fuel_tce in the cost check (e.g. "
        "coal), per tce at fuel_tce_per_unit; a project's input of that sector is fuel "
        "already paid for. Blank: fuel_tce is not priced (the check is then a lower bound).")
    fuel_tce_per_unit: float = Field(
        1.0, gt=0, description="Heat value of fuel_sector's unit, tce per unit (e.g. 0.4286 "
        "tce/t for ~3000 kcal/kg lignite).")


class CaseConfig(_Strict):
    """``case.yaml``: the case's horizon, accounting, objective and family switches."""

    name: str = Field(description="Short identifier of the case.")
    title: str = Field("", description="Human-readable title.")
    title_zh: str = Field("", description="Title in Chinese.")
    description: str = Field("", description="What the case represents, and its sources.")
    base_year: int = Field(description="Base year t0 (e.g. 2020).")
    years: list[int] = Field(description="Consecutive years of the horizon, after base_year.")
    accounting: Accounting = Field(default_factory=Accounting)
    objective: Objective = Field(default_factory=Objective)
    solver: SolverSettings = Field(default_factory=SolverSettings)
    families: dict[str, FamilySettings] = Field(
        default_factory=dict,
        description="Per constraint family: enabled, mode (hard/soft), penalty. "
        "Families not listed are enabled and hard.")
    utilisation: Utilisation = Field(default_factory=Utilisation)
    checks: Checks = Field(default_factory=Checks)
    uncertainty: list[Perturbation] = Field(
        default_factory=list,
        description="Ranges of uncertain prices, quotas and coefficients, for sampled scenarios "
        "(ioopt rank --samples).")

    @field_validator("years")
    @classmethod
    def _consecutive(cls, v: list[int]) -> list[int]:
        if not v:
            raise ValueError("at least one year is needed")
        if v != list(range(v[0], v[0] + len(v))):
            raise ValueError("years must be consecutive and increasing, e.g. [2021, 2022]")
        return v

    @model_validator(mode="after")
    def _check(self) -> CaseConfig:
        if self.years[0] <= self.base_year:
            raise ValueError(f"years must come after base_year {self.base_year}")
        unknown = sorted(set(self.families) - set(SWITCHABLE))
        if unknown:
            raise ValueError(f"unknown families {unknown}; known: {sorted(SWITCHABLE)}")
        for name, fam in self.families.items():
            if fam.mode != Mode.report:
                continue
            if name not in (*QUOTA_FAMILIES, *RULE_FAMILIES):
                raise ValueError(f"families.{name}.mode: report is for quota and rule families "
                                 f"({sorted([*QUOTA_FAMILIES, *RULE_FAMILIES])}); {name} has "
                                 "no limit to report against")
            if name in REPORT_FAMILIES_EXCLUDED and self.accounting.renewables == "pooled":
                raise ValueError(f"families.{name}.mode: hard or soft, not report: "
                                 f"{REPORT_FAMILIES_EXCLUDED[name]}")
        return self
