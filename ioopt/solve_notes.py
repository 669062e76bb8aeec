"""What ``ioopt solve`` adds to its summary: why each rejected candidate is out
(rejected.csv) and, with a scenario, the scenario against its base (the base solved too,
kept in ``<out>/base``; against_projects/indicators/prices.csv). The report shows both.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ioopt import words
from ioopt.analyses.against import Against, against, tables_of
from ioopt.batch import store

if TYPE_CHECKING:
    from ioopt.pipeline import RunResult

BASE_FOLDER = store.BASE
"""Where a scenario's solve keeps its base run, inside its --out."""


def _t(key: str, **fmt: object) -> str:
    return words.t(f"sec.{key}", **fmt)


@dataclass
class SolveNotes:
    """The rejected candidates' reasons and the scenario against its base, of ``result``."""

    result: RunResult
    rejected: pd.DataFrame
    against: Against | None = None
    base: RunResult | None = None
    """The base run (the case without the scenario), solved."""

    def write(self, out_dir: str | Path) -> Path:
        """The run folder of ``result`` (:func:`ioopt.batch.store.write_run`) with the notes
        in it, swapped in whole: rejected.csv (when a candidate is rejected) and, with a base,
        against_*.csv and the base run in ``base/`` (a base folder left by an earlier
        scenario run goes with the rest of that run).
        """
        return store.write_run(self.result, out_dir, extra=self._fill)

    def _fill(self, tmp: Path) -> None:
        if len(self.rejected):  # none without a solution or without rejected candidates
            store.write_table(tmp, "rejected", self.rejected)
        if self.against is not None and self.base is not None:
            self.against.write(tmp)
            self.base.write(tmp / BASE_FOLDER)

    def text(self, top: int = 12) -> str:
        """The blocks the terminal summary ends with."""
        lines: list[str] = []
        rj = self.rejected
        if len(rj):
            lines += ["", _t("rejected_title", n=len(rj))]
            for r in rj.head(top).itertuples():
                lines.append(f"  {r.project:<22} {r.reason}")
            if len(rj) > top:
                lines.append(_t("more_in", n=len(rj) - top, file="rejected.csv"))
        if self.against is not None:
            lines += ["", *against_lines(self.against, top)]
        return "\n".join(lines)


def against_lines(a: Against, top: int = 12) -> list[str]:
    """Base -> scenario in a few lines: inputs, indicators, projects, prices."""
    lines = [_t("against_title", base=a.base_name, scenario=a.scenario_name)]
    for change in a.inputs[:top]:
        lines.append(f"  {_t('input')}: {change}")
    for r in a.indicators.itertuples():
        pct = "" if pd.isna(r.change_pct) else f" ({r.change_pct:+.1f} %)"
        lines.append(f"  {indicator_label(str(r.indicator))}: {words.num(r.base)} -> "
                     f"{words.num(r.scenario)}{pct}")
    if a.projects.empty:
        lines.append(f"  {_t('same_portfolio')}")
    for r in a.projects.head(top).itertuples():
        lines.append(f"  {_t(r.change)}: {r.project:<22} {r.name}")
    if len(a.projects) > top:
        lines.append(_t("more_in", n=len(a.projects) - top, file="against_projects.csv"))
    for r in a.prices.head(top).itertuples():
        where = " ".join(str(int(x)) if isinstance(x, float) else str(x)
                         for x in (r.year, r.park, r.scope) if _given(x))
        lines.append(f"  {words.t('shadow_price')}: {r.name} {where}: {words.num(r.base_price)} -> "
                     f"{words.num(r.scenario_price)} {r.shadow_price_unit}")
    if len(a.prices) > top:
        lines.append(_t("more_in", n=len(a.prices) - top, file="against_prices.csv"))
    return lines


def indicator_label(indicator: str, lang: str = "en") -> str:
    """An against-table indicator in words: 'objective', 'energy_10k_tce (2025)' ->
    'energy (万 tce) 2025', 'n_selected'.
    """
    col, _, year = indicator.partition(" (")
    if col == "objective":
        return words.t("objective", lang)
    if col == "n_selected":
        return words.column("n_selected", lang)
    text = words.column(col, lang)
    return f"{text}, {year.rstrip(')')}" if year else text


def _given(x: Any) -> bool:
    return x is not None and not (isinstance(x, float) and pd.isna(x)) and str(x) != ""


def solve_notes(result: RunResult, base: RunResult | None = None) -> SolveNotes:
    """The notes of a solved run (``base``: the same case without the scenario, solved)."""
    from ioopt.analyses.rejected import rejected_reasons

    rejected = rejected_reasons(result)
    if base is None or not result.ok or not base.ok:
        return SolveNotes(result, rejected)
    s = result.summary()
    name = s.get("scenario_name") or Path(str(s.get("scenario"))).stem
    return SolveNotes(result, rejected, against(tables_of(base), tables_of(result),
                                        words.t("base_case"), name), base)
