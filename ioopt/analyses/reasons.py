"""The ranking's sentences: a decisive constraint and a reason for every project, from
the numbers of :mod:`ioopt.analyses.ranking` (no solving here). The words are
:mod:`ioopt.words` (``rank.*``), in English or Chinese.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ioopt import pipeline, words
from ioopt.conclusions import sources_hint
from ioopt.solver.status import SolveStatus


class _Say:
    """The sentence words of one language (``hint``: where a case's estimates are explained)."""

    def __init__(self, lang: str, hint: str = "") -> None:
        self.lang = lang
        self.hint = hint

    def __call__(self, key: str, **fmt: object) -> str:
        return words.t(f"rank.{key}", self.lang, **fmt)

    def money(self, v: float) -> str:
        return words.money(v, self.lang)

    def unit(self, u: object) -> str:
        return words.unit(str(u), self.lang)

    def family(self, name: str) -> str:
        return words.family(name, self.lang)

    def names(self, frame: pd.DataFrame, key: str) -> dict[str, str]:
        """A case table's names in this language (Chinese falls back on English)."""
        en = dict(zip(frame[key], frame["name"], strict=True))
        if self.lang != "zh" or "name_zh" not in frame:
            return en
        return {k: str(z) if isinstance(z, str) and z else str(en[k])
                for k, z in zip(frame[key], frame["name_zh"], strict=True)}

    def estimate(self, r: Any, row: str = "") -> str:
        """When the row's limit is an estimate: '; the {row} is an estimate (see
        SOURCES.md)' (``row`` given) or ' (an estimate, see SOURCES.md)'; else ''.
        """
        basis = r.get("basis") if hasattr(r, "get") else None
        if basis is None or (isinstance(basis, float) and np.isnan(basis)) or basis == "estimate":
            if row:
                return words.t("estimate.decisive", self.lang, row=row, hint=self.hint)
            return words.t("estimate.tag", self.lang, hint=self.hint)
        return ""


def reason(rec: dict[str, Any], use: pd.DataFrame, base: pipeline.RunResult,
           exact: bool, lang: str = "en") -> tuple[str, str]:
    """(decisive constraint, a sentence a committee member can read); an exact value
    ends with its parts, which add up to it (:func:`_parts`).
    """
    label, text = _verdict(rec, use, base, exact, lang)
    return label, text + _parts(rec, exact, lang)


def _parts(rec: dict[str, Any], exact: bool, lang: str) -> str:
    """'; in parts: output, less inputs, capital charge and quotas/limits at the optimum's
    prices = first order; the rest of the portfolio re-arranged; together the value'
    (selected: the loss without it; rejected: minus the cost of forcing it in).
    """
    rest = rec.get("rearrangement", np.nan)
    if not exact or rest is None or not np.isfinite(rest) or rec.get("tie"):
        return ""
    if SolveStatus.parse(rec.get("exact_status")).stopped_early:
        return ""

    def n(v: float) -> str:
        return words.num(v)

    limits = float(rec["quota_cost_at_prices"]) + float(rec["other_at_prices"])
    net = float(rec["first_order"])
    return words.t("rank.parts", lang, output=n(rec["output_at_prices"]),
                   inputs=n(rec["inputs_at_prices"]), capital=n(rec["capital_charge"]),
                   limits=n(limits), net=n(net), rest=n(rest), total=n(net + rest))


def _verdict(rec: dict[str, Any], use: pd.DataFrame, base: pipeline.RunResult,
             exact: bool, lang: str) -> tuple[str, str]:
    say = _Say(lang, sources_hint(base.case.path, lang))
    j = rec["project"]
    mine = use[use["project"] == j]
    groups = _group_use(mine, base, say)
    loss = rec["leave_one_out"] if exact else rec["leave_one_out_estimate"]
    force = rec["force_in_cost"] if exact else rec["force_in_cost_estimate"]
    about = "" if exact else say("at_most")
    stopped = _stopped(rec, say) if exact else None
    if stopped is not None:
        return "", stopped
    if exact and rec.get("tie"):
        return "", _tie(rec, say)
    if rec["selected"]:
        quotas = [g for g in groups if g["kind"] == "quota"]
        uses = say("uses", phrase=quotas[0]["phrase"]) if quotas else ""
        takes_out = str(rec.get("exact_takes_out") or "") if exact else ""
        if takes_out:  # committed projects that need it leave with it
            uses = say("takes_out", names=", ".join(takes_out.split())) + uses
        label = quotas[0]["label"] if quotas else ""
        if rec["status"] == "committed" and not exact:  # a bound: no verdict
            return label, say("committed_quick", money=say.money(loss), uses=uses)
        if rec["status"] == "committed":
            cc = -loss
            verdict = (say("commitment_costs", about=about, money=say.money(cc)) if cc > 1e-6
                       else say("chosen_anyway", about=about, money=say.money(loss)))
            return label, say("committed", verdict=verdict, uses=uses)
        return label, say("selected", about=about, money=say.money(loss), uses=uses)
    pf = base.portfolio.set_index("project")
    dep = base.case.dependencies
    for dj, req in zip(dep["project"], dep["requires"], strict=True):
        if dj == j and req in pf.index and not pf.at[req, "selected"]:
            return f"dependency[{req}]", say("requires", req=req)
    p = base.case.projects
    grp = p.at[j, "exclusive_group"]
    if isinstance(grp, str) and grp:
        others = [k for k in p.index[p["exclusive_group"] == grp] if k != j and pf.at[k, "selected"]]
        if others:
            return f"exclusive_group[{grp}]", say("exclusive", other=others[0], group=grp)
    q = mine[(mine["kind"] == "quota") & (mine["sense"] == "<=") & (mine["shadow_price"].abs() < 1e-9)]
    never = q[q["use"] > q["limit"] - q["fixed_use"] + 1e-6]
    if len(never):
        r = never.iloc[0]
        room = max(float(r["limit"] - r["fixed_use"]), 0.0)
        return _row_label(r), say("never_fits", use=f"{words.num(r['use'])}", unit=say.unit(r["unit"]),
                                  row=_row_words(r, base, say), room=f"{words.num(room)}",
                                  limit=f"{words.num(r['limit'])}") + say.estimate(
                                      r, _row_words(r, base, say))
    cost = "" if pd.isna(force) else (
        say("cannot_add" if exact else "held_quick") if np.isinf(force) else
        say("forcing_costs", about=about, money=say.money(force)))
    tight = q[q["use"] > q["slack"] + 1e-6]
    if len(tight):
        r = tight.assign(ratio=tight["use"] / tight["slack"].clip(lower=1e-12)).sort_values(
            "ratio", ascending=False).iloc[0]
        left = max(float(r["slack"]), 0.0)
        return _row_label(r), say("does_not_fit" if exact else "short_quick",
                                  use=f"{words.num(r['use'])}",
                                  unit=say.unit(r["unit"]), row=_row_words(r, base, say),
                                  left=f"{words.num(left)}", cost=cost) + say.estimate(
                                      r, _row_words(r, base, say))
    gross = float(rec.get("net_output_at_prices", np.nan)) + sum(
        g["cost"] for g in groups if g["kind"] == "input")
    total = sum(g["cost"] for g in groups)
    cost = "" if pd.isna(force) or np.isinf(force) else cost
    if groups and total > gross:
        g = groups[0]
        rest = gross - (total - g["cost"])
        if g["cost"] > rest:
            return g["label"], say("needs_more", phrase=g["phrase"], rest=say.money(rest),
                                   cost=cost)
        return g["label"], say("costs_more", total=say.money(total), gross=say.money(gross),
                               phrase=g["phrase"], cost=cost)
    if not pd.isna(force) and np.isinf(force):
        return "portfolio", say("cannot_add_alone" if exact else "held_alone_quick")
    net = float(rec.get("net_output_at_prices", np.nan))
    if net < 0:  # its output does not cover its inputs and capital charge
        out = float(rec["output_at_prices"])
        return "objective", say("does_not_pay", output=words.num(out),
                                costs=words.num(out - net), cost=cost)
    return "portfolio", say("room_better", cost=cost)


def _row_label(r: Any) -> str:
    parts = [str(x) for x in (r["scope"], r["park"]) if x is not None and not pd.isna(x) and x != ""]
    if r["year"] is not None and not pd.isna(r["year"]):
        parts.append(str(int(r["year"])))
    return f"{r['quota']}[{', '.join(parts)}]" if parts else str(r["quota"])


def _row_words(r: Any, base: pipeline.RunResult, say: _Say) -> str:
    label = say.family(str(r["quota"]))
    where = []
    if r["park"] is not None and not pd.isna(r["park"]) and r["park"] != "":
        parks = say.names(base.case.parks, "park")
        where.append(str(parks.get(r["park"]) or r["park"]))
    if r["scope"] is not None and not pd.isna(r["scope"]) and r["scope"] != "":
        where.append(str(r["scope"]))
    year = "" if r["year"] is None or pd.isna(r["year"]) else f"{int(r['year'])} "
    return f"{year}{label}" + (f" ({', '.join(where)})" if where else "")


def _group_use(mine: pd.DataFrame, base: pipeline.RunResult, say: _Say) -> list[dict[str, Any]]:
    """A project's priced quota and input use, grouped across years, largest cost first."""
    priced = mine[mine["opportunity_cost"] > 1e-9]
    names = say.names(base.case.sectors, "sector")
    parks = dict(zip(base.case.parks["park"], base.case.parks["name"], strict=True))
    park_words = say.names(base.case.parks, "park")
    out = []
    keys = ["kind", "quota", "park", "scope"]
    for (kind, quota, park, scope), g in priced.groupby(keys, dropna=False, sort=False):
        cost = float(g["opportunity_cost"].sum())
        years = sorted(int(y) for y in g["year"].dropna())
        unit = say.unit(g["unit"].iloc[0])
        # magnitudes: a cost is a cost whichever way the row points (a >= row's use and
        # price are negative: what the project takes from it, at what it is worth)
        lo, hi = g["shadow_price"].abs().min(), g["shadow_price"].abs().max()
        price = words.num(lo) if abs(hi - lo) < 0.5 else f"{words.num(lo)}-{words.num(hi)}"
        use = f"{words.num(float(g['use'].abs().max()))}"
        span = (f"{years[0]}-{years[-1]}" if len(years) > 1 else f"{years[0]}") if years else ""
        a_year = say("a_year") if len(years) > 1 else ""
        worth = say("worth", money=say.money(cost), price=price,
                    unit=say.unit(g["shadow_price_unit"].iloc[0]))
        if kind == "input":
            what = str(names.get(quota, quota))
            phrase = say("input_phrase", use=use, unit=unit, a_year=a_year, what=what, span=span,
                         worth=worth)
            label = f"chain_balance[{quota}]"
        else:
            where = [str(parks.get(park) or park)] if isinstance(park, str) and park else []
            where += [str(scope)] if isinstance(scope, str) and scope else []
            shown = [park_words.get(park, park)] if isinstance(park, str) and park else []
            shown += [str(scope)] if isinstance(scope, str) and scope else []
            place = say.family(str(quota)) + (f" ({', '.join(shown)})" if shown else "")
            phrase = say("quota_phrase", use=use, unit=unit, a_year=a_year,
                         span=f"{span} " if span else "", place=place, worth=worth)
            phrase += say.estimate(g.iloc[0])
            label = f"{quota}[{', '.join(where)}]" if where else str(quota)
        out.append({"kind": kind, "label": label, "cost": cost, "phrase": phrase})
    return sorted(out, key=lambda x: -x["cost"])


def _tie(rec: dict[str, Any], say: _Say) -> str:
    """A value within the MIP gap: the data do not decide between the two portfolios."""
    sel = bool(rec["selected"])
    others = str(rec.get("exact_changed") or "")
    of = say("tie_of", others=", ".join(others.split())) if others else ""
    v = rec["leave_one_out"] if sel else rec["force_in_cost"]
    return say("tie_selected" if sel else "tie_rejected", of=of, money=say.money(float(v)),
               tol=say.money(float(rec["tie_tolerance"])))


def _stopped(rec: dict[str, Any], say: _Say) -> str | None:
    """The sentence for a project whose exact re-solve stopped at its limit (None: it
    reached a verdict). States the incumbent and the bound, never a verdict.
    """
    st = SolveStatus.parse(rec.get("exact_status"))
    if not st.stopped_early and st != SolveStatus.ERROR:
        return None
    sel = bool(rec["selected"])
    head = say("head_selected") if sel else say("head_rejected")
    what = say("falls_by") if sel else say("forcing")
    v = rec["leave_one_out"] if sel else rec["force_in_cost"]
    b = rec.get("exact_bound", np.nan)
    if st == SolveStatus.ERROR:
        return head + say("failed")
    if st == SolveStatus.TIME_LIMIT:
        known = "" if pd.isna(b) else say("at_least", what=what, money=say.money(float(b)))
        return head + say("no_solution", known=known)
    gap = rec.get("exact_gap", np.nan)
    return head + say("stopped", gap="" if pd.isna(gap) else say("gap", gap=float(gap)),
                      what=what, low="" if pd.isna(b) else say("low", money=say.money(float(b))),
                      high=say.money(float(v)))
