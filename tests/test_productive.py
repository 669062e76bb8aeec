"""One test of productivity for validate, solve and ``ioopt io`` (issue 20): the same
tolerance, only the sectors some project makes, and the offending cycle named."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from ioopt import iomath
from ioopt.cli import main


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def _add_coefficient(case_dir, line: str) -> None:
    path = case_dir / "coefficients.csv"
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


def test_worst_cycle_is_the_component_with_the_largest_radius():
    names = ["a", "b", "c", "d", "e"]
    A = pd.DataFrame(0.0, index=names, columns=names)
    A.loc["a", "b"], A.loc["b", "a"] = 0.5, 0.5  # radius 0.5
    A.loc["c", "d"], A.loc["d", "e"], A.loc["e", "c"] = 2.0, 1.0, 1.0  # radius 2^(1/3)
    A.loc["b", "c"] = 9.0  # links the two cycles one way only: not one component
    bad = iomath.unproductive(A)
    assert bad is not None and bad.sectors == ["c", "d", "e"]
    assert bad.rho == pytest.approx(2 ** (1 / 3))
    assert bad.rho == pytest.approx(iomath.spectral_radius(A.to_numpy()))
    assert iomath.unproductive(A, made={"a", "b", "c", "d"}) is None  # e is brought in
    assert iomath.worst_cycle(np.zeros((3, 3))) == (0.0, [])


def test_a_cycle_through_a_sector_no_project_makes_is_accepted(example_copy, tmp_path):
    # nickel ore is brought in (no project makes it): npi -> ore -> npi never runs
    _add_coefficient(example_copy, "npi,nickel_ore,0.2,estimate: test")
    r = _run("validate", str(example_copy))
    assert r.exit_code == 0, r.output
    r = _run("io", "--case", str(example_copy), "--out", str(tmp_path / "io"))
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize("rho", [1.5, 1 - 5e-11], ids=["clearly", "just-below-one"])
def test_validate_and_io_agree_and_name_the_cycle(example_copy, tmp_path, rho):
    _add_coefficient(example_copy, f"stainless,npi,{rho * rho / 0.9!r},estimate: test")
    for args in (["validate", str(example_copy)],
                 ["io", "--case", str(example_copy), "--out", str(tmp_path / "io")],
                 ["solve", "--case", str(example_copy), "--out", str(tmp_path / "s")]):
        r = _run(*args)
        assert r.exit_code == 2, (args, r.output)
        assert "coefficients.csv, field 'coef'" in r.output
        assert "in the cycle of inputs through npi, stainless" in r.output, r.output


def test_just_below_the_tolerance_is_productive_everywhere():
    A = np.array([[0.0, 1.0], [1 - 1e-8, 0.0]])  # radius 1 - 5e-9
    assert iomath.unproductive(pd.DataFrame(A)) is None
    from ioopt.analyses.io_view import leontief

    assert np.isfinite(leontief(A)).all()
