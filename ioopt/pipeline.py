"""The one orchestration path of a single run: build -> solve -> result tables.

:func:`run` builds the model of a (scenario-applied) case, solves it on a fresh HiGHS
session and extracts the result tables into a :class:`RunResult`; an infeasible scenario
is explained (:mod:`ioopt.analyses.infeasibility`). ``ioopt.api`` re-exports all of it.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ioopt import __version__, words
from ioopt.analyses.infeasibility import Infeasibility, explain_infeasibility
from ioopt.batch import store
from ioopt.case import Case
from ioopt.conclusions import indicator_sentences, resting_on_estimates
from ioopt.errors import check_solver_limits
from ioopt.formulation import Built, build_model
from ioopt.formulation.data import import_weight
from ioopt.market_results import market_table
from ioopt.quota_table import quota_table
from ioopt.results import (
    flows_table,
    objective_unit,
    portfolio_table,
    sector_table,
    yearly_totals,
)
from ioopt.solver.highs import SolveResult
from ioopt.solver.solve import solve_built
from ioopt.solver.status import SolveStatus

if TYPE_CHECKING:
    from ioopt.analyses.backcast import Backcast

def relaxed(case: Case) -> Case:
    """The case with ``solver.relax_integers`` on: its LP relaxation."""
    solver = case.config.solver.model_copy(update={"relax_integers": True})
    config = case.config.model_copy(update={"solver": solver})
    return case.replace(config=config, applied=[*case.applied, "solver.relax_integers: true"])


def build(case: Case) -> Built:
    """Build the model of a case (no solve): ``.pyomo`` is the Pyomo model."""
    return build_model(case)


def solve(model: Built, case: Case, time_limit: float | None = None,
          mip_gap: float | None = None, ranging: bool = False) -> SolveResult:
    """Solve a built model with the case's solver settings, overridden by the arguments."""
    check_solver_limits(time_limit, mip_gap)
    s = case.config.solver
    return solve_built(model, time_limit=s.time_limit_s if time_limit is None else time_limit,
                       mip_gap=s.mip_gap if mip_gap is None else mip_gap, threads=s.threads,
                       ranging=ranging)


@dataclass
class RunResult:
    """A solved (or failed) run: status, summary and the result tables."""

    case: Case
    solve: SolveResult
    model: Built | None
    """The built model (``model.pyomo`` is the Pyomo model)."""
    scenario: str | None = None
    portfolio: pd.DataFrame = field(default_factory=pd.DataFrame)
    quotas: pd.DataFrame = field(default_factory=pd.DataFrame)
    sectors: pd.DataFrame = field(default_factory=pd.DataFrame)
    markets: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Each market step's volume used (ioopt.market_results; empty without markets.csv)."""
    totals: pd.DataFrame = field(default_factory=pd.DataFrame)
    timings: dict[str, float] = field(default_factory=dict)
    infeasibility: Infeasibility | None = None
    """For an infeasible scenario: the smallest relaxation and an IIS (ioopt.analyses.infeasibility)."""
    backcast: Backcast | None = None
    """The case against its history (ioopt.analyses.backcast), when asked for and the case has one."""

    _flows: pd.DataFrame | None = None
    _conclusions: tuple[list[Any], list[Any]] | None = None
    """(indicator sentences, conclusions resting on estimates): computed once, on demand."""

    @property
    def flows(self) -> pd.DataFrame:
        """Supply-chain flows by year (ioopt.results.flows_table), computed when first
        asked for (from this run's solution, so also after its model has moved on).
        """
        if self._flows is None:
            self._flows = (flows_table(self.model, self.solve)
                           if self.ok and self.model is not None else pd.DataFrame())
        return self._flows

    @property
    def status(self) -> SolveStatus:
        """The solve status."""
        return self.solve.status

    @property
    def ok(self) -> bool:
        """True when a solution is available."""
        return self.solve.status.has_solution

    def summary(self) -> dict[str, Any]:
        """The run summary as a JSON-ready dict (what ``--json`` prints)."""
        cfg = self.case.config
        measure = cfg.objective.measure.value
        unit = objective_unit(self.model) if self.model is not None else ""
        o = cfg.objective
        naming: dict[str, Any] = {
            "import_cost": bool(import_weight(o)),
            "annuity_rate": o.capital_rate if o.capital_charge == "annuity" else None,
            "years": (cfg.years[0], cfg.years[-1]), "discount_rate": o.discount_rate or 0.0,
            "relaxed": bool(cfg.solver.relax_integers)}
        out: dict[str, Any] = {
            "ioopt_version": __version__,
            "case": cfg.name,
            "case_dir": str(self.case.path),
            "case_hash": self.case.content_hash,
            "scenario": self.scenario,
            "scenario_name": self.case.scenario_name, "scenario_description": self.case.scenario_description,
            "scenario_changes": self.case.applied,
            "status": self.solve.status.value,
            "termination": self.solve.termination,
            "message": self.solve.message,
            "objective": self.solve.objective,
            "objective_name": words.objective_name(measure, "en", **naming),
            "objective_name_zh": words.objective_name(measure, "zh", **naming),
            "objective_unit": unit,
            "mip_gap": self.solve.mip_gap,
            "years": list(cfg.years),
            "shadow_price_method": self.solve.shadow_price_method,
            "timings_s": {k: round(v, 4) for k, v in self.timings.items()},
        }
        if self.case.warnings:
            out["warnings"] = [str(w) for w in self.case.warnings]
        if self.solve.numerics:
            out["numerics"] = list(self.solve.numerics)
        if self.infeasibility is not None:
            out["infeasibility"] = self.infeasibility.to_dict()
        if self.backcast is not None:
            out["backcast"] = self.backcast.records()
        if not self.ok:
            return out
        pf = self.portfolio
        cand = pf[pf["status"] != "existing"]
        out["n_projects"] = len(pf)
        is_cand = pf["status"] == "candidate"
        out["n_candidates"] = int(is_cand.sum())
        out["n_committed"] = int((pf["status"] == "committed").sum())
        # candidates the optimum selects (committed projects are not choices)
        out["n_selected"] = int(pf.loc[is_cand, "selected"].sum())
        out["selected"] = cand.loc[cand["selected"], "project"].tolist()
        out["totals"] = _records(self.totals)
        out["quotas"] = _records(self.quotas.drop(columns=["description"]))
        out["indicators"], out["rests_on_estimates"] = self.conclusions()
        return out

    def conclusions(self) -> tuple[list[Any], list[Any]]:
        """The indicator sentences and the conclusions that rest on estimates (computed
        once: they read the constraint matrix).
        """
        if self._conclusions is None:
            pk = self.case.parks
            parks = {"en": dict(zip(pk["park"], pk["name"], strict=True)),
                     "zh": {p: zh or en for p, en, zh in zip(
                         pk["park"], pk["name"], pk["name_zh"].fillna(""), strict=True)}}
            self._conclusions = (indicator_sentences(self.quotas, parks["en"]),
                                 resting_on_estimates(self.quotas, self.portfolio, self.solve,
                                                      parks, self.case.path))
        return self._conclusions

    def write(self, out_dir: str | Path) -> Path:
        """Write summary.json, labels.csv (names in English and Chinese, for reports) and
        the tables: portfolio, quotas, sectors, totals, flows (and markets, where the case
        has market steps).

        An infeasible scenario gets infeasibility.csv instead of the tables.
        """
        return store.write_run(self, out_dir)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    recs = json.loads(frame.to_json(orient="records", force_ascii=False))
    return list(recs)


def extract_tables(result: RunResult) -> None:
    """Fill a solved run's portfolio, quota, sector and totals tables from its model
    (whose variables hold the solution).
    """
    m, res = result.model, result.solve
    assert m is not None
    result.portfolio = portfolio_table(m, res)
    result.quotas = quota_table(m, res)
    result.sectors = sector_table(m, res)
    result.markets = market_table(m, res)
    result.totals = yearly_totals(m, res, result.portfolio)


def run(case: Case, scenario: str | None = None, time_limit: float | None = None,
        mip_gap: float | None = None, explain: bool = True, ranging: bool = True,
        backcast: bool = False) -> RunResult:
    """Build, solve and extract the result tables of a (scenario-applied) case.

    ``explain``: when the scenario is infeasible, find the smallest relaxation of its
    quotas that makes it feasible and an IIS (``result.infeasibility``).
    ``ranging``: sensitivity ranges of the fixed-portfolio LP in the quota and portfolio
    tables (see ioopt.results).
    ``backcast``: when the case has history (history.csv), also run the backcast
    (``result.backcast``: the model with the decisions actually taken, against history).
    """
    t0 = time.perf_counter()
    model = build(case)
    t1 = time.perf_counter()
    res = solve(model, case, time_limit=time_limit, mip_gap=mip_gap, ranging=ranging)
    t2 = time.perf_counter()
    result = RunResult(case=case, solve=res, model=model, scenario=scenario)
    if res.status.has_solution:
        extract_tables(result)
    elif explain and res.status == SolveStatus.INFEASIBLE:
        result.infeasibility = explain_infeasibility(case, time_limit)
    t3 = time.perf_counter()
    result.timings = {"build": t1 - t0, **res.timings, "solve_total": t2 - t1,
                      "extract": t3 - t2}
    if backcast and not case.history.empty:
        from ioopt.analyses.backcast import backcast as run_backcast

        result.backcast = run_backcast(case, time_limit=time_limit)
        result.timings["backcast"] = time.perf_counter() - t3
    return result


# ------------------------------------------------------------------ one function per command
