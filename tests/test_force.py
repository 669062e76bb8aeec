"""Forcing a project in or out (projects.csv ``force``, ``force_year``; family force_in):
reference instance 1 worked by hand (models/FORMULATION.md, ref1_energy)."""

from __future__ import annotations

import shutil

import pytest

from ioopt import api
from ioopt.errors import InputError
from ioopt.scenario import Scenario, apply_overrides
from ioopt.solver.status import SolveStatus
from tests.conftest import EXAMPLE, REF
from tests.pinning import _set_cells


def _ref1(tmp_path, cells):
    dst = tmp_path / "ref1"
    shutil.copytree(REF / "ref1_energy", dst)
    _set_cells(dst / "projects.csv", "project", cells)
    return api.load_case(dst)


def _selected(r):
    pf = r.portfolio
    return set(pf.loc[pf["selected"] & (pf["status"] != "existing"), "project"])


def test_force_in_builds_the_candidate_and_costs_the_difference(tmp_path):
    # one project affordable: p3 earns 1.125; forced in, p1 makes 1.5/2 = 0.75 万t (0.75 亿元)
    r = api.run(_ref1(tmp_path, {"p1": {"force": "in"}}))
    assert r.status == SolveStatus.OPTIMAL
    assert _selected(r) == {"p1"}
    assert r.solve.objective == pytest.approx(0.75, abs=1e-9)


def test_force_out_leaves_the_next_best(tmp_path):
    r = api.run(_ref1(tmp_path, {"p3": {"force": "out"}}))
    assert _selected(r) == {"p1"} and r.solve.objective == pytest.approx(0.75, abs=1e-9)
    pf = r.portfolio.set_index("project")
    assert pf.loc["p3", [c for c in pf.columns if c.startswith("production_10k")]].abs().sum() == 0


def test_forcing_two_in_beyond_the_budget_is_infeasible_and_explained(tmp_path):
    r = api.run(_ref1(tmp_path, {"p1": {"force": "in"}, "p2": {"force": "in"}}))
    assert r.status == SolveStatus.INFEASIBLE
    relax = r.infeasibility.relaxations
    row = relax[relax["family"] == "capital_total"].iloc[0]
    assert row["needed"] == pytest.approx(2.0)  # 亿元: two projects at 1 each


def test_forced_projects_are_listed_in_the_ranking_but_not_ranked(tmp_path):
    rk = api.rank(_ref1(tmp_path, {"p1": {"force": "in"}, "p2": {"force": "out"}}), workers=1)
    t = rk.table.set_index("project")
    assert t.at["p1", "forced"] == "in" and t.at["p1", "reason"].startswith("forced in by the case")
    assert t.at["p2", "forced"] == "out" and "never built" in t.at["p2", "reason"]
    # p3 is ranked: with p1 forced into the one-project budget it cannot be added
    assert not t.at["p3", "selected"] and t.at["p3", "exact_status"] == "infeasible"
    assert t.at["p3", "reason"].startswith("rejected: does not fit")


def test_a_scenario_forces_a_committed_project_out():
    base = api.load_case(EXAMPLE)
    case = apply_overrides(base, Scenario(name="out", projects=[
        {"project": "lianmeng_foil", "force": "out"}]), "t")
    r = api.run(case)
    pf = r.portfolio.set_index("project")
    assert not bool(pf.at["lianmeng_foil", "selected"])
    # its capex no longer counts against the budget: the committed part of the row drops
    def committed_capex(c):
        return next(q.const for q in api.build(c).quota_rows if q.family == "capital_total")

    capex = float(base.projects.at["lianmeng_foil", "capex_100m_cny"])
    assert committed_capex(case) == pytest.approx(committed_capex(base) - capex)


def test_force_errors_name_the_row(tmp_path):
    with pytest.raises(InputError) as err:
        _ref1(tmp_path, {"p1": {"force": "out", "force_year": 2021}})
    assert "projects.csv line 2, field 'force_year'" in str(err.value)
    assert "blank unless force is in" in str(err.value)
    base = api.load_case(EXAMPLE)
    with pytest.raises(InputError) as err:
        apply_overrides(base, Scenario(name="x", projects=[
            {"project": "smelter_1", "force": "in"}]), "t")
    assert "blank or out for an existing project" in str(err.value)
    with pytest.raises(InputError) as err:
        apply_overrides(base, Scenario(name="y", projects=[
            {"project": "npi_2", "force": "in", "force_year": 2021}]), "t")
    assert "a year the candidate may come online (2022-2025)" in str(err.value)
