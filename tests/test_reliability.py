"""Bad input that used to give silently wrong answers (issue 20): NaN, infinite and huge
numbers, stale run folders, solver settings out of range, HiGHS refusals, duplicate YAML
keys and alias bombs. Each test names the class of input it guards against."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ioopt.cli import main


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


# ------------------------------------------------------------ non-finite numbers


@pytest.mark.parametrize(("cell", "expect"), [
    ("nan", "a finite number"), ("inf", "a finite number"), ("-inf", "a finite number"),
    ("1e15", "a number below 1e15"), ("3e300", "a number below 1e15")])
def test_case_table_number_must_be_finite_and_bounded(example_copy, cell, expect):
    _edit(example_copy / "projects.csv", "existing,1200,1100,,,0,0,0,0.3,0.30,",
          f"existing,1200,1100,,,0,0,0,0.3,{cell},")
    r = _run("validate", str(example_copy))
    assert r.exit_code == 2, r.output
    assert "projects.csv line 2" in r.output and "field 'fuel_tce'" in r.output
    assert expect in r.output


def test_case_yaml_number_must_be_finite(example_copy):
    _edit(example_copy / "case.yaml", "ef_grid_t_per_mwh: 0.7025", "ef_grid_t_per_mwh: .nan")
    r = _run("validate", str(example_copy))
    assert r.exit_code == 2, r.output
    assert "case.yaml" in r.output and "accounting.ef_grid_t_per_mwh" in r.output
    assert "a finite number" in r.output


@pytest.mark.parametrize(("change", "field", "expect"), [
    ("projects: [{project: coal_power_1, fuel_tce: .nan}]", "projects[0].fuel_tce",
     "a finite number"),
    ("sectors: [{sector: alumina, price_cny: .inf}]", "sectors[0].price_cny", "a finite number"),
    ("coefficients: [{input_sector: alumina, output_sector: electricity, coef: 1.0e+20}]",
     "coefficients[0].coef", "below 1e15"),
    ("quotas: [{family: energy_total, scale: .nan}]", "quotas.0.scale", "a finite number"),
    ("quotas: [{family: energy_total, set: 1.0e+16}]", "quotas.0.set", "below 1e15"),
    ("case: {objective: {discount_rate: .nan}}", "case.objective.discount_rate",
     "a finite number"),
])
def test_scenario_number_must_be_finite_and_bounded(tmp_path, change, field, expect):
    sc = tmp_path / "bad.yaml"
    sc.write_text(f"name: bad\n{change}\n", encoding="utf-8")
    r = _run("scenario", "show", str(sc), "--case", "data/example")
    assert r.exit_code == 2, r.output
    assert str(sc) in r.output and f"'{field}'" in r.output and expect in r.output
    assert "Traceback" not in r.output


# ------------------------------------------------------------ stale run folders


def test_solve_into_an_old_run_folder_replaces_it_whole(tmp_path):
    out = tmp_path / "run"
    infeasible = tmp_path / "inf.yaml"
    infeasible.write_text("name: inf\nquotas: [{family: energy_total, set: 0}]\n",
                          encoding="utf-8")
    assert _run("solve", "--case", "data/example", "--out", str(out)).exit_code == 0
    (out / "report.html").write_text("old report", encoding="utf-8")
    (out / "curve.csv").write_text("kept,1\n", encoding="utf-8")  # an analysis beside it
    (out / "sub").mkdir()
    r = _run("solve", "--case", "data/example", "--scenario", str(infeasible), "--out", str(out))
    assert r.exit_code == 3, r.output
    names = {p.name for p in out.iterdir()}
    assert names == {"summary.json", "labels.csv", "infeasibility.csv", "curve.csv", "sub"}
    assert _run("solve", "--case", "data/example", "--out", str(out)).exit_code == 0
    names = {p.name for p in out.iterdir()}
    assert "infeasibility.csv" not in names and "portfolio.csv" in names
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inf.yaml", "run"]  # no temporaries


# ------------------------------------------------------------ solver settings


@pytest.mark.parametrize(("args", "expect"), [
    (["--mip-gap", "5"], "--mip-gap: got 5.0: expected a relative gap in [0, 1)"),
    (["--mip-gap", "nan"], "--mip-gap: got nan"),
    (["--mip-gap", "-0.1"], "--mip-gap: got -0.1"),
    (["--time-limit", "-1"], "--time-limit: got -1.0: expected a finite number of seconds > 0"),
    (["--time-limit", "nan"], "--time-limit: got nan"),
    (["--time-limit", "0"], "--time-limit: got 0.0"),
    (["--time-limit", "inf"], "--time-limit: got inf"),
])
def test_solver_options_out_of_range_are_refused(tmp_path, args, expect):
    r = _run("solve", "--case", "data/example", "--out", str(tmp_path / "o"), *args)
    assert r.exit_code == 2, r.output
    assert expect in r.output
    assert not (tmp_path / "o").exists()


def test_rank_time_limit_is_checked_before_solving(tmp_path):
    r = _run("rank", "--case", "data/example", "--quick", "--time-limit", "0",
             "--out", str(tmp_path / "o"))
    assert r.exit_code == 2, r.output
    assert "--time-limit: got 0.0" in r.output


@pytest.mark.parametrize(("old", "new", "field", "expect"), [
    ("mip_gap: 0.0001", "mip_gap: 5", "solver.mip_gap", "a number < 1"),
    ("mip_gap: 0.0001", "mip_gap: .nan", "solver.mip_gap", "a finite number"),
    ("mip_gap: 0.0001", "mip_gap: 0.0001\n  time_limit_s: 0", "solver.time_limit_s", "> 0"),
    ("mip_gap: 0.0001", "mip_gap: 0.0001\n  time_limit_s: -.inf", "solver.time_limit_s",
     "a finite number"),
])
def test_case_yaml_solver_settings_are_checked(example_copy, old, new, field, expect):
    _edit(example_copy / "case.yaml", old, new)
    r = _run("validate", str(example_copy))
    assert r.exit_code == 2, r.output
    assert f"field '{field}'" in r.output and expect in r.output


# ------------------------------------------------------------ HiGHS refusals


@pytest.mark.parametrize("corrupt", ["nan_coefficient", "huge_coefficient", "nan_bound"])
def test_highs_refusal_is_an_error_in_plain_words(corrupt):
    import numpy as np

    from ioopt.case import load_case
    from ioopt.formulation import build_model
    from ioopt.solver.compile import compile_model
    from ioopt.solver.highs import HighsSession
    from ioopt.solver.status import SolveStatus

    session = HighsSession(compile_model(build_model(load_case("data/example")).pyomo))
    if corrupt == "nan_coefficient":  # HiGHS alone drops it and answers "optimal"
        session.values[0] = np.nan
    elif corrupt == "huge_coefficient":  # HiGHS alone: "HiGHS failed: Not Set"
        session.values[0] = 1e300
    else:
        session.row_upper[0] = np.nan
    res = session.solve()
    assert res.status == SolveStatus.ERROR and res.objective is None
    assert "HiGHS refused the model" in res.message and "ioopt validate" in res.message


def test_highs_error_statuses_are_explained():
    from ioopt.solver.status import solver_error

    assert "'Not Set'" in solver_error("Not Set") and "NaN" in solver_error("Not Set")
    assert "'Solve error'" in solver_error("Solve error")
    assert "units" in solver_error("Solve error")
    assert "'Something new'" in solver_error("Something new")


# ------------------------------------------------------------ YAML

BOMB = "name: bomb\na: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True))


def test_case_yaml_duplicate_key_names_file_line_and_key(example_copy):
    _edit(example_copy / "case.yaml", "solver:\n  mip_gap: 0.0001",
          "solver:\n  mip_gap: 0.0001\n  mip_gap: 0.5")
    r = _run("validate", str(example_copy))
    assert r.exit_code == 2, r.output
    assert "case.yaml line" in r.output and "field 'mip_gap'" in r.output
    assert "each key once" in r.output


@pytest.mark.parametrize(("text", "line", "key"), [
    ("name: a\ndescription: x\nname: b\n", 3, "name"),
    ("name: a\nprojects:\n  - {project: coal_power_1, fuel_tce: 0.3, fuel_tce: .nan}\n", 3,
     "fuel_tce"),
])
def test_scenario_duplicate_key(tmp_path, text, line, key):
    sc = tmp_path / "dup.yaml"
    sc.write_text(text, encoding="utf-8")
    r = _run("scenario", "show", str(sc), "--case", "data/example")
    assert r.exit_code == 2, r.output
    assert f"{sc} line {line}, field '{key}'" in r.output and "each key once" in r.output


def test_batch_spec_duplicate_key(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text("name: s\nscenarios: [a.yaml]\nexplain: false\nexplain: true\n",
                    encoding="utf-8")
    r = _run("batch", str(spec), "--case", "data/example", "--out", str(tmp_path / "o"))
    assert r.exit_code == 2, r.output
    assert "spec.yaml line 4, field 'explain'" in r.output


def test_yaml_merge_keys_may_be_overridden(tmp_path):
    from ioopt.yamlsafe import load_yaml

    assert load_yaml("base: &b {x: 1, y: 2}\nover:\n  <<: *b\n  x: 3\n")["over"] == {
        "x": 3, "y": 2}


def test_alias_bomb_fails_fast(tmp_path):
    import time

    sc = tmp_path / "bomb.yaml"
    sc.write_text(BOMB, encoding="utf-8")
    assert len(BOMB) < 400
    t0 = time.perf_counter()
    r = _run("scenario", "show", str(sc), "--case", "data/example")
    assert r.exit_code == 2, r.output
    assert "aliases (*name) are expanded" in r.output
    assert time.perf_counter() - t0 < 10


def test_solve_into_the_working_folder_replaces_only_the_run(tmp_path, monkeypatch):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "infeasibility.csv").write_text("stale", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    example = Path(__file__).resolve().parent.parent / "data" / "example"
    assert _run("solve", "--case", str(example), "--out", ".").exit_code == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert "notes.txt" in names and "portfolio.csv" in names
    assert "infeasibility.csv" not in names and not any(n.startswith(".") for n in names)


def test_a_time_limited_milp_keeps_its_shadow_prices(tmp_path):
    # HiGHS counts its time limit on a clock the MILP has used up: the fixed-integer LP
    # gets a budget of its own, so the incumbent's portfolio still has prices
    from ioopt import api, pipeline
    from ioopt.synthetic import write_synthetic_case

    case = api.load_case(write_synthetic_case(tmp_path / "syn", 3000, seed=2))
    r = pipeline.run(case, time_limit=0.3)
    if r.status.value == "optimal" or not r.status.has_solution:
        pytest.skip(f"the MILP ended {r.status.value} within 0.3 s on this machine")
    assert "best portfolio found (not proven optimal)" in r.solve.shadow_price_method
    assert r.solve.row_dual is not None
    assert r.quotas["shadow_price"].notna().any()


def test_unnamed_columns_and_multi_line_cells_are_reported_where_they_are(tmp_path):
    import shutil

    from ioopt import api
    from ioopt.errors import InputError
    from tests.conftest import REF

    # a trailing comma (spreadsheet exports) makes an unnamed column: say so
    dst = tmp_path / "a"
    shutil.copytree(REF / "ref1_energy", dst)
    q = dst / "quotas.csv"
    q.write_text(q.read_text(encoding="utf-8").replace(
        "family,year,park,limit,unit,source", "family,year,park,limit,unit,source,"),
        encoding="utf-8")
    with pytest.raises(InputError) as err:
        api.load_case(dst)
    assert "field 'column 7'" in str(err.value) and "trailing comma" in str(err.value)
    # a quoted cell over two lines: the bad row after it is named by its own line
    dst = tmp_path / "b"
    shutil.copytree(REF / "ref1_energy", dst)
    p = dst / "projects.csv"
    lines = p.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("reference: 5000 CNY per tce", '"reference: 5000\nCNY per tce"')
    lines[2] = lines[2].replace(",1,1,4,", ",lots,1,4,")
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        api.load_case(dst)
    assert "projects.csv line 4, field 'capacity_10k'" in str(err.value)
