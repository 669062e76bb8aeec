"""The family catalogue: every row family has its entry, its add_<family> function and its
golden file; no family lacks any of the three, and entries state what the code builds."""

from __future__ import annotations

from pathlib import Path

import pyomo.environ as pyo
import pytest

import ioopt.formulation as formulation
from ioopt import api
from ioopt.families import FAMILIES, QUOTA_FAMILIES, ROW_FAMILIES, SWITCHABLE
from tests.conftest import EXAMPLE

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("family", ROW_FAMILIES)
def test_family_has_entry_function_and_golden_file(family):
    spec = FAMILIES[family]
    assert spec.label_en and spec.label_zh and spec.description, family
    fn = getattr(formulation, f"add_{family}", None)
    assert callable(fn), f"ioopt.formulation has no add_{family}"
    assert (GOLDEN / f"{family}.lp").exists(), f"tests/golden/{family}.lp missing"


def test_every_constraint_the_model_writes_is_in_the_catalogue():
    m = api.build(api.load_case(EXAMPLE)).pyomo
    for con in m.component_objects(pyo.Constraint):
        assert con.local_name in FAMILIES, con.local_name


def test_senses_match_the_rows_built():
    m = api.build(api.load_case(EXAMPLE)).pyomo
    for con in m.component_objects(pyo.Constraint):
        sense = FAMILIES[con.local_name].sense
        for cd in con.values():
            if sense == "==":
                assert cd.equality, con.local_name
            elif sense == "<=":
                assert cd.lb is None and cd.ub is not None, con.local_name
            else:
                assert cd.ub is None and cd.lb is not None, con.local_name


def test_ratio_families_move_coefficients():
    for f in QUOTA_FAMILIES:
        spec = FAMILIES[f]
        assert (spec.moves == "coefficient") == spec.ratio, f
    assert FAMILIES["chain_balance"].sense == "=="
    assert "build_once" not in SWITCHABLE and "energy_total" in SWITCHABLE
