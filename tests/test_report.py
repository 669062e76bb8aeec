"""Reports as people see them: the HTML page opened in headless Chromium (no console
errors, no network, every chart drawn, a screenshot kept), the workbook reopened with
openpyxl sheet by sheet, static charts, Chinese labels, and the flows behind the Sankey.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from ioopt import api
from ioopt.analyses.ranking import rank
from ioopt.analyses.tradeoffs import curve, frontier
from ioopt.batch import BatchSpec, run_batch
from ioopt.cli import main
from ioopt.errors import InputError
from ioopt.render import write_report
from ioopt.render.folder import read_folder
from ioopt.render.static import find_browser
from tests.conftest import ARTIFACTS, EXAMPLE, REF

# ------------------------------------------------------------------ folders

@pytest.fixture(scope="module")
def work() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


@pytest.fixture(scope="module")
def solve_dir(work: Path, tongliao_run: Any) -> Path:
    """The default case's solve folder (the session's solve, written out)."""
    return tongliao_run.write(work / "solve")


@pytest.fixture(scope="module")
def rank_dir(work: Path) -> Path:
    out = work / "rank"
    rank(api.load_case(EXAMPLE), workers=1).write(out)
    return out


@pytest.fixture(scope="module")
def batch_dir(work: Path) -> Path:
    spec = BatchSpec.model_validate({"name": "report-test", "grid": [
        {"name": "energy", "quotas": {"family": "energy_total"}, "scale": [0.6, 0.8, 1.0, 1.2]},
        {"name": "capital", "quotas": {"family": "capital_total"}, "set": [300, 500]}]})
    out = work / "batch"
    run_batch(spec, EXAMPLE, out, case=api.load_case(EXAMPLE), workers=1, progress=False)
    return out


@pytest.fixture(scope="module")
def curve_dir(work: Path) -> Path:
    out = work / "curve"
    curve(api.load_case(EXAMPLE), "energy_total", "-40%", "+20%", 4, out, workers=1,
          progress=False)
    return out


@pytest.fixture(scope="module")
def frontier_dir(work: Path) -> Path:
    out = work / "frontier"
    frontier(api.load_case(EXAMPLE), "carbon_total", "objective", 4, out, workers=1,
             progress=False)
    return out


# ------------------------------------------------------------------ the browser


def open_report(browser: Any, page_path: Path, shot: str) -> dict[str, Any]:
    """Open a report; return console errors, page errors, requests that left the file,
    and per chart the count of drawn SVG marks. Keeps a full-page screenshot.
    """
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))

    def route(r: Any) -> None:
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(page_path.resolve().as_uri(), wait_until="load")
    page.wait_for_function("document.querySelectorAll('.chart .js-plotly-plot').length === "
                           "document.querySelectorAll('.chart').length")
    marks = page.evaluate("""() => Array.from(document.querySelectorAll('.chart')).map(c => {
        const plot = c.querySelector('.js-plotly-plot');
        const svg = plot ? plot.querySelector('svg.main-svg') : null;
        const box = plot ? plot.getBoundingClientRect() : {width: 0, height: 0};
        return {id: plot ? plot.id : null, width: box.width, height: box.height,
                marks: plot ? plot.querySelectorAll(
                    'g.trace path, g.sankey-node, g.sankey-link path, g.hm image, '
                    + 'g.point path, path.js-line').length : 0};
    })""")
    overlaps = page.evaluate(OVERLAPS_JS)
    text = page.inner_text("body")
    svg_text = page.evaluate("() => Array.from(document.querySelectorAll('.chart svg text'))"
                             ".map(t => t.textContent).join('\\n')")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{shot}.png"), full_page=True)
    page.close()
    return {"errors": errors, "outside": outside, "charts": marks, "text": text,
            "svg_text": svg_text, "overlaps": overlaps}


OVERLAPS_JS = """() => {
    // axis tick labels of each chart, axis by axis: any two whose boxes intersect (by more
    // than a pixel) are reported; and tick labels running into the plot area of a neighbour
    const out = [];
    for (const plot of document.querySelectorAll('.chart .js-plotly-plot')) {
        for (const ax of plot.querySelectorAll('g.xtick, g.ytick').length ?
                 ['xtick', 'ytick'] : []) {
            const groups = new Map();
            for (const t of plot.querySelectorAll('g.' + ax + ' text')) {
                const g = t.closest('g.' + ax).parentNode;
                if (!groups.has(g)) groups.set(g, []);
                const r = t.getBoundingClientRect();
                if (r.width > 0 && t.textContent.trim()) groups.get(g).push([t.textContent, r]);
            }
            for (const boxes of groups.values()) {
                for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
                    const [a, ra] = boxes[i], [b, rb] = boxes[j];
                    const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
                    const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
                    if (w > 1 && h > 1) out.push(plot.id + ': ' + a + ' / ' + b);
                }
            }
        }
        // a chart's tick labels stay inside its own box (nothing cut or spilling over)
        const box = plot.getBoundingClientRect();
        for (const t of plot.querySelectorAll('g.xtick text, g.ytick text')) {
            const r = t.getBoundingClientRect();
            if (r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1))
                out.push(plot.id + ': outside its chart: ' + t.textContent);
        }
    }
    return out;
}"""


def assert_drawn(seen: dict[str, Any], expected: set[str]) -> None:
    assert seen["errors"] == [], seen["errors"]
    assert seen["overlaps"] == [], seen["overlaps"]
    assert seen["outside"] == [], f"the report fetched {seen['outside']}"
    ids = {c["id"] for c in seen["charts"]}
    assert expected <= ids, f"charts {sorted(expected - ids)} missing; have {sorted(ids)}"
    for c in seen["charts"]:
        assert c["width"] > 300 and c["height"] > 200, c
        assert c["marks"] > 0, f"chart {c['id']} has nothing drawn"


def test_solve_report_in_browser(browser: Any, solve_dir: Path) -> None:
    files = write_report(solve_dir, fmt="html", static=False)
    assert files.html is not None
    seen = open_report(browser, files.html, "report-solve")
    assert_drawn(seen, {"chart-targets", "chart-sankey", "chart-quotas", "chart-timeline"})
    for words in ("Headline figures", "Against the plan's targets", "Supply chains",
                  "shadow price", "optimal", "ioopt version", "Report date", "MIP gap"):
        assert words in seen["text"], words


def test_chinese_report_in_browser(browser: Any, solve_dir: Path) -> None:
    files = write_report(solve_dir, fmt="html", lang="zh", static=False)
    assert files.html is not None and files.html.name == "report_zh.html"
    seen = open_report(browser, files.html, "report-solve-zh")
    assert_drawn(seen, {"chart-targets", "chart-sankey", "chart-quotas", "chart-timeline"})
    # fixed words and the case's own names, as the browser shows them
    for words in ("主要指标", "对照规划目标", "配额使用与影子价格", "通辽市“十四五”工业发展规划"):
        assert words in seen["text"], words
    for name in ("电力", "霍林郭勒高新技术产业开发区", "通辽经济技术开发区", "铝产业链"):
        assert name in seen["svg_text"], name  # drawn in the charts' SVG


def test_rank_report_in_browser(browser: Any, rank_dir: Path) -> None:
    files = write_report(rank_dir, fmt="html", static=False)
    assert files.html is not None
    seen = open_report(browser, files.html, "report-rank")
    assert_drawn(seen, {"chart-ranking", "chart-quotas", "chart-sankey"})
    ranking = pd.read_csv(rank_dir / "ranking.csv")
    assert "decisive constraint" in seen["text"]
    # every project's reason sentence is on the page
    for reason in ranking["reason"]:
        assert reason.split(";")[0][:60] in seen["text"]


def test_batch_curve_frontier_reports_in_browser(browser: Any, batch_dir: Path,
                                                 curve_dir: Path, frontier_dir: Path) -> None:
    files = write_report(batch_dir, fmt="html", static=False)
    assert files.html is not None
    seen = open_report(browser, files.html, "report-batch")
    assert_drawn(seen, {"chart-objective_sweep", "chart-indicators_sweep",
                        "chart-selection_frequency"})
    # scenarios by their axis values, not their grid ids
    assert "energy 0.6 · capital 300" in seen["svg_text"].replace("\n", " ")
    assert "grid-0001" not in seen["svg_text"]
    files = write_report(curve_dir, fmt="html", static=False)
    assert files.html is not None
    seen = open_report(browser, files.html, "report-curve")
    assert_drawn(seen, {"chart-curve", "chart-objective_sweep"})
    files = write_report(frontier_dir, fmt="html", static=False)
    assert files.html is not None
    seen = open_report(browser, files.html, "report-frontier")
    assert_drawn(seen, {"chart-frontier"})
    assert "CO2 total" in seen["svg_text"]  # the x axis names the capped quantity


def test_infeasible_report_explains(browser: Any, tmp_path: Path) -> None:
    """An infeasible scenario's report is the explanation: the relaxation sentences."""
    scen = tmp_path / "s.yaml"
    scen.write_text("name: s\nprojects:\n  - {project: p2, status: committed, online_year: 2021, "
                    "min_util: 1}\n", encoding="utf-8")
    case = api.apply_scenario(api.load_case(REF / "ref1_energy"), scen)
    folder = api.run(case, scenario=str(scen)).write(tmp_path / "run")
    files = write_report(folder, static=False)
    assert files.html is not None and files.xlsx is not None
    assert any("no solution" in n for n in files.notes)
    seen = open_report(browser, files.html, "report-infeasible")
    assert seen["errors"] == [] and seen["charts"] == []
    assert "2021 energy quota short by 2.5 万 tce (limit 1.5, needs 4)" in seen["text"]
    assert "infeasible" in seen["text"]
    wb = load_workbook(files.xlsx)
    assert wb.sheetnames == ["Summary", "Infeasibility"]


# ------------------------------------------------------------------ without a browser

def test_html_is_self_contained(solve_dir: Path) -> None:
    files = write_report(solve_dir, fmt="html", static=False)
    assert files.html is not None
    html = files.html.read_text(encoding="utf-8")
    # nothing loaded from elsewhere (the browser tests also block and count requests)
    assert "<script src=" not in html and "<link " not in html and "<img " not in html
    assert html.count("Plotly.newPlot") >= 4


def test_static_charts(solve_dir: Path, tmp_path: Path) -> None:
    if find_browser() is None:
        pytest.skip("no Chromium on this machine: static charts need one (Kaleido)")
    assert write_report(solve_dir, fmt="html", out=tmp_path / "plain").charts == []  # off by default
    files = write_report(solve_dir, fmt="html", out=tmp_path, static=True)
    names = {p.name for p in files.charts}
    assert {"sankey.png", "sankey.svg", "timeline.png", "quotas.svg"} <= names, files.notes
    for p in files.charts:
        assert p.stat().st_size > 2000, p
    assert (tmp_path / "charts" / "sankey.svg").read_text(encoding="utf-8").lstrip().startswith(
        "<svg")
    assert (tmp_path / "charts" / "sankey.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_static_charts_without_browser_say_why(solve_dir: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chrome"))
    files = write_report(solve_dir, fmt="all", out=tmp_path, static=True)
    assert files.html is not None and files.html.is_file()
    assert files.xlsx is not None and files.xlsx.is_file()
    assert files.charts == []
    assert any("no Chrome or Chromium found" in n for n in files.notes)


def test_workbook_sheet_by_sheet(solve_dir: Path, tmp_path: Path) -> None:
    files = write_report(solve_dir, fmt="xlsx", out=tmp_path)
    assert files.xlsx is not None and files.html is None
    wb = load_workbook(files.xlsx)
    assert wb.sheetnames[0] == "Summary"
    assert {"Targets", "Totals", "Quotas", "Portfolio", "Sectors", "Flows"} <= set(wb.sheetnames)
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Solver status"].startswith("optimal")
    assert "ioopt version" in summary and "Report date" in summary and "MIP gap" in summary
    totals = pd.read_csv(solve_dir / "totals.csv")
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert all(c.font.b for c in ws[1]), ws.title
        for j in range(1, ws.max_column + 1):
            width = ws.column_dimensions[ws.cell(row=1, column=j).column_letter].width
            assert width and 8 <= width <= 62, (ws.title, j, width)
    ws = wb["Totals"]
    head = [c.value for c in ws[1]]
    assert "gross output (亿元)" in head and "energy (万 tce)" in head and "water (万 m3)" in head
    col = head.index("gross output (亿元)") + 1
    got = [ws.cell(row=i + 2, column=col).value for i in range(len(totals))]
    np.testing.assert_allclose(got, totals["gross_output_100m_cny"], rtol=1e-12)
    assert ws.cell(row=2, column=col).number_format == "#,##0.0"
    assert ws.cell(row=2, column=head.index("year") + 1).number_format == "0"
    quotas = pd.read_csv(solve_dir / "quotas.csv")
    assert wb["Quotas"].max_row == len(quotas) + 1
    targets = [r for r in wb["Targets"].iter_rows(min_row=2, values_only=True)]
    assert any("short by" in str(r[-1]) for r in targets)  # Tongliao misses some targets
    assert any(r[-1] == "met" for r in targets)


def test_batch_workbook(batch_dir: Path, tmp_path: Path) -> None:
    files = write_report(batch_dir, fmt="xlsx", lang="zh", out=tmp_path)
    assert files.xlsx is not None and files.xlsx.name == "report_zh.xlsx"
    wb = load_workbook(files.xlsx)
    # Chinese sheet names
    assert wb.sheetnames[0] == "摘要"
    assert {"情景", "合计", "入选情况"} <= set(wb.sheetnames)
    assert wb["情景"].max_row == 8 + 1
    sel = wb["入选情况"]
    assert sel.max_column == 2 + 8  # project, its name + one column per scenario
    # Chinese headers with units
    heads = [c.value for c in wb["合计"][1]]
    assert "总产值 (亿元)" in heads


def test_flows_close_the_chain_balance(tongliao_run: Any) -> None:
    """Deliveries out of each sector (to users, exports, final demand) equal its production
    plus imports, every year: what the Sankey draws is the model's balance.
    """
    flows, sec = tongliao_run.flows, tongliao_run.sectors
    out = flows[flows["kind"] != "import"].groupby(["source", "year"])["quantity_10k"].sum()
    inn = flows[flows["kind"] == "import"].groupby(["target", "year"])["quantity_10k"].sum()
    s = sec.set_index(["sector", "year"])
    supply = s["production_10k"] + inn.reindex(s.index, fill_value=0.0)
    used = out.reindex(s.index, fill_value=0.0)
    np.testing.assert_allclose(used.to_numpy(), supply.to_numpy(), rtol=1e-7, atol=1e-6)
    assert {"intermediate", "import", "export"} <= set(flows["kind"])
    # values at prices: electricity's deliveries at the electricity price
    el = flows[(flows["source"] == "elec") & (flows["kind"] == "intermediate")]
    price = tongliao_run.case.sectors.loc["elec", "price"]
    np.testing.assert_allclose(el["value_100m_cny"], el["quantity_10k"] * price)


def test_folder_kinds_and_bad_folders(solve_dir: Path, rank_dir: Path, batch_dir: Path,
                                      curve_dir: Path, frontier_dir: Path,
                                      tmp_path: Path) -> None:
    assert read_folder(solve_dir).kind == "solve"
    assert read_folder(rank_dir).kind == "rank"
    assert read_folder(batch_dir).kind == "batch"
    assert read_folder(curve_dir).kind == "curve"
    assert read_folder(frontier_dir).kind == "frontier"
    with pytest.raises(InputError, match="none found"):
        read_folder(tmp_path)
    (tmp_path / "summary.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"summary\.json"):
        read_folder(tmp_path)


def test_report_cli(solve_dir: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["report", str(solve_dir), "--out", str(tmp_path),
                                    "--format", "all", "--no-static", "--lang", "zh"])
    assert res.exit_code == 0, res.output
    assert "report_zh.html" in res.output and "report_zh.xlsx" in res.output
    res = CliRunner().invoke(main, ["report", str(tmp_path / "nothing")])
    assert res.exit_code == 2
    assert "expected a results folder" in res.output


def test_overlap_check_sees_overlapping_labels(browser: Any, tmp_path: Path) -> None:
    """The overlap check used above finds labels that do overlap (long names forced flat
    on a narrow axis), and none once they are wrapped as the charts wrap them.
    """
    import plotly.graph_objects as go

    from ioopt.render.charts import wrap

    names = [f"Huolinguole High-tech Industrial Development Zone land quota {i}" for i in range(6)]
    found = {}
    for how, labels in (("flat", names), ("wrapped", [wrap(n, 14, 3) for n in names])):
        fig = go.Figure(go.Bar(x=labels, y=list(range(6))))
        fig.update_xaxes(tickangle=0)
        fig.update_layout(width=500, height=400)
        page_path = tmp_path / f"{how}.html"
        div = fig.to_html(full_html=False, include_plotlyjs=True, div_id="chart-t")
        page_path.write_text(f'<html><body><div class="chart">{div}</div></body></html>',
                             encoding="utf-8")
        page = browser.new_page(viewport={"width": 700, "height": 500})
        page.goto(page_path.resolve().as_uri())
        page.wait_for_selector(".js-plotly-plot g.xtick text")
        found[how] = page.evaluate(OVERLAPS_JS)
        page.close()
    assert found["flat"], "overlapping flat labels not seen"
    assert found["wrapped"] == [], found["wrapped"]


def test_io_report_in_browser(browser: Any, tmp_path: Path) -> None:
    api.io_view(api.load_case(EXAMPLE)).write(tmp_path)
    files = write_report(tmp_path, fmt="html", lang="zh")
    assert files.html is not None
    seen = open_report(browser, files.html, "report-io-zh")
    assert_drawn(seen, {"chart-io_multipliers", "chart-io_linkages", "chart-io_embodied"})
    assert "投入产出分析" in seen["text"]
