"""The ranking's sentences: a decisive constraint and a reason for every project, from
the numbers of :mod:`ioopt.analyses.ranking` (no solving here).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ioopt import pipeline, words
from ioopt.families import FAMILIES
from ioopt.solver.status import SolveStatus


def _fmt_money(v: float) -> str:
    return f"{v:,.1f} 亿元" if abs(v) >= 0.05 else f"{v * 1e4:,.0f} 万元"


def reason(rec: dict[str, Any], use: pd.DataFrame, base: pipeline.RunResult,
            exact: bool) -> tuple[str, str]:
    """(decisive constraint, a sentence a committee member can read)."""
    j = rec["project"]
    mine = use[use["project"] == j]
    groups = _group_use(mine, base)
    loss = rec["leave_one_out"] if exact else rec["leave_one_out_estimate"]
    force = rec["force_in_cost"] if exact else rec["force_in_cost_estimate"]
    approx = "" if exact else "about "
    stopped = _stopped(rec) if exact else None
    if stopped is not None:
        return "", stopped
    if rec["selected"]:
        quotas = [g for g in groups if g["kind"] == "quota"]
        uses = f"; it uses {quotas[0]['phrase']}" if quotas else ""
        if rec["status"] == "committed":
            cc = -loss
            verdict = (f"the commitment costs the region {approx}{_fmt_money(cc)}" if cc > 1e-6 else
                       f"it would be chosen anyway (without it the optimum falls by {approx}"
                       f"{_fmt_money(loss)})")
            return (quotas[0]["label"] if quotas else ""), f"committed: {verdict}{uses}"
        return (quotas[0]["label"] if quotas else ""), (
            f"selected: without it the optimum falls by {approx}{_fmt_money(loss)}{uses}")
    pf = base.portfolio.set_index("project")
    dep = base.case.dependencies
    for dj, req in zip(dep["project"], dep["requires"], strict=True):
        if dj == j and req in pf.index and not pf.at[req, "selected"]:
            return f"dependency[{req}]", f"rejected: requires {req}, which is not selected"
    p = base.case.projects
    grp = p.at[j, "exclusive_group"]
    if isinstance(grp, str) and grp:
        others = [k for k in p.index[p["exclusive_group"] == grp] if k != j and pf.at[k, "selected"]]
        if others:
            return f"exclusive_group[{grp}]", (f"rejected: {others[0]} is selected in its exclusive "
                                                f"group '{grp}'")
    q = mine[(mine["kind"] == "quota") & (mine["sense"] == "<=") & (mine["shadow_price"].abs() < 1e-9)]
    never = q[q["use"] > q["limit"] - q["fixed_use"] + 1e-6]
    if len(never):
        r = never.iloc[0]
        unit = words.unit(str(r["unit"]), "en")
        room = max(float(r["limit"] - r["fixed_use"]), 0.0)
        return _row_label(r), (f"rejected: can never fit: needs {r['use']:,.4g} {unit} of the "
                               f"{_row_words(r, base)}, and existing and committed plants leave "
                               f"only {room:,.4g} {unit} of its {r['limit']:,.4g}")
    tight = q[q["use"] > q["slack"] + 1e-6]
    if len(tight):
        r = tight.assign(ratio=tight["use"] / tight["slack"].clip(lower=1e-12)).sort_values(
            "ratio", ascending=False).iloc[0]
        unit = words.unit(str(r["unit"]), "en")
        left = max(float(r["slack"]), 0.0)
        cost = "" if pd.isna(force) else (
            "; it cannot be added to this portfolio without dropping another project"
            if np.isinf(force) else f"; forcing it in costs {approx}{_fmt_money(force)}")
        return _row_label(r), (f"rejected: does not fit: needs {r['use']:,.4g} {unit} of the "
                               f"{_row_words(r, base)}, only {left:,.4g} {unit} left{cost}")
    gross = float(rec.get("net_output_at_prices", np.nan)) + sum(
        g["cost"] for g in groups if g["kind"] == "input")
    total = sum(g["cost"] for g in groups)
    cost = "" if pd.isna(force) or np.isinf(force) else f"; forcing it in costs {approx}{_fmt_money(force)}"
    if groups and total > gross:
        g = groups[0]
        rest = gross - (total - g["cost"])
        if g["cost"] > rest:
            return g["label"], (f"rejected: needs {g['phrase']}, more than the {_fmt_money(rest)} "
                                f"its output is worth net of its other inputs and quotas{cost}")
        return g["label"], (f"rejected: its inputs and quotas cost {_fmt_money(total)} at these "
                            f"prices, more than the {_fmt_money(gross)} its output is worth "
                            f"(largest: {g['phrase']}){cost}")
    if not pd.isna(force) and np.isinf(force):
        return "portfolio", "rejected: it cannot be added to this portfolio without dropping another project"
    return "portfolio", ("rejected: it pays at today's prices, but the portfolio uses the room "
                         f"better{cost}")


def _row_label(r: Any) -> str:
    parts = [str(x) for x in (r["scope"], r["park"]) if x is not None and not pd.isna(x) and x != ""]
    if r["year"] is not None and not pd.isna(r["year"]):
        parts.append(str(int(r["year"])))
    return f"{r['quota']}[{', '.join(parts)}]" if parts else str(r["quota"])


def _row_words(r: Any, base: pipeline.RunResult) -> str:
    label = _label(str(r["quota"]))
    where = []
    if r["park"] is not None and not pd.isna(r["park"]) and r["park"] != "":
        parks = dict(zip(base.case.parks["park"], base.case.parks["name"], strict=True))
        where.append(str(parks.get(r["park"]) or r["park"]))
    if r["scope"] is not None and not pd.isna(r["scope"]) and r["scope"] != "":
        where.append(str(r["scope"]))
    year = "" if r["year"] is None or pd.isna(r["year"]) else f"{int(r['year'])} "
    return f"{year}{label}" + (f" ({', '.join(where)})" if where else "")


def _group_use(mine: pd.DataFrame, base: pipeline.RunResult) -> list[dict[str, Any]]:
    """A project's priced quota and input use, grouped across years, largest cost first."""
    priced = mine[mine["opportunity_cost"] > 1e-9]
    names = base.case.sectors["name"]
    parks = dict(zip(base.case.parks["park"], base.case.parks["name"], strict=True))
    out = []
    keys = ["kind", "quota", "park", "scope"]
    for (kind, quota, park, scope), g in priced.groupby(keys, dropna=False, sort=False):
        cost = float(g["opportunity_cost"].sum())
        years = sorted(int(y) for y in g["year"].dropna())
        unit = words.unit(str(g["unit"].iloc[0]), "en")
        lo, hi = g["shadow_price"].min(), g["shadow_price"].max()
        price = f"{lo:,.0f}" if abs(hi - lo) < 0.5 else f"{lo:,.0f}-{hi:,.0f}"
        per_year = float(g["use"].max())
        span = (f"{years[0]}-{years[-1]} " if len(years) > 1 else f"{years[0]} ") if years else ""
        a_year = " a year" if len(years) > 1 else ""
        money = f"worth {_fmt_money(cost)} at {price} {g['shadow_price_unit'].iloc[0]}"
        if kind == "input":
            what = str(names.get(quota, quota))
            phrase = f"{per_year:,.4g} {unit}{a_year} of {what} ({span.strip()}), {money}"
            label = f"chain_balance[{quota}]"
        else:
            where = [str(parks.get(park) or park)] if isinstance(park, str) and park else []
            where += [str(scope)] if isinstance(scope, str) and scope else []
            place = _label(str(quota)) + (f" ({', '.join(where)})" if where else "")
            phrase = f"{per_year:,.4g} {unit}{a_year} of the {span}{place}, {money}"
            label = f"{quota}[{', '.join(where)}]" if where else str(quota)
        out.append({"kind": kind, "label": label, "cost": cost, "phrase": phrase})
    return sorted(out, key=lambda x: -x["cost"])


def _label(family: str) -> str:
    spec = FAMILIES.get(family)
    return spec.label("en") if spec is not None else family


def _stopped(rec: dict[str, Any]) -> str | None:
    """The sentence for a project whose exact re-solve stopped at its limit (None: it
    reached a verdict). States the incumbent and the bound, never a verdict.
    """
    st = SolveStatus.parse(rec.get("exact_status"))
    if not st.stopped_early and st != SolveStatus.ERROR:
        return None
    sel = bool(rec["selected"])
    what = "without it the optimum falls by" if sel else "forcing it in costs"
    v = rec["leave_one_out"] if sel else rec["force_in_cost"]
    b = rec.get("exact_bound", np.nan)
    head = ("selected" if sel else "rejected") + ": "
    if st == SolveStatus.ERROR:
        return head + "the re-solve failed; its value is unknown"
    if st == SolveStatus.TIME_LIMIT:
        known = "" if pd.isna(b) else f"; {what} at least {_fmt_money(float(b))}"
        return head + f"the re-solve stopped at its time limit without a solution{known}: not decided"
    gap = rec.get("exact_gap", np.nan)
    gap_text = "" if pd.isna(gap) else f", gap {float(gap):.2%}"
    lo = "" if pd.isna(b) else f"at least {_fmt_money(float(b))} and "
    return head + (f"the re-solve stopped at its time limit{gap_text}: {what} {lo}at most "
                   f"{_fmt_money(float(v))}")
