"""Pydantic models of the case files: one model per table row, one for ``case.yaml``.

``config`` holds case.yaml and the shared enums, ``tables`` the CSV rows; this module
re-exports both.

These models are the single statement of the case format: the loader validates with
them, ``ioopt schema`` prints them, and the README's format section is generated from
the same field descriptions. Every model forbids unknown fields so a misspelt column is
an error, not a silently ignored input.
"""

from __future__ import annotations

from typing import Any

from ioopt.schemas.config import (
    NUMBER_BOUND,
    PATH_FIELDS,
    REPORT_FAMILIES_EXCLUDED,
    YEAR_ROW,
    Accounting,
    Basis,
    CaseConfig,
    Checks,
    FamilySettings,
    Measure,
    Mode,
    NonNeg,
    Objective,
    PathField,
    Perturbation,
    SectorKind,
    Share,
    SolverSettings,
    Status,
    Utilisation,
    _Strict,
    basis_or_estimate,
    check_bounded,
    mode_or,
    parse_ramp,
)
from ioopt.schemas.tables import (
    BASIS_CELL,
    MODE_CELL,
    TABLES,
    CoefficientRow,
    DemandRow,
    DependencyRow,
    Direction,
    HistoryRow,
    MarketRow,
    ParkRow,
    ProjectInputRow,
    ProjectRow,
    ProjectYearRow,
    QuotaRow,
    RuleRow,
    SectorRow,
    TableSpec,
)

__all__ = [
    "BASIS_CELL",
    "MODE_CELL",
    "NUMBER_BOUND",
    "PATH_FIELDS",
    "REPORT_FAMILIES_EXCLUDED",
    "TABLES",
    "YEAR_ROW",
    "Accounting",
    "Basis",
    "CaseConfig",
    "Checks",
    "CoefficientRow",
    "DemandRow",
    "DependencyRow",
    "Direction",
    "FamilySettings",
    "HistoryRow",
    "MarketRow",
    "Measure",
    "Mode",
    "NonNeg",
    "Objective",
    "ParkRow",
    "PathField",
    "Perturbation",
    "ProjectInputRow",
    "ProjectRow",
    "ProjectYearRow",
    "QuotaRow",
    "RuleRow",
    "SectorKind",
    "SectorRow",
    "Share",
    "SolverSettings",
    "Status",
    "TableSpec",
    "Utilisation",
    "_Strict",
    "basis_or_estimate",
    "case_json_schema",
    "check_bounded",
    "mode_or",
    "parse_ramp",
]


def case_json_schema() -> dict[str, Any]:
    """JSON Schema of ``case.yaml`` and of one row of every CSV table."""
    return {
        "case.yaml": CaseConfig.model_json_schema(),
        **{spec.file: spec.row.model_json_schema() for spec in TABLES.values()},
    }
