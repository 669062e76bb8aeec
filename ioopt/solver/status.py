"""What a solve ended with: the one status enum, from HiGHS to the store and the reports.

Every reader of a status (result stores, rankings, reports, compare) goes through
:class:`SolveStatus`; no module compares status strings of its own.
"""

from __future__ import annotations

from enum import Enum
from typing import Any


class SolveStatus(Enum):
    """What a solve ended with. Only OPTIMAL and FEASIBLE carry a solution."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    """Stopped at a limit (time, iterations) with a feasible, not proven optimal, solution:
    its incumbent and the MIP gap (bound) are known."""
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    TIME_LIMIT = "time_limit"
    """Stopped at the time limit without any feasible solution: nothing is known."""
    ERROR = "error"

    @property
    def has_solution(self) -> bool:
        """Whether primal values (and shadow prices) are available."""
        return self in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)

    @property
    def proven(self) -> bool:
        """Whether the solve reached a verdict (optimal, infeasible or unbounded)."""
        return self in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE, SolveStatus.UNBOUNDED)

    @property
    def stopped_early(self) -> bool:
        """Whether the solve stopped at a limit before a verdict (with or without an
        incumbent).
        """
        return self in (SolveStatus.FEASIBLE, SolveStatus.TIME_LIMIT)

    @classmethod
    def parse(cls, value: Any) -> SolveStatus:
        """A status from its stored value (a string from a results store or a summary);
        anything unknown or missing reads as ERROR.
        """
        if isinstance(value, SolveStatus):
            return value
        try:
            return cls(str(value))
        except ValueError:
            return cls.ERROR


SOLVED_VALUES: tuple[str, ...] = tuple(s.value for s in SolveStatus if s.has_solution)
"""The stored values of the statuses with a solution (for filtering result tables)."""


def solved(values: Any) -> Any:
    """Element-wise: whether stored status values carry a solution (a pandas Series or
    any iterable of strings; returns a boolean Series or list).
    """
    if hasattr(values, "map"):
        return values.map(lambda v: SolveStatus.parse(v).has_solution).astype(bool)
    return [SolveStatus.parse(v).has_solution for v in values]
