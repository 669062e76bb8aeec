"""The backcast (``ioopt backcast``): the model against what actually happened.

The case is run with the build decisions actually taken up to the last year of its
history (history.csv): existing plants and the committed projects online by then, each
from its stated year; every candidate is removed, with the rows that name it
(dependencies, project_inputs; exclusive groups go with their candidates); the horizon
ends at the last history year (quota, rule and demand rows of later years dropped). The
model still decides how much each plant produces, imports and exports, under the case's
quotas and objective. Each history row is then compared with the same indicator of the
run: for model years from the solution, for the base year from the existing plants'
``base_output_10k`` (the calibration). Money is at the case's base-year prices; a figure
at current prices is divided by its ``deflator`` when it has one, and flagged as
undeflated when not. An infeasible backcast is explained (smallest relaxation, IIS).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ioopt import history as hist
from ioopt import words
from ioopt.casedata import Case
from ioopt.formulation.accounting import total_coefficients
from ioopt.formulation.data import ModelData, prepare

if TYPE_CHECKING:
    from ioopt.pipeline import RunResult

COLUMNS = hist.BACKCAST_COLUMNS
"""backcast.csv: the model's figure, the history figure in model units (and as compared:
deflated to base-year prices when it has a deflator), the error of the model in % of the
compared figure, how prices were treated, the row's basis and source."""


@dataclass
class Backcast:
    """A backcast: the table of model against history, and the run behind it."""

    case: Case
    """The backcast case (candidates removed, horizon cut at the last history year)."""
    table: pd.DataFrame
    run: RunResult | None = None
    """The run over the backcast years (None when the history holds the base year only)."""
    dropped: dict[str, list[str]] = field(default_factory=dict)
    """Projects left out: 'candidate' and 'later' (committed after the last history year)."""

    @property
    def ok(self) -> bool:
        """True when the model has a figure for every year of the history."""
        return self.run is None or self.run.ok

    @property
    def base_year(self) -> int:
        """The case's base year (the model's prices)."""
        return self.case.config.base_year

    def largest(self, n: int = 5) -> pd.DataFrame:
        """The rows with the largest errors (in absolute value), largest first."""
        t = self.table.dropna(subset=["error_pct"])
        order = t["error_pct"].abs().sort_values(ascending=False, kind="stable").index
        return t.loc[order].head(n)

    def heading(self, lang: str = "en") -> str:
        """What was run: the backcast's decisions, years and prices."""
        years = self.case.years if self.run is not None else []
        span = f"{years[0]}-{years[-1]}" if years else words.t("backcast.base_only", lang)
        return words.t("backcast.heading", lang, case=self.case.config.name, years=span,
                       base=self.base_year, n_cand=len(self.dropped.get("candidate", [])),
                       n_later=len(self.dropped.get("later", [])))

    def text(self, lang: str = "en") -> str:
        """The table as ``ioopt backcast`` prints it."""
        lines = [self.heading(lang), *self.why(lang)]
        cols = ["indicator", "scope", "year", "model", "history", "unit", "error_pct", "basis",
                "source"]
        head = [words.t(f"backcast.col.{c}", lang) for c in cols]
        rows = [[hist.indicator_label(r.indicator, lang), str(r.scope), str(r.year),
                 _num(r.model), _history_text(r), words.unit(str(r.unit), lang), _pct(r.error_pct),
                 str(r.basis), _short(str(r.source), 60)] for r in self.table.itertuples()]
        widths = [max(len(h), *(len(x[i]) for x in rows)) if rows else len(h)
                  for i, h in enumerate(head)]
        right = {3, 4, 6}
        for row in [head, *rows]:
            lines.append("  " + "  ".join(c.rjust(w) if i in right else c.ljust(w)
                                          for i, (c, w) in enumerate(zip(row, widths, strict=True))
                                          ).rstrip())
        lines.append(words.t("backcast.units_note", lang, base=self.base_year))
        if (self.table["prices"] == "current").any():
            lines.append(words.t("backcast.nominal_note", lang))
        return "\n".join(lines)

    def why(self, lang: str = "en") -> list[str]:
        """Why the backcast run has no solution (empty when it has one)."""
        return [] if self.ok or self.run is None else infeasible_lines(self.run, lang)

    def records(self) -> list[dict[str, Any]]:
        """The table as JSON-ready records (for summary.json)."""
        frame = self.table.astype(object).where(self.table.notna(), None)
        return list(frame.to_dict("records"))

    def write(self, out_dir: str | Path) -> Path:
        """backcast.csv (and infeasibility.csv when the backcast run has no solution)."""
        from ioopt.batch import store

        if self.run is not None and self.run.infeasibility is not None:
            store.write_infeasibility(self.run.infeasibility, out_dir)
        return store.write_table(out_dir, "backcast", self.table)


def _num(v: float) -> str:
    return "-" if v is None or pd.isna(v) else words.num(v)


def _pct(v: float) -> str:
    """An error in %, signed ('+41.9 %'; '0.0 %' within rounding of zero)."""
    if v is None or pd.isna(v):
        return "-"
    return "0.0 %" if abs(v) < 0.05 else f"{v:+.1f} %"


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _history_text(r: Any) -> str:
    """The history figure as compared ('1,415 = 1,698 / 1.2' when deflated)."""
    if r.prices == "current" and r.history != r.history_compared:
        return f"{_num(r.history_compared)} = {_num(r.history)}/{words.num(r.history / r.history_compared, 3)}"
    if r.prices == "current":
        return f"{_num(r.history)} (nominal)"
    return _num(r.history_compared)


def infeasible_lines(run: RunResult, lang: str = "en") -> list[str]:
    """Why the backcast run has no solution, from the infeasibility analysis."""
    lines = [words.t("backcast.infeasible", lang, status=words.status(run.status, lang))]
    inf = run.infeasibility
    if inf is None:
        return lines
    lines += [f"  {s}" for s in inf.sentences]
    lines += [f"  {s}" for s in inf.structural]
    if inf.iis:
        lines.append("  " + words.t("backcast.iis", lang, names=", ".join(inf.iis[:12])))
    return lines


# ------------------------------------------------------------------ the backcast case


def backcast_case(case: Case) -> tuple[Case, dict[str, list[str]]]:
    """The case with the decisions actually taken up to its last history year, and the
    projects left out ('candidate', 'later').
    """
    last = int(case.history["year"].max())
    p = case.projects
    cand = p.index[p["status"] == "candidate"]
    oy = pd.to_numeric(p["online_year"], errors="coerce")
    later = p.index[(p["status"] == "committed") & (oy > last)]
    keep = p.index.difference(cand.union(later), sort=False)
    years = [t for t in case.years if t <= last] or case.years[:1]

    def in_years(frame: pd.DataFrame) -> pd.DataFrame:
        y = pd.to_numeric(frame["year"], errors="coerce")
        return frame[y.isna() | y.isin(years)]

    deps = case.dependencies
    deps = deps[deps["project"].isin(keep) & deps["requires"].isin(keep)]
    config = _commitment_on(case.config.model_copy(update={"years": years}))
    bc = case.replace(config=config, projects=p.loc[keep], dependencies=deps,
                      project_inputs=case.project_inputs[case.project_inputs["project"].isin(keep)],
                      project_years=case.project_years[case.project_years["project"].isin(keep)],
                      quotas=in_years(case.quotas), rules=in_years(case.rules),
                      demand=in_years(case.demand), markets=in_years(case.markets),
                      applied=[*case.applied, f"backcast to {last}: candidates removed"])
    return bc, {"candidate": list(cand), "later": list(later)}


def _commitment_on(config: Any) -> Any:
    """Committed projects online in their stated years (family ``commitment`` on)."""
    from ioopt.schemas import FamilySettings

    fams = dict(config.families)
    fams["commitment"] = (fams.get("commitment") or FamilySettings()).model_copy(
        update={"enabled": True})
    return config.model_copy(update={"families": fams})


# ------------------------------------------------------------------ model against history


def production_matrix(bc: Case, run: RunResult | None) -> pd.DataFrame:
    """Each project's output by year (万 units): the base year from ``base_output_10k``
    (capacity when blank) of existing plants, the backcast years from the run.
    """
    p = bc.projects
    base = pd.to_numeric(p["base_output_10k"]).astype(float).fillna(p["capacity_10k"].astype(float))
    x = pd.DataFrame({bc.config.base_year: np.where(p["status"] == "existing", base, 0.0)},
                     index=p.index)
    if run is not None and run.ok:
        pf = run.portfolio.set_index("project")
        for t in bc.years:
            x[t] = pf[f"production_10k_{t}"].reindex(p.index).fillna(0.0).astype(float)
    return x


def indicator_weights(d: ModelData, t: int | None = None) -> dict[str, pd.Series]:
    """Per project, its contribution per 万 units of output to each indicator, with the
    per-unit figures of year t (None: the base year's, those of projects.csv).
    """
    p = d.projects
    coefs = total_coefficients(d, t)
    one = pd.Series(1.0, index=p.index)
    return {"gross_output": p["price"].astype(float), "value_added": p["va"].astype(float),
            "energy": pd.Series(coefs["energy"]), "co2": pd.Series(coefs["co2"]),
            "water": pd.Series(coefs["water"]).astype(float), "production": one,
            "electricity_generation": (p["sector"] == d.electricity).astype(float)}


def compare(case: Case, bc: Case, run: RunResult | None) -> pd.DataFrame:
    """The backcast table: one row per history row (see :data:`COLUMNS`)."""
    x = production_matrix(bc, run)
    d = prepare(bc)
    weights = {t: indicator_weights(d, t if t in d.years else None) for t in x.columns}
    recs = []
    for r in case.history.to_dict("records"):
        ind, scope, year = r["indicator"], r["scope"], int(r["year"])
        factor = hist.to_model_units(case, ind, scope, r["unit"]) or float("nan")
        value = float(r["value"]) * factor
        deflator = r.get("deflator")
        has_defl = r.get("prices") == "current" and deflator is not None and not pd.isna(deflator)
        compared = value / float(deflator) if has_defl else value
        model = float("nan")
        if year in x.columns:
            sel = hist.scope_projects(case, bc.projects, scope)
            w = weights[year][ind]
            model = float((x[year] * w.reindex(x.index).fillna(0.0))[sel].sum())
        err = (model - compared) / compared * 100 if compared and not pd.isna(model) else float("nan")
        recs.append({"indicator": ind, "scope": scope, "year": year, "model": model,
                     "history": value, "history_compared": compared,
                     "unit": hist.model_unit(case, ind, scope), "error_pct": err,
                     "prices": r.get("prices") or "", "basis": r["basis"], "source": r["source"]})
    return pd.DataFrame.from_records(recs, columns=COLUMNS)


def backcast(case: Case, time_limit: float | None = None) -> Backcast:
    """Run the backcast of a case with history (ValueError when it has none)."""
    if case.history.empty:
        raise ValueError("the case has no history.csv rows to compare with")
    bc, dropped = backcast_case(case)
    run = None
    if any(t <= int(case.history["year"].max()) for t in case.years):
        from ioopt.pipeline import run as run_case

        run = run_case(bc, time_limit=time_limit, ranging=False)
    return Backcast(case=bc, table=compare(case, bc, run), run=run, dropped=dropped)
