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


REFUSED = "Model refused"
"""The termination recorded when HiGHS refuses the model as passed (passModel fails)."""

_DATA = ("most likely a number it cannot use (NaN, infinite, or 1e15 or more in size) "
         "reached the model: run `ioopt validate` and check the figures most recently changed, "
         "including a scenario's")
_NUMERICS = ("numerical trouble, most often figures of very different sizes (e.g. 1e-9 beside "
             "1e12: check the units of the figures most recently changed)")
_ERRORS = {
    REFUSED: f"HiGHS refused the model as given (invalid data): {_DATA}",
    "Not Set": f"HiGHS stopped before solving (its status 'Not Set': it refused the model): "
               f"{_DATA}",
    "Model error": f"HiGHS found the model invalid (its status 'Model error'): {_DATA}",
    "Load error": f"HiGHS could not load the model (its status 'Load error'): {_DATA}",
    "Presolve error": f"HiGHS's presolve failed (its status 'Presolve error'): {_NUMERICS}",
    "Solve error": f"HiGHS's solver failed (its status 'Solve error'): {_NUMERICS}",
    "Postsolve error": f"HiGHS's postsolve failed (its status 'Postsolve error'): {_NUMERICS}",
    "Memory limit reached": "HiGHS ran out of memory (its status 'Memory limit reached'): the "
                            "case is too large for this machine; try --relax to screen it",
}


def solver_error(term: str) -> str:
    """The plain-words message of a solve that ended in ERROR, from HiGHS's own status
    words ``term``: which status, and its likely cause.
    """
    return _ERRORS.get(term, f"HiGHS stopped without an answer (its status '{term}'); "
                             f"if it persists, {_NUMERICS}")


SOLVED_VALUES: tuple[str, ...] = tuple(s.value for s in SolveStatus if s.has_solution)
"""The stored values of the statuses with a solution (for filtering result tables)."""


def solved(values: Any) -> Any:
    """Element-wise: whether stored status values carry a solution (a pandas Series or
    any iterable of strings; returns a boolean Series or list).
    """
    if hasattr(values, "map"):
        return values.map(lambda v: SolveStatus.parse(v).has_solution).astype(bool)
    return [SolveStatus.parse(v).has_solution for v in values]
