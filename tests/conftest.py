from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REF = ROOT / "models" / "reference"
EXAMPLE = ROOT / "data" / "example"


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A writable copy of the example case."""
    dst = tmp_path / "case"
    shutil.copytree(EXAMPLE, dst)
    return dst


@pytest.fixture(scope="session")
def tongliao_run():
    """The default case solved once per test session."""
    from ioopt import api
    from ioopt.case import DEFAULT_CASE

    return api.run(api.load_case(DEFAULT_CASE))
