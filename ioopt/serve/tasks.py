"""Deeper questions in the background: the exact ranking, a quota's value curve, the
output-CO2 frontier. Each runs in a process of its own (the page stays responsive, and
Cancel ends it), on the scenario as the page had it when it started (written to a file
in the session's folder); the page polls :meth:`Task.poll`.
"""

from __future__ import annotations

import atexit
import multiprocessing as mp
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

KINDS = ("rank", "curve", "frontier")
_RUNNING: list[Any] = []
"""Every task process started here: ended when the server stops."""


@atexit.register
def _end_tasks() -> None:
    for proc in _RUNNING:
        if proc.is_alive():
            proc.terminate()


def _work(kind: str, case_dir: str, scenario: str, out: str, params: dict[str, Any],
          conn: Any) -> None:
    """The task itself, in the child process: its table (or the error) sent back."""
    try:
        from ioopt import api

        case = api.load(case_dir, scenario)
        if kind == "rank":
            table = api.rank(case, workers=1).table
        elif kind == "curve":
            table = api.curve(case, params["quota"], params["start"], params["stop"],
                              steps=int(params["steps"]), out=out, workers=1,
                              progress=False).table
        else:
            table = api.frontier(case, points=int(params["steps"]), out=out, workers=1,
                                 progress=False).points
        conn.send(("done", table))
    except Exception as exc:  # the page shows it in words; the CLI would have said the same
        from ioopt import words
        from ioopt.errors import InputError

        conn.send(("failed", words.problems_text(exc.problems, str(params.get("lang", "en")))
                   if isinstance(exc, InputError) else
                   f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"))
    finally:
        conn.close()


@dataclass
class Task:
    """A running or finished deeper question."""

    kind: str
    stamp: int
    """The session's answer it was started on (stale when the page moved on)."""
    out: Path
    started: float = field(default_factory=time.monotonic)
    state: str = "running"
    """running, done, failed or cancelled."""
    table: pd.DataFrame | None = None
    error: str = ""
    ended: float | None = None
    steps: int = 0
    _proc: Any = None
    _conn: Any = None

    def poll(self) -> str:
        """The task's state, its result taken in when it has finished."""
        if self.state != "running":
            return self.state
        if self._conn is not None and self._conn.poll():
            try:
                self.state, payload = self._conn.recv()
            except EOFError:
                self.state, payload = "failed", "the task's process ended without an answer"
            if self.state == "done":
                self.table = payload
            else:
                self.error = str(payload)
            self.ended = time.monotonic()
            self._proc.join(timeout=5)
        elif self._proc is not None and not self._proc.is_alive():
            self.state, self.error = "failed", f"the task's process ended (exit {self._proc.exitcode})"
            self.ended = time.monotonic()
        return self.state

    def cancel(self) -> None:
        """End the task's process (its folder keeps what it wrote)."""
        if self.state == "running" and self._proc is not None:
            self._proc.terminate()
            self._proc.join(timeout=5)
            self.state, self.ended = "cancelled", time.monotonic()

    @property
    def seconds(self) -> float:
        """How long it has run (or ran)."""
        return (self.ended or time.monotonic()) - self.started

    def progress(self) -> tuple[int, int] | None:
        """(solves done, solves in all) of a curve or frontier (its store's runs)."""
        if self.kind == "rank" or not self.steps:
            return None
        runs = self.out / "runs"
        done = len(list(runs.iterdir())) if runs.is_dir() else 0
        return min(done, self.steps), self.steps


def start(kind: str, case_dir: Path, scenario: Path, out: Path, stamp: int,
          params: dict[str, Any] | None = None) -> Task:
    """Start a task in a new process (spawned: nothing of the server's state is shared)."""
    if kind not in KINDS:
        raise ValueError(f"task must be one of {KINDS}, not {kind!r}")
    params = dict(params or {})
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_work, args=(kind, str(case_dir), str(scenario), str(out), params,
                                           child), daemon=False)
    proc.start()
    _RUNNING.append(proc)
    child.close()
    return Task(kind=kind, stamp=stamp, out=out, steps=int(params.get("steps", 0)),
                _proc=proc, _conn=parent)
