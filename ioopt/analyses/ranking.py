"""Ranking projects for an approval committee: why each is in or out, and what it costs.

For every committed and candidate project :func:`rank` reports

- its **value at the optimum's prices** (fast, an estimate; :mod:`.estimates`): the output
  it adds, minus its inputs and the quotas it uses, at the shadow prices of the LP with
  the portfolio fixed, and the **decisive constraint**;
- LP re-solves with every other build decision held (``*_estimate`` columns);
- with ``exact=True``, **leave_one_out** and **force_in_cost** by re-solving the MILP
  (:mod:`.exact`), each with its status: a re-solve stopped at its time limit gives
  bounds (``exact_bound``, ``exact_gap``), never a verdict; committed projects get
  **commitment_cost**;
- with ``samples=N``, **robustness** over seeded samples of the declared uncertainty.

The sentences are :mod:`.reasons`; the rank order and its rule are stated in the output.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ioopt import pipeline, words
from ioopt.analyses.estimates import USE_COLUMNS, estimates, price_parts, row_infos, use_records
from ioopt.analyses.exact import (
    RANK_MIP_GAP,
    Base,
    ExactSession,
    Outcome,
    committed_dependents,
    exact_values,
)
from ioopt.analyses.reasons import reason
from ioopt.analyses.robust import robustness
from ioopt.batch import store
from ioopt.case import Case
from ioopt.results import objective_unit
from ioopt.solver.status import SolveStatus


@dataclass
class Ranking:
    """A ranking of the committed and candidate projects of a case."""

    table: pd.DataFrame
    quota_use: pd.DataFrame
    """Long table: project x quota row: use, shadow price, opportunity cost."""
    rule: str
    base_objective: float
    objective_unit: str
    exact: bool
    samples: int = 0
    seed: int | None = None
    notes: list[str] = field(default_factory=list)
    base: pipeline.RunResult | None = None
    """The base solve (with its infeasibility explanation when it has no solution)."""
    rule_zh: str = ""
    """The rule and the notes in Chinese (ranking_rule_zh.txt, for the reports)."""

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write ranking.csv, ranking_quota_use.csv and ranking_rule.txt, beside the base
        solve's files (summary.json and the tables, as ``ioopt solve`` writes them).
        """
        def ranking(tmp: Path) -> None:
            store.write_ranking(tmp, self.table, self.quota_use, [self.rule, *self.notes])
            if self.rule_zh:
                (Path(tmp) / store.RULE_ZH).write_text(self.rule_zh + "\n", encoding="utf-8")

        # one folder swapped in whole: nothing of an older solve or rank stays beside it
        if self.base is not None:
            store.write_run(self.base, out_dir, extra=ranking)
        else:
            store.replace_folder(out_dir, ranking)
        names = ["ranking.csv", "ranking_quota_use.csv", store.RULE] + ([store.RULE_ZH] if self.rule_zh else [])
        return [Path(out_dir) / n for n in names]

    def text(self, top: int = 25) -> str:
        """The top of the ranking as a table, then the rule."""
        t = self.table
        value_col = "leave_one_out" if self.exact else "leave_one_out_estimate"
        cost_col = "force_in_cost" if self.exact else "force_in_cost_estimate"
        unit = words.unit(self.objective_unit)
        lines = [f"ranking of {len(t)} projects (base optimum {words.num(self.base_objective, 6)} "
                 f"{unit}; values in {unit}"
                 + ("" if self.exact else ", estimates") + ")",
                 f"{'rank':>4}  {'project':<22} {'status':<9} {'in':<3} {'year':<5} "
                 f"{'value':>11} " + (f"{'share':>5} {'mean':>8} {'worst':>8} {'r.rank':>6} "
                                      if self.samples else "") + "reason"]
        for r in t.head(top).itertuples():
            v = getattr(r, value_col) if r.selected else getattr(r, cost_col)
            sign = "" if r.selected else "-"
            val = "-" if pd.isna(v) else f"{sign}{words.num(v)}"
            rob = (f"{r.robustness:>5.0%} {words.num(r.loss_mean):>8} "
                   f"{words.num(r.loss_worst):>8} {words.num(r.robust_rank):>6} "
                   if self.samples and not pd.isna(r.robustness) else
                   f"{'':>5} {'':>8} {'':>8} {'':>6} " if self.samples else "")
            year = "" if pd.isna(r.online_year) else str(int(r.online_year))
            lines.append(f"{r.rank:>4}  {r.project:<22} {r.status:<9} {'yes' if r.selected else 'no':<3} "
                         f"{year:<5} {val:>11} {rob}{r.reason}")
        if len(t) > top:
            lines.append(f"  ... ({len(t)} rows in ranking.csv)")
        lines.append("value: for a selected project the loss if it is left out; for a rejected one "
                     "minus the cost of forcing it in")
        lines.append(self.rule)
        lines += self.notes
        return "\n".join(lines)


def rank(case: Case, exact: bool = True, samples: int = 0, seed: int = 0,
         workers: int | None = None, time_limit: float | None = None,
         mip_gap: float = RANK_MIP_GAP, resolve_time_limit: float | None = None) -> Ranking:
    """Rank the committed and candidate projects of a (scenario-applied) case.

    ``exact`` (default): every value from a MILP re-solve; False: the LP estimates only
    (bounds, without verdicts). ``resolve_time_limit``: HiGHS's time limit for each exact
    re-solve (default ``time_limit``); a re-solve that reaches it is reported with its
    bounds and status. Values within the MIP gap of the optimum are reported as ties.
    """
    workers = workers or os.cpu_count() or 1
    base = pipeline.run(case, time_limit=time_limit, mip_gap=mip_gap)
    if not base.ok or base.solve.objective is None:
        return Ranking(table=pd.DataFrame(), quota_use=pd.DataFrame(), rule="", base_objective=float("nan"),
                       objective_unit="", exact=exact, base=base)
    infos = row_infos(base)
    est = estimates(base, infos)
    assert base.model is not None  # a solution: the model was built
    q = base.quotas
    pf = base.portfolio.set_index("project")
    forced = case.projects["force"].dropna().to_dict()
    # the case's own decisions (force in/out) are not ranked: no re-solve can undo them
    news = [j for j in pf.index if pf.at[j, "status"] != "existing" and j not in forced]
    tasks = [(j, "without") for j in news if pf.at[j, "selected"]]
    tasks += [(j, "forced") for j in news if not pf.at[j, "selected"]]
    # fast: LP re-solves with every other build decision held at the optimum
    # the base optimum, solved once, starts every session (no session solves it again)
    assert base.solve.compiled is not None and base.solve.col_value is not None
    start = Base(base.solve.objective, base.solve.col_value, base.solve.compiled.cols)
    lp = ExactSession(case, time_limit, mip_gap, fixed=True, base=start)
    lp_vals = {(j, w): (lp.without(j) if w == "without" else lp.forced(j)).fall(lp.base_objective)
               for j, w in tasks}
    notes: list[str] = []
    notes_zh: list[str] = []
    exact_out: dict[tuple[str, str], Outcome] = {}
    base_obj = base.solve.objective
    if exact:
        session_base, exact_out = exact_values(case, tasks, workers,
                                               resolve_time_limit or time_limit, mip_gap, start)
        if not tasks:
            session_base = base_obj
        if abs(session_base - base_obj) > 1e-6 * max(1.0, abs(base_obj)):
            for lang, into in (("en", notes), ("zh", notes_zh)):
                into.append(words.t("rule.base_differs", lang, session=words.num(session_base, 8),
                                    base=words.num(base_obj, 8)))
        base_obj = session_base
    # two optima closer than the MIP gap are not told apart by the solver: a tie
    tie_tol = mip_gap * max(1.0, abs(base_obj))
    rob = (robustness(case, news, samples, seed, workers, time_limit, mip_gap)
           if samples else None)
    if rob is not None:
        notes += rob.notes
    dependents = committed_dependents(case)
    rows, use_rows = [], []
    for j in news:
        sel = bool(pf.at[j, "selected"])
        what = "without" if sel else "forced"
        rec: dict[str, Any] = {
            "project": j, "name": pf.at[j, "name"], "chain": pf.at[j, "chain"],
            "sector": pf.at[j, "sector"], "park": pf.at[j, "park"], "status": pf.at[j, "status"],
            "illustrative": bool(pf.at[j, "illustrative"]), "selected": sel,
            "online_year": pf.at[j, "online_year"],
            "capex_100m_cny": pf.at[j, "capex_100m_cny"], "land_mu": pf.at[j, "land_mu"],
            "contribution": pf.at[j, "contribution"],
            "leave_one_out_estimate": lp_vals[(j, what)] if sel else np.nan,
            "force_in_cost_estimate": lp_vals[(j, what)] if not sel else np.nan,
        }
        if exact:
            o = exact_out[(j, what)]
            v = o.fall(base_obj)
            rec["leave_one_out"] = v if sel else np.nan
            rec["force_in_cost"] = v if not sel else np.nan
            rec["exact_status"] = o.status.value
            # a re-solve stopped early: the value above is from its incumbent (the most
            # it can be); the proven bound gives the least
            rec["exact_bound"] = (base_obj - o.bound if o.status.stopped_early
                                  and np.isfinite(o.bound) else np.nan)
            rec["exact_gap"] = o.gap if o.status.stopped_early else np.nan
            rec["exact_changed"] = " ".join(o.changed)
            rec["exact_takes_out"] = " ".join(dependents.get(j, []))
            rec["exact_highs_s"] = o.seconds
            rec["tie"] = bool(o.status == SolveStatus.OPTIMAL and abs(v) <= tie_tol)
            rec["tie_tolerance"] = tie_tol
        if rec["status"] == "committed":
            rec["commitment_cost"] = -(rec["leave_one_out"] if exact else rec["leave_one_out_estimate"])
        if rob is not None:
            rec["robustness"] = rob.share[j]
            rec["loss_mean"] = rob.loss_mean[j]
            rec["loss_worst"] = rob.loss_worst[j]
            rec["robust_rank"] = rob.rank[j]
        e = est.get(j)
        if e is not None:
            # the project's value at the optimum's prices, in parts that add up; the
            # exact value = first_order + rearrangement (the rest of the portfolio)
            rec.update(price_parts(e, infos))
            if exact:
                v = rec["leave_one_out"] if sel else -rec["force_in_cost"]
                rec["rearrangement"] = v - e.value if np.isfinite(v) else np.nan
            use_rows += use_records(j, e, infos, q, base)
        rows.append(rec)
    table = pd.DataFrame.from_records(rows)
    quota_use = pd.DataFrame.from_records(use_rows, columns=USE_COLUMNS)
    recs = table.to_dict("records")
    table["decisive_constraint"], table["reason"] = zip(
        *[reason(r, quota_use, base, exact) for r in recs], strict=True)
    # the same sentences in Chinese, for the reports (--lang zh)
    table["reason_zh"] = [reason(r, quota_use, base, exact, "zh")[1] for r in recs]
    table = pd.concat([table, _forced_rows(pf, forced)], ignore_index=True)
    if exact and "exact_status" in table:
        stopped = int(table["exact_status"].map(lambda v: SolveStatus.parse(v).stopped_early).sum())
        if stopped:
            notes.append(words.t("rule.stopped", n=stopped))
            notes_zh.append(words.t("rule.stopped", "zh", n=stopped))
    if exact and "tie" in table and table["tie"].any():
        for lang, into in (("en", notes), ("zh", notes_zh)):
            into.append(words.t("rule.ties", lang, n=int(table["tie"].sum()),
                                tol=words.num(tie_tol),
                                unit=words.unit(objective_unit(base.model), lang)))
    table, rule = _order(table, exact, bool(samples))
    rule = rule + "\n" + rank_rule_values(exact, mip_gap)
    rule_zh = "\n".join([rank_rule(exact, bool(samples), "zh"),
                         rank_rule_values(exact, mip_gap, "zh"), *notes_zh])
    return Ranking(table=table, quota_use=quota_use, rule=rule, base_objective=base_obj,
                   objective_unit=objective_unit(base.model), exact=exact,
                   samples=samples, seed=seed if samples else None, notes=notes, base=base,
                   rule_zh=rule_zh)


def _order(table: pd.DataFrame, exact: bool, robust: bool) -> tuple[pd.DataFrame, str]:
    keep = "leave_one_out" if exact else "leave_one_out_estimate"
    force = "force_in_cost" if exact else "force_in_cost_estimate"
    sel = table[table["selected"]].sort_values(keep, ascending=False, na_position="last")
    rej = table[~table["selected"]].sort_values(force, ascending=True, na_position="last")
    out = pd.concat([sel, rej], ignore_index=True)
    out.insert(0, "rank", range(1, len(out) + 1))
    rule = rank_rule(exact, robust)
    return out, rule


def rank_rule(exact: bool, robust: bool, lang: str = "en") -> str:
    """The rank order's rule in words."""
    what = words.t("rule.exact_word" if exact else "rule.estimated_word", lang)
    return words.t("rule.rank", lang, what=what) + (words.t("rule.robust", lang) if robust else "")


def rank_rule_values(exact: bool, mip_gap: float | None, lang: str = "en") -> str:
    """What the values are (exact re-solves or LP estimates), in words."""
    if exact:
        return words.t("rule.values_exact", lang, gap=words.gap(mip_gap, lang))
    return words.t("rule.values_quick", lang)


def _forced_rows(pf: pd.DataFrame, forced: dict[str, str]) -> pd.DataFrame:
    """One row per project the case forces in or out: what it is, and why it is not ranked."""
    rows = []
    for j, how in forced.items():
        year = pf.at[j, "online_year"]
        rows.append({
            "project": j, "name": pf.at[j, "name"], "chain": pf.at[j, "chain"],
            "sector": pf.at[j, "sector"], "park": pf.at[j, "park"],
            "status": pf.at[j, "status"], "illustrative": bool(pf.at[j, "illustrative"]),
            "selected": bool(pf.at[j, "selected"]), "online_year": year,
            "capex_100m_cny": pf.at[j, "capex_100m_cny"], "land_mu": pf.at[j, "land_mu"],
            "forced": how, "decisive_constraint": "force_in" if how == "in" else "",
            "reason": words.t(f"rank.forced_{how}", year="" if pd.isna(year) else int(year)),
            "reason_zh": words.t(f"rank.forced_{how}", "zh",
                                 year="" if pd.isna(year) else int(year)),
        })
    return pd.DataFrame.from_records(rows)
