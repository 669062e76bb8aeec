"""The quotas table: every quota and rule row's limit, use, slack, shadow price, basis and
verdict, in the quota's own unit (the conventions are those of :mod:`ioopt.results`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ioopt import units, words
from ioopt.conclusions import verdict
from ioopt.families import FAMILIES
from ioopt.formulation import Built
from ioopt.formulation.rows import QuotaRow
from ioopt.results import money_scale
from ioopt.solution import comp_of, csr, quota_use, row_dual
from ioopt.solver.highs import SolveResult


def quota_table(built: Built, res: SolveResult) -> pd.DataFrame:
    """Every quota-family row: limit, used, slack, binding, shadow price with its unit."""
    d = built.data
    scale = money_scale(built)
    sp_unit_num = "CNY" if d.money_objective else "jobs"
    recs = []
    for q in built.quota_rows:
        recs.append(_quota_record(q, res, d, scale, sp_unit_num))
    cols = ["name", "year", "park", "scope", "sense", "limit", "used", "slack", "binding",
            "shadow_price", "unit", "shadow_price_unit", "price_note", "mode", "violation",
            "fixed_use", "limit_lo_same_price", "limit_hi_same_price", "basis", "verdict",
            "description"]
    out = pd.DataFrame.from_records(recs, columns=cols)
    out["year"] = pd.array(out["year"], dtype="Int64")
    return out


def _quota_record(q: QuotaRow, res: SolveResult, d: Any, scale: float,
                  sp_num: str) -> dict[str, Any]:
    spec = FAMILIES[q.family]
    dim = units.DIMENSIONS[spec.dimension]
    used_abs, per, violation = quota_use(q, res)
    if q.is_ratio:
        used = used_abs / per if per > 1e-12 else 0.0
        room = q.limit * per - used_abs  # in numerator units
        slack = room if spec.sense == "<=" else -room
        tight = abs(slack) <= 1e-6 * max(1.0, abs(q.limit * per))
    else:
        used = used_abs
        slack = q.limit - used if spec.sense == "<=" else used - q.limit
        tight = abs(slack) <= 1e-6 * max(1.0, abs(q.limit))
    unit = dim.model_unit
    base = dim.base_unit
    if spec.dimension == "quantity":
        su = _scope_unit(d, q.scope)
        unit, base = f"10k {su}", su
    has_price = res.row_dual is not None
    dual = row_dual(res, q.family, q.index)
    lo = hi = float("nan")
    rg = res.ranging
    r = res.compiled.row(q.family, q.index) if res.compiled is not None else None
    if rg is not None and not q.is_ratio and r is not None:
        # the row's bound is limit - fixed use: shift the range back to the limit
        lo, hi = float(rg.row_lo[r]) + q.const, float(rg.row_hi[r]) + q.const
    note = ""
    if q.is_indicator:  # reported against its limit, not a constraint: no price, never binding
        note, tight, has_price = INDICATOR_NOTE, False, False
    elif tight and violation <= 1e-9 and abs(dual) <= 1e-12 and has_price:
        if r is None:
            note = FIXED_NOTE
        elif _integer_only(res, r):
            note = INTEGER_ONLY_NOTE
    return {
        "name": q.family,
        "year": q.year,
        "park": q.park,
        "scope": q.scope,
        "sense": spec.sense,
        "limit": q.limit,
        "used": used,
        "slack": slack,
        # binding: the use is at the limit (a soft row's violation is its own column)
        "binding": bool(tight),
        "shadow_price": dual * scale / dim.base_per_model if has_price else float("nan"),
        "unit": unit,
        "shadow_price_unit": f"{sp_num}/{base}",
        "price_note": note,
        "mode": q.mode.value,
        "violation": violation,
        "fixed_use": q.const if not q.is_ratio else float("nan"),
        "limit_lo_same_price": lo,
        "limit_hi_same_price": hi,
        "basis": q.basis.value,
        "verdict": verdict(spec.sense, q.limit, used),
        "description": spec.description,
    }


FIXED_NOTE = words.t("note.fixed")
INDICATOR_NOTE = words.t("indicator.note")
INTEGER_ONLY_NOTE = words.t("note.integer_only")
"""The notes beside a missing price, stored in English (:func:`ioopt.words.note` reads
them in either language)."""


def _integer_only(res: SolveResult, r: int) -> bool:
    """True when a row's variables are all integer (its fixed-integer LP dual is 0)."""
    comp = comp_of(res)
    A = csr(comp)
    ints = comp.cache.get("is_int")
    if ints is None:
        ints = comp.cache["is_int"] = np.isin(np.arange(comp.n_cols), comp.integer_cols)
    cols = A.indices[A.indptr[r]:A.indptr[r + 1]]
    return bool(len(cols)) and bool(ints[cols].all())


def _scope_unit(d: Any, scope: str | None) -> str:
    s = d.case.sectors
    if scope in s.index:
        return str(s.at[scope, "unit"])
    chain_units = set(s.loc[s["chain"] == scope, "unit"])
    return chain_units.pop() if len(chain_units) == 1 else "units"
