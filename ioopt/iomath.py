"""Input-output arithmetic: stateless functions named after the textbook symbols.

Notation follows Miller & Blair, *Input-Output Analysis* (2nd ed., 2009): ``Z`` the
inter-industry flows, ``x`` total output, ``A = Z diag(x)^-1`` the technical
coefficients, ``L = (I - A)^-1`` the Leontief inverse.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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


PRODUCTIVE_BELOW = 1.0 - 1e-9
"""A is productive when its spectral radius is below this (the one tolerance of
:func:`unproductive`, used by validate/solve and by ``ioopt io``)."""


@dataclass(frozen=True)
class Unproductive:
    """Why a technical-coefficient matrix is not productive: the strongly connected set of
    sectors (a cycle of inputs) with the largest spectral radius.
    """

    rho: float
    sectors: list[str]

    def text(self) -> str:
        """The reason in words, naming the sectors of the cycle."""
        return (f"spectral radius {self.rho:.4g} (must be < 1) in the cycle of inputs "
                f"through {', '.join(self.sectors)}: together these sectors need more of "
                "their own outputs than they make")


def worst_cycle(A: np.ndarray) -> tuple[float, list[int]]:
    """The strongly connected component of A's graph (i -> j where A[i, j] != 0) with the
    largest spectral radius: (that radius, the component's indices). A's spectral radius
    is the largest over its components (Frobenius normal form).
    """
    from scipy.sparse.csgraph import connected_components

    A = np.asarray(A, dtype=float)
    if A.size == 0:
        return 0.0, []
    n, labels = connected_components(A != 0, directed=True, connection="strong")
    best, members = 0.0, []
    for k in range(n):
        idx = np.flatnonzero(labels == k)
        sub = A[np.ix_(idx, idx)]
        if len(idx) == 1 and sub[0, 0] == 0:
            continue
        rho = spectral_radius(sub)
        if rho > best:
            best, members = rho, idx.tolist()
    return best, members


def unproductive(A: pd.DataFrame, made: Iterable[str] | None = None) -> Unproductive | None:
    """None when A is productive, else the cycle that is not (see :class:`Unproductive`).

    ``made``: the sectors the region can produce (some project makes them); a cycle
    through a sector nobody makes never runs (that input is brought in), so only A
    restricted to ``made`` counts (default: every sector).
    """
    keep = list(A.index) if made is None else [s for s in A.index if s in set(made)]
    sub = A.loc[keep, keep].to_numpy(dtype=float)
    rho, idx = worst_cycle(sub)
    if rho < PRODUCTIVE_BELOW:
        return None
    return Unproductive(rho, [str(keep[i]) for i in idx])


# -------------------------------------------------- per-project coefficients
# The same arithmetic as the formulation's model data (ioopt.formulation.data.prepare;
# tests pin the two together), without Pyomo, for the input-output view.


def calc_project_elec(projects: pd.DataFrame, coefficients: pd.DataFrame,
                      electricity: str | None) -> pd.Series:
    """Electricity per unit of each project's output (MWh per unit): the project's own
    ``elec_mwh``, else its sector's coefficient in ``A``, else 0.
    """
    if electricity:
        rows = coefficients[coefficients["input_sector"] == electricity]
        a_el = rows.set_index("output_sector")["coef"].astype(float)
    else:
        a_el = pd.Series(dtype=float)
    elec = pd.to_numeric(projects["elec_mwh"]).astype(float)
    return elec.fillna(projects["sector"].map(a_el)).fillna(0.0)


def calc_project_direct(projects: pd.DataFrame, ef_fuel_t_per_tce: float,
                        exclude_feedstock: bool) -> pd.DataFrame:
    """Direct figures per unit of each project's output: ``fuel_energy`` (tce counted:
    feedstock excluded when ``exclude_feedstock``), ``co2`` (t: process plus combustion of
    the fuel that is burned) and ``water`` (m3).
    """
    fuel = projects["fuel_tce"].astype(float)
    feed = projects["feedstock_share"].astype(float)
    return pd.DataFrame({
        "fuel_energy": fuel * (1.0 - feed) if exclude_feedstock else fuel,
        "co2": projects["co2_process_t"].astype(float) + ef_fuel_t_per_tce * fuel * (1.0 - feed),
        "water": projects["water_m3"].astype(float),
    }, index=projects.index)


def calc_project_inputs(projects: pd.DataFrame, coefficients: pd.DataFrame,
                        project_inputs: pd.DataFrame, electricity: str | None,
                        elec: pd.Series) -> pd.DataFrame:
    """Intermediate inputs per unit of each project's output, long: ``project``,
    ``input_sector``, ``coef``. Its sector's column of ``A``, overridden input by input by
    ``project_inputs``, with electricity from ``elec`` (see :func:`calc_project_elec`);
    zero coefficients dropped.
    """
    A = coefficients[["input_sector", "output_sector", "coef"]]
    A = A[A["input_sector"] != electricity] if electricity else A
    inputs = projects[["project", "sector"]].merge(A, left_on="sector", right_on="output_sector")
    inputs = inputs[["project", "input_sector", "coef"]]
    pi = project_inputs[["project", "input_sector", "coef"]]
    if len(pi):
        keep = ~inputs.set_index(["project", "input_sector"]).index.isin(
            pi.set_index(["project", "input_sector"]).index)
        inputs = pd.concat([inputs[keep], pi], ignore_index=True)
    if electricity:
        inputs = pd.concat([inputs, pd.DataFrame({"project": projects.index,
                                                  "input_sector": electricity,
                                                  "coef": elec.to_numpy()})],
                           ignore_index=True)
    return inputs[inputs["coef"].astype(float) != 0].astype({"coef": float})
