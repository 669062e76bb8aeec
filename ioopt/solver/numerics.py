"""The numerics check of a compiled model: coefficients, costs and bounds outside the
ranges HiGHS handles well, named by row and column (a warning, not an error).

HiGHS (like every simplex code) is most reliable when the nonzero matrix entries and
costs lie within a few orders of magnitude of 1 and finite bounds stay well below its
infinity (1e20); ioopt's units (10k units, 亿元, 10k tce) keep the cases inside these
limits, so an entry outside them is most often a unit slip in the data (kWh for MWh, CNY
for 亿元). Values of 1e15 or more are refused earlier, at loading.
"""

from __future__ import annotations

import numpy as np

from ioopt.solver.compile import Compiled

MATRIX_RANGE = (1e-7, 1e7)
"""Nonzero |matrix entry| expected within this range."""
COST_RANGE = (1e-7, 1e7)
"""Nonzero |objective cost| expected within this range."""
BOUND_MAX = 1e9
"""|finite bound| (column bounds, row sides) expected below this."""
SHOWN = 5
"""Entries named per kind; the rest are counted."""


def range_warnings(comp: Compiled) -> list[str]:
    """One sentence per kind of number outside its range (matrix entries, costs, column
    bounds, row sides), naming the first SHOWN rows/columns; empty when all are inside.
    """
    lp = comp.lp
    out = []
    a = lp.a_matrix_  # column-wise: the entries are scanned as they are, no matrix built
    data = np.asarray(a.value_, dtype=float)
    v = np.abs(data)
    bad = np.flatnonzero((v > 0) & ((v < MATRIX_RANGE[0]) | (v > MATRIX_RANGE[1])))
    if len(bad):
        rows = np.asarray(a.index_)[bad[:SHOWN]]
        cols = np.searchsorted(np.asarray(a.start_), bad[:SHOWN], side="right") - 1
        out.append(_sentence("matrix entries", bad, MATRIX_RANGE,
                             [f"{comp.row_name(int(r))} x {comp.col_name(int(c))} = {data[k]:.3g}"
                              for r, c, k in zip(rows, cols, bad[:SHOWN], strict=True)]))
    cost = np.asarray(lp.col_cost_, dtype=float)
    c = np.abs(cost)
    bad = np.flatnonzero((c > 0) & ((c < COST_RANGE[0]) | (c > COST_RANGE[1])))
    if len(bad):
        out.append(_sentence("objective costs", bad, COST_RANGE,
                             [f"{comp.col_name(int(k))} = {cost[k]:.3g}" for k in bad[:SHOWN]]))
    for what, values, name in (("column bounds", (lp.col_lower_, lp.col_upper_), comp.col_name),
                               ("row limits", (lp.row_lower_, lp.row_upper_), comp.row_name)):
        both = np.concatenate([np.asarray(x, dtype=float) for x in values])
        n = len(both) // 2
        b = np.abs(both)
        bad = np.flatnonzero(np.isfinite(b) & (b < 1e20) & (b > BOUND_MAX))
        if len(bad):
            out.append(_sentence(what, bad, (None, BOUND_MAX),
                                 [f"{name(int(k % n))} = {both[k]:.3g}" for k in bad[:SHOWN]]))
    return out


def _sentence(what: str, bad: np.ndarray, bounds: tuple[float | None, float],
              named: list[str]) -> str:
    lo, hi = bounds
    rng = f"|value| <= {hi:g}" if lo is None else f"{lo:g} <= |value| <= {hi:g}"
    more = f" and {len(bad) - len(named)} more" if len(bad) > len(named) else ""
    return (f"numerics: {len(bad)} {what} outside {rng} (HiGHS is reliable within it; "
            f"check the units of the data behind them): {'; '.join(named)}{more}")
