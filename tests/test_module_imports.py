"""ioopt.case (the loader) and ioopt.checks (the cross-table checks) do not import each other.

Every import statement counts: module level, inside functions and under TYPE_CHECKING.
The loader runs the checks through ioopt.casecheck; both share the Case type of
ioopt.casedata.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _imported_modules(path: Path) -> set[str]:
    """Every module an ``import``/``from ... import`` anywhere in the file names
    (``from ioopt import checks`` counts as ``ioopt.checks``).
    """
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
    return out


@pytest.mark.parametrize(("module", "forbidden"), [
    ("case", "ioopt.checks"),
    ("checks", "ioopt.case"),
])
def test_case_and_checks_do_not_import_each_other(module, forbidden):
    imported = _imported_modules(ROOT / "ioopt" / f"{module}.py")
    assert forbidden not in imported, f"ioopt/{module}.py imports {forbidden}"


def test_loader_still_runs_the_cross_table_checks(example_copy):
    from ioopt.case import load_case
    from ioopt.errors import InputError

    deps = example_copy / "dependencies.csv"
    deps.write_text(deps.read_text(encoding="utf-8") + "stainless_2,no_such_project,x\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match="no_such_project"):
        load_case(example_copy)
