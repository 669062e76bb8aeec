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


# ------------------------------------------------------------ checksums


def _batch(tmp_path: Path, out: Path, *extra: str):
    import yaml

    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump({"name": "t", "case": str(Path("data/example").resolve()),
                                    "grid": [{"name": "energy",
                                              "quotas": {"family": "energy_total"},
                                              "scale": [0.9, 1.0, 1.1]}]}), encoding="utf-8")
    return _run("batch", str(spec), "--out", str(out), "--workers", "1", *extra)


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


@pytest.mark.parametrize("damage", [_flip, _truncate], ids=["flipped-byte", "truncated"])
def test_a_damaged_run_is_named_left_out_and_rerun_on_resume(tmp_path, damage):
    import json

    out = tmp_path / "store"
    r = _batch(tmp_path, out)
    assert r.exit_code == 0, r.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["checksums"]) == {"grid-0001", "grid-0002", "grid-0003"}
    assert "portfolio.parquet" in manifest["checksums"]["grid-0002"]
    damage(out / "runs" / "grid-0002" / "portfolio.parquet")

    q = _run("query", str(out), "SELECT DISTINCT scenario_id FROM portfolio ORDER BY 1")
    assert q.exit_code == 0, q.output
    assert "warning: store" in q.output and "run grid-0002 is damaged" in q.output
    assert "grid-0002/portfolio.parquet" in q.output and "Traceback" not in q.output
    rows = [line.strip() for line in q.output.splitlines() if line.strip().startswith("grid-")]
    assert rows == ["grid-0001", "grid-0003"]  # never returned as data

    c = _run("compare", str(out), "--out", str(tmp_path / "cmp"))
    assert c.exit_code == 0, c.output
    assert "run grid-0002 is damaged" in c.output and "Traceback" not in c.output

    r = _batch(tmp_path, out, "--resume")
    assert r.exit_code == 0, r.output
    assert "(1 run, 2 resumed)" in r.output
    assert "re-ran 1 scenario(s) found damaged in the store (checksum differs): grid-0002" \
        in r.output
    q = _run("query", str(out), "SELECT count(DISTINCT scenario_id) AS n FROM portfolio")
    assert "damaged" not in q.output and q.output.split()[-1] == "3"


def test_a_damaged_manifest_is_named_not_a_traceback(tmp_path):
    out = tmp_path / "store"
    assert _batch(tmp_path, out).exit_code == 0
    (out / "manifest.json").write_text('{"jobs": [', encoding="utf-8")
    q = _run("query", str(out), "SELECT 1")
    assert q.exit_code == 2, q.output
    assert "manifest.json: expected the JSON manifest ioopt writes" in q.output


# ------------------------------------------------------------ one writer at a time

HOLD = """
import sys, time
from pathlib import Path
from ioopt.batch.integrity import store_lock
with store_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(60)
"""


def test_a_second_batch_on_a_store_in_use_exits_2_naming_the_process(tmp_path):
    import os
    import subprocess
    import sys

    out = tmp_path / "store"
    env = {**os.environ, "PYTHONPATH": str(Path.cwd())}
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(out)], stdout=subprocess.PIPE,
                              text=True, env=env)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        r = _batch(tmp_path, out)
        assert r.exit_code == 2, r.output
        assert f"the store {out} is in use by process {holder.pid} since " in r.output
        assert not (out / "manifest.json").exists()
    finally:
        holder.kill()
        holder.wait()
    r = _batch(tmp_path, out)  # the lock died with its process: no stale lock
    assert r.exit_code == 0, r.output


def test_a_batch_into_a_file_is_refused(tmp_path):
    from ioopt import api
    from ioopt.errors import InputError

    out = tmp_path / "store"
    out.write_text("not a folder", encoding="utf-8")
    _batch(tmp_path, tmp_path / "first")  # writes spec.yaml
    with pytest.raises(InputError, match=r"expected a folder \(or a new name\) for the batch store"):
        api.batch(tmp_path / "spec.yaml", out, workers=1, progress=False)
    assert out.read_text(encoding="utf-8") == "not a folder"
