"""Results folders and batch stores against stale files, corruption and concurrent
writers (issue 20). Each test names the class of damage it guards against."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ioopt.cli import main


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def _old_solve(out: Path) -> None:
    assert _run("solve", "--case", "data/example", "--out", str(out)).exit_code == 0
    (out / "report.html").write_text("old report", encoding="utf-8")


# ------------------------------------------------------------ stale folders


def test_rank_into_an_old_solve_folder_replaces_it_whole(tmp_path):
    out = tmp_path / "run"
    _old_solve(out)
    (out / "portfolio.csv").write_text("stale\n", encoding="utf-8")
    r = _run("rank", "--case", "data/example", "--quick", "--workers", "1", "--out", str(out))
    assert r.exit_code == 0, r.output
    assert not (out / "report.html").exists()
    assert (out / "portfolio.csv").read_text(encoding="utf-8") != "stale\n"
    assert (out / "ranking.csv").is_file() and (out / "ranking_rule.txt").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # no temporaries


@pytest.mark.parametrize("command", ["curve", "frontier"])
def test_a_batch_into_an_old_solve_folder_replaces_the_solve(tmp_path, command):
    out = tmp_path / "run"
    _old_solve(out)
    args = (["curve", "energy_total", "--from", "-10%", "--to", "0%", "--steps", "2"]
            if command == "curve" else ["frontier", "--points", "2"])
    r = _run(*args, "--case", "data/example", "--workers", "1", "--out", str(out))
    assert r.exit_code == 0, r.output
    names = {p.name for p in out.iterdir()}
    assert {"manifest.json", "runs", "labels.csv", f"{command}.csv"} <= names
    assert not names & {"summary.json", "portfolio.csv", "report.html", "flows.csv"}, names
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]
