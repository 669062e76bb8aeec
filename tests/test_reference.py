"""Reference instances worked by hand in models/FORMULATION.md."""

from __future__ import annotations

import pytest

from ioopt import api
from ioopt.solver.status import SolveStatus
from tests.conftest import REF


def _quota(result, name, year=None, park=None):
    q = result.quotas
    sel = q["name"] == name
    if year is not None:
        sel &= q["year"] == year
    if park is not None:
        sel &= q["park"] == park
    assert sel.sum() == 1
    return q[sel].iloc[0]


def _selected(result):
    pf = result.portfolio
    return set(pf.loc[pf["selected"] & (pf["status"] != "existing"), "project"])


def test_ref1_energy_quota_binds_at_best_project_value_per_tce():
    r = api.run(api.load_case(REF / "ref1_energy"))
    assert r.status == SolveStatus.OPTIMAL
    # one project affordable; p3 earns 7500 CNY/tce, makes 0.75 万 t on 1.5 万 tce
    assert r.solve.objective == pytest.approx(1.125, abs=1e-9)
    assert _selected(r) == {"p3"}
    e = _quota(r, "energy_total", 2021)
    assert e["binding"] and e["used"] == pytest.approx(1.5)
    assert e["shadow_price"] == pytest.approx(7500.0, rel=1e-9)
    assert e["shadow_price_unit"] == "CNY/tce"
    assert "integer decisions fixed" in r.solve.shadow_price_method


def test_ref1b_scenario_two_projects_marginal_project_sets_price():
    case = api.apply_scenario(api.load_case(REF / "ref1_energy"),
                              REF / "ref1_energy" / "scenario_two_projects.yaml")
    r = api.run(case)
    assert r.solve.objective == pytest.approx(2.0, abs=1e-9)
    assert _selected(r) == {"p1", "p3"}
    assert _quota(r, "energy_total", 2021)["shadow_price"] == pytest.approx(5000.0, rel=1e-9)
    x = r.portfolio.set_index("project")["production_10k_2021"]
    assert x["p3"] == pytest.approx(1.0) and x["p1"] == pytest.approx(0.5)


def test_ref2_chain_balance_and_import_prices():
    r = api.run(api.load_case(REF / "ref2_chain"))
    assert r.status == SolveStatus.OPTIMAL
    assert r.solve.objective == pytest.approx(9.2, abs=1e-9)
    assert _selected(r) == {"goods_a"}
    s = r.sectors.set_index("sector")
    assert s.at["ore", "imports_10k"] == pytest.approx(20.0)
    assert s.at["metal", "imports_10k"] == pytest.approx(5.0)
    assert s.at["metal", "intermediate_use_10k"] == pytest.approx(15.0)
    assert s.at["metal", "marginal_value_cny_per_unit"] == pytest.approx(1200.0)
    assert s.at["ore", "marginal_value_cny_per_unit"] == pytest.approx(100.0)
    land = _quota(r, "land", park="south")
    assert land["used"] == pytest.approx(100.0) and not land["binding"]
