from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


# ------------------------------------------------------------------ the browser tests

ARTIFACTS = Path(os.environ.get("IOOPT_TEST_ARTIFACTS",
                                Path(tempfile.gettempdir()) / "ioopt-test-artifacts"))
"""Where browser tests keep their screenshots."""
CHROME_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium through Playwright (skips, saying why, where there is none)."""
    from ioopt.render.static import find_browser

    exe = find_browser()
    if exe is None:
        pytest.skip("no Chromium on this machine (make test installs Debian's chromium "
                    "when it can: apt-get needs root and the Debian mirror)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - playwright is a dev dependency
        pytest.skip(f"playwright not importable: {exc}")
    with sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=exe, args=CHROME_FLAGS)
        except Exception as exc:  # a browser that cannot start: say why
            pytest.skip(f"Chromium at {exe} did not start: {exc}")
        yield b
        b.close()
