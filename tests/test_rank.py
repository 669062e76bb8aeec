"""Ranking: exact values agree with by-hand re-solves, every decision has a reason,
sampled robustness is reproducible."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from ioopt import api, words
from ioopt.analyses.ranking import rank
from ioopt.case import derive_tables
from ioopt.cli import main
from ioopt.schemas import TABLES
from tests.conftest import EXAMPLE

GAP = 1e-9


def _tables(case):
    return {k: getattr(case, k).copy() for k in TABLES}


def _without(case, j):
    t = _tables(case)
    t["projects"] = t["projects"][t["projects"]["project"] != j]
    return case.replace(**derive_tables(t))


def _committed_in(case, j, year):
    t = _tables(case)
    p = t["projects"]
    p.loc[p["project"] == j, "status"] = "committed"
    p.loc[p["project"] == j, "online_year"] = year
    return case.replace(**derive_tables(t))


def _obj(case):
    r = api.run(case, mip_gap=GAP)
    assert r.ok
    return r.solve.objective


@pytest.fixture(scope="module")
def example_rank():
    return rank(api.load_case(EXAMPLE), exact=True, workers=1)


def test_exact_values_match_by_hand_resolves(example_rank):
    case = api.load_case(EXAMPLE)
    base = _obj(case)
    t = example_rank.table.set_index("project")
    assert example_rank.base_objective == pytest.approx(base, rel=1e-6)
    # a selected candidate and a committed project: rebuild the case without them
    for j in ("foil_2", "lianmeng_foil"):
        assert t.at[j, "selected"]
        assert t.at[j, "leave_one_out"] == pytest.approx(base - _obj(_without(case, j)), rel=1e-5, abs=1e-3)
    assert t.at["lianmeng_foil", "commitment_cost"] == pytest.approx(-t.at["lianmeng_foil", "leave_one_out"])
    # rejected candidates: commit them in each possible year by hand, keep the best
    # (recycled_2 shares an exclusive group with recycled_1: forcing it in rules that out)
    for j, drop in (("solar_1", None), ("recycled_2", "recycled_1")):
        assert not t.at[j, "selected"]
        hand = _without(case, drop) if drop else case
        best = max(_obj(_committed_in(hand, j, y)) for y in case.years[1:])
        assert t.at[j, "force_in_cost"] == pytest.approx(base - best, rel=1e-5, abs=1e-3)


def test_estimates_bound_the_exact_values(example_rank):
    # holding every other build decision fixed can only make removal or forcing-in worse
    t = example_rank.table
    sel, rej = t[t["selected"]], t[~t["selected"]]
    assert (sel["leave_one_out_estimate"] >= sel["leave_one_out"] - 1e-4).all()
    assert (rej["force_in_cost_estimate"] >= rej["force_in_cost"] - 1e-4).all()


def test_rank_order_follows_the_stated_rule(example_rank):
    t = example_rank.table
    assert list(t["rank"]) == list(range(1, len(t) + 1))
    n_sel = int(t["selected"].sum())
    assert t["selected"].iloc[:n_sel].all()
    assert t["leave_one_out"].iloc[:n_sel].is_monotonic_decreasing
    assert t["force_in_cost"].iloc[n_sel:].is_monotonic_increasing
    assert "leave-one-out" in example_rank.rule and "force-in" in example_rank.rule


def test_every_decision_has_a_reason(example_rank):
    t = example_rank.table.set_index("project")
    assert t.loc[~t["selected"], "reason"].str.startswith("rejected: ").all()
    assert (t.loc[~t["selected"], "decisive_constraint"] != "").all()
    assert t.at["recycled_2", "reason"].startswith("rejected: recycled_1 is selected")
    assert "investment budget" in t.at["solar_1", "reason"]
    assert t.at["lianmeng_foil", "reason"].startswith("committed: ")


def test_tongliao_every_rejected_candidate_has_a_decisive_constraint(tongliao_run):
    r = rank(tongliao_run.case, exact=False, workers=1)
    t = r.table
    rej = t[~t["selected"]]
    assert len(rej) >= 5  # 8 of 72 since the limits rest on their basis (issue 16)
    assert (rej["decisive_constraint"].str.len() > 0).all()
    assert rej["reason"].str.startswith("rejected: ").all()
    # estimated values are finite for selected projects and never negative losses
    sel = t[t["selected"] & (t["status"] == "candidate")]
    assert (sel["leave_one_out_estimate"] >= -1e-6).all()


UNCERTAIN = """name: uncertain
case:
  uncertainty:
    - {table: sectors, field: price_cny, rel: 0.3}
    - {table: quotas, field: limit, where: {family: energy_total}, rel: 0.3, joint: true}
    - {table: quotas, field: limit, where: {family: capital_total}, rel: 0.5, joint: true}
"""


def test_robustness_is_reproducible(tmp_path):
    sc = tmp_path / "u.yaml"
    sc.write_text(UNCERTAIN)
    case = api.apply_scenario(api.load_case(EXAMPLE), sc)
    cols = ["robustness", "loss_mean", "loss_worst", "robust_rank"]
    ta = rank(case, samples=8, seed=1, workers=1).table.set_index("project")
    tb = rank(case, samples=8, seed=1, workers=2).table.set_index("project")
    pd.testing.assert_frame_equal(ta[cols].sort_index(), tb[cols].sort_index())
    a = ta["robustness"]
    assert a.between(0, 1).all()
    assert ((a > 0) & (a < 1)).any()  # the ranges are wide enough to change some decisions
    # a project no sample selects loses nothing; one every sample selects loses in each
    assert (ta.loc[a == 0, "loss_mean"] == 0).all()
    assert (ta["loss_worst"] >= ta["loss_mean"] - 1e-9).all()
    # the robust rank orders by the mean loss
    by_rank = ta.sort_values("robust_rank")["loss_mean"].to_numpy()
    assert (by_rank[:-1] >= by_rank[1:] - 1e-9).all()
    assert sorted(ta["robust_rank"]) == list(range(1, len(ta) + 1))


def test_samples_without_ranges_is_a_clear_error(tmp_path):
    r = CliRunner().invoke(main, ["rank", "--case", str(EXAMPLE), "--samples", "3",
                                  "--out", str(tmp_path)])
    assert r.exit_code == 2
    assert "uncertainty" in r.output


def test_cli_rank_writes_the_ranking(tmp_path):
    r = CliRunner().invoke(main, ["rank", "--case", str(EXAMPLE), "--out", str(tmp_path),
                                  "--workers", "1"])
    assert r.exit_code == 0, r.output
    t = pd.read_csv(tmp_path / "ranking.csv")
    assert {"rank", "project", "selected", "online_year", "decisive_constraint", "reason",
            "leave_one_out_estimate", "force_in_cost_estimate"} <= set(t.columns)
    assert (tmp_path / "ranking_quota_use.csv").exists()
    assert "rank: selected projects" in r.output


def test_bad_uncertainty_field_is_named(tmp_path):
    sc = tmp_path / "u.yaml"
    sc.write_text("name: u\ncase:\n  uncertainty:\n    - {table: sectors, field: nonsense, rel: 0.1}\n")
    r = CliRunner().invoke(main, ["solve", "--case", str(EXAMPLE), "--scenario", str(sc),
                                  "--out", str(tmp_path)])
    assert r.exit_code == 2
    assert "uncertainty[0].field" in r.output


def test_exact_ranking_time_limit_is_reported_not_a_verdict():
    """Re-solves stopped by a (forced, tiny) time limit are reported with their status and
    bounds; no project gets a verdict (fits / cannot be added / chosen anyway) from them."""
    from ioopt.solver.status import SolveStatus

    case = api.load_case(EXAMPLE)
    r = rank(case, exact=True, workers=1, resolve_time_limit=1e-6)
    t = r.table
    statuses = {SolveStatus.parse(s) for s in t["exact_status"]}
    assert statuses <= {SolveStatus.OPTIMAL, SolveStatus.FEASIBLE, SolveStatus.TIME_LIMIT,
                        SolveStatus.INFEASIBLE}
    stopped = t[t["exact_status"].map(lambda s: SolveStatus.parse(s).stopped_early)]
    assert len(stopped), "the time limit must stop some re-solves"
    for rec in stopped.to_dict("records"):
        assert "time limit" in rec["reason"], rec["reason"]
        for verdict in ("cannot be added", "chosen anyway", "does not fit", "can never fit"):
            assert verdict not in rec["reason"]
        value = rec["leave_one_out"] if rec["selected"] else rec["force_in_cost"]
        assert not (isinstance(value, float) and value == float("inf"))
    assert any("time limit" in n for n in r.notes)


def test_reasons_in_chinese_say_the_same(example_rank):
    """The reasons come from the one words module: in Chinese each states the same verdict
    and decisive constraint, with no English verdict words left."""
    import re

    from ioopt.analyses.reasons import reason

    r = example_rank
    for rec in r.table.to_dict("records"):
        con_en, en = reason(rec, r.quota_use, r.base, True, "en")
        con_zh, zh = reason(rec, r.quota_use, r.base, True, "zh")
        assert en == rec["reason"] and con_zh == con_en
        head = {"rejected": "落选", "selected": "入选", "committed": "已承诺"}[en.split(":")[0]]
        assert zh.startswith(head), zh
        assert not re.search(r"\b(rejected|selected|forcing|without it|does not fit)\b", zh), zh


def test_quick_estimates_are_bounds_without_verdicts():
    r = rank(api.load_case(EXAMPLE), exact=False, workers=1)
    assert "leave_one_out" not in r.table and "upper bound" in r.rule
    for text in r.table["reason"]:
        for verdict in ("chosen anyway", "does not fit", "commitment costs",
                        "cannot be added to this portfolio"):
            assert verdict not in text, text
    sel = r.table[r.table["selected"]]
    assert sel["reason"].str.contains("at most").all()


def test_a_near_tie_is_reported_as_a_tie():
    """Two identical candidates that exclude each other: whichever the solver builds, the
    other's force-in cost is within the MIP gap, so the ranking calls it a tie with its
    twin, not a misfit."""
    case = api.load_case(EXAMPLE)
    t = _tables(case)
    p = t["projects"]
    twin = p[p["project"] == "foil_2"].copy()
    twin["project"] = "foil_2_twin"
    p = pd.concat([p, twin], ignore_index=True)
    p.loc[p["project"].isin(["foil_2", "foil_2_twin"]), "exclusive_group"] = "twins"
    t["projects"] = p
    r = rank(case.replace(**derive_tables(t)), exact=True, workers=1)
    tab = r.table.set_index("project")
    assert tab.loc[["foil_2", "foil_2_twin"], "selected"].sum() == 1
    out = "foil_2" if not tab.at["foil_2", "selected"] else "foil_2_twin"
    other = "foil_2_twin" if out == "foil_2" else "foil_2"
    assert tab.at[out, "tie"]
    assert abs(tab.at[out, "force_in_cost"]) <= tab.at[out, "tie_tolerance"]
    assert tab.at[out, "reason"].startswith("rejected, but within the MIP gap")
    assert other in tab.at[out, "reason"] and other in tab.at[out, "exact_changed"]
    assert any("ties" in n for n in r.notes)


def test_reason_parts_add_up_to_the_exact_value():
    # ref2: goods_a's loss of 5.4 亿元 is 9 of output, less 1.8 of ore and metal at their
    # prices, = 7.2, less the 1.8 the smelter's metal earns when re-arranged without it
    from tests.conftest import REF

    rk = api.rank(api.load_case(REF / "ref2_chain"), workers=1)
    t = rk.table.set_index("project")
    a = t.loc["goods_a"]
    assert a["output_at_prices"] == pytest.approx(9.0) and a["inputs_at_prices"] == pytest.approx(1.8)
    assert a["first_order"] == pytest.approx(7.2) and a["rearrangement"] == pytest.approx(-1.8)
    assert "in parts (亿元): output 9, less inputs 1.8" in a["reason"]
    assert a["reason"].endswith("together 5.4")
    rk = api.rank(api.load_case(EXAMPLE), workers=2)
    for r in rk.table.dropna(subset=["rearrangement"]).to_dict("records"):
        parts = (r["output_at_prices"] - r["inputs_at_prices"] - r["capital_charge"]
                 - r["quota_cost_at_prices"] - r["other_at_prices"])
        assert parts == pytest.approx(r["first_order"], abs=1e-9)
        # the sentence carries the same numbers
        assert f"= {words.num(r['first_order'])};" in r["reason"]


def test_readme_ranking_examples_match_the_default_case():
    # the README's rank examples (the block after the rank-examples marker) are the
    # default case's own sentences: each line's verdict, up to its first ';', is what a
    # live exact ranking says of that project
    from tests.conftest import ROOT

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- rank-examples")[1].split("```")[1]
    examples = [ln.split(None, 1) for ln in block.strip().splitlines()]
    assert len(examples) >= 4
    t = api.rank(api.load_case(), workers=2).table.set_index("project")
    for project, sentence in examples:
        assert t.at[project, "reason"].split(";")[0] == sentence.split(";")[0], project


def test_leaving_out_a_project_takes_out_the_committed_projects_that_need_it():
    """stainless_2 (made committed) requires jingan_stainless: leaving Jing'an out must take
    stainless_2 out too (not report an infeasible re-solve), and the reason says so."""
    case = _committed_in(api.load_case(EXAMPLE), "stainless_2", 2023)
    r = rank(case, exact=True, workers=1)
    t = r.table.set_index("project")
    base = _obj(case)
    by_hand = _obj(_without(_without(case, "stainless_2"), "jingan_stainless"))
    assert t.at["jingan_stainless", "leave_one_out"] == pytest.approx(base - by_hand, rel=1e-5, abs=1e-3)
    assert t.at["jingan_stainless", "exact_takes_out"] == "stainless_2"
    assert "also takes out stainless_2" in t.at["jingan_stainless", "reason"]
    assert not t.at["stainless_2", "exact_takes_out"]
