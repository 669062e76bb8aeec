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
from collections.abc import Callable
from pathlib import Path

from ioopt import __version__, api
from ioopt.case import DEFAULT_CASE, Case
from ioopt.scenario import QuotaChange, Scenario, apply_overrides
from ioopt.session import WhatIf
from ioopt.synthetic import write_synthetic_case


def whatif(n: int, case_dir: Path = DEFAULT_CASE, label: str = "default case"
           ) -> tuple[str, dict[str, float]]:
    """n energy-quota what-ifs on a case: in place on the built model vs rebuilt.

    Per scenario (medians): wall time, HiGHS's time, and ioopt's overhead (the rest:
    build, compile, bound changes, extraction).
    """
    case = api.load_case(case_dir)
    scales = [0.8 + 0.4 * i / max(n - 1, 1) for i in range(n)]
    cases = [apply_overrides(case, Scenario(name=f"e{s:.3f}", quotas=[
        QuotaChange(family="energy_total", scale=s)]), "bench") for s in scales]
    session = WhatIf(case, ranging=True)
    session.run(case)  # the one build
    api.run(case)  # warm imports for the rebuilt path too

    def timed(fn: Callable[[Case], api.RunResult]) -> tuple[list[api.RunResult], list[float],
                                                              list[float]]:
        out, wall, highs = [], [], []
        for c in cases:
            t = time.perf_counter()
            r = fn(c)
            wall.append(time.perf_counter() - t)
            highs.append(r.timings.get("solve", 0.0) + r.timings.get("resolve_lp", 0.0))
            out.append(r)
        return out, wall, highs

    fast, fw, fh = timed(lambda c: session.run(c, explain=False))
    slow, sw, sh = timed(lambda c: api.run(c, explain=False))
    worst = max(abs((a.solve.objective or 0) - (b.solve.objective or 0))
                / max(1.0, abs(b.solve.objective or 0)) for a, b in zip(fast, slow, strict=True))
    med = statistics.median
    res = {"n": n, "in_place_wall": med(fw), "in_place_highs": med(fh),
           "in_place_overhead": med(a - b for a, b in zip(fw, fh, strict=True)),
           "rebuilt_wall": med(sw), "rebuilt_highs": med(sh),
           "rebuilt_overhead": med(a - b for a, b in zip(sw, sh, strict=True)),
           "max_objective_diff": worst}
    text = (f"what-if re-solves, {label}, {n} energy-quota scenarios (per scenario, medians):"
            f"\n  in place: {res['in_place_wall']:.3f} s (HiGHS {res['in_place_highs']:.3f} s, "
            f"ioopt {res['in_place_overhead']:.3f} s)"
            f"\n  rebuilt : {res['rebuilt_wall']:.3f} s (HiGHS {res['rebuilt_highs']:.3f} s, "
            f"ioopt {res['rebuilt_overhead']:.3f} s)"
            f"\n  speed-up {res['rebuilt_wall'] / res['in_place_wall']:.2f}x end to end, "
            f"{res['rebuilt_overhead'] / max(res['in_place_overhead'], 1e-9):.1f}x less ioopt "
            f"overhead; largest relative objective difference {worst:.1e} (MIP gap "
            f"{case.config.solver.mip_gap:g})")
    return text, res


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
    ap.add_argument("--whatif", type=int, default=30,
                    help="What-if scenarios timed in place vs rebuilt (0: skip).")
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
    extra: dict[str, float] = {}
    if args.whatif:
        line, extra = whatif(args.whatif)
        lines.append(line)
        with tempfile.TemporaryDirectory() as tmp:
            n = min(args.sizes)
            case_dir = write_synthetic_case(Path(tmp) / "case", n, seed=args.seed)
            line, more = whatif(max(3, args.whatif // 6), case_dir, f"synthetic N={n}")
        lines.append(line)
        extra = {**{f"default_{k}": v for k, v in extra.items()},
                 **{f"synthetic_{k}": v for k, v in more.items()}}
    text = "\n".join(lines)
    print(text)
    res_dir = Path(__file__).resolve().parent / "results"
    res_dir.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (res_dir / f"bench-{stamp}.txt").write_text(text + "\n", encoding="utf-8")
    (res_dir / f"bench-{stamp}.json").write_text(
        json.dumps({"solve": rows, "whatif": extra}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
