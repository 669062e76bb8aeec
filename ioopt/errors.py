"""Problems found in user input, collected rather than thrown one at a time."""

from __future__ import annotations

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
