"""The report's section on history (a solve folder with backcast.csv): the table of the
model against history and a chart of the errors, in English or Chinese.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ioopt import history, words
from ioopt.render.charts import Chart, layout
from ioopt.render.folder import RunFolder
from ioopt.render.labels import Labels
from ioopt.render.localise import localise
from ioopt.render.localise import scope as localise_scope

VIEW = history.BACKCAST_COLUMNS
"""The backcast table's columns, as the report shows them."""


def _label(L: Labels, r: pd.Series) -> str:
    scope = localise_scope(r["scope"], L)
    return f"{history.indicator_label(str(r['indicator']), L.lang)} · {scope} · {int(r['year'])}"


def backcast_view(run: RunFolder, L: Labels) -> pd.DataFrame:
    """backcast.csv with the report's headers (indicator and unit in words)."""
    bc = run.table("backcast")
    if bc.empty:
        return bc
    view = bc[[c for c in VIEW if c in bc.columns]].copy()
    view = localise(view, L)
    return view.rename(columns={c: words.t(f"backcast.col.{c}", L.lang)
                                if f"backcast.col.{c}" in words.WORDS else c for c in view.columns})


def backcast_chart(run: RunFolder, L: Labels) -> Chart | None:
    """The model's error against each history row, in % (bars: over red, under blue)."""
    bc = run.table("backcast")
    if bc.empty or bc["error_pct"].notna().sum() == 0:
        return None
    bc = bc[bc["error_pct"].notna()].iloc[::-1]
    labels = [_label(L, r) for _, r in bc.iterrows()]
    hover = [f"{lab}<br>{words.t('backcast.col.model', L.lang)} {words.num(m)} / "
             f"{words.t('backcast.col.history', L.lang)} {words.num(h)} {words.unit(u, L.lang)}"
             for lab, m, h, u in zip(labels, bc["model"], bc["history_compared"], bc["unit"],
                                     strict=True)]
    fig = go.Figure(go.Bar(x=bc["error_pct"], y=labels, orientation="h",
                           marker_color=["#b42318" if e > 0 else "#1f77b4" for e in bc["error_pct"]],
                           hovertext=hover, hoverinfo="text"))
    fig.add_vline(x=0, line_color="#444")
    layout(fig, height=max(260, 28 * len(bc) + 90), showlegend=False,
           xaxis_title=words.t("backcast.error_axis", L.lang),
           margin={"l": 20, "r": 30, "t": 30, "b": 50})
    fig.update_yaxes(automargin=True)
    return Chart("backcast", words.t("backcast.chart", L.lang),
                 words.t("backcast.section_note", L.lang), fig)
