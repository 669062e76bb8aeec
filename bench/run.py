"""`make bench`: load, build, solve and extract times on the seeded synthetic generator.

Prints a table (median of --repeat runs) with HiGHS's own solve time beside ioopt's
overhead, and keeps the output in bench/results/.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from pathlib import Path

from ioopt import __version__, api
from ioopt.synthetic import write_synthetic_case


def one_run(case_dir: Path, time_limit: float) -> dict[str, float | str]:
    t0 = time.perf_counter()
    case = api.load_case(case_dir)
    t1 = time.perf_counter()
    r = api.run(case, time_limit=time_limit)
    t2 = time.perf_counter()
    tm = r.timings
    comp = r.solve.compiled
    return {"load": t1 - t0, "build": tm["build"], "compile": tm.get("compile", 0.0),
            "highs": tm.get("solve", 0.0) + tm.get("resolve_lp", 0.0),
            "extract": tm["extract"], "e2e": t2 - t0,
            "status": r.status.value, "gap": r.solve.mip_gap or 0.0,
            "rows": len(comp.rows) if comp else 0, "cols": len(comp.columns) if comp else 0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=120.0)
    args = ap.parse_args()
    rows = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            case_dir = write_synthetic_case(Path(tmp) / "case", n, seed=args.seed)
            runs = [one_run(case_dir, args.time_limit)
                    for _ in range(args.repeat if n <= 10000 else 1)]
        med = {k: statistics.median(float(r[k]) for r in runs)
               for k in ("load", "build", "compile", "highs", "extract", "e2e")}
        rows.append({"n": n, **med, "status": runs[0]["status"], "gap": runs[0]["gap"],
                     "rows": runs[0]["rows"], "cols": runs[0]["cols"], "runs": len(runs)})
    head = (f"{'N':>7} {'rows':>8} {'cols':>8} {'load':>7} {'build':>7} {'compile':>8} "
            f"{'HiGHS':>8} {'extract':>8} {'e2e':>8} {'overhead':>9}  status (gap)")
    lines = [f"ioopt {__version__} bench - {platform.processor() or platform.machine()}, "
             f"python {platform.python_version()}; MILP, mip_gap 1%, medians", head]
    for r in rows:
        over = r["e2e"] - r["highs"]
        lines.append(f"{r['n']:>7} {r['rows']:>8} {r['cols']:>8} {r['load']:>7.2f} "
                     f"{r['build']:>7.2f} {r['compile']:>8.2f} {r['highs']:>8.2f} "
                     f"{r['extract']:>8.2f} {r['e2e']:>8.2f} {over:>9.2f}  "
                     f"{r['status']} ({r['gap']:.2%})")
    text = "\n".join(lines)
    print(text)
    res_dir = Path(__file__).resolve().parent / "results"
    res_dir.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (res_dir / f"bench-{stamp}.txt").write_text(text + "\n", encoding="utf-8")
    (res_dir / f"bench-{stamp}.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
