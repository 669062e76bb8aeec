"""A batch store's integrity: a SHA-256 per file of every run, and one writer at a time.

**Checksums.** Each run folder (``runs/<id>/``) is written with ``checksums.json`` (the
SHA-256 of each of its files) inside the same atomic rename; the manifest gathers them
under ``checksums`` when the batch ends (a resumed batch keeps those of its intact runs
from the start). A run whose files no longer match (a flipped
byte, a truncated or missing file, an unreadable checksum list) is *damaged*: ``resume``
runs it again and says how many it re-ran, and every reader (``query``, ``compare``,
``report``) leaves it out with a :class:`~ioopt.errors.DamagedResults` warning naming
the job and the file, never returning its rows. A run written by an ioopt without
checksums (no ``checksums.json``, none in the manifest) is read as it is.

**Lock.** A batch holds an OS lock (``fcntl.flock``) on ``<store>/.lock`` while it writes:
a second batch into the same folder stops at once (exit 2) naming the process and the
time it started. The lock goes with the process: a killed batch leaves no stale lock.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ioopt.errors import DamagedResults, InputError, Problem

CHECKSUMS = "checksums.json"
"""The checksum list of a run folder: file name -> SHA-256 (hex)."""
LOCK = ".lock"
"""The lock file of a store (holds the writer's process id and start time)."""
_HELD = threading.local()
"""``.stores``: the stores this thread holds the lock of (taken again inside: a no-op)."""


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes (hex)."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def record(folder: Path) -> dict[str, str]:
    """Write ``checksums.json`` for every file of a run folder; return the checksums."""
    sums = {p.name: sha256_file(p) for p in sorted(folder.iterdir())
            if p.is_file() and p.name != CHECKSUMS}
    (folder / CHECKSUMS).write_text(json.dumps(sums, indent=1), encoding="utf-8")
    return sums


def recorded(folder: Path) -> dict[str, str] | None:
    """A run folder's checksum list; None when it has none (an older ioopt); raises
    ValueError when the list itself is damaged.
    """
    path = folder / CHECKSUMS
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError("not a checksum list")
    return {str(k): v for k, v in data.items()}


def damage(folder: Path, expected: dict[str, str] | None = None) -> tuple[str, str] | None:
    """(file, what is wrong) for a damaged run folder, None when it is intact.

    ``expected``: the manifest's checksums of the run, when it has them; they must agree
    with the folder's own list.
    """
    try:
        sums = recorded(folder)
    except (OSError, ValueError) as exc:  # JSONDecodeError, UnicodeDecodeError included
        return CHECKSUMS, f"unreadable checksum list ({type(exc).__name__})"
    if sums is None:
        if expected is None:
            return None  # written before checksums: read as it is
        return CHECKSUMS, "missing (the manifest lists checksums for this run)"
    if expected is not None and expected != sums:
        return CHECKSUMS, "differs from the manifest's checksums"
    for name, want in sums.items():
        path = folder / name
        if not path.is_file():
            return name, "missing"
        if sha256_file(path) != want:
            return name, "contents changed since it was written (checksum differs)"
    return None


def check_runs(out: Path, manifest: dict[str, Any], ids: list[str] | None = None
               ) -> dict[str, tuple[str, str]]:
    """The damaged runs among ``ids`` (default: the manifest's jobs) whose folder exists:
    job id -> (file, what is wrong).
    """
    listed = manifest.get("checksums") or {}
    ids = [str(j["id"]) for j in manifest.get("jobs", [])] if ids is None else ids
    out_map = {}
    for job_id in ids:
        folder = out / "runs" / job_id
        if folder.is_dir():
            found = damage(folder, listed.get(job_id))
            if found is not None:
                out_map[job_id] = found
    return out_map


def warn_damaged(out: Path, damaged: dict[str, tuple[str, str]]) -> None:
    """One DamagedResults warning per damaged run (the job, the file, what is wrong)."""
    for job_id, (name, why) in damaged.items():
        warnings.warn(DamagedResults(
            f"store {out}: run {job_id} is damaged ({job_id}/{name}: {why}); its results "
            f"are left out (run the batch again with --resume to redo it)"), stacklevel=3)


def gather(out: Path, ids: list[str]) -> dict[str, dict[str, str]]:
    """The checksum lists of the runs ``ids`` (those that have one), for the manifest."""
    sums = {}
    for job_id in ids:
        try:
            got = recorded(out / "runs" / job_id)
        except (OSError, ValueError):
            continue
        if got is not None:
            sums[job_id] = got
    return sums


@contextmanager
def store_lock(out: Path) -> Iterator[None]:
    """Hold the store's lock while the block runs; InputError (exit 2) when another
    process holds it. Released when the block ends or the process dies. Taken again
    inside the block (``curve`` holds it around its batch and its curve.csv), it holds on.
    """
    import fcntl

    held: set[Path] = _HELD.__dict__.setdefault("stores", set())
    if out.resolve() in held:
        yield
        return
    if out.exists() and not out.is_dir():
        raise InputError([Problem(str(out), None, None, None,
                                  "a folder (or a new name) for the batch store; this is a file")])
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").split("\t")
            pid = holder[0] if holder[0] else "?"
            since = holder[1].strip() if len(holder) > 1 else "?"
            raise InputError([Problem(str(out), None, None, None,
                                      f"a store no other batch is writing: the store {out} is "
                                      f"in use by process {pid} since {since}")]) from None
        os.ftruncate(fd, 0)
        stamp = time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime())
        os.pwrite(fd, f"{os.getpid()}\t{stamp}\n".encode(), 0)
        held.add(out.resolve())
        try:
            yield
        finally:
            held.discard(out.resolve())
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def seal_manifest(out: Path, ids: list[str]) -> None:
    """Add every run's checksums to the store's manifest (when the batch ends)."""
    path = out / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["checksums"] = gather(out, ids)
    tmp = path.with_suffix(f".tmp-{os.getpid()}")
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False, default=str),
                   encoding="utf-8")
    os.replace(tmp, path)
