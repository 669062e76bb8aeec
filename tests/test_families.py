"""Family switches: off, soft mode, commitment; the model counts stay as designed."""

from __future__ import annotations

import pytest

from ioopt import api
from ioopt.solver.status import SolveStatus
from tests.conftest import EXAMPLE, REF


def _scenario(tmp_path, text):
    p = tmp_path / "s.yaml"
    p.write_text(text)
    return p


def test_switching_a_family_off_removes_its_rows(tmp_path):
    case = api.load_case(EXAMPLE)
    off = api.apply_scenario(case, _scenario(
        tmp_path, "name: switch-off\ncase:\n  families:\n    energy_total: {enabled: false}\n"))
    m_on, m_off = api.build(case).pyomo, api.build(off).pyomo
    assert len(m_on.energy_total) == 5
    assert m_off.component("energy_total") is None
    r = api.run(off)
    assert r.status == SolveStatus.OPTIMAL
    assert not (r.quotas["name"] == "energy_total").any()
    assert r.solve.objective >= api.run(case).solve.objective - 1e-6


# ref1 with a 0.5 万 tce energy quota made soft: p3 earns 7,500 CNY/tce, so at 20,000 CNY/tce
# the quota is not exceeded; at 5,000 it is exceeded up to p3's capacity (1 万 t = 2 万 tce,
# 1.5 over). A row's own penalty overrides the family's.
@pytest.mark.parametrize(("family_penalty", "row_penalty", "violation", "price"), [
    (20000, None, 0.0, 7500.0),
    (5000, None, 1.5, 5000.0),
    (20000, 5000, 1.5, 5000.0),
])
def test_soft_quota_is_violated_at_its_penalty(tmp_path, family_penalty, row_penalty, violation,
                                               price):
    row = f", penalty: {row_penalty}" if row_penalty is not None else ""
    case = api.apply_scenario(api.load_case(REF / "ref1_energy"), _scenario(tmp_path, (
        f"name: s\nquotas:\n  - {{family: energy_total, set: 0.5, mode: soft{row}}}\n"
        f"case:\n  families:\n    energy_total: {{penalty: {family_penalty}}}\n")))
    r = api.run(case)
    e = r.quotas.set_index("name").loc["energy_total"]
    assert e["violation"] == pytest.approx(violation, abs=1e-9)
    assert e["shadow_price"] == pytest.approx(price)
    if violation:
        assert r.solve.objective == pytest.approx(1.5 - 1.5 * price / 1e4)


def test_commitment_off_makes_committed_projects_candidates(tmp_path):
    case = api.load_case(EXAMPLE)
    free = api.apply_scenario(case, _scenario(
        tmp_path, "name: free\ncase:\n  families:\n    commitment: {enabled: false}\n"))
    m = api.build(free).pyomo
    assert ("lianmeng_foil", 2024) in m.build
    assert ("lianmeng_foil", 2023) not in m.build  # not before its committed year


def test_dependency_keeps_a_project_out_when_its_prerequisite_cannot_be_built(tmp_path):
    # Jing'an made a candidate that cannot fit Naiman's land; stainless prices made high
    # enough that stainless_2 is worth building. It needs Jing'an (dependencies.csv).
    base = (
        "quotas:\n  - {family: land, park: naiman, set: 3000}\n"
        "projects:\n  - {project: jingan_stainless, status: candidate, online_year: null, "
        "earliest_year: 2022}\n"
        "sectors:\n  - {sector: stainless, price_cny: 40000}\n"
    )
    case = api.load_case(EXAMPLE)
    on = api.run(api.apply_scenario(case, _scenario(tmp_path, "name: dep-on\n" + base)))
    off = api.run(api.apply_scenario(case, _scenario(
        tmp_path, "name: dep-off\ncase: {families: {dependency: {enabled: false}}}\n" + base)))
    sel_on = on.portfolio.set_index("project")["selected"]
    sel_off = off.portfolio.set_index("project")["selected"]
    assert not sel_on["jingan_stainless"] and not sel_off["jingan_stainless"]
    assert sel_off["stainless_2"], "without the dependency the project is worth building"
    assert not sel_on["stainless_2"], "with it, its prerequisite is missing"


def test_exclusive_group_allows_one(tmp_path):
    case = api.load_case(EXAMPLE)
    both = api.run(api.apply_scenario(case, _scenario(
        tmp_path, "name: no-groups\ncase: {families: {exclusive_group: {enabled: false}}}\n")))
    assert both.portfolio.set_index("project").loc[["recycled_1", "recycled_2"], "selected"].all()
    one = api.run(case).portfolio.set_index("project")
    assert one.loc[["recycled_1", "recycled_2"], "selected"].sum() == 1


def test_infeasible_land_quota(tmp_path):
    # the committed Jing'an plant alone takes 9000 mu of Naiman's land
    case = api.apply_scenario(api.load_case(EXAMPLE), _scenario(
        tmp_path, "name: l\nquotas:\n  - {family: land, park: naiman, set: 100}\n"))
    assert api.run(case).status == SolveStatus.INFEASIBLE


def test_trivially_infeasible_row_is_named(tmp_path):
    # only the existing 100 万 t smelter is in primary_al: a cap of 50 fails before solving
    case = api.apply_scenario(api.load_case(EXAMPLE), _scenario(
        tmp_path, "name: c\nrules:\n  - {rule: sector_capacity_cap, scope: primary_al, "
        "year: null, limit: 50}\n"))
    r = api.run(case)
    assert r.status == SolveStatus.INFEASIBLE
    assert "sector_capacity_cap[primary_al, 2021]" in r.solve.message
