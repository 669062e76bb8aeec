"""history.csv: what actually happened, in the model's terms.

The vocabulary of indicators (what each compares, in which dimension, over which scopes),
the cross-table check of the history rows (file, line, field, expected), how a scope
names a set of projects, and how a row's figure converts to the model's units. The
backcast itself (a run with the decisions actually taken) is
:mod:`ioopt.analyses.backcast`. No Pyomo here, and no import of :mod:`ioopt.case`.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ioopt import units
from ioopt.errors import Problem
from ioopt.schemas import HistoryRow

BACKCAST_COLUMNS = ["indicator", "scope", "year", "model", "history", "history_compared",
                    "unit", "error_pct", "prices", "basis", "source"]
"""backcast.csv's columns (:mod:`ioopt.analyses.backcast` writes it; here so that a report
reads it without the model's stack)."""

if TYPE_CHECKING:
    from ioopt.casedata import Case

FILE = "history.csv"


@dataclass(frozen=True)
class Indicator:
    """One indicator of history.csv: its dimension, the scopes it takes, its words."""

    dimension: str
    """A key of ioopt.units.DIMENSIONS ('quantity': the scope sector's own unit)."""
    scopes: tuple[str, ...]
    """Kinds of scope: region, chain, sector, park, project."""
    money: bool
    en: str
    zh: str


_ALL = ("region", "sector", "chain", "park", "project")
INDICATORS: dict[str, Indicator] = {
    "gross_output": Indicator("money", _ALL, True, "gross output", "工业总产值"),
    "value_added": Indicator("money", _ALL, True, "value added", "工业增加值"),
    "energy": Indicator("energy", ("region",), False, "energy (counted)", "能源消费量（计入考核）"),
    "co2": Indicator("co2", ("region",), False, "CO2", "二氧化碳排放"),
    "water": Indicator("water", ("region",), False, "water", "用水量"),
    "production": Indicator("quantity", ("sector",), False, "production", "产量"),
    "electricity_generation": Indicator("electricity", ("region", "park"), False,
                                        "electricity generation", "发电量"),
}
"""The indicators history.csv can hold, each as the model counts it: gross output and
value added at the model's prices (base-year prices), counted energy (equivalent value,
renewables and feedstock as case.yaml says, net of local generation), CO2 and water of
the region, a sector's production in its own unit, local generation."""

assert set(INDICATORS) == set(typing.get_args(HistoryRow.model_fields["indicator"].annotation))


def indicator_label(name: str, lang: str = "en") -> str:
    """An indicator's name in words."""
    ind = INDICATORS.get(name)
    return name if ind is None else (ind.zh if lang == "zh" else ind.en)


def scope_kind(case: Case, part: str) -> str | None:
    """What one scope name is: region, sector, chain, park or project (in that order of
    precedence), or None when the case has no such thing.
    """
    if part == "region":
        return "region"
    if part in case.sectors.index:
        return "sector"
    if part in set(case.sectors["chain"]):
        return "chain"
    if part in set(case.parks["park"]):
        return "park"
    if part in case.projects.index:
        return "project"
    return None


def scope_parts(scope: str) -> list[str]:
    """The names of a scope ('aluminium+nickel' -> ['aluminium', 'nickel'])."""
    return [p.strip() for p in str(scope).split("+") if p.strip()]


def scope_projects(case: Case, projects: pd.DataFrame, scope: str) -> pd.Series:
    """Which rows of ``projects`` (index: project id; columns sector, park) a scope covers:
    the union of its parts, each project counted once.
    """
    chain = projects["sector"].map(case.sectors["chain"])
    sel = pd.Series(False, index=projects.index)
    for part in scope_parts(scope):
        kind = scope_kind(case, part)
        if kind == "region":
            sel[:] = True
        elif kind == "sector":
            sel |= projects["sector"] == part
        elif kind == "chain":
            sel |= chain == part
        elif kind == "park":
            sel |= projects["park"] == part
        elif kind == "project":
            sel |= projects.index == part
    return sel


def production_unit(text: str, sector_unit: str) -> float | None:
    """Model units (万 of the sector's unit) per one unit of a production figure: the
    sector's unit (1e-4), '10k <unit>' or '万<unit>' (1), '100m <unit>' or '亿<unit>' (1e4);
    None when the text is none of them.
    """
    t = " ".join(text.strip().lower().split())
    u = " ".join(sector_unit.strip().lower().split())
    table = {u: 1e-4, f"10k {u}": 1.0, f"万{u}": 1.0, f"万 {u}": 1.0, f"100m {u}": 1e4,
             f"亿{u}": 1e4, f"亿 {u}": 1e4}
    return table.get(t)


def to_model_units(case: Case, indicator: str, scope: str, unit: str) -> float | None:
    """Model units per one unit of a history figure (None: not a unit of the indicator)."""
    ind = INDICATORS[indicator]
    if ind.dimension == "quantity":
        parts = scope_parts(scope)
        su = {str(case.sectors.at[p, "unit"]) for p in parts if p in case.sectors.index}
        return production_unit(unit, su.pop()) if len(su) == 1 else None
    parsed = units.parse_unit(unit)
    if parsed is None or parsed[0] != ind.dimension:
        return None
    return parsed[1]


def model_unit(case: Case, indicator: str, scope: str) -> str:
    """The unit the backcast reports an indicator in ('100m CNY', '10k t', ...)."""
    ind = INDICATORS[indicator]
    if ind.dimension == "quantity":
        part = scope_parts(scope)[0]
        return f"10k {case.sectors.at[part, 'unit']}" if part in case.sectors.index else ""
    return units.DIMENSIONS[ind.dimension].model_unit


def check_history(case: Case) -> list[Problem]:
    """Years within base_year..last, scopes the indicator takes, units of its dimension,
    ``prices`` given for money (and only for money), ``deflator`` only for current prices.
    """
    h = case.history
    out: list[Problem] = []
    if h.empty:
        return out
    first, last = case.config.base_year, case.years[-1]
    for r in h.to_dict("records"):
        line = None if pd.isna(r.get("_line")) else int(r["_line"])

        def bad(field: str, value: object, expected: str, line: int | None = line) -> None:
            out.append(Problem(FILE, line, field, value, expected))

        ind = INDICATORS[r["indicator"]]
        if not first <= int(r["year"]) <= last:
            bad("year", int(r["year"]), f"a year from the base year {first} to {last}")
        parts = scope_parts(r["scope"])
        kinds = [scope_kind(case, p) for p in parts]
        wrong = [p for p, k in zip(parts, kinds, strict=True) if k not in ind.scopes]
        if not parts or wrong:
            known = ", ".join(ind.scopes)
            bad("scope", r["scope"], f"for {r['indicator']}: {known} (ids from the case), "
                "or several joined by '+'")
        elif ind.dimension == "quantity" and len({case.sectors.at[p, "unit"] for p in parts}) > 1:
            bad("scope", r["scope"], "sectors of one unit (production is summed)")
        elif to_model_units(case, r["indicator"], r["scope"], r["unit"]) is None:
            if ind.dimension == "quantity":
                su = str(case.sectors.at[parts[0], "unit"])
                expected = f"'{su}', '10k {su}' or '万{su}' (the sector's unit)"
            else:
                expected = f"one of {units.known_units(ind.dimension)}"
            bad("unit", r["unit"], f"a unit of {r['indicator']}: {expected}")
        prices, deflator = r.get("prices"), r.get("deflator")
        has_prices = isinstance(prices, str) and bool(prices)
        has_deflator = deflator is not None and not pd.isna(deflator)
        if ind.money and not has_prices:
            bad("prices", None, "current or base_year for a money indicator")
        elif not ind.money and has_prices:
            bad("prices", prices, f"blank for {r['indicator']} (not money)")
        if has_deflator and prices != "current":
            bad("deflator", deflator, "blank unless prices is current")
    return out
