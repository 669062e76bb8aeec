"""The answer panel's content, from a run: the report's own tables (ioopt.render.tables)
and words (ioopt.words), in English or Chinese; nothing here formats a number its own way.

:func:`answer_views` gives plain data (headings, key-value pairs, DataFrames, sentences)
that the page lays out; tests read the same data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ioopt import words
from ioopt.analyses.against import against, tables_of
from ioopt.pipeline import RunResult
from ioopt.render.folder import RunFolder
from ioopt.render.labels import Labels
from ioopt.render.sections import against_views
from ioopt.render.tables import headline, quota_view, summary_rows, targets_table


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
    changes: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    """Against the base: (heading, table) of the indicators, projects and prices moved."""
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
    run = run_folder(result)
    said = dict(summary_rows(run, L))  # status and objective as the report states them
    v = Views(status=said[L.t("status")], objective="", how=how)
    if not result.ok:
        inf = result.infeasibility
        if inf is not None:
            v.infeasible = [words.t("serve.infeasible", lang), *inf.sentences]
            if inf.iis:
                v.infeasible.append(words.t("text.iis", lang, names=", ".join(inf.iis[:12])))
        return v
    obj = float(result.solve.objective or 0.0)
    delta = obj - float(base.solve.objective or 0.0) if base is not None and base.ok else 0.0
    v.objective = L.t("serve.objective_change", value=said[L.t("objective")],
                      delta=("+" if delta > 0 else "") + words.num(delta))
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
    """The rejected candidates as ``ioopt solve``'s rejected.csv lists them (candidates
    not selected; a project forced in or out is left out: its force is its reason, and it
    shows among the projects moved against the base), each with a reason.

    The reason is first-order, and the page says so: the project's reduced cost at this
    optimum's prices (what it would take from the objective), not rejected.csv's
    force-in re-solve (:func:`~ioopt.analyses.rejected.rejected_reasons`, ~0.6 s on the
    default case: too slow for every change). ``ranking`` (the exact ranking, run on
    demand) replaces it with the exact reason.
    """
    pf = result.portfolio
    forced = result.case.projects["force"].dropna()
    rej = pf[(pf["status"] == "candidate") & ~pf["selected"].astype(bool)
             & ~pf["project"].isin(forced.index)]
    exact = ({} if ranking is None or ranking.empty else
             dict(zip(ranking["project"], ranking["reason"], strict=True)))
    rows = []
    for r in rej.to_dict("records"):
        j = str(r["project"])
        if j in exact:
            why = str(exact[j])
        elif np.isfinite(r.get("reduced_cost", np.nan)):
            why = L.t("serve.reason_reduced", cost=words.money(abs(float(r["reduced_cost"])), L.lang))
        else:
            why = L.t("serve.reason_none")
        rows.append({L.t("project"): j, L.t("name"): L.name("project", j),
                     L.t("park"): L.name("park", r["park"]), L.t("reason"): why})
    return pd.DataFrame.from_records(rows)


def _changes(result: RunResult, base: RunResult, L: Labels) -> list[tuple[str, pd.DataFrame]]:
    """Against the base (:func:`~ioopt.analyses.against.against`, what ``ioopt solve
    --scenario`` writes as against_*.csv): the indicators, the projects in or out, the
    quota prices that moved; each a heading and a table in ``L.lang`` (no projects moved:
    an empty table under the words saying so).
    """
    a = against(tables_of(base), tables_of(result), L.t("base_case"))
    ind, pj, pr = against_views(a.indicators, a.projects, a.prices, L)
    out = [(L.t("sec.indicators_moved"), ind),
           (L.t("sec.projects_moved") if len(pj) else L.t("sec.same_portfolio"), pj)]
    if len(pr):
        out.append((L.t("sec.prices_moved"), pr))
    return out
