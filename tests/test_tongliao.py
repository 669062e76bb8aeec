"""The embedded Tongliao case: valid, sourced, reproduces 2020, quotas bind."""

from __future__ import annotations

import csv

import pytest

from ioopt import api
from ioopt.case import DEFAULT_CASE


@pytest.fixture(scope="module")
def case():
    return api.load_case(DEFAULT_CASE)


def test_base_year_reproduces_seed_totals(case):
    # seed 003: 2020 industrial gross output 1071.5 亿元, value added 238.8 亿元
    p = case.projects[case.projects["status"] == "existing"]
    out = p["base_output_10k"].fillna(p["capacity_10k"]).astype(float)
    assert (out * p["price"]).sum() == pytest.approx(1071.5, rel=0.02)
    assert (out * p["va"]).sum() == pytest.approx(238.8, rel=0.02)


def test_every_row_has_a_source():
    for f in DEFAULT_CASE.glob("*.csv"):
        with f.open(encoding="utf-8") as fh:
            for i, row in enumerate(csv.DictReader(fh), start=2):
                assert (row.get("source") or "").strip(), f"{f.name} line {i} has no source"


def test_seed_projects_present(case):
    names = " ".join(case.projects["name"]).lower()
    for key in ("lianmeng", "chuangyuan", "jing'an", "huashi", "meihua", "longma"):
        assert key in names, key


def test_energy_and_another_quota_bind(case):
    r = api.run(case)
    assert r.status.value == "optimal"
    binding = set(r.quotas.loc[r.quotas["binding"], "name"])
    assert "energy_total" in binding
    assert binding & {"water_total", "water_intensity", "land", "capital_total"}
