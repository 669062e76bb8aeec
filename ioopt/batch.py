"""Batches of what-if scenarios: grids, samples and scenario files, run in parallel,
resumable, into a Parquet results store.

A batch spec (YAML)::

    name: energy-green-sweep
    case: ../data/tongliao          # optional (default: --case or the embedded case)
    scenario: base.yaml             # optional: applied to the case before everything else
    scenarios: [energy_minus_10.yaml, green_share_80.yaml]   # files, relative to the spec
    grid:                           # the cartesian product of the axes
      - name: energy                # the column the value goes to in the results
        quotas: {family: energy_total}             # which quota rows (family, year, park)
        scale: {from: 0.8, to: 1.2, steps: 5}      # or a list; or set: [...]
      - name: green
        quotas: {family: green_share}
        set: [0.4, 0.5, 0.6]
      - name: al_price
        sectors: {sector: al_primary}              # a row of a table, by its key
        field: price_cny
        values: [18000, 21000]
      - name: measure
        case: objective.measure                    # a case setting, dotted path
        values: [gross_output, value_added]
    samples: {n: 50, seed: 1}       # seeded draws of the case's declared uncertainty
    explain: true                   # infeasible scenarios get their smallest relaxation

Every scenario is one *job* with an id (``file-01``, ``grid-0007``, ``sample-0003``) and a
hash of everything that determines its answer (case content, base scenario, overrides).
Jobs run on worker processes (``workers``) or a Dask cluster (``scheduler``) through the
same function, :func:`execute`; each worker keeps the base model built and re-solves
scenarios that move quota limits only in place (:class:`ioopt.analyses.whatif.WhatIf`).

The store under ``out``: ``manifest.json`` (ioopt version, case hash, spec, every job with
its hash) and ``runs/<id>/`` with ``scenario.parquet`` (one row: changed inputs, status,
objective, indicators) and the ``portfolio``, ``quotas``, ``sectors``, ``totals`` (and for
infeasible scenarios ``infeasibility``) tables, each with a ``scenario_id`` column. A
job's folder is written under a temporary name and renamed when complete, so a batch
killed at any moment and restarted with ``resume=True`` skips finished jobs and loses
none. ``ioopt query`` reads the store with DuckDB.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from ioopt import __version__
from ioopt.case import Case, labels_table, load_case, pydantic_problems, read_yaml_model
from ioopt.errors import InputError, Problem
from ioopt.sampling import require_uncertainty, sample_case
from ioopt.scenario import Scenario, apply_overrides, apply_scenario, deep_merge, load_scenario
from ioopt.schemas import Perturbation

TABLE_NAMES = ("portfolio", "quotas", "sectors", "totals", "infeasibility")
"""Per-scenario tables of the store, besides ``scenario``."""


# ------------------------------------------------------------------- the spec


class Steps(BaseModel):
    """Evenly spaced values: ``{from: 0.8, to: 1.2, steps: 5}``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    start: float = Field(alias="from")
    stop: float = Field(alias="to")
    steps: int = Field(ge=2)

    def values(self) -> list[float]:
        """The values, rounded to 12 significant digits (0.1 steps print as 0.9, not
        0.8999999999999999).
        """
        return [float(f"{v:.12g}") for v in np.linspace(self.start, self.stop, self.steps)]


TABLE_AXES = ("projects", "sectors", "coefficients", "rules")


class Axis(BaseModel):
    """One parameter of a grid sweep and its values."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    quotas: dict[str, Any] | None = None
    scale: list[float] | Steps | None = None
    set: list[float] | Steps | None = None
    projects: dict[str, Any] | None = None
    sectors: dict[str, Any] | None = None
    coefficients: dict[str, Any] | None = None
    rules: dict[str, Any] | None = None
    field: str | None = None
    case: str | None = None
    values: list[Any] | Steps | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Axis:
        targets = [t for t in ("quotas", *TABLE_AXES, "case") if getattr(self, t) is not None]
        if len(targets) != 1:
            raise ValueError(f"exactly one target (quotas, {', '.join(TABLE_AXES)} or case), "
                             f"got {targets or 'none'}")
        if self.quotas is not None:
            if (self.scale is None) == (self.set is None) or self.values is not None:
                raise ValueError("a quotas axis takes scale or set (not values)")
        elif self.scale is not None or self.set is not None:
            raise ValueError("scale and set are for quotas axes; use values")
        elif self.values is None:
            raise ValueError("values (a list or {from, to, steps})")
        if self.case is None and self.quotas is None and self.field is None:
            raise ValueError("field: the column to set")
        return self

    def points(self) -> list[Any]:
        """The axis's values."""
        v = self.scale if self.scale is not None else self.set if self.set is not None \
            else self.values
        assert v is not None
        return v.values() if isinstance(v, Steps) else list(v)

    def overrides(self, value: Any) -> dict[str, Any]:
        """The scenario overrides (as in a scenario file) that set this axis to ``value``."""
        if self.quotas is not None:
            how = "scale" if self.scale is not None else "set"
            return {"quotas": [{**self.quotas, how: value}]}
        if self.case is not None:
            node: Any = value
            for part in reversed(self.case.split(".")):
                node = {part: node}
            return {"case": node}
        for t in TABLE_AXES:
            sel = getattr(self, t)
            if sel is not None:
                assert self.field is not None
                return {t: [{**sel, self.field: value}]}
        raise AssertionError("unreachable: validated to have one target")


class SampleSpec(BaseModel):
    """Seeded random draws of the declared uncertainty."""

    model_config = ConfigDict(extra="forbid")
    n: int = Field(ge=1)
    seed: int = 0
    uncertainty: list[Perturbation] | None = None
    """Ranges to draw from (default: the case's ``uncertainty``)."""


class BatchSpec(BaseModel):
    """A batch spec file."""

    model_config = ConfigDict(extra="forbid")
    name: str
    description: str = ""
    case: str | None = None
    scenario: str | None = None
    scenarios: list[str] = Field(default_factory=list)
    grid: list[Axis] = Field(default_factory=list)
    samples: SampleSpec | None = None
    explain: bool = True
    time_limit_s: float | None = Field(None, gt=0)
    _path: str = PrivateAttr(default="batch spec")
    """The file the spec was read from, for error messages."""

    @model_validator(mode="after")
    def _something(self) -> BatchSpec:
        if not (self.scenarios or self.grid or self.samples):
            raise ValueError("at least one of scenarios, grid, samples")
        names = [a.name for a in self.grid]
        if len(set(names)) != len(names):
            raise ValueError(f"grid axis names must be unique, got {names}")
        return self


def load_spec(path: str | Path) -> tuple[BatchSpec, Path]:
    """Read a batch spec; return it with the folder its relative paths start from."""
    path = Path(path).resolve()
    spec = read_yaml_model(path, BatchSpec, "batch spec")
    spec._path = str(path)
    return spec, path.parent


# ------------------------------------------------------------------- the jobs


@dataclass(frozen=True)
class Job:
    """One scenario of a batch: what to change, and the hash of everything that decides
    its answer.
    """

    id: str
    kind: str
    """'file', 'grid' or 'sample'."""
    label: str
    params: dict[str, Any]
    files: tuple[str, ...] = ()
    overrides: dict[str, Any] | None = None
    sample: tuple[int, int] | None = None
    source: str = ""
    """Where the job's overrides come from (for error messages)."""
    hash: str = ""


def _hash(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()


def _merge_overrides(parts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for p in parts:
        for k, v in p.items():
            if k == "case":
                out["case"] = deep_merge(out.get("case", {}), v)
            else:
                out.setdefault(k, []).extend(v)
    return out


def make_jobs(spec: BatchSpec, base: Path, case: Case, source: str) -> list[Job]:
    """The batch's jobs, every override checked against ``case`` first (errors name the
    spec file and key path, e.g. ``grid[1].quotas``).
    """
    problems: list[Problem] = []
    jobs: list[Job] = []
    seed_key = {"case_hash": case.content_hash, "applied": case.applied,
                "uncertainty": [p.model_dump(mode="json") for p in case.config.uncertainty]}
    for i, f in enumerate(spec.scenarios):
        path = (base / f).resolve()
        try:
            chain = load_scenario(path)
            apply_scenario(case, path)
        except InputError as exc:
            problems += [p if p.file != str(path) or p.field else
                         Problem(source, None, f"scenarios[{i}]", f, p.expected)
                         for p in exc.problems]
            continue
        content = [p.read_text(encoding="utf-8") for p, _ in chain]
        jobs.append(Job(id=f"file-{i + 1:02d}", kind="file", label=chain[-1][1].name,
                        params={"scenario_file": f}, files=(str(path),), source=str(path),
                        hash=_hash({**seed_key, "files": content})))
    axes = spec.grid
    for a, axis in enumerate(axes):  # every value on its own, so errors name the axis
        for v in axis.points():
            try:
                sc = Scenario.model_validate({"name": axis.name, **axis.overrides(v)})
                apply_overrides(case, sc, source, where=f"grid[{a}].")
            except ValidationError as exc:
                problems += pydantic_problems(exc, source, prefix=f"grid[{a}].")
                break
            except InputError as exc:
                problems += exc.problems
                break
    if axes and not problems:
        for k, combo in enumerate(itertools.product(*(ax.points() for ax in axes))):
            params = {ax.name: v for ax, v in zip(axes, combo, strict=True)}
            ov = _merge_overrides(ax.overrides(v) for ax, v in zip(axes, combo, strict=True))
            label = ", ".join(f"{n}={v}" for n, v in params.items())
            jobs.append(Job(id=f"grid-{k + 1:04d}", kind="grid", label=label, params=params,
                            overrides=ov, source=source,
                            hash=_hash({**seed_key, "overrides": ov})))
    if spec.samples is not None:
        s = spec.samples
        try:
            require_uncertainty(_with_uncertainty(case, s))
        except InputError as exc:
            problems += [Problem(source, None, "samples", None, p.expected) for p in exc.problems]
        else:
            unc = [p.model_dump(mode="json") for p in (s.uncertainty or [])]
            for i in range(s.n):
                jobs.append(Job(id=f"sample-{i + 1:04d}", kind="sample",
                                label=f"sample {i} of seed {s.seed}",
                                params={"seed": s.seed, "sample": i}, sample=(s.seed, i),
                                overrides={"case": {"uncertainty": unc}} if unc else None,
                                source=source,
                                hash=_hash({**seed_key, "sample": [s.seed, i], "unc": unc})))
    if problems:
        raise InputError(problems)
    return jobs


def _with_uncertainty(case: Case, s: SampleSpec) -> Case:
    if not s.uncertainty:
        return case
    return case.replace(config=case.config.model_copy(update={"uncertainty": s.uncertainty}))


# ------------------------------------------------------------------ execution

_LOCAL = threading.local()


def _session(case: Case, time_limit: float | None) -> Any:
    """The calling thread's WhatIf session for the batch's base case (built on first use; one
    per thread, as a Dask worker may run tasks on several threads).
    """
    from ioopt.analyses.whatif import WhatIf

    key = _hash([case.content_hash, case.applied, time_limit])
    if getattr(_LOCAL, "key", None) != key:
        _LOCAL.key, _LOCAL.session = key, WhatIf(case, time_limit=time_limit)
    return _LOCAL.session


@dataclass
class JobOutput:
    """What a job returns to the driver: its scenario row and result tables."""

    job_id: str
    row: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        """An error (not an infeasible scenario, which is an answer)."""
        return self.row["status"] == "error"


def execute(case: Case, job: Job, explain: bool = True, time_limit: float | None = None
            ) -> JobOutput:
    """Run one job on the batch's base case. Never raises: an error is recorded."""
    t0 = time.perf_counter()
    row: dict[str, Any] = {"scenario_id": job.id, "kind": job.kind, "label": job.label,
                           "hash": job.hash, **job.params}
    try:
        c = case
        for f in job.files:
            c = apply_scenario(c, f)
        if job.overrides:
            sc = Scenario.model_validate({"name": job.id, **job.overrides})
            c = apply_overrides(c, sc, job.source)
        if job.sample is not None:
            c = sample_case(c, *job.sample)
        session = _session(case, time_limit)
        before = session.fast_runs
        result = session.run(c, scenario=job.label, explain=explain)
        path = "in place" if session.fast_runs > before else "rebuilt"
    except InputError as exc:
        return _error(row, "; ".join(str(p) for p in exc.problems), t0)
    except Exception as exc:  # recorded, the batch goes on
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        return _error(row, f"{type(exc).__name__}: {exc} (at {Path(tb.filename).name}:"
                           f"{tb.lineno})", t0)
    s = result.summary()
    row.update({
        "status": s["status"], "message": s["message"], "objective": s["objective"],
        "objective_unit": s["objective_unit"], "mip_gap": s["mip_gap"],
        "n_selected": s.get("n_selected"), "selected": " ".join(s.get("selected", [])),
        "changes": "; ".join(c.applied[len(case.applied):]), "path": path, "error": "",
    })
    tables: dict[str, pd.DataFrame] = {}
    if result.ok:
        last = result.totals.iloc[-1]
        for col in result.totals.columns:
            if col != "year":
                row[f"last_year_{col}"] = float(last[col])
        tables = {"portfolio": result.portfolio, "quotas": result.quotas.drop(
            columns=["description"]), "sectors": result.sectors, "totals": result.totals}
        q = result.quotas
        row["binding"] = " ".join(sorted({str(n) for n in q.loc[q["binding"], "name"]}))
    if result.infeasibility is not None:
        rel = result.infeasibility.relaxations
        tables["infeasibility"] = rel
        row["relaxation"] = "; ".join(rel["sentence"].astype(str)) if len(rel) else ""
    row["seconds"] = time.perf_counter() - t0
    return JobOutput(job.id, row, {k: v.assign(scenario_id=job.id) for k, v in tables.items()})


def _error(row: dict[str, Any], message: str, t0: float) -> JobOutput:
    row.update({"status": "error", "message": message, "objective": None, "error": message,
                "seconds": time.perf_counter() - t0})
    return JobOutput(row["scenario_id"], row)


_CASE: Case | None = None


def _init_worker(case: Case) -> None:
    global _CASE
    _CASE = case
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the driver handles Ctrl-C


def _worker_task(job: Job, explain: bool, time_limit: float | None) -> JobOutput:
    assert _CASE is not None
    return execute(_CASE, job, explain, time_limit)


def _run_local(case: Case, jobs: list[Job], workers: int, explain: bool,
               time_limit: float | None, on_done: Callable[[JobOutput], None]) -> None:
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            on_done(execute(case, job, explain, time_limit))
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                             initargs=(case,)) as ex:
        futures = [ex.submit(_worker_task, job, explain, time_limit) for job in jobs]
        try:
            for fut in as_completed(futures):
                on_done(fut.result())
        except BaseException:
            ex.shutdown(wait=True, cancel_futures=True)
            raise


def _run_dask(address: str, case: Case, jobs: list[Job], explain: bool,
              time_limit: float | None, on_done: Callable[[JobOutput], None]) -> None:
    from distributed import Client
    from distributed import as_completed as dask_completed

    with Client(address) as client:
        [case_f] = client.scatter([case], broadcast=True)
        futures = [client.submit(execute, case_f, job, explain, time_limit, pure=False)
                   for job in jobs]
        try:
            for fut in dask_completed(futures):
                on_done(fut.result())
        except BaseException:
            client.cancel(futures)
            raise


# ---------------------------------------------------------------------- store


class Progress:
    """done/total, failures, elapsed and ETA on stderr: one updating line on a terminal,
    a line every 10 % otherwise.
    """

    def __init__(self, total: int, skipped: int, stream: TextIO | None = None,
                 enabled: bool = True) -> None:
        self.total, self.done, self.failed = total, skipped, 0
        self.skipped = skipped
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = self.stream.isatty()
        self.t0 = time.perf_counter()
        self._last_decile = -1

    def update(self, failed: bool) -> None:
        """One more job done."""
        self.done += 1
        self.failed += int(failed)
        if not self.enabled:
            return
        decile = int(10 * self.done / max(self.total, 1))
        if self.tty:
            self.stream.write("\r" + self.line())
            self.stream.flush()
        elif decile != self._last_decile or self.done == self.total:
            self._last_decile = decile
            self.stream.write(self.line() + "\n")

    def line(self) -> str:
        """The progress line."""
        el = time.perf_counter() - self.t0
        ran = self.done - self.skipped
        left = self.total - self.done
        eta = el / ran * left if ran else float("nan")
        width = 24
        fill = int(width * self.done / max(self.total, 1))
        bar = "#" * fill + "." * (width - fill)
        resumed = f" ({self.skipped} resumed)" if self.skipped else ""
        eta_text = "-" if eta != eta else f"{eta:,.0f} s"
        return (f"[{bar}] {self.done}/{self.total} done{resumed}, {self.failed} failed, "
                f"{el:,.0f} s elapsed, ETA {eta_text}")

    def close(self) -> None:
        """End the updating line."""
        if self.enabled and self.tty:
            self.stream.write("\n")


def _write_job(runs: Path, out: JobOutput) -> None:
    final = runs / out.job_id
    tmp = runs / f".{out.job_id}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name, frame in out.tables.items():
        frame.to_parquet(tmp / f"{name}.parquet", index=False)
    pd.DataFrame([out.row]).to_parquet(tmp / "scenario.parquet", index=False)
    (tmp / "hash").write_text(out.row["hash"], encoding="utf-8")
    if final.exists():
        shutil.rmtree(final)
    os.replace(tmp, final)


def _done(runs: Path, job: Job) -> bool:
    h = runs / job.id / "hash"
    return h.is_file() and h.read_text(encoding="utf-8") == job.hash


@dataclass
class BatchResult:
    """What a batch did: the store's folder, counts and the scenario table."""

    out: Path
    total: int
    ran: int
    resumed: int
    failed: int
    seconds: float
    scenarios: pd.DataFrame

    def text(self) -> str:
        """A short report of the batch."""
        s = self.scenarios
        counts = s["status"].value_counts().to_dict() if len(s) else {}
        lines = [f"batch: {self.total} scenarios ({self.ran} run, {self.resumed} resumed) in "
                 f"{self.seconds:,.1f} s; " + ", ".join(f"{v} {k}" for k, v in counts.items()),
                 f"results store: {self.out} (ioopt query {self.out} \"SELECT ...\")"]
        ok = s[s["status"].isin(["optimal", "feasible"])] if len(s) else s
        if len(ok):
            lines.append(f"objective: {ok['objective'].min():,.2f} .. {ok['objective'].max():,.2f}"
                         f" {ok['objective_unit'].iloc[0]}")
        bad = s[s["status"] == "error"] if len(s) else s
        for r in bad.head(5).itertuples():
            lines.append(f"  error in {r.scenario_id} ({r.label}): {r.error}")
        return "\n".join(lines)


def run_batch(spec: BatchSpec, base: Path, out: str | Path, case: Case | None = None,
              workers: int | None = None,
              scheduler: str | None = None, resume: bool = False,
              progress: bool = True) -> BatchResult:
    """Run a batch into the results store at ``out`` (see the module docstring)."""
    t0 = time.perf_counter()
    out = Path(out)
    source = spec._path
    if case is None:
        case = load_case((base / spec.case) if spec.case else None)
    if spec.scenario:
        case = apply_scenario(case, base / spec.scenario)
    jobs = make_jobs(spec, base, case, source)
    manifest_path = out / "manifest.json"
    if manifest_path.exists() and not resume:
        raise InputError([Problem(str(out), None, None, None,
                                  "a new folder: this one already holds a batch (manifest.json); "
                                  "pass --resume to continue it, or choose another --out")])
    runs = out / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    for tmp in runs.glob(".*.tmp-*"):  # a job cut off mid-write
        shutil.rmtree(tmp, ignore_errors=True)
    manifest = {
        "ioopt_version": __version__, "batch": spec.name, "description": spec.description,
        "source": source, "case": case.config.name, "case_dir": str(case.path),
        "case_hash": case.content_hash, "base_changes": case.applied,
        "spec": spec.model_dump(mode="json", by_alias=True),
        "jobs": [{"id": j.id, "kind": j.kind, "label": j.label, "hash": j.hash,
                  "params": j.params} for j in jobs],
    }
    _atomic_json(manifest_path, manifest)
    labels_table(case).to_csv(out / "labels.csv", index=False)
    todo = [j for j in jobs if not (resume and _done(runs, j))]
    bar = Progress(len(jobs), len(jobs) - len(todo), enabled=progress)
    workers = workers or available_cores()
    explain, tl = spec.explain, spec.time_limit_s

    def on_done(o: JobOutput) -> None:
        _write_job(runs, o)
        bar.update(o.failed)

    try:
        if scheduler:
            _run_dask(scheduler, case, todo, explain, tl, on_done)
        else:
            _run_local(case, todo, workers, explain, tl, on_done)
    finally:
        bar.close()
    scenarios = read_table(out, "scenario")
    ids = [j.id for j in jobs]
    scenarios = scenarios[scenarios["scenario_id"].isin(ids)]
    return BatchResult(out=out, total=len(jobs), ran=len(todo), resumed=len(jobs) - len(todo),
                       failed=int((scenarios["status"] == "error").sum()),
                       seconds=time.perf_counter() - t0, scenarios=scenarios)


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _atomic_json(path: Path, obj: Any) -> None:
    tmp = path.with_suffix(f".tmp-{os.getpid()}")
    tmp.write_text(json.dumps(obj, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, path)


def read_manifest(out: str | Path) -> dict[str, Any]:
    """The manifest of a results store."""
    p = Path(out) / "manifest.json"
    if not p.is_file():
        raise InputError([Problem(str(out), None, None, None,
                                  "a batch results folder (with manifest.json)")])
    data: dict[str, Any] = json.loads(p.read_text(encoding="utf-8"))
    return data


def read_table(out: str | Path, name: str) -> pd.DataFrame:
    """One table of a store, every scenario's rows together, in the manifest's job order."""
    manifest = read_manifest(out)
    order = {j["id"]: i for i, j in enumerate(manifest["jobs"])}
    frames = [pd.read_parquet(p) for p in sorted((Path(out) / "runs").glob(f"*/{name}.parquet"))]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=["scenario_id"])
    table = pd.concat(frames, ignore_index=True)
    key = table["scenario_id"].map(order).fillna(len(order))
    return table.iloc[np.argsort(key.to_numpy(), kind="stable")].reset_index(drop=True)


def query(out: str | Path, sql: str) -> pd.DataFrame:
    """Run SQL with DuckDB over a results store. Views: ``scenarios`` (one row per
    scenario), ``portfolio``, ``quotas``, ``sectors``, ``totals``, ``infeasibility``
    (those present), each with a ``scenario_id`` column.
    """
    import duckdb

    read_manifest(out)
    runs = (Path(out) / "runs").resolve()
    con = duckdb.connect()
    for view, name in [("scenarios", "scenario"), *((t, t) for t in TABLE_NAMES)]:
        if any(runs.glob(f"*/{name}.parquet")):
            pattern = str(runs / "*" / f"{name}.parquet").replace("'", "''")
            con.execute(f"CREATE VIEW {view} AS SELECT * FROM "
                        f"read_parquet('{pattern}', union_by_name=true)")
    try:
        return con.execute(sql).df()
    except duckdb.Error as exc:
        views = [r[0] for r in con.execute(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()]
        raise InputError([Problem("SQL", None, None, sql,
                                  f"a query DuckDB can run over the views {views} ({exc})")]
                         ) from None
