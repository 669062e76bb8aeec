"""``ioopt serve``'s answer to a quota change on the default case, server side: the
session's re-solve in place (:class:`ioopt.serve.session.Session`) and the answer panel's
tables, per change (target <= 0.5 s). Part of ``make bench``; alone:
``python -m bench.serve_bench``.
"""

from __future__ import annotations

import statistics
import sys
import time
from typing import Any

from ioopt import api
from ioopt.case import DEFAULT_CASE
from ioopt.serve.answer import answer_views
from ioopt.serve.session import Edits, Session

TARGET_S = 0.5


def serve_quota(n: int = 10) -> tuple[str, dict[str, Any]]:
    """n changes of the last year's energy-intensity quota (100 % down to 80 % of its
    limit): session re-solve + answer views, wall time per change.
    """
    case = api.load_case(DEFAULT_CASE)
    s = Session(case)
    base = s.solve().result
    q = case.quotas
    row = q[q["family"] == "energy_intensity"].sort_values("year").iloc[-1]
    key = ("energy_intensity", int(row["year"]), None)
    walls, hows = [], set()
    for i in range(n):
        value = round(float(row["limit"]) * (1.0 - 0.2 * (i + 1) / n), 4)
        t = time.perf_counter()
        s.set_edits(Edits(quotas={key: value}))
        a = s.solve()
        answer_views(a.result, base, a.how, "en")
        walls.append(time.perf_counter() - t)
        hows.add(a.how)
    res = {"n": n, "median_s": statistics.median(walls), "max_s": max(walls), "how": sorted(hows)}
    text = (f"ioopt serve, default case, {n} changes of the {key[1]} energy quota: answer "
            f"(in place re-solve + answer tables) median {res['median_s']:.3f} s, worst "
            f"{res['max_s']:.3f} s (target <= {TARGET_S:g} s: "
            f"{'met' if res['max_s'] <= TARGET_S else 'NOT met'}; {', '.join(res['how'])})")
    return text, res


if __name__ == "__main__":
    print(serve_quota(int(sys.argv[1]) if len(sys.argv) > 1 else 10)[0])
