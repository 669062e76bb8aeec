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
    result, notes = _scenario_solve(tmp_path)
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
