"""Why a scenario is infeasible, in the planner's units.

When no portfolio satisfies every hard row, :func:`explain_infeasibility` answers two
questions:

1. **What is the smallest relaxation that makes it feasible?** The model is rebuilt in
   elastic mode (every quota and rule row gets a slack, see ``build_model(elastic=True)``)
   and solved for the smallest total relaxation of the rows that were hard, each slack
   weighted by the inverse of its row's size so that 1 % of the energy quota costs the
   same as 1 % of a park's land. Rows already soft keep their slack free. The answer is
   each relaxed row with how much it must move, in its own unit and year ("2024 energy
   quota short by 41.3 万 tce").
2. **Which constraints conflict?** HiGHS computes an irreducible infeasible subset (IIS)
   of the LP relaxation: a smallest set of rows and bounds that cannot hold together.
   When the LP relaxation is feasible the conflict lies in the yes/no build decisions,
   and no IIS is given (HiGHS's IIS is for LPs).

Structural rows that no slack can fix (a project that must be built twice, ...) are
named as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyomo.environ as pyo

from ioopt import words
from ioopt.case import Case
from ioopt.families import FAMILIES
from ioopt.formulation import build_model
from ioopt.formulation.data import ModelData
from ioopt.formulation.rows import QuotaRow, set_objective
from ioopt.quota_table import quota_table
from ioopt.schemas import Mode
from ioopt.solver.compile import compile_model
from ioopt.solver.highs import HighsSession
from ioopt.solver.solve import solve_built
from ioopt.solver.status import SolveStatus


@dataclass
class Infeasibility:
    """The explanation of an infeasible scenario."""

    relaxations: pd.DataFrame
    """One row per quota or rule row that must move: family, year, park, scope, sense,
    limit, needed, relax_by, unit, sentence."""
    iis: list[str] = field(default_factory=list)
    """Names of the constraints and bounds of an irreducible infeasible subset."""
    iis_note: str = ""
    structural: list[str] = field(default_factory=list)
    """Rows that no quota relaxation can fix."""
    status: str = ""
    """'relaxed' (the relaxations make it feasible) or why no relaxation was found."""

    @property
    def sentences(self) -> list[str]:
        """The relaxations in words, largest relative change first."""
        return list(self.relaxations["sentence"])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for summary.json."""
        return {"status": self.status, "relaxations": self.sentences, "iis": self.iis,
                "iis_note": self.iis_note, "structural": self.structural}

    def write(self, out_dir: str | Path) -> Path:
        """Write infeasibility.csv (the relaxations, then the IIS rows) into out_dir."""
        from ioopt.batch import store

        return store.write_infeasibility(self, out_dir)


def explain_infeasibility(case: Case, time_limit: float | None = None) -> Infeasibility:
    """The smallest quota relaxation that makes the case feasible, and an IIS."""
    limit = time_limit or case.config.solver.time_limit_s
    built = build_model(case, elastic=True)
    m = built.pyomo
    structural = list(built.infeasible)
    terms = []
    for q in built.quota_rows:
        if q.mode == Mode.hard and q.has_slack:
            terms.append((_weight(q, built.data), m.component(f"slack_{q.family}")[q.index]))
    set_objective(m, "elastic_objective", terms, pyo.minimize)
    res = solve_built(built, time_limit=limit, mip_gap=case.config.solver.mip_gap)
    iis, note = _iis(case, limit)
    if not res.status.has_solution:
        return Infeasibility(_empty(), iis, note, structural,
                             status=f"no relaxation of the quotas and rules makes it feasible "
                                    f"({res.message})")
    q = quota_table(built, res)  # one record per quota row, in order
    recs = [_relaxation(rec, case) for rec, qrow in zip(q.itertuples(), built.quota_rows,
                                                        strict=True)
            if qrow.mode == Mode.hard and rec.violation > 1e-7]
    frame = pd.DataFrame.from_records(recs, columns=_COLUMNS)
    if len(frame):
        frame = frame.sort_values("relative", ascending=False, kind="stable").reset_index(drop=True)
    status = "relaxed" if len(frame) or not structural else "structural"
    return Infeasibility(frame, iis, note, structural, status=status)


_COLUMNS = ["family", "year", "park", "scope", "sense", "limit", "needed", "relax_by", "unit",
            "relative", "sentence"]


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=_COLUMNS)


def _weight(q: QuotaRow, d: ModelData) -> float:
    """1 / the row's size, so that relaxations are compared in relative terms."""
    size = abs(q.limit)
    if q.is_ratio:
        size *= _denominator(d, q)
    return 1.0 / max(size, 1e-6)


def _denominator(d: ModelData, q: QuotaRow) -> float:
    """Base-year size of a ratio row's denominator (value added, or a park's electricity)."""
    p = d.projects[d.projects["status"] == "existing"]
    out = p["base_output_10k"].fillna(p["capacity_10k"]).astype(float)
    if q.den is not None and q.den[0] == "elec_use":  # a park's electricity use
        return float((out * p["elec"])[p["park"] == q.park].sum()) or 1.0
    return float((out * p["va"]).sum()) or 1.0


def _relaxation(r: Any, case: Case) -> dict[str, Any]:
    sense = FAMILIES[r.name].sense
    relax = (r.used - r.limit) if sense == "<=" else (r.limit - r.used)
    if not FAMILIES[r.name].ratio:
        relax = r.violation
    needed = r.limit + relax if sense == "<=" else r.limit - relax
    where = []
    if r.park is not None and not pd.isna(r.park):
        parks = dict(zip(case.parks["park"], case.parks["name"], strict=True))
        where.append(str(parks.get(r.park) or r.park))
    if r.scope is not None and not pd.isna(r.scope):
        where.append(str(r.scope))
    year = "" if r.year is None or pd.isna(r.year) else f"{int(r.year)} "
    label = words.family(r.name, "en")
    unit = words.unit(str(r.unit), "en")
    what = f"{year}{label}" + (f" ({', '.join(where)})" if where else "")
    sentence = words.t("explain.short_by" if sense == "<=" else "explain.come_down", "en",
                       what=what, relax=words.num(relax), unit=unit, limit=words.num(r.limit),
                       needed=words.num(needed))
    return {"family": r.name, "year": r.year, "park": r.park, "scope": r.scope, "sense": sense,
            "limit": r.limit, "needed": needed, "relax_by": relax, "unit": r.unit,
            "relative": relax / max(abs(r.limit), 1e-12), "sentence": sentence}


def _iis(case: Case, time_limit: float | None) -> tuple[list[str], str]:
    """An IIS of the LP relaxation of the (non-elastic) model, as constraint names."""
    built = build_model(case)
    if built.infeasible:
        return [], "rows with no decision in them are infeasible (listed as structural)"
    comp = compile_model(built.pyomo)
    session = HighsSession(comp, time_limit=time_limit)
    status, rows, cols = session.iis()
    if status != SolveStatus.INFEASIBLE:
        if status == SolveStatus.ERROR:
            return [], "HiGHS could not compute an irreducible infeasible subset"
        return [], ("the LP relaxation is feasible: the conflict lies in the yes/no build "
                    "decisions (HiGHS gives IIS for LPs only)")
    names = [comp.row_name(r) for r in rows]
    by_var: dict[str, int] = {}
    for c in cols:
        name = comp.col_ref[c][0]
        by_var[name] = by_var.get(name, 0) + 1
    note = "one irreducible infeasible subset of the LP relaxation, from HiGHS"
    if by_var:
        note += "; with the bounds of " + ", ".join(f"{n} {k} variables" for k, n in by_var.items())
    return names, note
