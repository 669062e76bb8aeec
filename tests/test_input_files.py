"""Case files that are not what they claim (issue 20): many duplicate rows, FIFOs,
devices, folders and oversized files in place of a table, scenarios that inherit from
outside their folder. Each test names the class of input it guards against."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ioopt.cli import main


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


# ------------------------------------------------------------ many duplicate rows


def test_many_duplicate_rows_are_reported_briefly(example_copy):
    path = example_copy / "coefficients.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [lines[1]] * 100_000) + "\n", encoding="utf-8")
    r = _run("validate", str(example_copy))
    assert r.exit_code == 2, r.output[-2000:]
    assert "Traceback" not in r.output
    out = r.output.splitlines()
    assert len(out) < 20, r.output[:3000]
    assert "coefficients.csv line 15, field 'input_sector/output_sector/year'" in r.output
    assert "already on line 2" in r.output
    assert "and 99,990 more rows repeat a key" in r.output


# ------------------------------------------------------------ not a regular file


def _fifo(path: Path) -> None:
    import os

    path.unlink(missing_ok=True)
    os.mkfifo(path)


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _dev_zero(path: Path) -> None:
    path.unlink()
    path.symlink_to("/dev/zero")


@pytest.mark.parametrize("make", [_fifo, _folder, _dev_zero])
@pytest.mark.parametrize("name", ["projects.csv", "case.yaml"])
def test_a_case_file_that_is_not_a_regular_file_is_refused(example_copy, make, name):
    make(example_copy / name)
    from ioopt.case import load_case
    from ioopt.errors import InputError

    with pytest.raises(InputError) as exc:  # returns: a FIFO is never opened
        load_case(example_copy)
    text = str(exc.value)
    assert f"{name}: expected a regular file (this is " in text, text


def test_a_fifo_as_an_optional_table_is_refused_by_the_cli(example_copy):
    _fifo(example_copy / "markets.csv")
    r = _run("validate", str(example_copy))
    assert r.exit_code == 2, r.output
    assert "markets.csv: expected a regular file (this is a FIFO (named pipe))" in r.output


def test_an_input_over_the_size_limit_is_refused(example_copy, monkeypatch):
    import ioopt.case

    size = (example_copy / "projects.csv").stat().st_size
    monkeypatch.setattr(ioopt.case, "MAX_INPUT_BYTES", size - 1)
    r = _run("validate", str(example_copy))
    assert r.exit_code == 2, r.output
    assert "projects.csv: got '0 MB': expected a file of at most 0 MB" in r.output


def test_a_scenario_that_is_a_fifo_is_refused(tmp_path):
    sc = tmp_path / "s.yaml"
    _fifo(sc)
    r = _run("scenario", "show", str(sc), "--case", "data/example")
    assert r.exit_code == 2, r.output
    assert f"{sc}: expected a regular file (this is a FIFO" in r.output


# ------------------------------------------------------------ inherits: confined


@pytest.mark.parametrize("target", ["/etc/passwd", "../outside.yaml", "sub/../../outside.yaml"])
def test_inherits_outside_the_scenario_folder_is_refused(tmp_path, target):
    folder = tmp_path / "scen"
    (folder / "sub").mkdir(parents=True)
    (tmp_path / "outside.yaml").write_text("name: SECRET-CONTENT\n", encoding="utf-8")
    sc = folder / "s.yaml"
    sc.write_text(f"name: s\ninherits: {target}\n", encoding="utf-8")
    r = _run("scenario", "show", str(sc), "--case", "data/example")
    assert r.exit_code == 2, r.output
    assert f"{sc}, field 'inherits': got '{target}': expected a scenario file in this " \
           "scenario's folder or below it" in r.output
    assert "SECRET" not in r.output and "root:" not in r.output


def test_inherits_below_the_scenario_folder_is_allowed(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "base.yaml").write_text(
        "name: base\nquotas: [{family: energy_total, scale: 0.9}]\n", encoding="utf-8")
    sc = tmp_path / "s.yaml"
    sc.write_text("name: s\ninherits: sub/base.yaml\n", encoding="utf-8")
    r = _run("scenario", "show", str(sc), "--case", "data/example")
    assert r.exit_code == 0, r.output


# ------------------------------------------------------------ numerics (a warning)


def test_a_coefficient_out_of_range_is_a_warning_naming_row_and_column(example_copy, tmp_path):
    import json

    path = example_copy / "coefficients.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("electricity,primary_al,13.0,", "electricity,primary_al,1.3e8,"),
                    encoding="utf-8")
    r = _run("solve", "--case", str(example_copy), "--out", str(tmp_path / "o"))
    assert r.exit_code == 3, r.output  # the smelter now needs 10,000 times the power
    assert "Traceback" not in r.output
    assert "warning: numerics: 30 matrix entries outside 1e-07 <= |value| <= 1e+07" in r.output
    assert "chain_balance[electricity,2021] x x[smelter_1,2021] = -1.3e+08" in r.output
    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert summary["numerics"][0].startswith("numerics: 30 matrix entries")


def test_the_example_case_has_no_numerics_warning(tmp_path):
    r = _run("solve", "--case", "data/example", "--out", str(tmp_path / "o"))
    assert r.exit_code == 0 and "numerics" not in r.output


# ------------------------------------------------------------ found by tests/test_fuzz.py


@pytest.mark.parametrize("value", ["''", "abc"])
def test_scenario_text_in_a_number_field_is_named(tmp_path, value):
    sc = tmp_path / "s.yaml"
    sc.write_text(f"name: s\nprojects: [{{project: smelter_1, min_util: {value}}}]\n",
                  encoding="utf-8")
    r = _run("scenario", "show", str(sc), "--case", "data/example")
    assert r.exit_code == 2, r.output
    assert f"{sc}, field 'projects[smelter_1].min_util'" in r.output
    assert "Traceback" not in r.output
