"""Command-line interface: each command parses its options, calls :mod:`ioopt.api` (nothing else of
ioopt is imported here but :mod:`ioopt.cli_options`) and prints what it returns; options shared by
commands are defined once.

Shared options and messages live in :mod:`ioopt.cli_options`.

Exit codes: 0 success; 2 bad input (every problem printed); 3 the scenario has no solution (infeasible,
unbounded, or no solution within the time limit); 1 an internal error (a bug: please report it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from ioopt import api
from ioopt.cli_options import (
    DIR,
    FILE,
    Group,
    case_option,
    case_options,
    lang_option,
    no_solution,
    out_option,
    parallel_options,
    say,
    time_limit_option,
    top,
    workers_option,
)


# ------------------------------------------------------------------ commands
@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(api.__version__, prog_name="ioopt")
def main() -> None:
    """ioopt: input-output optimisation of regional industrial portfolios.

    \b
    Example:
        ioopt validate data/tongliao
        ioopt solve --out out/ --json
    """


@main.command()
@click.argument("case_dir", required=False, type=DIR)
def validate(case_dir: Path | None) -> None:
    """Check a case folder: every problem with file, line, field, value and expectation.

    \b
    Example:
        ioopt validate data/tongliao
    """
    click.echo(api.validate(case_dir).text())


@main.command()
@case_options
@out_option("Folder for the result files.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
@time_limit_option
@click.option("--mip-gap", type=float, help="Relative MIP gap accepted.")
@click.option("--relax", is_flag=True, help="Solve the LP relaxation (build decisions may be fractional): "
              "screening of very large cases; its objective bounds the MILP's.")
@click.option("--against-base/--no-against-base", default=True, show_default=True,
              help="With --scenario: also solve the case without it and say what changed (kept in --out/base).")
def solve(case_dir: Path | None, scenario: Path | None, out_dir: Path, as_json: bool, relax: bool,
          against_base: bool, **kw: Any) -> None:
    """Build the model, solve it with HiGHS, write the result tables.

    Writes summary.json, portfolio.csv, quotas.csv, sectors.csv, totals.csv, rejected.csv (why each rejected candidate
    is out; and backcast.csv: the case against its history.csv) to --out; with --scenario also against_*.csv (the
    scenario against the base). Exit code 3 when the scenario has no solution (infeasible or unbounded).

    \b
    Example:
        ioopt solve --case data/tongliao --scenario configs/energy_minus_10.yaml --out out/
    """
    result = api.run(api.load(case_dir, scenario, relax=relax), str(scenario) if scenario else None, backcast=True,
                     **kw)
    notes = api.solve_notes(result, case_dir, against_base and scenario is not None, relax=relax, **kw)
    notes.write(out_dir)  # the run and its notes, swapped in whole
    if as_json:
        click.echo(json.dumps(result.summary(), indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(api.summary_text(result) + notes.text())
        say("results_written", out=out_dir)
    if not result.ok:
        no_solution(None if as_json else result.solve.message)


@main.command()
@case_options
@out_option("Folder for ranking.csv and the rest.")
@click.option("--quick", is_flag=True, help="LP estimates only (every other build decision held): bounds "
              "('at most'), no verdicts; default: the MILP re-solved for every project.")
@click.option("--samples", type=click.IntRange(min=0), default=0, show_default=True,
              help="Sampled scenarios from the case's uncertainty ranges, for robustness.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the samples.")
@workers_option
@top(25, "Rows printed.")
@time_limit_option
def rank(case_dir: Path | None, scenario: Path | None, out_dir: Path, top: int, **kw: Any) -> None:
    """Rank committed and candidate projects: why each is in or out, and what it costs.

    Writes ranking.csv (per project: selected, online year, leave-one-out or force-in value, decisive constraint,
    reason, robustness), ranking_quota_use.csv and ranking_rule.txt. An infeasible scenario is explained; exit 3.

    \b
    Example:
        ioopt rank --out out/rank
        ioopt rank --quick
        ioopt rank --samples 50 --seed 1 --workers 2
    """
    result = api.rank(api.load(case_dir, scenario), **kw)
    if result.base is not None and not result.base.ok:
        result.base.write(out_dir)
        click.echo(api.summary_text(result.base))
        no_solution(result.base.solve.message)
    result.write(out_dir)
    click.echo(result.text(top))
    say("ranking_written", out=out_dir)


@main.command()
@case_option
@out_option("Folder for backcast.csv (none written without it).", default=None)
@lang_option
@time_limit_option
def backcast(case_dir: Path | None, out_dir: Path | None, lang: str, time_limit: float | None) -> None:
    """The case against its history.csv, run with existing and committed projects only (exit code 3: no solution).

    \b
    Example:
        ioopt backcast --out out/backcast --lang zh
    """
    result = api.backcast(api.load(case_dir), time_limit=time_limit)
    click.echo(result.text(lang))
    if out_dir is not None:
        say("tables_written", out=result.write(out_dir).parent)
    if not result.ok:
        no_solution(None)


@main.command(name="io")
@case_option
@out_option("Folder for the io_*.csv tables.")
@top(10, "Sectors printed per list.")
def io_command(case_dir: Path | None, out_dir: Path, top: int) -> None:
    """The input-output view: Leontief inverse, multipliers, linkages, embodied resources.

    Writes io_A.csv, io_L.csv (physical), io_A_money.csv, io_L_money.csv (CNY per CNY), io_sectors.csv (multipliers,
    direct and total; Rasmussen linkages) and io_projects.csv (each project's embodied energy, CO2 and water).

    \b
    Example:
        ioopt io --out out/io
    """
    view = api.io_view(api.load(case_dir))
    view.write(out_dir)
    click.echo(view.text(top))
    say("tables_written", out=out_dir)


@main.group(cls=Group)
def scenario() -> None:
    """Scenario files: inspect what they change.

    \b
    Example:
        ioopt scenario show configs/energy_minus_10.yaml
    """


@scenario.command(name="show")
@click.argument("file", type=FILE)
@case_option
def scenario_show(file: Path, case_dir: Path | None) -> None:
    """Print a scenario's effective changes to the case (inheritance resolved).

    Every override is checked against the case; changes are listed as table, row, field, base and scenario value.

    \b
    Example:
        ioopt scenario show configs/infeasible_energy_cut.yaml
    """
    click.echo(api.scenario_changes(file, api.load(case_dir)).text())


@main.command()
@click.argument("spec", type=FILE)
@case_option
@out_option("Folder of the results store.", default=None, required=True)
@parallel_options
@click.option("--quiet", is_flag=True, help="No progress bar.")
def batch(spec: Path, case_dir: Path | None, out_dir: Path, quiet: bool, **kw: Any) -> None:
    """Run a batch of scenarios (files, grid sweeps, samples) into a results store.

    Results go scenario by scenario to --out/runs/<id>/*.parquet, with manifest.json (ioopt version, case and scenario
    hashes). A killed batch continues with --resume; a failing scenario is recorded and the batch goes on.

    \b
    Example:
        ioopt batch configs/batch_energy_green.yaml --out out/sweep
        ioopt query out/sweep "SELECT label, objective FROM scenarios ORDER BY objective"
        ioopt compare out/sweep
    """
    try:
        result = api.batch(spec, out_dir, case=case_dir, progress=not quiet, **kw)
    except KeyboardInterrupt:
        say("interrupted", err=True, out=out_dir)
        sys.exit(130)
    click.echo(result.text())
    if result.failed:
        sys.exit(1)


@main.command()
@click.argument("store", type=DIR)
@click.argument("sql")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV instead of a table.")
def query(store: Path, sql: str, as_csv: bool) -> None:
    """Query a batch results store with DuckDB SQL.

    Views: scenarios (one row per scenario), portfolio, quotas, sectors, totals, infeasibility (joined on scenario_id).

    \b
    Example:
        ioopt query out/sweep "SELECT project, avg(selected::int) AS share FROM portfolio GROUP BY 1 ORDER BY 2"
    """
    click.echo(api.table_text(api.query(store, sql), csv=as_csv), nl=not as_csv)


@main.command()
@click.argument("runs", nargs=-1, required=True, type=click.Path(file_okay=False, exists=True, path_type=Path))
@out_option("Folder for compare_*.csv (default: the store itself).", default=None)
@top(15, "Rows printed per list.")
def compare(runs: tuple[Path, ...], out_dir: Path | None, top: int) -> None:
    """How portfolio, shadow prices and outputs move across scenarios.

    RUNS: a batch store, or two or more `ioopt solve` folders; two runs are shown as base -> scenario. Writes
    compare_{selection,indicators,quotas,sectors}.csv (and compare_changes_*.csv for two) and compare.json:
    `ioopt report` reads the folder.

    \b
    Example:
        ioopt compare out/sweep
        ioopt compare out/base out/energy_minus_10 --out out/cmp
    """
    cmp = api.compare(runs)
    target = out_dir or (runs[0] if len(runs) == 1 else Path("out/compare"))
    cmp.write(target)
    click.echo(cmp.text(top))
    say("tables_written", out=target)


@main.command()
@click.argument("run_dir", type=DIR)
@click.option("--format", "fmt", type=click.Choice(["html", "xlsx", "all"]), default="all", help="What to write (all).")
@lang_option
@out_option("Folder for the report (default: RUN_DIR).", default=None)
@click.option("--static/--no-static", default=False, show_default=True,
              help="Also write each chart as PNG and SVG in charts/ (slower: needs Chrome/Chromium).")
def report(run_dir: Path, fmt: str, lang: str, out_dir: Path | None, static: bool) -> None:
    """Turn a solve, rank, batch, curve, frontier, compare or io folder into a report.

    Writes report.html (self-contained: targets, Sankey, quotas and shadow prices, portfolio timeline, history, ranking;
    for batches the sweep and selection, the curve or frontier), report.xlsx and, with --static, charts/*.png|svg;
    report_zh.* in zh.

    \b
    Example:
        ioopt report out/base
        ioopt report out/rank --lang zh
        ioopt report out/sweep --format xlsx
    """
    click.echo(api.report(run_dir, fmt=fmt, lang=lang, out=out_dir, static=static).text())


@main.command()
@click.argument("quota")
@case_options
@click.option("--year", type=int, help="Only the quota's row(s) of this year.")
@click.option("--park", help="Only the quota's row(s) of this park.")
@click.option("--from", "start", required=True,
              help="Lowest level: a change in percent (-30%) or a limit in the quota's unit.")
@click.option("--to", "stop", required=True, help="Highest level, as --from.")
@click.option("--steps", type=click.IntRange(min=2), default=13, show_default=True, help="Levels, evenly spaced.")
@out_option("Folder for curve.csv and the batch store (default: out/curve_<quota>).", default=None)
@parallel_options
@time_limit_option
def curve(quota: str, case_dir: Path | None, scenario: Path | None, out_dir: Path | None, **kw: Any) -> None:
    """The value curve of a quota: re-solve the MILP at each level of QUOTA.

    QUOTA: a quota family (energy_total, land, ...); at each level objective, breakpoints, step value. Writes curve.csv.

    \b
    Example:
        ioopt curve energy_total --from -30% --to +30% --steps 13
        ioopt curve land --park nm --from 8000 --to 14000 --steps 7
    """
    result = api.curve(api.load(case_dir, scenario), quota, out=out_dir, **kw)
    click.echo(result.text())
    say("curve_written", out=result.batch.out)


@main.command()
@case_options
@click.option("--x", "x", default="carbon_total", show_default=True,
              help="Quota family tightened: carbon_total, energy_total or water_total.")
@click.option("--y", "y", default="objective", show_default=True,
              help="Maximised: objective, or a measure (gross_output, value_added, tax, jobs).")
@click.option("--points", type=click.IntRange(min=2), default=11, show_default=True, help="Levels of x tried.")
@click.option("--down-to", type=float, default=0.5, show_default=True,
              help="Tighten x down to this share of its unconstrained use.")
@out_option("Folder for frontier.csv and the batch store (default: out/frontier_<y>_<x>).", default=None)
@parallel_options
@time_limit_option
def frontier(case_dir: Path | None, scenario: Path | None, out_dir: Path | None, **kw: Any) -> None:
    """The efficient frontier of Y against X by the epsilon-constraint method.

    X is tightened from its use in the optimum without it down to --down-to of that, maximising Y. Writes frontier.csv.

    \b
    Example:
        ioopt frontier --x carbon_total --y objective --points 11
        ioopt frontier --x energy_total --y gross_output
    """
    result = api.frontier(api.load(case_dir, scenario), out=out_dir, **kw)
    click.echo(result.text())
    say("frontier_written", out=result.batch.out)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: the files and columns; json: JSON Schema.")
def schema(fmt: str) -> None:
    """Describe the case format: every file, column, unit and meaning.

    \b
    Example:
        ioopt schema --format json > case-schema.json
    """
    described = api.schema()
    click.echo(json.dumps(described.json_schema, indent=2, ensure_ascii=False) if fmt == "json" else described.text())


@main.command()
@case_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (other machines reach it only if you give one of its addresses or 0.0.0.0).")
@click.option("--port", type=click.IntRange(1, 65535), default=8050, show_default=True, help="Port.")
@click.option("--configs", type=DIR, help="Folder of scenario files the page can load by name "
              "(default: the case's configs/, else ./configs).")
def serve(case_dir: Path | None, host: str, port: int, configs: Path | None) -> None:
    """A planner's workbench in the browser: quotas, forces and switches on the left, the answer on the right.

    \b
    Example:
        ioopt serve --port 8050     # then open http://127.0.0.1:8050/
    """
    api.serve(case_dir, host=host, port=port, configs=configs)


if __name__ == "__main__":  # pragma: no cover
    main()
