"""One number formatter and one unit vocabulary: numbers never in exponent form, units
the same in the console, tables, reports and workbook of a language; footnote marks tied
to their rows; a row is binding only when its use is at its limit.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from ioopt import api, words
from ioopt.render.folder import read_folder
from ioopt.render.labels import Labels
from ioopt.render.tables import quota_notes, quota_view
from tests.conftest import ROOT


@pytest.mark.parametrize(("value", "text"), [
    (10550.3, "10,550"), (-2e4, "-20,000"), (1533.2, "1,533"), (35.734, "35.73"),
    (0.23434, "0.2343"), (0.0001234, "0.0001234"), (1e-6, "0.000001"), (0, "0"),
    (float("nan"), "-"), (None, "-")])
def test_num_is_never_exponent_form(value: Any, text: str) -> None:
    assert words.num(value) == text


@pytest.mark.parametrize(("model_unit", "en", "zh"), [
    ("10k t", "万 t", "万吨"), ("10k tce", "万 tce", "万吨标准煤"),
    ("10k m3", "万 m3", "万立方米"), ("mu", "mu", "亩"), ("100m CNY", "亿元", "亿元"),
    ("CNY/tce", "CNY/tce", "元/吨标准煤"), ("CNY/t CO2", "CNY/t CO2", "元/吨二氧化碳"),
    ("10k MWh", "万 MWh", "万兆瓦时"), ("share", "share", "比例"),
    ("t CO2/10k CNY", "t CO2/万元", "吨二氧化碳/万元"), ("10k vial", "万 vial", "万支")])
def test_one_unit_vocabulary(model_unit: str, en: str, zh: str) -> None:
    assert words.unit(model_unit) == en
    assert words.unit(model_unit, "zh") == zh


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_column_units_are_the_vocabulary(lang: str) -> None:
    """A column's unit suffix and a unit cell of the same unit read the same."""
    for suffix, model_unit in words.UNIT_SUFFIXES:
        assert words.column_unit(f"x{suffix}", lang)[1] == words.unit(model_unit, lang)
    assert words.column("production_10k_2025", "zh") == "产量 2025 (万单位)"


def test_gap_and_changes_in_words() -> None:
    assert words.gap(1e-6) == "0.0001%" and words.gap(None) == "-"
    text = "quotas: {'family': 'land', 'year': 2025, 'scale': 1.2} (3 rows)"
    assert words.scenario_change(text) == "land quota 2025: limit scaled by 1.2 (3 rows)"
    assert words.scenario_change(text, "zh") == "用地指标 2025年：限额乘以 1.2（3 行）"
    assert words.scenario_change("something else") == "something else"


ALLOWED_FORMATS = {
    "formulation/rows.py": "a model-building error on fixed terms",
    "iomath.py": "a spectral radius in an error (the productivity test)",
    "solver/numerics.py": "magnitudes outside the solver's range (1e-7 .. 1e9): exponent form is the point",
    "batch/spec.py": "grid values rounded as numbers, not shown",
    "render/charts.py": "plotly hover formats (d3, client side)",
    "render/batch_charts.py": "plotly hover formats (d3, client side)",
    "analyses/compare.py": "the compare command's table (its owner routes it)",
    "markets.py": "input errors echo the file's values as written",
}
"""Modules that may keep a general ('g') or exponent ('e') format, and why."""


def test_no_exponent_formats_outside_words() -> None:
    """Numbers people read go through words.num: no ':g', ':.3g' or ':.2e' format specs."""
    spec = re.compile(r"\{[^{}]*:[,+ ]?\d*(\.\d+)?[gGeE]\}")
    bad = []
    for path in sorted((ROOT / "ioopt").rglob("*.py")):
        rel = path.relative_to(ROOT / "ioopt").as_posix()
        if rel.startswith("words/") or rel in ALLOWED_FORMATS:
            continue
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if spec.search(line):
                bad.append(f"{rel}:{i}: {line.strip()}")
    assert bad == []


# ------------------------------------------------------------------ rows, notes, binding

RATIOS = ("green_share", "energy_intensity", "carbon_intensity", "water_intensity")


def test_binding_means_at_the_limit(tongliao_run: Any) -> None:
    """A row is binding only when its use is at its limit; a soft row past its limit is
    violated (its violation column), not binding."""
    q = tongliao_run.quotas
    q = q[q["mode"] != "report"]
    for r in q.itertuples():
        at = abs(r.used - r.limit) <= 1e-6 * max(1.0, abs(r.limit))
        if r.name in RATIOS:  # the tolerance is on the numerator: at the limit, closely
            assert not r.binding or abs(r.used - r.limit) <= 1e-4 * max(1.0, abs(r.limit))
        else:
            assert bool(r.binding) == at, r
    assert len(q[q["violation"] > 1e-9])  # the default case has soft rows past their limit
    assert not q.loc[q["violation"] > 1e-9, "binding"].any()


def test_green_share_binding_agrees_with_its_use(tongliao_run: Any) -> None:
    g = tongliao_run.quotas
    g = g[g["name"] == "green_share"]
    for r in g.itertuples():
        if r.binding:
            assert abs(r.used - r.limit) <= 1e-6 * max(1.0, r.limit)
        else:
            assert abs(r.used - r.limit) > 1e-9 or r.violation > 0


def test_quota_notes_are_marked(tongliao_run: Any, tmp_path: Path) -> None:
    """Each n/a carries the mark of its note, listed once under the table, in the
    terminal and the report alike."""
    folder = tongliao_run.write(tmp_path / "solve")
    run = read_folder(folder)
    for lang in ("en", "zh"):
        L = Labels(lang=lang)
        view = quota_view(run, L)
        notes = quota_notes(run, L)
        prices = [v for v in view[L.t("shadow_price")] if isinstance(v, str)]
        marks = {p[len(L.t("na")):] for p in prices}
        assert marks == {n.split(" ")[0] for n in notes}
        assert len(notes) == len(set(notes))
    text = api.summary_text(tongliao_run)
    na = re.findall(r"n/a([¹²³⁴⁵⁶⁷⁸⁹])", text)
    listed = re.findall(r"^\s+(\S) n/a: ", text, re.M)
    assert set(na) == set(listed) and len(listed) == len(set(listed))
    q = pd.read_csv(folder / "quotas.csv")
    assert len(listed) == q.loc[q["binding"] | (q["violation"] > 1e-9), "price_note"].dropna(
    ).nunique()
