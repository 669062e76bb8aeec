"""The page: the scenario panel's controls (from a session's current case), the answer
panel's blocks (from :class:`~ioopt.serve.answer.Views`) and the fixed frame. Dash
components only; the words come from :mod:`ioopt.words`, the numbers are written as the
report writes them (:func:`ioopt.render.html.fmt_cell`).
"""

from __future__ import annotations

import uuid
from typing import Any

import pandas as pd
from dash import dcc, html

from ioopt import words
from ioopt.families import FAMILIES
from ioopt.render.html_table import frame_cells
from ioopt.render.labels import Labels
from ioopt.schemas.config import Measure, Mode
from ioopt.serve.answer import Views
from ioopt.serve.session import Session, quota_key

CSS = {"font-family": "system-ui, 'Noto Sans CJK SC', 'WenQuanYi Zen Hei', sans-serif",
       "font-size": "13px", "margin": "0 16px"}
PANEL = {"border": "1px solid #ddd", "border-radius": "6px", "padding": "8px 12px",
         "margin": "8px 0"}


def key_text(key: tuple[str, int | None, str | None]) -> str:
    """A quota row's key as the id of its input: 'family|year|park'."""
    fam, year, park = key
    return f"{fam}|{'' if year is None else year}|{park or ''}"


def parse_key(text: str) -> tuple[str, int | None, str | None]:
    """The inverse of :func:`key_text`."""
    fam, year, park = text.split("|")
    return fam, (int(year) if year else None), (park or None)


def page(session: Session, sid: str, lang: str = "en") -> html.Div:
    """The whole page for a new tab (its session id kept in the page)."""
    t = _t(lang)
    case = session.base
    title = (case.config.title_zh if lang == "zh" and case.config.title_zh else case.config.title)
    return html.Div(style=CSS, children=[
        dcc.Store(id="sid", data=sid),
        dcc.Store(id="rank-ready", data=0),
        dcc.Interval(id="tick", interval=1000, disabled=True),
        dcc.Download(id="download"),
        html.Div(style={"display": "flex", "justify-content": "space-between",
                        "align-items": "center"}, children=[
            html.H2(t("serve.title", case=title or case.config.name), id="title"),
            html.Div([html.Span(t("serve.lang") + " "), dcc.RadioItems(
                id="lang", options=[{"label": "English", "value": "en"},
                                    {"label": "中文", "value": "zh"}],
                value=lang, inline=True)])]),
        html.Div(style={"display": "flex", "gap": "16px", "align-items": "flex-start"}, children=[
            html.Div(style={"flex": "0 0 430px"}, children=[
                html.Div(id="keep", style=PANEL, children=keep_panel(session, lang)),
                html.Div(id="message", style={"color": "#b42318", "white-space": "pre-wrap"}),
                html.Div(id="controls", children=controls(session, lang))]),
            html.Div(style={"flex": "1 1 auto", "min-width": "0"}, children=[
                dcc.Loading(html.Div(id="answer"), delay_show=600),
                html.Div(id="deeper", style=PANEL, children=deeper_panel(session, lang)),
                html.Div(id="task-out")])])])


def new_sid() -> str:
    """A fresh session id for a new tab."""
    return uuid.uuid4().hex


def _t(lang: str) -> Any:
    return lambda key, **fmt: words.t(key, lang, **fmt)


def keep_panel(session: Session, lang: str) -> list[Any]:
    """Load (configs names only), upload, save and the downloads."""
    t = _t(lang)
    return [
        html.H4(t("serve.keep_panel")),
        html.Div(t("serve.configs", folder=session.configs.name if session.configs else "-")),
        html.Div(style={"display": "flex", "gap": "6px"}, children=[
            dcc.Dropdown(id="config-name", options=session.config_names(),
                         style={"flex": "1"}),
            html.Button(t("serve.load"), id="load-btn")]),
        dcc.Upload(id="upload", children=html.Div(t("serve.upload")), multiple=False,
                   style={"border": "1px dashed #999", "padding": "6px", "margin": "6px 0",
                          "text-align": "center"}),
        html.Div(style={"display": "flex", "gap": "6px", "flex-wrap": "wrap"}, children=[
            html.Button(t("serve.save"), id="save-btn"),
            html.Button(t("serve.report_html"), id="html-btn"),
            html.Button(t("serve.report_xlsx"), id="xlsx-btn"),
            html.Button(t("serve.reset"), id="reset-btn")])]


def controls(session: Session, lang: str) -> list[Any]:
    """The scenario panel for the session's current case (loaded scenario and edits)."""
    t = _t(lang)
    try:
        case = session.case()
    except Exception:  # an edit the case refuses: show the loaded case's values
        case = session.loaded_case
    base_q = {quota_key(r): r["limit"] for r in session.base.quotas.to_dict("records")}
    L = Labels.from_case(case, lang)
    blocks: list[Any] = [html.H4(t("serve.scenario_panel"))]
    q = case.quotas
    for fam in dict.fromkeys(q["family"]):
        rows = []
        for r in q[q["family"] == fam].to_dict("records"):
            key = quota_key(r)
            where = " ".join(x for x in (str(key[1] or t("all_years")),
                                         L.name("park", key[2]) if key[2] else "") if x)
            rows.append(html.Tr([
                html.Td(where),
                html.Td(dcc.Input(id={"type": "quota", "key": key_text(key)}, type="number",
                                  value=float(r["limit"]), min=0, debounce=True,
                                  style={"width": "130px"})),
                html.Td(words.unit(str(r["unit"]), lang)),
                html.Td(t("serve.base_value", value=words.num(base_q.get(key))),
                        style={"color": "#777"})]))
        blocks.append(html.Details(open=fam in ("energy_intensity", "energy_total"), children=[
            html.Summary(L.family(fam)), html.Table(rows)]))
    blocks += [html.H4(t("serve.measure")),
               dcc.Dropdown(id="measure", options=[m.value for m in Measure],
                            value=case.config.objective.measure.value, clearable=False)]
    blocks += _projects(case, lang)
    blocks += _switches(case, lang)
    return [html.Div(style=PANEL, children=blocks)]


def _projects(case: Any, lang: str) -> list[Any]:
    t = _t(lang)
    L = Labels.from_case(case, lang)
    p = case.projects[case.projects["status"] != "existing"]
    opts = [{"label": f"{j} {L.name('project', j)} ({L.chain(_chain(case, s))}, "
                      f"{L.name('park', park)}, {L.t(st) if st in ('committed', 'candidate') else st})",
             "value": j} for j, s, park, st in zip(p["project"], p["sector"], p["park"], p["status"],
                                                  strict=True)]
    forced = p["force"]
    return [html.H4(t("serve.force_in")),
            dcc.Dropdown(id="force-in", options=opts, multi=True, searchable=True,
                         value=[j for j, f in forced.items() if f == "in"]),
            html.H4(t("serve.force_out")),
            dcc.Dropdown(id="force-out", options=opts, multi=True, searchable=True,
                         value=[j for j, f in forced.items() if f == "out"])]


def _chain(case: Any, sector: str) -> str:
    s = case.sectors
    return str(s.at[sector, "chain"]) if sector in s.index and "chain" in s else ""


def _switches(case: Any, lang: str) -> list[Any]:
    t = _t(lang)
    fams = case.config.families
    rows = [html.Tr([
        html.Td(words.family(f, lang)),
        html.Td(dcc.Checklist(id={"type": "fam-on", "key": f}, options=[{"label": t("serve.enabled"),
                                                                         "value": "on"}],
                              value=["on"] if s.enabled else [])),
        html.Td(dcc.Dropdown(id={"type": "fam-mode", "key": f}, options=[m.value for m in Mode],
                             value=s.mode.value, clearable=False, style={"width": "100px"}))])
        for f, s in fams.items() if f in FAMILIES]
    acc = case.config.accounting
    return [html.H4(t("serve.families")), html.Table(rows),
            html.H4(t("serve.accounting")),
            html.Div([t("serve.renewables") + " ",
                      dcc.Dropdown(id="renewables", options=["contracted", "pooled"],
                                   value=acc.renewables, clearable=False)]),
            dcc.Checklist(id="acc-flags", options=[
                {"label": t("serve.exclude_renewable"), "value": "exclude_renewable_electricity"},
                {"label": t("serve.exclude_feedstock"), "value": "exclude_feedstock"}],
                value=[k for k in ("exclude_renewable_electricity", "exclude_feedstock")
                       if getattr(acc, k)])]


def deeper_panel(session: Session, lang: str) -> list[Any]:
    """The buttons of the background questions (ranking, value curve, frontier)."""
    t = _t(lang)
    fams = list(dict.fromkeys(session.base.quotas["family"]))
    return [html.H4(t("serve.deeper_panel")),
            html.Div(style={"display": "flex", "gap": "6px", "align-items": "center",
                            "flex-wrap": "wrap"}, children=[
                html.Button(t("serve.rank"), id="rank-btn"),
                html.Span("|"),
                dcc.Dropdown(id="curve-quota", options=[{"label": words.family(f, lang), "value": f}
                                                        for f in fams],
                             value=fams[0] if fams else None, clearable=False,
                             style={"width": "180px"}),
                t("serve.from"), dcc.Input(id="curve-from", value="-20%", style={"width": "60px"}),
                t("serve.to"), dcc.Input(id="curve-to", value="+20%", style={"width": "60px"}),
                t("serve.steps"), dcc.Input(id="curve-steps", type="number", value=5, min=2, max=41,
                                            style={"width": "50px"}),
                html.Button(t("serve.curve"), id="curve-btn"),
                html.Span("|"),
                html.Button(t("frontier"), id="frontier-btn"),
                html.Button(t("serve.cancel"), id="cancel-btn")])]


# ------------------------------------------------------------------ the answer


def table(frame: pd.DataFrame, max_rows: int = 400, id_: str | None = None) -> Any:
    """A DataFrame as a table, numbers as the report writes them."""
    if frame is None or frame.empty:
        return html.Div("-")
    head = html.Tr([html.Th(str(c)) for c in frame.columns])
    body = [html.Tr([html.Td(text, style={"text-align": "right"} if num else {})
                     for _, text, num in row]) for row in frame_cells(frame, max_rows)]
    rows = [html.Thead(head), html.Tbody(body)]
    style = {"border-collapse": "collapse"}
    tab = html.Table(rows, id=id_, style=style) if id_ else html.Table(rows, style=style)
    return html.Div(style={"max-height": "380px", "overflow": "auto"}, children=tab)


def answer_blocks(v: Views, how: str, lang: str) -> list[Any]:
    """The answer panel from its views."""
    t = _t(lang)
    out: list[Any] = [html.H3(t("serve.answer_panel")),
                      html.Div(v.status, id="status"),
                      html.Div(v.objective, id="objective", style={"font-size": "18px",
                                                                   "font-weight": "600"}),
                      html.Div(how, id="how", style={"color": "#555"})]
    if v.infeasible:
        out.append(html.Ul(id="infeasible", children=[html.Li(s) for s in v.infeasible]))
        return [html.Div(style=PANEL, children=out)]
    out += [html.H4(t("serve.headline")),
            html.Table(id="headline", children=[html.Tr([html.Td(k), html.Td(val)])
                                                for k, val in v.headline]),
            html.H4(t("sec.against_section")),
            html.Div(id="changes", children=[
                part for i, (head, frame) in enumerate(v.changes)
                for part in (html.H5(head), table(frame, id_=f"changes-{i}"))]),
            html.H4(t("serve.quota_use")), table(v.quotas, id_="quotas"),
            html.H4(t("serve.targets")), table(v.targets, id_="targets"),
            html.H4(t("serve.portfolio")), table(v.portfolio, id_="portfolio"),
            html.H4(t("serve.rejected")), table(v.rejected, id_="rejected")]
    return [html.Div(style=PANEL, children=out)]
