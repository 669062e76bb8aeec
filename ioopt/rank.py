"""Ranking projects for an approval committee: why each is in or out, and what it costs.

For every committed and candidate project :func:`rank` reports

- its **value at the optimum's prices** (fast, an estimate): the output it adds, minus
  its inputs and the quotas it uses, each valued at the shadow prices of the LP with the
  portfolio fixed. This is the first-order change of the optimum if the project is
  removed (selected) or forced in (rejected), and it names the **decisive constraint**:
  the quota whose price outweighs the project's net output, or the quota it does not fit
  in (a park's land, the investment budget: rows that bind on build decisions only and
  so have no LP price);
- with ``exact=True``, **leave_one_out** (how much the optimum falls without it) and
  **force_in_cost** (how much it falls when the project must be built) by re-solving the
  MILP on a persistent HiGHS instance, warm-started from the optimum, in parallel;
  committed projects get **commitment_cost** (the optimum without them minus with them);
- with ``samples=N``, **robustness**: the share of N seeded samples of the case's
  declared uncertainty (see :mod:`ioopt.sampling`) in which the project is selected.

The rank order and the rule that made it are stated in the output.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import highspy
import numpy as np
import pandas as pd

from ioopt import api
from ioopt.case import Case
from ioopt.explain import LABELS, plain_unit
from ioopt.formulation import build_model, registry
from ioopt.sampling import sample_case
from ioopt.schemas import FamilySettings
from ioopt.solve import Compiled, SolveStatus, compile_model, lp_matrix

RANK_MIP_GAP = 1e-6
"""Exact values are differences of two optima: solve each to a tight gap."""

OWN_ROWS = {"production_max", "production_min", "build_once"}
"""Rows that belong to one project (indexed by it) and do not price shared resources."""


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
    base: api.RunResult | None = None
    """The base solve (with its infeasibility explanation when it has no solution)."""

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write ranking.csv, ranking_quota_use.csv and ranking_rule.txt, beside the base
        solve's files (summary.json and the tables, as ``ioopt solve`` writes them).
        """
        out = Path(out_dir)
        if self.base is not None:
            self.base.write(out)
        out.mkdir(parents=True, exist_ok=True)
        paths = [out / "ranking.csv", out / "ranking_quota_use.csv", out / "ranking_rule.txt"]
        self.table.to_csv(paths[0], index=False)
        self.quota_use.to_csv(paths[1], index=False)
        paths[2].write_text("\n".join([self.rule, *self.notes]) + "\n", encoding="utf-8")
        return paths

    def text(self, top: int = 25) -> str:
        """The top of the ranking as a table, then the rule."""
        t = self.table
        value_col = "leave_one_out" if self.exact else "leave_one_out_estimate"
        cost_col = "force_in_cost" if self.exact else "force_in_cost_estimate"
        lines = [f"ranking of {len(t)} projects (base optimum {self.base_objective:,.2f} "
                 f"{self.objective_unit}; values in {self.objective_unit}"
                 + ("" if self.exact else ", estimates") + ")",
                 f"{'rank':>4}  {'project':<22} {'status':<9} {'in':<3} {'year':<5} "
                 f"{'value':>11} " + (f"{'robust':>6} " if self.samples else "") + "reason"]
        for r in t.head(top).itertuples():
            v = getattr(r, value_col) if r.selected else getattr(r, cost_col)
            sign = "" if r.selected else "-"
            val = "-" if pd.isna(v) else f"{sign}{v:,.2f}"
            rob = (f"{r.robustness:>6.0%} " if self.samples else "")
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


# ---------------------------------------------------------------- estimates


@dataclass
class _RowInfo:
    kind: str
    """'own', 'chain', 'quota' or 'other'."""
    family: str
    key: tuple[Any, ...]
    quota: int | None = None
    """Index into the quota table for quota rows."""


def _row_infos(result: api.RunResult) -> list[_RowInfo]:
    assert result.model is not None and result.solve.compiled is not None
    comp = result.solve.compiled
    reg = registry(result.model)
    quota_of = {comp.row_of[id(q.constraint)]: i for i, q in enumerate(reg.quota_rows)
                if q.constraint is not None and id(q.constraint) in comp.row_of}
    out = []
    for r, con in enumerate(comp.rows):
        fam = con.parent_component().name
        idx = con.index()
        key = idx if isinstance(idx, tuple) else (idx,)
        if r in quota_of:
            out.append(_RowInfo("quota", fam, key, quota_of[r]))
        elif fam in OWN_ROWS:
            out.append(_RowInfo("own", fam, key))
        elif fam == "chain_balance":
            out.append(_RowInfo("chain", fam, key))
        else:
            out.append(_RowInfo("other", fam, key))
    return out


@dataclass
class _Estimate:
    value: float
    """Objective change if the activity is added (first order, at fixed duals)."""
    output: float
    """Objective coefficients times activity, plus the value of the own product row."""
    inputs: float
    cost: dict[int, float]
    """Row -> cost at the row's shadow price (quota rows and input rows)."""
    use: dict[int, float]
    """Row -> use, in the row's model unit (a quota's unit; 万 units of an input)."""
    other: float
    online_year: int | None


def _estimates(result: api.RunResult, infos: list[_RowInfo]) -> dict[str, _Estimate]:
    """Each committed/candidate project's value at the fixed-portfolio LP prices."""
    m = result.model
    res = result.solve
    comp = res.compiled
    assert m is not None and comp is not None and res.row_dual is not None
    assert res.col_value is not None
    d = registry(m).data
    pf_year = result.portfolio.set_index("project")["online_year"]
    sel_year = {j: int(v) for j, v in pf_year.items() if not pd.isna(v)}
    lp = comp.lp
    A = lp_matrix(lp)
    c = np.asarray(lp.col_cost_, dtype=float)
    y = res.row_dual
    kind = np.array([i.kind for i in infos])
    sector_of_row = [i.key[0] if i.kind == "chain" else None for i in infos]
    p = d.projects
    out: dict[str, _Estimate] = {}
    status = p["status"].to_dict()
    own_rows = _own_rows(infos)
    for j in p.index:
        if status[j] == "existing":
            continue
        sector = p.at[j, "sector"]
        own = own_rows.get(j, set())
        x_cols = {t: comp.col_of.get(id(m.x[j, t])) for t in d.x_years(j) if (j, t) in m.x}
        if j in sel_year:
            oy = sel_year[j]
            act = {col: float(res.col_value[col]) for col in x_cols.values() if col is not None}
            if j in d.build_years:
                bc = comp.col_of.get(id(m.build[j, oy]))
                if bc is not None:
                    act[bc] = 1.0
            out[j] = _evaluate(A, c, y, kind, own, sector_of_row, sector, act, oy)
            continue
        best: _Estimate | None = None
        cap = float(p.at[j, "cap"])
        mu = float(p.at[j, "min_util"])
        for tau in d.build_years.get(j, []):
            act = {}
            bc = comp.col_of.get(id(m.build[j, tau]))
            if bc is not None:
                act[bc] = 1.0
            for t, col in x_cols.items():
                if col is None or t < tau:
                    continue
                nv = _net_unit_value(A, c, y, own, col)
                act[col] = cap if nv > 0 else mu * cap
            e = _evaluate(A, c, y, kind, own, sector_of_row, sector, act, tau)
            if best is None or e.value > best.value:
                best = e
        if best is not None:
            out[j] = best
    return out


def _own_rows(infos: list[_RowInfo]) -> dict[str, set[int]]:
    """Project -> the rows that belong to it alone (production_max/min, build_once)."""
    out: dict[str, set[int]] = defaultdict(set)
    for r, i in enumerate(infos):
        if i.kind == "own":
            out[i.key[0]].add(r)
    return out


def _net_unit_value(A: Any, c: np.ndarray, y: np.ndarray, own: set[int], col: int) -> float:
    lo, hi = A.indptr[col], A.indptr[col + 1]
    rows, vals = A.indices[lo:hi], A.data[lo:hi]
    mask = np.array([r not in own for r in rows], dtype=bool)
    return float(c[col] - (y[rows[mask]] * vals[mask]).sum())


def _evaluate(A: Any, c: np.ndarray, y: np.ndarray, kind: np.ndarray, own: set[int],
              sector_of_row: list[Any], sector: str, act: dict[int, float],
              online_year: int | None) -> _Estimate:
    output = inputs = other = 0.0
    qcost: dict[int, float] = defaultdict(float)
    quse: dict[int, float] = defaultdict(float)
    qsum = 0.0
    for col, a in act.items():
        output += c[col] * a
        lo, hi = A.indptr[col], A.indptr[col + 1]
        for r, v in zip(A.indices[lo:hi].tolist(), A.data[lo:hi].tolist(), strict=True):
            if r in own:
                continue
            cost = y[r] * v * a
            k = kind[r]
            if k == "chain":
                if sector_of_row[r] == sector:
                    output -= cost
                else:
                    inputs += cost
                    qcost[r] += cost
                    quse[r] -= v * a  # inputs enter their balance row with a minus sign
            elif k == "quota":
                qcost[r] += cost
                quse[r] += v * a
                qsum += cost
            else:
                other += cost
    value = output - inputs - qsum - other
    return _Estimate(value, output, inputs, dict(qcost), dict(quse), other, online_year)


# ---------------------------------------------------------------- exact re-solves


class ExactSession:
    """The case's MILP on one persistent HiGHS instance, for leave-one-out and force-in.

    The model is built with the ``commitment`` family off (committed projects become
    candidates from their committed year) and each committed project's build decision
    fixed at its year: the same optimum, and every project can be removed or forced in
    by changing column or row bounds.
    """

    def __init__(self, case: Case, time_limit: float | None = None,
                 mip_gap: float = RANK_MIP_GAP, threads: int = 1, fixed: bool = False) -> None:
        fams = dict(case.config.families)
        fams["commitment"] = FamilySettings(enabled=False)
        free = case.replace(config=case.config.model_copy(update={"families": fams}))
        self.m = build_model(free)
        self.d = registry(self.m).data
        self.comp: Compiled = compile_model(self.m)
        p = case.projects
        self.committed = {j: int(oy) for j, st, oy in zip(p.index, p["status"], p["online_year"],
                                                           strict=True) if st == "committed"}
        self.build_cols: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for (j, t) in self.m.build:
            col = self.comp.col_of.get(id(self.m.build[j, t]))
            if col is not None:
                self.build_cols[j].append((t, col))
        self.once_row = {j: self.comp.row_of[id(con)] for j, con in
                         ((k, self.m.build_once[k]) for k in self.m.build_once)
                         if id(con) in self.comp.row_of} if self.m.component("build_once") else {}
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("mip_rel_gap", float(mip_gap))
        h.setOptionValue("threads", int(threads))
        if time_limit:
            h.setOptionValue("time_limit", float(time_limit))
        h.passModel(self.comp.lp)
        self.h = h
        for j, oy in self.committed.items():
            for t, col in self.build_cols.get(j, []):
                v = 1.0 if t == oy else 0.0
                h.changeColBounds(col, v, v)
        self.base_status, self.base_objective = self._run()
        self.start = np.asarray(h.getSolution().col_value, dtype=float) if \
            self.base_status.has_solution else None
        self.fixed = fixed and self.start is not None
        self.base_build: dict[int, float] = {}
        if self.fixed:
            # every build decision held at the optimum: what-ifs are LPs
            assert self.start is not None
            ints = self.comp.integer_cols
            n = len(ints)
            h.changeColsIntegrality(n, ints.astype(np.int32),
                                    np.array([highspy.HighsVarType.kContinuous] * n))
            vals = np.round(self.start[ints])
            h.changeColsBounds(n, ints.astype(np.int32), vals, vals)
            self.base_build = dict(zip(ints.tolist(), vals.tolist(), strict=True))
            self.base_status, self.base_objective = self._run()

    def _restore(self, cols: Iterable[int], j: str) -> None:
        for t, col in self.build_cols.get(j, []):
            if col not in set(cols):
                continue
            if self.fixed:
                v = self.base_build[col]
                self.h.changeColBounds(col, v, v)
            elif j in self.committed:
                v = 1.0 if t == self.committed[j] else 0.0
                self.h.changeColBounds(col, v, v)
            else:
                self.h.changeColBounds(col, 0.0, 1.0)

    def _run(self) -> tuple[SolveStatus, float]:
        self.h.run()
        ms = self.h.getModelStatus()
        if ms == highspy.HighsModelStatus.kOptimal:
            return SolveStatus.OPTIMAL, float(self.h.getInfo().objective_function_value)
        if ms == highspy.HighsModelStatus.kInfeasible:
            return SolveStatus.INFEASIBLE, float("nan")
        if self.h.getInfo().primal_solution_status == 2:
            return SolveStatus.FEASIBLE, float(self.h.getInfo().objective_function_value)
        return SolveStatus.ERROR, float("nan")

    def _warm(self, zero_cols: Iterable[int] = ()) -> None:
        if self.start is None:
            return
        x = self.start.copy()
        for col in zero_cols:
            x[col] = 0.0
        sol = highspy.HighsSolution()
        sol.col_value = x.tolist()
        sol.value_valid = True
        self.h.setSolution(sol)

    def without(self, j: str) -> tuple[SolveStatus, float]:
        """The optimum with project j never built."""
        cols = [c for _, c in self.build_cols.get(j, [])]
        x_cols = [self.comp.col_of[id(self.m.x[j, t])] for t in self.d.x_years(j)
                  if (j, t) in self.m.x and id(self.m.x[j, t]) in self.comp.col_of]
        for col in cols:
            self.h.changeColBounds(col, 0.0, 0.0)
        if not self.fixed:
            self._warm(cols + x_cols)
        out = self._run()
        self._restore(cols, j)
        return out

    def forced(self, j: str) -> tuple[SolveStatus, float]:
        """The optimum with candidate j built (in the year that suits it best)."""
        cols = [c for _, c in self.build_cols.get(j, [])]
        if not cols:
            return SolveStatus.INFEASIBLE, float("nan")
        if self.fixed:  # free j's own decisions only (an LP: the best mix of its years)
            for col in cols:
                self.h.changeColBounds(col, 0.0, 1.0)
        if j in self.once_row:
            r = self.once_row[j]
            self.h.changeRowBounds(r, 1.0, 1.0)
            if not self.fixed:
                self._warm()
            out = self._run()
            self.h.changeRowBounds(r, -highspy.kHighsInf, 1.0)
        else:
            self.h.changeColBounds(cols[0], 1.0, 1.0)
            if not self.fixed:
                self._warm()
            out = self._run()
        self._restore(cols, j)
        return out


_SESSION: ExactSession | None = None


def _init_worker(case: Case, time_limit: float | None, mip_gap: float) -> None:
    global _SESSION
    _SESSION = ExactSession(case, time_limit, mip_gap)


def _exact_task(task: tuple[str, str]) -> tuple[str, str, str, float, float]:
    """(project, what-if, status, objective, the worker's base objective)."""
    assert _SESSION is not None
    j, what = task
    st, obj = _SESSION.without(j) if what == "without" else _SESSION.forced(j)
    return j, what, st.value, obj, _SESSION.base_objective


def _sample_task(args: tuple[Case, int, int, float | None]) -> tuple[int, str, list[str]]:
    case, seed, i, time_limit = args
    r = api.run(sample_case(case, seed, i), time_limit=time_limit, explain=False)
    if not r.ok:
        return i, r.status.value, []
    pf = r.portfolio
    return i, r.status.value, pf.loc[pf["selected"] & (pf["status"] != "existing"), "project"].tolist()


def _map(fn: Callable[[Any], Any], tasks: list[Any], workers: int,
         initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()) -> list[Any]:
    if workers <= 1 or len(tasks) <= 1:
        if initializer is not None:
            initializer(*initargs)
        return [fn(t) for t in tasks]
    with ProcessPoolExecutor(max_workers=workers, initializer=initializer,
                             initargs=initargs) as pool:
        return list(pool.map(fn, tasks, chunksize=max(1, len(tasks) // (4 * workers))))


# ---------------------------------------------------------------- the ranking


def rank(case: Case, exact: bool = False, samples: int = 0, seed: int = 0,
         workers: int | None = None, time_limit: float | None = None,
         mip_gap: float = RANK_MIP_GAP) -> Ranking:
    """Rank the committed and candidate projects of a (scenario-applied) case."""
    workers = workers or os.cpu_count() or 1
    base = api.run(case, time_limit=time_limit, mip_gap=mip_gap)
    if not base.ok or base.solve.objective is None:
        return Ranking(table=pd.DataFrame(), quota_use=pd.DataFrame(), rule="", base_objective=float("nan"),
                       objective_unit="", exact=exact, base=base)
    infos = _row_infos(base)
    est = _estimates(base, infos)
    q = base.quotas
    pf = base.portfolio.set_index("project")
    news = [j for j in pf.index if pf.at[j, "status"] != "existing"]
    tasks = [(j, "without") for j in news if pf.at[j, "selected"]]
    tasks += [(j, "forced") for j in news if not pf.at[j, "selected"]]
    # fast: LP re-solves with every other build decision held at the optimum
    lp = ExactSession(case, time_limit, mip_gap, fixed=True)
    lp_vals = {(j, w): _delta(lp.base_objective, *(lp.without(j) if w == "without" else lp.forced(j)))
               for j, w in tasks}
    notes: list[str] = []
    exact_vals: dict[tuple[str, str], float] = {}
    base_obj = base.solve.objective
    if exact:
        results = _map(_exact_task, tasks, workers, _init_worker, (case, time_limit, mip_gap))
        session_base = results[0][4] if results else base_obj
        for j, what, st, obj, _ in results:
            exact_vals[(j, what)] = _delta(session_base, SolveStatus(st), obj)
        if abs(session_base - base_obj) > 1e-6 * max(1.0, abs(base_obj)):
            notes.append(f"note: the re-solve model's base optimum {session_base:,.4f} differs "
                         f"from the solve's {base_obj:,.4f} (within the MIP gap)")
        base_obj = session_base
    robust = _robustness(case, news, samples, seed, workers, time_limit, notes) if samples else {}
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
            rec["leave_one_out"] = exact_vals[(j, what)] if sel else np.nan
            rec["force_in_cost"] = exact_vals[(j, what)] if not sel else np.nan
        if rec["status"] == "committed":
            rec["commitment_cost"] = -(rec["leave_one_out"] if exact else rec["leave_one_out_estimate"])
        if samples:
            rec["robustness"] = robust.get(j, 0.0)
        e = est.get(j)
        if e is not None:
            rec["net_output_at_prices"] = e.output - e.inputs
            rec["quota_cost_at_prices"] = sum(e.cost[r] for r in e.cost if infos[r].kind == "quota")
            use_rows += _use_records(j, e, infos, q, base)
        rows.append(rec)
    table = pd.DataFrame.from_records(rows)
    quota_use = pd.DataFrame.from_records(use_rows, columns=_USE_COLUMNS)
    table["decisive_constraint"], table["reason"] = zip(
        *[_reason(r, quota_use, base, exact) for r in table.to_dict("records")], strict=True)
    table, rule = _order(table, exact, bool(samples))
    method = (f"exact: the MILP re-solved (gap {mip_gap:g}) with the project removed or forced "
              "in; *_estimate columns hold every other build decision fixed (an LP), which can "
              "only overstate a loss or a cost" if exact else
              "estimates: LP re-solves with every other build decision held at the optimum "
              "(they can only overstate a loss or a cost; use --exact for MILP re-solves)")
    rule = rule + "\nvalues: " + method
    return Ranking(table=table, quota_use=quota_use, rule=rule, base_objective=base_obj,
                   objective_unit=str(base.summary()["objective_unit"]), exact=exact,
                   samples=samples, seed=seed if samples else None, notes=notes, base=base)


def _delta(base: float, status: SolveStatus, obj: float) -> float:
    """How much the optimum falls (inf when the what-if has no solution)."""
    return base - obj if status.has_solution else float("inf")


def _robustness(case: Case, news: list[str], samples: int, seed: int, workers: int,
                time_limit: float | None, notes: list[str]) -> dict[str, float]:
    res = _map(_sample_task, [(case, seed, i, time_limit) for i in range(samples)], workers)
    ok = [sel for _, st, sel in res if st in ("optimal", "feasible")]
    counts: dict[str, int] = defaultdict(int)
    for sel in ok:
        for j in sel:
            counts[j] += 1
    if len(ok) < samples:
        notes.append(f"robustness over {len(ok)} of {samples} samples: the others had no solution")
    notes.append(f"robustness: {samples} samples of the case's uncertainty ranges, seed {seed}")
    return {j: counts[j] / len(ok) if ok else float("nan") for j in news}


_USE_COLUMNS = ["project", "kind", "row", "quota", "year", "park", "scope", "sense", "use", "unit",
                "shadow_price", "shadow_price_unit", "opportunity_cost", "binding", "slack",
                "limit", "fixed_use"]


def _use_records(j: str, e: _Estimate, infos: list[_RowInfo], q: pd.DataFrame,
                 base: api.RunResult) -> list[dict[str, Any]]:
    """Project j's use of each quota row and of each input, valued at the LP prices."""
    out = []
    sectors = base.case.sectors
    for r, cost in e.cost.items():
        use = e.use.get(r, 0.0)
        if abs(use) < 1e-12:
            continue
        info = infos[r]
        if info.kind == "quota" and info.quota is not None:
            qr = q.iloc[info.quota]
            out.append({"project": j, "kind": "quota", "row": r, "quota": qr["name"],
                        "year": qr["year"], "park": qr["park"], "scope": qr["scope"],
                        "sense": qr["sense"], "use": use,
                        "unit": qr["unit"], "shadow_price": qr["shadow_price"],
                        "shadow_price_unit": qr["shadow_price_unit"], "opportunity_cost": cost,
                        "binding": bool(qr["binding"]), "slack": qr["slack"],
                        "limit": qr["limit"], "fixed_use": qr["fixed_use"]})
        elif info.kind == "chain":
            s_, t = info.key
            unit = str(sectors.at[s_, "unit"])
            price = cost / use * 1e4 if use else 0.0  # 亿元 per 万 units -> CNY per unit
            out.append({"project": j, "kind": "input", "row": r, "quota": s_, "year": t,
                        "park": None, "scope": None, "sense": "==", "use": use,
                        "unit": f"10k {unit}",
                        "shadow_price": price, "shadow_price_unit": f"CNY/{unit}",
                        "opportunity_cost": cost, "binding": True, "slack": np.nan,
                        "limit": np.nan, "fixed_use": np.nan})
    return out


def _order(table: pd.DataFrame, exact: bool, robust: bool) -> tuple[pd.DataFrame, str]:
    keep = "leave_one_out" if exact else "leave_one_out_estimate"
    force = "force_in_cost" if exact else "force_in_cost_estimate"
    sel = table[table["selected"]].sort_values(keep, ascending=False, na_position="last")
    rej = table[~table["selected"]].sort_values(force, ascending=True, na_position="last")
    out = pd.concat([sel, rej], ignore_index=True)
    out.insert(0, "rank", range(1, len(out) + 1))
    what = "exact" if exact else "estimated"
    rule = (f"rank: selected projects (committed included) by {what} leave-one-out value, "
            f"largest first (what the region loses without them); then rejected candidates by "
            f"{what} force-in cost, smallest first (what it would cost to approve them)")
    if robust:
        rule += "; robustness (share of sampled scenarios selecting it) is reported, not ranked on"
    return out, rule


def _fmt_money(v: float) -> str:
    return f"{v:,.1f} 亿元" if abs(v) >= 0.05 else f"{v * 1e4:,.0f} 万元"


def _reason(rec: dict[str, Any], use: pd.DataFrame, base: api.RunResult,
            exact: bool) -> tuple[str, str]:
    """(decisive constraint, a sentence a committee member can read)."""
    j = rec["project"]
    mine = use[use["project"] == j]
    groups = _group_use(mine, base)
    loss = rec["leave_one_out"] if exact else rec["leave_one_out_estimate"]
    force = rec["force_in_cost"] if exact else rec["force_in_cost_estimate"]
    approx = "" if exact else "about "
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
        unit = plain_unit(str(r["unit"]))
        room = max(float(r["limit"] - r["fixed_use"]), 0.0)
        return _row_label(r), (f"rejected: can never fit: needs {r['use']:,.4g} {unit} of the "
                               f"{_row_words(r, base)}, and existing and committed plants leave "
                               f"only {room:,.4g} {unit} of its {r['limit']:,.4g}")
    tight = q[q["use"] > q["slack"] + 1e-6]
    if len(tight):
        r = tight.assign(ratio=tight["use"] / tight["slack"].clip(lower=1e-12)).sort_values(
            "ratio", ascending=False).iloc[0]
        unit = plain_unit(str(r["unit"]))
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


def _row_words(r: Any, base: api.RunResult) -> str:
    label = LABELS.get(str(r["quota"]), str(r["quota"]))
    where = []
    if r["park"] is not None and not pd.isna(r["park"]) and r["park"] != "":
        parks = dict(zip(base.case.parks["park"], base.case.parks["name"], strict=True))
        where.append(str(parks.get(r["park"]) or r["park"]))
    if r["scope"] is not None and not pd.isna(r["scope"]) and r["scope"] != "":
        where.append(str(r["scope"]))
    year = "" if r["year"] is None or pd.isna(r["year"]) else f"{int(r['year'])} "
    return f"{year}{label}" + (f" ({', '.join(where)})" if where else "")


def _group_use(mine: pd.DataFrame, base: api.RunResult) -> list[dict[str, Any]]:
    """A project's priced quota and input use, grouped across years, largest cost first."""
    priced = mine[mine["opportunity_cost"] > 1e-9]
    names = base.case.sectors["name"]
    parks = dict(zip(base.case.parks["park"], base.case.parks["name"], strict=True))
    out = []
    keys = ["kind", "quota", "park", "scope"]
    for (kind, quota, park, scope), g in priced.groupby(keys, dropna=False, sort=False):
        cost = float(g["opportunity_cost"].sum())
        years = sorted(int(y) for y in g["year"].dropna())
        unit = plain_unit(str(g["unit"].iloc[0]))
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
            words = LABELS.get(str(quota), str(quota)) + (f" ({', '.join(where)})" if where else "")
            phrase = f"{per_year:,.4g} {unit}{a_year} of the {span}{words}, {money}"
            label = f"{quota}[{', '.join(where)}]" if where else str(quota)
        out.append({"kind": kind, "label": label, "cost": cost, "phrase": phrase})
    return sorted(out, key=lambda x: -x["cost"])
