"""The report's charts as Plotly figures, one function per chart: the common frame, and
the charts of a single run (solve, rank); batch, curve and frontier charts are in
:mod:`ioopt.render.batch_charts`.

Each returns a :class:`Chart` (or ``None`` when the folder lacks what the chart needs);
the HTML report embeds them (one inlined plotly.js for all), and
:mod:`ioopt.render.static` writes them as PNG and SVG.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

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
    # numbers as words.num writes them: separators, never an SI prefix ('20k 万 t')
    fig.update_xaxes(exponentformat="none", separatethousands=True, automargin=True)
    fig.update_yaxes(exponentformat="none", separatethousands=True, automargin=True)
    return fig


_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _width(text: str) -> int:
    """Display width: a CJK character counts two."""
    return len(text) + len(_WIDE.findall(text))


def wrap(text: str, width: int = 36, lines: int = 2) -> str:
    """A label broken at word boundaries (CJK between any two characters) into at most
    ``lines`` lines of ``width`` (``<br>`` between them); what does not fit ends in '…'
    after a whole word. Charts give the full name on hover.
    """
    tokens = re.findall(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff"
                        r"\uf900-\ufaff\uff00-\uffef]+\s*|\s+", text)
    out: list[str] = [""]
    for tok in tokens:
        if _width(out[-1] + tok.rstrip()) > width and out[-1].strip():
            if len(out) == lines:
                out[-1] = out[-1].rstrip() + "…"
                return "<br>".join(x.rstrip() for x in out)
            out.append("")
        if _width(tok.rstrip()) > width:  # one word longer than a line: cut, marked
            tok = tok[:width - 1] + "…"
        out[-1] += tok
    return "<br>".join(x.rstrip() for x in out if x.strip())


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


def _quota_frame(run: RunFolder, L: Labels) -> pd.DataFrame:
    q = run.table("quotas")
    if q.empty:
        return q
    q = q[~q["name"].isin(TARGET_FAMILIES) & q["limit"].abs().gt(1e-12)].copy()
    q["pct"] = 100.0 * q["used"] / q["limit"]
    q["label"] = [_quota_label(L, r) for _, r in q.iterrows()]
    q["hover"] = _quota_hover(L, q)
    return q


def quota_chart(run: RunFolder, L: Labels) -> Chart | None:
    """Yearly quota use as a share of the limit (lines, binding years as diamonds); hover
    gives amounts and shadow prices. The legend (wrapped names) sits right of the plot.
    """
    q = _quota_frame(run, L)
    yearly = q[q["year"].notna()] if len(q) else q
    if yearly.empty:
        return None
    fig = go.Figure()
    for i, (label, g) in enumerate(yearly.groupby("label", sort=False)):
        binding = g["binding"].astype(bool)
        fig.add_scatter(x=g["year"].astype(int), y=g["pct"], name=wrap(label, 40),
                        mode="lines+markers", customdata=g["hover"],
                        line={"color": PALETTE[i % len(PALETTE)]},
                        marker={"size": np.where(binding, 11, 6),
                                "symbol": np.where(binding, "diamond", "circle")},
                        hovertemplate="%{x} " + label + ": %{y:.1f}%<br>%{customdata}"
                                      "<extra></extra>")
    fig.add_hline(y=100, line_dash="dot", line_color="#444")
    layout(fig, max(440, 34 * yearly["label"].nunique() + 80), yaxis_title=L.t("use_pct"),
           legend={"orientation": "v", "x": 1.02, "y": 1, "font": {"size": 10}})
    fig.update_xaxes(dtick=1, tickformat="d", title_text=L.t("year"))
    return Chart("quotas", L.t("quotas"), L.t("quota_note"), fig)


def quota_totals_chart(run: RunFolder, L: Labels) -> Chart | None:
    """Use of the horizon and park quotas as a share of the limit (bars, binding in red)."""
    q = _quota_frame(run, L)
    other = q[q["year"].isna()] if len(q) else q
    if other.empty:
        return None
    binding = other["binding"].astype(bool).to_numpy()
    fig = go.Figure()
    for flag, name, colour in ((True, L.t("binding"), "#d62728"),
                               (False, L.t("sec.not_binding"), "#1f77b4")):
        g = other[binding == flag]
        if len(g):
            fig.add_bar(y=[wrap(x, 44) for x in g["label"]], x=g["pct"], orientation="h",
                        name=name, marker_color=colour,
                        customdata=np.stack([g["label"], g["hover"]], axis=-1),
                        hovertemplate="%{customdata[0]}: %{x:.1f}%<br>%{customdata[1]}"
                                      "<extra></extra>")
    fig.add_vline(x=100, line_dash="dot", line_color="#444")
    fig.update_yaxes(autorange="reversed", tickfont={"size": 10})
    layout(fig, max(300, 34 * len(other) + 120), xaxis_title=L.t("use_pct"),
           legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
           margin={"l": 60, "r": 30, "t": 40, "b": 50})
    return Chart("quota_totals", f"{L.t('quotas')} · {L.t('all_years')}", "", fig)


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
    new["full"] = [L.name("project", j) for j in new["project"]]
    new["label"] = [wrap(short_name(n), 44, 1) for n in new["full"]]
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
                                         g["capex_100m_cny"].round(2), g["project"],
                                         g["full"]], axis=-1),
                    hovertemplate="%{customdata[3]}: %{customdata[4]}<br>%{customdata[1]}, "
                                  + L.t("online")
                                  + " %{customdata[0]}, %{customdata[2]} " + YUAN
                                  + "<extra></extra>")
    years = list(range(int(new["online_year"].min()), year + 2))
    fig.update_xaxes(tickvals=years, title_text=L.t("year"))
    fig.update_yaxes(autorange="reversed", tickfont={"size": 10})
    layout(fig, max(360, 22 * len(new) + 140), barmode="overlay",
           legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
           margin={"l": 60, "r": 30, "t": 40, "b": 50})
    fig.update_xaxes(tickformat="d")
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


def ranking_chart(run: RunFolder, L: Labels, top: int = 150) -> Chart | None:
    """Each ranked project's value: leave-one-out loss (selected, positive, green) or
    force-in cost (rejected, negative, red), in rank order, the first ``top`` (the note
    says how many more the ranking table below has).
    """
    rk = run.table("ranking")
    if rk.empty:
        return None
    value, exact = ranking_values(rk)
    frame = rk.assign(value=value).head(top)
    fig = go.Figure()
    for flag, name, colour in ((True, L.t("selected"), "#2ca02c"),
                               (False, L.t("rejected"), "#d62728")):
        g = frame[frame["selected"].astype(bool) == flag]
        if g.empty:
            continue
        full = [f"{j} · {L.name('project', j)}" for j in g["project"]]
        fig.add_bar(y=[wrap(f, 48, 1) for f in full], x=g["value"], orientation="h",
                    name=name, marker_color=colour,
                    customdata=np.stack([full, g["reason"].astype(str).str.slice(0, 200)],
                                        axis=-1),
                    hovertemplate="%{customdata[0]}: %{x:,.2f} " + YUAN
                                  + "<br>%{customdata[1]}<extra></extra>")
    order = [wrap(f"{j} · {L.name('project', j)}", 48, 1) for j in frame["project"]]
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1], tickfont={"size": 10})
    layout(fig, max(360, 18 * len(frame) + 120), xaxis_title=f"{L.t('value')} ({YUAN})",
           legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
           margin={"l": 60, "r": 30, "t": 40, "b": 50})
    note = L.t("ranking_note", how=L.t("exact" if exact else "estimates"))
    if len(rk) > top:
        note += " " + L.t("sec.not_shown", n=len(rk) - top, total=len(rk))
    return Chart("ranking", L.t("value_chart"), note, fig)
