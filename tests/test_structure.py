"""The house rules of the package, checked on its source: one HiGHS session, statuses
through the enum, modules of a readable size, a thin CLI, layers that do not leak."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "ioopt"
MODULES = sorted(PKG.rglob("*.py"))


def _source(p: Path) -> str:
    return p.read_text(encoding="utf-8")


def _imports(p: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(_source(p))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_highs_is_constructed_in_the_session_module_only():
    where = [p.relative_to(PKG).as_posix() for p in MODULES
             if re.search(r"highspy\.Highs\(\)", _source(p))]
    assert where == ["solver/highs.py"]


def test_statuses_only_through_the_enum():
    """No module compares status strings of its own (the status words of ``words`` are
    keyed by the enum)."""
    pattern = re.compile(r"""["'](optimal|feasible|time_limit)["']""")
    own = ("solver/status.py", "solver/highs.py", "words/__init__.py")
    bad = [p.relative_to(PKG).as_posix() for p in MODULES
           if p.relative_to(PKG).as_posix() not in own and pattern.search(_source(p))]
    assert bad == []


def test_thin_cli_and_layers():
    assert {m for m in _imports(PKG / "cli.py")
            if m.startswith("ioopt") and not m.startswith("ioopt.cli_options")} <= {
        "ioopt", "ioopt.api", "ioopt.errors", "ioopt.errors.InputError"}
    assert {m for m in _imports(PKG / "cli_options.py") if m.startswith("ioopt")} <= {
        "ioopt", "ioopt.api", "ioopt.errors", "ioopt.errors.InputError"}
    assert not any(m.startswith("ioopt.formulation") for m in _imports(
        PKG / "analyses" / "io_view.py"))
    assert not {m for m in _imports(PKG / "checks.py") if m.split(".")[:2] == ["ioopt", "case"]}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PKG).as_posix())
def test_no_module_over_400_lines(path):
    assert len(_source(path).splitlines()) <= 400


def test_no_object_identity_state():
    """No model attributes stashed on the Pyomo object, no id() maps kept beside it."""
    for p in MODULES:
        src = _source(p)
        assert "_ioopt" not in src, p
        assert "row_of" not in src and "col_of" not in src, p
