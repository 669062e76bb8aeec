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
    # 80 % green power in Huolinguole: an aluminium-wheel plant replaces the agricultural-
    # machinery plant (less power drawn where it counts)
    ("green_share_80.yaml", {"A_IL_WHEEL"}, {"Q_IL_AGRIMACH"}),
    # 1,000亿元 of investment: the money goes to renewables first
    ("investment_1000.yaml", {"E_IL_GREEN_HLGL", "E_IL_WIND_ZLT"}, set()),
])
def test_config_changes_the_portfolio(tongliao_run, name, joins, leaves):
    base = _selected(tongliao_run)
    r = _run(name)
    sel = _selected(r)
    assert sel != base
    assert joins <= sel - base
    assert leaves <= base - sel
    # a scenario that only tightens cannot do better; investment_1000 only relaxes
    if name == "investment_1000.yaml":
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
