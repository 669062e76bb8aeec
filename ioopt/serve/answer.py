"""The answer panel's content, from a run: the report's own tables (ioopt.render.tables)
and words (ioopt.words), in English or Chinese; nothing here formats a number its own way.

:func:`answer_views` gives plain data (headings, key-value pairs, DataFrames, sentences)
that the page lays out; tests read the same data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ioopt import words
from ioopt.pipeline import RunResult
from ioopt.render.folder import RunFolder
from ioopt.render.labels import Labels
from ioopt.render.tables import headline, quota_view, targets_table
from ioopt.results import objective_unit


@dataclass
class Views:
    """What the answer panel shows, in one language."""

    status: str
    objective: str
    how: str
    headline: list[tuple[str, str]] = field(default_factory=list)
    targets: pd.DataFrame = field(default_factory=pd.DataFrame)
    quotas: pd.DataFrame = field(default_factory=pd.DataFrame)
    portfolio: pd.DataFrame = field(default_factory=pd.DataFrame)
    rejected: pd.DataFrame = field(default_factory=pd.DataFrame)
    changes: list[str] = field(default_factory=list)
    infeasible: list[str] = field(default_factory=list)


def run_folder(result: RunResult) -> RunFolder:
    """A solved run as the report reads a results folder (in memory: nothing written)."""
    tables = {"portfolio": result.portfolio, "quotas": result.quotas,
              "sectors": result.sectors, "totals": result.totals}
    # the run's own summary (as summary.json holds it: selected counts candidates only)
    return RunFolder(path=Path("<page>"), kind="solve", summary=result.summary(),
                     tables=tables)


def answer_views(result: RunResult, base: RunResult | None, how: str, lang: str,
                 ranking: pd.DataFrame | None = None) -> Views:
    """The answer panel in ``lang``: headline, targets, quota use with shadow prices, the
    portfolio by park and year, rejected candidates with reasons, changes against the base;
    for an infeasible scenario the smallest relaxation (as ``ioopt solve`` prints it).
    ``ranking``: an exact ranking of this very scenario, whose reasons replace the
    first-order ones.
    """
    L = Labels.from_case(result.case, lang)
    status = words.status(result.status, lang)
    if lang == "en":
        status += f" ({result.solve.message})"
    v = Views(status=status, objective="", how=how)
    if not result.ok:
        inf = result.infeasibility
        if inf is not None:
            v.infeasible = [words.t("serve.infeasible", lang), *inf.sentences]
            if inf.iis:
                v.infeasible.append(words.t("text.iis", lang, names=", ".join(inf.iis[:12])))
        return v
    unit = words.unit(objective_unit(result.model) if result.model is not None else "100m CNY",
                      lang)
    obj = float(result.solve.objective or 0.0)
    delta = obj - float(base.solve.objective or 0.0) if base is not None and base.ok else 0.0
    v.objective = words.t("serve.objective_change", lang, value=words.num(obj, 7), unit=unit,
                          delta=("+" if delta > 0 else "") + words.num(delta))
    run = run_folder(result)
    v.headline = headline(run, L)
    v.targets = targets_table(run, L)
    v.quotas = quota_view(run, L)
    v.portfolio = _by_park_year(result.portfolio, L)
    v.rejected = _rejected(result, L, ranking)
    if base is not None and base.ok:
        v.changes = _changes(result, base, L)
    return v


def _by_park_year(pf: pd.DataFrame, L: Labels) -> pd.DataFrame:
    new = pf[(pf["status"] != "existing") & pf["selected"].astype(bool)]
    if new.empty:
        return pd.DataFrame()
    g = new.groupby(["park", "online_year"], sort=True)
    return pd.DataFrame.from_records([{
        L.t("park"): L.name("park", park), L.t("year"): int(year),
        L.t("project"): ", ".join(L.name("project", j) for j in grp["project"]),
        L.column("capex_100m_cny"): float(grp["capex_100m_cny"].sum()),
    } for (park, year), grp in g])


def _rejected(result: RunResult, L: Labels, ranking: pd.DataFrame | None) -> pd.DataFrame:
    pf = result.portfolio
    rej = pf[(pf["status"] != "existing") & ~pf["selected"].astype(bool)]
    forced = result.case.projects["force"]
    exact = ({} if ranking is None or ranking.empty else
             dict(zip(ranking["project"], ranking["reason"], strict=True)))
    rows = []
    for r in rej.to_dict("records"):
        j = str(r["project"])
        if forced.get(j) == "out":
            why = L.t("rank.forced_out")
        elif j in exact:
            why = str(exact[j])
        elif np.isfinite(r.get("reduced_cost", np.nan)):
            why = L.t("serve.reason_reduced", cost=words.money(abs(float(r["reduced_cost"])), L.lang))
        else:
            why = L.t("serve.reason_none")
        rows.append({L.t("project"): j, L.t("name"): L.name("project", j),
                     L.t("park"): L.name("park", r["park"]), L.t("reason"): why})
    return pd.DataFrame.from_records(rows)


def _changes(result: RunResult, base: RunResult, L: Labels) -> list[str]:
    """Projects in and out, last-year indicators and quota prices that moved."""
    out: list[str] = []

    def chosen(r: RunResult) -> set[str]:
        pf = r.portfolio
        return set(pf.loc[(pf["status"] != "existing") & pf["selected"].astype(bool), "project"])

    now, was = chosen(result), chosen(base)
    if now - was:
        out.append(L.t("serve.projects_in", names=", ".join(L.name("project", j) for j in sorted(now - was))))
    if was - now:
        out.append(L.t("serve.projects_out", names=", ".join(L.name("project", j) for j in sorted(was - now))))
    ta, tb = base.totals, result.totals
    if len(ta) and len(tb):
        year = int(tb["year"].max())
        ra, rb = ta[ta["year"] == year].iloc[0], tb[tb["year"] == year].iloc[0]
        for col in ("gross_output_100m_cny", "value_added_100m_cny", "energy_10k_tce", "co2_10k_t",
                    "water_10k_m3"):
            a, b = float(ra[col]), float(rb[col])
            if abs(a - b) > 1e-6 * max(1.0, abs(a)):
                name, unit = words.column_unit(col, L.lang)
                out.append(L.t("serve.indicator_change", what=L.t(_HEAD.get(name, name)), year=year,
                               base=words.num(a), now=words.num(b), unit=unit))
    out += _price_changes(result.quotas, base.quotas, L)
    return out or [L.t("serve.no_changes")]


_HEAD = {"gross_output": "gross_output", "value_added": "value_added", "energy": "energy",
         "co2": "co2", "water": "water"}


def _price_changes(now: pd.DataFrame, was: pd.DataFrame, L: Labels) -> list[str]:
    if len(now) != len(was):
        return []
    out = []
    for a, b in zip(was.to_dict("records"), now.to_dict("records"), strict=True):
        pa, pb = _price(a), _price(b)
        if abs(pa - pb) <= 1e-6 * max(1.0, abs(pa), abs(pb)):
            continue
        where = " ".join(x for x in (
            str(int(b["year"])) if pd.notna(b.get("year")) else "",
            L.name("park", b["park"]) if isinstance(b.get("park"), str) and b["park"] else "",
            L.name("sector", b["scope"]) if isinstance(b.get("scope"), str) and b["scope"] else "") if x)
        out.append(L.t("serve.price_change", what=f"{L.family(b['name'])} {where}".strip(),
                       base=words.num(pa), now=words.num(pb),
                       unit=words.unit(str(b.get("shadow_price_unit") or ""), L.lang)))
    return out


def _price(r: dict[str, Any]) -> float:
    v = r.get("shadow_price")
    return 0.0 if v is None or not np.isfinite(float(v)) else float(v)
