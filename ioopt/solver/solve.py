"""Solve a built model: compile it, solve it on a fresh session, load the values."""

from __future__ import annotations

import time
import warnings

import numpy as np

from ioopt.errors import NumericRange
from ioopt.formulation import Built
from ioopt.solver.compile import Compiled, compile_model
from ioopt.solver.highs import HighsSession, SolveResult, infeasible_result
from ioopt.solver.numerics import range_warnings
from ioopt.solver.status import SolveStatus

__all__ = ["Compiled", "HighsSession", "SolveResult", "SolveStatus", "compile_model",
           "load_values", "solve_built"]


def solve_built(built: Built, time_limit: float | None = None, mip_gap: float | None = None,
                threads: int | None = None, log_file: str | None = None,
                ranging: bool = False) -> SolveResult:
    """Compile and solve a built model on a fresh session; on success the solution is also
    loaded into the Pyomo variables.
    """
    if built.infeasible:
        return infeasible_result("; ".join(built.infeasible))
    t0 = time.perf_counter()
    comp = compile_model(built.pyomo)
    numerics = range_warnings(comp)
    for sentence in numerics:
        warnings.warn(NumericRange(sentence), stacklevel=2)
    t1 = time.perf_counter()
    session = HighsSession(comp, time_limit, mip_gap, threads, log_file)
    res = session.solve(ranging=ranging)
    res.timings = {"compile": t1 - t0, **res.timings}
    res.numerics = numerics
    if res.col_value is not None:
        load_values(built, comp, res.col_value)
    return res


def load_values(built: Built, comp: Compiled, x: np.ndarray) -> None:
    """Set the Pyomo variables to a solution (by the compiled model's index tables)."""
    m = built.pyomo
    vals = x.tolist()
    for name, table in comp.cols.items():
        var = m.component(name)
        for k, c in table.items():
            var[k].set_value(vals[c], skip_validation=True)
