"""Markets (``markets.csv``): the price-volume steps of a sector's exports and imports.

No Pyomo here: :func:`check_markets` is the cross-table check run with the others
(:mod:`ioopt.casecheck`), and :func:`market_steps` groups the rows into the steps of each
(sector, year, direction) for the formulation (:mod:`ioopt.formulation.markets`).

Rules (also in the schema's description and models/FORMULATION.md):

- a row's ``year`` is a year of the horizon, or blank for every year; a sector and
  direction has either one blank-year set of steps or year-specific ones, not both;
- the steps of one (sector, year, direction) are taken in ``step`` order; only the last
  may have a blank ``volume_10k`` (unlimited);
- export prices do not rise from step to step and none exceeds the sector's
  ``price_cny`` (production is already valued at that price; a dearer export market
  would be a gain per unit exported with no cost, unbounded with imports); import
  prices do not fall from step to step;
- where a (sector, year, direction) has steps, they replace sectors.csv's constant limit
  (and import price) for that year; the other years keep sectors.csv's terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ioopt.checks import _line
from ioopt.errors import Problem

if TYPE_CHECKING:
    from ioopt.casedata import Case

FILE = "markets.csv"
DIRECTIONS = ("export", "import")


@dataclass(frozen=True)
class Step:
    """One step of a market: its number, width (None: unlimited) and price (CNY/unit)."""

    step: int
    volume_10k: float | None
    price_cny: float


MarketKey = tuple[str, int, str]
"""(sector, year, direction)."""


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and v != v) or v is pd.NA


def market_steps(case: Case, directions: tuple[str, ...] = DIRECTIONS
                 ) -> dict[MarketKey, list[Step]]:
    """The steps of every (sector, year, direction) that has rows, blank-year rows copied
    to every year of the horizon, each list in step order. ``directions`` limits the
    result to those directions (the switched-on market families).
    """
    out: dict[MarketKey, list[Step]] = {}
    mk = case.markets
    for s, y, dirn, k, vol, price in zip(mk["sector"], mk["year"], mk["direction"], mk["step"],
                                         mk["volume_10k"], mk["price_cny"], strict=True):
        if dirn not in directions:
            continue
        years = case.years if _blank(y) else [int(y)]
        step = Step(int(k), None if _blank(vol) else float(vol), float(price))
        for t in years:
            out.setdefault((str(s), t, str(dirn)), []).append(step)
    for steps in out.values():
        steps.sort(key=lambda st: st.step)
    return out


def check_markets(case: Case) -> list[Problem]:
    """Known sector, year in the horizon, no blank-year set beside year-specific ones,
    unlimited only on the last step, prices ordered (exports falling and at most the
    sector's price, imports rising).
    """
    mk = case.markets
    if mk.empty:
        return []
    out: list[Problem] = []
    sectors = case.sectors
    known = set(sectors.index)
    years = case.years
    groups: dict[tuple[str, object, str], list[object]] = {}
    for idx, s, y, dirn in zip(mk.index, mk["sector"], mk["year"], mk["direction"], strict=True):
        line = _line(mk, idx)
        if s not in known:
            out.append(Problem(FILE, line, "sector", s, "a sector defined in sectors.csv"))
            continue
        if not _blank(y) and int(y) not in years:
            out.append(Problem(FILE, line, "year", int(y),
                               f"a year of the horizon {years[0]}-{years[-1]}, or blank"))
            continue
        groups.setdefault((s, None if _blank(y) else int(y), dirn), []).append(idx)
    for (s, y, dirn), rows in groups.items():
        if y is not None and (s, None, dirn) in groups:
            first = _line(mk, groups[(s, None, dirn)][0])
            out += [Problem(FILE, _line(mk, i), "year", y,
                            f"no year-specific {dirn} step of {s} when line {first} "
                            "already sets every year") for i in rows]
            continue
        out += _check_steps(case, mk, str(s), str(dirn), rows)
    return out


def _check_steps(case: Case, mk: pd.DataFrame, sector: str, dirn: str,
                 rows: list[object]) -> list[Problem]:
    out: list[Problem] = []
    ordered = sorted(rows, key=lambda i: int(mk.at[i, "step"]))
    for i in ordered[:-1]:
        if _blank(mk.at[i, "volume_10k"]):
            out.append(Problem(FILE, _line(mk, i), "volume_10k", None,
                               f"a width for step {int(mk.at[i, 'step'])} of {sector}'s "
                               f"{dirn}s (blank, unlimited, only on the last step)"))
    prev: tuple[int, float] | None = None
    sector_price = float(case.sectors.at[sector, "price_cny"])
    for i in ordered:
        price = float(mk.at[i, "price_cny"])
        k = int(mk.at[i, "step"])
        if dirn == "export" and price > sector_price * (1 + 1e-12):
            out.append(Problem(FILE, _line(mk, i), "price_cny", price,
                               f"at most {sector}'s price_cny {sector_price:g} (production "
                               "is valued at it; further export steps sell lower)"))
        if prev is not None:
            falls = price < prev[1]
            if dirn == "export" and price > prev[1]:
                out.append(Problem(FILE, _line(mk, i), "price_cny", price,
                                   f"at most step {prev[0]}'s price {prev[1]:g} (export "
                                   "prices do not rise from step to step)"))
            elif dirn == "import" and falls:
                out.append(Problem(FILE, _line(mk, i), "price_cny", price,
                                   f"at least step {prev[0]}'s price {prev[1]:g} (import "
                                   "prices do not fall from step to step)"))
        prev = (k, price)
    return out
