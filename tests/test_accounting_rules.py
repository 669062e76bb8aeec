"""Electricity accounting as the rules read, contracted green power, and the capital
charge as an annuity (models/FORMULATION.md, reference instances 8 and 9)."""

from __future__ import annotations

import shutil

import pytest

from ioopt import api
from ioopt.errors import InputError
from ioopt.formulation.objective import capital_recovery_factor
from ioopt.solver.status import SolveStatus
from tests.conftest import REF
from tests.pinning import _append_rows, _set_cells

KAPPA = 0.1229


def _run(ref, scenario=None, case=None):
    case = case or api.load_case(REF / ref)
    if scenario:
        case = api.apply_scenario(case, REF / ref / scenario)
    return api.run(case)


def _x(r, j, t=2021):
    return float(r.portfolio.set_index("project").at[j, f"production_10k_{t}"])


def _quota(r, name):
    q = r.quotas
    return q[q["name"] == name].iloc[0]


def test_ref8_exported_wind_credits_nothing_so_the_quota_binds():
    r = _run("ref8_green")
    assert r.status == SolveStatus.OPTIMAL
    # E = 0.3 c + kappa (50 - c - 20) <= 20  ->  c = (20 - 30 kappa) / (0.3 - kappa)
    c = (20 - 30 * KAPPA) / (0.3 - KAPPA)
    assert _x(r, "coal") == pytest.approx(c, rel=1e-9)
    assert c == pytest.approx(92.1118, abs=1e-4)
    assert _x(r, "wind_grid") == pytest.approx(50) and _x(r, "wind_c") == pytest.approx(20)
    assert r.solve.objective == pytest.approx(0.03 * (c + 70) + 5, rel=1e-9)  # 9.863354
    e = _quota(r, "energy_total")
    assert e["binding"] and e["used"] == pytest.approx(20)
    # a 万tce more lets coal run 1 / (0.3 - kappa) 万MWh more at 300 CNY/MWh
    assert e["shadow_price"] == pytest.approx(300 / (0.3 - KAPPA), rel=1e-9)  # 1693.96
    g = _quota(r, "green_share")
    assert g["used"] == pytest.approx(20 / 50)  # contracted wind over the park's use


def test_ref8b_pooled_accounting_lets_exported_wind_create_quota():
    r = _run("ref8_green", "scenario_pooled.yaml")
    # E = 0.3 * 100 + kappa (50 - 170) = 15.252 < 20: the quota is free
    assert _x(r, "coal") == pytest.approx(100)
    assert r.solve.objective == pytest.approx(10.1, rel=1e-9)
    e = _quota(r, "energy_total")
    assert not e["binding"] and e["used"] == pytest.approx(30 - 120 * KAPPA)
    assert r.totals.set_index("year").at[2021, "energy_10k_tce"] == pytest.approx(
        30 - 120 * KAPPA)


def _ref8_copy(tmp_path, rows=(), cells=None):
    dst = tmp_path / "ref8"
    shutil.copytree(REF / "ref8_green", dst)
    if rows:
        _append_rows(dst / "quotas.csv", rows)
    if cells:
        _set_cells(dst / "projects.csv", "project", cells)
    return dst


def test_green_power_counts_only_contracted_output(tmp_path):
    row = {"family": "green_power", "year": 2021, "park": "p1", "limit": 25,
           "unit": "10k MWh", "source": "test"}
    case = api.load_case(_ref8_copy(tmp_path, [row]))
    # only wind_c (20 万MWh) is contracted to p1: 25 cannot be met
    assert _run(None, case=case).status == SolveStatus.INFEASIBLE
    # pooled: the park may count any local renewable output
    pooled = api.apply_scenario(case, REF / "ref8_green" / "scenario_pooled.yaml")
    r = _run(None, case=pooled)
    assert r.status == SolveStatus.OPTIMAL
    assert _quota(r, "green_power")["used"] == pytest.approx(25)


def test_contract_delivers_at_most_the_parks_use(tmp_path):
    # the smelter park uses 50 万MWh; a 80 万MWh contracted farm is curtailed to 50
    case = api.load_case(_ref8_copy(tmp_path, cells={"wind_c": {"capacity_10k": 80}}))
    r = _run(None, case=case)
    assert _x(r, "wind_c") == pytest.approx(50)


def test_supplies_must_name_a_park_and_a_renewable(tmp_path):
    dst = _ref8_copy(tmp_path, cells={"wind_c": {"supplies": "nowhere"},
                                      "coal": {"supplies": "p1"}})
    with pytest.raises(InputError) as exc:
        api.load_case(dst)
    text = str(exc.value)
    assert "projects.csv line 5, field 'supplies'" in text and "a park of parks.csv" in text
    assert "projects.csv line 2, field 'supplies'" in text and "renewable" in text


def test_capital_recovery_factor():
    assert capital_recovery_factor(0.0, 10) == pytest.approx(0.1)
    # 8 %, 20 years: 0.08 / (1 - 1.08^-20)
    assert capital_recovery_factor(0.08, 20) == pytest.approx(0.1018522, abs=1e-7)


def test_ref9_a_late_project_pays_only_for_the_years_it_produces():
    r = _run("ref9_annuity")
    pf = r.portfolio.set_index("project")
    # early: 5 years x (1 - 0.5); late: 2025 only, 1 - 0.5; poor: 0.4 - 0.5 < 0 each year
    assert r.solve.objective == pytest.approx(2.5 + 0.5, abs=1e-9)
    assert bool(pf.at["early", "selected"]) and int(pf.at["early", "online_year"]) == 2021
    assert bool(pf.at["late", "selected"]) and int(pf.at["late", "online_year"]) == 2025
    assert not bool(pf.at["poor", "selected"])
    assert "capital charges" in r.summary()["objective_name"]


def test_ref9b_without_the_charge_a_budget_penalises_the_late_project():
    r = _run("ref9_annuity", "scenario_budget.yaml")
    pf = r.portfolio.set_index("project")
    # one 5 亿 plant fits: the early one gives 5 years of output, the late one 1
    assert r.solve.objective == pytest.approx(5.0, abs=1e-9)
    assert bool(pf.at["early", "selected"]) and not bool(pf.at["late", "selected"])


def test_ref9_exact_ranking_values_are_per_year_net_values():
    rk = api.rank(api.load_case(REF / "ref9_annuity"), workers=1)
    t = rk.table.set_index("project")
    assert t.at["early", "leave_one_out"] == pytest.approx(2.5, abs=1e-6)
    assert t.at["late", "leave_one_out"] == pytest.approx(0.5, abs=1e-6)
    # forcing the poor plant in costs least in 2025: one year at 0.4 - 0.5
    assert t.at["poor", "force_in_cost"] == pytest.approx(0.1, abs=1e-6)


def test_annuity_needs_a_money_measure(tmp_path):
    dst = tmp_path / "ref9"
    shutil.copytree(REF / "ref9_annuity", dst)
    text = (dst / "case.yaml").read_text().replace("measure: gross_output", "measure: jobs")
    (dst / "case.yaml").write_text(text)
    with pytest.raises(InputError, match="capital_charge 'annuity' needs a money measure"):
        api.load_case(dst)
