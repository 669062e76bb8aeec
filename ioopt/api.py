"""The façade: one function for every command, DataFrames in and out.

The CLI is a thin layer over these functions; a notebook can do all it does::

    from ioopt import api
    case = api.load("data/tongliao", "configs/energy_minus_10.yaml")   # case + scenario
    result = api.run(case)          # ioopt solve
    result.quotas                   # pandas DataFrame
    result.write("out/")
    api.rank(case).table            # ioopt rank
    api.io_view(case).sectors       # ioopt io
    api.curve(case, "energy_total", "-30%", "+30%", steps=7).table   # ioopt curve

Command -> function: validate -> :func:`validate`; solve -> :func:`load` + :func:`run`
(:func:`summary_text` for its terminal summary); rank -> :func:`rank`; io ->
:func:`io_view`; backcast -> :func:`backcast`; scenario show -> :func:`scenario_changes`; batch -> :func:`batch`; query
-> :func:`query`; compare -> :func:`compare`; report -> :func:`report` (and
:func:`read_results` for a folder's tables); curve -> :func:`curve`; frontier ->
:func:`frontier`; schema -> :func:`schema`; serve -> :func:`serve`. Each returns an object with its DataFrames, and
``write(out_dir)`` where the command writes files. Bad input raises
:class:`ioopt.errors.InputError` with every problem found.

The analyses, stores and reports are imported inside the functions that use them: they
import this module, and a solve should not pay for plotly or DuckDB.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ioopt import __version__, words
from ioopt.case import Case, load_case
from ioopt.errors import check_solver_limits
from ioopt.scenario import apply_scenario, load_scenario, scenario_diff
from ioopt.schemas import TABLES, case_json_schema

if TYPE_CHECKING:
    from ioopt.analyses.backcast import Backcast
    from ioopt.analyses.compare import Comparison
    from ioopt.analyses.io_view import IOView
    from ioopt.analyses.ranking import Ranking
    from ioopt.analyses.tradeoffs import Curve, Frontier
    from ioopt.batch import BatchResult, BatchSpec
    from ioopt.pipeline import RunResult, build, extract_tables, relaxed, run, solve
    from ioopt.render import ReportFiles
    from ioopt.render.folder import RunFolder
    from ioopt.solve_notes import SolveNotes

__all__ = ["CaseSchema", "RunResult", "ScenarioChanges", "Validation", "__version__",
           "apply_scenario", "backcast", "batch", "build", "compare", "curve", "extract_tables", "frontier",
           "io_view", "load", "load_case", "query", "rank", "read_results", "relaxed", "report",
           "run", "scenario_changes", "schema", "serve", "solve", "solve_notes", "summary_text", "table_text",
           "validate",
           "words"]

_PIPELINE = ("RunResult", "build", "extract_tables", "relaxed", "run", "solve")


def __getattr__(name: str) -> Any:
    """The single-run path (:mod:`ioopt.pipeline`: Pyomo, HiGHS) is imported when first
    used, so that ``ioopt --help`` and the commands that do not solve start quickly.
    """
    if name in _PIPELINE:
        from ioopt import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'ioopt.api' has no attribute {name!r}")

def load(case_dir: str | Path | None = None, scenario: str | Path | None = None,
         relax: bool = False) -> Case:
    """A case folder (default: the embedded case) with a scenario file applied, and with
    ``relax`` its LP relaxation: what every command that takes ``--case`` and
    ``--scenario`` starts from.
    """
    case = load_case(case_dir)
    if scenario is not None:
        case = apply_scenario(case, scenario)
    if not relax:
        return case
    from ioopt.pipeline import relaxed

    return relaxed(case)


@dataclass
class Validation:
    """A valid case (``ioopt validate``): its tables are the case's DataFrames."""

    case: Case

    def text(self) -> str:
        """The one line ``ioopt validate`` prints."""
        c = self.case
        ok = words.t("text.valid", name=c.config.name, path=c.path, sectors=len(c.sectors),
                     projects=len(c.projects), parks=len(c.parks), years=len(c.years),
                     first=c.years[0], last=c.years[-1])
        if not c.warnings:
            return ok
        return "\n".join([ok, words.t("text.warnings", n=len(c.warnings)),
                          *(f"  {w}" for w in c.warnings)])


def validate(case_dir: str | Path | None = None) -> Validation:
    """Check a case folder; InputError lists every problem (file, line, field, value)."""
    return Validation(load_case(case_dir))


def solve_notes(result: RunResult, case_dir: str | Path | None = None, against_base: bool = True,
                relax: bool = False, **kw: Any) -> SolveNotes:
    """What ``ioopt solve`` adds to the summary: why each rejected candidate is out and,
    for a scenario (``against_base``), the base case (``case_dir``, ``relax`` and the run
    options ``kw`` as the scenario's) solved and compared; ``write(out)`` writes the run
    folder of ``result`` with them in it, in one swap.
    """
    from ioopt.pipeline import run as run_case
    from ioopt.solve_notes import solve_notes as notes

    base = None
    if against_base and result.scenario and result.ok:
        base = run_case(load(case_dir, relax=relax), None, explain=False, **kw)
    return notes(result, base)


def summary_text(result: RunResult) -> str:
    """The terminal summary of a run (what ``ioopt solve`` prints)."""
    from ioopt.report import text_summary

    return text_summary(result)


def rank(case: Case, quick: bool = False, samples: int = 0, seed: int = 0,
         workers: int | None = None, time_limit: float | None = None) -> Ranking:
    """Rank the committed and candidate projects of a case (``ioopt rank``): ``.table``,
    ``.quota_use``, ``.base`` (the base run; without a solution when ``.base.ok`` is False).

    Every value is a MILP re-solve; ``quick``: the LP estimates only (bounds, no verdicts).

    ``samples``: robustness over that many samples of the case's declared uncertainty
    (InputError when it declares none).
    """
    check_solver_limits(time_limit)
    from ioopt.analyses.ranking import rank as rank_projects
    from ioopt.sampling import require_uncertainty

    if samples:
        require_uncertainty(case)
    return rank_projects(case, exact=not quick, samples=samples, seed=seed, workers=workers,
                         time_limit=time_limit)


def backcast(case: Case, time_limit: float | None = None) -> Backcast:
    """The case against its history (``ioopt backcast``): run with the decisions actually
    taken (existing and committed projects, online in their stated years) up to the last
    year of history.csv; ``.table`` has model, history and error % per indicator and
    year, ``.run`` the run behind it (explained when infeasible: ``.run.infeasibility``).
    InputError when the case has no history.csv.
    """
    check_solver_limits(time_limit)
    from ioopt.analyses.backcast import backcast as run_backcast
    from ioopt.errors import InputError, Problem

    if case.history.empty:
        raise InputError([Problem(str(case.path / "history.csv"), None, None, None,
                                  "history rows to compare with (see `ioopt schema`: "
                                  "history.csv)")])
    return run_backcast(case, time_limit=time_limit)


def io_view(case: Case, year: int | None = None) -> IOView:
    """The input-output view of a case (``ioopt io``): A and L (physical and money),
    sector multipliers and linkages, projects' embodied resources; coefficients that change
    by year are those of ``year`` (default: the base year).
    """
    from ioopt.analyses.io_view import io_view as compute

    return compute(case, year)


@dataclass
class ScenarioChanges:
    """What a scenario file changes in a case (``ioopt scenario show``)."""

    name: str
    description: str
    inherits: list[str]
    """The scenario files' names, base first (one name when it inherits nothing)."""
    overrides: list[str]
    """Each override as applied, in order."""
    diff: pd.DataFrame
    """The effective changes: table, row, field, base value, scenario value."""
    case: Case
    """The case with the scenario applied."""
    base: Case

    def text(self) -> str:
        """The changes as ``ioopt scenario show`` prints them."""
        lines = [words.t("text.scenario_on_case", name=self.name, case=self.base.config.name,
                         path=self.base.path)]
        if self.description:
            lines.append(f"  {self.description}")
        if len(self.inherits) > 1:
            lines.append(words.t("text.inherits", chain=" -> ".join(self.inherits)))
        lines.append(words.t("text.overrides"))
        lines += [f"  {words.scenario_change(line)}" for line in self.overrides]
        if self.diff.empty:
            lines.append(words.t("text.no_changes"))
        else:
            lines.append(words.t("text.changes", n=len(self.diff)))
            lines.append(self.diff.to_string(index=False))
        return "\n".join(lines)


def scenario_changes(file: str | Path, case: Case | None = None) -> ScenarioChanges:
    """A scenario's effective changes to a case (default: the embedded case), inheritance
    resolved; every override is checked against the case.
    """
    base = load_case(None) if case is None else case
    chain = load_scenario(file)
    new = apply_scenario(base, file)
    last = chain[-1][1]
    return ScenarioChanges(name=last.name, description=last.description or "",
                           inherits=[p.name for p, _ in chain],
                           overrides=list(new.applied[len(base.applied):]),
                           diff=scenario_diff(base, new), case=new, base=base)


def batch(spec: str | Path | BatchSpec, out: str | Path, case: Case | str | Path | None = None,
          workers: int | None = None, scheduler: str | None = None, resume: bool = False,
          progress: bool = True) -> BatchResult:
    """Run a batch of scenarios into a results store at ``out`` (``ioopt batch``);
    ``.scenarios`` is the scenario table. ``spec``: a batch YAML file, or a BatchSpec
    (relative paths from the working folder); ``case``: a case (or its folder) instead of
    the spec's.
    """
    from ioopt.batch import load_spec, run_batch

    if isinstance(spec, (str, Path)):
        bspec, base = load_spec(spec)
    else:
        bspec, base = spec, Path.cwd()
    if isinstance(case, (str, Path)):
        case = load_case(case)
    return run_batch(bspec, base, out, case=case, workers=workers, scheduler=scheduler,
                     resume=resume, progress=progress)


def query(store: str | Path, sql: str) -> pd.DataFrame:
    """DuckDB SQL over a results store (``ioopt query``): views scenarios, portfolio,
    quotas, sectors, totals, infeasibility.
    """
    from ioopt.batch import query as run_query

    return run_query(store, sql)


def table_text(frame: pd.DataFrame, csv: bool = False) -> str:
    """A DataFrame for the terminal (``ioopt query``): all rows up to 500, or CSV."""
    if csv:
        return frame.to_csv(index=False)
    with pd.option_context("display.max_rows", 500, "display.max_columns", 50,
                           "display.width", 200):
        return frame.to_string(index=False)


def compare(runs: Sequence[str | Path]) -> Comparison:
    """How portfolio, shadow prices and outputs move across scenarios (``ioopt compare``):
    a results store, or two or more solve output folders.
    """
    from ioopt.analyses.compare import compare as run_compare

    return run_compare([Path(r) for r in runs])


def curve(case: Case, quota: str, start: str, stop: str, steps: int = 13,
          out: str | Path | None = None, year: int | None = None, park: str | None = None,
          workers: int | None = None, scheduler: str | None = None, resume: bool = False,
          time_limit: float | None = None, progress: bool = True) -> Curve:
    """The value curve of a quota family (``ioopt curve``): ``.table`` has one row per
    level; the batch store and curve.csv go to ``out`` (default ``out/curve_<quota>``).
    ``start``/``stop``: a change in percent ('-30%') or a limit in the quota's unit.
    """
    check_solver_limits(time_limit)
    from ioopt.analyses.tradeoffs import curve as run_curve

    store = Path(out) if out is not None else Path("out") / f"curve_{quota}"
    return run_curve(case, quota, start, stop, steps, store, year=year, park=park,
                     workers=workers, scheduler=scheduler, resume=resume, progress=progress,
                     time_limit=time_limit)


def frontier(case: Case, x: str = "carbon_total", y: str = "objective", points: int = 11,
             down_to: float = 0.5, out: str | Path | None = None, workers: int | None = None,
             scheduler: str | None = None, resume: bool = False,
             time_limit: float | None = None, progress: bool = True) -> Frontier:
    """The efficient frontier of ``y`` against quota family ``x`` (``ioopt frontier``):
    ``.points`` (every point, ``efficient`` marked); the batch store and frontier.csv go to
    ``out`` (default ``out/frontier_<y>_<x>``).
    """
    check_solver_limits(time_limit)
    from ioopt.analyses.tradeoffs import frontier as run_frontier

    store = Path(out) if out is not None else Path("out") / f"frontier_{y}_{x}"
    return run_frontier(case, x, y, points, store, down_to=down_to, workers=workers,
                        scheduler=scheduler, resume=resume, progress=progress,
                        time_limit=time_limit)


def serve(case_dir: str | Path | None = None, host: str = "127.0.0.1", port: int = 8050,
          configs: str | Path | None = None) -> None:
    """Start the workbench in the browser (``ioopt serve``) and serve until stopped."""
    from ioopt.serve import serve as run_server

    run_server(case_dir, host=host, port=port, configs=None if configs is None else Path(configs))


def read_results(run_dir: str | Path) -> RunFolder:
    """A solve, rank, batch, curve or frontier folder: its kind, summary and tables."""
    from ioopt.render.folder import read_folder

    return read_folder(run_dir)


def report(run_dir: str | Path, fmt: str = "all", lang: str = "en",
           out: str | Path | None = None, static: bool = False) -> ReportFiles:
    """Write the report of a results folder (``ioopt report``): HTML, Excel workbook and
    static charts, in English or Chinese; returns what was written.
    """
    from ioopt.render import write_report

    return write_report(run_dir, fmt=fmt, lang=lang, out=out, static=static)


@dataclass
class CaseSchema:
    """The case format (``ioopt schema``)."""

    json_schema: dict[str, Any]
    """JSON Schema of the case."""
    columns: pd.DataFrame
    """One row per file and column: file, column, required, description."""

    def text(self) -> str:
        """Every file, column, unit and meaning, as ``ioopt schema`` prints it."""
        from ioopt.report import schema_text

        return schema_text()


def schema() -> CaseSchema:
    """Describe the case format: every file, column, unit and meaning."""
    rows = [{"file": spec.file, "column": name, "required": f.is_required(),
             "description": f.description or ""}
            for spec in TABLES.values() for name, f in spec.row.model_fields.items()]
    return CaseSchema(json_schema=case_json_schema(), columns=pd.DataFrame(rows))
