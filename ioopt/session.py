"""What-if re-solves on one built model: change quota limits in place, re-solve.

Most what-if questions a planner asks move quota limits only ("energy quota -10 %",
"a green share of 60 %", "2,000 mu more land in Naiman"). For those the model does not
need rebuilding: a limit enters its compiled row either as the row bound (totals: energy,
CO2, water, land, capital) or as the coefficient ``-limit * c`` of the row's denominator
terms (intensity and share rows). :class:`WhatIf` builds and compiles the base case
once, keeps one HiGHS instance, and for each scenario

1. checks that the scenario's case differs from the base in quota limits only
   (everything else equal: tables, settings); otherwise it rebuilds (``api.run``);
2. moves the changed rows' bounds and coefficients in its copy of the compiled LP;
3. a MILP: passes the changed LP to HiGHS whole and solves it as
   :func:`ioopt.solve.solve_model` does (MILP, then the LP with the integers fixed for
   shadow prices). An LP (``solver.relax_integers``, or no build decisions): changes the
   rows on the instance and re-solves from the previous optimal basis (a hot start: a
   few simplex iterations instead of a solve from scratch);
4. extracts the same result tables as a fresh run.

Both paths give the same answer; tests compare them scenario by scenario.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from ioopt import api
from ioopt.case import Case
from ioopt.formulation import build_model, registry
from ioopt.formulation.quotas import quota_limits
from ioopt.formulation.rows import QuotaRow
from ioopt.schemas import QUOTA_FAMILIES, TABLES
from ioopt.solve import (
    Compiled,
    SolveStatus,
    compile_model,
    lp_matrix,
    new_highs,
    run_highs,
)

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
        self.reg = registry(self.model)
        self.comp: Compiled = compile_model(self.model)
        self.h = new_highs(self.time_limit, self.mip_gap, self.case.config.solver.threads)
        lp = self.comp.lp
        self.lower = np.asarray(lp.row_lower_, dtype=float).copy()
        self.upper = np.asarray(lp.row_upper_, dtype=float).copy()
        self.values = np.asarray(lp.a_matrix_.value_, dtype=float).copy()
        self._rows: dict[str, list[QuotaRow]] = {
            f: [q for q in self.reg.quota_rows if q.family == f] for f in QUOTA_FAMILIES}
        # (row, column) -> position in the column-wise value array, for the ratio rows
        # whose coefficients move with their limit
        pos = lp_matrix(lp)
        pos.data = np.arange(pos.nnz, dtype=float)  # same sparsity, data = CSC positions
        pos = pos.tocsr()
        self._pos: dict[tuple[int, int], int] = {}
        for rows in self._rows.values():
            for q in rows:
                if q.per and q.constraint is not None and id(q.constraint) in self.comp.row_of:
                    r = self.comp.row_of[id(q.constraint)]
                    lo, hi = pos.indptr[r], pos.indptr[r + 1]
                    for c, k in zip(pos.indices[lo:hi].tolist(), pos.data[lo:hi].tolist(),
                                    strict=True):
                        self._pos[(r, c)] = int(k)
        self._built = True
        # the quota limits the built rows hold now (model units, quotas.csv order)
        self._limits = self.case.quotas["limit_model"].to_numpy(dtype=float)
        self._loaded = False
        self._lp_only = len(self.comp.integer_cols) == 0
        self._changed_rows: set[int] = set()
        self._changed_coefs: dict[tuple[int, int], int] = {}

    def _limit_changes(self, case: Case) -> list[tuple[QuotaRow, float]] | None:
        """(row, new limit) for every quota row whose limit moves; None if one cannot move
        in place (a row with no decision in it, whose feasibility was settled at build).
        """
        d = self.reg.data
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
                if q.constraint is None or id(q.constraint) not in self.comp.row_of or \
                        q.per_const:
                    return None
                out.append((q, lim))
        return out

    def _move(self, q: QuotaRow, new: float) -> None:
        r = self.comp.row_of[id(q.constraint)]
        delta = new - q.limit
        if q.per:  # ratio row: coefficient -limit * c on each denominator term
            for c, v in q.per:
                col = self.comp.col_of[id(v)]
                k = self._pos[(r, col)]
                self.values[k] -= delta * c
                self._changed_coefs[(r, col)] = k
        elif np.isfinite(self.upper[r]) and not np.isfinite(self.lower[r]):
            self.upper[r] += delta
            self._changed_rows.add(r)
        else:
            self.lower[r] += delta
            self._changed_rows.add(r)
        q.limit = new

    # -------------------------------------------------------------------- run

    def run(self, case: Case, scenario: str | None = None, explain: bool = True
            ) -> api.RunResult:
        """Solve ``case`` (the base case with changes): in place when only limits move."""
        if self.why_rebuild(case) is None:
            if not self._built:
                self._build()
            changes = self._limit_changes(case)
            if changes is not None and not self.reg.trivially_infeasible:
                return self._run_in_place(case, changes, scenario, explain)
        self.rebuilds += 1
        return api.run(case, scenario=scenario, time_limit=self.time_limit,
                       mip_gap=self.mip_gap, explain=explain, ranging=self.ranging)

    def _run_in_place(self, case: Case, changes: list[tuple[QuotaRow, float]],
                      scenario: str | None, explain: bool) -> api.RunResult:
        t0 = time.perf_counter()
        for q, lim in changes:
            self._move(q, lim)
        self._limits = case.quotas["limit_model"].to_numpy(dtype=float)
        if self._lp_only and self._loaded:
            # an LP: change the rows on the instance and keep its basis (hot start)
            rows = np.array(sorted(self._changed_rows), dtype=np.int32)
            if len(rows):
                self.h.changeRowsBounds(len(rows), rows, self.lower[rows], self.upper[rows])
            for (r, col), k in self._changed_coefs.items():
                self.h.changeCoeff(r, col, float(self.values[k]))
        else:
            # a MILP: the changed LP passed whole, so the solve is the one a rebuilt model
            # gets (a warm start on the same instance made the default case's MILP
            # re-solves slower)
            lp = self.comp.lp
            lp.row_lower_, lp.row_upper_ = self.lower, self.upper
            lp.a_matrix_.value_ = self.values
            self.h.passModel(lp)
            self._loaded = True
        self._changed_rows.clear()
        self._changed_coefs.clear()
        t1 = time.perf_counter()
        res = run_highs(self.h, self.comp, ranging=self.ranging)
        t2 = time.perf_counter()
        self.fast_runs += 1
        result = api.RunResult(case=case, solve=res, model=self.model, scenario=scenario)
        if res.status.has_solution and res.col_value is not None:
            # the tables read the solution from res.col_value: the shared model's Pyomo
            # variables are not loaded (they would be overwritten by the next scenario)
            api.extract_tables(result)
        elif explain and res.status == SolveStatus.INFEASIBLE:
            from ioopt.explain import explain_infeasibility
            result.infeasibility = explain_infeasibility(case, self.time_limit)
        t3 = time.perf_counter()
        result.timings = {"update": t1 - t0, **res.timings, "solve_total": t2 - t1,
                          "extract": t3 - t2}
        return result


def _model_settings(case: Case) -> dict[str, Any]:
    """The case settings that shape the model (the uncertainty ranges do not)."""
    return case.config.model_dump(mode="json", exclude={"uncertainty"})
