"""The backcast (issue 15): history.csv, ``ioopt backcast``, the solve summary's block and
the report's section, checked on the hand-worked reference instance ref7_backcast
(models/FORMULATION.md, "ref7_backcast") and on bad history rows.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from ioopt import api
from ioopt.cli import main
from ioopt.errors import InputError
from tests.conftest import REF

REF7 = REF / "ref7_backcast"
HEADER = "indicator,scope,year,value,unit,basis,prices,deflator,source\n"

# (indicator, scope, year) -> (model, history as compared, error %), worked by hand
HAND = {
    ("gross_output", "region", 2020): (1.5, 1.5, 0.0),
    ("gross_output", "region", 2021): (1.8, 1.6, 12.5),
    ("gross_output", "region", 2022): (2.9, 2.5, 16.0),
    ("value_added", "c1", 2022): (0.3, 0.25, 20.0),
    ("production", "metal", 2022): (2.9, 3.2, -9.375),
    ("energy", "region", 2021): (1.8, 2.0, -10.0),
    ("water", "region", 2020): (3.0, 3.5, -100 / 7),
    ("gross_output", "e1", 2021): (1.8, 1.2, 50.0),
}


def _copy(tmp_path: Path, history: str | None = None) -> Path:
    case = tmp_path / "case"
    shutil.copytree(REF7, case)
    if history is not None:
        (case / "history.csv").write_text(HEADER + history, encoding="utf-8")
    return case


def test_ref7_backcast_matches_the_hand_calculation():
    bc = api.backcast(api.load_case(REF7))
    assert bc.ok
    t = bc.table.set_index(["indicator", "scope", "year"])
    assert set(t.index) == set(HAND)
    for key, (model, compared, err) in HAND.items():
        assert t.at[key, "model"] == pytest.approx(model, abs=1e-9), key
        assert t.at[key, "history_compared"] == pytest.approx(compared, abs=1e-9), key
        assert t.at[key, "error_pct"] == pytest.approx(err, abs=1e-9), key
    assert t.at[("gross_output", "region", 2021), "history"] == pytest.approx(2.0)  # before deflating
    assert t.at[("production", "metal", 2022), "unit"] == "10k t"
    # the decisions actually taken: k1 (candidate) and c2 (online 2023) left out with their rows
    assert bc.dropped == {"candidate": ["k1"], "later": ["c2"]}
    assert bc.case.years == [2021, 2022]
    assert list(bc.case.projects.index) == ["e1", "c1"]
    assert bc.case.dependencies.empty and bc.case.project_inputs.empty
    assert 2023 not in set(bc.case.quotas["year"].dropna())
    x = bc.run.portfolio.set_index("project")
    assert x.at["e1", "production_10k_2022"] == pytest.approx(1.9)
    assert x.at["c1", "production_10k_2022"] == pytest.approx(1.0)
    assert bc.largest(1).iloc[0]["scope"] == "e1"


def test_the_backcast_does_not_change_the_solve():
    case = api.load_case(REF7)
    with_history = api.run(case, backcast=True)
    without = api.run(case.replace(history=case.history.iloc[0:0]))
    assert with_history.solve.objective == pytest.approx(without.solve.objective, abs=1e-12)
    assert "k1" in set(with_history.portfolio.loc[with_history.portfolio["selected"], "project"])
    assert with_history.backcast is not None and without.backcast is None


def test_cli_backcast_prints_the_table_and_writes_csv(tmp_path):
    r = CliRunner().invoke(main, ["backcast", "--case", str(REF7), "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "+12.5 %" in r.output and "-10.0 %" in r.output and "1.6 = 2/1.25" in r.output
    assert "1.2 (nominal)" in r.output
    written = pd.read_csv(tmp_path / "backcast.csv")
    assert len(written) == len(HAND)
    assert list(written.columns)[:4] == ["indicator", "scope", "year", "model"]
    zh = CliRunner().invoke(main, ["backcast", "--case", str(REF7), "--lang", "zh"])
    assert zh.exit_code == 0 and "回测" in zh.output and "误差" in zh.output


def test_cli_backcast_of_a_case_without_history_is_bad_input():
    r = CliRunner().invoke(main, ["backcast", "--case", str(REF / "ref1_energy")])
    assert r.exit_code == 2
    assert "history.csv" in r.output


def test_solve_summary_and_files_carry_the_history_block(tmp_path):
    r = CliRunner().invoke(main, ["solve", "--case", str(REF7), "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    block = r.output.split("against history")[1]
    assert "gross_output e1 2021: model 1.8 vs history 1.2 亿元: +50.0 % [sourced]" in block
    assert "(8 rows in backcast.csv" in block
    assert len(pd.read_csv(tmp_path / "backcast.csv")) == 8
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert len(summary["backcast"]) == 8
    plain = CliRunner().invoke(main, ["solve", "--case", str(REF / "ref1_energy"), "--out",
                                      str(tmp_path / "plain")])
    assert plain.exit_code == 0 and "against history" not in plain.output
    assert not (tmp_path / "plain" / "backcast.csv").exists()


def test_report_has_the_history_section(tmp_path):
    api.run(api.load_case(REF7), backcast=True).write(tmp_path)
    files = api.report(tmp_path, static=False)
    html = files.html.read_text(encoding="utf-8")
    assert 'id="history"' in html and "chart-backcast" in html
    assert "Against history (backcast)" in html and "<td class=\"num\">12.5</td>" in html
    wb = openpyxl.load_workbook(files.xlsx)
    assert "History" in wb.sheetnames
    assert wb["History"].max_row == 1 + len(HAND)
    zh = api.report(tmp_path, fmt="html", lang="zh", static=False).html.read_text(encoding="utf-8")
    assert "与历史对照（回测）" in zh and "工业总产值" in zh
    bare = tmp_path / "bare"
    api.run(api.load_case(REF / "ref1_energy")).write(bare)
    assert 'id="history"' not in api.report(bare, fmt="html", static=False).html.read_text(
        encoding="utf-8")


BAD = [
    ("gdp,region,2021,1,亿元,sourced,current,,s\n", "indicator"),
    ("gross_output,region,2019,1,亿元,sourced,current,,s\n", "year"),
    ("gross_output,region,2024,1,亿元,sourced,current,,s\n", "year"),
    ("energy,metals,2021,1,10k tce,sourced,,,s\n", "scope"),
    ("gross_output,nowhere,2021,1,亿元,sourced,current,,s\n", "scope"),
    ("gross_output,region,2021,1,10k tce,sourced,current,,s\n", "unit"),
    ("production,metal,2021,1,10k tce,sourced,,,s\n", "unit"),
    ("gross_output,region,2021,1,亿元,sourced,,,s\n", "prices"),
    ("energy,region,2021,1,10k tce,sourced,current,,s\n", "prices"),
    ("gross_output,region,2021,1,亿元,sourced,base_year,1.2,s\n", "deflator"),
    ("gross_output,region,2021,1,亿元,sourced,current,0,s\n", "deflator"),
    ("gross_output,region,2021,1,亿元,guess,current,,s\n", "basis"),
    ("gross_output,region,2021,-1,亿元,sourced,current,,s\n", "value"),
    ("gross_output,region,2021,1,亿元,sourced,current,,\n", "source"),
]


@pytest.mark.parametrize(("row", "field"), BAD, ids=[f"{f}-{i}" for i, (_, f) in enumerate(BAD)])
def test_a_bad_history_row_names_file_line_and_field(tmp_path, row, field):
    case = _copy(tmp_path, "gross_output,region,2022,1,亿元,sourced,current,,ok\n" + row)
    with pytest.raises(InputError) as exc:
        api.validate(case)
    where = [(p.file, p.line, p.field) for p in exc.value.problems]
    assert where == [("history.csv", 3, field)], exc.value


def test_bad_history_through_the_cli_is_exit_2(tmp_path):
    case = _copy(tmp_path, "gross_output,region,2030,1,亿元,sourced,current,,s\n")
    r = CliRunner().invoke(main, ["validate", str(case)])
    assert r.exit_code == 2
    assert "history.csv line 2, field 'year': got 2030: expected a year from the base year 2020 to 2023" \
        in r.output
    assert "Traceback" not in r.output


def test_units_and_scopes_the_history_accepts(tmp_path):
    case = _copy(tmp_path, "production,metal,2021,1.8,万t,sourced,,,s\n"
                           "gross_output,e1+c1+e1,2021,18000,万元,sourced,base_year,,s\n"
                           "gross_output,metals+north,2021,1.8,100m CNY,sourced,base_year,,s\n")
    t = api.backcast(api.load_case(case)).table
    assert t["error_pct"].abs().max() == pytest.approx(0.0, abs=1e-9)  # each project counted once


def test_an_infeasible_backcast_is_explained(tmp_path):
    case = _copy(tmp_path)
    (case / "rules.csv").write_text(
        "rule,scope,year,limit,unit,mode,source\n"
        "sector_output_floor,metal,2021,3,10k units,hard,test: only the candidate can reach it\n",
        encoding="utf-8")
    loaded = api.load_case(case)
    assert api.run(loaded).ok  # the plan itself can: k1 comes in
    bc = api.backcast(loaded)
    assert not bc.ok
    assert "sector_output_floor" in set(bc.run.infeasibility.relaxations["family"])
    t = bc.table.set_index(["indicator", "scope", "year"])
    assert t.at[("gross_output", "region", 2020), "model"] == pytest.approx(1.5)  # the base year
    assert math.isnan(t.at[("gross_output", "region", 2021), "model"])
    r = CliRunner().invoke(main, ["backcast", "--case", str(case), "--out", str(tmp_path / "o")])
    assert r.exit_code == 3, r.output
    assert "the backcast run has no solution" in r.output and "must come down by 1.2" in r.output
    assert (tmp_path / "o" / "infeasibility.csv").exists()


def test_history_of_the_base_year_only_needs_no_run(tmp_path):
    case = _copy(tmp_path, "gross_output,region,2020,1.5,亿元,sourced,base_year,,s\n")
    bc = api.backcast(api.load_case(case))
    assert bc.run is None and bc.ok
    assert bc.table.at[0, "error_pct"] == pytest.approx(0.0)
    assert "base year only" in bc.text()


def test_the_default_case_history_is_complete_and_sourced():
    case = api.load_case(None)
    h = case.history
    assert set(h["year"]) == {2020, 2021, 2022, 2023, 2024}
    assert h["source"].str.len().min() > 20
    assert set(h["basis"]) <= {"sourced", "derived", "estimate"}
    assert h.loc[h["basis"] == "estimate", "source"].str.startswith("estimate:").all()


def test_the_default_case_backcast_reaches_the_issues_thresholds():
    # issue 16: on the case's one price basis (SOURCES.md, History) the 2024 total within
    # +-10 % and each chain the seeds give within +-20 %; the 2021-2023 estimates within
    # +-10 %; the one firm (Meihua, seed 002 L71-73) within +-30 %, the threshold it reaches
    # (its co-products sit in the starch lines' value, outside its scope)
    case = api.load_case(None)
    bc = api.backcast(case)
    assert bc.ok
    t = bc.table
    money = t[(t["indicator"] == "gross_output") & (t["year"] > case.config.base_year)]
    assert len(money) >= 8
    for r in money.itertuples():
        parts = str(r.scope).split("+")
        if r.scope == "region":
            limit = 10.0
        elif all(p in set(case.sectors["chain"]) or p in case.sectors.index for p in parts):
            limit = 20.0
        else:
            limit = 30.0
        assert abs(r.error_pct) <= limit, (r.scope, r.year, r.error_pct)
    # every current-price row is deflated on the basis, none compared nominal
    current = money[money["prices"] == "current"]
    assert len(current) >= 6
    assert (current["history_compared"] < current["history"]).all()
    assert (current["history"] / current["history_compared"]).between(1.0, 1.4).all()


def test_the_backcast_counts_each_year_with_that_years_figures(tmp_path):
    # e1 burns 1 tce/t in projects.csv (the base year) but 0.5 from 2021 (project_years.csv):
    # the 2021 energy compared with history is then e1's 2021 output x 0.5 (not x 1), and the
    # base year's water still uses projects.csv's figure
    case = _copy(tmp_path)
    (case / "project_years.csv").write_text(
        "project,year,field,value,source\n"
        "e1,2021,fuel_tce,0.5,reference\ne1,2022,fuel_tce,0.5,reference\n", encoding="utf-8")
    bc = api.backcast(api.load_case(case))
    t = bc.table.set_index(["indicator", "scope", "year"])
    x = bc.run.portfolio.set_index("project").at["e1", "production_10k_2021"]
    assert x > 0
    assert t.at[("energy", "region", 2021), "model"] == pytest.approx(x * 0.5, abs=1e-9)
    assert t.at[("water", "region", 2020), "model"] == pytest.approx(3.0, abs=1e-9)
