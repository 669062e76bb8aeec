"""One browser tab's scenario and solver session, with no web code in it.

A :class:`Session` holds what the page has set — a scenario loaded from a file (or
uploaded), then the page's own edits: quota limits, forced projects, the objective
measure, the families' switches and the accounting — and turns them into one
:class:`~ioopt.scenario.Scenario`: the same overrides ``ioopt solve --scenario`` reads, so
the saved YAML gives the same answer through the CLI.

Solving goes through :class:`~ioopt.analyses.whatif.WhatIf`: a change of quota limits only
moves rows of the built model on its HiGHS session and re-solves in place; any other change
(prices, coefficients, switches, forces) rebuilds, and the rebuilt model becomes the base
of the next in-place changes. The answer says which (:attr:`Answer.how`).
"""

from __future__ import annotations

import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_origin

import yaml

from ioopt import pipeline
from ioopt.analyses.whatif import WhatIf
from ioopt.case import Case, read_yaml_model
from ioopt.errors import InputError, Problem
from ioopt.scenario import QuotaChange, Scenario, apply_overrides, apply_quota_changes, deep_merge, load_scenario
from ioopt.schemas import NUMBER_BOUND
from ioopt.serve.tasks import Task

QuotaKey = tuple[str, int | None, str | None]
"""A quota row: (family, year or None for every year, park or None for the city)."""

_LISTS = tuple(k for k, f in Scenario.model_fields.items() if get_origin(f.annotation) is list)
"""The scenario's lists of changes (quotas, projects, ...): a flattened chain holds them all."""


def quota_key(r: dict[str, Any]) -> QuotaKey:
    """The (family, year, park) of a quotas.csv record (blank cells as None)."""
    year, park = r.get("year"), r.get("park")
    return (str(r["family"]), None if year is None or year != year else int(year),
            park if isinstance(park, str) and park else None)


def flatten(chain: list[tuple[Path, Scenario]]) -> Scenario:
    """A scenario file and those it inherits as one scenario (applied in the same order)."""
    out = Scenario(name=chain[-1][1].name, description=chain[-1][1].description)
    for _, sc in chain:
        out.case = deep_merge(out.case, sc.case)
        for key in _LISTS:
            getattr(out, key).extend(getattr(sc, key))
    return out


@dataclass
class Edits:
    """What the page changed on top of the loaded scenario."""

    quotas: dict[QuotaKey, float] = field(default_factory=dict)
    """A quota row's limit, in its own unit (quotas.csv)."""
    forces: dict[str, str | None] = field(default_factory=dict)
    """A project forced 'in' or 'out', or None: its force taken away."""
    settings: dict[str, Any] = field(default_factory=dict)
    """case.yaml settings (deep-merged): objective.measure, families, accounting."""


@dataclass
class Answer:
    """A solve of the session's scenario, and how it was reached."""

    result: pipeline.RunResult
    how: str
    """'in_place', 'rebuild' or 'base'."""
    why: str
    """Why it rebuilt ('' otherwise)."""
    n_moved: int
    seconds: float
    scenario: Scenario
    stamp: int
    """Counts the session's answers: a task started on one answer knows it is stale."""


class Session:
    """One tab's scenario over a base case: its own WhatIf (model + HiGHS) and a lock."""

    def __init__(self, base: Case, configs: Path | None = None) -> None:
        self.base = base
        self.configs = configs
        self.loaded = Scenario(name="page")
        self.loaded_case = base
        self.edits = Edits()
        self.lock = threading.Lock()
        self.whatif: WhatIf | None = None
        self.answer: Answer | None = None
        self.task: Task | None = None
        """The deeper question running or last run (one at a time per tab)."""
        self.stamp = 0
        self.folder = Path(tempfile.mkdtemp(prefix="ioopt-serve-"))
        """The session's own scratch folder (scenario files for tasks, reports)."""
        self.last_used = time.monotonic()

    # ----------------------------------------------------------- the scenario

    def scenario(self) -> Scenario:
        """The loaded scenario with the page's edits after it: what a saved file holds."""
        sc = self.loaded.model_copy(deep=True)
        sc.case = deep_merge(sc.case, self.edits.settings)
        sc.quotas += self._quota_changes()
        for j, how in self.edits.forces.items():
            sc.projects.append({"project": j, "force": how})
        return sc

    def _quota_changes(self) -> list[QuotaChange]:
        """The page's quota limits as the scenario's ``set`` changes (a city row of a
        family that also has park rows is selected by a blank park).
        """
        q = self.loaded_case.quotas
        out = []
        for (fam, year, park), value in self.edits.quotas.items():
            mixed = park is None and any(isinstance(p, str) and p for p in
                                         q.loc[q["family"] == fam, "park"])
            out.append(QuotaChange(family=fam, year=year, park="" if mixed else park, set=value))
        return out

    def case(self) -> Case:
        """The base case with the scenario applied (InputError: the page's message); quota
        limits alone through the scenario's fast path (only the quota checks run again).
        """
        if not (self.edits.quotas or self.edits.forces or self.edits.settings):
            return self.loaded_case
        if self.edits.forces or self.edits.settings:
            return apply_overrides(self.loaded_case, self.scenario(), "<page>")
        return apply_quota_changes(self.loaded_case, self._quota_changes(), "<page>")

    def set_edits(self, edits: Edits) -> None:
        """Replace the page's edits; a limit equal to the loaded case's is no edit.
        InputError for a limit that is not a number >= 0 below 1e15 (the page's message).
        """
        now = {quota_key(r): float(r["limit"]) for r in self.loaded_case.quotas.to_dict("records")}
        bad = [Problem("<page>", None, f"quotas[{k[0]} {k[1] or ''} {k[2] or ''}]".replace("  ", " "), v,
                       "a number >= 0 below 1e15 in size")
               for k, v in edits.quotas.items() if k in now and v is not None and not _limit_ok(v)]
        if bad:
            raise InputError(bad)
        quotas = {k: float(v) for k, v in edits.quotas.items()
                  if k in now and v is not None and abs(float(v) - now[k]) > 1e-9 * max(1.0, abs(now[k]))}
        pf = self.loaded_case.projects["force"]
        forces = {j: f for j, f in edits.forces.items()
                  if j in pf.index and (f or None) != (pf[j] if isinstance(pf[j], str) else None)}
        self.edits = Edits(quotas=quotas, forces=forces, settings=edits.settings)

    def load(self, name: str) -> Scenario:
        """Load a scenario file of the configs folder by its name (no path: a name)."""
        files = self.config_names()
        if name not in files or self.configs is None:
            raise InputError([Problem("<page>", None, "scenario", name,
                                      f"one of the scenario files in {self.configs}: {files}")])
        chain = load_scenario(self.configs / name)
        return self._take(flatten(chain), str(self.configs / name))

    def upload(self, filename: str, text: str) -> Scenario:
        """A scenario sent from the page: read and checked exactly as ``--scenario`` is
        (it may not inherit: the page sends one file).
        """
        safe = "".join(c for c in Path(filename or "upload.yaml").name if c.isalnum() or c in "._-")
        path = self.folder / "upload" / (safe or "upload.yaml")
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        sc = read_yaml_model(path, Scenario, "scenario")
        if sc.inherits:
            raise InputError([Problem(safe, None, "inherits", sc.inherits,
                                      "no inheritance in an uploaded scenario (load it from "
                                      "the configs folder, or save a flattened copy)")])
        return self._take(sc, safe)

    def _take(self, sc: Scenario, source: str) -> Scenario:
        case = apply_overrides(self.base, sc, source)
        self.loaded, self.loaded_case, self.edits = sc, case, Edits()
        return sc

    def reset(self) -> None:
        """Back to the base case (no file, no edits)."""
        self.loaded, self.loaded_case, self.edits = Scenario(name="page"), self.base, Edits()

    def config_names(self) -> list[str]:
        """The scenario files of the configs folder (names only)."""
        if self.configs is None or not self.configs.is_dir():
            return []
        return sorted(p.name for p in self.configs.glob("*.yaml")
                      if not p.name.startswith("batch"))

    def yaml_text(self) -> str:
        """The scenario as a file ``ioopt solve --scenario`` accepts (defaults left out)."""
        data = self.scenario().model_dump(mode="json", exclude_defaults=True)
        data["quotas"] = [{k: v for k, v in q.items() if v is not None}
                          for q in data.get("quotas", [])]
        data.pop("inherits", None)
        return yaml.safe_dump({"name": data.pop("name"), **data}, allow_unicode=True,
                              sort_keys=False)

    def scenario_file(self) -> Path:
        """The scenario written into the session's folder (for background tasks)."""
        path = self.folder / "scenario.yaml"
        path.write_text(self.yaml_text(), encoding="utf-8")
        return path

    # ----------------------------------------------------------------- solving

    def solve(self) -> Answer:
        """Solve the current scenario: in place when only quota limits moved since the
        model was built, else a rebuild (which becomes the base of the next changes).
        """
        self.last_used = time.monotonic()
        case = self.case()
        t0 = time.perf_counter()
        # a change the built model cannot take in place: the rebuilt model becomes the base
        why = "" if self.whatif is None else (self.whatif.why_rebuild(case) or "")
        first = self.whatif is None
        if first or why:
            self.whatif = WhatIf(case)
        w = self.whatif
        assert w is not None
        name = None if self.loaded.name == "page" else self.loaded.name
        result = w.run(case, scenario=name)
        if w.last_how == "rebuild":
            how, why = "rebuild", w.last_why
        else:
            how = "base" if first else "rebuild" if why else "in_place"
        self.stamp += 1
        self.answer = Answer(result=result, how=how, why=why, n_moved=w.last_moved,
                             seconds=time.perf_counter() - t0, scenario=self.scenario(),
                             stamp=self.stamp)
        return self.answer


def _limit_ok(v: object) -> bool:
    """Whether a limit from the page is a number the scenario format takes."""
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return False
    return 0 <= float(v) < NUMBER_BOUND


class Sessions:
    """The server's sessions, keyed by the id each tab keeps in its page (dcc.Store)."""

    def __init__(self, base: Case, configs: Path | None = None, keep: int = 8) -> None:
        self.base = base
        self.configs = configs
        self.keep = keep
        self._all: dict[str, Session] = {}
        self._lock = threading.Lock()
        self._base: pipeline.RunResult | None = None
        self._base_lock = threading.Lock()

    def base_answer(self, answer: Answer | None = None) -> pipeline.RunResult:
        """The base case's answer, solved once: what changes are against. A session's
        ``answer`` of the base case itself (a tab's first solve, on its WhatIf) is kept as
        it; else the base is solved on its own model.
        """
        with self._base_lock:
            if self._base is None:
                self._base = (answer.result if answer is not None and answer.result.ok
                              and answer.result.case is self.base
                              else pipeline.run(self.base, ranging=False))
            return self._base

    def get(self, sid: str) -> Session:
        """The tab's session (a new one for a new id; the least recently used one goes
        when more than ``keep`` are open).
        """
        if not isinstance(sid, str) or not sid.isalnum() or len(sid) > 64:
            raise InputError([Problem("<page>", None, "session", sid, "a session id")])
        with self._lock:
            s = self._all.get(sid)
            if s is None:
                if len(self._all) >= self.keep:
                    oldest = min(self._all, key=lambda k: self._all[k].last_used)
                    gone = self._all.pop(oldest)
                    if gone.task is not None:
                        gone.task.cancel()
                s = self._all[sid] = Session(self.base, self.configs)
            return s
