"""Figures that change by year: a case's tables as they hold in one year, and the shares
of capacity each project may and must produce in each year.

- ``coefficients.csv`` and ``project_inputs.csv`` rows with a ``year``, and
  ``project_years.csv`` rows, state values at some years; between two stated years the
  value is linear, before the first and after the last it is flat (:func:`interpolate`).
  :func:`tables_at` gives the projects, coefficients and project inputs of one year; the
  per-unit arithmetic on them is :mod:`ioopt.iomath`'s, shared by the model data
  (:func:`ioopt.formulation.data.prepare`) and the input-output view.
- :class:`Shares`: utilisation by year (``max_util``/``min_util`` of projects.csv or
  their paths in project_years.csv), the ramp-up of new plants (case.yaml
  ``utilisation.ramp_up`` or projects.csv ``ramp_up``) and the growth limit of existing
  plants from their base-year output (``utilisation.existing_growth``).

No Pyomo here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ioopt import iomath
from ioopt.schemas import parse_ramp

if TYPE_CHECKING:
    from ioopt.casedata import Case

UNIT_FIELDS = ("elec_mwh", "fuel_tce", "co2_process_t", "water_m3")
"""project_years.csv fields that are per-unit figures (the others are utilisation shares)."""
UTIL_FIELDS = ("max_util", "min_util")
KEYS = {"coefficients": ("input_sector", "output_sector"), "project_inputs": ("project", "input_sector")}
"""A table with a ``year`` column -> the columns naming one coefficient."""


def interpolate(years_given: Sequence[float], values: Sequence[float],
                years: Sequence[int] | int) -> np.ndarray:
    """A path stated at ``years_given`` read at ``years``: linear between two stated
    years, flat before the first and after the last.
    """
    order = np.argsort(np.asarray(years_given, dtype=float), kind="stable")
    xp = np.asarray(years_given, dtype=float)[order]
    fp = np.asarray(values, dtype=float)[order]
    return np.atleast_1d(np.interp(np.asarray(years, dtype=float), xp, fp))


def dated(frame: pd.DataFrame) -> pd.Series:
    """Rows of a table that carry a year (a boolean Series)."""
    return frame["year"].notna() if "year" in frame.columns else pd.Series(False, frame.index)


def has_years(case: Case) -> bool:
    """Whether any technical coefficient or per-unit project figure changes by year."""
    return bool(dated(case.coefficients).any() or dated(case.project_inputs).any()
                or case.project_years["field"].isin(UNIT_FIELDS).any())


def rows_at(frame: pd.DataFrame, table: str, year: int) -> pd.DataFrame:
    """A coefficient table as it holds in ``year``: its blank-year rows, and the dated rows
    of each key interpolated at ``year`` (columns: the key and ``coef``).
    """
    has = dated(frame)
    if not has.any():
        return frame
    key = list(KEYS[table])
    recs = []
    for k, g in frame.loc[has].groupby(key, sort=False):
        v = interpolate(g["year"].astype(float), g["coef"].astype(float), year)[0]
        recs.append({**dict(zip(key, k, strict=True)), "coef": float(v)})
    out = pd.concat([frame.loc[~has], pd.DataFrame(recs, columns=[*key, "coef"])],
                    ignore_index=True)
    return out.astype({"coef": float})


def project_paths(case: Case, fields: Sequence[str]) -> dict[tuple[str, str], pd.DataFrame]:
    """(project, field) -> its project_years.csv rows (year, value), for ``fields``."""
    py = case.project_years
    py = py[py["field"].isin(list(fields))]
    return {(str(j), str(f)): g[["year", "value"]] for (j, f), g in
            py.groupby(["project", "field"], sort=False)}


def tables_at(case: Case, year: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(projects, coefficients, project_inputs) as they hold in ``year``: per-unit figures
    of project_years.csv and dated coefficient rows interpolated at ``year``.
    """
    projects = case.projects
    paths = project_paths(case, UNIT_FIELDS)
    if paths:
        projects = projects.copy()
        for (j, f), g in paths.items():
            if j not in projects.index:  # a project the case (or a backcast) left out
                continue
            projects[f] = projects[f].astype(object)
            projects.at[j, f] = float(interpolate(g["year"], g["value"], year)[0])
    return (projects, rows_at(case.coefficients, "coefficients", year),
            rows_at(case.project_inputs, "project_inputs", year))


def inputs_at(case: Case, year: int | None, el: str | None
              ) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
    """(projects, electricity per unit, intermediate inputs per unit) in ``year`` (None:
    the tables as they are): what the model data and the cost check both start from.
    """
    if year is None:
        p, coefs, pinputs = case.projects, case.coefficients, case.project_inputs
    else:
        p, coefs, pinputs = tables_at(case, year)
    elec = iomath.calc_project_elec(p, coefs, el)
    return p, elec, iomath.calc_project_inputs(p, coefs, pinputs, el, elec)


def util_grid(case: Case, field: str, years: Sequence[int]) -> np.ndarray:
    """``max_util`` or ``min_util`` of every project (rows, in projects.csv order) in each
    of ``years`` (columns): projects.csv's value, or its project_years.csv path.
    """
    p = case.projects
    grid = np.repeat(p[field].astype(float).to_numpy()[:, None], len(years), axis=1)
    row = {j: i for i, j in enumerate(p.index)}
    for (j, _), g in project_paths(case, (field,)).items():
        if j in row:
            grid[row[j]] = interpolate(g["year"], g["value"], years)
    return grid


@dataclass(frozen=True)
class Shares:
    """The shares of capacity each project may produce (:meth:`upper`) and must produce
    (:meth:`lower`) in a year of the horizon.
    """

    years: list[int]
    base_year: int
    max_util: dict[str, list[float]]
    """Project -> max_util in each year of the horizon."""
    min_util: dict[str, list[float]]
    ramp: dict[str, tuple[float, ...]]
    """New plants with a ramp-up -> their share in the 1st, 2nd, ... year online."""
    start: dict[str, float]
    """Existing plants whose growth is limited -> base-year output / capacity."""
    growth: float
    """Most an existing plant's share rises per year (those of ``start``)."""
    flat: dict[str, tuple[float, float]]
    """Projects with the same (upper, lower) share in every year online: no ramp-up, no
    growth limit, no max_util/min_util path."""

    def upper(self, j: str, t: int, online: int) -> float:
        """Most project j may produce in year t, as a share of its capacity, when online
        from year ``online``: the ramp-up's share for its years since then (existing
        plants: base-year share + growth x years since the base year), capped by max_util.
        """
        mx = self.max_util[j][t - self.years[0]]
        if j in self.start:
            return min(mx, self.start[j] + self.growth * (t - self.base_year))
        r = self.ramp.get(j, ())
        k = t - online
        return min(mx, r[k]) if 0 <= k < len(r) else mx

    def lower(self, j: str, t: int, online: int) -> float:
        """Least project j must produce in year t (share of capacity): min_util, but never
        more than :meth:`upper`.
        """
        return min(self.min_util[j][t - self.years[0]], self.upper(j, t, online))


def shares(case: Case) -> Shares:
    """The utilisation shares of every project of a case (see :class:`Shares`)."""
    cfg = case.config
    years = list(cfg.years)
    p = case.projects
    ids = [str(j) for j in p.index]
    mx, mn = util_grid(case, "max_util", years), util_grid(case, "min_util", years)
    paths = {j for j, _ in project_paths(case, UTIL_FIELDS)}
    default = tuple(cfg.utilisation.ramp_up)
    growth = cfg.utilisation.existing_growth
    ramp: dict[str, tuple[float, ...]] = {}
    start: dict[str, float] = {}
    cap = p["capacity_10k"].astype(float).to_numpy()
    base = pd.to_numeric(p["base_output_10k"]).astype(float).to_numpy()
    own = p["ramp_up"] if "ramp_up" in p.columns else pd.Series("", index=p.index)
    for i, (j, st, cell) in enumerate(zip(ids, p["status"], own, strict=True)):
        if st == "existing":
            if growth is not None and cap[i] > 0 and base[i] == base[i]:
                start[j] = base[i] / cap[i]
        else:
            r = parse_ramp(cell) or default
            if r:
                ramp[j] = r
    flat = {j: (float(mx[i, 0]), min(float(mn[i, 0]), float(mx[i, 0])))
            for i, j in enumerate(ids) if j not in ramp and j not in start and j not in paths}
    return Shares(years, cfg.base_year, dict(zip(ids, mx.tolist(), strict=True)),
                  dict(zip(ids, mn.tolist(), strict=True)), ramp, start, growth or 0.0, flat)
