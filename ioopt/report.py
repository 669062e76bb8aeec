"""Plain-text renderings for the terminal: the run summary and the case-format reference."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ioopt.schemas import FAMILIES, TABLES, CaseConfig

if TYPE_CHECKING:
    from ioopt.api import RunResult


def _fmt(v: float, digits: int = 4) -> str:
    if v is None or pd.isna(v):
        return "-"
    a = abs(v)
    if a >= 1e5:
        return f"{v:,.0f}"
    return f"{v:.{digits}g}"


def text_summary(result: RunResult, max_projects: int = 40) -> str:
    """A readable summary: objective, selected projects by chain, every quota."""
    s = result.summary()
    lines = [f"ioopt {s['ioopt_version']} - case '{s['case']}'"
             + (f", scenario {s['scenario']}" if s["scenario"] else "")]
    lines.append(f"status: {s['status']} ({s['message']})")
    if not result.ok:
        return "\n".join(lines)
    lines.append(f"objective: {_fmt(s['objective'], 6)} {s['objective_unit']} "
                 f"({s['objective_name']})")
    if s["mip_gap"]:
        lines.append(f"MIP gap: {s['mip_gap']:.2e}")
    t = result.totals
    lines.append("")
    lines.append("region by year      gross output  value added   energy      CO2        water")
    lines.append("                    (100m CNY)    (100m CNY)   (10k tce)  (10k t)   (10k m3)")
    for r in t.itertuples():
        lines.append(f"  {r.year}            {r.gross_output_100m_cny:>11,.1f}  "
                     f"{r.value_added_100m_cny:>11,.1f}  {r.energy_10k_tce:>9,.1f}  "
                     f"{r.co2_10k_t:>8,.1f}  {r.water_10k_m3:>9,.1f}")
    pf = result.portfolio
    new = pf[pf["status"] != "existing"]
    lines.append("")
    lines.append(f"new projects: {s['n_selected']} selected of {len(new)} "
                 f"({s['n_candidates']} candidates, {int((new['status'] == 'committed').sum())} "
                 "committed)")
    shown = 0
    for chain, grp in new.groupby("chain", sort=True):
        sel = grp[grp["selected"]]
        rej = grp[~grp["selected"]]
        lines.append(f"  {chain}: {len(sel)} in, {len(rej)} out")
        for r in sel.itertuples():
            if shown >= max_projects:
                break
            shown += 1
            tag = "committed" if r.status == "committed" else "selected"
            lines.append(f"    + {r.project:<28} {tag:<9} online {r.online_year}  "
                         f"{r.capacity_10k:g} 万{r.unit}/yr  {r.name}")
        for r in rej.itertuples():
            if shown >= max_projects:
                break
            shown += 1
            lines.append(f"    - {r.project:<28} rejected            {r.name}")
    if shown >= max_projects:
        lines.append(f"    ... (all {len(new)} in portfolio.csv)")
    lines.append("")
    lines.append("quotas (limit, used, shadow price = objective gain per unit of relaxation)")
    q = result.quotas
    for r in q.itertuples():
        where = " ".join(str(int(x)) if isinstance(x, float) else str(x)
                         for x in (r.year, r.park, r.scope) if x is not None and not pd.isna(x))
        flag = "BINDING" if r.binding else "       "
        viol = f"  violated by {_fmt(r.violation)} (soft)" if r.violation > 1e-9 else ""
        lines.append(f"  {flag} {r.name:<22} {where:<22} limit {_fmt(r.limit):>10} "
                     f"used {_fmt(r.used):>10} {r.unit:<14} "
                     f"price {_fmt(r.shadow_price):>10} {r.shadow_price_unit}{viol}")
    lines.append("")
    lines.append(f"shadow prices: {s['shadow_price_method']}")
    return "\n".join(lines)


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
    for fam, fspec in FAMILIES.items():
        out.append(f"  {fam:<22} {fspec.sense}  {fspec.description}")
    return "\n".join(out)


def _fields(model: type, indent: str) -> list[str]:
    lines = []
    for name, f in model.model_fields.items():  # type: ignore[attr-defined]
        req = "required" if f.is_required() else f"default {f.default!r}" if (
            f.default is not None and not callable(f.default_factory)) else "optional"
        lines.append(f"{indent}{name:<22} {req:<18} {f.description or ''}")
    return lines
