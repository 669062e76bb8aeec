"""A result table as people read it in one language: code values (status, kind, mode,
basis, units, quota families, chains) in words, the case's own names (``name_zh`` in
Chinese), the Chinese ranking reasons, scenario changes as sentences. Used by the
workbook and the report's raw tables; the CSVs keep the codes.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ioopt import history, words
from ioopt.conclusions import verdict
from ioopt.render.labels import Labels
from ioopt.words.columns import AXIS_WORDS

CODE_COLUMNS = ("status", "exact_status", "kind", "mode", "basis", "path", "forced")
"""Columns of code values (:func:`ioopt.words.value`)."""
UNIT_COLUMNS = ("unit", "shadow_price_unit", "objective_unit", "cost_unit", "y_unit")
"""Columns of model units (:func:`ioopt.words.unit`), in both languages."""
ENGLISH_ONLY = ("description", "message")
"""Columns of English-only text (family descriptions, solver messages): left out in Chinese
(the family's name and the status say it)."""


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v) or v is pd.NA


def decisive(text: Any, lang: str) -> str:
    """A decisive constraint ('land[etdz]', 'capital_total') with its family in words."""
    if _blank(text) or text == "":
        return ""
    s = str(text)
    head, sep, rest = s.partition("[")
    if head == "chain_balance":
        return f"{words.t('chain', lang)}[{rest}" if sep else s
    return f"{words.family(head, lang)}{sep}{rest}"


def axis(name: str, lang: str) -> str:
    """A grid axis's name: ioopt's own axes (level, tighten) in words, a batch's as given."""
    pair = AXIS_WORDS.get(name)
    return name if pair is None else pair[1 if lang == "zh" else 0]


def axis_label(label: str, lang: str) -> str:
    """A grid scenario's label ('level=0.6, capital=300') with ioopt's own axes in words."""
    parts = []
    for part in label.split(", "):
        name, eq, v = part.partition("=")
        parts.append(f"{axis(name, lang)}{eq}{v}")
    return ", ".join(parts)


def scope(v: Any, L: Labels) -> str:
    """A scope: sector and park ids as they are, chains and the region in words, parts
    joined by '+'.
    """
    if _blank(v) or v == "":
        return ""
    parts = [p.strip() for p in str(v).split("+")]
    return " + ".join(L.chain(p) if p in words.CHAIN_NAMES else words.value(p, L.lang)
                      for p in parts)


def localise(frame: pd.DataFrame, L: Labels) -> pd.DataFrame:
    """``frame`` with its values in ``L``'s language (a copy; the column names unchanged)."""
    if frame.empty:
        return frame
    out = frame.copy()
    lang = L.lang
    for col in UNIT_COLUMNS:
        if col in out:
            out[col] = [v if _blank(v) else words.unit(v, lang) for v in out[col]]
    if not L.zh:
        return out
    cols = set(out.columns)
    for col in CODE_COLUMNS:
        if col in cols:
            out[col] = ["" if _blank(v) else words.value(v, lang) for v in out[col]]
    if "price_note" in cols:
        out["price_note"] = [words.note(v, lang) for v in out["price_note"]]
    if "chain" in cols:
        out["chain"] = [v if _blank(v) else L.chain(v) for v in out["chain"]]
    if {"verdict", "sense", "limit", "used"} <= cols:
        out["verdict"] = [verdict(str(s), float(lim), float(u), lang) if not (
            _blank(lim) or _blank(u)) else "" for s, lim, u in
            zip(out["sense"], out["limit"], out["used"], strict=True)]
    if "sense" in cols and "name" in cols and "name_zh" not in cols:  # quota rows
        out["name"] = [L.family(v) for v in out["name"]]
    if "quota" in cols:  # a ranking's quota use: families, or a sector for an input
        kinds = frame["kind"] if "kind" in frame else pd.Series("quota", index=frame.index)
        out["quota"] = [L.name("sector", q) if k == "input" else L.family(q)
                        for q, k in zip(frame["quota"], kinds, strict=True)]
    if "name_zh" in cols and "name" in cols:
        out["name"] = [z if isinstance(z, str) and z else n
                       for n, z in zip(out["name"], out["name_zh"], strict=True)]
        out = out.drop(columns=["name_zh"])
    elif "name" in cols and "project" in cols:
        out["name"] = [L.name("project", j) for j in out["project"]]
    if "reason_zh" in cols:
        out["reason"] = [z if isinstance(z, str) and z else r
                         for r, z in zip(out["reason"], out["reason_zh"], strict=True)]
        out = out.drop(columns=["reason_zh"])
    if "decisive_constraint" in cols:
        out["decisive_constraint"] = [decisive(v, lang) for v in out["decisive_constraint"]]
    if "changes" in cols:
        out["changes"] = ["" if _blank(v) or not v else "；".join(
            words.scenario_change(c, lang) for c in str(v).split("; ")) for v in out["changes"]]
    for col in ("source", "target"):
        if col in cols and "quantity_10k" in cols:  # flows: sector ids or the region's edge
            out[col] = [words.value(v, lang) for v in out[col]]
    if "binding" in cols and not pd.api.types.is_bool_dtype(out["binding"]):  # batch: families
        out["binding"] = [v if _blank(v) else " ".join(L.family(f) for f in str(v).split())
                          for v in out["binding"]]
    if "verdict" in cols and "sense" not in cols:  # stored verdicts (a curve's)
        out["verdict"] = [words.verdict_text(v, lang) for v in out["verdict"]]
    if "label" in cols and "scenario_id" in cols:  # a grid scenario: axis=value, ...
        out["label"] = [v if _blank(v) else axis_label(str(v), lang) for v in out["label"]]
    if "scope" in cols:
        out["scope"] = [scope(v, L) for v in out["scope"]]
    if "indicator" in cols and "history" in cols:  # the backcast's indicators
        out["indicator"] = [history.indicator_label(str(v), lang) for v in out["indicator"]]
    if "prices" in cols and "history" in cols:
        out["prices"] = ["" if _blank(v) else words.value(v, lang) for v in out["prices"]]
    for col in out.columns:
        if pd.api.types.is_bool_dtype(out[col]):
            out[col] = [words.t("yes" if v else "no", lang) for v in out[col]]
    return out.drop(columns=[c for c in ENGLISH_ONLY if c in out])
