"""ioopt's compiler reads the Pyomo model's bodies directly; it must give the model Pyomo's
own LinearStandardFormCompiler makes of the Pyomo model, entry by entry (same columns and
rows in the same order, same coefficients, bounds, costs, integrality), and its index
tables must name each row and column as Pyomo does.
"""

from __future__ import annotations

from pathlib import Path

import highspy
import numpy as np
import pyomo.environ as pyo
import pytest
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from ioopt import api
from ioopt.case import DEFAULT_CASE
from ioopt.formulation import build_model
from ioopt.solver.compile import INF, compile_model, lp_matrix
from ioopt.synthetic import write_synthetic_case
from tests.conftest import EXAMPLE, REF


def pyomo_compile(m: pyo.ConcreteModel) -> dict:
    """The model as Pyomo's compiler sees it: rows (one per constraint), columns, arrays."""
    info = LinearStandardFormCompiler().write(m, mixed_form=True, set_sense=None)
    A = info.A.tocsr()
    lower, upper, cons = [], [], []
    for i, (con, sense) in enumerate(info.rows):
        assert not cons or cons[-1] is not con, "a ranged row: not written by ioopt"
        cons.append(con)
        rhs = float(info.rhs[i])
        lower.append(rhs if sense in (0, -1) else -INF)
        upper.append(rhs if sense in (0, 1) else INF)
    c = info.c.toarray().ravel()
    obj = info.objectives[0]
    return {"A": A, "lower": np.array(lower), "upper": np.array(upper), "rows": cons,
            "columns": list(info.columns), "c": c, "sense": obj.sense}


def _cases(tmp: Path) -> list:
    return [api.load_case(EXAMPLE), api.load_case(REF / "ref1_energy"),
            api.load_case(REF / "ref2_chain"), api.load_case(DEFAULT_CASE),
            api.load_case(write_synthetic_case(tmp / "syn", 300, seed=3))]


@pytest.mark.parametrize("elastic", [False, True], ids=["model", "elastic"])
def test_compiled_model_is_pyomos(tmp_path: Path, elastic: bool) -> None:
    for case in _cases(tmp_path):
        built = build_model(case, elastic=elastic)
        m = built.pyomo
        if elastic:  # the elastic model is solved with explain's objective
            from ioopt.formulation.rows import set_objective
            slacks = [(1.0, m.component(f"slack_{q.family}")[q.index])
                      for q in built.quota_rows if q.has_slack]
            set_objective(m, "elastic_objective", slacks, pyo.minimize)
        ours = compile_model(m)
        ref = pyomo_compile(m)
        assert [ours.col_name(i) for i in range(ours.n_cols)] == [
            v.name for v in ref["columns"]], case.config.name
        assert [ours.row_name(i) for i in range(ours.n_rows)] == [
            r.name for r in ref["rows"]], case.config.name
        A = lp_matrix(ours.lp).tocsr()
        assert A.shape == ref["A"].shape
        assert (ref["A"] != A).nnz == 0, case.config.name
        np.testing.assert_array_equal(np.asarray(ours.lp.col_cost_), ref["c"])
        np.testing.assert_array_equal(np.asarray(ours.lp.row_lower_), ref["lower"])
        np.testing.assert_array_equal(np.asarray(ours.lp.row_upper_), ref["upper"])
        assert (ours.lp.sense_ == highspy.ObjSense.kMaximize) == (ref["sense"] == pyo.maximize)
        ints = [i for i, v in enumerate(ref["columns"]) if v.is_binary() or v.is_integer()]
        assert ours.integer_cols.tolist() == ints


def test_relaxed_case_has_no_integers() -> None:
    built = build_model(api.relaxed(api.load_case(EXAMPLE)))
    comp = compile_model(built.pyomo)
    assert comp.relaxed and len(comp.integer_cols) == 0
    assert len(comp.lp.integrality_) == 0
    # the relaxation is a transformation of the Pyomo model: its builds are continuous too
    assert len(built.pyomo.build) and not any(v.is_integer() for v in built.pyomo.build.values())


def test_expressions_compile_to_their_values() -> None:
    """The named totals evaluate, through the index tables, to the Pyomo expressions'
    values at the solution loaded into the model."""
    r = api.run(api.load_case(EXAMPLE))
    m = r.model.pyomo
    comp = r.solve.compiled
    E = comp.expr_matrix
    vals = E @ r.solve.col_value + comp.expr_const
    for name in ("energy_use", "co2_emitted", "water_use", "value_added"):
        for k, e in comp.exprs[name].items():
            assert vals[e] == pytest.approx(pyo.value(m.component(name)[k]), rel=1e-9, abs=1e-9)
