"""The jobs of a batch: one per scenario, with an id (``file-01``, ``grid-0007``,
``sample-0003``) and a hash of everything that determines its answer (case content, base
scenario, overrides), and what a job hands back (:class:`JobOutput`).
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from ioopt.batch.spec import BatchSpec, SampleSpec
from ioopt.case import Case, pydantic_problems
from ioopt.errors import InputError, Problem
from ioopt.sampling import require_uncertainty, sample_case
from ioopt.scenario import Scenario, apply_overrides, apply_scenario, deep_merge, load_scenario
from ioopt.solver.status import SolveStatus


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

    def apply(self, case: Case) -> Case:
        """The batch's base case with this job's changes (files, overrides, sample)."""
        c = case
        for f in self.files:
            c = apply_scenario(c, f)
        if self.overrides:
            sc = Scenario.model_validate({"name": self.id, **self.overrides})
            c = apply_overrides(c, sc, self.source)
        if self.sample is not None:
            c = sample_case(c, *self.sample)
        return c


@dataclass
class JobOutput:
    """What a job hands back: its scenario row (one row of the ``scenario`` table) and its
    result tables (portfolio, quotas, sectors, totals, infeasibility), each with a
    ``scenario_id`` column.
    """

    job_id: str
    row: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def status(self) -> SolveStatus:
        """The scenario's status (``error``: the job failed before or around its solve)."""
        return SolveStatus.parse(self.row.get("status"))

    @property
    def failed(self) -> bool:
        """An error (not an infeasible scenario, which is an answer)."""
        return self.status == SolveStatus.ERROR


def content_hash(obj: Any) -> str:
    """SHA-256 of an object's canonical JSON (keys sorted; other types by ``str``)."""
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
    # every setting that changes a job's answer: a resume re-runs a job when any moves
    # (the spec's time limit can stop a solve early; explain adds the infeasibility tables)
    seed_key = {"case_hash": case.content_hash, "applied": case.applied,
                "uncertainty": [p.model_dump(mode="json") for p in case.config.uncertainty],
                "time_limit_s": spec.time_limit_s, "explain": spec.explain}
    jobs = _file_jobs(spec, base, case, source, seed_key, problems)
    jobs += _grid_jobs(spec, case, source, seed_key, problems)
    jobs += _sample_jobs(spec, case, source, seed_key, problems)
    if problems:
        raise InputError(problems)
    return jobs


def _file_jobs(spec: BatchSpec, base: Path, case: Case, source: str,
               seed_key: dict[str, Any], problems: list[Problem]) -> list[Job]:
    jobs = []
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
                        hash=content_hash({**seed_key, "files": content})))
    return jobs


def _grid_jobs(spec: BatchSpec, case: Case, source: str, seed_key: dict[str, Any],
               problems: list[Problem]) -> list[Job]:
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
    if not axes or problems:
        return []
    jobs = []
    for k, combo in enumerate(itertools.product(*(ax.points() for ax in axes))):
        params = {ax.name: v for ax, v in zip(axes, combo, strict=True)}
        ov = _merge_overrides(ax.overrides(v) for ax, v in zip(axes, combo, strict=True))
        label = ", ".join(f"{n}={v}" for n, v in params.items())
        jobs.append(Job(id=f"grid-{k + 1:04d}", kind="grid", label=label, params=params,
                        overrides=ov, source=source,
                        hash=content_hash({**seed_key, "overrides": ov})))
    return jobs


def _sample_jobs(spec: BatchSpec, case: Case, source: str, seed_key: dict[str, Any],
                 problems: list[Problem]) -> list[Job]:
    s = spec.samples
    if s is None:
        return []
    try:
        require_uncertainty(_with_uncertainty(case, s))
    except InputError as exc:
        problems += [Problem(source, None, "samples", None, p.expected) for p in exc.problems]
        return []
    unc = [p.model_dump(mode="json") for p in (s.uncertainty or [])]
    return [Job(id=f"sample-{i + 1:04d}", kind="sample", label=f"sample {i} of seed {s.seed}",
                params={"seed": s.seed, "sample": i}, sample=(s.seed, i),
                overrides={"case": {"uncertainty": unc}} if unc else None, source=source,
                hash=content_hash({**seed_key, "sample": [s.seed, i], "unc": unc}))
            for i in range(s.n)]


def _with_uncertainty(case: Case, s: SampleSpec) -> Case:
    if not s.uncertainty:
        return case
    return case.replace(config=case.config.model_copy(update={"uncertainty": s.uncertainty}))
