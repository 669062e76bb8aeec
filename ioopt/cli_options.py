"""What the CLI's commands share: the command group that turns bad input into exit 2, the messages,
and the options used by more than one command (defined once).
"""

from __future__ import annotations

import functools
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ioopt import api, errors

EXIT_INPUT = 2
EXIT_NO_SOLUTION = 3

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]
DIR = click.Path(file_okay=False, path_type=Path)
FILE = click.Path(dir_okay=False, path_type=Path)


def say(key: str, err: bool = False, **fmt: object) -> None:
    """Print one of the CLI's messages (``cli.<key>`` in :mod:`ioopt.words`)."""
    click.echo(api.words.t(f"cli.{key}", **fmt), err=err)


def _warning_printer(seen: set[str]) -> Callable[..., None]:
    """Print each ioopt warning once, as one plain line (``warning: ...``)."""
    other = warnings.showwarning

    def show(message: Warning | str, category: type[Warning], *args: Any, **kw: Any) -> None:
        if not issubclass(category, errors.IooptWarning):
            other(message, category, *args, **kw)
        elif str(message) not in seen:
            seen.add(str(message))
            say("warning", err=True, message=message)
    return show


class Group(click.Group):
    """A command group that turns InputError into exit 2 with every problem listed."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; bad input is printed, never a traceback."""
        try:
            with warnings.catch_warnings():  # ioopt's warnings: one plain line each
                warnings.simplefilter("always", errors.IooptWarning)
                warnings.showwarning = _warning_printer(set())
                return super().invoke(ctx)
        except errors.InputError as exc:
            click.echo(api.words.problems_text(exc.problems), err=True)
            ctx.exit(EXIT_INPUT)


def no_solution(message: str | None) -> None:
    """Say why there is no solution (unless ``message`` is None) and exit 3."""
    if message is not None:
        say("error", err=True, message=message)
    sys.exit(EXIT_NO_SOLUTION)


# ------------------------------------------------------------------ shared options
def options(*decorators: Decorator) -> Decorator:
    """Several options as one decorator, in the order given."""
    return lambda fn: functools.reduce(lambda f, d: d(f), reversed(decorators), fn)


def out_option(help_text: str, default: Path | None = Path("out"), required: bool = False) -> Decorator:
    """``--out``: the folder a command writes to."""
    return click.option("--out", "out_dir", type=DIR, default=default, required=required,
                        show_default=default is not None and not required, help=help_text)


def top(default: int, help_text: str) -> Decorator:
    """``--top``: rows printed."""
    return click.option("--top", type=click.IntRange(min=1), default=default, show_default=True, help=help_text)


case_option = click.option("--case", "case_dir", type=DIR, help="Case folder (default: the embedded Tongliao case).")
case_options = options(case_option, click.option("--scenario", type=FILE,
                                                 help="Scenario YAML file applied to the case."))
"""--case and --scenario: what a command solves."""
workers_option = click.option("--workers", type=click.IntRange(min=1),
                              help="Parallel processes (default: the cores available).")
parallel_options = options(
    workers_option,
    click.option("--scheduler", help="Address of a Dask distributed scheduler (tcp://host:8786) to run on."),
    click.option("--resume", is_flag=True,
                 help="Continue an interrupted run in --out: skip the scenarios already finished."))
"""--workers, --scheduler, --resume: how a batch of solves runs."""
time_limit_option = click.option("--time-limit", type=float, help="HiGHS time limit per solve, seconds.")
lang_option = click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
                           help="Language of what is written (names come from the case).")
