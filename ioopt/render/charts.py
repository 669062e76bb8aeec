"""The report's charts as Plotly figures, one function per chart.

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

from ioopt.render.folder import RunFolder
from ioopt.render.labels import Labels

FONT = ("Noto Sans CJK SC, WenQuanYi Zen Hei, Microsoft YaHei, PingFang SC, "
        "Source Han Sans SC, Arial, sans-serif")
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"]
TOTAL_FAMILIES = ("energy_total", "carbon_total", "water_total", "energy_intensity",
                  "carbon_intensity", "water_intensity", "green_share", "capital_year")
TOTAL_UNITS = {"energy_total": "万 tce", "carbon_total": "万 t CO2", "water_total": "万 m3",
               "land": "mu", "capital_total": "亿元"}
STEP_UNITS = {"energy_total": "CNY/tce", "carbon_total": "CNY/t CO2", "water_total": "CNY/m3",
              "land": "CNY/mu", "capital_total": "CNY/CNY"}
TARGET_FAMILIES = ("sector_value_floor", "sector_capacity_floor", "sector_capacity_cap",
                   "sector_output_floor", "sector_output_cap")


@dataclass
class Chart:
    """A named figure with its title and a sentence on how to read it."""

    name: str
    title: str
    note: str
    fig: go.Figure


def _layout(fig: go.Figure, height: int = 480, **kw: object) -> go.Figure:
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
                hovertemplate="%{x}: %{y:,.1f} 亿元<extra></extra>")
    ty = [float(target[c]) if c in target.index else None for c in by_chain.index]
    if any(v is not None for v in ty):
        fig.add_scatter(x=names, y=ty, mode="markers", name=L.t("target"),
                        marker={"symbol": "line-ew-open", "size": 36, "line": {"width": 3},
                                "color": "#d62728"},
                        hovertemplate="%{x} " + L.t("target") + ": %{y:,.1f} 亿元<extra></extra>")
    _layout(fig, 420, yaxis_title=f"{year} · 亿元", legend={"orientation": "h", "y": 1.08})
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
    qty = [f"{q:,.4g} 万{u}" for q, u in zip(f["quantity_10k"], f["unit"], strict=True)]
    fig = go.Figure(go.Sankey(
        arrangement="snap", valueformat=",.1f", valuesuffix=" 亿元",
        node={"label": labels, "color": node_col, "pad": 12, "thickness": 14,
              "line": {"width": 0}},
        link={"source": [index[s] for s in f["source"]],
              "target": [index[t] for t in f["target"]],
              "value": f["value_100m_cny"].to_numpy(), "color": link_col,
              "customdata": qty,
              "hovertemplate": "%{source.label} → %{target.label}<br>%{value}"
                               "<br>%{customdata}<extra></extra>"},
    ))
    _layout(fig, max(520, 22 * len(nodes)))
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
                 else f"{sp:,.4g} {r.get('shadow_price_unit') or ''}")
        out.append(f"{L.t('used')} {r['used']:,.4g} / {L.t('limit')} {r['limit']:,.4g} "
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
    _layout(fig, max(460, 26 * len(other) + 120),
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
                    hovertemplate="%{customdata[3]}: %{y}<br>%{customdata[1]}, online "
                                  "%{customdata[0]}, %{customdata[2]} 亿元<extra></extra>")
    years = list(range(int(new["online_year"].min()), year + 2))
    fig.update_xaxes(tickvals=years, title_text=L.t("year"))
    fig.update_yaxes(autorange="reversed", tickfont={"size": 10})
    _layout(fig, max(360, 20 * len(new) + 140), barmode="overlay",
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
        hovertemplate="%{y}: %{x:,.2f} 亿元<br>%{customdata}<extra></extra>"))
    _layout(fig, max(360, 18 * len(frame) + 100), xaxis_title=L.t("value") + " (亿元)",
            margin={"l": 300, "r": 30, "t": 30, "b": 50})
    return Chart("ranking", L.t("value_chart"),
                 L.t("ranking_note", how=L.t("exact" if exact else "estimates")), fig)


# ------------------------------------------------------------------ batches

def _axes(run: RunFolder) -> list[str]:
    spec = run.summary.get("spec") or {}
    sc = run.table("scenario")
    return [str(a["name"]) for a in (spec.get("grid") or []) if str(a.get("name")) in sc]


def _sweep_x(run: RunFolder, L: Labels) -> tuple[pd.Series, str, pd.Series | None, str]:
    """The x of the sweep charts (the first numeric grid axis, else the scenario), and the
    series that splits lines (a second axis) with its name.
    """
    sc = run.table("scenario")
    axes = [a for a in _axes(run) if pd.api.types.is_numeric_dtype(sc[a])]
    if axes:
        split = sc[axes[1]] if len(axes) > 1 else None
        return sc[axes[0]], axes[0], split, axes[1] if len(axes) > 1 else ""
    return sc["scenario_id"], L.t("scenario_id"), None, ""


def _lines(fig: go.Figure, x: pd.Series, y: pd.Series, split: pd.Series | None, name: str,
           split_name: str, hover: pd.Series, row: int | None = None,
           col: int | None = None, legend: bool = True) -> None:
    groups = [(None, np.ones(len(x), bool))] if split is None else [
        (v, (split == v).to_numpy()) for v in sorted(split.dropna().unique())]
    for i, (v, mask) in enumerate(groups):
        label = name if v is None else f"{split_name} = {v:.4g}" if isinstance(v, float) \
            else f"{split_name} = {v}"
        kw = {} if row is None else {"row": row, "col": col}
        fig.add_scatter(x=x[mask], y=y[mask], mode="lines+markers", name=label,
                        legendgroup=label, showlegend=legend,
                        line={"color": PALETTE[i % len(PALETTE)]}, customdata=hover[mask],
                        hovertemplate="%{customdata}: %{y:,.4g}<extra></extra>", **kw)


def objective_sweep_chart(run: RunFolder, L: Labels) -> Chart | None:
    """The objective across the batch's scenarios (lines along the first grid axis)."""
    sc = run.table("scenario")
    if sc.empty or not sc["objective"].notna().any():
        return None
    x, xname, split, sname = _sweep_x(run, L)
    fig = go.Figure()
    _lines(fig, x, sc["objective"], split, L.t("objective"), sname, sc["label"].astype(str))
    unit = str(sc["objective_unit"].dropna().iloc[0]) if sc["objective_unit"].notna().any() else ""
    _layout(fig, 420, xaxis_title=xname, yaxis_title=f"{L.t('objective')} ({unit})")
    return Chart("objective_sweep", L.t("objective_sweep"), "", fig)


INDICATORS = [("last_year_gross_output_100m_cny", "gross_output", "亿元"),
              ("last_year_value_added_100m_cny", "value_added", "亿元"),
              ("last_year_energy_10k_tce", "energy", "万 tce"),
              ("last_year_co2_10k_t", "co2", "万 t"),
              ("last_year_water_10k_m3", "water", "万 m3"),
              ("n_selected", "n_selected", "")]


def indicators_sweep_chart(run: RunFolder, L: Labels) -> Chart | None:
    """Last-year indicators across the scenarios, one panel each."""
    sc = run.table("scenario")
    have = [(c, k, u) for c, k, u in INDICATORS if c in sc and sc[c].notna().any()]
    if not have:
        return None
    x, xname, split, sname = _sweep_x(run, L)
    cols = 3
    rows = (len(have) + cols - 1) // cols
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[
        f"{L.t(k)} ({u})" if u else L.t(k) for _, k, u in have], vertical_spacing=0.16)
    for i, (c, _k, _u) in enumerate(have):
        _lines(fig, x, sc[c], split, L.t("value"), sname, sc["label"].astype(str),
               row=i // cols + 1, col=i % cols + 1, legend=i == 0 and split is not None)
    fig.update_xaxes(title_text=xname, row=rows)
    _layout(fig, 300 * rows + 60, showlegend=split is not None,
            legend={"orientation": "h", "y": -0.12})
    return Chart("indicators_sweep", L.t("indicators_sweep"), "", fig)


def selection_matrix(run: RunFolder) -> pd.DataFrame:
    """New projects x scenarios with a solution: 1 when selected (committed included)."""
    pf, sc = run.table("portfolio"), run.table("scenario")
    if pf.empty or sc.empty:
        return pd.DataFrame()
    solved = sc.loc[sc["objective"].notna(), "scenario_id"]
    new = pf[(pf["status"] != "existing") & pf["scenario_id"].isin(solved)]
    mat = new.pivot_table(index="project", columns="scenario_id", values="selected",
                          aggfunc="max").astype(float)
    return mat.reindex(columns=[s for s in sc["scenario_id"] if s in mat.columns])


def selection_charts(run: RunFolder, L: Labels, top: int = 60) -> list[Chart]:
    """Selection frequency across the scenarios (bars) and the selection heat map (the
    projects whose selection changes, scenarios in batch order).
    """
    mat = selection_matrix(run)
    if mat.empty:
        return []
    freq = mat.mean(axis=1).sort_values(ascending=False)
    names = [f"{j} · {L.name('project', j)}"[:60] for j in freq.index]
    bar = go.Figure(go.Bar(x=freq.to_numpy() * 100, y=names, orientation="h",
                           marker_color="#1f77b4",
                           hovertemplate="%{y}: %{x:.0f}%<extra></extra>"))
    bar.update_yaxes(autorange="reversed", tickfont={"size": 10})
    _layout(bar, max(360, 16 * len(freq) + 100), xaxis_title=f"{L.t('share_of_scenarios')} (%)",
            margin={"l": 300, "r": 30, "t": 30, "b": 50})
    out = [Chart("selection_frequency", L.t("selection_freq"), "", bar)]
    moving = freq[(freq > 0) & (freq < 1)].index[:top]
    if len(moving):
        sub = mat.loc[moving]
        heat = go.Figure(go.Heatmap(
            z=sub.to_numpy(), x=list(sub.columns),
            y=[f"{j} · {L.name('project', j)}"[:50] for j in sub.index],
            colorscale=[[0, "#f0f0f0"], [1, "#2ca02c"]], zmin=0, zmax=1, showscale=False,
            hovertemplate="%{y}<br>%{x}: %{z}<extra></extra>"))
        heat.update_yaxes(autorange="reversed", tickfont={"size": 10})
        _layout(heat, max(320, 16 * len(sub) + 140), xaxis_title=L.t("scenario_id"),
                margin={"l": 300, "r": 30, "t": 30, "b": 90})
        out.append(Chart("selection_heatmap", L.t("selection_heat"), "", heat))
    return out


def curve_chart(run: RunFolder, L: Labels) -> Chart | None:
    """A quota value curve: objective and step value against the limit, breakpoints marked."""
    cv = run.table("curve")
    if cv.empty:
        return None
    ok = cv[cv["objective"].notna()]
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    hover = [f"{lab}: entered {e if isinstance(e, str) else '-'}; left "
             f"{lf if isinstance(lf, str) else '-'}"
             for lab, e, lf in zip(ok["level_label"], ok["entered"], ok["left"], strict=True)]
    fig.add_scatter(x=ok["limit_total"], y=ok["objective"], mode="lines+markers",
                    name=L.t("objective"), customdata=hover,
                    hovertemplate="%{x:,.4g}: %{y:,.6g}<br>%{customdata}<extra></extra>")
    bp = ok[ok["breakpoint"].astype(bool)]
    fig.add_scatter(x=bp["limit_total"], y=bp["objective"], mode="markers",
                    name=L.t("breakpoint"), marker={"size": 13, "symbol": "diamond-open",
                                                    "color": "#d62728", "line": {"width": 2}},
                    hoverinfo="skip")
    fig.add_scatter(x=ok["limit_total"], y=ok["step_value"], mode="lines", line_shape="vh",
                    name=L.t("step_value"), line={"dash": "dot", "color": "#2ca02c"},
                    secondary_y=True)
    family = grid_family(run)
    quota = L.family(family)
    unit = TOTAL_UNITS.get(family, "")
    obj_unit = str(ok["objective_unit"].iloc[0]) if len(ok) else ""
    fig.update_yaxes(title_text=f"{L.t('objective')} ({obj_unit})", secondary_y=False)
    fig.update_yaxes(title_text=f"{L.t('step_value')} ({STEP_UNITS.get(family, 'CNY')})",
                     secondary_y=True)
    _layout(fig, 440, xaxis_title=f"{quota}: {L.t('limit')} ({unit})".replace(" ()", ""),
            legend={"orientation": "h", "y": 1.1})
    return Chart("curve", L.t("curve"), L.t("curve_note", quota=quota), fig)


def grid_family(run: RunFolder) -> str:
    """The quota family a curve or frontier moves (its batch's one grid axis)."""
    grid = (run.summary.get("spec") or {}).get("grid") or [{}]
    return str((grid[0].get("quotas") or {}).get("family", ""))


def frontier_chart(run: RunFolder, L: Labels) -> Chart | None:
    """The frontier: every point, the efficient ones joined."""
    fr = run.table("frontier")
    if fr.empty:
        return None
    ok = fr[fr["y"].notna()].sort_values("x")
    eff = ok[ok["efficient"].astype(bool)]
    dom = ok[~ok["efficient"].astype(bool)]
    fig = go.Figure()
    hover = [f"tighten {t:.2f}; entered {e if isinstance(e, str) else '-'}; left "
             f"{lf if isinstance(lf, str) else '-'}"
             for t, e, lf in zip(eff["tighten"], eff["entered"], eff["left"], strict=True)]
    fig.add_scatter(x=eff["x"], y=eff["y"], mode="lines+markers", name=L.t("efficient"),
                    customdata=hover,
                    hovertemplate="%{x:,.6g}, %{y:,.6g}<br>%{customdata}<extra></extra>")
    if len(dom):
        fig.add_scatter(x=dom["x"], y=dom["y"], mode="markers", name=L.t("dominated"),
                        marker={"color": "#999999"})
    y_unit = str(ok["y_unit"].iloc[0]) if "y_unit" in ok and len(ok) else ""
    family = grid_family(run)
    x_name = L.family(family)
    x_title = f"{x_name}, {L.t('all_years')} ({TOTAL_UNITS.get(family, '')})".replace(" ()", "")
    _layout(fig, 440, xaxis_title=x_title, yaxis_title=f"{L.t('objective')} ({y_unit})",
            legend={"orientation": "h", "y": 1.08})
    return Chart("frontier", L.t("frontier"), L.t("frontier_note", x=x_name), fig)
