"""Consistent values: a unit of output must be worth at least what went into it.

For every sector (sectors.csv) and every project (projects.csv), per unit of output:

    input cost + value added <= output price

- input cost: the sector's column of A (coefficients.csv) or the project's own inputs
  (its sector's column overridden by project_inputs.csv, electricity from ``elec_mwh``),
  each input at its sector's ``price_cny``; for projects also the fuel it burns
  (``fuel_tce``) that is not already bought as an input of ``checks.fuel_sector``, at that
  sector's price per tce (``checks.fuel_tce_per_unit``);
- value added: the project's ``va_cny``, else the sector's ``va_share`` x the price.

With figures by year (coefficients or project inputs with a ``year``, project_years.csv)
every year from the base year to the last year of the horizon is checked. ``case.yaml``
``checks.cost_consistency``: ``error`` (default) stops the load, ``warn`` keeps the
problems as warnings (:func:`cost_warnings`), ``off`` skips the check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ioopt import words, yearly
from ioopt.errors import Problem
from ioopt.units import CNY_PER_UNIT_TO_MODEL

if TYPE_CHECKING:
    from ioopt.casedata import Case

TOL = 1e-9
"""Relative tolerance: a row fails when input cost + value added > price x (1 + TOL)."""


def check_cost_consistency(case: Case) -> list[Problem]:
    """The cost check as errors (``checks.cost_consistency: error``, the default)."""
    return cost_problems(case) if case.config.checks.cost_consistency == "error" else []


def cost_warnings(case: Case) -> list[Problem]:
    """The cost check as warnings (``checks.cost_consistency: warn``)."""
    return cost_problems(case) if case.config.checks.cost_consistency == "warn" else []


def cost_problems(case: Case) -> list[Problem]:
    """Every sector and project whose input cost + value added exceed its price (one
    problem per row, at its worst year; the other failing years named).
    """
    s = case.sectors
    fs = case.config.checks.fuel_sector
    if s.empty:
        return []
    if fs is not None and fs not in s.index:
        return [Problem("case.yaml", None, "checks.fuel_sector", fs,
                        "a sector of sectors.csv (or blank: fuel not priced)")]
    dated = yearly.has_years(case)
    years: list[int | None] = [case.config.base_year, *case.years] if dated else [None]
    sec_dated = bool(yearly.dated(case.coefficients).any())
    sec = ([_sector_costs(case, t) for t in years] if sec_dated
           else [_sector_costs(case, None)] * len(years))
    prj = _project_tables(case, years, sec_dated)
    out = _rows(sec, years, "sectors.csv", s, "va_share", case)
    out += _rows(prj, years, "projects.csv", case.projects, "va_cny", case)
    return out


def _prices(case: Case) -> pd.Series:
    return pd.to_numeric(case.sectors["price_cny"]).astype(float)


def _fuel_price(case: Case) -> float:
    """CNY per tce of fuel (0 when no fuel sector is set)."""
    chk = case.config.checks
    if chk.fuel_sector is None:
        return 0.0
    return float(_prices(case)[chk.fuel_sector]) / chk.fuel_tce_per_unit


def _sector_costs(case: Case, year: int | None) -> pd.DataFrame:
    """Per sector: price, input cost (A column at sector prices), value added, and the
    inputs' costs (for the message).
    """
    c = case.coefficients if year is None else yearly.rows_at(case.coefficients, "coefficients", year)
    price = _prices(case)
    long = c[["input_sector", "output_sector", "coef"]].astype({"coef": float})
    long = long.assign(cost=long["coef"] * long["input_sector"].map(price).astype(float).fillna(0.0))
    long = long.rename(columns={"output_sector": "row"})
    va = price * pd.to_numeric(case.sectors["va_share"]).astype(float)
    return _table(price, va, long, pd.Series(0.0, index=price.index), 0.0)


def _project_tables(case: Case, years: list[int | None], all_change: bool) -> list[pd.DataFrame]:
    """The project table of every year: computed in full for the first, then only for the
    projects whose figures change by year (all of them when coefficients do).
    """
    first = _project_costs(case, years[0])
    if all_change:
        return [first, *(_project_costs(case, t) for t in years[1:])]
    py = case.project_years
    moving = set(py.loc[py["field"].isin(yearly.UNIT_FIELDS), "project"])
    moving |= set(case.project_inputs.loc[yearly.dated(case.project_inputs), "project"])
    moving &= set(case.projects.index)
    if not moving:
        return [first] * len(years)
    out = [first]
    for t in years[1:]:
        table = first.copy()
        sub = _project_costs(case, t, sorted(moving))
        table.loc[sub.index] = sub
        out.append(table)
    return out


def _project_costs(case: Case, year: int | None, only: list[str] | None = None) -> pd.DataFrame:
    """Per project (or the projects ``only``): price, input cost (own inputs, electricity,
    unpaid fuel), value added.
    """
    p, _, inputs = yearly.inputs_at(case, year, case.electricity_sector)
    if only is not None:
        p, inputs = p.loc[only], inputs[inputs["project"].isin(only)]
    price = _prices(case)
    long = inputs.assign(coef=inputs["coef"].astype(float))
    long = long.assign(cost=long["coef"] * long["input_sector"].map(price).astype(float).fillna(0.0))
    long = long.rename(columns={"project": "row"})
    chk = case.config.checks
    fuel = pd.to_numeric(p["fuel_tce"]).astype(float).fillna(0.0)
    if chk.fuel_sector is not None:
        bought = long[long["input_sector"] == chk.fuel_sector].groupby("row")["coef"].sum()
        unpaid = (fuel - bought.reindex(p.index).fillna(0.0) * chk.fuel_tce_per_unit).clip(lower=0)
    else:
        unpaid = fuel * 0.0
    return _table(p["price"] / CNY_PER_UNIT_TO_MODEL, p["va"] / CNY_PER_UNIT_TO_MODEL, long,
                  unpaid, _fuel_price(case))


def _table(price: pd.Series, va: pd.Series, long: pd.DataFrame, fuel_tce: pd.Series,
           fuel_price: float) -> pd.DataFrame:
    """One row per sector or project: price, va, inputs (incl. the fuel_tce not bought as
    an input, at fuel_price CNY/tce) and the largest inputs as text.
    """
    fuel_cost = fuel_tce * fuel_price
    per = long.groupby("row")["cost"].sum()
    inputs = per.reindex(price.index).fillna(0.0) + fuel_cost
    top = (long[long["cost"] > 0].sort_values("cost", ascending=False)
           .groupby("row", sort=False).head(3))
    detail: dict[object, list[str]] = {}
    for r, i, c, q in zip(top["row"], top["input_sector"], top["cost"], top["coef"], strict=True):
        detail.setdefault(r, []).append(f"{i} {words.num(q)} x {words.num(c / q)} = {words.num(c)}")
    for r, f in fuel_cost[fuel_cost > 0].items():
        detail.setdefault(r, []).append(f"fuel {words.num(fuel_tce[r])} tce x {words.num(fuel_price)} = {words.num(f)}")
    return pd.DataFrame({"price": price, "inputs": inputs, "va": va,
                         "detail": pd.Series({k: "; ".join(v) for k, v in detail.items()},
                                             dtype=object).reindex(price.index)})


def _rows(tables: list[pd.DataFrame], years: list[int | None], file: str,
          frame: pd.DataFrame, field: str, case: Case) -> list[Problem]:
    """One problem per row failing in any year: figures of its worst year."""
    if frame.empty:
        return []
    with np.errstate(all="ignore"):  # extreme prices: compared, never an arithmetic warning
        return _problems(tables, years, file, frame, field, case)


def _problems(tables: list[pd.DataFrame], years: list[int | None], file: str,
              frame: pd.DataFrame, field: str, case: Case) -> list[Problem]:
    price = np.column_stack([t["price"].to_numpy(float) for t in tables])
    total = np.column_stack([(t["inputs"] + t["va"]).to_numpy(float) for t in tables])
    excess = total - price * (1 + TOL)
    bad = np.flatnonzero((excess > 1e-9).any(axis=1))
    lines = frame["_line"] if "_line" in frame.columns else pd.Series(None, index=frame.index)
    unit = frame["sector"].map(case.sectors["unit"]) if file == "projects.csv" else frame["unit"]
    out = []
    for i in bad:
        ratio = np.divide(total[i], price[i], out=np.full(len(years), np.inf),
                          where=price[i] > 0)
        k = int(np.argmax(ratio))
        r = tables[k].iloc[i]
        idx = frame.index[i]
        when = _when(years, [bool(e > 1e-9) for e in excess[i]], k)
        u = str(unit[idx])
        share = f"{words.num(r['va'] / r['price'], 3)} of price" if r["price"] > 0 else "no price"
        own = file == "sectors.csv" or pd.notna(frame.at[idx, field])
        if not own:
            sector = frame.at[idx, "sector"]
            share = f"blank va_cny: sector {sector}'s va_share x price, {share}"
        detail = f" ({r['detail']})" if isinstance(r["detail"], str) else ""
        value = float(frame.at[idx, field]) if own else None
        line = lines[idx]
        out.append(Problem(
            file, None if line is None or pd.isna(line) else int(line), field, value,
            f"input cost + value added <= output price for {idx}{when}: price {words.num(r['price'], 6)} CNY/{u}, "
            f"input cost {words.num(r['inputs'], 6)}{detail}, value added {words.num(r['va'], 6)} "
            f"({share}): together {ratio[k]:.3f} x price; lower the value added "
            f"or correct a price or an input"))
    return out


def _when(years: list[int | None], fails: list[bool], worst: int) -> str:
    """Which years a row fails in, for the message ('' when nothing changes by year)."""
    if years == [None]:
        return ""
    if all(fails):
        return f" in every year {years[0]}-{years[-1]}"
    bad = [str(y) for y, f in zip(years, fails, strict=True) if f]
    return f" in {years[worst]}" + (f" (fails in {', '.join(bad)})" if len(bad) > 1 else "")
