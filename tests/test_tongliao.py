"""The embedded Tongliao case: valid, sourced, reproduces 2020, quotas bind."""

from __future__ import annotations

import csv
import re

import pytest

from ioopt import api
from ioopt.case import DEFAULT_CASE


@pytest.fixture(scope="module")
def case():
    return api.load_case(DEFAULT_CASE)


def test_base_year_reproduces_seed_totals(case):
    # seed 003: 2020 industrial gross output 1071.5 亿元, value added 238.8 亿元. With
    # consistent values (input cost + VA <= price, ioopt/costcheck.py) the named plants
    # carry 11-12 % less VA than the statistic, reported rather than closed by the
    # aggregate row (data/tongliao/SOURCES.md, Consistency)
    p = case.projects[case.projects["status"] == "existing"]
    out = p["base_output_10k"].fillna(p["capacity_10k"]).astype(float)
    assert (out * p["price"]).sum() == pytest.approx(1071.5, rel=0.02)
    va = (out * p["va"]).sum()
    assert 0.85 * 238.8 < va < 0.90 * 238.8


def test_every_row_has_a_source():
    for f in DEFAULT_CASE.glob("*.csv"):
        with f.open(encoding="utf-8") as fh:
            for i, row in enumerate(csv.DictReader(fh), start=2):
                assert (row.get("source") or "").strip(), f"{f.name} line {i} has no source"


# DATA_BRIEF's project table, row by row: (words that identify the project's row, the
# seed capacity in 万 units or None when the seed gives none)
SEED_PROJECTS = [
    (("lianmeng", "battery foil"), 80), (("chuangyuan", "lightweight"), 40),
    (("chuangyuan", "nev"), 15), (("zhalute aluminium alloy", "phase 2"), None),
    (("yaou",), 8), (("jingfan",), 9), (("taixi",), 1.5), (("xuyang",), None),
    (("jing'an", "stainless"), 129), (("huashi",), None), (("meihua", "threonine"), 25),
    (("meihua", "msg"), 50), (("meihua", "ammonia"), None), (("meihua", "nucleotides"), 2),
    (("shanhe", "oxytetracycline"), None), (("anzhou", "oxytetracycline"), None),
    (("huaxin", "injection"), 1e4), (("cncec", "ethylene glycol"), None),
    (("longma", "turbine"), None), (("longma", "flanges"), 20), (("tongliao power plant", "chp"), None),
    (("coal-wind-solar-storage", "phase 1"), None), (("tianying", "hydrogen-ammonia"), None),
    (("jinjing", "tco"), None), (("dongfang", "crystalline"), None), (("xinggu",), None),
]


@pytest.mark.parametrize(("words", "capacity"), SEED_PROJECTS, ids=lambda v: str(v))
def test_every_data_brief_project_is_present(case, words, capacity):
    p = case.projects
    low = p["name"].str.lower()
    named = low.map(lambda n: all(w in n for w in words))
    hit = p[named & (p["status"] != "existing")]
    assert len(hit), f"no committed or candidate project named with {words}"
    if capacity is not None:
        assert capacity in set(hit["capacity_10k"].astype(float)), hit[["name", "capacity_10k"]]


def _rows(name: str) -> list[tuple[int, dict[str, str]]]:
    with (DEFAULT_CASE / name).open(encoding="utf-8") as fh:
        return list(enumerate(csv.DictReader(fh), start=2))


@pytest.mark.parametrize("name", ["quotas.csv", "rules.csv"])
def test_every_limit_has_a_basis(name):
    # issue 16: every limit says what it rests on (a blank basis would read as an estimate)
    for i, row in _rows(name):
        assert row["basis"] in {"sourced", "derived", "estimate"}, \
            f"{name} line {i}: basis {row['basis']!r}, expected sourced, derived or estimate"
        if row["basis"] == "estimate":
            assert "estimate" in row["source"].lower(), f"{name} line {i}: say why, 'estimate: ...'"


def test_no_hard_limit_rests_on_an_estimate(case):
    # a guess may be soft (priced) or an indicator (report), never a hard row deciding unseen
    fams = case.config.families
    for name, key in (("quotas.csv", "family"), ("rules.csv", "rule")):
        for i, row in _rows(name):
            fam = fams.get(row[key])
            mode = row["mode"] or (fam.mode.value if fam is not None else "hard")
            if row["basis"] == "estimate":
                assert mode in {"soft", "report"}, f"{name} line {i}: hard on an estimate"


def test_chain_targets_add_up_to_the_plans_total_once():
    # seed 003 L155: eight chain targets sum to 2400亿元; medicine (L243) is held inside
    # 'other' (audit D11); each nominal target is deflated to 2020 prices in its row
    total = 0.0
    for i, row in _rows("rules.csv"):
        if row["rule"] != "sector_value_floor":
            continue
        m = re.search(r"([\d.]+) / ([\d.]+) = ([\d.]+)", row["source"])
        assert m, f"rules.csv line {i}: no 'nominal / deflator = limit' in source"
        nominal, deflator, limit = map(float, m.groups())
        assert float(row["limit"]) == pytest.approx(limit) == pytest.approx(nominal / deflator, abs=0.05)
        total += nominal
    assert total == pytest.approx(2400.0)


def test_the_plans_intensity_rules_bind(tongliao_run):
    # the hard rules are the plan's own (energy and water per unit of industrial VA); no
    # row whose limit is an estimate binds as a hard constraint
    r = tongliao_run
    assert r.status.value == "optimal"
    q = r.quotas
    binding = q[q["binding"]]
    assert {"energy_intensity", "water_intensity"} <= set(binding["name"])


@pytest.mark.parametrize(("project", "status", "online"), [
    # seed 000 L122-125: under construction (加快建设) when the review was written
    ("S_XINGGU", "committed", 2024),
    # seed 000 L123: 金玉峰大健康产业园
    ("M_JINYUFENG", "committed", 2024),
    # seed 002 L93: started in Q1 2025 (开工建设): committed from 2025
    ("A_ZLT_ALLOY_PH2", "committed", 2025),
    ("W_LONGMA_FLANGE", "committed", 2025),
    ("E_TLCHP_2x350", "committed", 2025),
])
def test_seed_projects_have_the_status_the_seeds_give(case, project, status, online):
    p = case.projects
    assert p.at[project, "status"] == status
    assert int(p.at[project, "online_year"]) == online


def test_meihua_corn_matches_the_2024_throughput(case):
    # seed 002 L72: 225万t of corn processed in 2024; the ETDZ starch lines (existing +
    # the expansion on its 2024 utilisation path) may not take more corn than that
    from ioopt.yearly import util_grid

    p = case.projects
    coef = case.coefficients
    corn = float(coef[(coef["input_sector"] == "corn_grain") & (coef["output_sector"] == "starch")
                      & coef["year"].isna()]["coef"].iloc[0])
    lines = [j for j in p.index if p.at[j, "sector"] == "starch" and p.at[j, "park"] == "etdz"
             and p.at[j, "status"] != "candidate"]
    util = util_grid(case, "max_util", [2024])
    row = {j: i for i, j in enumerate(p.index)}
    starch = sum(float(p.at[j, "capacity_10k"]) * util[row[j], 0] for j in lines)
    assert starch * corn <= 225 * 1.02
