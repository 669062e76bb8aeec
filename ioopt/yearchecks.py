"""Checks of the figures given by year (``year`` columns of coefficients.csv and
project_inputs.csv, project_years.csv, projects.csv utilisation); run with the other
cross-table checks by :func:`ioopt.casecheck.check_case`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ioopt import words
from ioopt.checks import _line, _overlaps, _ref
from ioopt.errors import Problem
from ioopt.yearly import UTIL_FIELDS, util_grid

if TYPE_CHECKING:
    from ioopt.casedata import Case


def _year_range(frame: pd.DataFrame, file: str, case: Case) -> list[Problem]:
    """Years from the base year to the last year of the horizon (blank allowed)."""
    lo, hi = case.config.base_year, case.years[-1]
    return [Problem(file, _line(frame, i), "year", int(v), f"a year from the base year {lo} to {hi}")
            for i, v in frame["year"].items()
            if v is not None and not pd.isna(v) and not lo <= int(v) <= hi]


def check_coefficient_years(case: Case) -> list[Problem]:
    """coefficients.csv and project_inputs.csv: years in range, and a key either with one
    blank-year row (every year) or with rows for years, not both.
    """
    out = _year_range(case.coefficients, "coefficients.csv", case)
    out += _overlaps(case.coefficients, "coefficients.csv", ("input_sector", "output_sector"))
    out += _year_range(case.project_inputs, "project_inputs.csv", case)
    out += _overlaps(case.project_inputs, "project_inputs.csv", ("project", "input_sector"))
    return out


def check_project_years(case: Case) -> list[Problem]:
    """project_years.csv: a known project, a year in range, shares within 0-1; and with
    projects.csv, min_util <= max_util in every year of the horizon.
    """
    f = "project_years.csv"
    py = case.project_years
    out = _ref(py, f, "project", set(case.projects.index), "project")
    out += _year_range(py, f, case)
    for i, field, v in zip(py.index, py["field"], py["value"], strict=True):
        if field in UTIL_FIELDS and float(v) > 1.0:
            out.append(Problem(f, _line(py, i), "value", float(v),
                               f"a share between 0 and 1 for {field}"))
    if out:
        return out
    years = case.years
    gap = util_grid(case, "min_util", years) - util_grid(case, "max_util", years)
    p = case.projects
    for i in np.flatnonzero((gap > 1e-12).any(axis=1)):  # only the projects at fault
        j = p.index[i]
        bad = np.flatnonzero(gap[i] > 1e-12)
        t = years[int(bad[0])]
        rows = py[(py["project"] == j) & py["field"].isin(UTIL_FIELDS)]
        file, line = (f, _line(py, rows.index[0])) if len(rows) else (
            "projects.csv", _line(p, j))
        out.append(Problem(file, line, "min_util", j,
                           f"min_util <= max_util in every year (in {t} min_util is "
                           f"{words.num(gap[i, bad[0]], 3)} above max_util)"))
    return out
