"""Command-line interface: each command parses its options and calls the API.

Exit codes: 0 success; 2 bad input (every problem printed); 3 the scenario has no
solution (infeasible, unbounded, or no solution within the time limit); 1 an internal
error (a bug: please report it with the message).
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ioopt import __version__
from ioopt.errors import InputError

EXIT_INPUT = 2
EXIT_NO_SOLUTION = 3


def handle_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn InputError into exit 2 with every problem listed; never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            n = len(exc.problems)
            click.echo(f"error: {n} problem{'s' if n != 1 else ''} in the input:", err=True)
            for p in exc.problems:
                click.echo(f"  {p}", err=True)
            sys.exit(EXIT_INPUT)

    return wrapper


case_option = click.option(
    "--case", "case_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Case folder (default: the embedded Tongliao case).")
workers_option = click.option(
    "--workers", type=click.IntRange(min=1), default=None,
    help="Parallel processes (default: the cores available).")
scheduler_option = click.option(
    "--scheduler", default=None,
    help="Address of a Dask distributed scheduler (tcp://host:8786) to run on.")
resume_option = click.option(
    "--resume", is_flag=True, help="Continue an interrupted run in --out: skip the scenarios "
                                   "already finished.")
solve_time_option = click.option(
    "--time-limit", type=float, default=None, help="HiGHS time limit per solve, seconds.")
scenario_option = click.option(
    "--scenario", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Scenario YAML file applied to the case.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ioopt")
def main() -> None:
    """ioopt: input-output optimisation of regional industrial portfolios.

    Example:

    \b
        ioopt validate data/tongliao
        ioopt solve --out out/ --json
    """


@main.command()
@click.argument("case_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
@handle_errors
def validate(case_dir: Path | None) -> None:
    """Check a case folder: every problem with file, line, field, value and expectation.

    Example:

    \b
        ioopt validate data/tongliao
    """
    from ioopt.api import load_case

    case = load_case(case_dir)
    click.echo(
        f"ok: case '{case.config.name}' at {case.path}: {len(case.sectors)} sectors, "
        f"{len(case.projects)} projects, {len(case.parks)} parks, {len(case.years)} years "
        f"({case.years[0]}-{case.years[-1]})")


@main.command()
@case_option
@scenario_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out"), show_default=True, help="Folder for the result files.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
@click.option("--time-limit", type=float, default=None, help="HiGHS time limit, seconds.")
@click.option("--mip-gap", type=float, default=None, help="Relative MIP gap accepted.")
@click.option("--relax", is_flag=True,
              help="Solve the LP relaxation (build decisions may be fractional): screening "
                   "of very large cases; its objective bounds the MILP's.")
@handle_errors
def solve(case_dir: Path | None, scenario: Path | None, out_dir: Path, as_json: bool,
          time_limit: float | None, mip_gap: float | None, relax: bool) -> None:
    """Build the model, solve it with HiGHS, write the result tables.

    Writes summary.json, portfolio.csv, quotas.csv, sectors.csv and totals.csv to --out.
    Exit code 3 when the scenario has no solution (infeasible or unbounded).

    Example:

    \b
        ioopt solve --case data/tongliao --scenario configs/energy_minus_10.yaml --out out/
    """
    from ioopt import api
    from ioopt.report import text_summary

    case = api.load_case(case_dir)
    if scenario is not None:
        case = api.apply_scenario(case, scenario)
    if relax:
        case = api.relaxed(case)
    result = api.run(case, scenario=str(scenario) if scenario else None,
                     time_limit=time_limit, mip_gap=mip_gap)
    result.write(out_dir)
    if as_json:
        click.echo(json.dumps(result.summary(), indent=2, ensure_ascii=False, default=str))
    else:
        click.echo(text_summary(result))
        click.echo(f"\nresults written to {out_dir}/")
    if not result.ok:
        if not as_json:
            click.echo(f"error: {result.solve.message}", err=True)
        sys.exit(EXIT_NO_SOLUTION)


@main.command()
@case_option
@scenario_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out"), show_default=True, help="Folder for ranking.csv and the rest.")
@click.option("--exact", is_flag=True,
              help="Re-solve the MILP for every project (leave-one-out, force-in); default: "
                   "fast LP estimates.")
@click.option("--samples", type=click.IntRange(min=0), default=0, show_default=True,
              help="Sampled scenarios from the case's uncertainty ranges, for robustness.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the samples.")
@workers_option
@click.option("--top", type=click.IntRange(min=1), default=25, show_default=True,
              help="Rows printed.")
@solve_time_option
@handle_errors
def rank(case_dir: Path | None, scenario: Path | None, out_dir: Path, exact: bool, samples: int,
         seed: int, workers: int | None, top: int, time_limit: float | None) -> None:
    """Rank committed and candidate projects: why each is in or out, and what it costs.

    Writes ranking.csv (one row per project: selected, online year, leave-one-out or
    force-in value, decisive constraint, reason, robustness), ranking_quota_use.csv (each
    project's use of each quota and input at the shadow prices) and ranking_rule.txt.
    An infeasible scenario is explained as by `ioopt solve` and exits 3.

    Example:

    \b
        ioopt rank --exact --out out/rank
        ioopt rank --samples 50 --seed 1 --workers 2
    """
    from ioopt import api
    from ioopt.analyses.ranking import rank as rank_projects
    from ioopt.report import text_summary

    case = api.load_case(case_dir)
    if scenario is not None:
        case = api.apply_scenario(case, scenario)
    if samples:
        from ioopt.sampling import require_uncertainty

        require_uncertainty(case)
    result = rank_projects(case, exact=exact, samples=samples, seed=seed, workers=workers,
                           time_limit=time_limit)
    if result.base is not None and not result.base.ok:
        result.base.write(out_dir)
        click.echo(text_summary(result.base))
        click.echo(f"error: {result.base.solve.message}", err=True)
        sys.exit(EXIT_NO_SOLUTION)
    result.write(out_dir)
    click.echo(result.text(top))
    click.echo(f"\nranking written to {out_dir}/ranking.csv")


@main.command(name="io")
@case_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("out"), show_default=True, help="Folder for the io_*.csv tables.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="Sectors printed per list.")
@handle_errors
def io_command(case_dir: Path | None, out_dir: Path, top: int) -> None:
    """The input-output view: Leontief inverse, multipliers, linkages, embodied resources.

    Writes io_A.csv and io_L.csv (physical), io_A_money.csv and io_L_money.csv (CNY per
    CNY), io_sectors.csv (output, value-added, energy, CO2, water and jobs multipliers,
    direct and total; Rasmussen linkages) and io_projects.csv (each project's embodied
    energy, CO2 and water per unit and per year).

    Example:

    \b
        ioopt io --out out/io
    """
    from ioopt import api
    from ioopt.analyses.io_view import io_view

    view = io_view(api.load_case(case_dir))
    view.write(out_dir)
    click.echo(view.text(top))
    click.echo(f"\ntables written to {out_dir}/")


@main.group()
def scenario() -> None:
    """Scenario files: inspect what they change."""


@scenario.command(name="show")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@case_option
@handle_errors
def scenario_show(file: Path, case_dir: Path | None) -> None:
    """Print a scenario's effective changes to the case (inheritance resolved).

    Every override is checked against the case; the changed values are listed as
    table, row, field, base value and scenario value.

    Example:

    \b
        ioopt scenario show configs/infeasible_energy_cut.yaml
    """
    from ioopt import api
    from ioopt.scenario import load_scenario, scenario_diff

    case = api.load_case(case_dir)
    chain = load_scenario(file)
    new = api.apply_scenario(case, file)
    click.echo(f"scenario '{chain[-1][1].name}' on case '{case.config.name}' ({case.path})")
    if chain[-1][1].description:
        click.echo(f"  {chain[-1][1].description}")
    if len(chain) > 1:
        click.echo("inherits, base first: " + " -> ".join(p.name for p, _ in chain))
    click.echo("overrides:")
    for line in new.applied[len(case.applied):]:
        click.echo(f"  {line}")
    diff = scenario_diff(case, new)
    if diff.empty:
        click.echo("effective changes: none (every override sets the value the case has)")
    else:
        click.echo(f"effective changes ({len(diff)}):")
        click.echo(diff.to_string(index=False))


@main.command()
@click.argument("spec", type=click.Path(dir_okay=False, path_type=Path))
@case_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="Folder of the results store.")
@workers_option
@scheduler_option
@resume_option
@click.option("--quiet", is_flag=True, help="No progress bar.")
@handle_errors
def batch(spec: Path, case_dir: Path | None, out_dir: Path, workers: int | None,
          scheduler: str | None, resume: bool, quiet: bool) -> None:
    """Run a batch of scenarios (files, grid sweeps, samples) into a results store.

    Results go scenario by scenario to --out/runs/<id>/*.parquet, with manifest.json
    recording the ioopt version, the case's hash and each scenario's hash. A killed batch
    continues with --resume; a failing scenario is recorded and the batch goes on.
    Scenarios that change quota limits only are re-solved on the built model.

    Example:

    \b
        ioopt batch configs/batch_energy_green.yaml --out out/sweep
        ioopt query out/sweep "SELECT label, objective FROM scenarios ORDER BY objective"
        ioopt compare out/sweep
    """
    from ioopt import api
    from ioopt.batch import load_spec, run_batch

    bspec, base = load_spec(spec)
    case = api.load_case(case_dir) if case_dir is not None else None
    try:
        result = run_batch(bspec, base, out_dir, case=case, workers=workers,
                           scheduler=scheduler, resume=resume, progress=not quiet)
    except KeyboardInterrupt:
        click.echo(f"\ninterrupted: finished scenarios are kept in {out_dir}; run again with "
                   "--resume to continue", err=True)
        sys.exit(130)
    click.echo(result.text())
    if result.failed:
        sys.exit(1)


@main.command()
@click.argument("store", type=click.Path(file_okay=False, path_type=Path))
@click.argument("sql")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV instead of a table.")
@handle_errors
def query(store: Path, sql: str, as_csv: bool) -> None:
    """Query a batch results store with DuckDB SQL.

    Views: scenarios (one row per scenario: its changed inputs, status, objective,
    last-year indicators), portfolio, quotas, sectors, totals, infeasibility (one row per
    scenario x project / quota row / sector x year / year), joined on scenario_id.

    Example:

    \b
        ioopt query out/sweep "SELECT project, avg(selected::int) AS share
                               FROM portfolio GROUP BY 1 ORDER BY 2"
    """
    import pandas as pd

    from ioopt.batch import query as run_query

    frame = run_query(store, sql)
    if as_csv:
        click.echo(frame.to_csv(index=False), nl=False)
    else:
        with pd.option_context("display.max_rows", 500, "display.max_columns", 50,
                               "display.width", 200):
            click.echo(frame.to_string(index=False))


@main.command()
@click.argument("runs", nargs=-1, required=True,
                type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Folder for compare_*.csv (default: the store itself).")
@click.option("--top", type=click.IntRange(min=1), default=15, show_default=True,
              help="Rows printed per list.")
@handle_errors
def compare(runs: tuple[Path, ...], out_dir: Path | None, top: int) -> None:
    """How portfolio, shadow prices and outputs move across scenarios.

    RUNS: a batch results store, or two or more `ioopt solve` output folders. Prints and
    writes compare_selection.csv (projects selected in all, some, none), compare_indicators
    .csv (objective and last-year totals: ranges), compare_quotas.csv (where each quota
    first binds, shadow price ranges) and compare_sectors.csv.

    Example:

    \b
        ioopt compare out/sweep
        ioopt compare out/base out/energy_minus_10 --out out/cmp
    """
    from ioopt.analyses.compare import compare as run_compare

    cmp = run_compare(list(runs))
    target = out_dir or (runs[0] if len(runs) == 1 else Path("out/compare"))
    cmp.write(target)
    click.echo(cmp.text(top))
    click.echo(f"\ntables written to {target}/")


@main.command()
@click.argument("run_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["html", "xlsx", "all"]), default="all",
              show_default=True, help="What to write.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help="Language of the report (names come from the case).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Folder for the report (default: RUN_DIR).")
@click.option("--static/--no-static", default=True, show_default=True,
              help="Also write each chart as PNG and SVG in charts/ (needs Chrome/Chromium).")
@handle_errors
def report(run_dir: Path, fmt: str, lang: str, out_dir: Path | None, static: bool) -> None:
    """Turn a solve, rank, batch, curve or frontier folder into a report.

    Writes report.html (one self-contained file: headline against the plan's targets,
    supply-chain Sankey, quota use and shadow prices, portfolio timeline by park, the
    ranking with reasons; for batches the sweep, selection frequencies and heat map, the
    curve or frontier), report.xlsx (summary first, one sheet per table, units in the
    headers) and charts/*.png|svg. With --lang zh: report_zh.* with Chinese labels.

    Example:

    \b
        ioopt solve --out out/base && ioopt report out/base
        ioopt rank --out out/rank && ioopt report out/rank --lang zh
        ioopt report out/sweep --format xlsx
    """
    from ioopt.render import write_report

    files = write_report(run_dir, fmt=fmt, lang=lang, out=out_dir, static=static)
    click.echo(files.text())


def _tradeoff_case(case_dir: Path | None, scenario: Path | None) -> Any:
    from ioopt import api

    case = api.load_case(case_dir)
    return api.apply_scenario(case, scenario) if scenario is not None else case


@main.command()
@click.argument("quota")
@case_option
@scenario_option
@click.option("--year", type=int, default=None, help="Only the quota's row(s) of this year.")
@click.option("--park", default=None, help="Only the quota's row(s) of this park.")
@click.option("--from", "start", required=True,
              help="Lowest level: a change in percent (-30%) or a limit in the quota's unit.")
@click.option("--to", "stop", required=True, help="Highest level, as --from.")
@click.option("--steps", type=click.IntRange(min=2), default=13, show_default=True,
              help="Levels, evenly spaced.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Folder for curve.csv and the batch store (default: "
                                 "out/curve_<quota>).")
@workers_option
@scheduler_option
@resume_option
@solve_time_option
@handle_errors
def curve(quota: str, case_dir: Path | None, scenario: Path | None, year: int | None,
          park: str | None, start: str, stop: str, steps: int, out_dir: Path | None,
          workers: int | None, scheduler: str | None, resume: bool,
          time_limit: float | None) -> None:
    """The value curve of a quota: re-solve the MILP at each level of QUOTA.

    QUOTA is a quota family (energy_total, carbon_total, water_total, land,
    capital_total, green_share, ...). At each level: objective, portfolio changes
    (breakpoints), the value of the last step per unit of quota (re-solved, so it holds
    for MILP decisions), the fixed-portfolio shadow price, and where the quota stops
    binding. Runs as a batch (parallel, resumable); writes curve.csv beside the store.

    Example:

    \b
        ioopt curve energy_total --from -30% --to +30% --steps 13
        ioopt curve land --park nm --from 8000 --to 14000 --steps 7
    """
    from ioopt.analyses.tradeoffs import curve as run_curve

    case = _tradeoff_case(case_dir, scenario)
    out = out_dir or Path("out") / f"curve_{quota}"
    result = run_curve(case, quota, start, stop, steps, out, year=year, park=park,
                       workers=workers, scheduler=scheduler, resume=resume,
                       time_limit=time_limit)
    click.echo(result.text())
    click.echo(f"\ncurve written to {out}/curve.csv")


@main.command()
@case_option
@scenario_option
@click.option("--x", "x", default="carbon_total", show_default=True,
              help="Quota family tightened: carbon_total, energy_total or water_total.")
@click.option("--y", "y", default="objective", show_default=True,
              help="Maximised: objective, or a measure (gross_output, value_added, tax, jobs).")
@click.option("--points", type=click.IntRange(min=2), default=11, show_default=True,
              help="Levels of x tried.")
@click.option("--down-to", type=float, default=0.5, show_default=True,
              help="Tighten x down to this share of its unconstrained use.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Folder for frontier.csv and the batch store (default: "
                                 "out/frontier_<y>_<x>).")
@workers_option
@scheduler_option
@resume_option
@solve_time_option
@handle_errors
def frontier(case_dir: Path | None, scenario: Path | None, x: str, y: str, points: int,
             down_to: float, out_dir: Path | None, workers: int | None, scheduler: str | None,
             resume: bool, time_limit: float | None) -> None:
    """The efficient frontier of Y against X by the epsilon-constraint method.

    X's quota is made hard at its use in the optimum without it, then tightened step by
    step down to --down-to of that, maximising Y at each step; dominated points are
    dropped. Writes frontier.csv (every point: x over the horizon, y, efficient, the
    portfolio and its changes, y given up per unit of x cut).

    Example:

    \b
        ioopt frontier --x carbon_total --y objective --points 11
        ioopt frontier --x energy_total --y gross_output
    """
    from ioopt.analyses.tradeoffs import frontier as run_frontier

    case = _tradeoff_case(case_dir, scenario)
    out = out_dir or Path("out") / f"frontier_{y}_{x}"
    result = run_frontier(case, x, y, points, out, down_to=down_to, workers=workers,
                          scheduler=scheduler, resume=resume, time_limit=time_limit)
    click.echo(result.text())
    click.echo(f"\nfrontier written to {out}/frontier.csv")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: the files and columns; json: JSON Schema.")
def schema(fmt: str) -> None:
    """Describe the case format: every file, column, unit and meaning.

    Example:

    \b
        ioopt schema --format json > case-schema.json
    """
    from ioopt.report import schema_text
    from ioopt.schemas import case_json_schema

    if fmt == "json":
        click.echo(json.dumps(case_json_schema(), indent=2, ensure_ascii=False))
    else:
        click.echo(schema_text())


if __name__ == "__main__":  # pragma: no cover
    main()
