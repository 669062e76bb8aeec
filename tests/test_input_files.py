"""Case files that are not what they claim (issue 20): many duplicate rows, FIFOs,
devices, folders and oversized files in place of a table, scenarios that inherit from
outside their folder. Each test names the class of input it guards against."""

from __future__ import annotations

from pathlib import Path

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
