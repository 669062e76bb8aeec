"""What a solve's conclusions rest on: indicator verdicts and the estimates behind binding rows.

- :func:`verdict`: a quota or rule row's use against its limit in the family's sense
  (``<=``: within / above the limit by; ``>=``: met / short by), in English or Chinese;
- :func:`indicator_sentences`: every row in ``report`` mode (an indicator, not a
  constraint) against its figure, e.g. "investment budget: plan <= 800 亿元; the
  portfolio: 912 亿元: above it by 112 (an indicator: reported, not enforced)";
- :func:`resting_on_estimates`: the deciding rows whose limit is an estimate (``basis``
  blank or ``estimate``): binding ones, and caps whose room left is less than a rejected
  candidate's lump (land, investment); grouped over their years, with what each decides:
  its price at the margin, a soft row's excess, and the rejected candidates that would
  need it or do not fit.

Reads the result tables and the compiled model (:mod:`ioopt.solution`); no solving.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ioopt import words

if TYPE_CHECKING:  # the solver stack (Pyomo, SciPy) is not imported by reports
    from ioopt.solver.highs import SolveResult

MAX_NAMES = 6
"""Rejected candidates named per estimate row (the rest counted)."""


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA or v == ""


def verdict(sense: str, limit: float, used: float, lang: str = "en") -> str:
    """A row's use against its limit: 'within the limit' / 'above the limit by 4.4' for
    caps, 'met' / 'short by 53.4' for floors (gaps in the limit's unit).
    """
    if sense == "==":
        gap = abs(used - limit)
        return words.t("verdict.met", lang) if gap <= 1e-6 * max(1.0, abs(limit)) else \
            words.t("verdict.off", lang, gap=f"{words.num(gap)}")
    cap = sense == "<="
    gap = used - limit if cap else limit - used
    if gap <= 1e-6 * max(1.0, abs(limit)):
        return words.t("verdict.within" if cap else "verdict.met", lang)
    return words.t("verdict.above" if cap else "verdict.short", lang, gap=f"{words.num(gap)}")


def row_words(r: Mapping[str, Any], parks: Mapping[str, str], lang: str = "en",
              year: bool = True) -> str:
    """A quota row in words: '2025 land quota (Naiman Industrial Park)'."""
    where = []
    if not _blank(r.get("park")):
        where.append(str(parks.get(str(r["park"])) or r["park"]))
    if not _blank(r.get("scope")):
        where.append(str(r["scope"]))
    y = "" if not year or _blank(r.get("year")) else f"{int(r['year'])} "
    return f"{y}{words.family(r['name'], lang)}" + (f" ({', '.join(where)})" if where else "")


def indicator_sentences(quotas: pd.DataFrame, parks: Mapping[str, str],
                        lang: str = "en") -> list[str]:
    """Every indicator row (``mode`` report) against its figure, with a verdict."""
    if quotas.empty or "mode" not in quotas:
        return []
    out = []
    for r in quotas[quotas["mode"] == "report"].to_dict("records"):
        unit = words.unit(str(r["unit"]), lang)
        out.append(words.t("indicator.sentence", lang, what=row_words(r, parks, lang),
                           sense=r["sense"], limit=f"{words.num(r['limit'])}", unit=unit,
                           used=f"{words.num(r['used'])}",
                           verdict=verdict(str(r["sense"]), float(r["limit"]),
                                           float(r["used"]), lang)))
    return out


def sources_hint(case_dir: Path | None, lang: str = "en") -> str:
    """Where an estimate's reasoning is written: the case's SOURCES.md, else its source column."""
    has = case_dir is not None and (Path(case_dir) / "SOURCES.md").is_file()
    return words.t("estimate.see_sources" if has else "estimate.see_column", lang)


def resting_on_estimates(quotas: pd.DataFrame, portfolio: pd.DataFrame, res: SolveResult,
                         parks: Mapping[str, Mapping[str, str]],
                         case_dir: Path | None = None) -> list[dict[str, Any]]:
    """The hard or soft rows whose limit is an estimate and that decide something: those
    that bind, and the caps whose room left is less than a rejected candidate's lump
    (its build coefficient: land, investment, capacity). Grouped by family and place over
    their years, with what each decides (its price at the margin, a soft row's excess or
    shortfall, the rejected candidates that would need it or do not fit), as a sentence in
    English (``sentence``) and Chinese (``sentence_zh``). ``parks``: lang -> park -> name.
    """
    if quotas.empty or "basis" not in quotas:
        return []
    est = quotas[(quotas["mode"] != "report")
                 & (quotas["basis"].fillna("estimate") == "estimate")].fillna(
                     {"park": "", "scope": ""})
    if est.empty:
        return []
    rejected = set(portfolio.loc[(portfolio["status"] == "candidate") & ~portfolio["selected"],
                                 "project"])
    needs = _needs(res, rejected)
    lumps = [_too_big(r, needs) for r in est.to_dict("records")]
    keep = _pressing(est).to_numpy() | np.array([bool(x) for x in lumps], dtype=bool)
    est = est.assign(_lumps=lumps)[keep]
    out = []
    for _, g in est.groupby(["name", "park", "scope"], sort=False):
        first = g.iloc[0].to_dict()
        years = sorted(int(y) for y in g["year"].dropna())
        names = sorted({j for (fam, idx), js in needs.items() if fam == first["name"]
                        and _same_place(idx, first, years) for j in js})
        big: dict[str, float] = {}
        for d in g["_lumps"]:
            big.update(d)
        rec: dict[str, Any] = {"row": first["name"], "park": first["park"] or None,
                               "scope": first["scope"] or None, "years": years,
                               "binding": bool(_pressing(g).any()),
                               "rejected_needing_it": names, "do_not_fit": sorted(big)}
        for lang in words.LANGS:
            key = "sentence" if lang == "en" else f"sentence_{lang}"
            rec[key] = _estimate_sentence(g, first, years, names, big, parks.get(lang, {}),
                                          sources_hint(case_dir, lang), lang)
        out.append(rec)
    return out


def _pressing(q: pd.DataFrame) -> pd.Series:
    """Rows at their limit (binding) or past it (a soft row's violation)."""
    return q["binding"].astype(bool) | (q["violation"].astype(float) > 1e-9)


def _too_big(r: Mapping[str, Any], needs: dict[tuple[str, Any], dict[str, float]]
             ) -> dict[str, float]:
    """Rejected candidates whose lump (build coefficient) in a cap is more than its room."""
    if r["sense"] != "<=" or _blank(r.get("slack")):
        return {}
    years = [] if _blank(r.get("year")) else [int(r["year"])]
    room = float(r["slack"])
    return {j: v for (fam, idx), js in needs.items() if fam == r["name"]
            and _same_place(idx, r, years) for j, v in js.items()
            if v > room + 1e-6 * max(1.0, abs(float(r["limit"])))}


def _estimate_sentence(g: pd.DataFrame, first: dict[str, Any], years: list[int],
                       names: list[str], big: dict[str, float], parks: Mapping[str, str],
                       hint: str, lang: str) -> str:
    span = year_span(years)
    what = row_words(first, parks, lang, year=False) + (f" {span}" if span else "")
    parts = []
    priced = g[g["price_note"].fillna("").eq("") & g["shadow_price"].abs().gt(1e-9)]
    if len(priced):
        lo, hi = priced["shadow_price"].min(), priced["shadow_price"].max()
        price = _price(lo) if abs(hi - lo) <= 1e-6 * max(1.0, abs(hi)) else \
            f"{_price(lo)} - {_price(hi)}"
        parts.append(words.t("estimate.price", lang, price=price,
                             unit=words.unit(first["shadow_price_unit"], lang)))
    over = float(g["violation"].sum())
    unit = words.unit(str(first["unit"]), lang)
    if over > 1e-9:
        key = "estimate.soft_over" if first["sense"] == "<=" else "estimate.soft_short"
        parts.append(words.t(key, lang, gap=f"{words.num(over)}", unit=unit))
    binding = bool(_pressing(g).any())
    if big and not binding:
        lumps = [f"{j} ({words.num(v)})" for j, v in sorted(big.items(), key=lambda kv: -kv[1])]
        more = (words.t("estimate.more", lang, n=len(lumps) - MAX_NAMES)
                if len(lumps) > MAX_NAMES else "")
        parts.append(words.t("estimate.room", lang, room=f"{words.num(float(g['slack'].min()))}",
                             unit=unit, names=", ".join(lumps[:MAX_NAMES]) + more))
    elif names and first["sense"] == "<=":
        more = (words.t("estimate.more", lang, n=len(names) - MAX_NAMES)
                if len(names) > MAX_NAMES else "")
        parts.append(words.t("estimate.needs", lang, names=", ".join(names[:MAX_NAMES]) + more))
    sep = "；" if lang == "zh" else "; "
    return words.t("estimate.sentence" if binding else "estimate.sentence_room", lang,
                   what=what, hint=hint,
                   decides=sep.join(parts) or words.t("estimate.binds", lang))


def year_span(years: list[int]) -> str:
    """Years as runs: [2021, 2022, 2024] -> '2021-2022, 2024'."""
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _price(v: float) -> str:
    return words.num(v)


def _same_place(idx: Any, r: Mapping[str, Any], years: list[int]) -> bool:
    """Whether a row index (year, park, (scope, year), ...) is the record's park or scope
    in one of ``years`` (any year when empty).
    """
    parts = idx if isinstance(idx, tuple) else (idx,)
    ints = [int(p) for p in parts if isinstance(p, (int, np.integer))]
    place = [str(p) for p in parts if not isinstance(p, (int, np.integer))]
    want = [str(x) for x in (r.get("scope"), r.get("park")) if not _blank(x)]
    return all(w in place for w in want) and (not years or all(y in years for y in ints))


def _needs(res: SolveResult, rejected: set[str]) -> dict[tuple[str, Any], dict[str, float]]:
    """(constraint, index) -> the rejected candidates with a positive coefficient in it
    (they would use some of it: land, investment, energy, ...), each with its largest
    build coefficient there (its lump; 0 when it enters through production only).
    """
    if not rejected or res.compiled is None or res.col_value is None:
        return {}
    from ioopt.solution import comp_of

    comp = comp_of(res)
    A = comp.matrix()
    years = sorted({k[1] for k in comp.cols.get("x", {}) if isinstance(k, tuple)})
    out: dict[tuple[str, Any], dict[str, float]] = {}
    for j in sorted(rejected):
        for var in ("x", "build"):
            for c in (comp.col(var, (j, t)) for t in years):
                if c is None:
                    continue
                lo, hi = A.indptr[c], A.indptr[c + 1]
                for r, v in zip(A.indices[lo:hi].tolist(), A.data[lo:hi].tolist(),
                                strict=True):
                    if v > 0:
                        at = out.setdefault(comp.row_ref[r], {})
                        at[j] = max(at.get(j, 0.0), v if var == "build" else 0.0)
    return out
