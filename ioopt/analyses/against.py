"""A scenario against its base: what the scenario changed (its inputs) and what moved
(projects in or out, the objective and the last year's totals, quota prices), from the
tables of two solved runs (RunResults or run folders). ``ioopt solve --scenario`` solves
the base too and keeps it in ``<out>/base``; the report and ``ioopt compare`` of two runs
show these tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ioopt.batch import store

INDICATOR_COLUMNS = ["indicator", "base", "scenario", "change", "change_pct"]
PROJECT_COLUMNS = ["project", "name", "chain", "park", "status", "base", "scenario", "change"]
PRICE_COLUMNS = ["name", "year", "park", "scope", "unit", "shadow_price_unit", "base_binding",
                 "scenario_binding", "base_price", "scenario_price", "change"]
TOTALS = ["gross_output_100m_cny", "value_added_100m_cny", "energy_10k_tce", "co2_10k_t",
          "water_10k_m3"]


@dataclass
class Against:
    """base -> scenario: the inputs changed and the tables of what moved."""

    base_name: str
    scenario_name: str
    inputs: list[str] = field(default_factory=list)
    projects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PROJECT_COLUMNS))
    indicators: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=INDICATOR_COLUMNS))
    prices: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PRICE_COLUMNS))

    def write(self, out_dir: str | Path, prefix: str = "against") -> list[Path]:
        """``<prefix>_projects.csv``, ``<prefix>_indicators.csv``, ``<prefix>_prices.csv``."""
        return [store.write_table(out_dir, f"{prefix}_{name}", getattr(self, name))
                for name in ("projects", "indicators", "prices")]


def tables_of(run: Any) -> dict[str, Any]:
    """A RunResult's or a run folder's summary and tables, as :func:`against` reads them."""
    if isinstance(run, (str, Path)):
        found = store.read_run_tables(run, ("portfolio", "quotas", "totals"))
        return {"summary": store.read_summary(run), **found}
    return {"summary": run.summary(), "portfolio": run.portfolio, "quotas": run.quotas,
            "totals": run.totals}


def _last(totals: pd.DataFrame | None) -> pd.Series:
    if totals is None or totals.empty:
        return pd.Series(dtype=float)
    return totals.sort_values("year").iloc[-1]


def against(base: dict[str, Any], scen: dict[str, Any], base_name: str = "base",
            scenario_name: str = "scenario") -> Against:
    """What moved from ``base`` to ``scen`` (each from :func:`tables_of`)."""
    s = scen.get("summary") or {}
    out = Against(base_name, scenario_name, inputs=list(s.get("scenario_changes") or []))
    out.indicators = _indicators(base, scen)
    out.projects = _projects(base.get("portfolio"), scen.get("portfolio"))
    out.prices = _prices(base.get("quotas"), scen.get("quotas"))
    return out


def _indicators(base: dict[str, Any], scen: dict[str, Any]) -> pd.DataFrame:
    rows = []
    pairs = [("objective", (base.get("summary") or {}).get("objective"),
              (scen.get("summary") or {}).get("objective"))]
    b, sc = _last(base.get("totals")), _last(scen.get("totals"))
    year = int(sc["year"]) if "year" in sc else None
    for col in TOTALS:
        if col in b and col in sc:
            pairs.append((f"{col} ({year})" if year else col, b[col], sc[col]))
    pf_b, pf_s = base.get("portfolio"), scen.get("portfolio")
    if pf_b is not None and pf_s is not None and len(pf_b) and len(pf_s):
        pairs.append(("n_selected", _n_new(pf_b), _n_new(pf_s)))
    for name, vb, vs in pairs:
        if vb is None or vs is None:
            continue
        vb, vs = float(vb), float(vs)
        rows.append({"indicator": name, "base": vb, "scenario": vs, "change": vs - vb,
                     "change_pct": 100.0 * (vs - vb) / abs(vb) if abs(vb) > 1e-12 else np.nan})
    return pd.DataFrame(rows, columns=INDICATOR_COLUMNS)


def _n_new(pf: pd.DataFrame) -> int:
    new = pf[pf["status"] != "existing"]
    return int(new["selected"].astype(bool).sum())


def _projects(pb: pd.DataFrame | None, ps: pd.DataFrame | None) -> pd.DataFrame:
    """New projects selected in one run and not the other, one row each (a project the
    scenario forces in or commits is one row: its status in the scenario).
    """
    if pb is None or ps is None or pb.empty or ps.empty:
        return pd.DataFrame(columns=PROJECT_COLUMNS)
    b = {r["project"]: r for r in pb.drop_duplicates("project").to_dict("records")}
    s = {r["project"]: r for r in ps.drop_duplicates("project").to_dict("records")}
    rows = []
    for j in pd.Index(list(s)).union(pd.Index(list(b)), sort=False):
        in_b = bool(b[j]["selected"]) if j in b else False
        in_s = bool(s[j]["selected"]) if j in s else False
        src = s[j] if j in s else b[j]
        status = str(src["status"])
        if in_b == in_s or status == "existing":
            continue
        rows.append({"project": j, "name": src["name"], "chain": src["chain"],
                     "park": src["park"], "status": status,
                     "base": "in" if in_b else "out", "scenario": "in" if in_s else "out",
                     "change": "enters" if in_s else "leaves"})
    out = pd.DataFrame(rows, columns=PROJECT_COLUMNS)
    return out.sort_values(["change", "project"]).reset_index(drop=True)


def _key(q: pd.DataFrame) -> pd.DataFrame:
    q = q.copy()
    for k in ("park", "scope"):
        q[k] = q[k].where(q[k].notna(), "") if k in q else ""
    q["year"] = q["year"].where(q["year"].notna(), -1).astype(int) if "year" in q else -1
    return q.set_index(["name", "year", "park", "scope"])


def _prices(qb: pd.DataFrame | None, qs: pd.DataFrame | None, rtol: float = 1e-6
            ) -> pd.DataFrame:
    """Quota rows whose binding or shadow price moved."""
    if qb is None or qs is None or qb.empty or qs.empty:
        return pd.DataFrame(columns=PRICE_COLUMNS)
    b, s = _key(qb), _key(qs)
    b = b[~b.index.duplicated()]
    s = s[~s.index.duplicated()]
    # rows as dicts by key (a .loc per row of a MultiIndex costs the page ~50 ms)
    bd = dict(zip(b.index, b.to_dict("records"), strict=True))
    sd = dict(zip(s.index, s.to_dict("records"), strict=True))
    rows = []
    for k in s.index.union(b.index, sort=False):
        rb, rs = bd.get(k), sd.get(k)
        pb = float(rb["shadow_price"]) if rb is not None and pd.notna(rb["shadow_price"]) else 0.0
        ps = float(rs["shadow_price"]) if rs is not None and pd.notna(rs["shadow_price"]) else 0.0
        bb = bool(rb["binding"]) if rb is not None else False
        bs = bool(rs["binding"]) if rs is not None else False
        if bb == bs and abs(ps - pb) <= rtol * max(1.0, abs(pb), abs(ps)):
            continue
        ref = rs if rs is not None else rb
        assert ref is not None
        name, year, park, scope = k
        rows.append({"name": name, "year": year if year >= 0 else None, "park": park,
                     "scope": scope, "unit": ref.get("unit", ""),
                     "shadow_price_unit": ref.get("shadow_price_unit", ""),
                     "base_binding": bb, "scenario_binding": bs, "base_price": pb,
                     "scenario_price": ps, "change": ps - pb})
    return pd.DataFrame(rows, columns=PRICE_COLUMNS)
