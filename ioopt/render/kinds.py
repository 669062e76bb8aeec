"""The reports of an ``ioopt compare`` folder and of an ``ioopt io`` folder: their charts
and sections (the solve and batch reports are :mod:`ioopt.render.html`).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ioopt.render.charts import Chart, layout, wrap
from ioopt.render.folder import RunFolder
from ioopt.render.html_table import table_html
from ioopt.render.labels import Labels
from ioopt.render.sections import against_html, header

Section = tuple[str, str, list[str]]
"""anchor, title, the parts of its body (HTML)."""


def _sector_names(L: Labels, ids: pd.Series) -> list[str]:
    return [wrap(L.name("sector", s), 44, 1) for s in ids]


# ------------------------------------------------------------------ io

def io_charts(run: RunFolder, L: Labels, top: int = 20) -> list[Chart]:
    """Multipliers (bars), linkages (scatter, key sectors in red), embodied energy
    (direct and upstream, stacked) of an io folder.
    """
    s = run.table("io_sectors")
    if s.empty:
        return []
    out = []
    m = s.nlargest(top, "output_multiplier").iloc[::-1]
    names = _sector_names(L, m["sector"])
    fig = go.Figure()
    fig.add_bar(y=names, x=m["output_multiplier"], orientation="h",
                name=L.t("sec.output_multiplier"), marker_color="#1f77b4",
                hovertemplate="%{y}: %{x:.3f}<extra></extra>")
    fig.add_bar(y=names, x=m["va_total"], orientation="h", name=L.t("sec.va_multiplier"),
                marker_color="#2ca02c", hovertemplate="%{y}: %{x:.3f}<extra></extra>")
    layout(fig, max(360, 30 * len(m) + 120), barmode="group",
           legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"})
    out.append(Chart("io_multipliers", L.t("sec.multipliers"), L.t("sec.multipliers_note"), fig))
    key = s["key_sector"].astype(bool)
    fig = go.Figure()
    for flag, name, colour in ((True, L.t("sec.key_sector"), "#d62728"),
                               (False, L.t("sec.other_sector"), "#1f77b4")):
        g = s[key == flag]
        if len(g):
            fig.add_scatter(x=g["backward_linkage"], y=g["forward_linkage"], mode="markers",
                            name=name, marker={"color": colour, "size": 10},
                            customdata=_sector_names(L, g["sector"]),
                            hovertemplate="%{customdata}: %{x:.2f}, %{y:.2f}<extra></extra>")
    fig.add_hline(y=1, line_dash="dot", line_color="#444")
    fig.add_vline(x=1, line_dash="dot", line_color="#444")
    layout(fig, 460, xaxis_title=L.t("sec.backward"), yaxis_title=L.t("sec.forward"),
           legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"})
    out.append(Chart("io_linkages", L.t("sec.linkages"), L.t("sec.linkages_note"), fig))
    e = s.nlargest(top, "energy_tce_total_per_10k_cny").iloc[::-1]
    names = _sector_names(L, e["sector"])
    direct = e["energy_tce_direct_per_10k_cny"].to_numpy()
    upstream = np.maximum(e["energy_tce_total_per_10k_cny"].to_numpy() - direct, 0.0)
    fig = go.Figure()
    fig.add_bar(y=names, x=direct, orientation="h", name=L.t("sec.direct"),
                marker_color="#ff7f0e", hovertemplate="%{y}: %{x:.3f} tce<extra></extra>")
    fig.add_bar(y=names, x=upstream, orientation="h", name=L.t("sec.upstream"),
                marker_color="#9467bd", hovertemplate="%{y}: %{x:.3f} tce<extra></extra>")
    layout(fig, max(360, 24 * len(e) + 120), barmode="stack", xaxis_title="tce / 万元",
           legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"})
    out.append(Chart("io_embodied", L.t("sec.embodied"), L.t("sec.embodied_note"), fig))
    return out


IO_SECTOR_VIEW = ["sector", "name", "chain", "output_multiplier", "va_total",
                  "energy_tce_total_per_10k_cny", "co2_t_total_per_10k_cny",
                  "water_m3_total_per_10k_cny", "backward_linkage", "forward_linkage",
                  "key_sector"]
IO_PROJECT_VIEW = ["project", "name", "sector", "park", "status",
                   "energy_tce_embodied_10k_per_year", "co2_t_embodied_10k_per_year",
                   "water_m3_embodied_10k_per_year"]


def io_sections(run: RunFolder, L: Labels, chart: Callable[[str], str]) -> list[Section]:
    """The io report's sections."""
    s, p = run.table("io_sectors"), run.table("io_projects")
    if len(s):
        s = s.assign(name=[L.name("sector", x) for x in s["sector"]],
                     chain=[L.chain(c) for c in s["chain"]])
    if len(p):
        p = p.assign(name=[L.name("project", x) for x in p["project"]],
                     park=[L.name("park", x) for x in p["park"]])

    def view(frame: pd.DataFrame, cols: list[str]) -> str:
        if frame.empty:
            return ""
        frame = frame[[c for c in cols if c in frame]]
        return table_html(frame.rename(columns=lambda c: header(L, c)))

    return [("multipliers", L.t("sec.multipliers"), [chart("io_multipliers")]),
            ("linkages", L.t("sec.linkages"), [chart("io_linkages")]),
            ("embodied", L.t("sec.embodied"), [chart("io_embodied")]),
            ("io_sectors", L.t("sec.io_sectors_table"), [view(s, IO_SECTOR_VIEW)]),
            ("io_projects", L.t("sec.io_projects_table"), [view(p, IO_PROJECT_VIEW)])]


# ------------------------------------------------------------------ compare

def compare_charts(run: RunFolder, L: Labels) -> list[Chart]:
    """Two runs: each indicator's change against the base in % (bars)."""
    ind = run.table("compare_changes_indicators")
    if ind.empty or not ind["change_pct"].notna().any():
        return []
    from ioopt.solve_notes import indicator_label

    ind = ind[ind["change_pct"].notna()].iloc[::-1]
    labels = [wrap(indicator_label(str(x), L.lang), 36) for x in ind["indicator"]]
    pct = ind["change_pct"].to_numpy(dtype=float)
    fig = go.Figure(go.Bar(y=labels, x=pct, orientation="h",
                           marker_color=np.where(pct >= 0, "#2ca02c", "#d62728"),
                           hovertemplate="%{y}: %{x:+.1f}%<extra></extra>", showlegend=False))
    fig.add_vline(x=0, line_color="#444")
    layout(fig, max(300, 34 * len(ind) + 100), xaxis_title="%")
    return [Chart("compare_changes", L.t("sec.compare_changes_chart"), "", fig)]


def compare_sections(run: RunFolder, L: Labels, chart: Callable[[str], str]) -> list[Section]:
    """The compare report's sections: base -> scenario for two runs, then the tables
    across every scenario.
    """
    s = run.summary
    out: list[Section] = []
    runs = s.get("runs") or []
    if runs:
        out.append(("runs", L.t("sec.compare_runs"),
                    ["<ul>" + "".join(f"<li>{html.escape(str(r))}</li>" for r in runs) + "</ul>"]))
    if s.get("base"):
        as_run = RunFolder(path=run.path, kind="solve",
                           summary={"scenario_name": s.get("scenario"),
                                    "scenario_changes": s.get("scenario_changes") or [],
                                    "base": s.get("base")},
                           tables={f"against_{k}": run.table(f"compare_changes_{k}")
                                   for k in ("projects", "indicators", "prices")})
        out.append(("changes", L.t("sec.compare_changes", scenario=s.get("scenario"),
                                   base=s.get("base")),
                    [chart("compare_changes"), against_html(as_run, L)]))
    for name in ("selection", "indicators", "quotas", "sectors"):
        frame = run.table(f"compare_{name}")
        if len(frame):
            out.append((name, L.t(f"sec.compare_{name}"),
                        [table_html(frame.rename(columns=lambda c: header(L, c)))]))
    return out


# ------------------------------------------------------------------ both

def kind_rows(run: RunFolder, L: Labels) -> list[tuple[str, str]]:
    """The summary table of a compare or io report."""
    from ioopt import __version__

    s = run.summary
    rows = []
    if s.get("case"):
        rows.append((L.t("case"), L.name("case", s["case"])))
    if run.kind == "io" and s.get("year") is not None:
        rows.append((L.t("year"), L.t("sec.io_year", year=s["year"])))
    if run.kind == "compare":
        rows.append((L.t("scenarios"), str(s.get("n_scenarios", len(s.get("runs") or [])))))
    rows.append((L.t("version"), L.t("report_version", version=s.get("ioopt_version", "?"),
                                     current=__version__)))
    return rows


def kind_workbook(run: RunFolder, L: Labels, path: Path) -> Path:
    """The workbook of a compare or io folder: the summary, then one sheet per table."""
    from openpyxl import Workbook

    from ioopt.render.xlsx import write_sheet

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Summary"
    write_sheet(ws, pd.DataFrame(kind_rows(run, L), columns=["item", "value"]), L,
                raw_names=True)
    for name, frame in run.tables.items():
        if len(frame):
            title = name.removeprefix("compare_").removeprefix("io_")[:31]
            write_sheet(wb.create_sheet(title), frame, L)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
