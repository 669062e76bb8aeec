"""Issue 19's report content: rejected candidates with their reasons, a scenario against
its base, compare of two runs (base -> scenario, one row per project, scenarios by name),
reports of compare and io folders, and the chart helpers (wrapped names, coinciding
lines, axis ranges). Real solves of the small example case; numbers checked against each
other, not hard-coded.
"""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from ioopt import api
from ioopt.analyses.against import against, tables_of
from ioopt.analyses.compare import compare
from ioopt.analyses.ranking import rank
from ioopt.analyses.rejected import rejected_reasons
from ioopt.cli import main
from ioopt.render import write_report
from ioopt.render.batch_charts import _lines, _step_range, scenario_names
from ioopt.render.charts import _width, layout, wrap
from ioopt.render.folder import RunFolder, read_folder
from ioopt.render.labels import Labels
from tests.conftest import EXAMPLE

FORCE = ("name: force-solar\ndescription: The committee approves solar_1.\nprojects:\n"
         "  - {project: solar_1, force: in}\n")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example case solved alone and with a scenario forcing a rejected project in,
    through the CLI (the base solved too)."""
    tmp = tmp_path_factory.mktemp("sections")
    scen = tmp / "force.yaml"
    scen.write_text(FORCE, encoding="utf-8")
    out = {"base": tmp / "base", "scen": tmp / "scen"}
    r = CliRunner().invoke(main, ["solve", "--case", str(EXAMPLE), "--out", str(out["base"])])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["solve", "--case", str(EXAMPLE), "--scenario", str(scen),
                                  "--out", str(out["scen"])])
    assert r.exit_code == 0, r.output
    out["scen_text"] = r.output  # type: ignore[assignment]
    return out


def test_rejected_reasons_are_the_quick_rankings() -> None:
    case = api.load_case(EXAMPLE)
    result = api.run(case)
    mine = rejected_reasons(result).set_index("project")
    pf = result.portfolio
    rejected = set(pf.loc[(pf["status"] == "candidate") & ~pf["selected"].astype(bool), "project"])
    assert set(mine.index) == rejected and rejected
    quick = rank(case, exact=False, workers=1).table.set_index("project")
    for j in rejected:
        assert mine.at[j, "reason"] == quick.at[j, "reason"], j
        zh = mine.at[j, "reason_zh"]
        assert zh != mine.at[j, "reason"] and any("\u4e00" <= c <= "\u9fff" for c in zh), zh
        assert mine.at[j, "decisive_constraint"] == quick.at[j, "decisive_constraint"], j
        assert mine.at[j, "force_in_cost_estimate"] == pytest.approx(
            quick.at[j, "force_in_cost_estimate"])


def test_solve_says_why_and_what_changed(runs: dict[str, Path]) -> None:
    text = str(runs["scen_text"])
    assert "rejected candidates, why" in text and "against the base: base case -> force-solar" in text
    assert "The committee approves solar_1." in text  # the scenario's description
    base, scen = runs["base"], runs["scen"]
    assert (scen / "base" / "summary.json").is_file()
    ind = pd.read_csv(scen / "against_indicators.csv").set_index("indicator")
    b = api.read_results(base).summary["objective"]
    s = api.read_results(scen).summary["objective"]
    assert ind.at["objective", "base"] == pytest.approx(b)
    assert ind.at["objective", "scenario"] == pytest.approx(s)
    assert ind.at["objective", "change"] == pytest.approx(s - b)
    pj = pd.read_csv(scen / "against_projects.csv").set_index("project")
    assert pj.at["solar_1", "change"] == "enters"
    # the rejected table of the scenario no longer lists the project forced in
    assert "solar_1" not in set(pd.read_csv(scen / "rejected.csv")["project"])
    # a later solve without a scenario in the same folder leaves no stale comparison
    r = CliRunner().invoke(main, ["solve", "--case", str(EXAMPLE), "--out", str(scen)])
    assert r.exit_code == 0, r.output
    assert not (scen / "against_projects.csv").exists() and not (scen / "base").exists()
    r = CliRunner().invoke(main, ["solve", "--case", str(EXAMPLE), "--scenario",
                                  str(scen.parent / "force.yaml"), "--out", str(scen)])
    assert r.exit_code == 0, r.output


def test_solve_report_shows_both(runs: dict[str, Path]) -> None:
    for lang in ("en", "zh"):
        files = write_report(runs["scen"], fmt="html", lang=lang)
        assert files.html is not None
        page = files.html.read_text(encoding="utf-8")
        assert 'id="against"' in page and 'id="rejected"' in page
    page = (runs["scen"] / "report.html").read_text(encoding="utf-8")
    assert "What changed against the base" in page and "The committee approves solar_1." in page
    zh = (runs["scen"] / "report_zh.html").read_text(encoding="utf-8")
    assert "与基准相比的变化" in zh
    for reason in pd.read_csv(runs["scen"] / "rejected.csv")["reason_zh"]:
        assert html.escape(reason[:20]) in zh  # the reasons in Chinese too


def test_compare_two_runs_is_base_to_scenario(runs: dict[str, Path], tmp_path: Path) -> None:
    cmp = compare([runs["base"], runs["scen"]])
    assert cmp.against is not None
    assert cmp.against.scenario_name == "force-solar"  # named, not by its folder
    # one row per project: solar_1 is a candidate in one run and forced in the other
    assert cmp.selection["project"].is_unique
    assert "against the base" in cmp.text() and "min .. median .. max" not in cmp.text()
    direct = against(tables_of(runs["base"]), tables_of(runs["scen"]))
    pd.testing.assert_frame_equal(cmp.against.indicators, direct.indicators)
    cmp.write(tmp_path / "cmp")
    run = read_folder(tmp_path / "cmp")
    assert run.kind == "compare"
    files = write_report(tmp_path / "cmp", fmt="all")
    assert files.html is not None and files.xlsx is not None
    page = files.html.read_text(encoding="utf-8")
    assert "chart-compare_changes" in page and "force-solar" in page


def test_io_report(tmp_path: Path) -> None:
    view = api.io_view(api.load_case(EXAMPLE))
    view.write(tmp_path)
    run = read_folder(tmp_path)
    assert run.kind == "io" and run.ok
    files = write_report(tmp_path, fmt="all", lang="zh")
    assert files.html is not None and files.xlsx is not None
    page = files.html.read_text(encoding="utf-8")
    for chart in ("io_multipliers", "io_linkages", "io_embodied"):
        assert f"chart-{chart}" in page
    assert "投入产出分析" in page


def test_wrap_breaks_at_words_and_marks_what_is_cut() -> None:
    text = "Huolinguole High-tech Industrial Development Zone land quota for the horizon"
    out = wrap(text, 20, 2)
    lines = out.split("<br>")
    assert len(lines) == 2 and lines[-1].endswith("…")
    for line in lines:
        assert _width(line.rstrip("…")) <= 20
        assert line.rstrip("…").split()[-1] in text.split()  # whole words only
    assert wrap("short", 20) == "short"
    zh = wrap("霍林郭勒高新技术产业开发区用地指标全期合计数额", 20, 2)
    assert all(_width(x.rstrip("…")) <= 20 for x in zh.split("<br>"))


def _batch(values: dict[str, list[float]]) -> RunFolder:
    sc = pd.DataFrame({"scenario_id": [f"grid-{i:04d}" for i in range(4)],
                       "energy": [0.8, 1.0, 0.8, 1.0], "capital": [300.0, 300.0, 500.0, 500.0],
                       **values})
    spec = {"grid": [{"name": "energy"}, {"name": "capital"}]}
    return RunFolder(path=Path("."), kind="batch", summary={"spec": spec},
                     tables={"scenario": sc})


def test_coinciding_sweep_lines_are_drawn_once_and_named() -> None:
    import plotly.graph_objects as go

    run = _batch({"objective": [1.0, 2.0, 1.0, 2.0]})
    sc = run.table("scenario")
    fig = go.Figure()
    _lines(fig, sc["energy"], sc["objective"], sc["capital"], "objective", "capital",
           sc["scenario_id"], Labels())
    assert len(fig.data) == 1
    assert fig.data[0].name == "capital = 300, capital = 500 (same values)"
    fig = go.Figure()
    _lines(fig, sc["energy"], sc["objective"] + np.array([0, 0, 0.5, 0]), sc["capital"],
           "objective", "capital", sc["scenario_id"], Labels())
    assert [t.name for t in fig.data] == ["capital = 300", "capital = 500"]
    assert scenario_names(run)["grid-0003"] == "energy 1 · capital 500"


def test_axes_have_no_si_prefixes_and_steps_start_at_zero() -> None:
    import plotly.graph_objects as go

    fig = layout(go.Figure(go.Scatter(x=[10000, 20000], y=[1, 2])))
    assert fig.layout.xaxis.exponentformat == "none" and fig.layout.xaxis.separatethousands
    lo, hi = _step_range(pd.Series([12.0, 190.0, 0.0]))
    assert lo == 0 and 190 < hi < 220
    lo, _ = _step_range(pd.Series([-5.0, 10.0]))
    assert lo < -5
