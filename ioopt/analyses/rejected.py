"""Why each rejected candidate of a solve is out: the ranking's reason sentence
(:mod:`ioopt.analyses.reasons`) from its LP estimate (every other build decision held at
the optimum, the project forced in: an upper bound on what forcing it in costs), for the
rejected candidates only, so that ``ioopt solve`` can say it in a second.

``ioopt solve --out`` writes the table as rejected.csv; the report shows it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ioopt import pipeline
from ioopt.analyses.estimates import USE_COLUMNS, estimates, price_parts, row_infos, use_records
from ioopt.analyses.exact import Base, ExactSession
from ioopt.analyses.reasons import reason

COLUMNS = ["project", "name", "chain", "park", "capex_100m_cny", "force_in_cost_estimate",
           "decisive_constraint", "reason", "reason_zh"]
"""rejected.csv: a rejected candidate, what forcing it in costs at most (亿元, LP
estimate), its decisive constraint and the sentence (in English and Chinese)."""


def rejected_reasons(base: pipeline.RunResult) -> pd.DataFrame:
    """One row per rejected candidate of a solved run (none for a run without a solution
    or without rejected candidates), ordered by the force-in cost, cheapest first.
    """
    if not base.ok or base.solve.objective is None or base.model is None:
        return pd.DataFrame(columns=COLUMNS)
    pf = base.portfolio.set_index("project")
    forced = base.case.projects["force"].dropna().to_dict()
    out = [j for j in pf.index if pf.at[j, "status"] == "candidate"
           and not bool(pf.at[j, "selected"]) and j not in forced]
    if not out:
        return pd.DataFrame(columns=COLUMNS)
    infos = row_infos(base)
    est = estimates(base, infos)
    assert base.solve.compiled is not None and base.solve.col_value is not None
    start = Base(base.solve.objective, base.solve.col_value, base.solve.compiled.cols)
    lp = ExactSession(base.case, None, base.case.config.solver.mip_gap, fixed=True, base=start)
    rows: list[dict[str, Any]] = []
    use_rows: list[dict[str, Any]] = []
    for j in out:
        rec: dict[str, Any] = {
            "project": j, "name": pf.at[j, "name"], "chain": pf.at[j, "chain"],
            "park": pf.at[j, "park"], "status": "candidate", "selected": False,
            "capex_100m_cny": pf.at[j, "capex_100m_cny"],
            "leave_one_out_estimate": np.nan,
            "force_in_cost_estimate": lp.forced(j).fall(lp.base_objective),
        }
        e = est.get(j)
        if e is not None:
            rec.update(price_parts(e, infos))
            use_rows += use_records(j, e, infos, base.quotas, base)
        rows.append(rec)
    use = pd.DataFrame.from_records(use_rows, columns=USE_COLUMNS)
    for rec in rows:
        rec["decisive_constraint"], rec["reason"] = reason(rec, use, base, False, "en")
        rec["reason_zh"] = reason(rec, use, base, False, "zh")[1]
    table = pd.DataFrame.from_records(rows)
    return table.sort_values("force_in_cost_estimate", kind="stable")[COLUMNS].reset_index(
        drop=True)
