"""Golden rows: every constraint family's rows, as text, on small instances.

Each family has ``tests/golden/<family>.lp``: for each instance of :data:`FAMILY_INSTANCES`
that builds it, one line per active row, ``family[index]: +coef var ... <sense> rhs``
(terms sorted by variable name, coefficients at repr precision, the body's constant moved
to the right-hand side, rows sorted by index). ``_objective.lp`` and ``_bounds.lp`` hold
the objective and the variables' domains and bounds of every instance.

The instances are the reference instances, the example case and ``example_plus``
(the example with rows added so that every family appears; tests/pinning.py).

A deliberate change of the formulation: ``UPDATE_GOLDEN=1 pytest tests/test_golden.py``
(or ``python -m tests.pin_update --golden``) rewrites the files; review ``git diff
tests/golden`` before committing them.
"""

from __future__ import annotations

import difflib
import os

import pytest

from ioopt.families import FAMILIES
from tests.pinning import (
    GOLDEN_DIR,
    INSTANCES,
    constraint_names,
    instance_model,
    render_bounds,
    render_family,
    render_objective,
)

_REFS = ("ref1_energy", "ref2_chain", "ref3_curve", "ref5_ramp")
_EX = ("example", "example_plus")
_ALL = (*_REFS, "ref4_markets", *_EX)

FAMILY_INSTANCES: dict[str, tuple[str, ...]] = {
    # phasing (not in ioopt.schemas.FAMILIES: always on)
    "build_once": ("ref5_ramp", *_EX),
    "production_max": (*_REFS, *_EX),
    "production_min": ("ref3_curve", "ref5_ramp", "example_plus"),
    "green_supply": _EX,
    # the family catalogue (ioopt.schemas.FAMILIES)
    "chain_balance": _ALL,
    "export_market": ("ref4_markets",),
    "import_market": ("ref4_markets",),
    "energy_total": _ALL,
    "energy_intensity": _EX,
    "carbon_total": _EX,
    "carbon_intensity": ("example_plus",),
    "green_share": _EX,
    "green_power": ("example_plus",),
    "water_total": _EX,
    "water_intensity": ("example_plus",),
    "land": ("ref2_chain", *_EX),
    "capital_total": ("ref1_energy", "ref3_curve", *_EX),
    "capital_year": ("example_plus",),
    "sector_capacity_cap": ("example_plus",),
    "sector_capacity_floor": ("example_plus",),
    "sector_output_cap": ("example_plus",),
    "sector_output_floor": _EX,
    "sector_value_floor": ("example_plus",),
    "dependency": _EX,
    "exclusive_group": _EX,
    "force_in": ("example_plus",),
}
"""Every Constraint component of the model -> the instances that build it (exactly)."""

FAMILIES_WITHOUT_ROWS = {
    "commitment": "committed projects are online from their year: variable bounds, no rows",
}
"""Entries of ioopt.schemas.FAMILIES that write no Constraint component."""

EXTRA_GOLDEN = ("_objective", "_bounds")

UPDATE = os.environ.get("UPDATE_GOLDEN", "") not in ("", "0")


def family_text(family: str) -> str:
    """The golden text of one family over its instances."""
    lines = [f"\\ golden rows of {family} (tests/test_golden.py; UPDATE_GOLDEN=1 rewrites)"]
    for inst in FAMILY_INSTANCES[family]:
        lines.append(f"\\ instance {inst}")
        lines += render_family(instance_model(inst), family)
    return "\n".join(lines) + "\n"


def extra_text(name: str) -> str:
    """The golden text of the objectives or the variable bounds of every instance."""
    render = {"_objective": render_objective, "_bounds": render_bounds}[name]
    lines = [f"\\ golden {name[1:]} of every instance (tests/test_golden.py; UPDATE_GOLDEN=1 "
             "rewrites)"]
    for inst in INSTANCES:
        lines.append(f"\\ instance {inst}")
        lines += render(instance_model(inst))
    return "\n".join(lines) + "\n"


def golden_texts() -> dict[str, str]:
    """File stem -> text, for every golden file."""
    out = {f: family_text(f) for f in FAMILY_INSTANCES}
    out.update({n: extra_text(n) for n in EXTRA_GOLDEN})
    return out


def write_golden() -> list[str]:
    """Rewrite every golden file and remove stale ones; return the files changed."""
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    changed = []
    texts = golden_texts()
    for stem, text in texts.items():
        path = GOLDEN_DIR / f"{stem}.lp"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path.name)
    for path in GOLDEN_DIR.glob("*.lp"):
        if path.stem not in texts:
            path.unlink()
            changed.append(f"{path.name} (removed)")
    return changed


def _compare(stem: str, text: str) -> None:
    path = GOLDEN_DIR / f"{stem}.lp"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), (f"no golden file {path.relative_to(GOLDEN_DIR.parent.parent)}; "
                           "UPDATE_GOLDEN=1 pytest tests/test_golden.py writes it")
    want = path.read_text(encoding="utf-8")
    if want != text:
        diff = "".join(difflib.unified_diff(
            want.splitlines(keepends=True), text.splitlines(keepends=True),
            fromfile=f"golden/{stem}.lp", tofile="built now", n=1))
        if len(diff) > 6000:
            diff = diff[:6000] + "\n... (diff cut)\n"
        pytest.fail(f"rows of {stem} differ from tests/golden/{stem}.lp:\n{diff}\n"
                    "If the change is deliberate: UPDATE_GOLDEN=1 pytest tests/test_golden.py",
                    pytrace=False)


@pytest.mark.parametrize("family", sorted(FAMILY_INSTANCES))
def test_family_rows_match_golden(family):
    _compare(family, family_text(family))


@pytest.mark.parametrize("name", EXTRA_GOLDEN)
def test_objective_and_bounds_match_golden(name):
    _compare(name, extra_text(name))


@pytest.mark.parametrize("instance", list(INSTANCES))
def test_each_instance_builds_exactly_the_families_listed(instance):
    built = set(constraint_names(instance_model(instance)))
    listed = {f for f, insts in FAMILY_INSTANCES.items() if instance in insts}
    assert built == listed, (f"{instance}: built but not listed {sorted(built - listed)}, "
                             f"listed but not built {sorted(listed - built)}")


def test_every_catalogue_family_is_listed_or_has_no_rows():
    catalogue = set(FAMILIES)
    assert not set(FAMILIES_WITHOUT_ROWS) - catalogue, "FAMILIES_WITHOUT_ROWS names an unknown family"
    missing = catalogue - set(FAMILY_INSTANCES) - set(FAMILIES_WITHOUT_ROWS)
    assert not missing, f"families of ioopt.schemas.FAMILIES with no golden instance: {sorted(missing)}"
    for family in FAMILIES_WITHOUT_ROWS:
        for inst in INSTANCES:
            assert instance_model(inst).component(family) is None, f"{family} now has rows"


def test_every_family_has_a_golden_file_and_no_file_is_stale():
    have = {p.stem for p in GOLDEN_DIR.glob("*.lp")}
    want = set(FAMILY_INSTANCES) | set(EXTRA_GOLDEN)
    if UPDATE:
        for stem in have - want:
            (GOLDEN_DIR / f"{stem}.lp").unlink()
        return
    assert not want - have, f"no golden file for {sorted(want - have)} (UPDATE_GOLDEN=1 writes them)"
    assert not have - want, f"stale golden files {sorted(have - want)}"


def test_default_case_builds_only_families_with_golden_rows():
    from ioopt import api
    from ioopt.case import DEFAULT_CASE

    built = set(constraint_names(api.build(api.load_case(DEFAULT_CASE)).pyomo))
    assert not built - set(FAMILY_INSTANCES), (
        f"the default case builds {sorted(built - set(FAMILY_INSTANCES))}, which no golden "
        "instance covers: add rows that build them to an instance (tests/pinning.py) and list "
        "them in FAMILY_INSTANCES")
