"""CLI: solve writes the promised files and JSON; no solution is exit 3; help has examples."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from click.testing import CliRunner

from ioopt import api
from ioopt.cli import main
from tests.conftest import EXAMPLE


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    r = CliRunner().invoke(main, ["solve", "--case", str(EXAMPLE), "--out", str(out), "--json"])
    return r, out


def test_solve_json_summary(solved):
    r, _ = solved
    assert r.exit_code == 0, r.output
    s = json.loads(r.output)
    assert s["status"] == "optimal"
    for key in ("objective", "objective_name", "years", "n_selected", "quotas"):
        assert key in s
    assert s["years"] == [2021, 2022, 2023, 2024, 2025]
    assert s["quotas"], "every case quota is reported"
    for q in s["quotas"]:
        for key in ("name", "year", "park", "limit", "used", "shadow_price", "unit", "binding"):
            assert key in q
        assert q["limit"] is not None and q["used"] is not None
        assert q["shadow_price"] is not None
    assert any(q["name"] == "energy_total" and q["binding"] for q in s["quotas"])
    assert "fixed" in s["shadow_price_method"]


def test_solve_writes_tables(solved):
    _, out = solved
    for f in ("summary.json", "portfolio.csv", "quotas.csv", "sectors.csv", "totals.csv"):
        assert (out / f).exists(), f
    pf = pd.read_csv(out / "portfolio.csv")
    assert {"selected", "online_year", "production_10k_2025", "energy_10k_tce",
            "output_value_100m_cny"} <= set(pf.columns)
    assert len(pf) == 20
    q = pd.read_csv(out / "quotas.csv")
    assert {"limit", "used", "slack", "binding", "shadow_price", "shadow_price_unit"} <= set(q.columns)
    sec = pd.read_csv(out / "sectors.csv")
    assert {"production_10k", "imports_10k", "exports_10k", "intermediate_use_10k"} <= set(sec.columns)


def test_text_summary_is_readable(tmp_path):
    r = CliRunner().invoke(main, ["solve", "--case", str(EXAMPLE), "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "status: optimal" in r.output
    binding = r.output.split("binding quotas and rules")[1]
    assert re.search(r"^  energy_total .* CNY/tce", binding, re.M)


def test_tongliao_summary_reads_like_a_planning_answer(tongliao_run):
    from ioopt.report import text_summary

    text = text_summary(tongliao_run)
    by_chain = text.split("output by chain and sector")[1].split("new projects by chain")[0]
    # chain totals next to the plan's 2025 targets (indicators, deflated to 2020 prices:
    # 1,100 / 1.30), sectors next to theirs
    assert re.search(r"^  aluminium .*亿元 +output value >= 846.2 亿元 \(indicator\): [\d,.]+ "
                     r"(met|short by)", by_chain, re.M)
    assert re.search(r"^    al_deep .*capacity >= 350 万t", by_chain, re.M)
    assert re.search(r"^    al_recycled .*output >= 100 万t", by_chain, re.M)
    projects = text.split("new projects by chain")[1].split("binding quotas")[0]
    for chain in ("aluminium", "corn", "nickel", "equipment", "energy"):
        assert re.search(rf"^  {chain}: \d+ in", projects, re.M)
    assert "+ committed A_LIANMENG_80" in projects
    binding = text.split("binding quotas and rules")[1]
    assert re.search(r"^  energy_intensity +2021 .*\d CNY/tce", binding, re.M)
    assert re.search(r"^  water_\w+ .*\d CNY/m3", binding, re.M)
    # a row no decision enters gets n/a with the reason, not a fake 0
    assert re.search(r"^  sector_capacity_cap +2021 al_primary .* n/a\S? CNY/t", binding, re.M)
    assert "no decision enters this row" in binding


def test_infeasible_scenario_exits_3_with_message(tmp_path):
    sc = tmp_path / "tight.yaml"
    sc.write_text("name: tight\nquotas:\n  - {family: energy_total, scale: 0.1}\n")
    r = CliRunner().invoke(main, ["solve", "--case", str(EXAMPLE), "--scenario", str(sc),
                                  "--out", str(tmp_path / "o")])
    assert r.exit_code == 3, r.output
    assert "infeasible" in r.output
    assert "Traceback" not in r.output
    s = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert s["status"] == "infeasible"


def test_bad_scenario_names_file_and_key(tmp_path):
    sc = tmp_path / "bad.yaml"
    sc.write_text("name: bad\nquotas:\n  - {family: energy_total, park: nowhere, scale: 0.9}\n"
                  "projects:\n  - {project: no_such_project, status: candidate}\n")
    r = CliRunner().invoke(main, ["solve", "--case", str(EXAMPLE), "--scenario", str(sc)])
    assert r.exit_code == 2
    assert "bad.yaml" in r.output and "quotas[0]" in r.output and "projects[0]" in r.output


@pytest.mark.parametrize("command", ["validate", "solve", "schema"])
def test_every_command_has_help_with_example(command):
    r = CliRunner().invoke(main, [command, "--help"])
    assert r.exit_code == 0
    assert "Example:" in r.output


def test_schema_lists_every_table_and_family():
    r = CliRunner().invoke(main, ["schema"])
    assert r.exit_code == 0
    for needle in ("projects.csv", "quotas.csv", "capacity_10k", "energy_intensity", "kappa"):
        assert needle in r.output
    j = CliRunner().invoke(main, ["schema", "--format", "json"])
    assert "projects.csv" in json.loads(j.output)


def test_an_unpriced_investment_row_within_one_percent_is_called_nearly_full(tmp_path):
    # a budget just above what the optimum invests keeps the same optimum, and the row has
    # no price (build decisions are all or nothing): the summary calls it nearly full
    # instead of listing it as slack
    from ioopt.report import text_summary
    from ioopt.scenario import Scenario, apply_overrides

    case = api.load_case(EXAMPLE)
    used = float(api.run(case).quotas.set_index("name").at["capital_total", "used"])
    tight = apply_overrides(case, Scenario(name="tight", quotas=[
        {"family": "capital_total", "set": used * 1.005, "mode": "hard"}]), "test")
    r = api.run(tight)
    row = r.quotas.set_index("name").loc["capital_total"]
    assert not row["binding"] and row["used"] == pytest.approx(used)
    text = text_summary(r)
    full = next(ln for ln in text.splitlines() if ln.startswith("nearly full"))
    assert "capital_total" in full
    not_binding = next((ln for ln in text.splitlines() if ln.startswith("not binding")), "")
    assert "capital_total" not in not_binding
