"""Problems found in user input, collected rather than thrown one at a time."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One problem in an input file: where it is, what was found, what was expected.

    ``line`` is the line number in the file as an editor shows it (the header of a CSV
    is line 1, its first data row line 2); ``None`` for whole-file or whole-table problems.
    """

    file: str
    line: int | None
    field: str | None
    value: Any
    expected: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file} line {self.line}"
        if self.field:
            where += f", field '{self.field}'"
        got = "" if self.value is None else f": got {self.value!r}"
        return f"{where}{got}: expected {self.expected}"


class InputError(Exception):
    """Bad user input: a case or scenario with one or more problems.

    The CLI prints every problem and exits with code 2, never a traceback.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def check_solver_limits(time_limit: float | None = None, mip_gap: float | None = None,
                        names: tuple[str, str] = ("--time-limit", "--mip-gap")) -> None:
    """Raise InputError unless the time limit (seconds) is finite and > 0 and the MIP gap
    is in [0, 1) (None: not given); ``names`` name them in the message (by default the
    command-line options).
    """
    problems = []
    if time_limit is not None and not (math.isfinite(time_limit) and time_limit > 0):
        problems.append(Problem(names[0], None, None, time_limit,
                                "a finite number of seconds > 0 (leave it out for no limit)"))
    if mip_gap is not None and not (math.isfinite(mip_gap) and 0 <= mip_gap < 1):
        problems.append(Problem(names[1], None, None, mip_gap,
                                "a relative gap in [0, 1), e.g. 0.001 for 0.1 % (a gap of 1 "
                                "or more reports any solution found as optimal)"))
    if problems:
        raise InputError(problems)


class IooptWarning(UserWarning):
    """A warning ioopt shows the user as one plain line (the CLI: ``warning: ...``)."""


class DamagedResults(IooptWarning):
    """Results on disk that fail their checksum: left out of what is read, and named."""


class NumericRange(IooptWarning):
    """Model numbers outside the ranges HiGHS handles well (ioopt.solver.numerics)."""
