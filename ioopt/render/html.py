"""The HTML report: one self-contained file (plotly.js and the styles inlined, nothing
fetched when it is opened), sections chosen by the kind of folder.
"""

from __future__ import annotations

import html

import pandas as pd
from plotly.offline import get_plotlyjs

from ioopt.render.charts import Chart
from ioopt.render.folder import RunFolder
from ioopt.render.history import backcast_view
from ioopt.render.html_table import table_html
from ioopt.render.labels import Labels
from ioopt.render.tables import (
    KIND_TITLES,
    estimate_sentences,
    frontier_view,
    headline,
    indicator_view,
    quota_notes,
    quota_view,
    rank_rule,
    ranking_view,
    scenario_view,
    summary_rows,
    targets_table,
    words_view,
)

CSS = """
body { font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC",
       -apple-system, "Segoe UI", Arial, sans-serif; margin: 0; color: #222; background: #fafafa; }
header { background: #12355b; color: #fff; padding: 18px 32px; }
header h1 { margin: 0 0 4px 0; font-size: 24px; }
header .sub { opacity: .85; }
nav { padding: 8px 32px; background: #e8eef5; font-size: 14px; position: sticky; top: 0; z-index: 5; }
nav a { margin-right: 16px; color: #12355b; text-decoration: none; }
main { padding: 8px 32px 40px 32px; max-width: 1400px; }
section { background: #fff; border: 1px solid #e3e3e3; border-radius: 6px; padding: 12px 20px;
          margin: 16px 0; }
h2 { font-size: 19px; color: #12355b; margin: 6px 0 10px 0; }
h3 { font-size: 15px; margin: 14px 0 6px 0; }
p.note { color: #555; font-size: 13px; margin: 4px 0 8px 0; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0; }
th, td { border-bottom: 1px solid #e6e6e6; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f2f5f9; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.good td.verdict { color: #1a7f37; } tr.bad td.verdict { color: #b42318; font-weight: 600; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { border: 1px solid #dde3ea; border-radius: 6px; padding: 8px 14px; min-width: 180px; background: #f8fafc; }
.card .k { font-size: 12px; color: #555; } .card .v { font-size: 18px; font-weight: 600; }
.meta td:first-child { color: #555; white-space: nowrap; }
.scroll { max-height: 520px; overflow: auto; }
.warn { color: #b42318; font-weight: 600; }
footer { color: #777; font-size: 12px; padding: 0 32px 24px 32px; }
@media print {
  nav { display: none; }
  body { background: #fff; }
  main { max-width: none; padding: 0; }
  .scroll { max-height: none; overflow: visible; }
  th { position: static; }
  section { break-inside: auto; border: none; padding: 0; }
  h2, h3 { break-after: avoid; }
  tr, .chart { break-inside: avoid; }
}
"""


def _chart_html(chart: Chart) -> str:
    div = chart.fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"chart-{chart.name}",
                            config={"displaylogo": False, "responsive": True})
    note = f'<p class="note">{html.escape(chart.note)}</p>' if chart.note else ""
    return f'<h3>{html.escape(chart.title)}</h3>{note}<div class="chart">{div}</div>'


def _section(anchor: str, title: str, body: str) -> tuple[str, str, str]:
    return anchor, title, f'<section id="{anchor}"><h2>{html.escape(title)}</h2>{body}</section>'


def build_html(run: RunFolder, L: Labels, charts: dict[str, Chart]) -> str:
    """The report page for a folder and its charts (by name)."""
    sections: list[tuple[str, str, str]] = []
    from ioopt.render import kinds
    from ioopt.render import sections as sx

    rows = (kinds.kind_rows(run, L) if run.kind in ("compare", "io")
            else summary_rows(run, L) + sx.scenario_rows(run, L))
    meta = pd.DataFrame(rows, columns=["k", "v"])
    meta_html = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>"
                        for k, v in meta.itertuples(index=False))
    sections.append(_section("summary", L.t("summary"),
                             f'<table class="meta">{meta_html}</table>'))

    def add(anchor: str, title: str, *parts: str) -> None:
        body = "".join(p for p in parts if p)
        if body:
            sections.append(_section(anchor, title, body))

    def chart(name: str) -> str:
        return _chart_html(charts[name]) if name in charts else ""

    if run.kind in ("compare", "io"):
        found = (kinds.compare_sections if run.kind == "compare" else kinds.io_sections)(
            run, L, chart)
        for anchor, title, parts in found:
            add(anchor, title, *parts)
    elif run.kind in ("solve", "rank"):
        if not run.ok:
            inf = run.table("infeasibility")
            add("infeasible", L.t("no_solution_title"), f'<p class="warn">{html.escape(L.t("no_solution"))}</p>',
                table_html(words_view(inf, L)))
        cards = "".join(f'<div class="card"><div class="k">{html.escape(k)}</div>'
                        f'<div class="v">{html.escape(v)}</div></div>'
                        for k, v in headline(run, L))
        tgt = targets_table(run, L)
        verdict = L.t("verdict")
        classes = (["good" if v in (L.t("met"), L.t("within")) else "bad" for v in tgt[verdict]]
                   if len(tgt) else None)
        totals = run.table("totals").rename(columns=L.column)
        add("headline", L.t("headline"), f'<div class="cards">{cards}</div>' if cards else "",
            f"<h3>{html.escape(L.t('targets'))}</h3>" + table_html(tgt, row_class=classes, verdict=verdict)
            if len(tgt) else "", chart("targets"),
            f"<h3>{html.escape(L.t('totals_by_year'))}</h3>" + table_html(totals)
            if len(totals) else "")
        add("against", L.t("sec.against_section"), sx.against_html(run, L))
        add("sankey", L.t("sankey"), chart("sankey"))
        qnotes = "".join(f'<p class="note">{html.escape(n)}</p>' for n in quota_notes(run, L))
        add("quotas", L.t("quotas"), chart("quotas"), chart("quota_totals"),
            table_html(quota_view(run, L)), qnotes)
        ind = indicator_view(run, L)
        if len(ind):
            v = L.t("verdict")
            good = (L.t("verdict.within"), L.t("verdict.met"))
            add("indicators", L.t("indicators"),
                f'<p class="note">{html.escape(L.t("indicators_note"))}</p>',
                table_html(ind, row_class=["good" if x in good else "bad" for x in ind[v]],
                           verdict=v))
        est = estimate_sentences(run, L)
        if est:
            add("estimates", L.t("rests_on_estimates"),
                f'<p class="note">{html.escape(L.t("rests_on_estimates_note"))}</p>',
                "<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in est) + "</ul>")
        add("timeline", L.t("timeline"), chart("timeline"))
        add("rejected", L.t("sec.rejected_section"), sx.rejected_html(run, L))
        add("history", L.t("backcast.section"), chart("backcast"),
            table_html(backcast_view(run, L)))
        if run.kind == "rank":
            rule = rank_rule(run, L).strip()
            note = f'<p class="note">{html.escape(rule)}</p>' if rule else ""
            add("ranking", L.t("ranking"), note, chart("ranking"),
                table_html(ranking_view(run, L)))
    else:
        sc = run.table("scenario")
        n_ok = int(sc["objective"].notna().sum()) if len(sc) else 0
        note = f'<p class="note">{html.escape(L.t("sweep_note", n=len(sc), ok=n_ok))}</p>'
        if run.kind == "curve":
            add("curve", L.t("curve"), chart("curve"), table_html(words_view(run.table("curve"), L)))
        if run.kind == "frontier":
            add("frontier", L.t("frontier"), chart("frontier"),
                table_html(frontier_view(run, L)))
        add("sweep", L.t("sweep"), note, chart("objective_sweep"), chart("indicators_sweep"))
        add("selection", L.t("selection_freq"), chart("selection_frequency"),
            chart("selection_heatmap"))
        add("scenarios", L.t("scenarios"), table_html(scenario_view(run, L)))
    nav = "".join(f'<a href="#{a}">{html.escape(t)}</a>' for a, t, _ in sections)
    case = L.name("case", run.summary.get("case", ""))
    kind_title = (L.t(KIND_TITLES[run.kind]) if run.kind in KIND_TITLES
                  else L.t(f"sec.{run.kind}_report"))
    title = f"{kind_title} · {case}" if case else kind_title
    lang = "zh-CN" if L.zh else "en"
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{CSS}</style>"
            f'<script type="text/javascript">{get_plotlyjs()}</script></head><body>'
            f'<header><h1>{html.escape(title)}</h1><div class="sub">'
            f"{html.escape(str(run.path))}</div></header><nav>{nav}</nav><main>"
            + "".join(s for _, _, s in sections)
            + f"</main><footer>{html.escape(L.t('generated_by'))}</footer></body></html>")
