"""Batches: what-if re-solves in place, the results store, resume after kill -9, Dask,
the clear error for bad override keys, compare and query."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from ioopt import api
from ioopt.analyses.compare import compare
from ioopt.analyses.whatif import WhatIf
from ioopt.batch import Job, chunks, load_spec, query, read_table, run_batch
from ioopt.cli import main
from ioopt.errors import InputError
from ioopt.scenario import QuotaChange, Scenario, apply_overrides
from ioopt.synthetic import write_synthetic_case
from tests.conftest import EXAMPLE, ROOT

EXE = Path(sys.executable).parent / "ioopt"


def _spec(tmp_path: Path, body: dict, name: str = "spec.yaml") -> Path:
    p = tmp_path / name
    p.write_text(yaml.safe_dump({"name": "t", "case": str(EXAMPLE), **body}), encoding="utf-8")
    return p


GRID = {"grid": [
    {"name": "energy", "quotas": {"family": "energy_total"}, "scale": [0.7, 0.85, 1.0, 1.2]},
    {"name": "capital", "quotas": {"family": "capital_total"}, "set": [300, 500]},
]}


# ----------------------------------------------------------- in-place re-solves

CHANGES = [
    QuotaChange(family="energy_total", scale=0.8),
    QuotaChange(family="energy_intensity", set=2.5),
    QuotaChange(family="carbon_total", scale=0.6),
    QuotaChange(family="water_total", scale=0.5),
    QuotaChange(family="green_share", set=0.4),
    QuotaChange(family="land", park="naiman", set=10000),
    QuotaChange(family="capital_total", set=420),
    QuotaChange(family="energy_total", scale=1.0),  # back to the base limits
]


@pytest.mark.parametrize("relax", [False, True], ids=["milp", "lp-hot-start"])
def test_in_place_resolve_equals_rebuild(relax):
    """Every quota family moved in place gives the rebuilt model's answer: status,
    objective, limits, use and shadow prices (MILP: the changed model passed whole; LP
    relaxation: rows changed on the instance, re-solved from the previous basis)."""
    case = api.load_case(EXAMPLE)
    if relax:
        case = api.relaxed(case)
    session = WhatIf(case)
    cumulative = case
    for i, change in enumerate(CHANGES):
        cumulative = apply_overrides(cumulative, Scenario(name=f"s{i}", quotas=[change]), "t")
        fast = session.run(cumulative)
        slow = api.run(cumulative)
        assert session.fast_runs == i + 1, "a limit-only change must not rebuild"
        assert fast.status == slow.status
        assert fast.solve.objective == pytest.approx(slow.solve.objective, rel=1e-7)
        # an LP may have several optimal plans: the hot start may land on another one
        cols = ["name", "year", "park", "limit"] + ([] if relax else ["used", "binding"])
        pd.testing.assert_frame_equal(fast.quotas[cols], slow.quotas[cols], atol=1e-6)
        hard = fast.quotas[fast.quotas["mode"] == "hard"]
        over = np.where(hard["sense"] == "<=", hard["used"] - hard["limit"],
                        hard["limit"] - hard["used"])
        assert (over <= 1e-6 * np.maximum(1.0, hard["limit"].abs())).all()
        # duals may differ between alternative optimal bases, but only at degenerate rows
        # (binding with a zero price in one of the two bases)
        fq, sq = fast.quotas, slow.quotas
        fp, sp = fq["shadow_price"].fillna(0.0), sq["shadow_price"].fillna(0.0)
        degenerate = fq["binding"] & ((fp.abs() < 1e-9) | (sp.abs() < 1e-9))
        np.testing.assert_allclose(fp[~degenerate], sp[~degenerate], rtol=1e-5, atol=1e-3)
        if not relax:
            assert (fp * fq["limit"]).sum() == pytest.approx((sp * sq["limit"]).sum(), rel=1e-5,
                                                             abs=1e-3)
    assert session.rebuilds == 0


@pytest.mark.parametrize("relax", [False, True], ids=["milp", "lp-hot-start"])
def test_in_place_handles_infeasible_and_back(relax):
    case = api.load_case(EXAMPLE)
    if relax:
        case = api.relaxed(case)
    session = WhatIf(case)
    cut = apply_overrides(case, Scenario(name="cut", quotas=[QuotaChange(
        family="energy_total", scale=0.05)]), "t")
    r = session.run(cut, explain=False)
    assert r.status.value == "infeasible" and session.fast_runs == 1
    back = session.run(case)
    assert back.solve.objective == pytest.approx(api.run(case).solve.objective, rel=1e-7)


def test_non_limit_change_rebuilds():
    case = api.load_case(EXAMPLE)
    session = WhatIf(case)
    sector = case.sectors.index[case.sectors["price_cny"] > 0][0]
    dear = apply_overrides(case, Scenario(name="p", sectors=[
        {"sector": sector, "price_cny": float(case.sectors.at[sector, "price_cny"]) * 2}]), "t")
    assert session.why_rebuild(dear) == "sectors differ"
    r = session.run(dear)
    assert session.rebuilds == 1 and session.fast_runs == 0
    assert r.solve.objective == pytest.approx(api.run(dear).solve.objective, rel=1e-9)


# ---------------------------------------------------------------- the store


def test_grid_batch_store(tmp_path):
    spec, base = load_spec(_spec(tmp_path, {**GRID, "scenarios": [
        str(ROOT / "configs" / "energy_minus_10.yaml")]}))
    out = tmp_path / "out"
    res = run_batch(spec, base, out, workers=1, progress=False, keep_tables=True)
    assert res.total == 9 and res.ran == 9 and res.failed == 0 and res.solved == 9
    # what the batch hands back in memory is what the store holds
    pd.testing.assert_frame_equal(res.scenarios, read_table(out, "scenario"))
    for name in ("portfolio", "quotas", "sectors", "totals"):
        pd.testing.assert_frame_equal(res.table(name), read_table(out, name))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["case_hash"] == api.load_case(EXAMPLE).content_hash
    assert manifest["ioopt_version"] and len({j["hash"] for j in manifest["jobs"]}) == 9
    sc = res.scenarios
    assert sc["scenario_id"].tolist()[:2] == ["file-01", "grid-0001"]
    assert (sc.loc[sc["kind"] == "grid", "path"] == "in place").all()
    # objective never falls as the energy quota grows, at either capital level
    grid = sc[sc["kind"] == "grid"].astype({"objective": float})
    for _, g in grid.groupby("capital"):
        obj = g.sort_values("energy")["objective"].to_numpy()
        assert (obj[1:] >= obj[:-1] - 1e-6).all()
    # each grid point equals a fresh solve of the same scenario
    row = grid[(grid["energy"] == 0.85) & (grid["capital"] == 300)].iloc[0]
    case = api.load_case(EXAMPLE)
    fresh = api.run(apply_overrides(case, Scenario(name="x", quotas=[
        QuotaChange(family="energy_total", scale=0.85),
        QuotaChange(family="capital_total", set=300)]), "t"))
    assert row["objective"] == pytest.approx(fresh.solve.objective, rel=1e-7)
    pf = read_table(out, "portfolio")
    assert len(pf) == 9 * len(case.projects)
    got = query(out, "SELECT count(DISTINCT scenario_id) AS n FROM quotas WHERE binding")
    assert got["n"].iloc[0] >= 1
    q = query(out, "SELECT s.energy, p.project FROM scenarios s JOIN portfolio p USING "
                   "(scenario_id) WHERE p.selected AND s.kind = 'grid' AND s.capital = 500")
    assert set(q["energy"]) == {0.7, 0.85, 1.0, 1.2}
    cmp = compare([out])
    assert set(cmp.selection["selected_in"]) <= {"all", "some", "none"}
    assert cmp.indicators.iloc[0]["indicator"] == "objective"
    assert cmp.indicators.iloc[0]["max"] == pytest.approx(sc["objective"].astype(float).max())


def test_samples_and_failures_are_recorded(tmp_path):
    """A scenario that fails is recorded with its error and the batch goes on."""
    body = {
        "grid": [  # each value is valid alone; together the chain has spectral radius > 1
            # (a cycle of sectors projects make: one through a brought-in sector never runs)
            {"name": "back", "coefficients": {"input_sector": "stainless",
                                              "output_sector": "npi"},
             "field": "coef", "values": [0.3]},
            {"name": "npi_use", "coefficients": {"input_sector": "npi",
                                                 "output_sector": "stainless"},
             "field": "coef", "values": [0.9, 4.0]}],
        "samples": {"n": 3, "seed": 4, "uncertainty": [
            {"table": "quotas", "field": "limit", "where": {"family": "energy_total"},
             "rel": 0.2, "joint": True}]},
    }
    spec, base = load_spec(_spec(tmp_path, body))
    res = run_batch(spec, base, tmp_path / "out", workers=1, progress=False)
    sc = res.scenarios.set_index("scenario_id")
    assert res.failed == 1
    assert sc.at["grid-0002", "status"] == "error"
    assert "spectral radius" in sc.at["grid-0002", "error"]
    assert sc.at["grid-0001", "status"] == "optimal"
    samples = sc[sc["kind"] == "sample"]
    assert len(samples) == 3 and (samples["status"] == "optimal").all()
    assert (samples["path"] == "in place").all()  # quota-only draws reuse the model
    assert samples["objective"].astype(float).nunique() > 1


@pytest.mark.parametrize("axis, field", [
    ({"name": "e", "quotas": {"family": "energy_totl"}, "scale": [0.9]}, "grid[0].quotas[0]"),
    ({"name": "p", "projects": {"project": "NO_SUCH"}, "field": "capacity", "values": [1]},
     "grid[0].projects[0]"),
    ({"name": "p", "sectors": {"sector": "alumina"}, "field": "prise_cny", "values": [1]},
     "grid[0].sectors[0].prise_cny"),
    ({"name": "m", "case": "objective.measur", "values": ["tax"]}, "grid[0].case."),
    ({"name": "e", "quotas": {"family": "energy_total"}, "values": [1]}, "grid.0"),
])
def test_bad_override_keys_name_spec_and_key_path(tmp_path, axis, field):
    path = _spec(tmp_path, {"grid": [axis]})
    with pytest.raises(InputError) as err:
        spec, base = load_spec(path)
        run_batch(spec, base, tmp_path / "out", workers=1, progress=False)
    problems = err.value.problems
    assert any(p.file == str(path) and (p.field or "").startswith(field) for p in problems), \
        [str(p) for p in problems]
    r = CliRunner().invoke(main, ["batch", str(path), "--out", str(tmp_path / "o2")])
    assert r.exit_code == 2 and str(path) in r.output and "Traceback" not in r.output


def test_existing_store_needs_resume(tmp_path):
    path = _spec(tmp_path, {"grid": GRID["grid"][:1]})
    r = CliRunner().invoke(main, ["batch", str(path), "--out", str(tmp_path / "o"), "--quiet",
                                  "--workers", "1"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["batch", str(path), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and "--resume" in r.output
    r = CliRunner().invoke(main, ["batch", str(path), "--out", str(tmp_path / "o"), "--resume"])
    assert r.exit_code == 0 and "0 run, 4 resumed" in r.output


def _results(out: Path) -> pd.DataFrame:
    sc = read_table(out, "scenario")
    return sc[["scenario_id", "hash", "status", "objective", "selected"]].reset_index(drop=True)


def test_kill_9_midway_then_resume_equals_uninterrupted(tmp_path):
    body = {"grid": [
        {"name": "energy", "quotas": {"family": "energy_total"},
         "scale": {"from": 0.6, "to": 1.3, "steps": 15}},
        {"name": "capital", "quotas": {"family": "capital_total"}, "set": [300, 400, 500]}]}
    path = _spec(tmp_path, body)
    whole, cut = tmp_path / "whole", tmp_path / "cut"
    cmd = [str(EXE), "batch", str(path), "--workers", "1", "--quiet", "--out"]
    proc = subprocess.Popen([*cmd, str(cut)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if len(list((cut / "runs").glob("grid-*"))) >= 5:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the batch ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(list((cut / "runs").glob("grid-*")))
    assert 5 <= done < 45
    r = subprocess.run([*cmd, str(cut), "--resume"], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr
    assert f"{45 - done} run, {done} resumed" in r.stdout
    assert not list((cut / "runs").glob(".*tmp*"))
    r = subprocess.run([*cmd, str(whole)], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr
    a, b = _results(cut), _results(whole)
    assert len(a) == 45
    pd.testing.assert_frame_equal(a.drop(columns="objective"), b.drop(columns="objective"))
    assert (a["objective"].astype(float) - b["objective"].astype(float)).abs().max() < 1e-6


def test_time_limit_without_solution_is_recorded_as_such(tmp_path):
    """A scenario stopped at its time limit before any solution is 'time_limit' in the
    store and the summary: neither solved nor failed."""
    case_dir = write_synthetic_case(tmp_path / "case", 100, seed=3)
    path = _spec(tmp_path, {"case": str(case_dir), "time_limit_s": 1e-6, "grid": [
        {"name": "energy", "quotas": {"family": "energy_total"}, "scale": [0.9, 1.1]}]})
    spec, base = load_spec(path)
    res = run_batch(spec, base, tmp_path / "out", workers=1, progress=False, keep_tables=True)
    assert res.scenarios["status"].tolist() == ["time_limit", "time_limit"]
    assert res.solved == 0 and res.failed == 0
    assert res.scenarios["objective"].isna().all()
    assert res.table("portfolio").empty  # no solution, no tables
    text = res.text()
    assert "2 time_limit" in text and "solved: 0 of 2" in text
    assert "not solved: 2 stopped at the time limit" in text
    assert "objective:" not in text
    got = query(tmp_path / "out", "SELECT status, count(*) AS n FROM scenarios GROUP BY 1")
    assert got.to_dict("records") == [{"status": "time_limit", "n": 2}]
    r = CliRunner().invoke(main, ["compare", str(tmp_path / "out")])
    assert r.exit_code == 0 and "0 with a solution (2 time_limit)" in r.output


def test_chunks_are_consecutive_and_balanced():
    jobs = [Job(id=f"j{i}", kind="grid", label="", params={}) for i in range(10)]
    parts = chunks(jobs, 2)  # at least 4 jobs a chunk while there are more than workers
    assert [len(p) for p in parts] == [4, 3, 3]
    assert [j for p in parts for j in p] == jobs
    many = jobs * 10
    assert [len(p) for p in chunks(many, 2)] == [13, 13, 13, 13, 12, 12, 12, 12]
    assert chunks(jobs[:3], 4) == [[j] for j in jobs[:3]] and chunks([], 2) == []


def test_process_pool_equals_one_worker(tmp_path):
    spec, base = load_spec(_spec(tmp_path, GRID))
    pool = run_batch(spec, base, tmp_path / "pool", workers=2, progress=False, keep_tables=True)
    one = run_batch(spec, base, tmp_path / "one", workers=1, progress=False)
    assert pool.total == 8 and pool.failed == 0
    assert pool.scenarios["scenario_id"].tolist() == one.scenarios["scenario_id"].tolist()
    pd.testing.assert_series_equal(pool.scenarios["objective"].astype(float),
                                   one.scenarios["objective"].astype(float), rtol=1e-7)
    assert (pool.scenarios["path"] == "in place").all()
    assert set(pool.table("portfolio")["scenario_id"]) == set(pool.scenarios["scenario_id"])


def test_dask_local_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    spec, base = load_spec(_spec(tmp_path, GRID))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        res = run_batch(spec, base, tmp_path / "dask", scheduler=cluster.scheduler_address,
                        progress=False)
    local = run_batch(spec, base, tmp_path / "local", workers=1, progress=False)
    assert res.total == 8 and res.failed == 0
    a = res.scenarios.set_index("scenario_id")["objective"].astype(float)
    b = local.scenarios.set_index("scenario_id")["objective"].astype(float)
    pd.testing.assert_series_equal(a.sort_index(), b.sort_index(), rtol=1e-7)


def test_scenario_show_cli():
    r = CliRunner().invoke(main, ["scenario", "show", str(ROOT / "configs" /
                                                         "infeasible_energy_cut.yaml")])
    assert r.exit_code == 0, r.output
    q = api.load_case().quotas
    half = 0.5 * float(q[(q["family"] == "energy_total") & (q["year"] == 2021)]["limit"].iloc[0])
    assert "land//nm" in r.output and "8400" in r.output and f"{half:g}" in r.output


def test_scenario_show_bad_key(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: b\nprojects:\n  - {project: A_SMELT_HLGL, capacityy: 5}\n")
    r = CliRunner().invoke(main, ["scenario", "show", str(bad)])
    assert r.exit_code == 2
    assert "projects[0].capacityy" in r.output and str(bad) in r.output


def test_compare_run_folders(tmp_path):
    a, b = tmp_path / "base", tmp_path / "cut"
    runner = CliRunner()
    cut = tmp_path / "cut.yaml"
    cut.write_text("name: cut\nquotas:\n  - {family: energy_total, scale: 0.9}\n")
    for out, extra in [(a, []), (b, ["--scenario", str(cut)])]:
        r = runner.invoke(main, ["solve", "--case", str(EXAMPLE), "--out", str(out), *extra])
        assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["compare", str(a), str(b), "--out", str(tmp_path / "cmp")])
    assert r.exit_code == 0, r.output
    ind = pd.read_csv(tmp_path / "cmp" / "compare_indicators.csv").set_index("indicator")
    assert ind.at["objective", "max_in"] == "base"
    assert (tmp_path / "cmp" / "compare_quotas.csv").is_file()


def test_query_reads_only_the_manifest_and_writes_nothing(tmp_path):
    body = {"grid": [{"name": "energy", "quotas": {"family": "energy_total"},
                      "scale": [0.9, 1.0]}]}
    spec, base = load_spec(_spec(tmp_path, body))
    out = tmp_path / "out"
    run_batch(spec, base, out, workers=1, progress=False)
    assert len(query(out, "SELECT * FROM scenarios")) == 2
    # a run folder the manifest does not list (left by an earlier grid) is not read
    stray = out / "runs" / "grid-9999"
    shutil.copytree(next((out / "runs").iterdir()), stray)
    assert len(query(out, "SELECT * FROM scenarios")) == 2
    assert len(read_table(out, "scenario")) == 2
    # the SQL cannot write files (over the store's own manifest, or anywhere)
    target = tmp_path / "written.csv"
    for sql in (f"COPY (SELECT 1) TO '{target}'",
                f"COPY (SELECT 1) TO '{out / 'manifest.json'}'",
                f"ATTACH '{tmp_path / 'x.db'}' AS x",
                "SET enable_external_access = true"):
        with pytest.raises(InputError):
            query(out, sql)
    assert not target.exists() and not (tmp_path / "x.db").exists()
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["jobs"]


def test_resume_reruns_jobs_when_the_time_limit_changes(tmp_path):
    # the spec's time limit can stop a solve early: it is part of every job's hash
    path = _spec(tmp_path, {"grid": GRID["grid"][:1]})
    out = str(tmp_path / "o")
    r = CliRunner().invoke(main, ["batch", str(path), "--out", out, "--quiet", "--workers", "1"])
    assert r.exit_code == 0, r.output
    path = _spec(tmp_path, {"grid": GRID["grid"][:1], "time_limit_s": 30})
    r = CliRunner().invoke(main, ["batch", str(path), "--out", out, "--resume", "--workers", "1"])
    assert r.exit_code == 0 and "4 run, 0 resumed" in r.output, r.output


def test_a_dying_worker_leaves_an_error_row_and_the_batch_goes_on(tmp_path, monkeypatch):
    # one job kills its worker process (as kill -9 or running out of memory would): it is
    # recorded as an error, every other job finishes, and the store can be resumed
    import multiprocessing

    from ioopt.batch import runner

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the failure is injected into forked workers")
    body = {"grid": [{"name": "energy", "quotas": {"family": "energy_total"},
                      "scale": [0.8, 0.9, 1.0, 1.1, 1.2]}]}
    spec, base = load_spec(_spec(tmp_path, body))
    real = runner.Worker.execute

    def execute(self, job):
        if job.id == "grid-0003":
            os._exit(9)
        return real(self, job)

    monkeypatch.setattr(runner.Worker, "execute", execute)
    res = run_batch(spec, base, tmp_path / "out", workers=2, progress=False)
    sc = res.scenarios.set_index("scenario_id")
    assert sc.at["grid-0003", "status"] == "error"
    assert "worker process running this job died" in sc.at["grid-0003", "error"]
    others = sc.drop(index="grid-0003")
    assert len(others) == 4 and (others["status"] == "optimal").all()


def _children(pid: int) -> set[int]:
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.add(int(stat.parent.name))
    return out


def test_workers_exit_when_the_driver_is_killed(tmp_path):
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs /proc to find the workers")
    body = {"grid": [{"name": "energy", "quotas": {"family": "energy_total"},
                      "scale": {"from": 0.6, "to": 1.3, "steps": 40}}]}
    path = _spec(tmp_path, body)
    proc = subprocess.Popen([str(EXE), "batch", str(path), "--workers", "2", "--quiet",
                             "--out", str(tmp_path / "out")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    workers: set[int] = set()
    while time.monotonic() < deadline and proc.poll() is None and len(workers) < 2:
        workers = _children(proc.pid)
        time.sleep(0.05)
    assert proc.poll() is None and workers, "the batch ended before its workers were seen"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
        time.sleep(0.1)
    alive = [w for w in workers if Path(f"/proc/{w}").exists()
             and "Z" not in Path(f"/proc/{w}/stat").read_text().rsplit(")", 1)[1].split()[0]]
    assert not alive, f"workers {alive} outlived their driver"
