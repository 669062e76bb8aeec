"""`make bench`'s report step: ``ioopt report`` on a solve folder of the default case, HTML
only (no static PNG/SVG: those are asked for with ``--static``), timed in a fresh process
as a planner runs it (interpreter start and imports included); target <= 3 s.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ioopt import api

TARGET_REPORT_S = 3.0


def report_speed(repeat: int = 3, case_dir: Path | None = None) -> tuple[str, dict[str, Any]]:
    """Median wall time of ``python -m ioopt.cli report RUN --format html`` over ``repeat``
    runs, on the default case's solve folder; the line for the bench table and the numbers.
    """
    with tempfile.TemporaryDirectory() as tmp:
        run_dir = api.run(api.load_case(case_dir)).write(Path(tmp) / "solve")
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "ioopt.cli", "report", str(run_dir),
                            "--format", "html"], check=True, capture_output=True)
            times.append(time.perf_counter() - t)
        static = "charts" in {p.name for p in run_dir.iterdir()}
    wall = statistics.median(times)
    ok = wall <= TARGET_REPORT_S and not static
    res = {"wall": wall, "runs": times, "static_written": static}
    text = (f"ioopt report (HTML, default case's solve folder, fresh process, median of "
            f"{repeat}): {wall:.2f} s (target <= {TARGET_REPORT_S:g} s, no static charts "
            f"by default: {'PASS' if ok else 'FAIL'})")
    return text, res


if __name__ == "__main__":
    print(report_speed()[0])
