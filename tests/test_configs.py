"""The scenario files in configs/: the what-ifs a planner tries first on the default case."""

from __future__ import annotations

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
    # 1,000亿元 of investment: the money goes to renewables first (with the capital charge
    # an annuity, wind pays for itself even when its power is exported)
    ("investment_1000.yaml", {"E_IL_GREEN_HLGL", "E_IL_WIND_ZLT"}, set()),
    # the 800亿元 as the plan's expected indicator (reported, not a cap): the same projects
    # come in as with 1,000
    ("investment_as_indicator.yaml", {"E_IL_GREEN_HLGL", "E_IL_WIND_ZLT", "E_IL_WIND_KL"},
     set()),
])
def test_config_changes_the_portfolio(tongliao_run, name, joins, leaves):
    base = _selected(tongliao_run)
    r = _run(name)
    sel = _selected(r)
    assert sel != base
    assert joins <= sel - base
    assert leaves <= base - sel
    # both only relax: they cannot do worse
    assert r.solve.objective >= tongliao_run.solve.objective - 1e-6


def _quota(r, name, **where):
    q = r.quotas[r.quotas["name"] == name]
    for k, v in where.items():
        q = q[q[k] == v]
    assert len(q) == 1
    return q.iloc[0]


def test_contracting_wind_to_huolinguole_counts_it_as_the_regions_own(tongliao_run):
    # only contracted renewable power is the region's own: contracting the northern wind
    # farms (their 2020 fleet: 474 万MWh in 2020, 560 at capacity) to the zone feeds its
    # green targets and lowers counted energy, so the binding energy quota lets more be produced
    r = _run("green_contract_hlgl.yaml")
    cap = float(r.case.projects.at["E_WIND_N", "capacity_10k"])
    assert _quota(r, "green_power", year=2025)["used"] == pytest.approx(cap)  # 0 in the base
    assert _quota(tongliao_run, "green_power", year=2025)["used"] == pytest.approx(0)
    assert r.solve.objective > tongliao_run.solve.objective + 10.0  # 亿元


def test_green_share_80_hard_is_infeasible_and_explained():
    case = api.apply_scenario(api.load_case(DEFAULT_CASE), CONFIGS / "green_share_80.yaml")
    r = api.run(case, scenario="green_share_80.yaml")
    assert r.status.value == "infeasible"
    relax = r.infeasibility.relaxations
    row = relax[relax["family"] == "green_share"].iloc[0]
    # with the northern wind contracted, the zone reaches at most ~42 % in 2025
    assert row["park"] == "hlgl" and 0.3 < row["needed"] < 0.5


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
    # deep products beyond the plan's capacity path (350 万t in 2025) sell at 13,000: the
    # first step is full in 2025 and the marginal export price is the second step's
    assert mk.loc[("al_deep", 2025, "export", 1), "full"]
    assert mk.loc[("al_deep", 2025, "export", 2), "used_10k"] > 0
    assert s.loc[("al_deep", 2025), "marginal_export_price_cny_per_unit"] == pytest.approx(13000)
    assert s.loc[("al_deep", 2021), "marginal_export_price_cny_per_unit"] == pytest.approx(14000)
    assert not mk.xs("elec", level="sector")["full"].any()  # Lu-Gu's ceiling never binds
    # the objective given up is at least the price lost on what the scenario's plan sells
    # below the sector price (the base plan would lose more, or it would be kept)
    price = api.load_case(DEFAULT_CASE).sectors["price_cny"]
    m = r.markets
    lost = sum(max(0.0, price[sc] - p) * u for sc, p, u in
               zip(m["sector"], m["price_cny"], m["used_10k"], strict=True)) / 1e4  # 亿元
    loss = tongliao_run.solve.objective - r.solve.objective
    assert lost > 1.0 and loss >= lost - 1e-6


def test_investment_as_indicator_reports_the_800_against_the_portfolio():
    r = _run("investment_as_indicator.yaml")
    cap = r.quotas[r.quotas["name"] == "capital_total"].iloc[0]
    assert cap["mode"] == "report" and cap["basis"] == "sourced" and not cap["binding"]
    assert cap["used"] > 800 and cap["verdict"].startswith("above the limit by ")
    assert r.summary()["indicators"][0].startswith("investment budget: plan <= 800 亿元")
