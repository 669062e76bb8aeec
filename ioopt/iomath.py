"""Input-output arithmetic: stateless functions named after the textbook symbols.

Notation follows Miller & Blair, *Input-Output Analysis* (2nd ed., 2009): ``Z`` the
inter-industry flows, ``x`` total output, ``A = Z diag(x)^-1`` the technical
coefficients, ``L = (I - A)^-1`` the Leontief inverse.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def calc_A_from_long(coefficients: pd.DataFrame, sectors: list[str]) -> pd.DataFrame:
    """Technical-coefficient matrix A (inputs in rows, outputs in columns) from a long table.

    ``coefficients`` has columns ``input_sector``, ``output_sector``, ``coef`` (units of
    input per unit of output). Sectors without coefficients get zero columns.
    """
    A = pd.DataFrame(0.0, index=pd.Index(sectors, name="input"),
                     columns=pd.Index(sectors, name="output"))
    if len(coefficients):
        wide = coefficients.pivot_table(index="input_sector", columns="output_sector",
                                        values="coef", aggfunc="sum")
        A.loc[wide.index, wide.columns] = wide.fillna(0.0).to_numpy()
    return A


def calc_A(Z: np.ndarray, x: np.ndarray) -> np.ndarray:
    """A = Z diag(x)^-1; columns with zero output are zero."""
    x = np.asarray(x, dtype=float)
    inv = np.divide(1.0, x, out=np.zeros_like(x), where=x != 0)
    return np.asarray(Z, dtype=float) * inv[np.newaxis, :]


def calc_L(A: np.ndarray) -> np.ndarray:
    """Leontief inverse L = (I - A)^-1."""
    A = np.asarray(A, dtype=float)
    return np.linalg.inv(np.eye(A.shape[0]) - A)


def spectral_radius(A: np.ndarray) -> float:
    """Largest absolute eigenvalue of A; the local chain can balance only if it is < 1."""
    A = np.asarray(A, dtype=float)
    if A.size == 0:
        return 0.0
    return float(np.max(np.abs(np.linalg.eigvals(A))))
