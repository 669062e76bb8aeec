"""A report's language and the case's own names.

Sector, park and project names come from the case (``labels.csv`` beside the results,
written by every solve, rank and batch; the portfolio table carries project names), so a
report in Chinese uses the names the plan itself uses. Fixed words (titles, axis labels,
quota families, column headers) are in :mod:`ioopt.words`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ioopt import words
from ioopt.batch import store
from ioopt.case import Case, labels_table
from ioopt.words import LANGS

__all__ = ["LANGS", "Labels"]


@dataclass
class Labels:
    """Names and words in one language."""

    lang: str = "en"
    names: dict[tuple[str, str], str] = field(default_factory=dict)
    """(kind, id) -> name, kind in case/sector/park/project."""

    def __post_init__(self) -> None:
        words.check_lang(self.lang)

    @property
    def zh(self) -> bool:
        """True for the Chinese report."""
        return self.lang == "zh"

    def t(self, key: str, **fmt: object) -> str:
        """A fixed word or sentence (:func:`ioopt.words.t`), formatted with ``fmt``."""
        return words.t(key, self.lang, **fmt)

    def name(self, kind: str, ident: object) -> str:
        """A case name (sector, park, project, case), else the id."""
        key = str(ident)
        return self.names.get((kind, key), key)

    def chain(self, ident: object) -> str:
        """A chain's name (built-in words for the chains ioopt knows, else the id)."""
        return words.chain(ident, self.lang)

    def family(self, name: object) -> str:
        """A quota or rule family's name."""
        return words.family(name, self.lang)

    def column(self, col: str) -> str:
        """A table column's header with its unit: ``energy_10k_tce`` -> 'energy (万 tce)'."""
        return words.column(col, self.lang)

    @classmethod
    def load(cls, folder: Path, lang: str, portfolio: pd.DataFrame | None = None) -> Labels:
        """Names from ``folder/labels.csv`` and the portfolio's project names."""
        return cls.of(store.read_labels(folder), portfolio, lang)

    @classmethod
    def from_case(cls, case: Case, lang: str) -> Labels:
        """A case's names, as :meth:`load` reads them from a run of it (labels.csv is
        :func:`~ioopt.case.labels_table`; the projects table carries the project names).
        """
        return cls.of(labels_table(case), case.projects, lang)

    @classmethod
    def of(cls, frame: pd.DataFrame | None, portfolio: pd.DataFrame | None, lang: str) -> Labels:
        """Names from a labels table (kind, id, en, zh) and a table of projects (project,
        name, name_zh).
        """
        names: dict[tuple[str, str], str] = {}
        if frame is not None:
            col = "zh" if lang == "zh" else "en"
            for r in frame.itertuples(index=False):
                names[(str(r.kind), str(r.id))] = str(getattr(r, col) or r.id)
        if portfolio is not None and "project" in portfolio:
            col = "name_zh" if lang == "zh" and "name_zh" in portfolio else "name"
            if col in portfolio:
                for j, n, en in zip(portfolio["project"], portfolio[col],
                                    portfolio.get("name", portfolio[col]), strict=True):
                    text = n if isinstance(n, str) and n else en
                    names[("project", str(j))] = str(text) if isinstance(text, str) else str(j)
        return cls(lang=lang, names=names)
