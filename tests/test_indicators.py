"""Indicator rows (mode report) and the basis of every limit (models/reference/ref6_indicator,
hand-worked in models/FORMULATION.md, "Indicators").

ref6: three lumpy candidates (min_util 1) -- p1 metal 1.0 亿元 for 2 万 tce, p2 metal 1.2 亿元
for 4 万 tce, p3 chemicals 1.5 亿元 for 2 万 tce, capex 1 亿元 each; energy quota 8 万 tce
(all three fit), budget 2 亿元 (basis estimate), metal output cap 1 万 t as an indicator.
Budget hard: the best pair {p2, p3} = 2.7 亿元. Budget as an indicator: all three = 3.7 亿元,
investing 3 亿元: above the limit by 1.
"""

from __future__ import annotations

import math
import shutil

import pyomo.environ as pyo
import pytest

from ioopt import api
from ioopt.analyses.whatif import WhatIf
from ioopt.errors import InputError
from ioopt.formulation import build_model
from ioopt.quota_table import INDICATOR_NOTE
from ioopt.scenario import QuotaChange, Scenario, apply_overrides
from tests.conftest import EXAMPLE, REF

REF6 = REF / "ref6_indicator"


def _case(scenario: str | None = None):
    case = api.load_case(REF6)
    return case if scenario is None else api.apply_scenario(case, REF6 / scenario)


def _selected(r):
    pf = r.portfolio
    return set(pf.loc[pf["selected"] & (pf["status"] != "existing"), "project"])


def _row(r, name):
    q = r.quotas
    assert (q["name"] == name).sum() == 1
    return q[q["name"] == name].iloc[0]


def test_budget_binds_when_hard():
    r = api.run(_case())
    assert r.solve.objective == pytest.approx(2.7, abs=1e-9)
    assert _selected(r) == {"p2", "p3"}
    cap = _row(r, "capital_total")
    assert cap["mode"] == "hard" and cap["binding"] and cap["used"] == pytest.approx(2.0)
    assert cap["basis"] == "estimate" and cap["verdict"] == "within the limit"
    # the metal cap is an indicator: 1 万 t of metal (p2) against 1
    metal = _row(r, "sector_output_cap")
    assert metal["mode"] == "report" and not metal["binding"]
    assert metal["used"] == pytest.approx(1.0) and metal["verdict"] == "within the limit"
    assert metal["basis"] == "sourced"


def test_budget_as_indicator_raises_the_objective_and_reads_above():
    r = api.run(_case("scenario_report.yaml"))
    assert r.solve.objective == pytest.approx(3.7, abs=1e-9)
    assert _selected(r) == {"p1", "p2", "p3"}
    cap = _row(r, "capital_total")
    assert cap["mode"] == "report" and not cap["binding"]
    assert cap["used"] == pytest.approx(3.0) and cap["verdict"] == "above the limit by 1"
    assert math.isnan(cap["shadow_price"]) and cap["price_note"] == INDICATOR_NOTE
    assert _row(r, "sector_output_cap")["verdict"] == "above the limit by 1"  # 2 万 t of metal
    # no constraint and no slack: a named Expression holds its use
    m = r.model.pyomo
    assert m.component("capital_total") is None and m.component("slack_capital_total") is None
    assert pyo.value(m.component("capital_total_report")["total"], exception=False) is not None
    assert "total" in r.solve.compiled.exprs["capital_total_report"]
    s = r.summary()
    assert s["indicators"][0] == ("investment budget: plan <= 2 亿元; the portfolio: 3 亿元: above "
                                  "the limit by 1 (an indicator: reported, not enforced)")
    assert s["rests_on_estimates"] == []  # the only estimate is not binding: it is reported
    text = api.summary_text(r)
    assert "indicators (mode report" in text and "above the limit by 1" in text


def test_family_setting_report_is_the_same_as_the_row_cell():
    case = apply_overrides(_case(), Scenario(name="f", case={
        "families": {"capital_total": {"mode": "report"}}}), "t")
    r = api.run(case)
    assert r.solve.objective == pytest.approx(3.7, abs=1e-9)
    assert _row(r, "capital_total")["mode"] == "report"


def test_an_indicator_rule_made_hard_binds_again():
    # budget reported only, metal cap enforced: one metal plant, the better one (p2) with p3
    r = api.run(_case("scenario_report_metal_cap.yaml"))
    assert r.solve.objective == pytest.approx(2.7, abs=1e-9)
    assert _selected(r) == {"p2", "p3"}
    assert _row(r, "sector_output_cap")["binding"]
    assert _row(r, "capital_total")["verdict"] == "within the limit"  # 2 亿元 of 2


def test_elastic_model_gives_indicators_no_slack():
    built = build_model(_case("scenario_report.yaml"), elastic=True)
    m = built.pyomo
    assert m.component("slack_energy_total") is not None
    assert m.component("slack_capital_total") is None
    assert m.component("slack_sector_output_cap") is None
    assert {q.family for q in built.quota_rows if q.has_slack} == {"energy_total"}


def test_what_if_on_an_indicator_moves_only_its_verdict():
    base = _case("scenario_report.yaml")
    wi = WhatIf(base)
    r0 = wi.run(base, explain=False)
    up = apply_overrides(base, Scenario(name="up", quotas=[
        QuotaChange(family="capital_total", set=4)]), "t")
    r1 = wi.run(up, explain=False)
    assert wi.fast_runs == 2 and wi.rebuilds == 0
    assert r1.solve.objective == pytest.approx(r0.solve.objective) == pytest.approx(3.7)
    assert _row(r0, "capital_total")["verdict"] == "above the limit by 1"
    cap = _row(r1, "capital_total")
    assert cap["limit"] == 4 and cap["verdict"] == "within the limit" and not cap["binding"]


def test_infeasibility_never_relaxes_an_indicator():
    # all three committed (capex 3 > 2, energy 8): cut energy to 6 -> short by 2; the budget,
    # an indicator, is no part of the explanation
    case = apply_overrides(_case("scenario_report.yaml"), Scenario(
        name="s", quotas=[QuotaChange(family="energy_total", set=6)],
        projects=[{"project": p, "status": "committed", "online_year": 2021}
                  for p in ("p1", "p2", "p3")]), "t")
    r = api.run(case)
    assert r.status.value == "infeasible"
    inf = r.infeasibility
    assert inf is not None and inf.structural == []
    assert list(inf.relaxations["family"]) == ["energy_total"]
    assert inf.relaxations["relax_by"].iloc[0] == pytest.approx(2.0)
    assert inf.iis == ["energy_total[2021]"]


def test_intensity_indicator_reads_energy_over_value_added():
    case = apply_overrides(api.load_case(EXAMPLE), Scenario(name="i", case={
        "families": {"energy_intensity": {"mode": "report"}}}), "t")
    r = api.run(case)
    assert r.ok and r.model.pyomo.component("energy_intensity") is None
    q = r.quotas[r.quotas["name"] == "energy_intensity"]
    assert len(q) and (q["mode"] == "report").all() and not q["binding"].any()
    tot = r.totals.set_index("year")
    for row in q.itertuples():
        want = tot.at[row.year, "energy_10k_tce"] / tot.at[row.year, "value_added_100m_cny"]
        assert row.used == pytest.approx(want, rel=1e-9)
    # an indicator never constrains: the objective is the one without the family
    off = apply_overrides(api.load_case(EXAMPLE), Scenario(name="o", case={
        "families": {"energy_intensity": {"enabled": False}}}), "t")
    assert r.solve.objective == pytest.approx(api.run(off).solve.objective, rel=1e-9)


def test_green_rows_are_indicators_only_with_contracted_renewables(tmp_path):
    pooled = {"accounting": {"renewables": "pooled"}}
    with pytest.raises(InputError, match="green_share"):
        apply_overrides(api.load_case(EXAMPLE), Scenario(name="g", case={
            **pooled, "families": {"green_share": {"mode": "report"}}}), "t")
    with pytest.raises(InputError, match="report is for quota and rule families"):
        apply_overrides(api.load_case(EXAMPLE), Scenario(name="d", case={
            "families": {"dependency": {"mode": "report"}}}), "t")
    with pytest.raises(InputError) as err:
        apply_overrides(api.load_case(EXAMPLE), Scenario(name="r", case=pooled, quotas=[
            QuotaChange(family="green_share", mode="report")]), "t")
    assert "hard or soft for green_share" in str(err.value)
    # contracted (the default): the park's green power is the contracted output, an
    # expression of its own, so the share reads the same whether it constrains or not
    case = apply_overrides(api.load_case(EXAMPLE), Scenario(name="ok", quotas=[
        QuotaChange(family="green_share", mode="report")]), "t")
    r = api.run(case)
    g = r.quotas[r.quotas["name"] == "green_share"]
    assert (g["mode"] == "report").all() and not g["binding"].any()
    pf = r.portfolio.set_index("project")
    use = g.set_index("year")["used"]
    assert use[2021] > 0 and pf.at["wind_1", "production_10k_2021"] > 0
    with pytest.raises(InputError, match="one of hard, soft, report"):
        apply_overrides(api.load_case(EXAMPLE), Scenario(name="x", quotas=[
            QuotaChange(family="energy_total", mode="ignore")]), "t")


def test_basis_is_checked_and_blank_means_estimate(tmp_path):
    case = tmp_path / "ref6"
    shutil.copytree(REF6, case)
    q = case / "quotas.csv"
    q.write_text(q.read_text(encoding="utf-8").replace(",estimate,", ",guess,"),
                 encoding="utf-8")
    with pytest.raises(InputError) as err:
        api.load_case(case)
    p = err.value.problems[0]
    assert (p.file, p.line, p.field) == ("quotas.csv", 3, "basis")
    assert "sourced" in p.expected and "estimate" in p.expected
    q.write_text(q.read_text(encoding="utf-8").replace(",guess,", ",,"), encoding="utf-8")
    r = api.run(api.load_case(case))
    assert _row(r, "capital_total")["basis"] == "estimate"


def test_summary_names_the_binding_estimate_and_what_it_decides(tmp_path):
    r = api.run(_case())
    [e] = r.summary()["rests_on_estimates"]
    assert e["row"] == "capital_total" and e["rejected_needing_it"] == ["p1"]
    assert e["sentence"] == ("investment budget (an estimate, see its source column) binds: "
                             "rejected candidates that would need it: p1")
    assert e["sentence_zh"].startswith("投资总额（估计值")
    assert "conclusions that rest on estimates" in api.summary_text(r)
    # the same budget, sourced: nothing rests on an estimate
    case = tmp_path / "ref6"
    shutil.copytree(REF6, case)
    q = case / "quotas.csv"
    q.write_text(q.read_text(encoding="utf-8").replace(",estimate,", ",sourced,"),
                 encoding="utf-8")
    assert api.run(api.load_case(case)).summary()["rests_on_estimates"] == []


def test_rank_reason_says_the_decisive_row_is_an_estimate():
    rk = api.rank(_case(), workers=1)
    p1 = rk.table.set_index("project").loc["p1"]
    assert p1["decisive_constraint"] == "capital_total"
    assert p1["reason"].startswith("rejected: does not fit: needs 1 亿元 of the investment budget")
    assert "; the investment budget is an estimate (see its source column)" in p1["reason"]


def test_html_report_shows_indicators_and_estimates(tmp_path):
    r = api.run(_case("scenario_report.yaml"))
    r.write(tmp_path / "report")
    page = api.report(tmp_path / "report", fmt="html", static=False).html
    assert page is not None
    html = page.read_text(encoding="utf-8")
    assert 'id="indicators"' in html and "above the limit by 1" in html
    hard = api.run(_case())
    hard.write(tmp_path / "hard")
    zh = api.report(tmp_path / "hard", fmt="html", lang="zh", static=False).html
    assert zh is not None
    text = zh.read_text(encoding="utf-8")
    assert 'id="estimates"' in text and "依赖估计值的结论" in text


def test_curve_of_an_indicator_sweeps_its_verdict(tmp_path):
    c = api.curve(_case("scenario_report.yaml"), "capital_total", "1", "4", steps=4,
                  out=tmp_path / "curve", workers=1, progress=False)
    t = c.table
    assert t["indicator"].all() and not t["binding"].any()
    assert t["objective"].tolist() == pytest.approx([3.7] * 4)
    assert list(t["verdict"]) == ["above the limit by 2", "above the limit by 1",
                                  "within the limit", "within the limit"]
    assert "capital_total is an indicator" in c.text()


def test_a_cap_with_too_little_room_for_a_lump_is_named_too():
    # budget 2.5: {p2, p3} take 2, the 0.5 left cannot take p1's 1 亿元; the row does not bind
    r = api.run(apply_overrides(_case(), Scenario(name="b", quotas=[
        QuotaChange(family="capital_total", set=2.5)]), "t"))
    assert _selected(r) == {"p2", "p3"} and not _row(r, "capital_total")["binding"]
    [e] = r.summary()["rests_on_estimates"]
    assert not e["binding"] and e["do_not_fit"] == ["p1"]
    assert e["sentence"] == ("investment budget (an estimate, see its source column): leaves "
                             "0.5 亿元, less than these rejected candidates need: p1 (1)")
