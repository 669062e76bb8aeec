"""Reports in Chinese say everything in Chinese, and every report's headline figures are
the run's own numbers.

Every report kind (solve with a scenario, rank, batch, curve, frontier) is rendered with
``--lang zh`` and read as a person sees it: the HTML's visible text (no scripts or styles,
but the charts' titles, axis titles, annotations and legend names), the workbook's sheet
names and cells. No Latin word may appear beyond the case's own ids and names (projects,
sectors, parks, exclusive groups, scenario ids, a batch's own names), the case format's
file names, the case's provenance text (the columns headed 来源, quoted as the case
writes it) and a short whitelist.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook

from ioopt import api, words
from ioopt.analyses.ranking import rank
from ioopt.analyses.tradeoffs import curve, frontier
from ioopt.batch import BatchSpec, run_batch
from ioopt.render import write_report
from ioopt.render.folder import read_folder
from ioopt.render.labels import Labels
from ioopt.render.tables import headline
from ioopt.schemas import TABLES
from tests.conftest import EXAMPLE

WHITELIST = {"HiGHS", "MIP", "CO2", "ioopt", "LP", "SOURCES", "md", "csv", "yaml", "quick",
             "time-limit", "solver", "relax_integers", "true"}
"""Latin words a Chinese report may use: the solver, its gap, CO2, the program, the case
format's files and command-line options."""
SOURCE_HEADERS = {"来源", "source"}
"""Columns of the case's provenance text (quoted as written, never translated)."""
TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9_\-]*")


# ------------------------------------------------------------------ what a person sees

class _Visible(HTMLParser):
    """The page's visible text (cells under a provenance header left out) and its
    scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.skip = 0
        self.in_script = False
        self.text: list[str] = []
        self.scripts: list[str] = []
        self.heads: list[str] = []
        self.col = -1
        self.in_head = False
        self.cell = ""

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style"):
            self.skip += 1
            self.in_script = tag == "script"
        elif tag == "thead":
            self.heads, self.in_head = [], True
        elif tag == "tr":
            self.col = -1
        elif tag in ("td", "th"):
            self.col += 1
            self.cell = ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip -= 1
            self.in_script = False
        elif tag == "thead":
            self.in_head = False
        elif tag == "th" and self.in_head:
            self.heads.append(self.cell)

    def handle_data(self, data: str) -> None:
        if self.skip:
            if self.in_script:
                self.scripts.append(data)
            return
        self.cell += data
        under = self.heads[self.col] if 0 <= self.col < len(self.heads) else ""
        if not self.in_head and under in SOURCE_HEADERS:
            return
        self.text.append(data)


def _figure_words(script: str) -> list[str]:
    """A plotly figure's visible words: title, axis titles, annotations, legend names."""
    m = re.search(r'Plotly\.newPlot\(\s*"[^"]+",\s*(\[.*?\]),\s*(\{.*?\}),\s*\{"displaylogo',
                  script, re.S)
    if not m:
        return []
    data, lay = json.loads(m.group(1)), json.loads(m.group(2))

    def title(t: Any) -> str:
        return str(t.get("text", "")) if isinstance(t, dict) else str(t or "")

    out = [title(lay.get("title"))]
    out += [title(v.get("title")) for k, v in lay.items()
            if k.startswith(("xaxis", "yaxis")) and isinstance(v, dict)]
    out += [str(a.get("text", "")) for a in lay.get("annotations", [])]
    out += [str(tr.get("name") or "") for tr in data if tr.get("showlegend", True)]
    return out


def html_texts(path: Path) -> tuple[list[str], int]:
    """The page's visible text and its charts' words; and how many charts it has."""
    v = _Visible()
    v.feed(path.read_text(encoding="utf-8"))
    figs = [w for s in v.scripts for w in _figure_words(s)]
    return v.text + figs, sum("Plotly.newPlot" in s for s in v.scripts)


def xlsx_texts(path: Path) -> list[str]:
    """The workbook's sheet names and text cells (provenance columns left out)."""
    out = []
    wb = load_workbook(path)
    for ws in wb.worksheets:
        out.append(ws.title)
        rows = list(ws.iter_rows(values_only=True))
        head = [str(h) for h in rows[0]] if rows else []
        for row in rows:
            out += [c for h, c in zip(head, row, strict=False)
                    if isinstance(c, str) and h not in SOURCE_HEADERS]
    return out


def allowed(folder: Path) -> set[str]:
    """The tokens a Chinese report may show: the case's ids and names, the run's scenario
    ids, its scenario's and a batch's own names, the case format's files, the whitelist.
    """
    run = read_folder(folder)
    texts: list[str] = []
    lab = pd.read_csv(folder / "labels.csv", dtype=str, keep_default_na=False)
    texts += list(lab["id"]) + list(lab["zh"])
    for name in ("portfolio", "ranking", "scenario", "sectors", "quotas"):
        t = run.table(name)
        for col in ("project", "exclusive_group", "scenario_id", "sector", "park", "scope",
                    "exact_changed", "selected", "entered", "left", "label"):
            if col in t:
                texts += [str(v) for v in t[col].dropna()]
    pf = run.table("portfolio")
    texts += [str(v) for v in pf.get("name_zh", pd.Series(dtype=str)).dropna()]
    rk = run.table("ranking")  # exclusive groups, named in the decisive constraint
    texts += [m for v in rk.get("decisive_constraint", pd.Series(dtype=str)).dropna()
              for m in re.findall(r"\[(.*?)\]", str(v))]
    spec = run.summary.get("spec") or {}
    texts += [str(run.summary.get("batch", "")), str(run.path),
              str(run.summary.get("scenario_name") or "")]  # the user's own name
    texts += [str(a.get("name", "")) for a in spec.get("grid") or []]
    texts += [s.file for s in TABLES.values()]
    out = {w for s in texts for w in TOKEN.findall(s)} | WHITELIST
    return out | {w for w in texts if re.fullmatch(r"[0-9a-f]{16,}", w)}


def latin(texts: list[str], ok: set[str]) -> dict[str, str]:
    """Latin words not allowed, each with the first text it appears in."""
    found: dict[str, str] = {}
    for s in texts:
        for w in TOKEN.findall(s):
            if w not in ok and not re.fullmatch(r"[0-9a-f]{16,}", w):
                found.setdefault(w, s[:160])
    return found


# ------------------------------------------------------------------ the runs

@pytest.fixture(scope="module")
def work() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


@pytest.fixture(scope="module")
def folders(work: Path) -> dict[str, Path]:
    """A solve (with a scenario's changes), a rank, a batch, a curve and a frontier of the
    example case, and the default case's solve (backcast and all)."""
    sc = work / "scenario.yaml"
    sc.write_text("name: tighter\nquotas:\n  - {family: energy_total, scale: 0.95}\n"
                  "projects:\n  - {project: solar_1, force: out}\n", encoding="utf-8")
    out = {"solve": api.run(api.load(EXAMPLE, sc)).write(work / "solve"),
           "default": api.run(api.load()).write(work / "default")}
    rank(api.load_case(EXAMPLE), workers=1).write(work / "rank")
    out["rank"] = work / "rank"
    spec = BatchSpec.model_validate({"name": "zh-test", "grid": [
        {"name": "energy", "quotas": {"family": "energy_total"}, "scale": [0.6, 1.0]},
        {"name": "capital", "quotas": {"family": "capital_total"}, "set": [300, 500]}]})
    run_batch(spec, EXAMPLE, work / "batch", case=api.load_case(EXAMPLE), workers=1,
              progress=False)
    out["batch"] = work / "batch"
    curve(api.load_case(EXAMPLE), "energy_total", "-40%", "+20%", 3, work / "curve",
          workers=1, progress=False)
    out["curve"] = work / "curve"
    frontier(api.load_case(EXAMPLE), "carbon_total", "objective", 3, work / "frontier",
             workers=1, progress=False)
    out["frontier"] = work / "frontier"
    for folder in out.values():
        write_report(folder, "all", "zh", static=False)
        write_report(folder, "all", "en", static=False)
    return out


KINDS = ["solve", "default", "rank", "batch", "curve", "frontier"]


@pytest.mark.parametrize("kind", KINDS)
def test_chinese_report_has_no_english(folders: dict[str, Path], kind: str) -> None:
    folder = folders[kind]
    ok = allowed(folder)
    texts, n_charts = html_texts(folder / "report_zh.html")
    assert n_charts > 0  # the charts' words were read
    assert latin(texts, ok) == {}
    assert latin(xlsx_texts(folder / "report_zh.xlsx"), ok) == {}


def test_the_check_finds_english(folders: dict[str, Path]) -> None:
    """The English report fails the same check (the check can fail)."""
    folder = folders["rank"]
    texts, _ = html_texts(folder / "report.html")
    found = latin(texts, allowed(folder))
    assert {"selected", "rejected"} & set(found)


def test_chinese_reasons_and_names(folders: dict[str, Path]) -> None:
    """The ranking's reasons are the Chinese sentences, the projects their Chinese names,
    in the page and the workbook."""
    folder = folders["rank"]
    rk = pd.read_csv(folder / "ranking.csv")
    page = (folder / "report_zh.html").read_text(encoding="utf-8")
    for r in rk.itertuples():
        assert str(r.reason_zh) in page.replace("&#x27;", "'").replace("&quot;", '"')
    wb = load_workbook(folder / "report_zh.xlsx")
    ws = wb[words.t("sheet.ranking", "zh")]
    head = [c.value for c in ws[1]]
    names = {ws.cell(row=i, column=head.index(words.column("name", "zh")) + 1).value
             for i in range(2, ws.max_row + 1)}
    pf = pd.read_csv(folder / "portfolio.csv")
    zh = set(pf.loc[pf["project"].isin(rk["project"]), "name_zh"])
    assert names == zh


def test_scenario_changes_are_sentences(folders: dict[str, Path]) -> None:
    folder = folders["solve"]
    for name in ("report.html", "report_zh.html", "report.xlsx", "report_zh.xlsx"):
        texts = html_texts(folder / name)[0] if name.endswith("html") else \
            xlsx_texts(folder / name)
        assert not [t for t in texts if "{'" in t]  # no dict reprs
    zh = (folder / "report_zh.html").read_text(encoding="utf-8")
    assert "限额乘以 0.95" in zh and f"{words.family('energy_total', 'zh')}" in zh
    en = (folder / "report.html").read_text(encoding="utf-8")
    assert "limit scaled by 0.95" in en and "force = out" in en


# ------------------------------------------------------------------ headline figures

def _cards(page: str) -> dict[str, str]:
    pairs = re.findall(r'<div class="k">([^<]*)</div><div class="v">([^<]*)</div>', page)
    return {k: v for k, v in pairs}


@pytest.mark.parametrize("kind", ["solve", "default", "rank"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_headline_cards_are_the_runs_numbers(folders: dict[str, Path], kind: str,
                                             lang: str) -> None:
    folder = folders[kind]
    pf = pd.read_csv(folder / "portfolio.csv")
    tot = pd.read_csv(folder / "totals.csv")
    last = tot.iloc[-1]
    L = Labels(lang=lang)
    year = int(last["year"])
    expected = {f"{L.t(k)} {year}": f"{words.num(last[c])} {words.column_unit(c, lang)[1]}"
                for k, c in (("gross_output", "gross_output_100m_cny"),
                             ("value_added", "value_added_100m_cny"),
                             ("energy", "energy_10k_tce"), ("co2", "co2_10k_t"),
                             ("water", "water_10k_m3"))}
    cand = pf[pf["status"] == "candidate"]
    expected[L.t("n_selected")] = f"{int(cand['selected'].sum())} / {len(cand)}"
    page = (folder / ("report.html" if lang == "en" else "report_zh.html")).read_text(
        encoding="utf-8")
    cards = _cards(page)
    assert set(cards) == set(expected)
    for k, v in expected.items():
        assert cards[k].startswith(v), (k, cards[k], v)
    wb = load_workbook(folder / ("report.xlsx" if lang == "en" else "report_zh.xlsx"))
    ws = wb[words.t("sheet.summary", lang)]
    cells = {r[0]: r[1] for r in ws.iter_rows(min_row=2, values_only=True)}
    for k, v in expected.items():
        assert str(cells[k]).startswith(v), (k, cells[k], v)
    # committed projects are not candidates: they are never counted as selected ones
    committed = int((pf["status"] == "committed").sum())
    assert committed == 0 or expected[L.t("n_selected")] != \
        f"{int(pf.loc[pf['status'] != 'existing', 'selected'].sum())} / {len(cand)}"


def test_headline_reads_the_summary(folders: dict[str, Path]) -> None:
    """The card is the summary's count, and the summary counts candidates."""
    folder = folders["default"]
    run = read_folder(folder)
    s = run.summary
    pf = run.table("portfolio")
    assert s["n_selected"] == int(pf.loc[pf["status"] == "candidate", "selected"].sum())
    assert s["n_committed"] == int((pf["status"] == "committed").sum())
    assert dict(headline(run, Labels("en")))[words.t("n_selected")] == \
        f"{s['n_selected']} / {s['n_candidates']}"
