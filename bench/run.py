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
    model = api.build(case)
    t2 = time.perf_counter()
    res = api.solve(model, case, time_limit=time_limit)
    t3 = time.perf_counter()
    r = api.RunResult(case=case, solve=res, model=model)
    if res.status.has_solution:
        from ioopt.results import portfolio_table, quota_table, sector_table

        portfolio_table(model, res)
        quota_table(model, res)
        sector_table(model, res)
    t4 = time.perf_counter()
    return {"load": t1 - t0, "build": t2 - t1, "compile": res.timings.get("compile", 0.0),
            "highs": res.timings.get("solve", 0.0) + res.timings.get("resolve_lp", 0.0),
            "solve_total": t3 - t2, "extract": t4 - t3, "e2e": t4 - t0,
            "status": r.status.value, "gap": res.mip_gap or 0.0,
            "rows": len(res.compiled.rows) if res.compiled else 0,
            "cols": len(res.compiled.columns) if res.compiled else 0}


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
