"""Read a results folder for a report: a solve, a ranking, a batch, a curve or a frontier.

What makes each kind (the files the commands write; :mod:`ioopt.batch.store` reads them):
- solve (``ioopt solve --out``): summary.json + portfolio/quotas/sectors/totals/flows.csv;
- rank (``ioopt rank --out``): the same + ranking.csv, ranking_quota_use.csv;
- batch (``ioopt batch --out``): manifest.json + runs/<id>/*.parquet;
- curve / frontier (``ioopt curve`` / ``ioopt frontier``): a batch store + curve.csv /
  frontier.csv;
- compare (``ioopt compare --out``): compare.json + compare_*.csv;
- io (``ioopt io --out``): io.json + io_sectors.csv, io_projects.csv.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ioopt.batch import store
from ioopt.batch.reading import read_tables
from ioopt.batch.store import RUN_TABLES
from ioopt.errors import InputError, Problem
from ioopt.solver.status import solved

BATCH_TABLES = ("scenario", "portfolio", "quotas", "totals")


@dataclass
class RunFolder:
    """A results folder's kind, its summary record and its tables."""

    path: Path
    kind: str
    """solve, rank, batch, curve, frontier, compare or io."""
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
        if self.kind in ("compare", "io"):
            return bool(self.tables) and not all(t.empty for t in self.tables.values())
        sc = self.table("scenario")
        return bool(len(sc) and solved(sc["status"]).any())


def read_folder(path: str | Path) -> RunFolder:
    """Read a solve, rank, batch, curve or frontier folder; a clear error for anything else."""
    folder = Path(path)
    if not folder.is_dir():
        raise InputError([Problem(str(folder), None, None, None,
                                  "a results folder written by ioopt solve, rank, batch, "
                                  "curve or frontier")])
    if store.is_store(folder):
        return _read_store(folder)
    if store.is_run_folder(folder):
        return _read_run(folder)
    for kind, meta, names in (("compare", "compare.json", COMPARE_TABLES),
                              ("io", "io.json", IO_TABLES)):
        if (folder / meta).is_file():
            return _read_meta(folder, kind, meta, names)
    raise InputError([Problem(str(folder), None, None, None,
                              "a results folder: summary.json (ioopt solve), ranking.csv "
                              "(ioopt rank), manifest.json (ioopt batch, curve, frontier), "
                              "compare.json (ioopt compare) or io.json (ioopt io) - none found")])


COMPARE_TABLES = ("compare_scenarios", "compare_selection", "compare_indicators",
                  "compare_quotas", "compare_sectors", "compare_changes_projects",
                  "compare_changes_indicators", "compare_changes_prices")
IO_TABLES = ("io_sectors", "io_projects")


def _read_meta(folder: Path, kind: str, meta: str, names: tuple[str, ...]) -> RunFolder:
    path = folder / meta
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError([Problem(str(path), None, None, None,
                                  f"a JSON file as ioopt writes it ({exc})")]) from None
    return RunFolder(path=folder, kind=kind, summary=summary if isinstance(summary, dict) else {},
                     tables=store.read_run_tables(folder, names))


def _read_run(folder: Path) -> RunFolder:
    tables = store.read_run_tables(folder, RUN_TABLES)
    kind = "rank" if "ranking" in tables else "solve"
    return RunFolder(path=folder, kind=kind, summary=store.read_summary(folder),
                     tables=tables, rule=store.read_rule(folder))


def _read_store(folder: Path) -> RunFolder:
    manifest = store.read_manifest(folder)
    tables = read_tables(folder, BATCH_TABLES)
    kind = "batch"
    for special in ("curve", "frontier"):
        frame = store.read_csv_table(folder, special)
        if frame is not None:
            tables[special] = frame
            kind = special
    return RunFolder(path=folder, kind=kind, summary=manifest, tables=tables)
