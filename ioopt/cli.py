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
@handle_errors
def solve(case_dir: Path | None, scenario: Path | None, out_dir: Path, as_json: bool,
          time_limit: float | None, mip_gap: float | None) -> None:
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
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Parallel processes (default: the cores available).")
@click.option("--top", type=click.IntRange(min=1), default=25, show_default=True,
              help="Rows printed.")
@click.option("--time-limit", type=float, default=None, help="HiGHS time limit per solve, seconds.")
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
    from ioopt.rank import rank as rank_projects
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
    from ioopt.leontief import io_view

    view = io_view(api.load_case(case_dir))
    view.write(out_dir)
    click.echo(view.text(top))
    click.echo(f"\ntables written to {out_dir}/")


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
