"""Pin of the default case (data/tongliao): objective, model structure, binding quotas, portfolio.

``tests/pins/tongliao.json`` holds:

- ``objective``: compared within 1e-6 relative;
- ``constraints``: per Pyomo Constraint component (a family): active rows, distinct
  variables in them (columns) and nonzeros (terms of the linear bodies);
- ``variables``: per Var component, the number of variables;
- ``binding_quotas``: [name, year, park, scope] of the rows of ``result.quotas`` with
  ``binding`` true (scope tells rules apart; compared as a multiset);
- ``selected_projects``: committed and candidate projects selected.

A deliberate change: ``UPDATE_PINS=1 pytest tests/test_pin.py`` (or ``python -m
tests.pin_update --pins``) rewrites the pin; review ``git diff tests/pins`` before
committing it.
"""

from __future__ import annotations

import json
import os
from collections import Counter

import pytest

from ioopt import api
from ioopt.case import DEFAULT_CASE
from tests.pinning import OBJECTIVE_REL_TOL, TONGLIAO_PIN, tongliao_pin, write_json

UPDATE = os.environ.get("UPDATE_PINS", "") not in ("", "0")
HOW = "If the change is deliberate: UPDATE_PINS=1 pytest tests/test_pin.py"


@pytest.fixture(scope="module")
def now(tongliao_run):
    """The pin as computed now (the structure from a fresh, unsolved build)."""
    pin = tongliao_pin(tongliao_run, api.build(api.load_case(DEFAULT_CASE)).pyomo)
    if UPDATE:
        write_json(TONGLIAO_PIN, pin)
    return pin


@pytest.fixture(scope="module")
def pinned(now):
    assert TONGLIAO_PIN.exists(), f"no pin {TONGLIAO_PIN.name}; {HOW} writes it"
    return json.loads(TONGLIAO_PIN.read_text(encoding="utf-8"))


def _dict_diff(want: dict, got: dict) -> str:
    lines = []
    for k in sorted(set(want) | set(got)):
        if k not in got:
            lines.append(f"  - {k}: {want[k]} (pinned, not built now)")
        elif k not in want:
            lines.append(f"  + {k}: {got[k]} (built now, not pinned)")
        elif want[k] != got[k]:
            lines.append(f"  ~ {k}: pinned {want[k]}, now {got[k]}")
    return "\n".join(lines)


def _set_diff(want: list, got: list) -> str:
    w = Counter(json.dumps(x, ensure_ascii=False) for x in want)
    g = Counter(json.dumps(x, ensure_ascii=False) for x in got)
    return "\n".join([*(f"  - {x} (pinned only)" for x in sorted((w - g).elements())),
                      *(f"  + {x} (now only)" for x in sorted((g - w).elements()))])


def test_status_and_objective(pinned, now):
    if now["status"] != pinned["status"]:
        pytest.fail(f"status {now['status']}, pinned {pinned['status']}. {HOW}", pytrace=False)
    want, got = pinned["objective"], now["objective"]
    if got != pytest.approx(want, rel=OBJECTIVE_REL_TOL):
        pytest.fail(f"objective {got!r} differs from the pinned {want!r} (relative "
                    f"{abs(got - want) / abs(want):.3g} > {OBJECTIVE_REL_TOL:g}). {HOW}",
                    pytrace=False)


@pytest.mark.parametrize("part", ["constraints", "variables"])
def test_model_structure(pinned, now, part):
    diff = _dict_diff(pinned[part], now[part])
    if diff:
        pytest.fail(f"{part} of the default case's model differ from the pin:\n{diff}\n{HOW}",
                    pytrace=False)


@pytest.mark.parametrize("part", ["binding_quotas", "selected_projects"])
def test_solution_sets(pinned, now, part):
    diff = _set_diff(pinned[part], now[part])
    if diff:
        pytest.fail(f"{part} of the default case differ from the pin:\n{diff}\n{HOW}",
                    pytrace=False)
