"""Reports people read: ``ioopt report RUN_DIR`` turns a solve, rank, batch, curve,
frontier, compare or io folder into a self-contained HTML page, an Excel workbook and static PNG/SVG
charts, in English or Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ioopt import words
from ioopt.render import batch_charts as bch
from ioopt.render import charts as ch
from ioopt.render import kinds
from ioopt.render.folder import RunFolder, read_folder
from ioopt.render.history import backcast_chart
from ioopt.render.html import build_html
from ioopt.render.labels import LANGS, Labels
from ioopt.render.static import write_static
from ioopt.render.xlsx import build_workbook

FORMATS = ("html", "xlsx", "all")

__all__ = ["FORMATS", "LANGS", "ReportFiles", "make_charts", "read_folder", "write_report"]


@dataclass
class ReportFiles:
    """What a report wrote, and what it could not."""

    html: Path | None = None
    xlsx: Path | None = None
    charts: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        """Lines for the terminal."""
        lines = []
        if self.html:
            lines.append(words.t("html_written", path=self.html))
        if self.xlsx:
            lines.append(words.t("xlsx_written", path=self.xlsx))
        if self.charts:
            lines.append(words.t("charts_written", n=len(self.charts),
                                 folder=self.charts[0].parent))
        lines += [words.t("report_note", note=n) for n in self.notes]
        return "\n".join(lines)


def make_charts(run: RunFolder, L: Labels) -> list[ch.Chart]:
    """The charts a folder's report has, in page order."""
    if run.kind in ("compare", "io"):
        return kinds.compare_charts(run, L) if run.kind == "compare" else kinds.io_charts(run, L)
    if run.kind in ("solve", "rank"):
        found = [ch.targets_chart(run, L), ch.sankey_chart(run, L), ch.quota_chart(run, L),
                 ch.quota_totals_chart(run, L),
                 ch.timeline_chart(run, L), backcast_chart(run, L), ch.ranking_chart(run, L)]
    else:
        found = [bch.curve_chart(run, L), bch.frontier_chart(run, L),
                 bch.objective_sweep_chart(run, L), bch.indicators_sweep_chart(run, L),
                 *bch.selection_charts(run, L)]
    return [c for c in found if c is not None]


def write_report(path: str | Path, fmt: str = "all", lang: str = "en",
                 out: str | Path | None = None, static: bool = False) -> ReportFiles:
    """Render the report of a results folder.

    ``fmt``: html, xlsx or all. ``out``: where to write (default: the folder itself):
    ``report.html`` / ``report.xlsx`` (``report_zh.*`` in Chinese) and ``charts/`` with a
    PNG and an SVG per chart (``static``, with the HTML; needs a Chrome/Chromium).
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    run = read_folder(path)
    pf = run.table("portfolio")
    L = Labels.load(run.path, lang, pf.drop_duplicates("project") if len(pf) else None)
    dest = Path(out) if out is not None else run.path
    dest.mkdir(parents=True, exist_ok=True)
    suffix = "" if lang == "en" else f"_{lang}"
    files = ReportFiles()
    if not run.ok:
        files.notes.append(L.t("no_solution_note"))
    if fmt in ("html", "all"):
        charts = make_charts(run, L)
        files.html = dest / f"report{suffix}.html"
        files.html.write_text(build_html(run, L, {c.name: c for c in charts}), encoding="utf-8")
        if static and charts:
            files.charts, why = write_static(charts, dest / "charts", suffix)
            if why:
                files.notes.append(L.t("static_skipped", why=why))
    if fmt in ("xlsx", "all"):
        build = kinds.kind_workbook if run.kind in ("compare", "io") else build_workbook
        files.xlsx = build(run, L, dest / f"report{suffix}.xlsx")
    return files
