"""Markets (markets.csv, families export_market and import_market): the hand-worked
reference instance ref4_markets (models/FORMULATION.md), the switch, per-year steps,
scenarios and batch axes, and every check's message."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from pyomo.repn import generate_standard_repn

from ioopt import api
from ioopt.batch.spec import Axis
from ioopt.errors import InputError
from ioopt.scenario import Scenario, apply_overrides, scenario_diff
from ioopt.solver.status import SolveStatus
from tests.conftest import REF

REF4 = REF / "ref4_markets"


def _copy(tmp_path: Path) -> Path:
    dst = tmp_path / "ref4"
    shutil.copytree(REF4, dst)
    return dst


def _steps(r: api.RunResult, direction: str) -> list[float]:
    mk = r.markets
    return mk.loc[mk["direction"] == direction, "used_10k"].round(9).tolist()


def _sector(r: api.RunResult, sector: str, year: int = 2021):
    s = r.sectors
    return s[(s["sector"] == sector) & (s["year"] == year)].iloc[0]


def test_ref4_exports_stop_at_the_threshold_below_the_ore_cost():
    r = api.run(api.load_case(REF4))
    assert r.status == SolveStatus.OPTIMAL
    # 9 万t of metal (2 local, 7 exported: 3 at 10,000 + 4 at 8,000); 9 万t of ore (6 at
    # 2,000 + 3 at 4,000): 9.0 - 1.2 - 1.2 - 0.8 = 5.8 亿元
    assert r.solve.objective == pytest.approx(5.8, abs=1e-9)
    assert _steps(r, "export") == [3.0, 4.0, 0.0]
    assert _steps(r, "import") == [6.0, 3.0]
    metal, ore = _sector(r, "metal"), _sector(r, "ore")
    assert metal["production_10k"] == pytest.approx(9.0)
    assert metal["exports_10k"] == pytest.approx(7.0)
    assert ore["imports_10k"] == pytest.approx(9.0)
    # at the 7 万t threshold the marginal export is worth what its ore costs
    assert metal["marginal_export_price_cny_per_unit"] == pytest.approx(4000.0)
    assert ore["marginal_import_price_cny_per_unit"] == pytest.approx(4000.0)
    assert np.isnan(metal["marginal_import_price_cny_per_unit"])
    assert np.isnan(ore["marginal_export_price_cny_per_unit"])
    mk = r.markets.set_index(["direction", "step"])
    assert mk.loc[("export", 2), "full"] and not mk.loc[("export", 3), "full"]
    assert np.isnan(mk.loc[("export", 3), "volume_10k"])
    fl = r.flows.set_index("kind")
    assert fl.at["import", "value_100m_cny"] == pytest.approx(2.4)  # 6 x 2,000 + 3 x 4,000


def test_ref4b_a_dearer_last_step_runs_the_plant_at_capacity():
    case = api.apply_scenario(api.load_case(REF4), REF4 / "scenario_step3_5000.yaml")
    r = api.run(case)
    # 12 万t: exports 10 = 3 + 4 + 3 at 5,000; ore 6 + 6: 12 - 3.6 - 0.8 - 1.5 = 6.1 亿元
    assert r.solve.objective == pytest.approx(6.1, abs=1e-9)
    assert _steps(r, "export") == [3.0, 4.0, 3.0]
    assert _steps(r, "import") == [6.0, 6.0]
    assert _sector(r, "metal")["marginal_export_price_cny_per_unit"] == pytest.approx(5000.0)


def test_switched_off_markets_are_the_case_without_markets_csv(tmp_path):
    off = api.load_case(REF4)
    off = apply_overrides(off, Scenario(name="off", case={"families": {
        "export_market": {"enabled": False}, "import_market": {"enabled": False}}}), "test")
    r_off = api.run(off)
    folder = _copy(tmp_path)
    (folder / "markets.csv").unlink()
    r_none = api.run(api.load_case(folder))
    # exports free and unlimited, ore at its import price 3,000: 12 - 3.6 = 8.4 亿元
    assert r_off.solve.objective == pytest.approx(8.4, abs=1e-9)
    assert r_none.solve.objective == pytest.approx(r_off.solve.objective, abs=1e-12)
    assert r_off.markets.empty and r_off.model is not None
    assert r_off.model.pyomo.component("exp_step") is None
    assert np.isnan(_sector(r_off, "metal")["marginal_export_price_cny_per_unit"])  # no market


def test_year_specific_steps_leave_other_years_to_sectors_csv(tmp_path):
    folder = _copy(tmp_path)
    (folder / "case.yaml").write_text(
        (folder / "case.yaml").read_text().replace("years: [2021]", "years: [2021, 2022]"))
    text = (folder / "markets.csv").read_text().replace("metal,,export", "metal,2021,export")
    (folder / "markets.csv").write_text(text)
    (folder / "demand.csv").write_text((folder / "demand.csv").read_text()
                                       + "metal,2022,2,test\n")
    (folder / "quotas.csv").write_text((folder / "quotas.csv").read_text().replace(
        "energy_total,2021", "energy_total,"))
    r = api.run(api.load_case(folder))
    assert r.status == SolveStatus.OPTIMAL
    # 2021 as ref4; 2022: exports free (sectors.csv: blank limit), ore still stepped
    assert _sector(r, "metal", 2021)["exports_10k"] == pytest.approx(7.0)
    assert _sector(r, "metal", 2022)["exports_10k"] == pytest.approx(10.0)
    assert np.isnan(_sector(r, "metal", 2022)["marginal_export_price_cny_per_unit"])
    assert r.solve.objective == pytest.approx(5.8 + (12 - 1.2 - 2.4), abs=1e-9)
    mk = r.markets
    assert set(mk.loc[mk["direction"] == "export", "year"]) == {2021}
    assert set(mk.loc[mk["direction"] == "import", "year"]) == {2021, 2022}


def test_the_price_loss_follows_the_measure():
    def coef(measure: str, **obj: object) -> tuple[float, float]:
        case = apply_overrides(api.load_case(REF4), Scenario(name=measure, case={
            "objective": {"measure": measure, **obj}}), "test")
        m = api.build(case).pyomo
        repn = generate_standard_repn(m.objective.expr, quadratic=False)
        c = {v.name: float(k) for v, k in zip(repn.linear_vars, repn.linear_coefs, strict=True)}
        return c.get("exp_step[metal,2021,2]", 0.0), c.get("imp_step[ore,2021,2]", 0.0)

    # 2,000 CNY/t lost on step 2 (0.2 亿元 per 万t); ore step 2 costs 4,000 (0.4)
    # imports are a cost of gross output only: value added and tax are shares of output
    # value net of every input already (charging the ore again would count it twice)
    assert coef("gross_output") == pytest.approx((-0.2, -0.4))
    assert coef("value_added") == pytest.approx((-0.2, 0.0))
    assert coef("tax") == pytest.approx((-0.02, 0.0))  # the metal's tax share 0.1
    assert coef("weighted", weights={"gross_output": 0.5, "tax": 1.0}) == pytest.approx(
        (-0.2 * 0.6, -0.4 * 0.5))
    assert coef("jobs") == (0.0, 0.0)
    assert coef("gross_output", import_cost=False) == pytest.approx((-0.2, 0.0))
    case = apply_overrides(api.load_case(REF4), Scenario(name="j", case={
        "objective": {"measure": "jobs"}}), "test")
    s = api.run(case).sectors
    assert s["marginal_export_price_cny_per_unit"].isna().all()
    assert s["marginal_import_price_cny_per_unit"].isna().all()


def test_scenarios_and_batch_axes_add_and_change_steps():
    base = api.load_case(REF / "ref2_chain")  # no markets.csv
    assert base.markets.empty
    sc = Scenario(name="m", markets=[
        {"sector": "metal", "direction": "import", "step": 1, "volume_10k": 2,
         "price_cny": 1200, "source": "test"},
        {"sector": "metal", "direction": "import", "step": 2, "price_cny": 1500,
         "source": "test"}], demand=[{"sector": "goods", "year": 2021,
                                      "final_demand_10k": 1, "source": "test"}])
    case = apply_overrides(base, sc, "test.yaml")
    assert len(case.markets) == 2 and len(case.demand) == 1
    r = api.run(case)
    # goods A needs 15 万t of metal: 10 local, 2 at 1,200, 3 at 1,500 (ref2 paid 1,200 for 5)
    assert r.solve.objective == pytest.approx(9.2 - 3 * 0.03, abs=1e-9)
    assert _steps(r, "import") == [2.0, 3.0]
    axis = Axis(name="p", markets={"sector": "metal", "direction": "import", "step": 2},
                field="price_cny", values=[1300])
    moved = apply_overrides(case, Scenario(name="a", **axis.overrides(1300)), "spec")
    assert moved.markets["price_cny"].astype(float).tolist() == [1200.0, 1300.0]
    diff = scenario_diff(case, moved)
    assert diff[["table", "row", "field", "base", "scenario"]].values.tolist() == [
        ["markets.csv", "metal//import/2", "price_cny", 1500.0, 1300]]


@pytest.mark.parametrize(("row", "expect"), [
    ("steel,,export,1,3,100,x", ["line 7", "field 'sector'", "a sector defined in sectors.csv"]),
    ("ore,2030,import,3,,5000,x", ["line 7", "field 'year'", "a year of the horizon"]),
    ("metal,2021,export,4,,3000,x", ["line 7", "field 'year'", "line 2 already sets every year"]),
    ("ore,,import,3,,3000,x", ["line 7", "field 'price_cny'", "at least step 2's price 4000"]),
    ("ore,,sideways,3,,5000,x", ["line 7", "field 'direction'", "export", "import"]),
    ("ore,,import,3,0,5000,x", ["line 7", "field 'volume_10k'", "> 0"]),
    ("ore,,import,2,1,5000,x", ["line 7", "field 'sector/year/direction/step'", "already on line 6"]),
])
def test_bad_market_rows_are_named_by_file_line_and_field(tmp_path, row, expect):
    folder = _copy(tmp_path)
    with (folder / "markets.csv").open("a", encoding="utf-8") as fh:
        fh.write(row + "\n")
    with pytest.raises(InputError) as exc:
        api.load_case(folder)
    text = str(exc.value)
    assert "markets.csv" in text
    for part in expect:
        assert part in text, text


@pytest.mark.parametrize(("old", "new", "expect"), [
    ("metal,,export,2,4,8000", "metal,,export,2,4,10500",
     ["line 3", "field 'price_cny'", "at most metal's price_cny 10000",
      "at most step 1's price 10000"]),
    ("metal,,export,2,4,8000", "metal,,export,2,,8000",
     ["line 3", "field 'volume_10k'", "a width for step 2", "only on the last step"]),
])
def test_export_steps_fall_and_only_the_last_is_unlimited(tmp_path, old, new, expect):
    folder = _copy(tmp_path)
    path = folder / "markets.csv"
    path.write_text(path.read_text().replace(old, new))
    with pytest.raises(InputError) as exc:
        api.load_case(folder)
    for part in expect:
        assert part in str(exc.value), str(exc.value)


def test_a_scenario_that_breaks_a_market_says_so():
    with pytest.raises(InputError) as exc:
        apply_overrides(api.load_case(REF4), Scenario(name="cheap", sectors=[
            {"sector": "metal", "price_cny": 7000}]), "cheap.yaml")
    text = str(exc.value)
    assert "cheap.yaml" in text and "markets.csv line 3" in text and "price_cny" in text


def test_value_added_does_not_pay_for_imported_inputs_twice():
    """Under value added, the price of an imported input does not move the objective (the
    plant's value added is already net of it); under gross output it does."""
    def obj(measure: str, scale: float) -> float:
        steps = [{"sector": "ore", "year": None, "direction": "import", "step": k,
                  "price_cny": p * scale} for k, p in ((1, 2000), (2, 4000))]
        case = apply_overrides(api.load_case(REF4), Scenario(name=measure, case={
            "objective": {"measure": measure}}, markets=steps), "test")
        r = api.run(case)
        assert r.ok
        return r.solve.objective

    assert obj("value_added", 1.0) == pytest.approx(obj("value_added", 0.5))
    assert obj("gross_output", 1.0) < obj("gross_output", 0.5) - 1e-6
