"""Run every cross-table check of a case (the ``check_*`` functions of :mod:`ioopt.checks`).

Its own module so that :mod:`ioopt.case` (the loader, which runs the checks) and
:mod:`ioopt.checks` (the checks, which take a :class:`~ioopt.casedata.Case`) do not
import each other: casedata <- checks <- casecheck <- case.
"""

from __future__ import annotations

from ioopt.casedata import Case
from ioopt.checks import (
    check_coefficients,
    check_demand,
    check_dependencies,
    check_exclusive_groups,
    check_project_inputs,
    check_projects,
    check_quotas,
    check_rules,
    check_sectors,
    check_uncertainty,
)
from ioopt.costcheck import check_cost_consistency, cost_warnings
from ioopt.errors import Problem
from ioopt.history import check_history
from ioopt.markets import check_markets
from ioopt.yearchecks import check_coefficient_years, check_project_years

CHECKS = (check_sectors, check_coefficient_years, check_coefficients, check_projects,
          check_project_inputs, check_project_years, check_demand, check_markets, check_quotas,
          check_rules, check_dependencies, check_exclusive_groups, check_uncertainty,
          check_history, check_cost_consistency)
"""The cross-table checks, in the order their problems are reported."""


def check_case(case: Case) -> list[Problem]:
    """Run every cross-table check and return all problems found."""
    out: list[Problem] = []
    for check in CHECKS:
        out.extend(check(case))
    return out


def case_warnings(case: Case) -> list[Problem]:
    """Problems of the checks that case.yaml ``checks`` turns into warnings (shown by
    validate and solve; the case still loads).
    """
    return cost_warnings(case)
