"""The only writer of results on disk: batch stores and run folders (a store's tables are
read by :mod:`ioopt.batch.reading`).

**Batch store** (``ioopt batch``, ``curve``, ``frontier``)::

    out/manifest.json        ioopt version, case hash, spec, every job with its hash
    out/labels.csv           names in English and Chinese, for reports
    out/runs/<id>/           one folder per scenario, written under a temporary name and
        scenario.parquet     renamed when complete (a batch killed at any moment loses no
        portfolio.parquet    finished scenario; ``resume`` skips them by their hash), and
        quotas.parquet ...   checksums.json (:mod:`ioopt.batch.integrity`)
        hash

:mod:`ioopt.batch.reading` reads its tables (``read_tables``) and runs DuckDB SQL
(``query``).

**Run folder** (``ioopt solve --out``, ``ioopt rank --out``): summary.json, labels.csv,
portfolio/quotas/sectors/totals/flows.csv (with a solution), infeasibility.csv (an
infeasible case), backcast.csv (a case with history), rejected.csv, against_*.csv and
base/ (a scenario's base run) (solve), ranking.csv, ranking_quota_use.csv,
ranking_rule.txt, ranking_rule_zh.txt (rank).
Analyses write their tables beside either (curve.csv, frontier.csv, compare_*.csv,
io_*.csv) with :func:`write_table`.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ioopt.batch import integrity
from ioopt.batch.jobs import Job, JobOutput
from ioopt.case import Case, labels_table
from ioopt.errors import InputError, Problem

if TYPE_CHECKING:
    from ioopt.analyses.infeasibility import Infeasibility
    from ioopt.api import RunResult

MANIFEST = "manifest.json"
SUMMARY = "summary.json"
LABELS = "labels.csv"
TABLE_NAMES = ("portfolio", "quotas", "sectors", "totals", "infeasibility")
"""Per-scenario tables of a batch store, besides ``scenario``."""
SOLVE_TABLES = ("portfolio", "quotas", "sectors", "totals", "flows")
"""The tables of a run folder with a solution."""
RUN_TABLES = (*SOLVE_TABLES, "markets", "infeasibility", "ranking", "ranking_quota_use",
              "backcast", "rejected", "against_projects", "against_indicators", "against_prices")
"""Every table a run folder may hold."""
RULE = "ranking_rule.txt"
RULE_ZH = "ranking_rule_zh.txt"
"""The rank rule and notes in Chinese (for the reports)."""
BASE = "base"
"""Where a scenario's solve keeps its base run, inside its run folder."""


def _problem(path: Path | str, expected: str) -> InputError:
    return InputError([Problem(str(path), None, None, None, expected)])


def _atomic_text(path: Path, text: str) -> None:
    tmp = path.with_suffix(f".tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _json(obj: Any) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False, default=str)


def written_at(folder: str | Path) -> float | None:
    """When a results folder was written (its summary, manifest or ranking), as a POSIX
    time; None when it holds none of them.
    """
    for name in (SUMMARY, MANIFEST, "ranking.csv"):
        p = Path(folder) / name
        if p.is_file():
            return p.stat().st_mtime
    return None


# ---------------------------------------------------------------- batch store


def is_store(folder: str | Path) -> bool:
    """Whether ``folder`` holds a batch store (a manifest)."""
    return (Path(folder) / MANIFEST).is_file()


def open_store(out: str | Path, manifest: dict[str, Any], case: Case, resume: bool
               ) -> dict[str, tuple[str, str]]:
    """Create (or, with ``resume``, reopen) a store: the manifest and labels written,
    scenario folders cut off mid-write removed.

    Resumed, the store's manifest is read once: its runs that are damaged are returned
    (job id -> (file, what is wrong); resume runs them again) and the checksums of the
    others, of jobs that kept their hash, carried into the new manifest (so a resumed
    batch killed before it ends still checks them). Empty for a new store.
    """
    out = Path(out)
    if is_store(out) and not resume:
        raise _problem(out, "a new folder: this one already holds a batch (manifest.json); "
                            "pass --resume to continue it, or choose another --out")
    if not is_store(out):  # a new store, built in place (its lock file stays where it is)
        if out.is_dir():  # an old run folder there is replaced, not mixed in
            _clear_run(out)
        (out / "runs").mkdir(parents=True, exist_ok=True)
        labels_table(case).to_csv(out / LABELS, index=False)
        _atomic_text(out / MANIFEST, _json(manifest))  # last: a store once it is whole
        return {}
    try:
        old = read_manifest(out)
    except InputError:  # a damaged manifest: the runs are checked by their own lists
        old = {"jobs": []}
    damaged = integrity.check_runs(out, old, [str(j["id"]) for j in manifest["jobs"]])
    was = {str(j.get("id")): j.get("hash") for j in old["jobs"] if isinstance(j, dict)}
    now = {str(j["id"]): j["hash"] for j in manifest["jobs"]}
    sums: dict[str, Any] = old.get("checksums") or {}
    kept = {i: v for i, v in sums.items()
            if i in now and was.get(i) == now[i] and i not in damaged}
    (out / "runs").mkdir(parents=True, exist_ok=True)
    for tmp in (out / "runs").glob(".*.tmp-*"):  # a job cut off mid-write
        shutil.rmtree(tmp, ignore_errors=True)
    _atomic_text(out / MANIFEST, _json({**manifest, **({"checksums": kept} if kept else {})}))
    labels_table(case).to_csv(out / LABELS, index=False)
    return damaged


def write_job(out: str | Path, output: JobOutput) -> None:
    """Write one scenario's row and tables, atomically (a temporary folder renamed)."""
    runs = Path(out) / "runs"
    final = runs / output.job_id
    tmp = runs / f".{output.job_id}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name, frame in output.tables.items():
        frame.to_parquet(tmp / f"{name}.parquet", index=False)
    pd.DataFrame([output.row]).to_parquet(tmp / "scenario.parquet", index=False)
    (tmp / "hash").write_text(output.row["hash"], encoding="utf-8")
    integrity.record(tmp)
    if final.exists():
        shutil.rmtree(final)
    os.replace(tmp, final)


def job_done(out: str | Path, job: Job) -> bool:
    """Whether the store holds ``job``'s answer (its folder, with the job's hash; a
    damaged folder, see :mod:`ioopt.batch.integrity`, does not count).
    """
    h = Path(out) / "runs" / job.id / "hash"
    try:
        return h.is_file() and h.read_text(encoding="utf-8") == job.hash
    except (OSError, UnicodeDecodeError):
        return False


def read_job(out: str | Path, job_id: str, tables: bool = True) -> JobOutput:
    """A finished scenario's row and (``tables``) its tables, as its job handed them back."""
    folder = Path(out) / "runs" / job_id
    row = pd.read_parquet(folder / "scenario.parquet").to_dict("records")[0]
    frames = {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLE_NAMES
              if tables and (folder / f"{name}.parquet").is_file()}
    return JobOutput(job_id, {str(k): v for k, v in row.items()}, frames)


def read_manifest(out: str | Path) -> dict[str, Any]:
    """The manifest of a results store."""
    if not (p := Path(out) / MANIFEST).is_file():
        raise _problem(out, "a batch results folder (with manifest.json)")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:  # a damaged manifest: named, not a traceback
        raise _problem(p, f"the JSON manifest ioopt writes ({type(exc).__name__})") from None
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise _problem(p, "the JSON manifest ioopt writes (a mapping with a jobs list)")
    return data


# ---------------------------------------------------------------- run folders


def write_run(result: RunResult, out_dir: str | Path,
              extra: Callable[[Path], object] | None = None) -> Path:
    """A run folder: summary.json, labels.csv (names in English and Chinese, for reports)
    and, with a solution, the tables portfolio, quotas, sectors, totals, flows (and
    markets, where the case has market steps); an infeasible scenario gets
    infeasibility.csv instead. ``extra`` writes more files into the new folder (the
    ranking of ``ioopt rank``) before it is swapped in.

    Written to a temporary folder beside ``out_dir`` and swapped in whole (see
    :func:`replace_folder`): nothing of an earlier run in ``out_dir`` (its tables,
    ranking, report) survives beside the new one.
    """
    def fill(tmp: Path) -> None:
        (tmp / SUMMARY).write_text(_json(result.summary()), encoding="utf-8")
        labels_table(result.case).to_csv(tmp / LABELS, index=False)
        if result.ok:
            for name in SOLVE_TABLES:
                getattr(result, name).to_csv(tmp / f"{name}.csv", index=False)
            if len(result.markets):  # only a case with markets.csv steps has it
                result.markets.to_csv(tmp / "markets.csv", index=False)
        if result.infeasibility is not None:
            write_infeasibility(result.infeasibility, tmp)
        if result.backcast is not None:
            write_table(tmp, "backcast", result.backcast.table)
        if extra is not None:
            extra(tmp)

    return replace_folder(out_dir, fill)


def replace_folder(out_dir: str | Path, fill: Callable[[Path], object]) -> Path:
    """Every command that writes a results folder writes it through here: ``fill``
    writes the new files into a temporary folder beside ``out_dir``, which then replaces
    ``out_dir`` whole, carrying over only the entries a run does not own (other folders,
    analysis tables such as curve.csv). A failure inside ``fill`` leaves ``out_dir`` as it
    was. A batch store in ``out_dir`` is refused.
    """
    out = Path(out_dir)
    if is_store(out):
        raise _problem(out, "a folder for a run, not a batch store (manifest.json); choose "
                            "another --out")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.resolve().parent / f".{out.resolve().name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        fill(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _swap_in(tmp, out)
    return out


def _run_owned(entry: Path) -> bool:
    """Whether a folder entry belongs to a run (replaced by the next run written there):
    its tables, summary, labels, ranking rule, report and a scenario's base run; other
    entries (other folders, analysis tables such as curve.csv) are kept.
    """
    name = entry.name
    if name == BASE:
        return is_run_folder(entry) and not is_store(entry)
    return (name in (SUMMARY, LABELS, RULE, RULE_ZH, "charts")
            or name in {f"{t}.csv" for t in RUN_TABLES}
            or (name.startswith("report") and entry.suffix in (".html", ".xlsx")))


def _clear_run(out: Path) -> None:
    """Remove the entries of a run (see :func:`_run_owned`) from the folder ``out``."""
    for entry in out.iterdir():
        if _run_owned(entry) and entry.is_dir():
            shutil.rmtree(entry)
        elif _run_owned(entry):
            entry.unlink()


def _swap_in(tmp: Path, out: Path) -> None:
    """Replace ``out`` by ``tmp``, carrying over the entries of ``out`` a run does not own."""
    if not out.exists():
        os.replace(tmp, out)
        return
    if not out.is_dir():
        shutil.rmtree(tmp, ignore_errors=True)
        raise _problem(out, "a folder (or a new name) for the run; this is a file")
    cwd = Path.cwd().resolve()
    if cwd == out.resolve() or out.resolve() in cwd.parents:  # never move the working folder
        _clear_run(out)
        for entry in tmp.iterdir():
            os.replace(entry, out / entry.name)
        tmp.rmdir()
        return
    for entry in out.iterdir():
        if not _run_owned(entry) and not (tmp / entry.name).exists():
            os.replace(entry, tmp / entry.name)
    old = tmp.parent / f".{out.resolve().name}.old-{os.getpid()}"
    shutil.rmtree(old, ignore_errors=True)
    os.replace(out, old)
    os.replace(tmp, out)
    shutil.rmtree(old, ignore_errors=True)


def write_infeasibility(inf: Infeasibility, out_dir: str | Path) -> Path:
    """infeasibility.csv: the relaxations, then the IIS rows and the structural rows."""
    frame = inf.relaxations.assign(kind="relaxation")
    extra = [{"kind": "iis", "sentence": name} for name in inf.iis]
    extra += [{"kind": "structural", "sentence": s} for s in inf.structural]
    if extra:
        frame = pd.concat([frame, pd.DataFrame(extra)], ignore_index=True)
    return write_table(out_dir, "infeasibility", frame)


def write_ranking(out_dir: str | Path, table: pd.DataFrame, quota_use: pd.DataFrame,
                  rule_lines: list[str]) -> list[Path]:
    """ranking.csv, ranking_quota_use.csv and ranking_rule.txt (beside a run folder)."""
    out = Path(out_dir)
    paths = [write_table(out, "ranking", table), write_table(out, "ranking_quota_use",
                                                             quota_use), out / RULE]
    paths[2].write_text("\n".join(rule_lines) + "\n", encoding="utf-8")
    return paths


def write_table(out_dir: str | Path, name: str, frame: pd.DataFrame,
                index: bool = False) -> Path:
    """``<name>.csv`` in ``out_dir`` (created), e.g. an analysis table beside a store."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.csv"
    frame.to_csv(path, index=index)
    return path


def is_run_folder(folder: str | Path) -> bool:
    """Whether ``folder`` holds a solve or rank run (summary.json or ranking.csv)."""
    return any((Path(folder) / n).is_file() for n in (SUMMARY, "ranking.csv"))


def read_summary(folder: str | Path) -> dict[str, Any]:
    """A run folder's summary.json (empty when it has none: a bare ranking)."""
    path = Path(folder) / SUMMARY
    if not path.is_file():
        return {}
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError([Problem(str(path), exc.lineno, None, None,
                                  f"the JSON summary ioopt writes ({exc.msg})")]) from None
    return data


def read_csv_table(folder: str | Path, name: str) -> pd.DataFrame | None:
    """``<name>.csv`` of a results folder as ioopt wrote it; None when absent."""
    path = Path(folder) / f"{name}.csv"
    if not path.is_file():
        return None
    try:
        return pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise _problem(path, f"a CSV table as ioopt writes it ({exc})") from None


def read_run_tables(folder: str | Path, names: tuple[str, ...] = RUN_TABLES
                    ) -> dict[str, pd.DataFrame]:
    """The tables of a run folder (those present among ``names``)."""
    out = {}
    for name in names:
        frame = read_csv_table(folder, name)
        if frame is not None:
            out[name] = frame
    return out


def read_rule(folder: str | Path) -> str:
    """A rank folder's rule text (ranking_rule.txt; empty when absent)."""
    path = Path(folder) / RULE
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def read_labels(folder: str | Path) -> pd.DataFrame | None:
    """labels.csv (kind, id, en, zh; all text) of a results folder; None when absent."""
    path = Path(folder) / LABELS
    return pd.read_csv(path, dtype=str, keep_default_na=False) if path.is_file() else None
