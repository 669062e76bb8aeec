"""The cost check (ioopt/costcheck.py): input cost + value added <= price, for every sector
and project in every year; the hand-worked reference instance ref10_costcheck
(models/FORMULATION.md), the error and warn settings, and the default case passing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ioopt import api
from ioopt.case import DEFAULT_CASE, load_case
from ioopt.cli import main
from ioopt.costcheck import cost_problems
from ioopt.errors import InputError
from tests.conftest import REF

REF10 = REF / "ref10_costcheck"


def _copy(src: Path, tmp_path: Path, checks: dict | None = None) -> Path:
    dst = tmp_path / "case"
    shutil.copytree(src, dst)
    if checks is not None:
        cfg = yaml.safe_load((dst / "case.yaml").read_text(encoding="utf-8"))
        cfg["checks"] = {**cfg.get("checks", {}), **checks}
        (dst / "case.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    return dst


def _line_of(path: Path, key: str) -> int:
    """The editor line number (header = 1) of the row whose first cell is ``key``."""
    for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text.split(",", 1)[0] == key:
            return i
    raise AssertionError(f"{key} not in {path.name}")


def test_ref10_hand_numbers():
    """FORMULATION.md, ref10: metal fails every year at 1.05 x price; the smelter fails only
    when its power path passes 10.4 MWh/t (2023-2025), worst in 2025 at 1.015 x price."""
    case = load_case(REF10)
    sector, smelter = case.warnings
    assert (sector.file, sector.line, sector.field, sector.value) == (
        "sectors.csv", _line_of(REF10 / "sectors.csv", "metal"), "va_share", 0.2)
    for text in ("for metal in every year 2020-2025", "price 10,000 CNY/t", "input cost 8,500",
                 "ore 12 x 500 = 6,000", "elec 10 x 250 = 2,500", "value added 2,000",
                 "1.050 x price"):
        assert text in sector.expected, text
    assert (smelter.file, smelter.line, smelter.field, smelter.value) == (
        "projects.csv", _line_of(REF10 / "projects.csv", "smelter"), "va_cny", 1200.0)
    for text in ("for smelter in 2025 (fails in 2023, 2024, 2025)", "input cost 8,950",
                 "elec 11 x 250 = 2,750", "fuel 0.5 tce x 400 = 200", "value added 1,200",
                 "1.015 x price"):
        assert text in smelter.expected, text
    # the power plant's 0.3 tce of fuel is its 0.6 t of coal (0.5 tce/t): not priced twice
    assert not any(p.line == _line_of(REF10 / "projects.csv", "power") for p in case.warnings)


def test_ref10_warnings_are_shown_and_the_case_solves():
    case = load_case(REF10)
    r = api.run(case)
    assert r.ok
    text = api.summary_text(r)
    assert "warnings (2;" in text and "1.015 x price" in text
    assert len(r.summary()["warnings"]) == 2
    out = CliRunner().invoke(main, ["validate", str(REF10)])
    assert out.exit_code == 0, out.output
    assert out.output.startswith("ok: case 'ref10_costcheck'")
    assert "warnings (2;" in out.output


def test_error_setting_stops_the_load(tmp_path):
    """The default (error): the same two rows are errors, by scenario and by case.yaml."""
    with pytest.raises(InputError) as exc:
        api.apply_scenario(load_case(REF10), REF10 / "scenario_error.yaml")
    assert len(exc.value.problems) == 2
    assert "1.050 x price" in str(exc.value) and "1.015 x price" in str(exc.value)
    case_dir = _copy(REF10, tmp_path, {"cost_consistency": "error"})
    r = CliRunner().invoke(main, ["validate", str(case_dir)])
    assert r.exit_code == 2
    assert "sectors.csv line 5, field 'va_share'" in r.output
    assert "projects.csv line 2, field 'va_cny'" in r.output


def test_off_setting_skips_the_check(tmp_path):
    case = load_case(_copy(REF10, tmp_path, {"cost_consistency": "off"}))
    assert case.warnings == []


def test_unknown_fuel_sector_is_named(tmp_path):
    with pytest.raises(InputError, match=r"case.yaml, field 'checks.fuel_sector': got 'lignite'"):
        load_case(_copy(REF10, tmp_path, {"fuel_sector": "lignite", "cost_consistency": "error"}))


def test_bad_row_of_the_default_case_is_caught_with_file_line_field_and_figures(tmp_path):
    """A_FOIL_EX with twice its value added: the default setting stops the load and names
    the row; its price and input cost are those of the case's own data."""
    case = load_case(DEFAULT_CASE)
    p = case.projects.loc["A_FOIL_EX"]
    price, va = float(p["price_cny"]), float(p["va_cny"])
    s = case.sectors["price_cny"].astype(float)
    pi = case.project_inputs.set_index(["project", "input_sector"])["coef"]
    fuel_price = s["coal"] / case.config.checks.fuel_tce_per_unit
    inputs = (pi["A_FOIL_EX", "al_primary"] * s["al_primary"] + float(p["elec_mwh"]) * s["elec"]
              + float(p["fuel_tce"]) * fuel_price)
    bad_va = price - inputs + 100  # 100 CNY/t too much
    dst = _copy(DEFAULT_CASE, tmp_path)
    f = dst / "projects.csv"
    f.write_text(f.read_text(encoding="utf-8").replace(
        f",{p['price_cny']:g},{va:g},", f",{p['price_cny']:g},{bad_va:.0f},", 1), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_case(dst)
    [prob] = exc.value.problems
    assert (prob.file, prob.line, prob.field) == ("projects.csv", _line_of(f, "A_FOIL_EX"), "va_cny")
    assert f"for A_FOIL_EX in every year 2020-2025: price {price:,.0f} CNY/t" in prob.expected
    assert f"input cost {inputs:,.6g}" in prob.expected
    assert f"value added {round(bad_va):,}" in prob.expected
    # the warn setting: it loads, and validate lists it
    cfg = yaml.safe_load((dst / "case.yaml").read_text(encoding="utf-8"))
    cfg["checks"]["cost_consistency"] = "warn"
    (dst / "case.yaml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    assert [str(w) for w in load_case(dst).warnings] == [str(prob)]
    r = CliRunner().invoke(main, ["validate", str(dst)])
    assert r.exit_code == 0 and "warnings (1;" in r.output
    assert f"projects.csv line {prob.line}, field 'va_cny'" in r.output


def test_default_case_passes_in_every_year():
    case = load_case(DEFAULT_CASE)
    assert case.config.checks.cost_consistency == "error"
    assert case.config.checks.fuel_sector == "coal"
    assert cost_problems(case) == [] and case.warnings == []
