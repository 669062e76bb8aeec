"""Quota value curves, frontiers and sensitivity ranges, against hand-worked instances
(models/FORMULATION.md: ref1b ranging, ref3 curve)."""

from __future__ import annotations

import math

import pytest
from click.testing import CliRunner

from ioopt import api
from ioopt.analyses.tradeoffs import curve, frontier, parse_level
from ioopt.cli import main
from ioopt.errors import InputError
from ioopt.solver.status import solved as status_solved
from tests.conftest import EXAMPLE, REF

REF3 = REF / "ref3_curve"


def test_ranging_matches_hand_worked_ref1b():
    """ref1b with p1 and p3 built (fixed-portfolio LP: max 1.5 x3 + c1 x1, 2 x3 + 2 x1 <= E,
    x3 <= 1, x1 <= 1, x2 = 0): energy's price c1/2 = 5,000 CNY/tce holds while x1 = (E-2)/2
    stays in [0, 1], E in 2..4 万 tce. p1's value c1 = 1.0 may rise to 1.5 (then x3's
    bound row would price negative) and fall to 0.5 (below it the unbuilt p2's column,
    reduced cost 1.0 - 4 * c1/2, would enter the basis, degenerately): -50 % .. +50 %.
    p3's c3 = 1.5 may fall to c1 = 1.0 (-33.3 %) and rise without limit."""
    case = api.apply_scenario(api.load_case(REF / "ref1_energy"),
                              REF / "ref1_energy" / "scenario_two_projects.yaml")
    r = api.run(case)
    q = r.quotas.set_index("name")
    assert q.at["energy_total", "shadow_price"] == pytest.approx(5000.0)
    assert q.at["energy_total", "limit_lo_same_price"] == pytest.approx(2.0)
    assert q.at["energy_total", "limit_hi_same_price"] == pytest.approx(4.0)
    p = r.portfolio.set_index("project")
    assert p.at["p1", "value_change_lo_pct"] == pytest.approx(-50.0)
    assert p.at["p1", "value_change_hi_pct"] == pytest.approx(50.0)
    assert p.at["p3", "value_change_lo_pct"] == pytest.approx(-100.0 / 3)
    assert math.isinf(p.at["p3", "value_change_hi_pct"])


def test_ranging_can_be_off():
    r = api.run(api.load_case(REF / "ref1_energy"), ranging=False)
    assert r.quotas["limit_lo_same_price"].isna().all()
    assert r.portfolio["value_change_hi_pct"].isna().all()


def test_curve_breakpoints_worked_by_hand(tmp_path):
    """ref3: lumpy projects p1 (2 万 tce, 1.0 亿元), p2 (4, 1.2), p3 (2, 1.5): the best
    portfolio under quota E is {} below 2, {p3} from 2, {p1,p3} from 4, {p2,p3} from 6,
    all three from 8."""
    c = curve(api.load_case(REF3), "energy_total", "1", "9", 9, tmp_path / "c", workers=1,
              progress=False)
    t = c.table
    assert t["level"].tolist() == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert t["objective"].tolist() == pytest.approx([0, 1.5, 1.5, 2.5, 2.5, 2.7, 2.7, 3.7, 3.7])
    bp = c.breakpoints
    assert bp["level"].tolist() == [2, 4, 6, 8]
    assert bp["entered"].tolist() == ["p3", "p1", "p2", "p1"]
    assert bp["left"].tolist() == ["", "", "p1", ""]
    # value of each step: 1.5 亿元 for the first 万 tce that lets p3 in = 15,000 CNY/tce
    assert t["step_value"].iloc[1] == pytest.approx(15000.0)
    assert t["step_value"].iloc[5] == pytest.approx(2000.0)
    assert t.loc[t["stops_binding"], "level"].tolist() == [9]
    assert (t["objective"].diff().dropna() >= -1e-9).all()
    assert (tmp_path / "c" / "curve.csv").is_file()
    assert "breakpoint at 6: p2 enter; p1 leave" in c.text()


def test_curve_cli_percent_levels_and_resume(tmp_path):
    out = tmp_path / "cli"
    args = ["curve", "energy_total", "--case", str(EXAMPLE), "--from", "-30%", "--to", "+10%",
            "--steps", "5", "--workers", "1", "--out", str(out)]
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output
    assert "-30%" in r.output and "+10%" in r.output
    r = CliRunner().invoke(main, [*args, "--resume"])
    assert r.exit_code == 0 and "value curve" in r.output


@pytest.mark.parametrize("text, expected", [("-30%", ("scale", 0.7)), ("+10 %", ("scale", 1.1)),
                                            ("1200", ("set", 1200.0))])
def test_parse_level(text, expected):
    kind, v = parse_level(text, "--from")
    assert kind == expected[0] and v == pytest.approx(expected[1])


def test_curve_bad_input(tmp_path):
    case = api.load_case(REF3)
    with pytest.raises(InputError, match="quota family"):
        curve(case, "energy_totl", "1", "2", 2, tmp_path / "a")
    with pytest.raises(InputError, match="both in percent"):
        curve(case, "energy_total", "-10%", "5", 2, tmp_path / "b")
    with pytest.raises(InputError, match="percent"):
        parse_level("ten", "--from")


def test_frontier_has_no_dominated_points(tmp_path):
    fr = frontier(api.load_case(EXAMPLE), "carbon_total", "objective", 6, tmp_path / "f",
                  down_to=0.3, workers=1, progress=False)
    pts = fr.points
    solved = pts[status_solved(pts["status"])]
    assert len(solved) >= 3
    e = fr.efficient
    assert (e["x"].diff().dropna() > 0).all() and (e["y"].diff().dropna() > 0).all()
    for r in solved.itertuples():  # every point is efficient or dominated by one that is
        if not r.efficient:
            assert ((e["x"] <= r.x + 1e-9) & (e["y"] >= r.y - 1e-9)).any()
    for r in e.itertuples():  # no efficient point is dominated by another point
        others = solved[solved["scenario_id"] != r.scenario_id]
        assert not ((others["x"] <= r.x) & (others["y"] > r.y + 1e-9)).any()
    # the tightest solved point uses no more CO2 than its cap
    assert e["x"].max() <= pts["x"].max() + 1e-9
    assert "cost per unit" in fr.text()


def test_frontier_bad_x(tmp_path):
    with pytest.raises(InputError, match="--x"):
        frontier(api.load_case(EXAMPLE), "land", "objective", 3, tmp_path / "f")


def test_time_limited_levels_are_told_not_guessed(tmp_path):
    """A level or point stopped at the time limit before any solution is shown as such:
    no objective, no claim about where the quota stops binding or where x has no solution."""
    from ioopt.synthetic import write_synthetic_case

    case = api.load_case(write_synthetic_case(tmp_path / "case", 100, seed=3))
    c = curve(case, "energy_total", "-10%", "+10%", 2, tmp_path / "c", workers=1, progress=False,
              time_limit=1e-6)
    assert c.table["status"].tolist() == ["time_limit", "time_limit"]
    assert c.table["objective"].isna().all() and c.batch.solved == 0
    text = c.text()
    assert "stopped at the time limit before any solution at -10%, +10%" in text
    assert "where the quota stops binding is not known" in text
    fr = frontier(api.load_case(EXAMPLE), "carbon_total", "objective", 2, tmp_path / "f", workers=1, progress=False,
                  time_limit=1e-6)
    assert (fr.points["status"] == "time_limit").all() and not fr.points["efficient"].any()
    text = fr.text()
    assert "stopped at the time limit before any solution at 100%, 50%" in text
    assert "no solution at" not in text
