"""Trade-offs by re-solving the MILP: quota value curves and efficient frontiers.

MILP duals cannot say what a quota is worth beyond the current portfolio; re-solving at
many levels can. Both analyses generate a batch (:mod:`ioopt.batch`) and so run in
parallel, resumably, into a results store, re-solving in place on the built model
(only quota limits move). They build their tables from the scenarios' result tables as
the batch hands them back in memory; the analysis table is written beside the store.

**Quota value curve** (:func:`curve`): the quota rows matching ``family`` (and ``year``,
``park``) set to each level (a scale of their limits, or a level in the quota's unit),
and at each level the objective, the portfolio changes from the level below (the
**breakpoints**), the fixed-portfolio shadow price, and the value of the last step per
base unit (the MILP's own marginal value: Δobjective / Δlimit, CNY per tce, m3, mu ...).
The curve marks the level from which the quota no longer binds.

**Frontier** (:func:`frontier`): the epsilon-constraint method. The ``x`` quota family
(energy, CO2, water) is made hard and set to its use at the unconstrained optimum, then
tightened step by step to ``down_to`` of that while maximising ``y`` (the objective or
another measure); dominated points are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ioopt import pipeline, units, words
from ioopt.batch import Axis, BatchResult, BatchSpec, Steps, run_batch
from ioopt.batch.integrity import store_lock
from ioopt.batch.store import write_table
from ioopt.case import Case
from ioopt.errors import InputError, Problem
from ioopt.families import FAMILIES, QUOTA_FAMILIES
from ioopt.scenario import Scenario, apply_overrides
from ioopt.schemas import Measure
from ioopt.solver.status import SolveStatus, solved


def parse_level(text: str, option: str) -> tuple[str, float]:
    """'-30%' -> ('scale', 0.7); '+10 %' -> ('scale', 1.1); '1200' -> ('set', 1200.0)."""
    t = text.strip().replace(" ", "")
    try:
        if t.endswith("%"):
            return "scale", 1.0 + float(t[:-1]) / 100.0
        return "set", float(t)
    except ValueError:
        raise InputError([Problem(option, None, None, text,
                                  "a change in percent (-30%, +10%) or a level in the quota's "
                                  "unit (1200)")]) from None


def _time_limited(status: pd.Series) -> pd.Series:
    """Element-wise: stopped at the time limit before any solution."""
    return status.map(lambda v: SolveStatus.parse(v) == SolveStatus.TIME_LIMIT).astype(bool)


def _portfolio_sets(res: BatchResult) -> dict[str, frozenset[str]]:
    pf = res.table("portfolio")
    if pf.empty:
        return {}
    pf = pf[pf["status"] != "existing"]
    return {sid: frozenset(g.loc[g["selected"].astype(bool), "project"])
            for sid, g in pf.groupby("scenario_id")}


def _changes_text(entered: str, left: str) -> str:
    """'+p1 +p2 -p3' from space-separated project lists."""
    return " ".join([*(f"+{p}" for p in entered.split()), *(f"-{p}" for p in left.split())])


def _quota_rows(q: pd.DataFrame, family: str, year: int | None, park: str | None
                ) -> pd.DataFrame:
    sel = q["name"] == family
    if year is not None:
        sel &= q["year"].astype("Float64") == year
    if park is not None:
        sel &= q["park"].fillna("") == park
    return q[sel]


# ------------------------------------------------------------------ the curve


@dataclass
class Curve:
    """A quota value curve: one row per level, and the batch behind it."""

    table: pd.DataFrame
    quota: str
    unit: str
    value_unit: str
    batch: BatchResult

    @property
    def breakpoints(self) -> pd.DataFrame:
        """The levels where the portfolio changes."""
        return self.table[self.table["breakpoint"]]

    def write(self, out: str | Path) -> Path:
        """curve.csv in ``out``."""
        return write_table(out, "curve", self.table)

    def text(self) -> str:
        """The curve as a table, then the breakpoints and where the quota stops binding."""
        t = self.table
        lines = [f"value curve of {self.quota} ({len(t)} levels; limit in {self.unit}, "
                 f"objective in {t['objective_unit'].dropna().iloc[0] if t['objective'].notna().any() else '-'})",
                 f"{'level':>8} {'limit':>12} {'status':<10} {'objective':>12} {'step value':>12} "
                 f"{'price':>10} {'binds':<5} changes"]
        indicator = bool(len(t)) and bool(t["indicator"].all())
        for r in t.itertuples():
            obj = "-" if pd.isna(r.objective) else words.num(r.objective, 6)
            sv = "" if pd.isna(r.step_value) else words.num(r.step_value)
            sp = "" if pd.isna(r.shadow_price) else words.num(r.shadow_price)
            ch = r.verdict if indicator else _changes_text(r.entered, r.left)
            lines.append(f"{r.level_label:>8} {words.num(r.limit_total, 6):>12} {r.status:<10} {obj:>12} "
                         f"{sv:>12} {sp:>10} {'yes' if r.binding else 'no':<5} {ch}")
        lines += [f"{self.quota} is an indicator (mode report): its limit constrains nothing; "
                  "the curve sweeps its verdict (last column)"] if indicator else []
        lines.append(f"step value: objective gained per {self.value_unit.split('/')[-1]} of limit "
                     f"from the level below it ({self.value_unit}, re-solved MILP); price: "
                     "shadow price with the portfolio fixed (mean over the rows)")
        bp = self.breakpoints
        if len(bp):
            for r in bp.itertuples():
                what = []
                if r.entered:
                    what.append(f"{r.entered} enter")
                if r.left:
                    what.append(f"{r.left} leave")
                lines.append(f"breakpoint at {r.level_label}: " + "; ".join(what))
        else:
            lines.append("no breakpoint: the portfolio is the same at every level")
        limited = t[_time_limited(t["status"])]
        if len(limited):
            lines.append("stopped at the time limit before any solution at "
                         f"{', '.join(limited['level_label'])}: nothing is known there "
                         "(raise --time-limit)")
        free = t[t["stops_binding"]]
        if len(free):
            lines.append(f"the quota stops binding at {free['level_label'].iloc[0]} "
                         f"(limit {words.num(free['limit_total'].iloc[0], 6)} {self.unit}): more quota "
                         "beyond it is worth nothing")
        elif len(t) and not SolveStatus.parse(t["status"].iloc[-1]).has_solution:
            lines.append("where the quota stops binding is not known: the highest level has "
                         f"no solution ({t['status'].iloc[-1]})")
        else:
            lines.append("the quota binds at every level of the curve")
        return "\n".join(lines)


def curve(case: Case, family: str, start: str, stop: str, steps: int, out: str | Path,
          year: int | None = None, park: str | None = None, workers: int | None = None,
          scheduler: str | None = None, resume: bool = False, progress: bool = True,
          time_limit: float | None = None) -> Curve:
    """The value curve of a quota: re-solve at ``steps`` levels from ``start`` to ``stop``
    (each ``-30%`` style or a level in the quota's unit).
    """
    if family not in QUOTA_FAMILIES:
        raise InputError([Problem("QUOTA", None, None, family,
                                  f"a quota family: one of {QUOTA_FAMILIES}")])
    kind_a, a = parse_level(start, "--from")
    kind_b, b = parse_level(stop, "--to")
    if kind_a != kind_b:
        raise InputError([Problem("--from/--to", None, None, f"{start} .. {stop}",
                                  "both in percent or both levels in the quota's unit")])
    if steps < 2:
        raise InputError([Problem("--steps", None, None, steps, "2 or more")])
    selector: dict[str, Any] = {"family": family, **({} if year is None else {"year": year}),
                                **({} if park is None else {"park": park})}
    lo, hi = min(a, b), max(a, b)
    values = Steps.model_validate({"from": lo, "to": hi, "steps": steps})
    axis = Axis.model_validate({"name": "level", "quotas": selector, kind_a: values})
    label = " ".join([family, *([str(year)] if year else []), *([park] if park else [])])
    spec = BatchSpec(name=f"curve {label}", grid=[axis], explain=False, time_limit_s=time_limit)
    with store_lock(Path(out)):  # the batch and curve.csv: one writer at a time
        res = run_batch(spec, Path.cwd(), out, case=case, workers=workers, scheduler=scheduler,
                        resume=resume, progress=progress, keep_tables=True)  # tables in memory
        table = _curve_table(res, family, year, park, kind_a)
        dim = units.DIMENSIONS[FAMILIES[family].dimension]
        money = table["objective_unit"].dropna()
        num = "CNY" if money.empty or money.iloc[0] != "job-years" else "job-years"
        out_curve = Curve(table=table, quota=label, unit=dim.model_unit, value_unit=f"{num}/{dim.base_unit}", batch=res)
        out_curve.write(out)
    return out_curve


def _curve_table(res: BatchResult, family: str, year: int | None, park: str | None,
                 kind: str) -> pd.DataFrame:
    sc = res.scenarios.copy()
    sc["level"] = sc["level"].astype(float)
    sc = sc.sort_values("level").reset_index(drop=True)
    q = res.table("quotas")
    q = _quota_rows(q, family, year, park) if not q.empty else q
    sets = _portfolio_sets(res)
    dim = units.DIMENSIONS[FAMILIES[family].dimension]
    ratio = FAMILIES[family].ratio
    rows: list[dict[str, Any]] = []
    prev: frozenset[str] | None = None
    prev_obj = prev_lim = None
    for r in sc.itertuples():
        mine = q[q["scenario_id"] == r.scenario_id] if not q.empty else q
        ok = SolveStatus.parse(r.status).has_solution
        lim = float(mine["limit"].sum()) if len(mine) else float("nan")
        binding = bool(mine["binding"].astype(bool).any()) if len(mine) else False
        price = float(mine["shadow_price"].mean()) if len(mine) else float("nan")
        cur = sets.get(r.scenario_id) if ok else None
        entered = sorted(cur - prev) if cur is not None and prev is not None else []
        left = sorted(prev - cur) if cur is not None and prev is not None else []
        obj = float(r.objective) if ok and r.objective is not None else float("nan")
        step = float("nan")
        if not ratio and prev_obj is not None and prev_lim is not None and ok and \
                lim != prev_lim:
            scale = units.MONEY if r.objective_unit != "job-years" else 1.0
            step = (obj - prev_obj) * scale / ((lim - prev_lim) * dim.base_per_model)
        label = f"{(r.level - 1) * 100:+.0f}%" if kind == "scale" else words.num(r.level, 6)
        rows.append({"scenario_id": r.scenario_id, "level": r.level, "level_label": label,
                     "limit_total": lim, "status": r.status, "objective": obj,
                     "indicator": bool(len(mine)) and bool((mine["mode"] == "report").all()),
                     "verdict": "; ".join(mine["verdict"].astype(str)) if len(mine) else "",
                     "objective_unit": r.objective_unit if ok else None,
                     "step_value": step, "shadow_price": price, "binding": binding,
                     "n_selected": len(cur) if cur is not None else None,
                     "breakpoint": bool(entered or left),
                     "entered": " ".join(entered), "left": " ".join(left)})
        if ok:
            prev, prev_obj, prev_lim = cur, obj, lim
    t = pd.DataFrame(rows)
    # stops binding: the first level from which the quota binds at no higher level and
    # the objective gains nothing more (a lumpy portfolio can leave slack and still be
    # held back by the quota, so slack alone is not enough)
    free = (~t["binding"] & solved(t["status"])).to_numpy()
    obj = t["objective"].to_numpy()
    stops = np.zeros(len(t), dtype=bool)
    for i in range(len(t) - 1, -1, -1):
        if not free[i:].all() or np.nanmax(obj[i:]) > obj[i] + 1e-9 * max(1.0, abs(obj[i])):
            break
        stops[:] = False
        stops[i] = True
    t["stops_binding"] = stops
    return t


# --------------------------------------------------------------- the frontier

X_TOTALS = {f: s.totals_column for f, s in FAMILIES.items() if s.totals_column}
"""Quota families a frontier can tighten, and the yearly total each one caps (from the
family catalogue)."""


@dataclass
class Frontier:
    """An efficient frontier: the non-dominated points, and every point tried."""

    points: pd.DataFrame
    x: str
    y: str
    x_unit: str
    y_unit: str
    batch: BatchResult

    @property
    def efficient(self) -> pd.DataFrame:
        """The non-dominated points, by x."""
        return self.points[self.points["efficient"]].sort_values("x")

    def write(self, out: str | Path) -> Path:
        """frontier.csv in ``out`` (every point, with ``efficient``)."""
        return write_table(out, "frontier", self.points)

    def text(self) -> str:
        """The efficient points and what each step down in x costs."""
        e = self.efficient
        lines = [f"frontier: {self.y} ({self.y_unit}) against {self.x} ({self.x_unit}, over "
                 f"the horizon); {len(e)} efficient of {len(self.points)} points",
                 f"{'x':>12} {'y':>12} {'cost per unit':>14}  portfolio changes"]
        for r in e.itertuples():
            cost = "" if pd.isna(r.cost_per_unit) else words.num(r.cost_per_unit)
            ch = _changes_text(r.entered, r.left)
            lines.append(f"{words.num(r.x, 6):>12} {words.num(r.y, 6):>12} {cost:>14}  {ch}")
        unit = self.points["cost_unit"].iloc[0] if len(self.points) else ""
        lines.append(f"cost per unit: {self.y} given up per unit of {self.x} cut ({unit}), "
                     "between neighbouring efficient points")
        p = self.points
        limited = _time_limited(p["status"])
        bad = p[~solved(p["status"]) & ~limited]  # infeasible there, so at any tighter x
        if len(bad):
            top = bad["tighten"].max()
            lines.append(f"no solution at {top:.0%} of the unconstrained use or "
                         f"below ({len(bad)} point(s) {', '.join(sorted(set(bad['status'])))})")
        if limited.any():
            lines.append("stopped at the time limit before any solution at "
                         f"{', '.join(f'{v:.0%}' for v in p.loc[limited, 'tighten'])} of the "
                         "unconstrained use: nothing is known there (raise --time-limit)")
        return "\n".join(lines)


def frontier(case: Case, x: str, y: str, points: int, out: str | Path,
             down_to: float = 0.5, workers: int | None = None, scheduler: str | None = None,
             resume: bool = False, progress: bool = True,
             time_limit: float | None = None) -> Frontier:
    """The ``y``-``x`` efficient frontier by the epsilon-constraint method."""
    if x not in X_TOTALS:
        raise InputError([Problem("--x", None, None, x, f"one of {sorted(X_TOTALS)}")])
    measures = [m.value for m in Measure]
    if y != "objective" and y not in measures:
        raise InputError([Problem("--y", None, None, y, f"objective or one of {measures}")])
    if not 0 < down_to < 1:
        raise InputError([Problem("--down-to", None, None, down_to, "a share in (0, 1)")])
    if points < 2:
        raise InputError([Problem("--points", None, None, points, "2 or more")])
    if not (case.quotas["family"] == x).any():
        raise InputError([Problem("quotas.csv", None, "family", x,
                                  f"at least one {x} row to tighten (add one to quotas.csv)")])
    base = case
    if y != "objective":
        base = apply_overrides(base, Scenario(name=f"maximise {y}", case={
            "objective": {"measure": y}}), "--y")
    # x's use at the optimum without it (the family switched off)
    free = apply_overrides(base, Scenario(name=f"no {x}", case={"families": {x: {
        "enabled": False}}}), "--x")
    r0 = pipeline.run(free, explain=False, ranging=False)
    if not r0.ok:
        raise InputError([Problem("--x", None, None, x, f"a case with a solution without the "
                                  f"{x} quota, but it is {r0.status.value}: {r0.solve.message}")])
    use = r0.totals.set_index("year")[X_TOTALS[x]]
    changes = []
    mine = case.quotas[case.quotas["family"] == x]
    for yr, park in zip(mine["year"], mine["park"], strict=True):
        lim = float(use.max()) if pd.isna(yr) else float(use.get(int(yr), use.max()))
        changes.append({"family": x, "set": lim, "mode": "hard",
                        **({} if pd.isna(yr) else {"year": int(yr)}),
                        **({"park": park} if park else {})})
    start = apply_overrides(base, Scenario.model_validate({
        "name": f"{x} at its unconstrained use", "quotas": changes}), "--x")
    axis = Axis.model_validate({"name": "tighten", "quotas": {"family": x},
                                "scale": {"from": 1.0, "to": down_to, "steps": points}})
    spec = BatchSpec(name=f"frontier {y} vs {x}", grid=[axis], explain=False,
                     time_limit_s=time_limit)
    with store_lock(Path(out)):  # the batch and frontier.csv: one writer at a time
        res = run_batch(spec, Path.cwd(), out, case=start, workers=workers, scheduler=scheduler,
                        resume=resume, progress=progress, keep_tables=True)
        table = _frontier_table(res, x)
        dim = units.DIMENSIONS[FAMILIES[x].dimension]
        y_unit = table["y_unit"].dropna().iloc[0] if table["y_unit"].notna().any() else ""
        # y given up per base unit of x cut: CNY per t CO2 (tce, m3), or jobs per ...
        money = y_unit != "job-years"
        table["cost_per_unit"] = table["y_per_x"] * (units.MONEY if money else 1.0) / dim.base_per_model
        table["cost_unit"] = f"{'CNY' if money else 'job-years'}/{dim.base_unit}"
        fr = Frontier(points=table, x=x, y=y, x_unit=dim.model_unit, y_unit=y_unit, batch=res)
        fr.write(out)
    return fr


def _frontier_table(res: BatchResult, x: str) -> pd.DataFrame:
    sc = res.scenarios
    totals = res.table("totals")
    sets = _portfolio_sets(res)
    col = X_TOTALS[x]
    rows = []
    for r in sc.itertuples():
        if not SolveStatus.parse(r.status).has_solution:
            rows.append({"scenario_id": r.scenario_id, "tighten": float(r.tighten),
                         "status": r.status, "x": np.nan, "y": np.nan, "y_unit": None})
            continue
        xv = float(totals.loc[totals["scenario_id"] == r.scenario_id, col].sum())
        rows.append({"scenario_id": r.scenario_id, "tighten": float(r.tighten),
                     "status": r.status, "x": xv, "y": float(r.objective),
                     "y_unit": r.objective_unit})
    t = pd.DataFrame(rows)
    ok = solved(t["status"])
    t["efficient"] = False
    pts = t[ok].sort_values(["x", "y"], ascending=[True, False])
    best = -np.inf
    for i, r in pts.iterrows():  # ascending x: efficient iff y beats every smaller x
        if r["y"] > best + 1e-9 * max(1.0, abs(r["y"])):
            t.loc[i, "efficient"] = True
            best = r["y"]
    # portfolio changes and marginal cost between neighbouring efficient points
    t["entered"] = ""
    t["left"] = ""
    t["y_per_x"] = np.nan
    prev = None
    for i, r in t[t["efficient"]].sort_values("x").iterrows():
        cur = sets.get(r["scenario_id"], frozenset())
        if prev is not None:
            pi, pset = prev
            t.loc[i, "entered"] = " ".join(sorted(cur - pset))
            t.loc[i, "left"] = " ".join(sorted(pset - cur))
            dx = r["x"] - t.loc[pi, "x"]
            if dx > 0:
                t.loc[i, "y_per_x"] = (r["y"] - t.loc[pi, "y"]) / dx
        prev = (i, cur)
    t["portfolio"] = [" ".join(sorted(sets.get(s, frozenset()))) for s in t["scenario_id"]]
    return t
