"""Take the README's two screenshots again from the default case as it stands:
docs/report-solve.png (the solve report's top) and docs/serve.png (the workbench after a
cut of the last year's energy-intensity limit). Run after the default case changes:

    .venv/bin/python docs/screenshots.py

Needs Chromium and Playwright (``make test`` installs them where it can).
"""

from __future__ import annotations

import json
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from ioopt import api
from ioopt.render import write_report
from ioopt.render.static import find_browser
from ioopt.serve import create_app

DOCS = Path(__file__).resolve().parent
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]


def main() -> None:
    """Solve, report and serve the default case; keep a screenshot of each."""
    exe = find_browser()
    if exe is None:
        raise SystemExit("no Chromium on this machine")
    run = api.run(api.load_case(None))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "solve"
        run.write(out)
        write_report(out, "html", "en")
        page_file = next(out.glob("report*.html"))
        srv = make_server("127.0.0.1", 0, create_app(None).server, threaded=True)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        q = run.quotas
        last = int(q["year"].max())
        used = float(q[(q["name"] == "energy_intensity") & (q["year"] == last)]["used"].iloc[0])
        cut = round(used * 0.85, 2)
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=exe, args=FLAGS)
            page = b.new_page(viewport={"width": 1400, "height": 900})
            page.goto(page_file.as_uri())
            page.wait_for_timeout(1500)
            page.screenshot(path=str(DOCS / "report-solve.png"))
            page = b.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"http://127.0.0.1:{srv.server_port}/")
            page.wait_for_selector("#objective", timeout=30000)
            old = page.inner_text("#answer")
            key = json.dumps({"key": f"energy_intensity|{last}|", "type": "quota"},
                             separators=(",", ":"))
            box = page.locator(f"[id='{key}']")
            box.fill(str(cut))
            box.press("Enter")
            page.wait_for_function("([s, t]) => document.querySelector(s).innerText !== t",
                                   arg=["#answer", old], timeout=30000)
            page.screenshot(path=str(DOCS / "serve.png"))
            b.close()
        srv.shutdown()
    print(f"docs/report-solve.png, docs/serve.png ({last} energy intensity cut to {cut} tce/万元)")


if __name__ == "__main__":
    main()
