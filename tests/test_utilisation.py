"""Utilisation paths and figures by year (ioopt.yearly): the hand-worked reference instance
ref5_ramp (models/FORMULATION.md), interpolation, validation, scenarios, switching off."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from ioopt import api
from ioopt.case import DEFAULT_CASE
from ioopt.errors import InputError
from ioopt.formulation.data import prepare
from ioopt.solver.status import SolveStatus
from ioopt.yearly import interpolate
from tests.conftest import EXAMPLE, REF, ROOT

REF5 = REF / "ref5_ramp"
YEARS = [2021, 2022, 2023, 2024, 2025]


def _production(r: api.RunResult, j: str) -> list[float]:
    pf = r.portfolio.set_index("project")
    return [float(pf.at[j, f"production_10k_{t}"]) for t in YEARS]


@pytest.fixture(scope="module")
def ref5() -> api.RunResult:
    return api.run(api.load_case(REF5))


def test_interpolate_is_linear_between_and_flat_outside():
    v = interpolate([2025, 2021], [1.6, 2.0], [2019, 2021, 2022, 2023, 2025, 2030])
    assert v.tolist() == pytest.approx([2.0, 2.0, 1.9, 1.8, 1.6, 1.6])
    assert interpolate([2024], [0.9], [2021, 2025]).tolist() == [0.9, 0.9]


def test_ref5_hand_numbers(ref5):
    r = ref5
    assert r.status == SolveStatus.OPTIMAL
    # old: 60 % in 2020 + 10 points a year (7, 8, 9, 10, 10), energy caps 2022 (6.3 / 0.9 = 7)
    # and 2025 (5.4 / 0.6 = 9); new: built 2023, ramp 50 %, 80 %, then max_util 0.9 in 2025;
    # com: committed 2024, its own ramp 25 % (1 of 4), then 4
    assert _production(r, "old") == pytest.approx([7, 7, 9, 10, 9])
    assert _production(r, "new") == pytest.approx([0, 0, 5, 8, 9])
    assert _production(r, "com") == pytest.approx([0, 0, 0, 1, 4])
    pf = r.portfolio.set_index("project")
    assert pf.at["new", "online_year"] == 2023
    # each 万 t earns 1 亿元 less ore at 0.01 亿元 per 万 t x (2.0, 1.9, 1.8, 1.7, 1.6)
    assert r.solve.objective == pytest.approx(
        7 * 0.980 + 7 * 0.981 + 14 * 0.982 + 19 * 0.983 + 22 * 0.984, abs=1e-9)
    assert r.solve.objective == pytest.approx(67.8, abs=1e-9)
    s = r.sectors.set_index(["sector", "year"])
    ore = [float(s.at[("ore", t), "imports_10k"]) for t in YEARS]
    assert ore == pytest.approx([14.0, 13.3, 25.2, 32.3, 35.2])
    assert [float(s.at[("ore", t), "intermediate_use_10k"]) for t in YEARS] == pytest.approx(ore)
    totals = r.totals.set_index("year")["energy_10k_tce"]
    assert totals.tolist() == pytest.approx([7.0, 6.3, 7.2, 7.0, 5.4])
    # old's fuel 1.0, 0.9, 0.8, 0.7, 0.6 tce/t: 7 + 6.3 + 7.2 + 7 + 5.4
    assert pf.at["old", "energy_10k_tce"] == pytest.approx(32.9)
    q = r.quotas.set_index("year")
    # a 万 tce more lets old make 1/0.9 (1/0.6) 万 t more, worth 0.981 (0.984) 亿元 each
    assert q.at[2022, "shadow_price"] == pytest.approx(10_900.0)
    assert q.at[2025, "shadow_price"] == pytest.approx(16_400.0)
    flows = r.flows
    f24 = flows[(flows["year"] == 2024) & (flows["source"] == "ore") & (flows["kind"] == "intermediate")]
    assert float(f24["quantity_10k"].sum()) == pytest.approx(32.3)


def test_ref5_bounds_and_rows():
    built = api.build(api.load_case(REF5))
    x = built.pyomo.x
    assert [x["old", t].bounds for t in YEARS] == [(0, 7), (0, 8), (0, 9), (0, 10), (0, 10)]
    assert [x["com", t].bounds for t in (2024, 2025)] == [(0, 1), (0, 4)]
    row = built.pyomo.production_max["new", 2025]
    coefs = {v.name: c for c, v in zip(row.body.linear_coefs, row.body.linear_vars, strict=True)}
    # u(2025, tau): 0.9 (max_util) for 2023, 0.8 (2nd year) for 2024, 0.5 (1st) for 2025
    assert coefs == {"x[new,2025]": 1, "build[new,2023]": -9, "build[new,2024]": -8,
                     "build[new,2025]": -5}


def _copy(tmp_path: Path, src: Path = REF5) -> Path:
    dst = tmp_path / src.name
    shutil.copytree(src, dst)
    return dst


def _set_yaml(case: Path, **section: object) -> None:
    cfg = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    cfg["utilisation"] = section
    (case / "case.yaml").write_text(yaml.safe_dump(cfg), encoding="utf-8")


def test_switched_off_the_default_case_builds_the_rows_of_before(tmp_path):
    case = _copy(tmp_path, DEFAULT_CASE)
    _set_yaml(case, ramp_up=[], existing_growth=None)
    # the case's own paths (project_years.csv max_util rows) go too
    years = case / "project_years.csv"
    if years.exists():
        py = pd.read_csv(years)
        py[~py["field"].isin(["max_util", "min_util"])].to_csv(years, index=False)
    # as before utilisation paths existed: every existing plant may run at full capacity
    # from the first year, every candidate at full capacity in its first year
    from ioopt.formulation import build_model
    built = build_model(api.load_case(case))
    m, d = built.pyomo, built.data
    cap = d.projects["cap"].to_dict()
    for j, t in m.x:
        if d.projects.at[j, "status"] == "existing":
            assert m.x[j, t].ub == pytest.approx(cap[j]), (j, t)
    for (j, t), con in m.production_max.items():
        coefs = {v.name: c for c, v in (a.args for a in con.body.args)}
        assert all(c == pytest.approx(-cap[j]) for n, c in coefs.items()
                   if n.startswith("build")), (j, t)


def test_switched_off_ref5_runs_every_plant_at_capacity(tmp_path):
    case = _copy(tmp_path)
    _set_yaml(case, ramp_up=[], existing_growth=None)
    text = (case / "projects.csv").read_text(encoding="utf-8").replace(",0.25,", ",,")
    (case / "projects.csv").write_text(text, encoding="utf-8")
    r = api.run(api.load_case(case))
    assert _production(r, "old") == pytest.approx([10, 7, 10, 10, 9])
    assert _production(r, "new") == pytest.approx([0, 0, 10, 10, 9])  # max_util path stays
    assert _production(r, "com") == pytest.approx([0, 0, 0, 4, 4])


def test_a_case_without_yearly_data_takes_the_plain_path():
    d = prepare(api.load_case(EXAMPLE))
    assert d.yearly is None and d.yearly_inputs is None
    assert d.figures(2021) is d.figures(2025) is d.projects
    assert set(d.candidates) <= set(d.shares.flat)  # no ramp: one share for every year
    d5 = prepare(api.load_case(REF5))
    assert d5.yearly is not None
    assert d5.grid("fuel_energy")[list(d5.projects.index).index("old")].tolist() == pytest.approx(
        [1.0, 0.9, 0.8, 0.7, 0.6])


def test_project_inputs_by_year_interpolate(tmp_path):
    case = _copy(tmp_path)
    (case / "project_inputs.csv").write_text(
        "project,input_sector,coef,year,source\nnew,ore,2.5,2023,x\nnew,ore,1.5,2025,x\n",
        encoding="utf-8")
    d = prepare(api.load_case(case))
    ore = {t: d.inputs_at(t).set_index("project")["coef"] for t in YEARS}
    assert [float(ore[t]["new"]) for t in YEARS] == pytest.approx([2.5, 2.5, 2.5, 2.0, 1.5])
    assert [float(ore[t]["old"]) for t in YEARS] == pytest.approx([2.0, 1.9, 1.8, 1.7, 1.6])
    r = api.run(api.load_case(case))
    s = r.sectors.set_index(["sector", "year"])
    # 2024: old 10 x 1.7 + new 8 x 2.0 + com 1 x 1.7
    assert float(s.at[("ore", 2024), "imports_10k"]) == pytest.approx(17 + 16 + 1.7)


def test_io_view_reads_the_base_year_unless_told():
    case = api.load_case(REF5)
    base, late = api.io_view(case), api.io_view(case, 2025)
    sec = {v: view.sectors.set_index("sector").at["metal", "energy_tce_direct_per_unit"]
           for v, view in (("base", base), ("late", late))}
    assert sec == pytest.approx({"base": 1.0, "late": 0.6})  # weighted by old's base output
    old = base.projects.set_index("project").at["old", "energy_tce_direct_per_unit"]
    assert old == pytest.approx(1.0)
    assert late.projects.set_index("project").at["old", "energy_tce_direct_per_unit"] == \
        pytest.approx(0.6)
    with pytest.raises(InputError):
        api.io_view(case, 2030)


def _problems(case: Path) -> list[str]:
    with pytest.raises(InputError) as exc:
        api.load_case(case)
    return [str(p) for p in exc.value.problems]


def _append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")


@pytest.mark.parametrize(("file", "line", "needles"), [
    ("project_years.csv", "nope,2023,fuel_tce,1,x",
     ["project_years.csv line 6", "field 'project'", "a project defined in projects.csv"]),
    ("project_years.csv", "old,2023,fuel,1,x", ["project_years.csv line 6", "field 'field'"]),
    ("project_years.csv", "old,2019,fuel_tce,1,x",
     ["project_years.csv line 6", "field 'year'", "from the base year 2020 to 2025"]),
    ("project_years.csv", "old,2023,max_util,1.5,x",
     ["project_years.csv line 6", "field 'value'", "a share between 0 and 1"]),
    ("project_years.csv", "new,2025,min_util,0.95,x",
     ["project_years.csv line 4", "field 'min_util'", "min_util <= max_util", "in 2025"]),
    ("project_years.csv", "old,2025,fuel_tce,0.5,x",
     ["project_years.csv line 6", "a unique project/field/year (already on line 3)"]),
    ("coefficients.csv", "ore,metal,1.9,,x",
     ["coefficients.csv line 2", "field 'year'", "already sets every year"]),
    ("coefficients.csv", "ore,metal,1.9,2030,x", ["coefficients.csv line 4", "field 'year'"]),
])
def test_bad_yearly_rows_are_named(tmp_path, file, line, needles):
    case = _copy(tmp_path)
    _append(case / file, line)
    text = "\n".join(_problems(case))
    for n in needles:
        assert n in text, text


def test_bad_ramp_up_cell_is_named(tmp_path):
    case = _copy(tmp_path)
    text = (case / "projects.csv").read_text(encoding="utf-8").replace(",0.25,", ",0.5;x,")
    (case / "projects.csv").write_text(text, encoding="utf-8")
    text = "\n".join(_problems(case))
    assert "projects.csv line 4, field 'ramp_up'" in text and "'0.5;0.8'" in text


def test_bad_ramp_up_in_case_yaml_is_named(tmp_path):
    case = _copy(tmp_path)
    _set_yaml(case, ramp_up=[0.5, 1.2])
    assert any("utilisation.ramp_up.1" in p for p in _problems(case))


def test_scenario_adds_and_changes_yearly_rows(tmp_path):
    sc = tmp_path / "s.yaml"
    sc.write_text(yaml.safe_dump({"name": "s", "description": "d", "project_years": [
        {"project": "old", "field": "fuel_tce", "year": 2025, "value": 0.5},   # changed
        {"project": "old", "field": "water_m3", "year": 2023, "value": 3.0},   # added
    ], "coefficients": [{"input_sector": "ore", "output_sector": "metal", "year": 2021,
                         "coef": 2.2}]}), encoding="utf-8")
    case = api.apply_scenario(api.load_case(REF5), sc)
    py = case.project_years.set_index(["project", "field", "year"])["value"]
    assert py[("old", "fuel_tce", 2025)] == 0.5 and py[("old", "water_m3", 2023)] == 3.0
    d = prepare(case)
    i = list(d.projects.index).index("old")
    assert d.grid("fuel_energy")[i].tolist() == pytest.approx([1.0, 0.875, 0.75, 0.625, 0.5])
    assert d.grid("water")[i].tolist() == pytest.approx([3.0] * 5)
    assert d.inputs_at(2022).set_index("project").at["old", "coef"] == pytest.approx(2.05)
    changes = api.scenario_changes(sc, api.load_case(REF5)).diff
    assert {"project_years.csv", "coefficients.csv"} <= set(changes["table"])


def test_smelters_follow_the_plans_path_to_the_advanced_value_and_the_what_if_drops_it(
        tongliao_run):
    """project_years.csv: 13.5 MWh/t in 2020 to GB 21346-2022 level 1 + casting (13.10) in
    2025, linear; configs/smelter_no_retrofit.yaml keeps 13.5 and costs energy quota."""
    base = prepare(api.load_case(DEFAULT_CASE))
    i = list(base.projects.index).index("A_SMELT_HLGL")
    path = interpolate([2020, 2025], [13.5, 13.1], YEARS)
    assert base.grid("elec")[i].tolist() == pytest.approx(path.tolist())
    case = api.apply_scenario(api.load_case(DEFAULT_CASE),
                              ROOT / "configs" / "smelter_no_retrofit.yaml")
    d = prepare(case)
    assert d.grid("elec")[i].tolist() == pytest.approx([13.5] * 5)
    r = api.run(case)
    assert r.status == SolveStatus.OPTIMAL
    # more MWh per t of aluminium use more of the binding energy quota: never better
    assert r.solve.objective <= tongliao_run.solve.objective + 1e-6
    pf, b = r.portfolio.set_index("project"), tongliao_run.portfolio.set_index("project")
    e, e0 = pf.at["A_SMELT_HLGL", "electricity_10k_mwh"], b.at["A_SMELT_HLGL", "electricity_10k_mwh"]
    x = np.array([pf.at["A_SMELT_HLGL", f"production_10k_{t}"] for t in YEARS])
    assert e == pytest.approx(float(x @ d.grid("elec")[i]))
    x0 = np.array([b.at["A_SMELT_HLGL", f"production_10k_{t}"] for t in YEARS])
    assert e0 == pytest.approx(float(x0 @ path))
