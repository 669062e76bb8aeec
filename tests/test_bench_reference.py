"""The benchmark's reference builds (bench/reference.py: numpy/scipy -> highspy; bench/
linopy_ref.py: linopy) solve the same model as ioopt: same matrix, objective, quota duals
and production, on seeded synthetic cases. Two independent builds of the model are
compared, so a change to either side's formulation makes these fail.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bench import reference as R
from ioopt import api
from ioopt.solver.compile import compile_model, lp_matrix
from ioopt.synthetic import write_synthetic_case

GAP = 1e-9
CNY_PER_RAW_DUAL = {  # 亿元 per model unit -> CNY per base unit (ioopt's shadow_price unit)
    "energy_total": 1e8 / 1e4,  # per 万 tce -> CNY/tce
    "water_total": 1e8 / 1e4,   # per 万 m3 -> CNY/m3
    "land": 1e8,                # per mu -> CNY/mu
    "capital_total": 1.0,       # per 亿元 -> CNY/CNY
}


@pytest.fixture(scope="module")
def case_dir(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("synthetic")

    @cache
    def make(n: int, seed: int) -> Path:
        return write_synthetic_case(root / f"n{n}_s{seed}", n, seed=seed)

    return make


@pytest.fixture(scope="module")
def ioopt_run(case_dir):
    """ioopt's run of a case, once per (n, seed, relax), with a tight MIP gap.

    ``relax``: the LP relaxation (``api.relaxed``: ``solver.relax_integers``).
    """

    @cache
    def run(n: int, seed: int, relax: bool = False) -> api.RunResult:
        case = api.load_case(case_dir(n, seed))
        if not relax:
            return api.run(case, mip_gap=GAP, explain=False, ranging=False)
        return api.run(api.relaxed(case), explain=False, ranging=False)

    return run


def _check_same_run(ref: R.RefResult, io: api.RunResult, per_project: bool = True) -> None:
    """Objective, quota rows (limit, use, shadow price), production: the same.

    ``per_project``: also each project's production, selection and the quota use of rows
    that do not bind (False for a build that may land on another optimal plan).
    """
    assert ref.status == io.status.value == "optimal"
    assert ref.objective == pytest.approx(io.solve.objective, rel=1e-6)
    q, rq = io.quotas, ref.quotas
    assert list(zip(q["name"], q["year"].astype(object), q["park"], strict=True)) == list(
        zip(rq["name"], rq["year"].astype(object), rq["park"], strict=True))
    np.testing.assert_allclose(rq["limit"], q["limit"], rtol=1e-12)
    # alternative optimal plans may use different amounts of a quota that does not bind
    use = np.ones(len(q), dtype=bool) if per_project else q["binding"].to_numpy(dtype=bool)
    np.testing.assert_allclose(rq["used"][use], q["used"][use], rtol=1e-6, atol=1e-6)
    # raw HiGHS duals converted here, independently of either side's own conversion
    for fam, k in CNY_PER_RAW_DUAL.items():
        sel = (q["name"] == fam).to_numpy()
        assert sel.any(), fam
        np.testing.assert_allclose(ref.quota_duals[sel] * k, q.loc[sel, "shadow_price"],
                                   rtol=1e-6, atol=1e-6, err_msg=fam)
    s, rs = io.sectors, ref.sectors
    assert list(zip(s["sector"], s["year"], strict=True)) == list(zip(rs["sector"], rs["year"], strict=True))
    np.testing.assert_allclose(rs["production_10k"], s["production_10k"], rtol=1e-6, atol=1e-6)
    if per_project:
        pf, rp = io.portfolio, ref.portfolio
        assert list(pf["project"]) == list(rp["project"])
        for t in io.case.years:
            col = f"production_10k_{t}"
            np.testing.assert_allclose(rp[col], pf[col], rtol=1e-6, atol=1e-6, err_msg=col)
        assert list(pf["selected"]) == list(rp["selected"])
        assert (pf["online_year"].fillna(-1) == rp["online_year"].fillna(-1)).all()
        np.testing.assert_allclose(rs["imports_10k"], s["imports_10k"], rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(rs["exports_10k"], s["exports_10k"], rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(("n", "seed"), [(60, 1), (300, 5)])
def test_reference_builds_ioopts_matrix(case_dir, n, seed):
    """Row by row and column by column (matched by name): the same LP, bit for bit."""
    d = case_dir(n, seed)
    comp = compile_model(api.build(api.load_case(d)).pyomo)
    ref = R.build(R.prepare(R.load(d)))
    rows = [comp.row_name(i) for i in range(comp.n_rows)]
    cols = [comp.col_name(i) for i in range(comp.n_cols)]
    ref_rows, ref_cols = ref.row_names(), ref.col_names()
    assert sorted(rows) == sorted(ref_rows)
    assert sorted(cols) == sorted(ref_cols)
    r_of = {name: i for i, name in enumerate(ref_rows)}
    c_of = {name: i for i, name in enumerate(ref_cols)}
    rp = np.array([r_of[name] for name in rows])
    cp = np.array([c_of[name] for name in cols])
    A, B = lp_matrix(comp.lp), lp_matrix(ref.lp)[rp][:, cp]
    assert A.nnz == B.nnz
    assert abs(A - B).max() <= 1e-12 * abs(A).max()
    for attr, perm in (("col_cost_", cp), ("col_lower_", cp), ("col_upper_", cp),
                       ("row_lower_", rp), ("row_upper_", rp)):
        np.testing.assert_array_equal(np.asarray(getattr(ref.lp, attr))[perm],
                                      np.asarray(getattr(comp.lp, attr)), err_msg=attr)
    np.testing.assert_array_equal(np.sort(cp[comp.integer_cols]), ref.integer_cols)
    assert R.reference_run(d, relax=True).size == {"rows": len(rows), "cols": len(cols), "nnz": A.nnz}


@pytest.mark.parametrize(("n", "seed"), [(60, 1), (60, 2), (300, 1)])
def test_reference_milp_matches_ioopt(case_dir, ioopt_run, n, seed):
    ref = R.reference_run(case_dir(n, seed), mip_gap=GAP)
    _check_same_run(ref, ioopt_run(n, seed))
    assert set(ref.timings) == {"load", "build", "solve", "extract", "highs"}


@pytest.mark.parametrize(("n", "seed"), [(60, 1), (300, 1), (300, 5)])
def test_reference_lp_relaxation_matches_ioopt(case_dir, ioopt_run, n, seed):
    ref = R.reference_run(case_dir(n, seed), relax=True)
    io = ioopt_run(n, seed, relax=True)
    _check_same_run(ref, io)
    # the relaxation prices land (the MILP's fixed-portfolio LP cannot): a real check
    assert (io.quotas.loc[io.quotas["name"] == "land", "shadow_price"] > 0).any()
    if n == 60:  # a relaxation bounds the MILP (the N=300 MILPs take seconds)
        assert ref.objective >= ioopt_run(n, seed).solve.objective - 1e-6


def test_reference_infeasible_like_ioopt(case_dir):
    """Seed 7 at N=60: committed land exceeds a park's quota; both say infeasible."""
    d = case_dir(60, 7)
    io = api.run(api.load_case(d), explain=False)
    ref = R.reference_run(d)
    assert io.status.value == ref.status == "infeasible"
    assert ref.objective is None and ref.portfolio.empty


def test_reference_refuses_what_it_does_not_build(case_dir, tmp_path):
    d = case_dir(60, 1)
    for f in d.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    q = pd.read_csv(tmp_path / "quotas.csv")
    extra = pd.DataFrame([{"family": "energy_intensity", "year": None, "park": None,
                           "limit": 1.0, "unit": "tce/10k CNY", "source": "test"}])
    pd.concat([q, extra]).to_csv(tmp_path / "quotas.csv", index=False)
    with pytest.raises(NotImplementedError, match="energy_intensity"):
        R.reference_run(tmp_path)


# ---------------------------------------------------------------------------- linopy


@pytest.mark.parametrize(("n", "seed", "relax"), [(60, 1, False), (60, 2, False), (300, 5, True)])
def test_linopy_matches_ioopt(case_dir, ioopt_run, n, seed, relax):
    pytest.importorskip("linopy", reason="linopy is not installed (a benchmark peer only)")
    from bench.linopy_ref import linopy_run

    lin = linopy_run(case_dir(n, seed), relax=relax, mip_gap=GAP)
    io = ioopt_run(n, seed, relax=relax)
    # linopy re-solves the fixed-portfolio LP from scratch: among alternative optimal
    # plans it may pick another one, so projects are compared through sector totals
    _check_same_run(lin, io, per_project=False)
    assert lin.size["rows"] == io.solve.compiled.n_rows
    assert lin.size["cols"] == io.solve.compiled.n_cols

