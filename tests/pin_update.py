"""Rewrite the safety-net pins deliberately: ``python -m tests.pin_update [--pins] [--golden]``.

Without options both are rewritten: tests/pins/tongliao.json (solves the default case
once) and tests/golden/*.lp. Review ``git diff tests/pins tests/golden`` before
committing. The same as ``UPDATE_PINS=1 pytest tests/test_pin.py`` and
``UPDATE_GOLDEN=1 pytest tests/test_golden.py``.
"""

from __future__ import annotations

import argparse

from ioopt import api
from ioopt.case import DEFAULT_CASE
from tests.pinning import TONGLIAO_PIN, tongliao_pin, write_json


def update_pins() -> None:
    """Solve the default case and rewrite tests/pins/tongliao.json."""
    case = api.load_case(DEFAULT_CASE)
    write_json(TONGLIAO_PIN, tongliao_pin(api.run(case), api.build(case).pyomo))
    print(f"wrote {TONGLIAO_PIN}")


def update_golden() -> None:
    """Rewrite tests/golden/*.lp (stale files removed)."""
    from tests.test_golden import write_golden

    changed = write_golden()
    print(f"golden files changed: {', '.join(changed) if changed else 'none'}")


def main(argv: list[str] | None = None) -> None:
    """Command line: which pins to rewrite (default both)."""
    ap = argparse.ArgumentParser(prog="python -m tests.pin_update", description=__doc__)
    ap.add_argument("--pins", action="store_true", help="rewrite tests/pins/tongliao.json")
    ap.add_argument("--golden", action="store_true", help="rewrite tests/golden/*.lp")
    args = ap.parse_args(argv)
    both = not (args.pins or args.golden)
    if args.pins or both:
        update_pins()
    if args.golden or both:
        update_golden()


if __name__ == "__main__":
    main()
