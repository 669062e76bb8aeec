"""How the answer moves across scenarios: a batch's results store, or several run folders.

:func:`compare` reports

- **selection**: each committed or candidate project selected in all, some or none of the
  scenarios that have a solution (with the scenarios it is in when it is in some);
- **indicators**: the objective and the last year's totals (output, value added, energy,
  CO2, water): min, median, max and the scenarios at the extremes;
- **quotas**: for every quota row, in how many scenarios it binds, the first scenario
  (in the batch's order) where it binds, and the range of its shadow price;
- **sectors**: last-year production of each sector, where it moves across scenarios;
- **against** (exactly two runs): the second against the first, base -> scenario (inputs
  changed, projects in or out, objective and last-year totals, prices that moved), which
  the terminal text shows instead of the ranges.

Scenarios are named by their labels: a batch's by its axis values, a solve folder's by
its scenario's name (else the folder's name).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ioopt import __version__, words
from ioopt.analyses.against import Against, against
from ioopt.batch import store
from ioopt.batch.reading import read_tables
from ioopt.errors import InputError, Problem
from ioopt.solver.status import SolveStatus, solved

COMPARE_JSON = "compare.json"
"""What ``ioopt compare`` compared (its --out folder; ``ioopt report`` reads it)."""


@dataclass
class Comparison:
    """The tables of a comparison, each a DataFrame."""

    scenarios: pd.DataFrame
    selection: pd.DataFrame
    indicators: pd.DataFrame
    quotas: pd.DataFrame
    sectors: pd.DataFrame
    against: Against | None = None
    """Two runs: the second against the first (base -> scenario)."""
    runs: list[str] = field(default_factory=list)
    """The folders compared."""

    def write(self, out_dir: str | Path) -> list[Path]:
        """compare_scenarios.csv (each scenario's changes as sentences, joined by '; '),
        compare_selection.csv, compare_indicators.csv, compare_quotas.csv,
        compare_sectors.csv, compare.json (what was compared, for ``ioopt report``) and, for
        two runs, compare_changes_{projects,indicators,prices}.csv.
        """
        sc = self.scenarios.copy()
        if "scenario_changes" in sc:
            sc["scenario_changes"] = [
                "; ".join(words.scenario_change(c) for c in v) if isinstance(v, (list, tuple, np.ndarray))
                else v for v in sc["scenario_changes"]]
        paths = [store.write_table(out_dir, "compare_scenarios", sc)]
        paths += [store.write_table(out_dir, f"compare_{name}", getattr(self, name))
                  for name in ("selection", "indicators", "quotas", "sectors")]
        if self.against is not None:
            paths += self.against.write(out_dir, "compare_changes")
        meta = {"ioopt_version": __version__, "runs": self.runs,
                "base": self.against.base_name if self.against else None,
                "scenario": self.against.scenario_name if self.against else None,
                "scenario_changes": self.against.inputs if self.against else [],
                "n_scenarios": len(self.scenarios)}
        path = Path(out_dir) / COMPARE_JSON
        path.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
        return [*paths, path]

    def text(self, top: int = 15) -> str:
        """The comparison in a few screens."""
        sc = self.scenarios
        status = sc["status"] if "status" in sc else pd.Series(index=sc.index, dtype=object)
        ok = solved(status)
        rest = status[~ok].value_counts()
        lines = [f"{len(sc)} scenarios, {int(ok.sum())} with a solution"
                 + (f" ({', '.join(f'{v} {k}' for k, v in rest.items())})" if len(rest) else "")]
        if self.against is not None:
            from ioopt.solve_notes import against_lines

            return "\n".join([lines[0], *against_lines(self.against, top)])
        sel = self.selection
        if len(sel):
            for cat in ("all", "some", "none"):
                part = sel[sel["selected_in"] == cat]
                lines.append(f"selected in {cat}: {len(part)} projects")
                if cat == "some":
                    for r in part.head(top).itertuples():
                        lines.append(f"  {r.project:<22} {r.n_selected}/{r.n_solved}  "
                                     f"{r.scenarios_in}")
                    if len(part) > top:
                        lines.append(f"  ... ({len(part)} in compare_selection.csv)")
        if len(self.indicators):
            lines.append("indicators (min .. median .. max):")
            for r in self.indicators.itertuples():
                lines.append(f"  {r.indicator:<38} {r.min:>14,.2f} .. {r.median:>14,.2f} .. "
                             f"{r.max:>14,.2f}   (min in {r.min_in}, max in {r.max_in})")
        q = self.quotas
        if len(q):
            lines.append("quotas that bind somewhere (first scenario where it binds; "
                         "shadow price range):")
            for r in q[q["n_binding"] > 0].head(top * 2).itertuples():
                lines.append(f"  {r.quota:<34} binds in {r.n_binding}/{r.n_solved}, first in "
                             f"{r.first_binding}; price {r.price_min:,.2f} .. {r.price_max:,.2f} "
                             f"{r.shadow_price_unit}")
        s = self.sectors
        if len(s):
            moving = s[s["max"] - s["min"] > 1e-6 * np.maximum(1.0, s["max"].abs())]
            lines.append(f"sectors whose last-year output moves: {len(moving)} of {len(s)}")
            for r in moving.head(top).itertuples():
                lines.append(f"  {r.sector:<24} {r.min:>12,.2f} .. {r.max:>12,.2f} 10k {r.unit}")
        return "\n".join(lines)


def load_runs(paths: list[Path]) -> dict[str, pd.DataFrame]:
    """The tables of a results store (one path) or of several solve output folders."""
    if len(paths) == 1 and store.is_store(paths[0]):
        found = read_tables(paths[0], ("scenario", "portfolio", "quotas", "sectors", "totals"))
        return {"scenarios": found.pop("scenario"), **found}
    if len(paths) < 2:
        raise InputError([Problem(str(paths[0]) if paths else "(none)", None, None, None,
                                  "a batch results folder (with manifest.json), or two or more "
                                  "solve output folders (with summary.json)")])
    rows: list[dict[str, object]] = []
    tables: dict[str, list[pd.DataFrame]] = {"portfolio": [], "quotas": [], "sectors": [],
                                             "totals": []}
    for p in paths:
        s = store.read_summary(p)
        if not s:
            raise InputError([Problem(str(p), None, None, None,
                                      "a solve output folder (with summary.json)")])
        sid = p.name if p.name not in {r["scenario_id"] for r in rows} else str(p)
        rows.append({"scenario_id": sid, "label": s.get("scenario_name") or sid,
                     "scenario_changes": s.get("scenario_changes") or [],
                     "status": SolveStatus.parse(s.get("status")).value,
                     "objective": s.get("objective"),
                     "objective_unit": s.get("objective_unit", "")})
        found = store.read_run_tables(p, tuple(tables))
        for t in tables:
            if t in found:
                tables[t].append(found[t].assign(scenario_id=sid))
        if "totals" in found and len(found["totals"]):
            last = found["totals"].iloc[-1]
            rows[-1].update({f"last_year_{c}": float(last[c]) for c in last.index if c != "year"})
    out = {"scenarios": pd.DataFrame(rows)}
    for t, frames in tables.items():
        out[t] = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
            columns=["scenario_id"])
    return out


def compare(paths: list[Path]) -> Comparison:
    """Compare the scenarios of a results store, or several solve output folders."""
    t = load_runs(paths)
    sc = t["scenarios"]
    order = sc["scenario_id"].tolist()
    solved_ids = sc.loc[solved(sc["status"]), "scenario_id"].tolist() if "status" in sc else []
    names = scenario_names(sc)
    out = Comparison(scenarios=sc,
                     selection=_selection(t["portfolio"], solved_ids, names),
                     indicators=_indicators(sc[sc["scenario_id"].isin(solved_ids)], names),
                     quotas=_quotas(t["quotas"], order, len(solved_ids), names),
                     sectors=_sectors(t["sectors"], names), runs=[str(p) for p in paths])
    if len(sc) == 2 and len(solved_ids) == 2:
        base, scen = (_one(t, sid) for sid in order)
        out.against = against(base, scen, names[order[0]], names[order[1]])
    return out


def scenario_names(sc: pd.DataFrame) -> dict[str, str]:
    """scenario_id -> its name: a batch scenario by its axis values (its label, 'energy=0.9,
    capital=300'), a solve folder by its scenario's name (else the folder's).
    """
    if sc.empty:
        return {}
    labels = sc["label"] if "label" in sc else sc["scenario_id"]
    return {str(i): str(lab) if isinstance(lab, str) and lab else str(i)
            for i, lab in zip(sc["scenario_id"], labels, strict=True)}


def _one(t: dict[str, pd.DataFrame], sid: str) -> dict[str, object]:
    """One scenario's summary and tables, as :func:`ioopt.analyses.against.against` reads."""
    row = t["scenarios"].set_index("scenario_id").loc[sid]
    changes = row.get("scenario_changes")
    summary = {"objective": row.get("objective"),
               "scenario_changes": changes if isinstance(changes, list) else []}
    out: dict[str, object] = {"summary": summary}
    for name in ("portfolio", "quotas", "totals"):
        frame = t.get(name, pd.DataFrame())
        out[name] = (frame[frame["scenario_id"] == sid].drop(columns="scenario_id")
                     if "scenario_id" in frame else frame)
    return out


def _selection(pf: pd.DataFrame, solved: list[str], names: dict[str, str]) -> pd.DataFrame:
    cols = ["project", "status", "n_selected", "n_solved", "share", "selected_in",
            "scenarios_in"]
    if pf.empty or not solved:
        return pd.DataFrame(columns=cols)
    pf = pf[(pf["status"] != "existing") & pf["scenario_id"].isin(solved)]
    pf = pf.assign(selected=pf["selected"].astype(bool))
    rows = []
    for project, g in pf.groupby("project", sort=False):
        # one row per project: a scenario that forces it in or commits it changes its status
        status = " / ".join(dict.fromkeys(g["status"].astype(str)))
        k = int(g["selected"].sum())
        n = len(g)
        cat = "all" if k == n else "none" if k == 0 else "some"
        ins = [names.get(str(x), str(x)) for x in g.loc[g["selected"], "scenario_id"]]
        rows.append({"project": project, "status": status, "n_selected": k, "n_solved": n,
                     "share": k / n, "selected_in": cat,
                     "scenarios_in": "; ".join(ins) if cat == "some" and len(ins) <= 12 else
                     (f"{len(ins)} scenarios" if cat == "some" else "")})
    out = pd.DataFrame(rows, columns=cols)
    rank = out["selected_in"].map({"all": 0, "some": 1, "none": 2})
    return out.assign(_r=rank).sort_values(["_r", "share", "project"],
                                           ascending=[True, False, True]).drop(columns="_r")


def _indicators(sc: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    cols = ["indicator", "min", "median", "max", "min_in", "max_in"]
    names = ["objective", *[c for c in sc.columns if c.startswith("last_year_")]]
    rows = []
    for c in names:
        v = pd.to_numeric(sc[c], errors="coerce") if c in sc else pd.Series(dtype=float)
        if v.notna().sum() == 0:
            continue
        rows.append({"indicator": c, "min": v.min(), "median": v.median(), "max": v.max(),
                     "min_in": labels.get(str(sc.loc[v.idxmin(), "scenario_id"])),
                     "max_in": labels.get(str(sc.loc[v.idxmax(), "scenario_id"]))})
    return pd.DataFrame(rows, columns=cols)


def _quota_label(r: pd.Series) -> str:
    parts = [str(r["name"])]
    for k in ("year", "park", "scope"):
        v = r.get(k)
        if v is not None and not (isinstance(v, float) and np.isnan(v)) and not pd.isna(v):
            parts.append(str(int(v)) if k == "year" else str(v))
    return " ".join(parts)


def _quotas(q: pd.DataFrame, order: list[str], n_solved: int, names: dict[str, str]
            ) -> pd.DataFrame:
    cols = ["quota", "n_binding", "n_solved", "first_binding", "price_min", "price_max",
            "shadow_price_unit"]
    if q.empty:
        return pd.DataFrame(columns=cols)
    q = q.assign(quota=q.apply(_quota_label, axis=1),
                 _o=q["scenario_id"].map({s: i for i, s in enumerate(order)}))
    rows = []
    for label, g in q.groupby("quota", sort=False):
        g = g.sort_values("_o")
        b = g[g["binding"].astype(bool)]
        rows.append({"quota": label, "n_binding": len(b), "n_solved": n_solved,
                     "first_binding": names.get(str(b["scenario_id"].iloc[0]), "") if len(b) else "",
                     "price_min": g["shadow_price"].min(), "price_max": g["shadow_price"].max(),
                     "shadow_price_unit": g["shadow_price_unit"].iloc[0]})
    return pd.DataFrame(rows, columns=cols)


def _sectors(s: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    cols = ["sector", "unit", "min", "max", "min_in", "max_in"]
    if s.empty:
        return pd.DataFrame(columns=cols)
    last = s[s["year"] == s["year"].max()]
    rows = []
    for sector, g in last.groupby("sector", sort=False):
        v = g["production_10k"].astype(float)
        rows.append({"sector": sector, "unit": g["unit"].iloc[0], "min": v.min(),
                     "max": v.max(), "min_in": names.get(str(g.loc[v.idxmin(), "scenario_id"])),
                     "max_in": names.get(str(g.loc[v.idxmax(), "scenario_id"]))})
    out = pd.DataFrame(rows, columns=cols)
    return out.assign(_span=out["max"] - out["min"]).sort_values(
        "_span", ascending=False).drop(columns="_span")
