"""Read a results folder for a report: a solve, a ranking, a batch, a curve or a frontier.

What makes each kind (the files the commands write):
- solve (``ioopt solve --out``): summary.json + portfolio/quotas/sectors/totals/flows.csv;
- rank (``ioopt rank --out``): the same + ranking.csv, ranking_quota_use.csv;
- batch (``ioopt batch --out``): manifest.json + runs/<id>/*.parquet;
- curve / frontier (``ioopt curve`` / ``ioopt frontier``): a batch store + curve.csv /
  frontier.csv.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ioopt.errors import InputError, Problem

RUN_TABLES = ("portfolio", "quotas", "sectors", "totals", "flows", "infeasibility",
              "ranking", "ranking_quota_use")
BATCH_TABLES = ("scenario", "portfolio", "quotas", "totals")


@dataclass
class RunFolder:
    """A results folder's kind, its summary record and its tables."""

    path: Path
    kind: str
    """solve, rank, batch, curve or frontier."""
    summary: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    rule: str = ""
    """The rank rule (ranking_rule.txt), for rank folders."""

    def table(self, name: str) -> pd.DataFrame:
        """A table, empty when the folder lacks it."""
        return self.tables.get(name, pd.DataFrame())

    @property
    def ok(self) -> bool:
        """True when the run has a solution (batches: at least one scenario has)."""
        if self.kind in ("solve", "rank"):
            return not self.table("portfolio").empty  # written only with a solution
        sc = self.table("scenario")
        return bool(len(sc) and sc["objective"].notna().any())


def read_folder(path: str | Path) -> RunFolder:
    """Read a solve, rank, batch, curve or frontier folder; a clear error for anything else."""
    folder = Path(path)
    if not folder.is_dir():
        raise InputError([Problem(str(folder), None, None, None,
                                  "a results folder written by ioopt solve, rank, batch, "
                                  "curve or frontier")])
    if (folder / "manifest.json").is_file():
        return _read_store(folder)
    if (folder / "summary.json").is_file() or (folder / "ranking.csv").is_file():
        return _read_run(folder)
    raise InputError([Problem(str(folder), None, None, None,
                              "a results folder: summary.json (ioopt solve), ranking.csv "
                              "(ioopt rank) or manifest.json (ioopt batch, curve, frontier) "
                              "- none found")])


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError([Problem(str(path), None, None, None,
                                  f"a CSV table as ioopt writes it ({exc})")]) from None


def _read_run(folder: Path) -> RunFolder:
    summary: dict[str, Any] = {}
    spath = folder / "summary.json"
    if spath.is_file():
        try:
            summary = json.loads(spath.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise InputError([Problem(str(spath), exc.lineno, None, None,
                                      f"the JSON summary ioopt writes ({exc.msg})")]) from None
    tables = {name: _read_csv(folder / f"{name}.csv") for name in RUN_TABLES
              if (folder / f"{name}.csv").is_file()}
    kind = "rank" if "ranking" in tables else "solve"
    rule_path = folder / "ranking_rule.txt"
    rule = rule_path.read_text(encoding="utf-8") if rule_path.is_file() else ""
    return RunFolder(path=folder, kind=kind, summary=summary, tables=tables, rule=rule)


def _read_store(folder: Path) -> RunFolder:
    from ioopt.batch import read_manifest, read_table

    manifest = read_manifest(folder)
    tables = {name: read_table(folder, name) for name in BATCH_TABLES}
    kind = "batch"
    for special in ("curve", "frontier"):
        if (folder / f"{special}.csv").is_file():
            tables[special] = _read_csv(folder / f"{special}.csv")
            kind = special
    return RunFolder(path=folder, kind=kind, summary=manifest, tables=tables)
