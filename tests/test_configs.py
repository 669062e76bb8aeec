"""The scenario files in configs/: the what-ifs a planner tries first on the default case."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from ioopt import api
from ioopt.case import DEFAULT_CASE
from tests.conftest import ROOT

CONFIGS = ROOT / "configs"


def _selected(r: api.RunResult) -> set[str]:
    pf = r.portfolio
    return set(pf.loc[pf["selected"] & (pf["status"] == "candidate"), "project"])


def _run(name: str) -> api.RunResult:
    case = api.apply_scenario(api.load_case(DEFAULT_CASE), CONFIGS / name)
    r = api.run(case, scenario=name)
    assert r.status.value == "optimal", r.solve.message
    return r


def test_every_config_is_described():
    files = sorted(CONFIGS.glob("*.yaml"))
    assert len(files) >= 3
    for f in files:
        raw = yaml.safe_load(f.read_text(encoding="utf-8"))
        assert raw.get("description"), f.name


@pytest.mark.parametrize(("name", "joins", "leaves"), [
    # 80 % green power in Huolinguole: an aluminium-wheel plant replaces the agricultural-
    # machinery plant (less power drawn where it counts)
    ("green_share_80.yaml", {"A_IL_WHEEL"}, {"Q_IL_AGRIMACH"}),
    # 1,000亿元 of investment: the money goes to renewables first
    ("investment_1000.yaml", {"E_IL_GREEN_HLGL", "E_IL_WIND_ZLT"}, set()),
    # the 800亿元 as the plan's expected indicator (reported, not a cap): Tianying and the
    # wind farms come in, a recycled-aluminium plant leaves
    ("investment_as_indicator.yaml", {"E_TIANYING_1", "E_IL_GREEN_HLGL", "E_IL_WIND_KL"},
     {"A_IL_RECY_KZZ"}),
])
def test_config_changes_the_portfolio(tongliao_run, name, joins, leaves):
    base = _selected(tongliao_run)
    r = _run(name)
    sel = _selected(r)
    assert sel != base
    assert joins <= sel - base
    assert leaves <= base - sel
    # a scenario that only tightens cannot do better; investment_1000 only relaxes
    if name in ("investment_1000.yaml", "investment_as_indicator.yaml"):
        assert r.solve.objective >= tongliao_run.solve.objective - 1e-6
    else:
        assert r.solve.objective <= tongliao_run.solve.objective + 1e-6


def test_tighter_energy_is_absorbed_in_operation_at_higher_prices(tongliao_run):
    # with plants ramping up (case.yaml utilisation) the portfolio stays; every tce costs more
    r = _run("energy_minus_10.yaml")
    assert _selected(r) == _selected(tongliao_run)
    assert r.solve.objective < tongliao_run.solve.objective - 10.0  # 亿元 given up

    def price(res):
        q = res.quotas
        return q[q["name"] == "energy_total"].set_index("year")["shadow_price"]

    assert (price(r) > price(tongliao_run) + 100.0).all()  # CNY/tce, every year


def test_late_water_transfer_is_absorbed_in_operation(tongliao_run):
    r = _run("water_transfer_late.yaml")
    assert _selected(r) == _selected(tongliao_run)

    def water(res):
        q = res.quotas
        return q[(q["name"] == "water_total")].set_index("year")

    late, base = water(r), water(tongliao_run)
    assert late["binding"].sum() > base["binding"].sum()
    assert late.loc[2023, "shadow_price"] > 3 * base.loc[2023, "shadow_price"]
    assert r.solve.objective < tongliao_run.solve.objective - 1.0  # 亿元 given up


def test_markets_example_prices_deep_processing_beyond_the_plan(tongliao_run):
    r = _run("markets_example.yaml")
    assert _selected(r) == _selected(tongliao_run)
    s = r.sectors.set_index(["sector", "year"])
    mk = r.markets.set_index(["sector", "year", "direction", "step"])
    # beyond the plan's capacity path (336.4 万t in 2024) deep products sell at 13,000:
    # still worth making from imported primary aluminium at 12,900, so volumes stay and
    # the 100.5 万t over the path lose 1,000 CNY/t
    assert mk.loc[("al_deep", 2024, "export", 1), "full"]
    assert mk.loc[("al_deep", 2024, "export", 2), "used_10k"] == pytest.approx(100.47, abs=0.01)
    assert s.loc[("al_deep", 2024), "marginal_export_price_cny_per_unit"] == pytest.approx(13000)
    assert s.loc[("al_deep", 2021), "marginal_export_price_cny_per_unit"] == pytest.approx(14000)
    assert s.loc[("al_primary", 2024), "imports_10k"] == pytest.approx(147.03, abs=0.01)
    assert s.loc[("al_primary", 2021), "marginal_export_price_cny_per_unit"] == pytest.approx(12300)
    assert pd.isna(s.loc[("al_primary", 2024), "marginal_export_price_cny_per_unit"])  # none sold
    assert not mk.xs("elec", level="sector")["full"].any()  # Lu-Gu's ceiling never binds
    loss = tongliao_run.solve.objective - r.solve.objective
    assert 18.0 < loss < 20.0  # 亿元: (100.47 + 86.87) x 1,000 CNY/t + 7.45 x 300 CNY/t


def test_investment_as_indicator_reports_the_800_against_the_portfolio():
    r = _run("investment_as_indicator.yaml")
    cap = r.quotas[r.quotas["name"] == "capital_total"].iloc[0]
    assert cap["mode"] == "report" and cap["basis"] == "sourced" and not cap["binding"]
    assert cap["used"] > 800 and cap["verdict"].startswith("above the limit by ")
    assert r.summary()["indicators"][0].startswith("investment budget: plan <= 800 亿元")
