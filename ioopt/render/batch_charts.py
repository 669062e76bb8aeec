"""The charts of a batch, a quota value curve and a frontier (see :mod:`ioopt.render.charts`
for the frame and the single-run charts).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ioopt import words
from ioopt.families import FAMILIES, TOTAL_QUOTAS
from ioopt.render.charts import PALETTE, Chart, layout, wrap
from ioopt.render.folder import RunFolder
from ioopt.render.labels import Labels
from ioopt.render.localise import axis
from ioopt.units import DIMENSIONS


def total_unit(family: str, lang: str = "en") -> str:
    """The words of a summed family's unit ('万 tce'); '' for the others."""
    if family not in TOTAL_QUOTAS:
        return ""
    return words.unit(DIMENSIONS[FAMILIES[family].dimension].model_unit, lang)


def step_unit(family: str) -> str:
    """The unit of a curve's step value: CNY per base unit of a summed family."""
    if family not in TOTAL_QUOTAS:
        return "CNY"
    return f"CNY/{DIMENSIONS[FAMILIES[family].dimension].base_unit}"

def _axes(run: RunFolder) -> list[str]:
    spec = run.summary.get("spec") or {}
    sc = run.table("scenario")
    return [str(a["name"]) for a in (spec.get("grid") or []) if str(a.get("name")) in sc]


def _axis_value(v: object) -> str:
    return words.num(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)


def scenario_names(run: RunFolder) -> dict[str, str]:
    """scenario_id -> its name by the batch's axis values ('energy 0.6 · capital 300'),
    else the scenario's label, else the id.
    """
    sc = run.table("scenario")
    if sc.empty:
        return {}
    axes = _axes(run)
    out = {}
    for r in sc.to_dict("records"):
        sid = str(r["scenario_id"])
        vals = [(a, r.get(a)) for a in axes if r.get(a) is not None and not pd.isna(r.get(a))]
        if vals:
            out[sid] = " · ".join(f"{a} {_axis_value(v)}" for a, v in vals)
        else:
            label = r.get("label")
            out[sid] = str(label) if isinstance(label, str) and label else sid
    return out


def _sweep_x(run: RunFolder, L: Labels) -> tuple[pd.Series, str, pd.Series | None, str]:
    """The x of the sweep charts (the first numeric grid axis, else the scenario), and the
    series that splits lines (a second axis) with its name.
    """
    sc = run.table("scenario")
    axes = [a for a in _axes(run) if pd.api.types.is_numeric_dtype(sc[a])]
    if axes:
        split = sc[axes[1]] if len(axes) > 1 else None
        return (sc[axes[0]], axis(axes[0], L.lang), split,
                axis(axes[1], L.lang) if len(axes) > 1 else "")
    names = scenario_names(run)
    return sc["scenario_id"].map(names), L.t("scenario_id"), None, ""


def _split_label(split_name: str, v: object) -> str:
    return f"{split_name} = {_axis_value(v)}"


def _lines(fig: go.Figure, x: pd.Series, y: pd.Series, split: pd.Series | None, name: str,
           split_name: str, hover: pd.Series, L: Labels, row: int | None = None,
           col: int | None = None, shown: set[str] | None = None) -> None:
    """One line per value of ``split``; lines with the same values are drawn once, named
    'a = 1, a = 2 (same values)', so that no line hides another.
    """
    groups = [(name, np.ones(len(x), bool))] if split is None else [
        (_split_label(split_name, v), (split == v).to_numpy())
        for v in sorted(split.dropna().unique())]
    merged: list[tuple[int, list[str], np.ndarray]] = []
    for i, (label, mask) in enumerate(groups):
        key = y[mask].to_numpy(dtype=float)
        for _, names, m in merged:
            other = y[m].to_numpy(dtype=float)
            if (len(other) == len(key) and np.array_equal(x[m].to_numpy(), x[mask].to_numpy())
                    and np.allclose(other, key, rtol=1e-9, atol=1e-9, equal_nan=True)):
                names.append(label)
                break
        else:
            merged.append((i, [label], mask))
    for i, names, mask in merged:
        label = names[0] if len(names) == 1 else L.t("sec.same_line", names=", ".join(names))
        kw = {} if row is None else {"row": row, "col": col}
        show = shown is None or label not in shown
        if shown is not None:
            shown.add(label)
        fig.add_scatter(x=x[mask], y=y[mask], mode="lines+markers", name=label,
                        legendgroup=label, showlegend=shown is None or (show and split is not None),
                        line={"color": PALETTE[i % len(PALETTE)]}, customdata=hover[mask],
                        hovertemplate="%{customdata}: %{y:,.4g}<extra></extra>", **kw)


def objective_sweep_chart(run: RunFolder, L: Labels) -> Chart | None:
    """The objective across the batch's scenarios (lines along the first grid axis)."""
    sc = run.table("scenario")
    if sc.empty or not sc["objective"].notna().any():
        return None
    x, xname, split, sname = _sweep_x(run, L)
    fig = go.Figure()
    hover = sc["scenario_id"].map(scenario_names(run)).astype(str)
    _lines(fig, x, sc["objective"], split, L.t("objective"), sname, hover, L)
    unit = (words.unit(str(sc["objective_unit"].dropna().iloc[0]), L.lang)
            if sc["objective_unit"].notna().any() else "")
    layout(fig, 420, xaxis_title=xname, yaxis_title=f"{L.t('objective')} ({unit})")
    return Chart("objective_sweep", L.t("objective_sweep"), "", fig)


INDICATORS = [("last_year_gross_output_100m_cny", "gross_output"),
              ("last_year_value_added_100m_cny", "value_added"),
              ("last_year_energy_10k_tce", "energy"),
              ("last_year_co2_10k_t", "co2"),
              ("last_year_water_10k_m3", "water"),
              ("n_selected", "n_selected")]
"""Scenario-table columns drawn across a batch, and their words (units from the column
names, in planning units in both languages)."""


def indicators_sweep_chart(run: RunFolder, L: Labels) -> Chart | None:
    """Last-year indicators across the scenarios, one panel each."""
    sc = run.table("scenario")
    have = [(c, k, words.column_unit(c, L.lang)[1]) for c, k in INDICATORS
            if c in sc and sc[c].notna().any()]
    if not have:
        return None
    x, xname, split, sname = _sweep_x(run, L)
    cols = 3
    rows = (len(have) + cols - 1) // cols
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[
        f"{L.t(k)} ({u})" if u else L.t(k) for _, k, u in have], vertical_spacing=0.16)
    shown: set[str] = set()
    for i, (c, _k, _u) in enumerate(have):
        _lines(fig, x, sc[c], split, L.t("value"), sname,
               sc["scenario_id"].map(scenario_names(run)).astype(str), L, row=i // cols + 1,
               col=i % cols + 1, shown=shown)
    fig.update_xaxes(title_text=xname, row=rows)
    layout(fig, 300 * rows + 60, showlegend=split is not None,
           legend={"orientation": "v", "x": 1.02, "y": 1})
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


def _key(fig: go.Figure, entries: list[tuple[str, str]]) -> None:
    """Legend entries for colours drawn by a trace without its own legend (a heat map)."""
    for name, colour in entries:
        fig.add_scatter(x=[None], y=[None], mode="markers", name=name, hoverinfo="skip",
                        marker={"symbol": "square", "size": 12, "color": colour,
                                "line": {"width": 1, "color": "#999"}})


def selection_charts(run: RunFolder, L: Labels, top: int = 60) -> list[Chart]:
    """Selection frequency across the scenarios (bars) and the selection heat map (the
    projects whose selection changes, the first ``top``; scenarios in batch order, named by
    their axis values). Names wrap; the full name is on hover.
    """
    mat = selection_matrix(run)
    if mat.empty:
        return []
    freq = mat.mean(axis=1).sort_values(ascending=False)
    full = [f"{j} · {L.name('project', j)}" for j in freq.index]
    bar = go.Figure(go.Bar(x=freq.to_numpy() * 100, y=[wrap(f, 48, 1) for f in full],
                           orientation="h", marker_color="#1f77b4", customdata=full,
                           hovertemplate="%{customdata}: %{x:.0f}%<extra></extra>"))
    bar.update_yaxes(autorange="reversed", tickfont={"size": 10})
    layout(bar, max(360, 16 * len(freq) + 100), xaxis_title=f"{L.t('share_of_scenarios')} (%)",
           margin={"l": 60, "r": 30, "t": 30, "b": 50})
    out = [Chart("selection_frequency", L.t("selection_freq"), "", bar)]
    changing = freq[(freq > 0) & (freq < 1)]
    moving = changing.index[:top]
    if len(moving):
        sub = mat.loc[moving]
        names = scenario_names(run)
        cols = [names.get(str(c), str(c)) for c in sub.columns]
        rows = [f"{j} · {L.name('project', j)}" for j in sub.index]
        heat = go.Figure(go.Heatmap(
            z=sub.to_numpy(), x=[wrap(c, 24) for c in cols], y=[wrap(r, 48, 1) for r in rows],
            customdata=[[f"{r}<br>{c}" for c in cols] for r in rows],
            colorscale=[[0, "#f0f0f0"], [1, "#2ca02c"]], zmin=0, zmax=1, showscale=False,
            xgap=1, ygap=1, hovertemplate="%{customdata}: %{z}<extra></extra>"))
        _key(heat, [(L.t("selected"), "#2ca02c"), (L.t("rejected"), "#f0f0f0")])
        heat.update_yaxes(autorange="reversed", tickfont={"size": 10})
        heat.update_xaxes(tickangle=-45 if len(cols) > 6 else 0, tickfont={"size": 10})
        layout(heat, max(320, 16 * len(sub) + 200), xaxis_title=L.t("scenario_id"),
               legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
               margin={"l": 60, "r": 30, "t": 40, "b": 60})
        note = (L.t("sec.heat_not_shown", n=len(changing) - top) if len(changing) > top
                else "")
        out.append(Chart("selection_heatmap", L.t("selection_heat"), note, heat))
    return out


def curve_chart(run: RunFolder, L: Labels) -> Chart | None:
    """A quota value curve: objective and step value against the limit, breakpoints marked."""
    cv = run.table("curve")
    if cv.empty:
        return None
    ok = cv[cv["objective"].notna()]
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    hover = [L.t("curve_hover", label=lab, entered=_names(e), left=_names(lf))
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
    unit = total_unit(family, L.lang)
    obj_unit = words.unit(str(ok["objective_unit"].iloc[0]), L.lang) if len(ok) else ""
    fig.update_yaxes(title_text=f"{L.t('objective')} ({obj_unit})", secondary_y=False)
    fig.update_yaxes(title_text=f"{L.t('step_value')} ({words.unit(step_unit(family), L.lang)})",
                     secondary_y=True, showgrid=False, range=_step_range(ok["step_value"]))
    layout(fig, 440, xaxis_title=f"{quota}: {L.t('limit')} ({unit})".replace(" ()", ""),
           legend={"orientation": "h", "y": 1.1})
    return Chart("curve", L.t("curve"), L.t("curve_note", quota=quota), fig)


def _step_range(step: pd.Series) -> list[float] | None:
    """The step-value axis from 0 (or the lowest value, when one is below 0) to a little
    above the highest: no ticks at values no step has.
    """
    v = pd.to_numeric(step, errors="coerce").dropna()
    if v.empty:
        return None
    lo, hi = min(0.0, float(v.min())), max(0.0, float(v.max()))
    pad = 0.08 * (hi - lo) if hi > lo else 1.0
    return [lo - (pad if lo < 0 else 0.0), hi + pad]


def _names(value: object) -> str:
    """Project ids that entered or left, '-' for none."""
    return value if isinstance(value, str) else "-"


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
    hover = [L.t("frontier_hover", tighten=t, entered=_names(e), left=_names(lf))
             for t, e, lf in zip(eff["tighten"], eff["entered"], eff["left"], strict=True)]
    fig.add_scatter(x=eff["x"], y=eff["y"], mode="lines+markers", name=L.t("efficient"),
                    customdata=hover,
                    hovertemplate="%{x:,.6g}, %{y:,.6g}<br>%{customdata}<extra></extra>")
    if len(dom):
        fig.add_scatter(x=dom["x"], y=dom["y"], mode="markers", name=L.t("dominated"),
                        marker={"color": "#999999"})
    y_unit = words.unit(str(ok["y_unit"].iloc[0]), L.lang) if "y_unit" in ok and len(ok) else ""
    family = grid_family(run)
    x_name = L.family(family)
    x_title = f"{x_name}, {L.t('all_years')} ({total_unit(family, L.lang)})".replace(" ()", "")
    layout(fig, 440, xaxis_title=x_title, yaxis_title=f"{L.t('objective')} ({y_unit})",
           legend={"orientation": "h", "y": 1.08})
    return Chart("frontier", L.t("frontier"), L.t("frontier_note", x=x_name), fig)
