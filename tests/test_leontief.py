"""The input-output view: textbook values, hand-worked chain, clear errors."""

from __future__ import annotations

import shutil
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner

from ioopt import api, iomath
from ioopt.analyses.io_view import io_view, leontief, output_multipliers, rasmussen, total_intensity
from ioopt.cli import main
from ioopt.errors import InputError
from tests.conftest import EXAMPLE, REF

# Miller & Blair (2009), section 2.3: Z = [[150, 500], [200, 100]], x = [1000, 2000]
MB_A = iomath.calc_A(np.array([[150.0, 500.0], [200.0, 100.0]]), np.array([1000.0, 2000.0]))


def test_miller_blair_multipliers_and_linkages():
    L = leontief(MB_A)
    np.testing.assert_allclose(L, [[1.2541, 0.3300], [0.2640, 1.1221]], atol=5e-5)
    # output multipliers = column sums of L: 1.2541 + .2640, .3300 + 1.1221
    np.testing.assert_allclose(output_multipliers(L), [1.518, 1.452], atol=5e-4)
    # Rasmussen: mean column sum (1.5181 + 1.4521) / 2 = 1.4851; backward = col sums / 1.4851,
    # forward = row sums (1.5841, 1.3861) / 1.4851
    back, fwd = rasmussen(L)
    np.testing.assert_allclose(back, [1.022, 0.978], atol=5e-4)
    np.testing.assert_allclose(fwd, [1.067, 0.933], atol=5e-4)
    # in a closed monetary table value added per unit is 1 - column sums of A = (.65, .70),
    # and total value added per unit of final demand is exactly 1
    v = 1.0 - MB_A.sum(axis=0)
    np.testing.assert_allclose(total_intensity(v, L), [1.0, 1.0], atol=1e-12)


def test_non_productive_matrix_is_a_clear_error():
    with pytest.raises(ValueError, match=r"spectral radius 1\.095 \(must be < 1\) in the cycle of "
                                         r"inputs through coal, power"):  # iomath's wording
        leontief(np.array([[0.0, 2.0], [0.6, 0.0]]), ["coal", "power"])
    with pytest.raises(ValueError, match=r"spectral radius 1\.095 .* through 0, 1"):
        leontief(np.array([[0.0, 2.0], [0.6, 0.0]]))
    with pytest.raises(ValueError, match="square"):
        leontief(np.zeros((2, 3)))


def test_hand_worked_chain_ref2():
    # ore (brought in) -> metal (2 t/t, smelter 1 tce/t) -> goods (0.5 t/t, 0.1 tce/t)
    view = io_view(api.load_case(REF / "ref2_chain"))
    s = view.sectors.set_index("sector")
    assert s.at["metal", "energy_tce_total_per_unit"] == pytest.approx(1.0)  # ore is a leakage
    assert s.at["goods", "energy_tce_total_per_unit"] == pytest.approx(0.1 + 0.5 * 1.0)
    # money: metal per CNY of goods = 0.5 x 1000 / 3000 = 1/6
    assert s.at["goods", "output_multiplier"] == pytest.approx(1 + 1 / 6)
    assert s.at["goods", "va_total"] == pytest.approx(0.25 + 0.2 / 6)
    p = view.projects.set_index("project")
    assert p.at["goods_a", "energy_tce_embodied_per_unit"] == pytest.approx(0.6)
    assert p.at["goods_a", "energy_tce_embodied_10k_per_year"] == pytest.approx(0.6 * 30)


def test_tongliao_view_is_sound():
    view = io_view(api.load_case(None))
    s = view.sectors.set_index("sector")
    # va_type1 is undefined (NaN) for brought-in sectors with no value added of their own
    assert np.isfinite(s.select_dtypes("number").drop(columns="va_type1")).all().all()
    assert (s["output_multiplier"] >= 1 - 1e-12).all()
    # primary aluminium's energy is mostly upstream: the power it uses
    assert s.at["al_primary", "energy_tce_total_per_unit"] > 10 * s.at["al_primary", "energy_tce_direct_per_unit"]
    p = view.projects
    for k in ("energy_tce", "co2_t", "water_m3"):
        assert (p[f"{k}_embodied_per_unit"] >= p[f"{k}_direct_per_unit"] - 1e-12).all()


def test_io_view_imports_no_formulation():
    code = ("import sys, ioopt.analyses.io_view; print(sorted(m for m in sys.modules "
            "if m.startswith(('ioopt.formulation', 'pyomo'))))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "[]"


def test_cli_io_writes_tables(tmp_path):
    r = CliRunner().invoke(main, ["io", "--case", str(EXAMPLE), "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    for f in ("io_A.csv", "io_L.csv", "io_A_money.csv", "io_L_money.csv", "io_sectors.csv",
              "io_projects.csv"):
        assert (tmp_path / f).exists(), f
    assert "key sectors" in r.output


def test_cli_io_on_a_self_feeding_chain_exits_2(tmp_path):
    case = tmp_path / "case"
    shutil.copytree(EXAMPLE, case)
    with (case / "coefficients.csv").open("a", encoding="utf-8") as f:
        f.write("al_foil,primary_al,1.5,test loop\nprimary_al,al_foil,1.0,test loop\n")
    with pytest.raises(InputError):
        api.load_case(case)
    r = CliRunner().invoke(main, ["io", "--case", str(case), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2
    assert "coefficients.csv" in r.output
