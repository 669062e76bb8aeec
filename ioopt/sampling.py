"""Seeded random scenarios from the uncertainty ranges declared in ``case.yaml``.

``uncertainty`` (in the case or, through ``case:``, in a scenario) lists perturbations::

    uncertainty:
      - {table: sectors, field: price_cny, rel: 0.15}                       # each price +-15 %
      - {table: quotas, field: limit, where: {family: energy_total}, rel: 0.1, joint: true}
      - {table: coefficients, field: coef, where: {input_sector: elec}, rel: 0.05}

Sample ``i`` of seed ``s`` is fully determined by ``(s, i)``: the generator is
``numpy.random.default_rng([s, i])``, so samples can be drawn in any order, on any
worker, and a run can be resumed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ioopt.case import Case, derive_tables
from ioopt.checks import check_uncertainty, select_rows
from ioopt.errors import InputError, Problem
from ioopt.schemas import TABLES, Perturbation


def require_uncertainty(case: Case) -> None:
    """Raise InputError unless the case declares valid ranges to sample from."""
    if not case.config.uncertainty:
        raise InputError([Problem("case.yaml", None, "uncertainty", None,
                                  "ranges to sample from (a non-empty 'uncertainty' list in "
                                  "case.yaml or in the scenario's 'case:' section)")])
    problems = check_uncertainty(case)
    if problems:
        raise InputError(problems)


def sample_case(case: Case, seed: int, index: int) -> Case:
    """Sample ``index`` of ``seed``: the case with every declared perturbation drawn."""
    require_uncertainty(case)
    rng = np.random.default_rng([seed, index])
    tables: dict[str, pd.DataFrame] = {k: getattr(case, k).copy() for k in TABLES}
    for pt in case.config.uncertainty:
        frame = tables[pt.table]
        sel = select_rows(frame, pt.where)
        n = 1 if pt.joint else int(sel.sum())
        mult = _draw(rng, pt, n)
        values = pd.to_numeric(frame.loc[sel, pt.field]).astype(float)
        frame.loc[sel, pt.field] = values * (mult[0] if pt.joint else mult)
    applied = [*case.applied, f"sample {index} of seed {seed}"]
    return case.replace(applied=applied, **derive_tables(tables))


def _draw(rng: np.random.Generator, pt: Perturbation, n: int) -> np.ndarray:
    lo, hi = 1.0 - pt.rel, 1.0 + pt.rel
    if pt.dist == "uniform":
        return rng.uniform(lo, hi, n)
    if pt.dist == "triangular":
        return rng.triangular(lo, 1.0, hi, n)
    return np.clip(rng.normal(1.0, pt.rel / 2.0, n), lo, hi)
