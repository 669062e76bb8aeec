"""Reading a batch store's tables (the store itself: :mod:`ioopt.batch.store`).

Every reader checks the store's runs once per call (:mod:`ioopt.batch.integrity`: one
DamagedResults warning per damaged run) and leaves damaged runs out: a command reads the
tables it needs in one :func:`read_tables` call, so a damaged run is named once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ioopt.batch import integrity
from ioopt.batch.store import TABLE_NAMES, read_manifest
from ioopt.errors import InputError, Problem


def _manifest_files(out: str | Path, manifest: dict[str, Any], names: tuple[str, ...]
                    ) -> dict[str, list[Path]]:
    """Each table's file of every job the manifest lists (run folders it does not list,
    e.g. left by an earlier grid, are not read); damaged runs are left out, each named in
    a DamagedResults warning.
    """
    runs = Path(out) / "runs"
    damaged = integrity.check_runs(Path(out), manifest)
    integrity.warn_damaged(Path(out), damaged)
    ids = [str(j["id"]) for j in manifest["jobs"] if str(j["id"]) not in damaged]
    return {name: [f for f in (runs / i / f"{name}.parquet" for i in ids) if f.is_file()]
            for name in names}


def read_tables(out: str | Path, names: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """Tables of a store (``scenario`` or one of TABLE_NAMES), each with every scenario's
    rows together in the manifest's job order; the runs are checked once for all of them.
    """
    manifest = read_manifest(out)
    order = {j["id"]: i for i, j in enumerate(manifest["jobs"])}
    found = _manifest_files(out, manifest, names)
    tables = {}
    for name in names:
        frames = [f for f in (pd.read_parquet(p) for p in found[name]) if len(f)]
        if not frames:
            tables[name] = pd.DataFrame(columns=["scenario_id"])
            continue
        table = pd.concat(frames, ignore_index=True)
        key = table["scenario_id"].map(order).fillna(len(order))
        tables[name] = table.iloc[np.argsort(key.to_numpy(), kind="stable")
                                  ].reset_index(drop=True)
    return tables


def read_table(out: str | Path, name: str) -> pd.DataFrame:
    """One table of a store, every scenario's rows together, in the manifest's job order
    (several tables: :func:`read_tables`, which checks the runs once).
    """
    return read_tables(out, (name,))[name]


def query(out: str | Path, sql: str) -> pd.DataFrame:
    """Run SQL with DuckDB over a results store. Views: ``scenarios`` (one row per
    scenario), ``portfolio``, ``quotas``, ``sectors``, ``totals``, ``infeasibility``
    (those present), each with a ``scenario_id`` column.
    """
    import duckdb

    manifest = read_manifest(out)
    con = duckdb.connect()
    # the store's tables are loaded first (only the manifest's intact jobs), then the
    # connection is shut off from files: the SQL reads those tables and writes nothing
    found = _manifest_files(out, manifest, ("scenario", *TABLE_NAMES))
    for view, name in [("scenarios", "scenario"), *((t, t) for t in TABLE_NAMES)]:
        files = [str(f.resolve()).replace("'", "''") for f in found[name]]
        if files:
            listed = ", ".join(f"'{f}'" for f in files)
            con.execute(f"CREATE TABLE {view} AS SELECT * FROM "
                        f"read_parquet([{listed}], union_by_name=true)")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    try:
        return con.execute(sql).df()
    except duckdb.Error as exc:
        views = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT internal").fetchall()]
        raise InputError([Problem("SQL", None, None, sql,
                                  f"a query DuckDB can run over the views {views} ({exc})")]
                         ) from None
