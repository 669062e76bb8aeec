"""The validated case: the :class:`Case` dataclass, shared by the loader and the checks.

A module of its own so that :mod:`ioopt.case` (which reads a case folder and runs the
cross-table checks) and :mod:`ioopt.checks` (which checks a :class:`Case`) need not
import each other. No Pyomo, no reading here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from ioopt.errors import Problem
from ioopt.schemas import CaseConfig


@dataclass
class Case:
    """A validated case. Tables are pandas DataFrames, one row per file row.

    Columns are those of the files (see :mod:`ioopt.schemas`) plus derived columns in
    model units (see :func:`ioopt.case.derive_tables`).
    """

    path: Path
    config: CaseConfig
    sectors: pd.DataFrame
    coefficients: pd.DataFrame
    parks: pd.DataFrame
    projects: pd.DataFrame
    project_inputs: pd.DataFrame
    project_years: pd.DataFrame
    demand: pd.DataFrame
    quotas: pd.DataFrame
    rules: pd.DataFrame
    dependencies: pd.DataFrame
    markets: pd.DataFrame
    history: pd.DataFrame = field(default_factory=pd.DataFrame)
    """history.csv: what actually happened (ioopt backcast); empty when the case has none."""
    content_hash: str = ""
    applied: list[str] = field(default_factory=list)
    """Human-readable list of scenario changes applied to the files' contents."""
    warnings: list[Problem] = field(default_factory=list)
    """Problems that case.yaml ``checks`` turns into warnings (e.g. ``cost_consistency:
    warn``): the case loads, validate and solve show them."""
    scenario_name: str = ""
    """The name of the scenario file applied last (:func:`ioopt.scenario.apply_scenario`)."""
    scenario_description: str = ""
    """Its description (inherited when the file has none)."""

    @property
    def years(self) -> list[int]:
        """The horizon's years."""
        return list(self.config.years)

    @property
    def electricity_sector(self) -> str | None:
        """Id of the electricity sector, if the case has one."""
        el = self.sectors.index[self.sectors["kind"] == "electricity"]
        return str(el[0]) if len(el) else None

    def replace(self, **changes: Any) -> Case:
        """A copy with some fields replaced (tables are shared unless replaced)."""
        return replace(self, **changes)
