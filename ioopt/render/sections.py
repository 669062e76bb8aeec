"""Sections of the solve report added by issue 19: the rejected candidates with their
reasons (rejected.csv) and what changed against the base (against_*.csv, written by
``ioopt solve --scenario``). Words: :mod:`ioopt.words.sections`.
"""

from __future__ import annotations

import html

import pandas as pd

from ioopt import words
from ioopt.render.folder import RunFolder
from ioopt.render.html_table import table_html
from ioopt.render.labels import Labels
from ioopt.solve_notes import indicator_label


def header(L: Labels, col: str) -> str:
    """A column header: the section's own words, else the shared column words."""
    key = f"sec.col.{col}"
    return L.t(key) if key in words.WORDS else L.column(col)


def _note(text: str) -> str:
    return f'<p class="note">{html.escape(text)}</p>'


def _h3(text: str) -> str:
    return f"<h3>{html.escape(text)}</h3>"


def rejected_html(run: RunFolder, L: Labels) -> str:
    """The rejected candidates, cheapest to force in first, with their reasons."""
    rj = run.table("rejected")
    if rj.empty:
        return ""
    view = rj.assign(name=[L.name("project", j) for j in rj["project"]],
                     chain=[L.chain(c) for c in rj["chain"]],
                     park=[L.name("park", p) for p in rj["park"]])
    if L.zh and "reason_zh" in view:
        view = view.assign(reason=view["reason_zh"])
    view = view[["project", "name", "chain", "park", "force_in_cost_estimate",
                 "decisive_constraint", "reason"]]
    return _note(L.t("sec.rejected_note")) + table_html(view.rename(columns=lambda c: header(L, c)))


def against_views(ind: pd.DataFrame, pj: pd.DataFrame, pr: pd.DataFrame, L: Labels
                  ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The three base -> scenario tables (analyses.against: indicators, projects in or out,
    prices moved) in ``L.lang``, as the report and the workbench show them.
    """
    ind = ind.assign(indicator=[indicator_label(str(x), L.lang) for x in ind["indicator"]])
    if len(pj):
        pj = pj.assign(name=[L.name("project", j) for j in pj["project"]],
                       chain=[L.chain(c) for c in pj["chain"]],
                       park=[L.name("park", p) for p in pj["park"]],
                       status=[L.t(str(x)) for x in pj["status"]],
                       base=[L.t(str(x)) for x in pj["base"]],
                       scenario=[L.t(str(x)) for x in pj["scenario"]],
                       change=[L.t(f"sec.{x}") for x in pj["change"]])
    if len(pr):
        pr = pr.assign(name=[L.family(x) for x in pr["name"]],
                       park=[L.name("park", p) if isinstance(p, str) else "" for p in pr["park"]])
        if "shadow_price_unit" in pr:
            pr = pr.assign(shadow_price_unit=[words.unit(str(u or ""), L.lang)
                                              for u in pr["shadow_price_unit"]])
    def named(f: pd.DataFrame) -> pd.DataFrame:
        return f.rename(columns=lambda c: header(L, c))

    return named(ind), named(pj), named(pr)


def against_html(run: RunFolder, L: Labels) -> str:
    """Base -> scenario: the inputs changed, the indicators, the projects in or out, the
    prices that moved.
    """
    if run.table("against_indicators").empty:
        return ""
    s = run.summary
    name = s.get("scenario_name") or str(s.get("scenario") or "")
    base = s.get("base") or L.t("base_case")
    parts = [] if s.get("base") else [_note(L.t("sec.against_note", scenario=name, base=base))]
    changes = s.get("scenario_changes") or []
    if changes:
        parts.append(_h3(L.t("sec.inputs")) + "<ul>"
                     + "".join(f"<li>{html.escape(str(c))}</li>" for c in changes) + "</ul>")
    ind, pj, pr = against_views(run.table("against_indicators"), run.table("against_projects"),
                                run.table("against_prices"), L)
    parts.append(_h3(L.t("sec.indicators_moved")) + table_html(ind))
    parts.append(_h3(L.t("sec.projects_moved")))
    parts.append(table_html(pj) if len(pj) else _note(L.t("sec.same_portfolio")))
    if len(pr):
        parts.append(_h3(L.t("sec.prices_moved")) + table_html(pr))
    return "".join(parts)


def scenario_rows(run: RunFolder, L: Labels) -> list[tuple[str, str]]:
    """The scenario's name and description for the summary table."""
    s = run.summary
    name = s.get("scenario_name")
    if not name:
        return []
    desc = s.get("scenario_description") or ""
    return [(L.t("sec.scenario_about"), f"{name}: {desc}" if desc else str(name))]
