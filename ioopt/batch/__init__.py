"""Batches of what-if scenarios: grids, samples and scenario files, run in parallel,
resumable, into a Parquet results store.

- :mod:`ioopt.batch.spec`: the batch spec file (:class:`BatchSpec`, :func:`load_spec`);
- :mod:`ioopt.batch.jobs`: one job per scenario, with the hash of everything that decides
  its answer;
- :mod:`ioopt.batch.runner`: the jobs run in chunks on a local process pool or a Dask
  cluster, each chunk on its own what-if session (:func:`run_batch`);
- :mod:`ioopt.batch.progress`: the progress line;
- :mod:`ioopt.batch.store`: the only reader and writer of result stores and run folders
  (``ioopt query`` reads a store with DuckDB).
"""

from ioopt.batch.jobs import Job, JobOutput, content_hash, make_jobs
from ioopt.batch.progress import Progress
from ioopt.batch.reading import query, read_table, read_tables
from ioopt.batch.runner import (
    BatchResult,
    Worker,
    available_cores,
    chunks,
    run_batch,
    run_chunk,
)
from ioopt.batch.spec import TABLE_AXES, Axis, BatchSpec, SampleSpec, Steps, load_spec
from ioopt.batch.store import TABLE_NAMES, read_manifest

__all__ = ["TABLE_AXES", "TABLE_NAMES", "Axis", "BatchResult", "BatchSpec", "Job", "JobOutput",
           "Progress", "SampleSpec", "Steps", "Worker", "available_cores", "chunks",
           "content_hash", "load_spec", "make_jobs", "query", "read_manifest", "read_table",
           "read_tables", "run_batch", "run_chunk"]
