"""Plain-text renderings for the terminal: the run summary and the case-format reference."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ioopt.families import SWITCHABLE
from ioopt.schemas import TABLES, CaseConfig

if TYPE_CHECKING:
    from ioopt.api import RunResult


def _fmt(v: float, digits: int = 4) -> str:
    if v is None or pd.isna(v):
        return "-"
    a = abs(v)
    if a >= 1e5:
        return f"{v:,.0f}"
    return f"{v:.{digits}g}"


def fmt_quantity(value_10k: float, unit: str) -> str:
    """A quantity held in 万 units, as a planner writes it: '80 万t', '25 亿元', '1 亿vial'."""
    if unit == "10k CNY":  # 万 x 万元 = 亿元
        return f"{value_10k:,.4g} 亿元"
    if abs(value_10k) >= 1e4:
        return f"{value_10k / 1e4:,.4g} 亿{unit}"
    return f"{value_10k:,.4g} 万{unit}"


def _where(r: Any) -> str:
    parts = [str(x) for x in (r.year, r.park, r.scope) if x is not None and not pd.isna(x)]
    return " ".join(parts)


def text_summary(result: RunResult) -> str:
    """The planning answer: headline by year, output against the plan's targets by chain
    and sector, projects by chain, the binding quotas with their prices, missed targets.
    """
    s = result.summary()
    cfg = result.case.config
    title = f" ({cfg.title})" if cfg.title else ""
    lines = [f"ioopt {s['ioopt_version']} - case '{s['case']}'{title}"
             + (f", scenario {s['scenario']}" if s["scenario"] else "")]
    for change in s["scenario_changes"]:
        lines.append(f"  scenario change: {change}")
    lines.append(f"status: {s['status']} ({s['message']})")
    if not result.ok:
        return "\n".join(lines + _infeasibility_lines(result))
    lines.append(f"objective: {_fmt(s['objective'], 6)} {s['objective_unit']} "
                 f"({s['objective_name']})"
                 + (f", MIP gap {s['mip_gap']:.1e}" if s["mip_gap"] else ""))
    lines += ["", *_totals_lines(result), "", *_chain_lines(result), "",
              *_project_lines(result), "", *_quota_lines(result)]
    return "\n".join(lines)


def _totals_lines(result: RunResult) -> list[str]:
    lines = ["region by year      gross output  value added   energy      CO2        water",
             "                    (亿元)        (亿元)        (万tce)     (万t)      (万m3)"]
    for r in result.totals.itertuples():
        lines.append(f"  {r.year}            {r.gross_output_100m_cny:>11,.1f}  "
                     f"{r.value_added_100m_cny:>11,.1f}  {r.energy_10k_tce:>9,.1f}  "
                     f"{r.co2_10k_t:>8,.1f}  {r.water_10k_m3:>9,.1f}")
    return lines


_TARGET_WORDS = {
    "sector_value_floor": ("output value", ">="),
    "sector_capacity_floor": ("capacity", ">="),
    "sector_capacity_cap": ("capacity", "<="),
    "sector_output_floor": ("output", ">="),
    "sector_output_cap": ("output", "<="),
}


def _target_text(r: Any) -> str:
    what, sense = _TARGET_WORDS[r.name]
    lim = (f"{r.limit:,.4g} 亿元" if r.unit == "100m CNY"
           else fmt_quantity(r.limit, r.unit.removeprefix("10k ")))
    gap = r.limit - r.used if sense == ">=" else r.used - r.limit
    if gap <= 1e-6 * max(1.0, abs(r.limit)):
        verdict = "met" if sense == ">=" else "within"
    else:
        verdict = f"{'short' if sense == '>=' else 'over'} by {gap:,.4g}"
    return f"{what} {sense} {lim}: {r.used:,.4g} {verdict}"


def _chain_lines(result: RunResult) -> list[str]:
    """Last-year output by chain and sector next to the targets of rules.csv."""
    last = result.case.years[-1]
    sec = result.sectors[result.sectors["year"] == last]
    names = result.case.sectors["name"]
    q = result.quotas
    targets = q[q["name"].isin(list(_TARGET_WORDS)) & (q["year"] == last)]
    by_scope = {sc: list(g.itertuples()) for sc, g in targets.groupby("scope")}
    lines = [f"{last} output by chain and sector, at base-year prices, against the plan's targets"]
    chains = sec.groupby("chain")["output_value_100m_cny"].sum().sort_values(ascending=False)
    for chain, value in chains.items():
        tgt = "; ".join(_target_text(r) for r in by_scope.get(chain, []))
        lines.append(f"  {chain:<34} {value:>9,.1f} 亿元   {tgt}")
        for r in sec[sec["chain"] == chain].itertuples():
            tgt = "; ".join(_target_text(t) for t in by_scope.get(r.sector, []))
            if r.production_10k <= 1e-9 and not tgt:
                continue
            name = str(names.get(r.sector, ""))
            name = name if len(name) <= 30 else name[:28] + ".."
            lines.append(f"    {r.sector:<13} {name:<30} {fmt_quantity(r.production_10k, r.unit):>14}  "
                         f"{r.output_value_100m_cny:>8,.1f} 亿元  {tgt}")
    total = float(sec["output_value_100m_cny"].sum())
    lines.append(f"  {'all chains':<34} {total:>9,.1f} 亿元")
    return lines


def _project_lines(result: RunResult) -> list[str]:
    pf = result.portfolio
    new = pf[pf["status"] != "existing"]
    n_committed = int((new["status"] == "committed").sum())
    cand = new[new["status"] == "candidate"]
    lines = [f"new projects by chain: {n_committed} committed; {int(cand['selected'].sum())} of "
             f"{len(cand)} candidates selected (+ committed, + selected, - rejected)"]
    for chain, grp in new.groupby("chain", sort=True):
        sel = grp[grp["selected"]]
        rej = grp[~grp["selected"]]
        capex = float(sel["capex_100m_cny"].sum())
        lines.append(f"  {chain}: {len(sel)} in ({capex:,.1f} 亿元 investment), {len(rej)} out")
        for r in sel.itertuples():
            mark = "+ committed" if r.status == "committed" else "+ selected "
            lines.append(f"    {mark} {r.project:<22} {r.park:<5} online {r.online_year}  "
                         f"{fmt_quantity(r.capacity_10k, r.unit):>12}/yr  {r.name}")
        for r in rej.itertuples():
            lines.append(f"    - rejected  {r.project:<22} {r.park:<5}"
                         f"{'':<31}{r.name}")
    return lines


def _infeasibility_lines(result: RunResult) -> list[str]:
    inf = result.infeasibility
    if inf is None:
        return []
    lines = [""]
    if inf.sentences:
        lines.append("smallest relaxation that makes it feasible (each in its own unit):")
        lines += [f"  {s}" for s in inf.sentences]
    else:
        lines.append(f"no quota relaxation found: {inf.status}")
    for s in inf.structural:
        lines.append(f"  cannot be relaxed: {s}")
    if inf.iis:
        lines.append(f"conflicting constraints: {', '.join(inf.iis[:12])}"
                     + (f" and {len(inf.iis) - 12} more" if len(inf.iis) > 12 else ""))
    if inf.iis_note:
        lines.append(f"  ({inf.iis_note})")
    return lines


def _quota_lines(result: RunResult) -> list[str]:
    q = result.quotas
    binding = q[q["binding"]]
    lines = ["binding quotas and rules (shadow price = objective gain per unit of relaxation)"]
    for r in binding.itertuples():
        word = "short by" if r.sense == ">=" else "over by"
        viol = f"  {word} {_fmt(r.violation)} (soft)" if r.violation > 1e-9 else ""
        price = f"{_fmt(r.shadow_price):>9} {r.shadow_price_unit}"
        if r.price_note:
            price = f"{'n/a':>9} {r.shadow_price_unit}"
        holds = ""
        lo, hi = r.limit_lo_same_price, r.limit_hi_same_price
        if not r.price_note and not (pd.isna(lo) and pd.isna(hi)):
            holds = f"  holds for limit {_fmt_bound(lo)}..{_fmt_bound(hi)}"
        lines.append(f"  {r.name:<22} {_where(r):<19} limit {_fmt(r.limit):>9} "
                     f"used {_fmt(r.used):>9} {r.unit:<16} {price}{viol}{holds}")
    if q["limit_lo_same_price"].notna().any():
        lines.append("  holds for limit: the interval of the limit over which the shadow price "
                     "stays the same, for the fixed portfolio (HiGHS ranging)")
    for note in binding["price_note"].unique():
        if note:
            lines.append(f"  n/a: {note}")
    slack = q[~q["binding"]]
    if len(slack):
        counts = slack.groupby("name", sort=False).size()
        lines.append("not binding: " + ", ".join(f"{k} ({v})" for k, v in counts.items()))
    lines.append(f"shadow prices: {result.summary()['shadow_price_method']}")
    return lines


def _fmt_bound(v: float) -> str:
    if pd.isna(v):
        return "?"
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    return _fmt(v)


def schema_text() -> str:
    """The case format, file by file and column by column, from the pydantic models."""
    out = ["A case is a folder with case.yaml and these CSV tables (UTF-8, header row, one",
           "'source' column with the provenance of every row). Blank cells take the default.",
           "", "case.yaml"]
    out += _fields(CaseConfig, "  ")
    for name, sub in (("accounting", "Accounting"), ("objective", "Objective"),
                      ("solver", "SolverSettings"), ("families.<family>", "FamilySettings")):
        from ioopt import schemas

        out.append(f"  {name}:")
        out += _fields(getattr(schemas, sub), "    ")
    for spec in TABLES.values():
        req = "required" if spec.required else "optional"
        out.append("")
        out.append(f"{spec.file} ({req}; key: {', '.join(spec.key)})")
        out += _fields(spec.row, "  ")
    out.append("")
    out.append("constraint families (switch in case.yaml 'families' or a scenario):")
    for fam, fspec in SWITCHABLE.items():
        out.append(f"  {fam:<22} {fspec.sense}  {fspec.description}")
    return "\n".join(out)


def _fields(model: type, indent: str) -> list[str]:
    lines = []
    for name, f in model.model_fields.items():  # type: ignore[attr-defined]
        req = "required" if f.is_required() else f"default {f.default!r}" if (
            f.default is not None and not callable(f.default_factory)) else "optional"
        lines.append(f"{indent}{name:<22} {req:<18} {f.description or ''}")
    return lines
