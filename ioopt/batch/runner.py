"""Running a batch: its jobs on worker processes (``workers``) or a Dask cluster
(``scheduler``), every result written to the store as it arrives and handed back.

The unit of work is a **chunk**: a run of consecutive jobs that one task solves on its
own :class:`ioopt.analyses.whatif.WhatIf` session, created inside the task (the base model is
built once per chunk and scenarios that move quota limits only are re-solved in place).
No process state is kept between tasks: no module globals, thread-locals or environment
rewrites; the base case travels with each task (Dask: scattered once). The jobs are cut
into up to :data:`CHUNKS_PER_WORKER` chunks per worker (of :data:`MIN_CHUNK` jobs or
more) so that the load balances and the progress line moves. A single worker
(``workers=1``) runs one chunk in this process and writes each scenario as soon as it is
solved; a pool or Dask writes a chunk's scenarios when the chunk is done (a batch killed
meanwhile loses at most the chunks in flight, which ``resume`` runs again).

:func:`run_batch` returns a :class:`BatchResult`: the scenario table and, with
``keep_tables=True``, every scenario's result tables in memory (the analyses build on
those; the store is for resume and query).
"""

from __future__ import annotations

import math
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ioopt import __version__, words
from ioopt.batch import integrity, store
from ioopt.batch.jobs import Job, JobOutput, make_jobs
from ioopt.batch.progress import Progress
from ioopt.batch.spec import BatchSpec
from ioopt.case import Case, load_case
from ioopt.errors import InputError
from ioopt.scenario import apply_scenario
from ioopt.solver.status import SolveStatus, solved

if TYPE_CHECKING:
    from ioopt.analyses.whatif import WhatIf

CHUNKS_PER_WORKER = 4
"""Chunks of jobs per worker: more balance the load and move the progress line more
often; fewer build the base model fewer times (the default case: a build takes about a
third of a solve)."""
MIN_CHUNK = 4
"""Jobs per chunk at least, while there are more jobs than workers: a small batch is not
cut into single jobs that each build the model."""


class Worker:
    """One task's solver: the batch's base case, built on first use in a WhatIf session."""

    def __init__(self, base: Case, explain: bool, time_limit: float | None) -> None:
        self.base, self.explain, self.time_limit = base, explain, time_limit
        self._session: WhatIf | None = None

    def session(self) -> WhatIf:
        """The session (created on first use)."""
        if self._session is None:
            from ioopt.analyses.whatif import WhatIf

            self._session = WhatIf(self.base, time_limit=self.time_limit)
        return self._session

    def execute(self, job: Job) -> JobOutput:
        """Run one job. Never raises: an error is recorded as the job's status."""
        t0 = time.perf_counter()
        row: dict[str, Any] = {"scenario_id": job.id, "kind": job.kind, "label": job.label,
                               "hash": job.hash, **job.params}
        try:
            c = job.apply(self.base)
            session = self.session()
            before = session.fast_runs
            result = session.run(c, scenario=job.label, explain=self.explain)
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
            "changes": "; ".join(c.applied[len(self.base.applied):]), "path": path,
            "error": "",
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
    row.update({"status": SolveStatus.ERROR.value, "message": message, "objective": None,
                "error": message, "seconds": time.perf_counter() - t0})
    return JobOutput(row["scenario_id"], row)


def run_chunk(base: Case, jobs: list[Job], explain: bool = True,
              time_limit: float | None = None) -> list[JobOutput]:
    """Run consecutive jobs on one new session (the task of a pool or a Dask worker)."""
    worker = Worker(base, explain, time_limit)
    return [worker.execute(job) for job in jobs]


def chunks(jobs: list[Job], workers: int) -> list[list[Job]]:
    """Consecutive runs of jobs, at most CHUNKS_PER_WORKER per worker and at least one per
    worker (while there are jobs), of MIN_CHUNK jobs or more when that allows; sizes
    within one of each other.
    """
    workers = max(1, workers)
    n = min(len(jobs), workers * CHUNKS_PER_WORKER, max(workers, math.ceil(len(jobs) / MIN_CHUNK)))
    if n == 0:
        return []
    size, extra = divmod(len(jobs), n)
    out, start = [], 0
    for i in range(n):
        stop = start + size + (1 if i < extra else 0)
        out.append(jobs[start:stop])
        start = stop
    return out


def _worker_init() -> None:
    """A pool worker: leave Ctrl-C to the driver, and exit when the process that started
    it is gone (a killed driver must not leave its workers running; under a fork server
    that parent is the server, which ends with the driver).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


WORKER_DIED = "the worker process running this job died ({detail}); the batch went on"


def _run_local(case: Case, jobs: list[Job], workers: int, explain: bool,
               time_limit: float | None, on_done: Callable[[JobOutput], None]) -> None:
    if workers <= 1 or len(jobs) <= 1:
        worker = Worker(case, explain, time_limit)
        for job in jobs:
            on_done(worker.execute(job))
        return
    left = _run_pool(case, chunks(jobs, workers), workers, explain, time_limit, on_done)
    # a worker died (killed, out of memory): the lost chunks' jobs run again one per task;
    # those lost again run each alone, so the job that kills its worker is the one
    # recorded as an error and every other job finishes
    if left:
        left = _run_pool(case, [[j] for j in left], workers, explain, time_limit, on_done)
    for job in left:
        if _run_pool(case, [[job]], 1, explain, time_limit, on_done):
            on_done(_error({"scenario_id": job.id, "kind": job.kind, "label": job.label,
                            "hash": job.hash, **job.params},
                           WORKER_DIED.format(detail="each time it ran this job"),
                           time.perf_counter()))


def _run_pool(case: Case, tasks: list[list[Job]], workers: int, explain: bool,
              time_limit: float | None, on_done: Callable[[JobOutput], None]) -> list[Job]:
    """Run chunks of jobs in a process pool; return the jobs of the chunks lost to a dead
    worker (in order), empty when every chunk finished.
    """
    lost: list[Job] = []
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init) as ex:
        futures = {ex.submit(run_chunk, case, chunk, explain, time_limit): chunk
                   for chunk in tasks}
        try:
            for fut in as_completed(futures):
                try:
                    outs = fut.result()
                except BrokenProcessPool:
                    lost += futures[fut]
                    continue
                for out in outs:
                    on_done(out)
        except BaseException:
            ex.shutdown(wait=True, cancel_futures=True)
            raise
    order = {j.id: i for i, j in enumerate(j for chunk in tasks for j in chunk)}
    return sorted(lost, key=lambda j: order[j.id])


def _run_dask(address: str, case: Case, jobs: list[Job], explain: bool,
              time_limit: float | None, on_done: Callable[[JobOutput], None]) -> None:
    from distributed import Client
    from distributed import as_completed as dask_completed

    with Client(address) as client:
        [case_f] = client.scatter([case], broadcast=True)
        n = sum(client.ncores().values()) or 1
        futures = [client.submit(run_chunk, case_f, chunk, explain, time_limit, pure=False)
                   for chunk in chunks(jobs, n)]
        try:
            for fut in dask_completed(futures):
                for out in fut.result():
                    on_done(out)
        except BaseException:
            client.cancel(futures)
            raise


@dataclass
class BatchResult:
    """What a batch did: the store's folder, counts, the scenario table and (when kept)
    every scenario's result tables.
    """

    out: Path
    total: int
    ran: int
    resumed: int
    failed: int
    seconds: float
    scenarios: pd.DataFrame
    outputs: list[JobOutput] = field(default_factory=list)
    """Every job's output in job order, with its tables (``run_batch(keep_tables=True)``;
    resumed jobs read back from the store)."""
    repaired: list[str] = field(default_factory=list)
    """Jobs a resume found damaged in the store (checksums) and ran again."""

    @property
    def solved(self) -> int:
        """Scenarios with a solution (optimal, or feasible when stopped at a limit)."""
        s = self.scenarios
        return int(solved(s["status"]).sum()) if len(s) else 0

    def table(self, name: str) -> pd.DataFrame:
        """One result table over the scenarios, in job order, from memory (like
        :func:`ioopt.batch.read_table` on the store).
        """
        if self.total and not self.outputs:
            raise ValueError("the batch's tables were not kept: run_batch(..., keep_tables=True)")
        frames = [o.tables[name] for o in self.outputs if name in o.tables]
        frames = [f for f in frames if len(f)]
        if not frames:
            return pd.DataFrame(columns=["scenario_id"])
        return pd.concat(frames, ignore_index=True)

    def text(self) -> str:
        """A short report of the batch; scenarios stopped at their time limit are told
        apart from solved and failed ones.
        """
        s = self.scenarios
        counts = s["status"].value_counts().to_dict() if len(s) else {}
        lines = [f"batch: {self.total} scenarios ({self.ran} run, {self.resumed} resumed) in "
                 f"{self.seconds:,.1f} s; " + ", ".join(f"{v} {k}" for k, v in counts.items()),
                 f"results store: {self.out} (ioopt query {self.out} \"SELECT ...\")"]
        if self.repaired:
            ids = " ".join(self.repaired[:10]) + (" ..." if len(self.repaired) > 10 else "")
            lines.append(f"re-ran {len(self.repaired)} scenario(s) found damaged in the store "
                         f"(checksum differs): {ids}")
        if not len(s):
            return "\n".join(lines)
        status = s["status"].map(SolveStatus.parse)
        ok = s[solved(s["status"])]
        lines.append(f"solved: {len(ok)} of {len(s)}")
        if len(ok):
            lines.append(f"objective: {words.num(ok['objective'].min(), 6)} .. "
                         f"{words.num(ok['objective'].max(), 6)} "
                         f"{words.unit(ok['objective_unit'].iloc[0])}")
        none = s[status == SolveStatus.TIME_LIMIT]
        if len(none):
            ids = " ".join(none["scenario_id"].head(10)) + (" ..." if len(none) > 10 else "")
            lines.append(f"not solved: {len(none)} stopped at the time limit before any "
                         f"solution ({ids})")
        early = s[status == SolveStatus.FEASIBLE]
        if len(early):
            gap = pd.to_numeric(early["mip_gap"], errors="coerce").max()
            lines.append(f"{len(early)} stopped at a limit with a solution not proven optimal"
                         + ("" if pd.isna(gap) else f" (MIP gap up to {words.gap(gap)})"))
        for r in s[status == SolveStatus.ERROR].head(5).itertuples():
            lines.append(f"  error in {r.scenario_id} ({r.label}): {r.error}")
        return "\n".join(lines)


def run_batch(spec: BatchSpec, base: Path, out: str | Path, case: Case | None = None,
              workers: int | None = None, scheduler: str | None = None, resume: bool = False,
              progress: bool = True, keep_tables: bool = False) -> BatchResult:
    """Run a batch into the results store at ``out`` (see :mod:`ioopt.batch.store`).

    ``keep_tables``: hand every scenario's result tables back in ``BatchResult.outputs``
    (for analyses that build on them; off for large batches, whose tables stay on disk).
    """
    t0 = time.perf_counter()
    out = Path(out)
    if case is None:
        case = load_case((base / spec.case) if spec.case else None)
    if spec.scenario:
        case = apply_scenario(case, base / spec.scenario)
    jobs = make_jobs(spec, base, case, spec.source)
    with integrity.store_lock(out):  # one batch writes a store at a time
        damaged = store.open_store(out, _manifest(spec, case, jobs), case, resume)
        todo = [j for j in jobs if not (resume and j.id not in damaged and store.job_done(out, j))]
        repaired = [j.id for j in todo if j.id in damaged and store.job_done(out, j)]
        bar = Progress(len(jobs), len(jobs) - len(todo), enabled=progress)
        outputs: dict[str, JobOutput] = {}

        def on_done(o: JobOutput) -> None:
            store.write_job(out, o)
            outputs[o.job_id] = o if keep_tables else JobOutput(o.job_id, o.row)
            bar.update(o.status)

        workers = workers or available_cores()
        try:
            if scheduler:
                _run_dask(scheduler, case, todo, spec.explain, spec.time_limit_s, on_done)
            else:
                _run_local(case, todo, workers, spec.explain, spec.time_limit_s, on_done)
        finally:
            bar.close()
        for j in jobs:  # resumed: their answers are in the store
            if j.id not in outputs:
                outputs[j.id] = store.read_job(out, j.id, tables=keep_tables)
        integrity.seal_manifest(out, [j.id for j in jobs])
    ordered = [outputs[j.id] for j in jobs]
    scenarios = (pd.concat([pd.DataFrame([o.row]) for o in ordered], ignore_index=True)
                 if ordered else pd.DataFrame(columns=["scenario_id"]))
    return BatchResult(out=out, total=len(jobs), ran=len(todo), resumed=len(jobs) - len(todo),
                       failed=sum(o.failed for o in ordered),
                       seconds=time.perf_counter() - t0, scenarios=scenarios,
                       outputs=ordered if keep_tables else [], repaired=repaired)


def _manifest(spec: BatchSpec, case: Case, jobs: list[Job]) -> dict[str, Any]:
    return {
        "ioopt_version": __version__, "batch": spec.name, "description": spec.description,
        "source": spec.source, "case": case.config.name, "case_dir": str(case.path),
        "case_hash": case.content_hash, "base_changes": case.applied,
        "spec": spec.model_dump(mode="json", by_alias=True),
        "jobs": [{"id": j.id, "kind": j.kind, "label": j.label, "hash": j.hash,
                  "params": j.params} for j in jobs],
    }


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
