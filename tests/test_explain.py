"""Infeasible scenarios are explained: the smallest relaxation in each quota's unit, an IIS."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ioopt import api
from ioopt.analyses.infeasibility import explain_infeasibility
from ioopt.cli import main
from tests.conftest import REF, ROOT


def _scenario(tmp_path, text):
    p = tmp_path / "s.yaml"
    p.write_text(text)
    return p


def test_smallest_relaxation_on_a_hand_checked_case(tmp_path):
    # ref1: one year, energy quota 1.5 万 tce, capital 1 亿元 (one project). Force p2 (4 tce/t,
    # 1 万 t = 4 万 tce) in as committed: energy is short by 4 - 1.5 = 2.5 万 tce, and the
    # budget by 1 亿元 only if another project is also built -- it need not be, so capital
    # must not appear. Committed projects use the full quota; nothing else moves.
    case = api.apply_scenario(api.load_case(REF / "ref1_energy"), _scenario(tmp_path, (
        "name: s\nprojects:\n  - {project: p2, status: committed, online_year: 2021, min_util: 1}\n")))
    r = api.run(case)
    assert r.status.value == "infeasible"
    inf = r.infeasibility
    assert inf is not None and inf.status == "relaxed"
    rel = inf.relaxations.set_index("family")
    assert list(rel.index) == ["energy_total"]
    assert rel.loc["energy_total", "relax_by"] == pytest.approx(2.5)
    assert rel.loc["energy_total", "needed"] == pytest.approx(4.0)
    assert inf.sentences[0] == "2021 energy quota short by 2.5 万 tce (limit 1.5, needs 4)"
    assert inf.iis == ["energy_total[2021]"]


def test_a_feasible_case_has_no_explanation():
    r = api.run(api.load_case(REF / "ref1_energy"))
    assert r.infeasibility is None


def test_infeasible_config_names_energy_and_land(tmp_path):
    case = api.apply_scenario(api.load_case(None), ROOT / "configs" / "infeasible_energy_cut.yaml")
    inf = explain_infeasibility(case)
    rel = inf.relaxations
    land = rel[rel["family"] == "land"].iloc[0]
    assert land["park"] == "nm"
    assert land["relax_by"] == pytest.approx(1200.0)  # committed 9,600 mu vs 8,400
    assert "Naiman Industrial Park" in land["sentence"] and "1,200 mu" in land["sentence"]
    assert (rel["family"] == "energy_total").any()
    assert all("万 tce" in s for s in rel.loc[rel["family"] == "energy_total", "sentence"])
    assert inf.iis  # HiGHS names a conflicting subset


def test_cli_exits_3_and_writes_infeasibility_csv(tmp_path):
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["solve", "--case", str(REF / "ref1_energy"), "--scenario",
                                  str(_scenario(tmp_path, "name: s\nquotas:\n"
                                                "  - {family: capital_total, set: 0}\n"
                                                "projects:\n  - {project: p1, status: committed, "
                                                "online_year: 2021}\n")),
                                  "--out", str(out)])
    assert r.exit_code == 3, r.output
    assert "smallest relaxation" in r.output
    assert "investment budget short by 1 亿元" in r.output
    assert (out / "infeasibility.csv").exists()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["infeasibility"]["relaxations"]


def test_rank_on_an_infeasible_scenario_explains_and_exits_3(tmp_path):
    sc = _scenario(tmp_path, "name: s\nprojects:\n  - {project: p2, status: committed, "
                             "online_year: 2021, min_util: 1}\n")
    r = CliRunner().invoke(main, ["rank", "--case", str(REF / "ref1_energy"), "--scenario", str(sc),
                                  "--out", str(tmp_path / "o"), "--workers", "1"])
    assert r.exit_code == 3, r.output
    assert "2021 energy quota short by 2.5 万 tce" in r.output
    assert (tmp_path / "o" / "infeasibility.csv").exists()
