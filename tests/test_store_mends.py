"""Results folders written in one piece: a solve's notes inside the run's swap, every file
a run writes owned by the next run written there, a store's checksums and warnings."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from ioopt import api
from ioopt.analyses.against import Against
from ioopt.batch import store
from ioopt.batch.reading import read_tables

EXAMPLE = Path("data/example")
FORCE = ("name: force-solar\ndescription: The committee approves solar_1.\nprojects:\n"
         "  - {project: solar_1, force: in}\n")


def _scenario_solve(tmp_path: Path):
    scen = tmp_path / "force.yaml"
    scen.write_text(FORCE, encoding="utf-8")
    result = api.run(api.load(EXAMPLE, scen), str(scen))
    return result, api.solve_notes(result, EXAMPLE, True)


def test_a_solve_and_its_notes_are_one_folder_a_failing_note_leaves_the_old_one(
        tmp_path, monkeypatch):
    _, notes = _scenario_solve(tmp_path)
    out = tmp_path / "run"
    notes.write(out)
    names = {p.name for p in out.iterdir()}
    assert {"summary.json", "portfolio.csv", "against_projects.csv", "base"} <= names
    assert (out / "base" / "summary.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["force.yaml", "run"]
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def boom(self, out_dir, prefix="against"):
        raise OSError("disk full")

    monkeypatch.setattr(Against, "write", boom)
    with pytest.raises(OSError):
        notes.write(out)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["force.yaml", "run"]


def test_a_later_run_drops_the_base_run_and_the_chinese_rule_but_keeps_other_folders(tmp_path):
    _, notes = _scenario_solve(tmp_path)
    out = tmp_path / "run"
    notes.write(out)
    (out / store.RULE_ZH).write_text("旧规则\n", encoding="utf-8")
    (out / "mine").mkdir()  # not a run's: kept
    plain = api.run(api.load(EXAMPLE))
    api.solve_notes(plain, EXAMPLE, False).write(out)
    names = {p.name for p in out.iterdir()}
    assert not names & {"base", store.RULE_ZH, "against_projects.csv"}, names
    assert {"mine", "summary.json"} <= names


# ------------------------------------------------------------ a batch store


def _store(tmp_path: Path) -> Path:
    import yaml
    from click.testing import CliRunner

    from ioopt.cli import main

    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump({"name": "t", "case": str(EXAMPLE.resolve()),
                                    "grid": [{"name": "energy",
                                              "quotas": {"family": "energy_total"},
                                              "scale": [0.9, 1.0]}]}), encoding="utf-8")
    out = tmp_path / "store"
    r = CliRunner().invoke(main, ["batch", str(spec), "--out", str(out), "--workers", "1"])
    assert r.exit_code == 0, r.output
    return out


@pytest.fixture(scope="module")
def damaged_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = _store(tmp_path_factory.mktemp("damaged"))
    path = out / "runs" / "grid-0002" / "portfolio.parquet"
    path.write_bytes(path.read_bytes()[:100])
    return out


@pytest.mark.parametrize("command", ["compare", "report"])
def test_a_command_checks_a_store_once_and_names_a_damaged_run_once(
        damaged_store, tmp_path, monkeypatch, command):
    from click.testing import CliRunner

    from ioopt.batch import integrity
    from ioopt.cli import main

    checks = []
    check_runs = integrity.check_runs

    def counted(*args, **kw):
        checks.append(args[0])
        return check_runs(*args, **kw)

    monkeypatch.setattr(integrity, "check_runs", counted)
    r = CliRunner().invoke(main, [command, str(damaged_store), "--out", str(tmp_path / "x")])
    assert r.exit_code == 0, r.output
    assert r.output.count("run grid-0002 is damaged") == 1, r.output
    assert len(checks) == 1  # the checksums of every run computed once, not once per table


def test_a_resumed_store_keeps_its_checksums_until_sealed_and_reads_its_manifest_once(
        tmp_path, monkeypatch):
    out = _store(tmp_path)
    sealed = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(sealed["checksums"]) == {"grid-0001", "grid-0002"}
    path = out / "runs" / "grid-0002" / "portfolio.parquet"
    path.write_bytes(path.read_bytes()[:100])
    fresh = {k: v for k, v in sealed.items() if k != "checksums"}
    reads = []
    read_manifest = store.read_manifest
    monkeypatch.setattr(store, "read_manifest", lambda o: reads.append(o) or read_manifest(o))
    damaged = store.open_store(out, fresh, api.load_case(EXAMPLE), resume=True)
    assert list(damaged) == ["grid-0002"] and damaged["grid-0002"][0] == "portfolio.parquet"
    assert len(reads) == 1
    # the batch is killed here: the intact run's checksums are in the manifest, the
    # damaged one's (to be run again) are not
    now = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert now["checksums"] == {"grid-0001": sealed["checksums"]["grid-0001"]}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        (out / "runs" / "grid-0001" / "checksums.json").unlink()
        tables = read_tables(out, ("portfolio",))
    assert tables["portfolio"].empty  # the carried checksums are what finds grid-0001 out
    assert any("grid-0001" in str(w.message) and "missing" in str(w.message) for w in caught)


def test_a_new_store_is_built_in_place_under_its_lock(tmp_path):
    from ioopt.batch import integrity

    out = tmp_path / "run"
    api.run(api.load(EXAMPLE)).write(out)  # an old solve folder
    (out / "curve.csv").write_text("kept\n", encoding="utf-8")
    with integrity.store_lock(out):
        folder, lock = out.stat().st_ino, (out / integrity.LOCK).stat().st_ino
        manifest = {"jobs": [], "batch": "t"}
        assert store.open_store(out, manifest, api.load_case(EXAMPLE), resume=False) == {}
        # the folder and its lock file never moved: a second batch locks the same inode
        assert out.stat().st_ino == folder and (out / integrity.LOCK).stat().st_ino == lock
    names = {p.name for p in out.iterdir()}
    assert names == {"manifest.json", "labels.csv", "runs", "curve.csv", integrity.LOCK}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_curve_writes_curve_csv_while_it_holds_the_store_lock(tmp_path, monkeypatch):
    from ioopt.analyses import tradeoffs
    from ioopt.batch import integrity

    out = tmp_path / "c"
    held = []
    write = tradeoffs.Curve.write

    def checked(self, where):
        held.append(Path(where).resolve() in integrity._HELD.stores)
        return write(self, where)

    monkeypatch.setattr(tradeoffs.Curve, "write", checked)
    tradeoffs.curve(api.load_case(EXAMPLE), "energy_total", "-10%", "0%", 2, out, workers=1,
                    progress=False)
    assert held == [True] and (out / "curve.csv").is_file()
    assert not integrity._HELD.stores  # released


def test_compare_lists_compare_scenarios_csv_and_writes_the_changes_as_sentences(tmp_path):
    from ioopt import words
    from ioopt.analyses.compare import compare

    _, notes = _scenario_solve(tmp_path)
    notes.write(tmp_path / "scen")
    api.run(api.load(EXAMPLE)).write(tmp_path / "base")
    paths = compare([tmp_path / "base", tmp_path / "scen"]).write(tmp_path / "cmp")
    assert tmp_path / "cmp" / "compare_scenarios.csv" in paths
    sc = store.read_csv_table(tmp_path / "cmp", "compare_scenarios").set_index("scenario_id")
    changes = store.read_summary(tmp_path / "scen")["scenario_changes"]
    assert changes and sc.at["scen", "scenario_changes"] == "; ".join(
        words.scenario_change(c) for c in changes)
    assert not str(sc.at["scen", "scenario_changes"]).startswith("[")


def test_the_ranking_and_rejected_csv_share_one_statement_of_the_price_parts():
    from ioopt.analyses.estimates import estimates, price_parts, row_infos
    from ioopt.analyses.ranking import rank

    case = api.load_case(EXAMPLE)
    result = api.run(case)
    infos = row_infos(result)
    est = estimates(result, infos)
    table = rank(case, exact=False, workers=1).table.set_index("project")
    assert est
    for j, e in est.items():
        parts = price_parts(e, infos)
        assert parts["output_at_prices"] - parts["inputs_at_prices"] - parts["capital_charge"] \
            - parts["quota_cost_at_prices"] - parts["other_at_prices"] == pytest.approx(
                parts["first_order"], abs=1e-9)
        if j in table.index:
            for col, v in parts.items():
                assert table.at[j, col] == pytest.approx(v), (j, col)


def test_the_summary_names_the_scenario_that_was_solved_even_when_its_file_is_gone(tmp_path):
    result, _ = _scenario_solve(tmp_path)
    (tmp_path / "force.yaml").write_text("name: edited later\n", encoding="utf-8")
    s = result.summary()
    assert (s["scenario_name"], s["scenario_description"]) == (
        "force-solar", "The committee approves solar_1.")
    (tmp_path / "force.yaml").unlink()
    assert result.summary()["scenario_name"] == "force-solar"
    assert api.run(api.load(EXAMPLE)).summary()["scenario_name"] == ""
