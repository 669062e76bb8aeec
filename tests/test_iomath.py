import numpy as np
import pandas as pd
import pytest

from ioopt import iomath


def test_miller_blair_two_sector_example():
    # Miller & Blair (2009), Input-Output Analysis, 2nd ed., section 2.3: Z and x of the
    # two-sector example; A = [[.15, .25], [.20, .05]], L = [[1.2541, .3300], [.2640, 1.1221]]
    Z = np.array([[150.0, 500.0], [200.0, 100.0]])
    x = np.array([1000.0, 2000.0])
    A = iomath.calc_A(Z, x)
    np.testing.assert_allclose(A, [[0.15, 0.25], [0.20, 0.05]])
    np.testing.assert_allclose(iomath.calc_L(A), [[1.2541, 0.3300], [0.2640, 1.1221]],
                               atol=1e-4)


def test_chain_leontief_inverse_by_hand():
    # ref2: ore -> metal (2 t/t) -> goods (0.5 t/t); L = I + A + A^2
    long = pd.DataFrame({"input_sector": ["ore", "metal"], "output_sector": ["metal", "goods"],
                         "coef": [2.0, 0.5]})
    A = iomath.calc_A_from_long(long, ["ore", "metal", "goods"]).to_numpy()
    np.testing.assert_allclose(iomath.calc_L(A), [[1, 2, 1], [0, 1, 0.5], [0, 0, 1]])
    assert iomath.spectral_radius(A) == pytest.approx(0.0)


def test_spectral_radius_of_a_self_feeding_pair():
    A = np.array([[0.0, 2.0], [0.6, 0.0]])  # sqrt(1.2) > 1: can never balance
    assert iomath.spectral_radius(A) == pytest.approx(1.2**0.5)
