"""Robustness of a ranking over sampled scenarios of the case's declared uncertainty.

For each of N seeded samples (:func:`ioopt.sampling.sample_case`) the sample's MILP is
solved, and every project it selects is left out in turn and the MILP re-solved (on one
HiGHS session per sample, started from the sample's optimum): its **loss** in that sample.
A project a sample does not select loses it nothing there (0). Per project:

- ``robustness``: the share of samples selecting it;
- ``loss_mean``: its mean loss over the samples (the expected value of having it);
- ``loss_worst``: its largest loss (the worst case for the region without it);
- ``robust_rank``: the order by ``loss_mean``, largest first (then by share).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ioopt import pipeline
from ioopt.analyses.exact import Base, ExactSession, map_tasks
from ioopt.case import Case
from ioopt.sampling import sample_case
from ioopt.solver.status import SolveStatus


@dataclass
class Robust:
    """Per project: share selecting it, mean and worst loss without it, robust rank."""

    share: dict[str, float] = field(default_factory=dict)
    loss_mean: dict[str, float] = field(default_factory=dict)
    loss_worst: dict[str, float] = field(default_factory=dict)
    rank: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _sample(args: tuple[Case, int, int, float | None, float, list[str]]
            ) -> tuple[int, str, dict[str, float]]:
    """One sample: its status and, per project it selects (of ``projects``), the loss."""
    case, seed, i, time_limit, mip_gap, projects = args
    sc = sample_case(case, seed, i)
    r = pipeline.run(sc, time_limit=time_limit, mip_gap=mip_gap, explain=False)
    if not r.ok or r.solve.objective is None:
        return i, r.status.value, {}
    pf = r.portfolio
    chosen = [j for j in pf.loc[pf["selected"], "project"] if j in set(projects)]
    assert r.solve.compiled is not None and r.solve.col_value is not None
    start = Base(r.solve.objective, r.solve.col_value, r.solve.compiled.cols)
    s = ExactSession(sc, time_limit, mip_gap, base=start)
    loss = {}
    for j in chosen:
        o = s.without(j)
        loss[j] = (start.objective - o.objective if o.status.has_solution
                   else float("inf") if o.status == SolveStatus.INFEASIBLE else float("nan"))
    return i, r.status.value, loss


def robustness(case: Case, projects: list[str], samples: int, seed: int, workers: int,
               time_limit: float | None, mip_gap: float) -> Robust:
    """Solve ``samples`` samples (in parallel over ``workers``) and aggregate per project."""
    res = map_tasks(_sample, [(case, seed, i, time_limit, mip_gap, projects)
                              for i in range(samples)], workers)
    ok = [loss for _, st, loss in res if SolveStatus.parse(st).has_solution]
    out = Robust()
    if len(ok) < samples:
        out.notes.append(f"robustness over {len(ok)} of {samples} samples: the others had no "
                         "solution")
    out.notes.append(f"robustness: {samples} samples of the case's uncertainty ranges, seed "
                     f"{seed}; loss_mean and loss_worst: the MILP re-solved without the project "
                     "in each sample that selects it (0 where a sample does not)")
    n = len(ok)
    for j in projects:
        losses = np.array([loss.get(j, 0.0) for loss in ok], dtype=float)
        out.share[j] = (sum(j in loss for loss in ok) / n) if n else float("nan")
        out.loss_mean[j] = float(losses.mean()) if n else float("nan")
        out.loss_worst[j] = float(losses.max()) if n else float("nan")
    order = sorted(projects, key=lambda j: (-np.nan_to_num(out.loss_mean[j], nan=-np.inf),
                                            -np.nan_to_num(out.share[j], nan=-1.0)))
    out.rank = {j: k for k, j in enumerate(order, start=1)}
    return out
