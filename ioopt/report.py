"""Plain-text renderings for the terminal: the run summary and the case-format reference."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ioopt import words
from ioopt.families import FAMILIES, RULE_FAMILIES, SWITCHABLE
from ioopt.schemas import TABLES, CaseConfig

if TYPE_CHECKING:
    from ioopt.api import RunResult
    from ioopt.errors import Problem


YUAN = words.unit("100m CNY")
"""Money as the summary writes it: 亿元."""


def _t(key: str, **fmt: object) -> str:
    return words.t(f"text.{key}", **fmt)


def _fmt(v: float, sig: int = 4) -> str:
    return words.num(v, sig)


def fmt_quantity(value_10k: float, unit: str) -> str:
    """A quantity held in 万 units, as a planner writes it: '80 万t', '25 亿元', '1 亿vial'."""
    if unit == "10k CNY":  # 万 x 万元 = 亿元
        return f"{words.num(value_10k)} {YUAN}"
    if abs(value_10k) >= 1e4:
        return f"{words.num(value_10k / 1e4)} {words.YI}{unit}"
    return f"{words.num(value_10k)} {words.WAN}{unit}"


NEARLY_FULL = 0.01
"""A row used within this share of its limit is listed as nearly full, not as slack."""
LUMPY = ("money", "land")
"""Dimensions of the rows only build decisions enter (investment, land): all or nothing."""


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
    lines = [_t("title", version=s["ioopt_version"], case=s["case"], title=title)
             + (_t("scenario", scenario=s["scenario"]) if s["scenario"] else "")]
    lines.append(words.t("sec.case_path", path=s["case_dir"]))
    if s.get("scenario_description"):
        lines.append(f"  {s['scenario_description']}")
    for change in s["scenario_changes"]:
        lines.append(_t("change", change=words.scenario_change(change)))
    lines += warning_lines(result.case.warnings)
    lines.append(_t("status", status=words.status(result.status), message=s["message"]))
    if not result.ok:
        return "\n".join(lines + _infeasibility_lines(result))
    lines.append(_t("objective", value=_fmt(s["objective"], 7), unit=words.unit(s["objective_unit"]),
                    name=s["objective_name"])
                 + (_t("mip_gap", gap=words.gap(s["mip_gap"])) if s["mip_gap"] else ""))
    lines += ["", *_totals_lines(result), "", *_chain_lines(result), "",
              *_project_lines(result), "", *_quota_lines(result), *history_lines(result)]
    return "\n".join(lines)


def warning_lines(warnings: list[Problem], n: int = 8) -> list[str]:
    """The case's warnings (case.yaml ``checks`` set to warn), the first ``n`` of them."""
    if not warnings:
        return []
    lines = [words.t("text.warnings", n=len(warnings)), *(f"  {w}" for w in warnings[:n])]
    if len(warnings) > n:
        lines.append(words.t("text.warnings_more", n=len(warnings) - n))
    return lines


def history_lines(result: RunResult, n: int = 5) -> list[str]:
    """The case against its history (the backcast), largest errors first; none without
    history.
    """
    bc = result.backcast
    if bc is None:
        return []
    lines = ["", words.t("backcast.summary_title", base=bc.base_year), *bc.why()]
    for r in bc.largest(n).itertuples():
        lines.append(words.t("backcast.summary_line", indicator=r.indicator, scope=r.scope,
                             year=r.year, model=_fmt(r.model), history=_fmt(r.history_compared),
                             unit=words.unit(str(r.unit)), error=f"{r.error_pct:+.1f} %",
                             basis=r.basis))
    lines.append(words.t("backcast.summary_more", n=len(bc.table)))
    return lines


def _totals_lines(result: RunResult) -> list[str]:
    lines = _t("totals_header").split("\n")
    for r in result.totals.itertuples():
        lines.append(f"  {r.year}            {r.gross_output_100m_cny:>11,.1f}  "
                     f"{r.value_added_100m_cny:>11,.1f}  {r.energy_10k_tce:>9,.1f}  "
                     f"{r.co2_10k_t:>8,.1f}  {r.water_10k_m3:>9,.1f}")
    return lines


def _target_text(r: Any) -> str:
    what, sense = _t(f"target.{r.name}"), FAMILIES[r.name].sense
    lim = (f"{words.num(r.limit)} {YUAN}" if r.unit == "100m CNY"
           else fmt_quantity(r.limit, r.unit.removeprefix("10k ")))
    gap = r.limit - r.used if sense == ">=" else r.used - r.limit
    if gap <= 1e-6 * max(1.0, abs(r.limit)):
        verdict = words.t("met" if sense == ">=" else "within")
    else:
        verdict = f"{words.t('short_by' if sense == '>=' else 'over_by')} {words.num(gap)}"
    mark = f" ({words.t('indicator')})" if getattr(r, "mode", "") == "report" else ""
    return f"{what} {sense} {lim}{mark}: {words.num(r.used)} {verdict}"


def _chain_lines(result: RunResult) -> list[str]:
    """Last-year output by chain and sector next to the targets of rules.csv."""
    last = result.case.years[-1]
    sec = result.sectors[result.sectors["year"] == last]
    names = result.case.sectors["name"]
    q = result.quotas
    targets = q[q["name"].isin(RULE_FAMILIES) & (q["year"] == last)]
    by_scope = {sc: list(g.itertuples()) for sc, g in targets.groupby("scope")}
    lines = [_t("chains_title", year=last)]
    chains = sec.groupby("chain")["output_value_100m_cny"].sum().sort_values(ascending=False)
    for chain, value in chains.items():
        tgt = "; ".join(_target_text(r) for r in by_scope.get(chain, []))
        lines.append(f"  {chain:<34} {value:>9,.1f} {YUAN}   {tgt}")
        for r in sec[sec["chain"] == chain].itertuples():
            tgt = "; ".join(_target_text(t) for t in by_scope.get(r.sector, []))
            if r.production_10k <= 1e-9 and not tgt:
                continue
            name = str(names.get(r.sector, ""))
            name = name if len(name) <= 30 else name[:28] + ".."
            lines.append(f"    {r.sector:<13} {name:<30} {fmt_quantity(r.production_10k, r.unit):>14}  "
                         f"{r.output_value_100m_cny:>8,.1f} {YUAN}  {tgt}")
    total = float(sec["output_value_100m_cny"].sum())
    lines.append(f"  {_t('all_chains'):<34} {total:>9,.1f} {YUAN}")
    return lines


def _project_lines(result: RunResult) -> list[str]:
    pf = result.portfolio
    new = pf[pf["status"] != "existing"]
    n_committed = int((new["status"] == "committed").sum())
    cand = new[new["status"] == "candidate"]
    lines = [_t("projects_title", committed=n_committed, selected=int(cand["selected"].sum()),
                candidates=len(cand))]
    for chain, grp in new.groupby("chain", sort=True):
        sel = grp[grp["selected"]]
        rej = grp[~grp["selected"]]
        capex = float(sel["capex_100m_cny"].sum())
        lines.append(_t("chain_projects", chain=chain, n_in=len(sel), capex=words.num(capex),
                        n_out=len(rej)))
        for r in sel.itertuples():
            mark = _t("mark_committed" if r.status == "committed" else "mark_selected")
            lines.append(f"    {mark} {r.project:<22} {r.park:<5} {words.t('online')} "
                         f"{r.online_year}  {fmt_quantity(r.capacity_10k, r.unit):>12}/yr  {r.name}")
        for r in rej.itertuples():
            lines.append(f"    {_t('mark_rejected')} {r.project:<22} {r.park:<5}"
                         f"{'':<31}{r.name}")
    return lines


def _infeasibility_lines(result: RunResult) -> list[str]:
    inf = result.infeasibility
    if inf is None:
        return []
    lines = [""]
    if inf.sentences:
        lines.append(_t("relaxation"))
        lines += [f"  {s}" for s in inf.sentences]
    else:
        lines.append(_t("no_relaxation", status=inf.status))
    for s in inf.structural:
        lines.append(_t("structural", what=s))
    if inf.iis:
        lines.append(_t("iis", names=", ".join(inf.iis[:12]))
                     + (_t("iis_more", n=len(inf.iis) - 12) if len(inf.iis) > 12 else ""))
    if inf.iis_note:
        lines.append(f"  ({inf.iis_note})")
    return lines


def _quota_lines(result: RunResult) -> list[str]:
    q = result.quotas
    binding = q[q["binding"] | (q["violation"] > 1e-9)]
    lines = [_t("quotas_title")]
    notes = [n for n in binding["price_note"].unique() if n]
    for r in binding.itertuples():
        word = words.t("short_by" if r.sense == ">=" else "over_by")
        viol = f"  {word} {_fmt(r.violation)} {_t('soft')}" if r.violation > 1e-9 else ""
        price_unit = words.unit(str(r.shadow_price_unit))
        price = f"{_fmt(r.shadow_price):>9} {price_unit}"
        if r.price_note:  # n/a, with the mark of its note below
            mark = words.mark(notes.index(r.price_note) + 1)
            price = f"{_t('na') + mark:>9} {price_unit}"
        holds = ""
        lo, hi = r.limit_lo_same_price, r.limit_hi_same_price
        if not r.price_note and not (pd.isna(lo) and pd.isna(hi)):
            holds = f"  {_t('holds')} {_fmt_bound(lo)}..{_fmt_bound(hi)}"
        est = f" {_t('estimate_mark')}" if getattr(r, "basis", "estimate") == "estimate" else ""
        lines.append(f"  {r.name:<22} {_where(r):<19} limit {_fmt(r.limit):>9} "
                     f"used {_fmt(r.used):>9} {words.unit(str(r.unit)):<16} {price}{viol}{holds}"
                     f"{est}")
    if q["limit_lo_same_price"].notna().any():
        lines.append(_t("holds_note"))
    for i, note in enumerate(notes, start=1):
        lines.append(f"  {words.mark(i)} {_t('na')}: {words.note(note)}")
    indicator = q["mode"] == "report"
    slack = q[~q["binding"] & ~(q["violation"] > 1e-9) & ~indicator]
    # within 1 % of the limit but unpriced: the decisions that use the row are all or
    # nothing (a project fits or not), so the room left is too small for any of them
    lumpy = slack["name"].map(lambda f: f in FAMILIES and FAMILIES[f].dimension in LUMPY
                              ).astype(bool)  # no slack rows: an empty string-typed map
    full = slack[lumpy & ((slack["limit"] - slack["used"]).abs()
                          <= NEARLY_FULL * slack["limit"].abs())]
    if len(full):
        lines.append(_t("nearly_full") + "; ".join(
            f"{r.name} {_where(r)} ({_fmt(r.used)} of {_fmt(r.limit)} {words.unit(str(r.unit))})"
            for r in full.itertuples()))
        slack = slack.drop(full.index)
    if len(slack):
        counts = slack.groupby("name", sort=False).size()
        lines.append(_t("not_binding") + ", ".join(f"{k} ({v})" for k, v in counts.items()))
    s = result.summary()
    lines.append(_t("shadow_method", method=s["shadow_price_method"]))
    if s.get("indicators"):
        lines += ["", _t("indicators_title"), *(f"  {x}" for x in s["indicators"])]
    if s.get("rests_on_estimates"):
        lines += ["", _t("estimates_title"),
                  *(f"  {e['sentence']}" for e in s["rests_on_estimates"])]
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
                      ("solver", "SolverSettings"), ("families.<family>", "FamilySettings"),
                      ("utilisation", "Utilisation")):
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
