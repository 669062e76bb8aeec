"""The report's charts as Plotly figures, one function per chart: the common frame, and
the charts of a single run (solve, rank); batch, curve and frontier charts are in
:mod:`ioopt.render.batch_charts`.

Each returns a :class:`Chart` (or ``None`` when the folder lacks what the chart needs);
the HTML report embeds them (one inlined plotly.js for all), and
:mod:`ioopt.render.static` writes them as PNG and SVG.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ioopt import words
from ioopt.families import RULE_FAMILIES
from ioopt.render.folder import RunFolder
from ioopt.render.labels import Labels

FONT = ("Noto Sans CJK SC, WenQuanYi Zen Hei, Microsoft YaHei, PingFang SC, "
        "Source Han Sans SC, Arial, sans-serif")
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"]
TARGET_FAMILIES = tuple(RULE_FAMILIES)  # the plan's targets are the rule families
"""The plan's targets and caps of a sector or chain: the rule families."""
YUAN = words.unit("100m CNY")
"""Money in the charts: 亿元."""


@dataclass
class Chart:
    """A named figure with its title and a sentence on how to read it."""

    name: str
    title: str
    note: str
    fig: go.Figure


def layout(fig: go.Figure, height: int = 480, **kw: object) -> go.Figure:
    """The common frame of every chart: template, height, font, margins."""
    kw.setdefault("margin", {"l": 60, "r": 30, "t": 40, "b": 50})
    fig.update_layout(template="plotly_white", height=height,
                      font={"family": FONT, "size": 12}, **kw)
    return fig


def chain_colours(chains: list[str]) -> dict[str, str]:
    """A stable colour per chain (sorted ids)."""
    return {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(sorted(set(chains)))}


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def last_year(run: RunFolder) -> int | None:
    """The horizon's last year (from the summary, else the totals table)."""
    years = run.summary.get("years")
    if years:
        return int(years[-1])
    tot = run.table("totals")
    return int(tot["year"].max()) if "year" in tot and len(tot) else None


# ------------------------------------------------------------------ single runs

def targets_chart(run: RunFolder, L: Labels) -> Chart | None:
    """Last-year output value by chain (bars) against the plan's value targets (markers)."""
    sec, q, year = run.table("sectors"), run.table("quotas"), last_year(run)
    if sec.empty or year is None:
        return None
    by_chain = (sec[sec["year"] == year].groupby("chain")["output_value_100m_cny"].sum()
                .sort_values(ascending=False))
    tgt = q[(q["name"] == "sector_value_floor") & (q["year"] == year)] if len(q) else q
    target = tgt.set_index("scope")["limit"] if len(tgt) else pd.Series(dtype=float)
    names = [L.chain(c) for c in by_chain.index]
    fig = go.Figure()
    fig.add_bar(x=names, y=by_chain.to_numpy(), name=L.t("achieved"),
                marker_color="#1f77b4",
                hovertemplate="%{x}: %{y:,.1f} " + YUAN + "<extra></extra>")
    ty = [float(target[c]) if c in target.index else None for c in by_chain.index]
    if any(v is not None for v in ty):
        fig.add_scatter(x=names, y=ty, mode="markers", name=L.t("target"),
                        marker={"symbol": "line-ew-open", "size": 36, "line": {"width": 3},
                                "color": "#d62728"},
                        hovertemplate="%{x} " + L.t("target") + ": %{y:,.1f} " + YUAN
                                      + "<extra></extra>")
    layout(fig, 420, yaxis_title=f"{year} · {YUAN}", legend={"orientation": "h", "y": 1.08})
    return Chart("targets", L.t("output_by_chain"), "", fig)


def short_name(name: str) -> str:
    """A name without its parenthesised detail: 'Electricity (grid)' -> 'Electricity'."""
    for sep in (" (", "（", "("):
        head = name.split(sep, 1)[0].strip()
        if head and head != name:
            return head
    return name


def sankey_chart(run: RunFolder, L: Labels, year: int | None = None,
                 min_share: float = 0.002) -> Chart | None:
    """The supply chains in one year: imports -> sectors -> sectors -> exports and final
    demand, in 亿元; flows under ``min_share`` of the year's total are left out.
    """
    flows, sec = run.table("flows"), run.table("sectors")
    year = year or last_year(run)
    if flows.empty or year is None:
        return None
    f = flows[flows["year"] == year].copy()
    if f.empty:
        return None
    cut = float(f["value_100m_cny"].sum()) * min_share
    f = f[(f["value_100m_cny"] >= cut) & (f["source"] != f["target"])]
    chain_of = (sec.drop_duplicates("sector").set_index("sector")["chain"]
                if len(sec) else pd.Series(dtype=str))
    colours = chain_colours(list(chain_of.astype(str)))
    special = {"imports": L.t("imports"), "exports": L.t("exports"),
               "final_demand": L.t("final_demand")}
    nodes = list(dict.fromkeys([*f["source"], *f["target"]]))
    index = {n: i for i, n in enumerate(nodes)}
    labels = [special.get(n) or short_name(L.name("sector", n)) for n in nodes]
    node_col = [("#555555" if n in special else colours.get(str(chain_of.get(n)), "#999999"))
                for n in nodes]
    link_col = [_rgba(colours.get(str(chain_of.get(s if s not in special else t)), "#999999"),
                      0.35) for s, t in zip(f["source"], f["target"], strict=True)]
    qty = [f"{words.num(q)} {words.WAN}{u}" for q, u in zip(f["quantity_10k"], f["unit"], strict=True)]
    fig = go.Figure(go.Sankey(
        arrangement="snap", valueformat=",.1f", valuesuffix=f" {YUAN}",
        node={"label": labels, "color": node_col, "pad": 12, "thickness": 14,
              "line": {"width": 0}},
        link={"source": [index[s] for s in f["source"]],
              "target": [index[t] for t in f["target"]],
              "value": f["value_100m_cny"].to_numpy(), "color": link_col,
              "customdata": qty,
              "hovertemplate": "%{source.label} → %{target.label}<br>%{value}"
                               "<br>%{customdata}<extra></extra>"},
    ))
    layout(fig, max(520, 22 * len(nodes)))
    return Chart("sankey", f"{L.t('sankey')} · {year}", L.t("sankey_note", year=year, cut=cut),
                 fig)


def _quota_label(L: Labels, r: pd.Series) -> str:
    text = L.family(r["name"])
    park = r.get("park")
    if isinstance(park, str) and park:
        text += f" · {L.name('park', park)}"
    scope = r.get("scope")
    if isinstance(scope, str) and scope:
        text += f" · {L.name('sector', scope)}"
    return text


def _quota_hover(L: Labels, q: pd.DataFrame) -> list[str]:
    out = []
    for r in q.to_dict("records"):
        sp = r.get("shadow_price")
        price = ("n/a" if sp is None or pd.isna(sp)
                 else f"{words.num(sp)} {r.get('shadow_price_unit') or ''}")
        out.append(f"{L.t('used')} {words.num(r['used'])} / {L.t('limit')} {words.num(r['limit'])} "
                   f"{r.get('unit') or ''}<br>{L.t('shadow_price')}: {price}")
    return out


def quota_chart(run: RunFolder, L: Labels) -> Chart | None:
    """Quota use as a share of the limit: by year for the yearly quotas (lines), and for
    the horizon and park quotas (bars); hover gives amounts and shadow prices.
    """
    q = run.table("quotas")
    if q.empty:
        return None
    q = q[~q["name"].isin(TARGET_FAMILIES) & q["limit"].abs().gt(1e-12)].copy()
    q["pct"] = 100.0 * q["used"] / q["limit"]
    q["label"] = [_quota_label(L, r) for _, r in q.iterrows()]
    q["hover"] = _quota_hover(L, q)
    yearly = q[q["year"].notna()]
    other = q[q["year"].isna()]
    fig = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45], horizontal_spacing=0.12,
                        subplot_titles=(L.t("year"), L.t("all_years")))
    for i, (label, g) in enumerate(yearly.groupby("label", sort=False)):
        binding = g["binding"].astype(bool)
        fig.add_scatter(x=g["year"].astype(int), y=g["pct"], name=label, mode="lines+markers",
                        customdata=g["hover"], line={"color": PALETTE[i % len(PALETTE)]},
                        marker={"size": np.where(binding, 11, 6),
                                "symbol": np.where(binding, "diamond", "circle")},
                        hovertemplate="%{x} " + label + ": %{y:.1f}%<br>%{customdata}"
                                      "<extra></extra>", row=1, col=1)
    if len(other):
        fig.add_bar(y=other["label"], x=other["pct"], orientation="h", customdata=other["hover"],
                    marker_color=np.where(other["binding"].astype(bool), "#d62728", "#1f77b4"),
                    name=L.t("all_years"), showlegend=False,
                    hovertemplate="%{y}: %{x:.1f}%<br>%{customdata}<extra></extra>",
                    row=1, col=2)
    for col in (1, 2):
        kw = {"y": 100} if col == 1 else {"x": 100}
        line = fig.add_hline if col == 1 else fig.add_vline
        line(**kw, line_dash="dot", line_color="#444", row=1, col=col)  # type: ignore[operator]
    fig.update_yaxes(title_text=L.t("use_pct"), row=1, col=1)
    fig.update_xaxes(title_text=L.t("use_pct"), row=1, col=2)
    fig.update_xaxes(dtick=1, row=1, col=1)
    layout(fig, max(460, 26 * len(other) + 120),
           legend={"orientation": "h", "y": -0.18, "font": {"size": 10}})
    return Chart("quotas", L.t("quotas"), L.t("quota_note"), fig)


def timeline_chart(run: RunFolder, L: Labels) -> Chart | None:
    """Committed and selected new projects as bars from their online year to the horizon's
    end, grouped by park, coloured by chain.
    """
    pf, year = run.table("portfolio"), last_year(run)
    if pf.empty or year is None:
        return None
    new = pf[(pf["status"] != "existing") & pf["selected"].astype(bool)
             & pf["online_year"].notna()].copy()
    if new.empty:
        return None
    new["park_name"] = [short_name(L.name("park", p)) for p in new["park"]]
    new = new.sort_values(["park_name", "online_year", "project"])
    new["label"] = [short_name(L.name("project", j))[:48] for j in new["project"]]
    colours = chain_colours(list(pf["chain"].astype(str)))
    fig = go.Figure()
    for chain, g in new.groupby("chain", sort=True):
        status = [L.t(str(s) if s == "committed" else "selected") for s in g["status"]]
        fig.add_bar(y=[g["park_name"].tolist(), g["label"].tolist()],
                    x=year + 1 - g["online_year"].astype(int),
                    base=g["online_year"].astype(int), orientation="h", name=L.chain(chain),
                    marker_color=colours[str(chain)],
                    marker_pattern_shape=["/" if s == "committed" else "" for s in g["status"]],
                    customdata=np.stack([g["online_year"].astype(int), status,
                                         g["capex_100m_cny"].round(2), g["project"]], axis=-1),
                    hovertemplate="%{customdata[3]}: %{y}<br>%{customdata[1]}, " + L.t("online")
                                  + " %{customdata[0]}, %{customdata[2]} " + YUAN
                                  + "<extra></extra>")
    years = list(range(int(new["online_year"].min()), year + 2))
    fig.update_xaxes(tickvals=years, title_text=L.t("year"))
    fig.update_yaxes(autorange="reversed", tickfont={"size": 10})
    layout(fig, max(360, 20 * len(new) + 140), barmode="overlay",
           legend={"orientation": "h", "y": -60 / max(360, 20 * len(new) + 140) - 0.04},
           margin={"l": 380, "r": 30, "t": 20, "b": 70})
    return Chart("timeline", L.t("timeline"), L.t("timeline_note"), fig)


def ranking_values(rk: pd.DataFrame) -> tuple[pd.Series, bool]:
    """Each ranked project's value, signed: the leave-one-out loss of a selected project,
    minus the force-in cost of a rejected one (exact values when the ranking has them,
    else the estimates); and whether they are exact.
    """
    exact = "leave_one_out" in rk
    loo = rk["leave_one_out" if exact else "leave_one_out_estimate"]
    cost = rk["force_in_cost" if exact else "force_in_cost_estimate"]
    return loo.where(rk["selected"].astype(bool), -cost), exact


def ranking_chart(run: RunFolder, L: Labels, top: int = 40) -> Chart | None:
    """Each ranked project's value: leave-one-out loss (selected, positive) or force-in
    cost (rejected, negative), the top ``top`` by rank.
    """
    rk = run.table("ranking")
    if rk.empty:
        return None
    value, exact = ranking_values(rk)
    frame = rk.assign(value=value).head(top).iloc[::-1]
    names = [f"{j} · {L.name('project', j)}"[:60] for j in frame["project"]]
    fig = go.Figure(go.Bar(
        y=names, x=frame["value"], orientation="h",
        marker_color=np.where(frame["selected"].astype(bool), "#2ca02c", "#d62728"),
        customdata=frame["reason"].astype(str).str.slice(0, 160),
        hovertemplate="%{y}: %{x:,.2f} " + YUAN + "<br>%{customdata}<extra></extra>"))
    layout(fig, max(360, 18 * len(frame) + 100), xaxis_title=f"{L.t('value')} ({YUAN})",
           margin={"l": 300, "r": 30, "t": 30, "b": 50})
    return Chart("ranking", L.t("value_chart"),
                 L.t("ranking_note", how=L.t("exact" if exact else "estimates")), fig)
