"""What-if re-solves on one built model: change quota limits in place, re-solve.

Most what-if questions a planner asks move quota limits only ("energy quota -10 %",
"a green share of 60 %", "2,000 mu more land in Naiman"). For those the model does not
need rebuilding: a limit enters its compiled row either as the row bound (totals: energy,
CO2, water, land, capital) or as the coefficient ``-limit * c`` of the row's denominator
terms (intensity and share rows). :class:`WhatIf` builds and compiles the base case
once, keeps one HiGHS instance, and for each scenario

1. checks that the scenario's case differs from the base in quota limits only
   (everything else equal: tables, settings); otherwise it rebuilds (``pipeline.run``);
2. moves the changed rows on its :class:`~ioopt.solver.highs.HighsSession` (the row's
   bound, or for a ratio the coefficients of its denominator, as the family catalogue
   says) and mirrors each change into the Pyomo model, so the model always states the
   scenario it was last solved for;
3. re-solves on the session: a MILP gets the edited model passed whole (MILP, then the
   LP with the integers fixed for shadow prices); an LP keeps its basis (a hot start:
   a few simplex iterations instead of a solve from scratch);
4. extracts the same result tables as a fresh run.

Both paths give the same answer; tests compare them scenario by scenario.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression

from ioopt import pipeline
from ioopt.case import Case
from ioopt.families import FAMILIES, QUOTA_FAMILIES
from ioopt.formulation import build_model
from ioopt.formulation.quotas import quota_limits
from ioopt.formulation.rows import QuotaRow
from ioopt.schemas import TABLES
from ioopt.solver.compile import Compiled, compile_model
from ioopt.solver.highs import HighsSession
from ioopt.solver.status import SolveStatus

_LIMIT_COLUMNS = ["limit", "limit_model"]


class WhatIf:
    """A base case built once; scenarios that move quota limits only re-solve in place."""

    def __init__(self, case: Case, time_limit: float | None = None,
                 mip_gap: float | None = None, ranging: bool = False) -> None:
        self.case = case
        s = case.config.solver
        self.time_limit = time_limit or s.time_limit_s
        self.mip_gap = s.mip_gap if mip_gap is None else mip_gap
        self.ranging = ranging
        self._base_config = _model_settings(case)
        self._base_quotas = case.quotas.drop(columns=_LIMIT_COLUMNS)
        self._built = False
        self.fast_runs = 0
        self.rebuilds = 0
        self.last_how = ""
        """What the last :meth:`run` did: 'in_place' or 'rebuild'."""
        self.last_why = ""
        """Why the last run rebuilt ('' when in place)."""
        self.last_moved = 0
        """Quota rows the last run moved in place."""

    # ------------------------------------------------------------ eligibility

    def why_rebuild(self, case: Case) -> str | None:
        """Why ``case`` cannot reuse the built model (None: it can)."""
        if _model_settings(case) != self._base_config:
            return "case settings differ"
        for t in TABLES:
            if t == "quotas":
                q = case.quotas
                if len(q) != len(self.case.quotas) or not q.drop(columns=_LIMIT_COLUMNS).equals(
                        self._base_quotas):
                    return "quota rows differ in more than their limits"
            elif not getattr(case, t).equals(getattr(self.case, t)):
                return f"{t} differ"
        return None

    # ------------------------------------------------------------------ build

    def _build(self) -> None:
        self.model = build_model(self.case)
        self.comp: Compiled = compile_model(self.model.pyomo)
        self.session = HighsSession(self.comp, self.time_limit, self.mip_gap,
                                    self.case.config.solver.threads)
        self._rows: dict[str, list[QuotaRow]] = {
            f: [q for q in self.model.quota_rows if q.family == f] for f in QUOTA_FAMILIES}
        self._built = True
        # the quota limits the built rows hold now (model units, quotas.csv order)
        self._limits = self.case.quotas["limit_model"].to_numpy(dtype=float)

    def _limit_changes(self, case: Case) -> list[tuple[QuotaRow, float]] | None:
        """(row, new limit) for every quota row whose limit moves; None if one cannot move
        in place (a row with no decision in it, whose feasibility was settled at build).
        """
        d = self.model.data
        out = []
        now = case.quotas["limit_model"].to_numpy(dtype=float)
        moved = ~((now == self._limits) | (np.isnan(now) & np.isnan(self._limits)))
        families = set(case.quotas.loc[moved, "family"])
        for fam, rows in self._rows.items():
            if fam not in families:
                continue
            new = [lim.limit for lim in quota_limits(d, fam, case.quotas)]
            if len(new) != len(rows):
                return None
            for q, lim in zip(rows, new, strict=True):
                if lim == q.limit:
                    continue
                if not q.is_indicator and (not q.has_row or FAMILIES[fam].moves == "none"):
                    return None
                out.append((q, lim))
        return out

    def _move(self, q: QuotaRow, new: float) -> None:
        """Move one quota row's limit on the session and in the Pyomo model (an
        indicator's limit is in no row: only its verdict moves).
        """
        if q.is_indicator:
            q.limit = new
            return
        r = self.comp.row(q.family, q.index)
        assert r is not None
        delta = new - q.limit
        con = self.model.pyomo.component(q.family)[q.index]
        if FAMILIES[q.family].moves == "coefficient":
            # ratio row: coefficient -limit * c on each denominator term
            assert q.den is not None
            name, idx = q.den
            e = self.comp.exprs[name][idx]
            E = self.comp.expr_matrix
            lo, hi = E.indptr[e], E.indptr[e + 1]
            changed: dict[int, float] = {}
            for col, c in zip(E.indices[lo:hi].tolist(), E.data[lo:hi].tolist(), strict=True):
                value = self.session.coefficient(r, col) - delta * c
                self.session.set_coefficient(r, col, value)
                changed[col] = value
            _set_body_coefficients(con, self.comp, changed)
        else:
            lo_b, up_b = self.session.row_lower[r], self.session.row_upper[r]
            if np.isfinite(up_b) and not np.isfinite(lo_b):
                up_b += delta
            else:
                lo_b += delta
            self.session.set_row_bounds(np.array([r]), np.array([lo_b]), np.array([up_b]))
            con.set_value((None if not np.isfinite(lo_b) else float(lo_b), con.body,
                           None if not np.isfinite(up_b) else float(up_b)))
        q.limit = new

    # -------------------------------------------------------------------- run

    def run(self, case: Case, scenario: str | None = None, explain: bool = True
            ) -> pipeline.RunResult:
        """Solve ``case`` (the base case with changes): in place when only limits move."""
        why = self.why_rebuild(case)
        if why is None:
            if not self._built:
                self._build()
            changes = self._limit_changes(case)
            if changes is not None and not self.model.infeasible:
                self.last_how, self.last_why, self.last_moved = "in_place", "", len(changes)
                return self._run_in_place(case, changes, scenario, explain)
            why = "a limit that cannot move in place"
        self.rebuilds += 1
        self.last_how, self.last_why, self.last_moved = "rebuild", why, 0
        return pipeline.run(case, scenario=scenario, time_limit=self.time_limit,
                       mip_gap=self.mip_gap, explain=explain, ranging=self.ranging)

    def _run_in_place(self, case: Case, changes: list[tuple[QuotaRow, float]],
                      scenario: str | None, explain: bool) -> pipeline.RunResult:
        t0 = time.perf_counter()
        for q, lim in changes:
            self._move(q, lim)
        self._limits = case.quotas["limit_model"].to_numpy(dtype=float)
        t1 = time.perf_counter()
        res = self.session.solve(ranging=self.ranging)
        t2 = time.perf_counter()
        self.fast_runs += 1
        result = pipeline.RunResult(case=case, solve=res, model=self.model, scenario=scenario)
        if res.status.has_solution and res.col_value is not None:
            # the tables read the solution from res.col_value: the shared model's Pyomo
            # variables are not loaded (they would be overwritten by the next scenario)
            pipeline.extract_tables(result)
        elif explain and res.status == SolveStatus.INFEASIBLE:
            from ioopt.analyses.infeasibility import explain_infeasibility
            result.infeasibility = explain_infeasibility(case, self.time_limit)
        t3 = time.perf_counter()
        result.timings = {"update": t1 - t0, **res.timings, "solve_total": t2 - t1,
                          "extract": t3 - t2}
        return result


def _set_body_coefficients(con: Any, comp: Compiled, changed: dict[int, float]) -> None:
    """Rewrite a constraint's body with new coefficients on some columns (by column)."""
    terms = []
    for a in con.body.args:
        c, v = a.args if type(a) is MonomialTermExpression else (1.0, a)
        name = v.parent_component().local_name
        col = comp.col(name, v.index())
        terms.append(MonomialTermExpression((changed.get(col, c) if col is not None else c, v)))
    con.set_value((con.lower, LinearExpression(terms), con.upper))


def _model_settings(case: Case) -> dict[str, Any]:
    """The case settings that shape the model (the uncertainty ranges do not)."""
    return case.config.model_dump(mode="json", exclude={"uncertainty"})
