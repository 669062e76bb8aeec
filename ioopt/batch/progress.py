"""The batch progress line on stderr."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from ioopt.solver.status import SolveStatus


class Progress:
    """done/total, failures, scenarios stopped at their time limit, elapsed and ETA on
    stderr: one updating line on a terminal, a line every 10 % otherwise.
    """

    def __init__(self, total: int, skipped: int, stream: TextIO | None = None,
                 enabled: bool = True) -> None:
        self.total, self.done, self.failed = total, skipped, 0
        self.time_limit = 0
        self.skipped = skipped
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = self.stream.isatty()
        self.t0 = time.perf_counter()
        self._last_decile = -1

    def update(self, status: SolveStatus) -> None:
        """One more job done, with this status."""
        self.done += 1
        self.failed += int(status == SolveStatus.ERROR)
        self.time_limit += int(status.stopped_early)
        if not self.enabled:
            return
        decile = int(10 * self.done / max(self.total, 1))
        if self.tty:
            self.stream.write("\r" + self.line())
            self.stream.flush()
        elif decile != self._last_decile or self.done == self.total:
            self._last_decile = decile
            self.stream.write(self.line() + "\n")

    def line(self) -> str:
        """The progress line."""
        el = time.perf_counter() - self.t0
        ran = self.done - self.skipped
        left = self.total - self.done
        eta = el / ran * left if ran else float("nan")
        width = 24
        fill = int(width * self.done / max(self.total, 1))
        bar = "#" * fill + "." * (width - fill)
        resumed = f" ({self.skipped} resumed)" if self.skipped else ""
        limited = f", {self.time_limit} at time limit" if self.time_limit else ""
        eta_text = "-" if eta != eta else f"{eta:,.0f} s"
        return (f"[{bar}] {self.done}/{self.total} done{resumed}, {self.failed} failed"
                f"{limited}, {el:,.0f} s elapsed, ETA {eta_text}")

    def close(self) -> None:
        """End the updating line."""
        if self.enabled and self.tty:
            self.stream.write("\n")
