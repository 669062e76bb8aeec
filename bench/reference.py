"""Benchmark reference: ioopt's model of a synthetic case, built with numpy/scipy and
passed to HiGHS directly (``highspy``) as bulk sparse arrays.

``reference_run(case_dir)`` reads the case's files with pandas/yaml (not through
``ioopt.case``), assembles the same LP/MILP ioopt builds for it (same columns in the same
order, same rows in the same order, same coefficients, bounds, integrality, objective),
solves it with the options ioopt sets, re-solves the LP with the integer columns fixed
for the row duals (as ``ioopt.solver.highs.HighsSession.solve`` does), and extracts tables comparable to
ioopt's ``portfolio``, ``quotas`` and ``sectors``. It times the four stages.

What it covers: the case features the seeded synthetic generator
(``ioopt.synthetic.write_synthetic_case``) uses and a few more that are cheap to carry
(lead times, earliest years, minimum utilisation, feedstock shares, process CO2, per-project
electricity, final demand, carbon quotas, the value-added and tax measures, discounting).
Anything else (rules, dependencies, project inputs, exclusive groups, intensity and
green-share quotas, per-year capital, soft rows, family switches in case.yaml) raises
``NotImplementedError`` rather than building a different model silently.

Model (ioopt's, see models/FORMULATION.md; families ioopt enables by default for a
case.yaml without ``families``), rows in ioopt's build order:

- columns ``x[j,t]`` (production), ``imp[s,t]``, ``build[j,t]`` (binary, candidates),
  ``exp[s,t]`` — in the order Pyomo's standard-form compiler gives them (each variable
  component whole, at its first appearance in the objective then the rows; columns with
  no coefficient anywhere dropped);
- ``build_once[j]`` (candidates with more than one possible year), ``production_max[j,t]``,
  ``production_min[j,t]`` (min_util > 0), ``chain_balance[s,t]``, ``energy_total[t]``,
  ``carbon_total[t]``, ``water_total[t]``, ``land[p]``, ``capital_total``;
- objective: maximise ``sum_t df_t (sum_j w_j x[j,t] - sum_s pimp_s imp[s,t])`` in 亿元;
- accounting: renewables count as local generation only when ``accounting.renewables`` is
  ``pooled`` (as the synthetic cases say; they contract none to a park).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import highspy
import numpy as np
import pandas as pd
import scipy.sparse as sp
import yaml

from ioopt.units import CNY_PER_UNIT_TO_MODEL, DIMENSIONS, MONEY, UNIT_ALIASES

INF = highspy.kHighsInf
TOTAL_FAMILIES = {"energy_total": "energy", "carbon_total": "co2", "water_total": "water"}
"""Yearly total quota families -> the dimension of their limit."""
SUPPORTED_QUOTAS = {*TOTAL_FAMILIES, "land", "capital_total"}
QUOTA_DIMENSION = {**TOTAL_FAMILIES, "land": "land", "capital_total": "money"}
SUPPORTED_MEASURES = {"gross_output": "price", "value_added": "va", "tax": "tax"}


# ---------------------------------------------------------------------------- load


@dataclass
class RefCase:
    """The case's files as read, with the few settings the model needs."""

    config: dict[str, Any]
    sectors: pd.DataFrame
    coefficients: pd.DataFrame
    projects: pd.DataFrame
    quotas: pd.DataFrame
    demand: pd.DataFrame

    @property
    def years(self) -> list[int]:
        """The horizon's years."""
        return [int(t) for t in self.config["years"]]


def _col(frame: pd.DataFrame, name: str, default: Any) -> pd.Series:
    """A column of a table, or the format's default when the file leaves it out."""
    if name in frame.columns:
        return frame[name]
    return pd.Series(default, index=frame.index)


def _num(frame: pd.DataFrame, name: str, default: float = np.nan) -> np.ndarray:
    """A numeric column as float64; blank cells and a missing column get the format's
    default (NaN where the format's default is blank).
    """
    out = pd.to_numeric(_col(frame, name, default)).to_numpy(dtype=float)
    return out if np.isnan(default) else np.where(np.isnan(out), default, out)


def load(case_dir: Path) -> RefCase:
    """Read a case folder with pandas and yaml; refuse features the reference lacks."""
    case_dir = Path(case_dir)
    config = yaml.safe_load((case_dir / "case.yaml").read_text(encoding="utf-8"))
    for fam, spec in (config.get("families") or {}).items():
        if (spec or {}).get("enabled", True) is False or (spec or {}).get("mode", "hard") != "hard":
            raise NotImplementedError(f"reference: family switch for {fam} in case.yaml")
    measure = (config.get("objective") or {}).get("measure", "gross_output")
    if measure not in SUPPORTED_MEASURES:
        raise NotImplementedError(f"reference: objective measure {measure}")
    for name in ("rules.csv", "dependencies.csv", "project_inputs.csv"):
        if (case_dir / name).exists() and len(pd.read_csv(case_dir / name)):
            raise NotImplementedError(f"reference: {name}")
    sectors = pd.read_csv(case_dir / "sectors.csv")
    coefficients = pd.read_csv(case_dir / "coefficients.csv")
    projects = pd.read_csv(case_dir / "projects.csv")
    quotas = pd.read_csv(case_dir / "quotas.csv", dtype={"park": str})
    demand_file = case_dir / "demand.csv"
    demand = (pd.read_csv(demand_file) if demand_file.exists()
              else pd.DataFrame({"sector": [], "year": [], "final_demand_10k": []}))
    unknown = set(quotas["family"]) - SUPPORTED_QUOTAS
    if unknown:
        raise NotImplementedError(f"reference: quota families {sorted(unknown)}")
    if "mode" in quotas.columns and (quotas["mode"].fillna("hard") != "hard").any():
        raise NotImplementedError("reference: soft quota rows")
    if "exclusive_group" in projects.columns and projects["exclusive_group"].fillna("").astype(str).ne("").any():
        raise NotImplementedError("reference: exclusive groups")
    if "supplies" in projects.columns and projects["supplies"].fillna("").astype(str).ne("").any():
        raise NotImplementedError("reference: renewables contracted to parks (green_supply rows)")
    if (config.get("objective") or {}).get("capital_charge", "none") != "none":
        raise NotImplementedError("reference: capital charge in the objective")
    return RefCase(config, sectors, coefficients, projects, quotas, demand)


# ------------------------------------------------------------------------- prepare


def _limit_factor(units: pd.Series) -> np.ndarray:
    """Model units per file unit of each quota row's limit."""
    out = []
    for u in units:
        key = " ".join(str(u).strip().lower().split())
        if key not in UNIT_ALIASES:
            raise ValueError(f"reference: unknown unit {u!r}")
        out.append(UNIT_ALIASES[key][1])
    return np.asarray(out, dtype=float)


@dataclass
class RefData:
    """The case in model units, as flat arrays (P projects, S sectors, T years)."""

    years: np.ndarray
    project_ids: np.ndarray
    sector_ids: np.ndarray
    park: np.ndarray
    status: np.ndarray
    sector_of: np.ndarray
    """Project -> sector position."""
    cap: np.ndarray
    mu: np.ndarray
    """Minimum utilisation."""
    weight: np.ndarray
    """Objective measure per 万 units (亿元), undiscounted."""
    disc: np.ndarray
    """Discount factor per year."""
    e_coef: np.ndarray
    """Counted energy per unit (万 tce per 万 units): fuel + kappa x net grid electricity."""
    c_coef: np.ndarray
    water: np.ndarray
    capex: np.ndarray
    land: np.ndarray
    elec: np.ndarray
    fixed_year: np.ndarray
    """Year existing (base year) and committed projects are online from; NaN: candidate."""
    produces: np.ndarray
    """(P, T): project j may produce in year t (x[j,t] exists)."""
    candidate: np.ndarray
    uses: np.ndarray
    """(S, S) technical coefficients A[input, output] without the electricity row."""
    el: int
    """Position of the electricity sector (-1: none)."""
    imp_price: np.ndarray
    """Import cost per 万 units (亿元), 0 when import costs are off or the measure is not
    gross output."""
    imp_lim: np.ndarray
    exp_lim: np.ndarray
    fd: np.ndarray
    """(S, T) final demand."""
    quotas: pd.DataFrame
    """quotas.csv with ``limit_model``."""
    solver: dict[str, Any]


def prepare(case: RefCase) -> RefData:
    """Convert the case's tables to model units and flat arrays (ioopt's ``prepare``)."""
    cfg = case.config
    years = np.asarray(case.years, dtype=np.int64)
    T = len(years)
    base_year = int(cfg["base_year"])
    acc = cfg.get("accounting") or {}
    kappa = float(acc.get("kappa_tce_per_mwh", 0.1229))
    ef_fuel = float(acc.get("ef_fuel_t_per_tce", 2.66))
    ef_grid = float(acc.get("ef_grid_t_per_mwh", 0.7025))
    count_ren = not acc.get("exclude_renewable_electricity", True)
    exclude_feed = acc.get("exclude_feedstock", True)
    obj_cfg = cfg.get("objective") or {}
    rate = float(obj_cfg.get("discount_rate", 0.0))
    import_cost = bool(obj_cfg.get("import_cost", True))
    measure = obj_cfg.get("measure", "gross_output")
    k_money = CNY_PER_UNIT_TO_MODEL

    # ---- sectors
    s = case.sectors
    sector_ids = s["sector"].astype(str).to_numpy()
    S = len(sector_ids)
    sec_pos = pd.Series(np.arange(S), index=sector_ids)
    price_cny_s = _num(s, "price_cny")
    imp_price_s = np.where(np.isnan(_num(s, "import_price_cny")), price_cny_s,
                           _num(s, "import_price_cny")) * k_money
    el_sel = np.flatnonzero(_col(s, "kind", "product").astype(str).to_numpy() == "electricity")
    el = int(el_sel[0]) if len(el_sel) else -1

    # ---- projects, in model units
    p = case.projects
    sector_of = sec_pos.reindex(p["sector"].astype(str)).to_numpy()
    status = p["status"].astype(str).to_numpy()
    price_cny = _num(p, "price_cny")
    price_cny = np.where(np.isnan(price_cny), price_cny_s[sector_of], price_cny)
    va_cny = _num(p, "va_cny")
    va_cny = np.where(np.isnan(va_cny), price_cny * _num(s, "va_share")[sector_of], va_cny)
    tax_cny = _num(p, "tax_cny")
    tax_cny = np.where(np.isnan(tax_cny), price_cny * _num(s, "tax_share", 0.0)[sector_of], tax_cny)
    weight = {"price": price_cny, "va": va_cny, "tax": tax_cny}[SUPPORTED_MEASURES[measure]] * k_money
    coef = case.coefficients
    A = sp.coo_array((coef["coef"].to_numpy(dtype=float),
                      (sec_pos.reindex(coef["input_sector"].astype(str)).to_numpy(),
                       sec_pos.reindex(coef["output_sector"].astype(str)).to_numpy())),
                     shape=(S, S)).toarray()
    elec = _num(p, "elec_mwh")
    if el >= 0:
        elec = np.where(np.isnan(elec), A[el, sector_of], elec)
    elec = np.nan_to_num(elec, nan=0.0)
    fuel = _num(p, "fuel_tce", 0.0)
    feed = _num(p, "feedstock_share", 0.0)
    fuel_energy = fuel * (1.0 - feed) if exclude_feed else fuel
    co2 = _num(p, "co2_process_t", 0.0) + ef_fuel * fuel * (1.0 - feed)
    renewable = _col(p, "renewable", False).fillna(False).astype(bool).to_numpy()
    # local generation displaces grid power: fossil plants, and renewables only when the
    # accounting pools them (no project here is contracted to a park: load() refuses it)
    pooled = acc.get("renewables", "contracted") == "pooled"
    local_gen = (sector_of == el) & (~renewable | pooled)
    net_el = elec - local_gen.astype(float)
    e_coef = fuel_energy + kappa * net_el + (kappa * (renewable & local_gen) if count_ren else 0.0)
    c_coef = co2 + ef_grid * net_el
    uses = A.copy()
    if el >= 0:
        uses[el, :] = 0.0  # electricity per project: ``elec``

    # ---- phasing: first year each project may produce
    existing = status == "existing"
    committed = status == "committed"
    candidate = ~(existing | committed)
    fixed_year = np.where(existing, base_year, np.where(committed, _num(p, "online_year"), np.nan))
    earliest = _num(p, "earliest_year")
    lead = _num(p, "lead_time_years", 0.0)
    first_build = np.maximum(np.where(np.isnan(earliest), years[0], earliest), base_year + lead)
    start = np.searchsorted(years, np.where(candidate, first_build, fixed_year), side="left")
    produces = np.arange(T)[None, :] >= start[:, None]

    fd = np.zeros((S, T))
    if len(case.demand):
        dem = case.demand.groupby(["sector", "year"])["final_demand_10k"].sum()
        for (sec, yr), v in dem.items():
            fd[sec_pos[sec], int(np.searchsorted(years, int(yr)))] += float(v)
    quotas = case.quotas.copy()
    quotas["limit_model"] = quotas["limit"].to_numpy(dtype=float) * _limit_factor(quotas["unit"])
    return RefData(
        years=years, project_ids=p["project"].astype(str).to_numpy(), sector_ids=sector_ids,
        park=p["park"].astype(str).to_numpy(), status=status, sector_of=sector_of,
        cap=_num(p, "capacity_10k"), mu=_num(p, "min_util", 0.0), weight=weight,
        disc=1.0 / (1.0 + rate) ** (years - years[0]), e_coef=e_coef, c_coef=c_coef,
        water=_num(p, "water_m3", 0.0), capex=_num(p, "capex_100m_cny", 0.0),
        land=_num(p, "land_mu", 0.0), elec=elec, fixed_year=fixed_year, produces=produces,
        candidate=candidate, uses=uses, el=el,
        # imports are a cost of gross output only: value added and tax are net of inputs
        imp_price=imp_price_s if import_cost and measure == "gross_output" else np.zeros(S),
        imp_lim=np.nan_to_num(_num(s, "import_limit_10k"), nan=INF),
        exp_lim=np.nan_to_num(_num(s, "export_limit_10k"), nan=INF),
        fd=fd, quotas=quotas, solver=cfg.get("solver") or {})


def chain_terms(d: RefData) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per project, the (sector, project, coef) terms of the chain balance: +1 on its own
    sector, -a[s, j] on each input sector (electricity: -elec_j); zeros left out.
    """
    P = len(d.project_ids)
    in_s, in_j = np.nonzero(d.uses[:, d.sector_of])
    in_v = -d.uses[in_s, d.sector_of[in_j]]
    parts_s, parts_j, parts_v = [d.sector_of, in_s], [np.arange(P), in_j], [np.ones(P), in_v]
    if d.el >= 0:
        el_j = np.flatnonzero(d.elec != 0)
        parts_s.append(np.full(len(el_j), d.el))
        parts_j.append(el_j)
        parts_v.append(-d.elec[el_j])
    return np.concatenate(parts_s), np.concatenate(parts_j), np.concatenate(parts_v)


# --------------------------------------------------------------------------- build


@dataclass
class RefModel:
    """The assembled LP/MILP and the maps from its rows and columns back to the case."""

    data: RefData
    lp: Any
    """highspy.HighsLp, integrality included."""
    integer_cols: np.ndarray
    x_col: np.ndarray
    """(projects, years) -> column of x[j,t], -1 where the project cannot produce."""
    b_col: np.ndarray
    """(projects, years) -> column of build[j,t], -1 where there is none."""
    imp_col: np.ndarray
    """(sectors, years) -> column of imp[s,t], -1 where dropped (no coefficient anywhere)."""
    exp_col: np.ndarray
    chain_row: np.ndarray
    """(sectors, years) -> chain_balance row, -1 where ioopt writes none."""
    quota_meta: pd.DataFrame
    """One row per quota record: name, year, park, sense, limit, const, row (-1: none),
    base_per_model."""
    row_keys: list[tuple[str, tuple[np.ndarray, ...]]]
    """Per family, in row order: its name and the index values of its rows."""
    infeasible: list[str] = field(default_factory=list)
    """Rows with no variable whose constant violates them (ioopt: trivially infeasible)."""

    @property
    def size(self) -> dict[str, int]:
        """Rows, columns and nonzeros of the constraint matrix."""
        return {"rows": int(self.lp.num_row_), "cols": int(self.lp.num_col_),
                "nnz": len(self.lp.a_matrix_.value_)}

    def row_names(self) -> list[str]:
        """Row names as Pyomo prints ioopt's constraints (``chain_balance[alumina,2021]``),
        for checks; not used by the run.
        """
        out: list[str] = []
        for fam, keys in self.row_keys:
            out += [f"{fam}[{','.join(map(str, k))}]" for k in zip(*keys, strict=True)]
        return out

    def col_names(self) -> list[str]:
        """Column names as Pyomo prints ioopt's variables (``x[p000001,2021]``)."""
        d = self.data
        names = np.empty(self.lp.num_col_, dtype=object)
        for var, cols, ids in (("x", self.x_col, d.project_ids), ("build", self.b_col, d.project_ids),
                               ("imp", self.imp_col, d.sector_ids), ("exp", self.exp_col, d.sector_ids)):
            i, k = np.nonzero(cols >= 0)
            names[cols[i, k]] = [f"{var}[{a},{t}]" for a, t in zip(ids[i], d.years[k], strict=True)]
        return names.tolist()


class _Rows:
    """Collects rows as COO triplets (row, column, value), family by family."""

    def __init__(self) -> None:
        self.n = 0
        self.r: list[np.ndarray] = []
        self.c: list[np.ndarray] = []
        self.v: list[np.ndarray] = []
        self.lower: list[np.ndarray] = []
        self.upper: list[np.ndarray] = []
        self.keys: list[tuple[str, tuple[np.ndarray, ...]]] = []

    def add(self, family: str, keys: tuple[np.ndarray, ...], r: np.ndarray, c: np.ndarray,
            v: np.ndarray, lower: np.ndarray | float, upper: np.ndarray | float) -> int:
        """Append rows indexed by ``keys`` (``r`` local to the family); return the first
        row's index.
        """
        n_rows = len(keys[0])
        first = self.n
        self.keys.append((family, keys))
        self.r.append(np.asarray(r, dtype=np.int64) + first)
        self.c.append(np.asarray(c, dtype=np.int64))
        self.v.append(np.asarray(v, dtype=float))
        self.lower.append(np.broadcast_to(np.asarray(lower, dtype=float), (n_rows,)))
        self.upper.append(np.broadcast_to(np.asarray(upper, dtype=float), (n_rows,)))
        self.n += n_rows
        return first


def build(d: RefData) -> RefModel:
    """Assemble ioopt's LP/MILP as sparse arrays and a highspy.HighsLp."""
    years = d.years
    T = len(years)
    P, S = len(d.project_ids), len(d.sector_ids)
    cap, mu, candidate, produces = d.cap, d.mu, d.candidate, d.produces
    status, land, capex, fixed_year = d.status, d.land, d.capex, d.fixed_year
    existing = status == "existing"
    committed = status == "committed"
    can_build = produces & candidate[:, None]
    quotas = d.quotas

    # ---- which rows exist, to order the column blocks as Pyomo does
    once = candidate & (can_build.sum(axis=1) > 1)
    x_cost = d.disc[None, :] * d.weight[:, None]
    imp_cost = -d.disc[None, :] * d.imp_price[:, None]
    order: list[str] = []

    def touch(block: str, present: bool = True) -> None:
        if present and block not in order:
            order.append(block)

    touch("x", bool((x_cost[produces] != 0).any()))
    touch("imp", bool((imp_cost != 0).any()))
    touch("build", bool(once.any()))
    touch("x", bool(can_build.any()))
    touch("build", bool(can_build.any()))
    touch("x")
    touch("imp")
    touch("exp")
    touch("build")

    # ---- columns (before dropping empty ones)
    x_j, x_k = np.nonzero(produces)
    b_j, b_k = np.nonzero(can_build)
    sizes = {"x": len(x_j), "imp": S * T, "build": len(b_j), "exp": S * T}
    offset, pos = {}, 0
    for blk in order:
        offset[blk] = pos
        pos += sizes[blk]
    n_cols = pos
    x_col = np.full((P, T), -1, dtype=np.int64)
    x_col[x_j, x_k] = offset["x"] + np.arange(len(x_j))
    b_col = np.full((P, T), -1, dtype=np.int64)
    b_col[b_j, b_k] = offset["build"] + np.arange(len(b_j))
    imp_col = offset["imp"] + np.arange(S * T).reshape(S, T)
    exp_col = offset["exp"] + np.arange(S * T).reshape(S, T)

    cost = np.zeros(n_cols)
    lower = np.zeros(n_cols)
    upper = np.full(n_cols, INF)
    cost[x_col[x_j, x_k]] = x_cost[x_j, x_k]
    lower[x_col[x_j, x_k]] = np.where(candidate[x_j], 0.0, mu[x_j] * cap[x_j])
    upper[x_col[x_j, x_k]] = cap[x_j]
    cost[imp_col.ravel()] = imp_cost.ravel()
    upper[imp_col.ravel()] = np.repeat(d.imp_lim, T)
    upper[exp_col.ravel()] = np.repeat(d.exp_lim, T)
    upper[b_col[b_j, b_k]] = 1.0
    is_int = np.zeros(n_cols, dtype=bool)
    is_int[b_col[b_j, b_k]] = True

    rows = _Rows()
    infeasible: list[str] = []

    # 1. build_once[j]: sum_t build[j,t] <= 1
    once_row = np.cumsum(once) - 1
    sel = once[b_j]
    rows.add("build_once", (d.project_ids[once],), once_row[b_j[sel]], b_col[b_j[sel], b_k[sel]],
             np.ones(int(sel.sum())), -INF, 1.0)

    # production_max / production_min[j,t]: x[j,t] - f cap_j sum_{tau<=t} build[j,tau]
    for fam, f, keep in (("production_max", np.ones(P), candidate),
                         ("production_min", mu, candidate & (mu > 0))):
        rj, rk = np.nonzero(produces & keep[:, None])
        r_idx = np.arange(len(rj))
        rr, cc, vv = [r_idx], [x_col[rj, rk]], [np.ones(len(rj))]
        for lag in range(T):
            kk = rk - lag
            ok = kk >= 0
            ok[ok] = b_col[rj[ok], kk[ok]] >= 0
            rr.append(r_idx[ok])
            cc.append(b_col[rj[ok], kk[ok]])
            vv.append(-(f[rj[ok]] * cap[rj[ok]]))
        lo, up = (-INF, 0.0) if fam == "production_max" else (0.0, INF)
        rows.add(fam, (d.project_ids[rj], years[rk]), np.concatenate(rr), np.concatenate(cc),
                 np.concatenate(vv), lo, up)

    # 2. chain_balance[s,t]: makers - users + imp - exp = fd
    term_s, term_j, term_v = chain_terms(d)
    fd = d.fd
    ts, tj = np.repeat(term_s, T), np.repeat(term_j, T)
    tk, tv = np.tile(np.arange(T), len(term_s)), np.repeat(term_v, T)
    ok = x_col[tj, tk] >= 0
    ts, tj, tk, tv = ts[ok], tj[ok], tk[ok], tv[ok]
    n_terms = np.bincount(ts * T + tk, minlength=S * T).reshape(S, T)
    has_row = (n_terms > 0) | (fd != 0)
    chain_row = np.full((S, T), -1, dtype=np.int64)
    rs, rk_ = np.nonzero(has_row)  # sector-major, as ioopt
    chain_row[rs, rk_] = np.arange(len(rs))
    r_all = np.concatenate([chain_row[ts, tk], chain_row[rs, rk_], chain_row[rs, rk_]])
    c_all = np.concatenate([x_col[tj, tk], imp_col[rs, rk_], exp_col[rs, rk_]])
    v_all = np.concatenate([tv, np.ones(len(rs)), -np.ones(len(rs))])
    first = rows.add("chain_balance", (d.sector_ids[rs], years[rk_]), r_all, c_all, v_all, fd[rs, rk_], fd[rs, rk_])
    chain_row[has_row] += first

    # 3-5. yearly totals: energy, carbon, water <= the year's quota
    meta: list[dict[str, Any]] = []
    total_coef = {"energy_total": d.e_coef, "carbon_total": d.c_coef, "water_total": d.water}
    for fam in ("energy_total", "carbon_total", "water_total"):
        q = quotas[quotas["family"] == fam]
        by_year: dict[int, float] = {}
        for yr, lim in zip(q["year"], q["limit_model"], strict=True):
            for t in (years.tolist() if pd.isna(yr) else [int(yr)]):
                by_year[int(t)] = float(lim)
        if not by_year:
            continue
        ks = np.searchsorted(years, list(by_year))
        w = total_coef[fam]
        rr, cc, vv = [], [], []
        for i, k in enumerate(ks):
            js = np.flatnonzero((x_col[:, k] >= 0) & (w != 0))
            rr.append(np.full(len(js), i))
            cc.append(x_col[js, k])
            vv.append(w[js])
        lims = np.asarray(list(by_year.values()))
        first = rows.add(fam, (years[ks],), np.concatenate(rr), np.concatenate(cc), np.concatenate(vv),
                         -INF, lims)
        meta += [{"name": fam, "year": t, "park": None, "sense": "<=", "limit": lim, "const": 0.0,
                  "row": first + i} for i, (t, lim) in enumerate(by_year.items())]

    # 6. land[p]: land of new projects online in the last year <= the park's quota
    park = d.park
    new_land = ~existing & (land != 0)
    q = quotas[quotas["family"] == "land"]
    if len(q):
        const_by_park = pd.Series(land * (new_land & committed & (fixed_year <= years[-1])))
        const_by_park = const_by_park.groupby(park).sum()
        recs = []
        for pk, lim in zip(q["park"].astype(str), q["limit_model"], strict=True):
            recs.append((pk, float(lim), float(const_by_park.get(pk, 0.0))))
        park_of_rec = {pk: i for i, (pk, _, _) in enumerate(recs)}
        sel = new_land[b_j] & pd.Series(park[b_j]).isin(park_of_rec).to_numpy()
        rec_of_term = np.array([park_of_rec[pk] for pk in park[b_j[sel]]], dtype=np.int64)
        has_terms = np.bincount(rec_of_term, minlength=len(recs)) > 0
        row_of_rec = np.cumsum(has_terms) - 1
        keep_t = has_terms[rec_of_term]
        ups = np.array([lim - c for _, lim, c in recs])[has_terms]
        first = rows.add("land", (np.array([pk for pk, _, _ in recs])[has_terms],), row_of_rec[rec_of_term[keep_t]],
                         b_col[b_j[sel], b_k[sel]][keep_t], land[b_j[sel]][keep_t], -INF, ups)
        for i, (pk, lim, c) in enumerate(recs):
            if not has_terms[i] and c > lim + 1e-9:
                infeasible.append(f"land[{pk}]: fixed terms {c:g} <= {lim:g}")
            meta.append({"name": "land", "year": None, "park": pk, "sense": "<=", "limit": lim,
                         "const": c, "row": first + row_of_rec[i] if has_terms[i] else -1})

    # 7. capital_total: capex of new projects <= the budget
    q = quotas[quotas["family"] == "capital_total"]
    news = ~existing & (capex > 0)
    for lim in q["limit_model"]:
        const = float(capex[news & committed].sum())
        sel = news[b_j]
        n_t = int(sel.sum())
        row = -1
        if n_t:
            row = rows.add("capital_total", (np.array(["total"]),), np.zeros(n_t), b_col[b_j[sel], b_k[sel]],
                           capex[b_j[sel]], -INF, float(lim) - const)
        elif const > lim + 1e-9:
            infeasible.append(f"capital_total[total]: fixed terms {const:g} <= {lim:g}")
        meta.append({"name": "capital_total", "year": None, "park": None, "sense": "<=",
                     "limit": float(lim), "const": const, "row": row})

    # ---- matrix; drop columns with no coefficient anywhere (as Pyomo's compiler does)
    A_full = sp.csc_array((np.concatenate(rows.v), (np.concatenate(rows.r), np.concatenate(rows.c))),
                          shape=(rows.n, n_cols))
    A_full.sum_duplicates()
    A_full.eliminate_zeros()
    active = (np.diff(A_full.indptr) > 0) | (cost != 0)
    new_of_old = np.cumsum(active) - 1
    if not active.all():
        A_full = sp.csc_array(A_full[:, active])
        cost, lower, upper, is_int = cost[active], lower[active], upper[active], is_int[active]

    def remap(cols: np.ndarray) -> np.ndarray:
        ok_ = cols >= 0
        out = np.full(cols.shape, -1, dtype=np.int64)
        out[ok_] = np.where(active[cols[ok_]], new_of_old[cols[ok_]], -1)
        return out

    lp = highspy.HighsLp()
    n_cols = int(active.sum())
    lp.num_col_ = n_cols
    lp.num_row_ = rows.n
    lp.col_cost_ = cost
    lp.col_lower_ = lower
    lp.col_upper_ = upper
    lp.row_lower_ = np.concatenate(rows.lower) if rows.lower else np.zeros(0)
    lp.row_upper_ = np.concatenate(rows.upper) if rows.upper else np.zeros(0)
    lp.offset_ = 0.0
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = n_cols
    lp.a_matrix_.num_row_ = rows.n
    lp.a_matrix_.start_ = A_full.indptr.astype(np.int32)
    lp.a_matrix_.index_ = A_full.indices.astype(np.int32)
    lp.a_matrix_.value_ = A_full.data.astype(float)
    if is_int.any():
        integrality = [highspy.HighsVarType.kContinuous] * n_cols
        for i in np.flatnonzero(is_int).tolist():
            integrality[i] = highspy.HighsVarType.kInteger
        lp.integrality_ = integrality
    quota_meta = pd.DataFrame.from_records(
        meta, columns=["name", "year", "park", "sense", "limit", "const", "row"])
    quota_meta["base_per_model"] = [DIMENSIONS[QUOTA_DIMENSION[f]].base_per_model
                                    for f in quota_meta["name"]]
    return RefModel(
        data=d, lp=lp, integer_cols=np.flatnonzero(is_int), x_col=remap(x_col),
        b_col=remap(b_col), imp_col=remap(imp_col), exp_col=remap(exp_col), chain_row=chain_row,
        quota_meta=quota_meta, row_keys=rows.keys, infeasible=infeasible)


# --------------------------------------------------------------------------- solve


@dataclass
class RefSolution:
    """What HiGHS returned: status, objective, primal values and row duals."""

    status: str
    termination: str
    objective: float | None = None
    mip_gap: float | None = None
    col_value: np.ndarray | None = None
    row_dual: np.ndarray | None = None
    highs_time: float = 0.0
    """HiGHS's own run time (MILP + fixed LP), seconds."""


def _status(h: Any) -> tuple[str, str]:
    ms = h.getModelStatus()
    text = h.modelStatusToString(ms)
    S = highspy.HighsModelStatus
    if ms in (S.kOptimal, S.kModelEmpty):
        return "optimal", text
    if ms == S.kInfeasible:
        return "infeasible", text
    if ms in (S.kUnbounded, S.kUnboundedOrInfeasible):
        return "unbounded", text
    if ms in (S.kTimeLimit, S.kIterationLimit, S.kInterrupt, S.kSolutionLimit):
        return ("feasible" if h.getInfo().primal_solution_status == 2 else "time_limit"), text
    return "error", text


def solve(model: RefModel, relax: bool = False, time_limit: float | None = None,
          mip_gap: float | None = None) -> RefSolution:
    """Solve with ioopt's HiGHS options; after a MILP, fix the integers and re-solve the LP.

    ``relax`` (or case.yaml's ``solver.relax_integers``): drop integrality and solve the
    LP relaxation once.
    """
    if model.infeasible:
        return RefSolution("infeasible", "Infeasible (before solving): " + "; ".join(model.infeasible))
    settings = model.data.solver  # case.yaml's solver section, overridden by the arguments
    lp = model.lp
    ints = model.integer_cols.astype(np.int32)
    if (relax or settings.get("relax_integers")) and len(ints):
        lp.integrality_ = []
        ints = ints[:0]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    tl = time_limit or settings.get("time_limit_s")
    if tl:
        h.setOptionValue("time_limit", float(tl))
    h.setOptionValue("mip_rel_gap", float(settings.get("mip_gap", 1e-4) if mip_gap is None else mip_gap))
    if settings.get("threads"):
        h.setOptionValue("threads", int(settings["threads"]))
    h.passModel(lp)
    h.run()
    status, term = _status(h)
    if status == "unbounded" and term != "Unbounded":  # as ioopt: ask again without presolve
        h.setOptionValue("presolve", "off")
        h.run()
        status, term = _status(h)
        h.setOptionValue("presolve", "choose")
    run_time = h.getRunTime()
    out = RefSolution(status, term)
    if status not in ("optimal", "feasible"):
        out.highs_time = run_time
        return out
    info = h.getInfo()
    out.objective = float(info.objective_function_value)
    out.mip_gap = float(info.mip_gap) if len(ints) else 0.0
    out.col_value = np.asarray(h.getSolution().col_value, dtype=float)
    if len(ints):
        fixed = np.round(out.col_value[ints])
        n = len(ints)
        h.changeColsIntegrality(n, ints, np.array([highspy.HighsVarType.kContinuous] * n))
        h.changeColsBounds(n, ints, fixed, fixed)
        h.run()
        if _status(h)[0] != "optimal":
            out.highs_time = h.getRunTime()
            return out
    sol = h.getSolution()
    out.col_value = np.asarray(sol.col_value, dtype=float)
    out.row_dual = np.asarray(sol.row_dual, dtype=float)
    out.highs_time = h.getRunTime()  # cumulative over both runs
    return out


# ------------------------------------------------------------------------- extract


def _take(values: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Values at column indices; 0 where the column does not exist (-1)."""
    out = np.zeros(cols.shape)
    ok = cols >= 0
    out[ok] = values[cols[ok]]
    return out


def year_or_na(year: np.ndarray) -> pd.arrays.IntegerArray:
    """Years as a nullable integer array, -1 as <NA>."""
    return pd.arrays.IntegerArray(year.astype(np.int64), year < 0)


def portfolio_frame(d: RefData, x: np.ndarray, build: np.ndarray) -> pd.DataFrame:
    """Per project: status, sector, park, selected, online year and production by year.

    ``x`` and ``build`` are projects x years. The online year is the first year the
    cumulative build passes one half (a MILP builds 0 or 1 once; the LP relaxation may
    build fractions), as in ioopt.results.portfolio_table; fixed projects keep theirs.
    """
    years = d.years
    built = np.cumsum(build, axis=1) > 0.5
    first = np.where(built.any(axis=1), years[np.argmax(built, axis=1)], -1)
    online = np.where(np.isnan(d.fixed_year), first,
                      np.nan_to_num(d.fixed_year, nan=-1)).astype(np.int64)
    portfolio = pd.DataFrame({"project": d.project_ids, "status": d.status,
                              "sector": d.sector_ids[d.sector_of], "park": d.park,
                              "selected": online >= 0, "online_year": year_or_na(online)})
    for k, t in enumerate(years):
        portfolio[f"production_10k_{t}"] = x[:, k]
    return portfolio


def extract(model: RefModel, sol: RefSolution) -> dict[str, pd.DataFrame]:
    """Portfolio, quota and sector tables comparable to ioopt's (model units; shadow
    prices per base unit, CNY per tce, m3, mu, CNY).
    """
    assert sol.col_value is not None
    xv = sol.col_value
    d = model.data
    years = d.years
    x = _take(xv, model.x_col)                                  # (P, T)
    portfolio = portfolio_frame(d, x, _take(xv, model.b_col))

    qm = model.quota_meta
    act = sp.csc_array((np.asarray(model.lp.a_matrix_.value_), np.asarray(model.lp.a_matrix_.index_),
                        np.asarray(model.lp.a_matrix_.start_)),
                       shape=(model.lp.num_row_, model.lp.num_col_)) @ xv
    rows = qm["row"].to_numpy()
    has = rows >= 0
    used = qm["const"].to_numpy(dtype=float).copy()
    used[has] += act[rows[has]]
    dual = np.zeros(len(qm))
    if sol.row_dual is not None:
        dual[has] = sol.row_dual[rows[has]]
    limit = qm["limit"].to_numpy(dtype=float)
    slack = limit - used
    quotas = pd.DataFrame({
        "name": qm["name"], "year": pd.array(qm["year"], dtype="Int64"), "park": qm["park"],
        "sense": qm["sense"], "limit": limit, "used": used, "slack": slack,
        "binding": np.abs(slack) <= 1e-6 * np.maximum(1.0, np.abs(limit)),
        "dual": dual,
        "shadow_price": dual * MONEY / qm["base_per_model"].to_numpy(dtype=float)
        if sol.row_dual is not None else np.nan,
    })

    S, T = model.imp_col.shape
    prod = np.zeros((S, T))
    np.add.at(prod, d.sector_of, x)
    chain_dual = np.full((S, T), np.nan)
    if sol.row_dual is not None:
        ok = model.chain_row >= 0
        chain_dual[ok] = sol.row_dual[model.chain_row[ok]]
    sectors = pd.DataFrame({
        "sector": np.repeat(d.sector_ids, T), "year": np.tile(years, S),
        "production_10k": prod.ravel(),
        "imports_10k": _take(xv, model.imp_col).ravel(),
        "exports_10k": _take(xv, model.exp_col).ravel(),
        "marginal_value_cny_per_unit": -chain_dual.ravel() * MONEY / 1e4,
    })
    return {"portfolio": portfolio, "quotas": quotas, "sectors": sectors}


# ---------------------------------------------------------------------------- run


@dataclass
class RefResult:
    """A reference run: status, objective (亿元), tables, quota duals, timings, size."""

    status: str
    termination: str
    objective: float | None
    mip_gap: float | None
    portfolio: pd.DataFrame
    quotas: pd.DataFrame
    sectors: pd.DataFrame
    quota_duals: np.ndarray
    """Raw HiGHS row duals of the quota rows, in quotas-table order (亿元 per model unit)."""
    timings: dict[str, float]
    """Seconds: load, build, solve (HiGHS instance, passModel, MILP, fixed LP), extract;
    plus highs (HiGHS's own run time, within solve)."""
    size: dict[str, int]


def reference_run(case_dir: Path, relax: bool = False, time_limit: float | None = None,
                  mip_gap: float | None = None) -> RefResult:
    """Load, build, solve and extract the reference model of a case (see module doc)."""
    t0 = time.perf_counter()
    case = load(case_dir)
    t1 = time.perf_counter()
    model = build(prepare(case))
    t2 = time.perf_counter()
    sol = solve(model, relax=relax, time_limit=time_limit, mip_gap=mip_gap)
    t3 = time.perf_counter()
    tables = (extract(model, sol) if sol.col_value is not None
              else {"portfolio": pd.DataFrame(), "quotas": pd.DataFrame(), "sectors": pd.DataFrame()})
    t4 = time.perf_counter()
    q = tables["quotas"]
    return RefResult(
        status=sol.status, termination=sol.termination, objective=sol.objective,
        mip_gap=sol.mip_gap, portfolio=tables["portfolio"], quotas=q, sectors=tables["sectors"],
        quota_duals=q["dual"].to_numpy() if "dual" in q else np.zeros(0),
        timings={"load": t1 - t0, "build": t2 - t1, "solve": t3 - t2, "extract": t4 - t3,
                 "highs": sol.highs_time},
        size=model.size)
