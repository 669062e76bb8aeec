"""In-place what-if edits are edits of the one model: after every change the Pyomo model,
compiled afresh, is the model the HiGHS session holds, entry by entry; and a rebuilt case
compiles to the same arrays."""

from __future__ import annotations

import numpy as np
import pytest

from ioopt import api
from ioopt.analyses.whatif import WhatIf
from ioopt.scenario import QuotaChange, Scenario, apply_overrides
from ioopt.solver.compile import compile_model, lp_matrix
from tests.conftest import EXAMPLE

CHANGES = [
    QuotaChange(family="energy_total", scale=0.8),
    QuotaChange(family="energy_intensity", set=2.5),
    QuotaChange(family="carbon_total", scale=0.7),
    QuotaChange(family="green_share", set=0.4),
    QuotaChange(family="land", park="naiman", set=10000),
    QuotaChange(family="capital_total", set=420),
]


def _arrays(comp):
    lp = comp.lp
    return (np.asarray(lp.row_lower_), np.asarray(lp.row_upper_), lp_matrix(lp).toarray())


@pytest.mark.parametrize("relax", [False, True], ids=["milp", "lp"])
def test_in_place_edits_reach_the_pyomo_model(relax):
    case = api.load_case(EXAMPLE)
    if relax:
        case = api.relaxed(case)
    wi = WhatIf(case)
    cumulative = case
    for i, change in enumerate(CHANGES):
        cumulative = apply_overrides(cumulative, Scenario(name=f"s{i}", quotas=[change]), "t")
        r = wi.run(cumulative, explain=False)
        assert wi.fast_runs == i + 1
        s = wi.session
        lo, up, A = _arrays(compile_model(wi.model.pyomo))
        np.testing.assert_allclose(lo, s.row_lower, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(up, s.row_upper, rtol=1e-12, atol=1e-12)
        held = lp_matrix(s.comp.lp).copy()
        held.data = s.values.copy()
        np.testing.assert_allclose(A, held.toarray(), rtol=1e-12, atol=1e-12)
        # and a model rebuilt from the changed case is that same model
        lo2, up2, A2 = _arrays(compile_model(api.build(cumulative).pyomo))
        np.testing.assert_allclose(lo2, lo, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(up2, up, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(A2, A, rtol=1e-9, atol=1e-9)
        assert r.ok
    # the quota records hold the limits the model now states
    q = {(r.family, r.index): r.limit for r in wi.model.quota_rows}
    assert q[("capital_total", "total")] == pytest.approx(420.0)
