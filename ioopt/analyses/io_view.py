"""The classic input-output view of a case: Leontief inverse, multipliers, linkages.

Notation follows Miller & Blair, *Input-Output Analysis* (2nd ed., 2009). The case's
technical coefficients ``A`` are physical (t per t, MWh per t). The view is regional: a
sector that no project of the case makes (alumina, ore: brought in) is a leakage, and
its row of ``A`` is zeroed (M&B's regional coefficients ``A^rr``). The monetary matrix is
``A$ = diag(p)^-1``-scaled: ``A$[i,j] = A[i,j] p_i / p_j`` (CNY of input i per CNY of
output j), and ``L$ = (I - A$)^-1``.

Per sector (``sectors`` table):

- output multiplier: column sums of ``L$`` (M&B 6.2.1);
- value-added multiplier: direct ``v_j`` (the sector's value-added share), total
  ``v L$`` (value added in the region per CNY of final demand), and the type-I ratio;
- energy, CO2, water and jobs intensities: direct per physical unit, and total (direct
  plus local upstream) ``d L`` with the physical ``L = (I - A)^-1``. A sector's direct
  figure is the output-weighted mean of its projects (existing plants at their base
  output; a sector without existing plants: all projects by capacity); brought-in
  sectors (no local project) have none: their upstream is outside the region.
  Direct energy is fuel burned (feedstock excluded as in the case's accounting) and
  direct CO2 is process plus combustion. Electricity's own coal is carried to its users
  through ``A[elec, j]``, so ``kappa x elec`` and the grid factor are **not** added on
  top: that would count the power plants' coal twice;
- backward and forward linkages: Rasmussen indices of ``L$`` (M&B 12.2): column and row
  sums over their average; a key sector has both above 1.

Per project (``projects`` table): embodied energy, CO2 and water per unit = its own
direct figure + its inputs (its own coefficients, electricity included) times the
inputs' total intensities, and per year at full capacity.

Coefficients and per-unit figures given by year (``year`` columns, project_years.csv) are
read in one year: the base year unless ``io_view(case, year)`` names another (the base
year matches the weights, existing plants' base-year output).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ioopt import __version__, iomath, yearly
from ioopt.batch.store import LABELS, write_table
from ioopt.case import Case, labels_table
from ioopt.errors import InputError, Problem

INDICATORS = ("energy_tce", "co2_t", "water_m3", "jobs")


def leontief(A: np.ndarray, sectors: list[str] | None = None) -> np.ndarray:
    """L = (I - A)^-1 for a productive A; ValueError otherwise, with the reason
    :func:`ioopt.iomath.unproductive` gives (the cycle of ``sectors``, default their
    positions, that needs more of itself than it makes).
    """
    A = np.asarray(A, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"A must be square, got shape {A.shape}")
    names = [str(s) for s in sectors] if sectors is not None else [str(i) for i in range(len(A))]
    bad = iomath.unproductive(pd.DataFrame(A, index=names, columns=names))
    if bad is not None:
        raise ValueError(f"A is not productive: {bad.text()}")
    try:
        return np.linalg.inv(np.eye(A.shape[0]) - A)
    except np.linalg.LinAlgError as exc:  # pragma: no cover - rho < 1 implies invertible
        raise ValueError(f"I - A is singular ({exc})") from None


def money_matrix(A: np.ndarray, prices: np.ndarray) -> np.ndarray:
    """A$[i,j] = A[i,j] p_i / p_j; columns of zero-price sectors are zero."""
    p = np.asarray(prices, dtype=float)
    inv = np.divide(1.0, p, out=np.zeros_like(p), where=p > 0)
    return np.asarray(A, dtype=float) * p[:, None] * inv[None, :]


def output_multipliers(L: np.ndarray) -> np.ndarray:
    """Simple output multipliers: the column sums of L."""
    return np.asarray(L, dtype=float).sum(axis=0)


def rasmussen(L: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(backward, forward) Rasmussen linkage indices: column / row sums over their mean."""
    L = np.asarray(L, dtype=float)
    n = L.shape[0]
    avg = L.sum() / n
    return L.sum(axis=0) / avg, L.sum(axis=1) / avg


def total_intensity(direct: np.ndarray, L: np.ndarray) -> np.ndarray:
    """Direct plus upstream intensity per unit of each sector's output: d L."""
    return np.asarray(direct, dtype=float) @ np.asarray(L, dtype=float)


IO_JSON = "io.json"
"""What ``ioopt io --out`` wrote the view of (``ioopt report`` reads it)."""


@dataclass
class IOView:
    """The input-output tables of a case (see the module docstring)."""

    A: pd.DataFrame
    L: pd.DataFrame
    A_money: pd.DataFrame
    L_money: pd.DataFrame
    sectors: pd.DataFrame
    projects: pd.DataFrame
    case: Case | None = None
    """The case the view is of (its name and names of sectors for the report)."""
    year: int | None = None

    def write(self, out_dir: str | Path) -> list[Path]:
        """io_A.csv, io_L.csv, io_A_money.csv, io_L_money.csv, io_sectors.csv, io_projects.csv;
        io.json (case, year) and labels.csv, so that ``ioopt report`` can read the folder.
        """
        matrices = {"io_A": self.A, "io_L": self.L, "io_A_money": self.A_money,
                    "io_L_money": self.L_money}
        paths = [write_table(out_dir, name, frame, index=True) for name, frame in matrices.items()]
        paths += [write_table(out_dir, "io_sectors", self.sectors),
                  write_table(out_dir, "io_projects", self.projects)]
        if self.case is not None:
            out = Path(out_dir)
            labels_table(self.case).to_csv(out / LABELS, index=False)
            meta = {"ioopt_version": __version__, "case": self.case.config.name,
                    "case_dir": str(self.case.path), "year": self.year,
                    "years": list(self.case.years)}
            (out / IO_JSON).write_text(json.dumps(meta, indent=2, ensure_ascii=False),
                                       encoding="utf-8")
            paths.append(out / IO_JSON)
        return paths

    def text(self, top: int = 10) -> str:
        """The sectors with the largest multipliers and embodied energy, and the key sectors."""
        s = self.sectors
        lines = [f"input-output view: {len(s)} sectors (monetary multipliers at the case's prices)",
                 "", "largest output multipliers (CNY of regional output per CNY of final demand)"]
        for r in s.nlargest(top, "output_multiplier").itertuples():
            lines.append(f"  {r.sector:<14} {r.output_multiplier:6.3f}   value added {r.va_total:5.3f} "
                         f"(direct {r.va_direct:5.3f})   backward {r.backward_linkage:5.2f} "
                         f"forward {r.forward_linkage:5.2f}")
        lines += ["", "largest embodied energy (tce per 万元 of output, direct + local upstream)"]
        for r in s.nlargest(top, "energy_tce_total_per_10k_cny").itertuples():
            lines.append(f"  {r.sector:<14} {r.energy_tce_total_per_10k_cny:8.3f}   "
                         f"direct {r.energy_tce_direct_per_10k_cny:8.3f}   "
                         f"CO2 {r.co2_t_total_per_10k_cny:8.3f} t   water {r.water_m3_total_per_10k_cny:8.2f} m3")
        keys = list(s.loc[s["key_sector"], "sector"])
        lines += ["", f"key sectors (both linkages > 1): {', '.join(keys) if keys else 'none'}"]
        return "\n".join(lines)


def io_view(case: Case, year: int | None = None) -> IOView:
    """Compute the input-output view of a case, with the coefficients of ``year`` (default:
    the base year) where they change by year.
    """
    t = case.config.base_year if year is None else year
    lo, hi = case.config.base_year, case.years[-1]
    if not lo <= t <= hi:
        raise InputError([Problem("io_view", None, "year", t, f"a year from {lo} to {hi}")])
    projects, coefficients, project_inputs = yearly.tables_at(case, t)
    p, inputs = _project_data(case, projects, coefficients, project_inputs)
    sec = case.sectors
    names = list(sec.index)
    A = iomath.calc_A_from_long(coefficients, names)
    made = set(case.projects["sector"])
    A.loc[[s for s in names if s not in made], :] = 0.0  # brought in: not regional output
    prices = pd.to_numeric(sec["price_cny"]).astype(float).to_numpy()
    bad = iomath.unproductive(A, made)  # the test validate and solve use
    if bad is not None:
        raise InputError([Problem("coefficients.csv", None, "coef", None,
                                  f"technical coefficients the local chains can balance: "
                                  f"{bad.text()}")])
    try:
        L = leontief(A.to_numpy(), names)
        Am = money_matrix(A.to_numpy(), prices)
        Lm = leontief(Am, names)
    except ValueError as exc:
        raise InputError([Problem("coefficients.csv", None, "coef", None,
                                  f"technical coefficients the local chains can balance: {exc}")]) from None
    direct = _direct(p, names)
    total = {k: total_intensity(direct[k].to_numpy(), L) for k in INDICATORS}
    va = pd.to_numeric(sec["va_share"]).astype(float).to_numpy()
    va_total = va @ Lm
    back, fwd = rasmussen(Lm)
    per10k = np.divide(1e4, prices, out=np.zeros_like(prices), where=prices > 0)
    out = pd.DataFrame({"sector": names, "name": sec["name"].to_numpy(),
                        "chain": sec["chain"].to_numpy(), "unit": sec["unit"].to_numpy(),
                        "price_cny": prices, "output_multiplier": output_multipliers(Lm),
                        "va_direct": va, "va_total": va_total,
                        "va_type1": np.divide(va_total, va, out=np.full_like(va, np.nan), where=va > 0)})
    for k in INDICATORS:
        out[f"{k}_direct_per_unit"] = direct[k].to_numpy()
        out[f"{k}_total_per_unit"] = total[k]
        out[f"{k}_direct_per_10k_cny"] = direct[k].to_numpy() * per10k
        out[f"{k}_total_per_10k_cny"] = total[k] * per10k
    out["backward_linkage"] = back
    out["forward_linkage"] = fwd
    out["key_sector"] = (back > 1) & (fwd > 1)
    return IOView(A=A, L=pd.DataFrame(L, index=A.index, columns=A.columns),
                  A_money=pd.DataFrame(Am, index=A.index, columns=A.columns),
                  L_money=pd.DataFrame(Lm, index=A.index, columns=A.columns), sectors=out,
                  projects=_projects(p, inputs, case, pd.DataFrame(total, index=names)),
                  case=case, year=t)


def _project_data(case: Case, p: pd.DataFrame, coefficients: pd.DataFrame,
                  project_inputs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The projects with their direct figures per unit (fuel_energy, co2, water) and
    capacity (cap), and their intermediate inputs (long: project, input_sector, coef), from
    one year's tables (:func:`ioopt.yearly.tables_at`).
    """
    el = case.electricity_sector
    acc = case.config.accounting
    elec = iomath.calc_project_elec(p, coefficients, el)
    direct = iomath.calc_project_direct(p, acc.ef_fuel_t_per_tce, acc.exclude_feedstock)
    p = p.assign(**{c: direct[c] for c in direct.columns},
                 cap=p["capacity_10k"].astype(float))
    return p, iomath.calc_project_inputs(p, coefficients, project_inputs, el, elec)


def _project_direct(p: pd.DataFrame) -> pd.DataFrame:
    """Per-unit direct figures of each project (jobs per unit: persons per unit)."""
    return pd.DataFrame({"energy_tce": p["fuel_energy"].astype(float), "co2_t": p["co2"].astype(float),
                         "water_m3": p["water"].astype(float),
                         "jobs": p["jobs_per_unit"].astype(float) / 1e4}, index=p.index)


def _direct(p: pd.DataFrame, sectors: list[str]) -> pd.DataFrame:
    per = _project_direct(p)
    existing = p["status"] == "existing"
    base = pd.to_numeric(p["base_output_10k"]).astype(float).fillna(p["cap"].astype(float))
    w = pd.Series(np.where(existing, base, 0.0), index=p.index)
    has_existing = w.groupby(p["sector"]).transform("sum") > 0
    w = w.where(has_existing, p["cap"].astype(float))
    num = per.mul(w, axis=0).groupby(p["sector"]).sum()
    den = w.groupby(p["sector"]).sum()
    out = num.div(den.where(den > 0), axis=0)
    return out.reindex(sectors).fillna(0.0)


def _projects(p: pd.DataFrame, inputs: pd.DataFrame, case: Case, total: pd.DataFrame
              ) -> pd.DataFrame:
    own = _project_direct(p)
    up = inputs.merge(total, left_on="input_sector", right_index=True, how="left").fillna(0.0)
    cols = ["energy_tce", "co2_t", "water_m3"]
    upstream = up[cols].mul(up["coef"], axis=0).groupby(up["project"]).sum().reindex(p.index).fillna(0.0)
    out = pd.DataFrame({"project": p.index, "name": p["name"].to_numpy(),
                        "sector": p["sector"].to_numpy(),
                        "chain": p["sector"].map(case.sectors["chain"]).to_numpy(),
                        "park": p["park"].to_numpy(), "status": p["status"].astype(str).to_numpy()})
    cap_units = p["cap"].astype(float).to_numpy() * 1e4
    for k in cols:
        out[f"{k}_direct_per_unit"] = own[k].to_numpy()
        out[f"{k}_upstream_per_unit"] = upstream[k].to_numpy()
        out[f"{k}_embodied_per_unit"] = own[k].to_numpy() + upstream[k].to_numpy()
        out[f"{k}_embodied_10k_per_year"] = out[f"{k}_embodied_per_unit"] * cap_units / 1e4
    return out
