"""``ioopt serve`` in a real browser (headless Chromium through Playwright, as the report's
tests): the page loads without console errors; a quota cut changes the objective and the
shadow price as ``ioopt solve`` gives them on the saved scenario; a forced-out project says
so; the Chinese switch; two tabs apart; an infeasible setting shows its relaxation.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ioopt import api, words
from ioopt.cli import main
from ioopt.serve import create_app
from tests.conftest import ARTIFACTS


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    from werkzeug.serving import make_server

    srv = make_server("127.0.0.1", 0, create_app(None).server, threaded=True)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_port}/"
    srv.shutdown()



@pytest.fixture(scope="module")
def base() -> Any:
    return api.run(api.load_case(None), ranging=False)


def open_page(context: Any, url: str) -> tuple[Any, list[str]]:
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_selector("#objective", timeout=30000)
    return page, errors


def changed(page: Any, selector: str, old: str) -> str:
    page.wait_for_function("([s, t]) => { const e = document.querySelector(s); "
                           "return e && e.innerText !== t; }", arg=[selector, old], timeout=30000)
    return str(page.inner_text(selector))


def set_quota(page: Any, key: str, value: float) -> str:
    old = page.inner_text("#answer")
    box = page.locator(f"[id='{json.dumps({'key': key, 'type': 'quota'}, separators=(',', ':'))}']")
    box.fill(str(value))
    box.press("Enter")
    changed(page, "#answer", old)
    page.wait_for_selector("#status, #bad-input", timeout=30000)
    return str(page.inner_text("#answer"))


def quota_cut(base: Any, year: int) -> tuple[str, float]:
    q = base.quotas
    r = q[(q["name"] == "energy_intensity") & (q["year"] == year)].iloc[0]
    return f"energy_intensity|{year}|", round(float(r["used"]) * 0.85, 4)


def L_zh_name(base: Any) -> str:
    """A park's Chinese name (the case's own), as the portfolio table shows it."""
    pf = base.portfolio
    park = str(pf.loc[(pf["status"] != "existing") & pf["selected"], "park"].iloc[0])
    parks = api.load_case(None).parks.set_index("park")
    return str(parks.at[park, "name_zh"])


def test_the_workbench(browser: Any, url: str, base: Any, tmp_path: Path) -> None:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page, errors = open_page(ctx, url)
    other, other_errors = open_page(ctx, url)  # a second tab: a session of its own
    base_text = page.inner_text("#objective")
    assert words.num(base.solve.objective, 6) in base_text

    # the 2025 energy quota down: objective and shadow price as `ioopt solve` gives them
    last = int(base.quotas["year"].max())
    key, value = quota_cut(base, last)
    set_quota(page, key, value)
    assert page.inner_text("#objective") != base_text
    assert "in place" in page.inner_text("#how")
    with page.expect_download() as dl:
        page.click("#save-btn")
    saved = tmp_path / "page.yaml"
    saved.write_text(Path(dl.value.path()).read_text(encoding="utf-8"), encoding="utf-8")
    out = CliRunner().invoke(main, ["solve", "--scenario", str(saved), "--out", str(tmp_path / "o"),
                                    "--json"])
    assert out.exit_code == 0, out.output
    summary = json.loads(out.output)
    assert words.num(summary["objective"], 6) in page.inner_text("#objective")
    cli_q = next(q for q in summary["quotas"] if q["name"] == "energy_intensity" and q["year"] == last)
    row = page.locator("#quotas tr", has_text="energy intensity").filter(has_text=str(last))
    from ioopt.render.html_table import fmt_cell

    assert cli_q["shadow_price"] > 0 and fmt_cell(float(cli_q["shadow_price"]))[0] in row.inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "serve.png"))

    # the other tab still has the base case, and its change does not reach the first
    assert other.inner_text("#objective") == base_text
    first_now = page.inner_text("#objective")
    k0, _ = quota_cut(base, int(base.quotas["year"].min()))
    text = set_quota(other, k0, 0.5)  # far below need: infeasible
    assert words.t("serve.infeasible") in text
    assert other.locator("#infeasible li").count() >= 2  # the relaxation, quota by quota
    assert page.inner_text("#objective") == first_now

    # a project forced out leaves the portfolio: a row of the projects moved (not a
    # rejected candidate, as rejected.csv leaves forced projects out)
    pf = base.portfolio
    j = str(pf.loc[(pf["status"] == "candidate") & pf["selected"], "project"].iloc[0])
    old = page.inner_text("#answer")
    page.click("#force-out")
    page.keyboard.type(j)
    # pick the option that names it (Enter alone may take the first option before the
    # search has filtered the list)
    page.get_by_role("option", name=j).first.click()
    page.keyboard.press("Escape")
    changed(page, "#answer", old)
    page.wait_for_selector("#changes", timeout=30000)
    assert words.t("sec.leaves") in page.locator("#changes tr", has_text=j).inner_text()
    assert page.locator("#rejected tr", has_text=j).count() == 0
    assert "rebuilt" in page.inner_text("#how")

    # Chinese on the page: the headline and the case's names
    old = page.inner_text("#answer")
    page.get_by_text("中文", exact=True).click()
    changed(page, "#answer", old)
    zh = words.t("gross_output", "zh")
    page.wait_for_function("(w) => { const e = document.querySelector('#headline'); "
                           "return e && e.innerText.includes(w); }", arg=zh, timeout=30000)
    assert L_zh_name(base) in page.inner_text("#portfolio")
    assert words.t("serve.answer_panel", "zh") in page.inner_text("#answer")
    assert errors == [] and other_errors == []
    ctx.close()
