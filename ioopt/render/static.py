"""Static PNG and SVG copies of the report's charts, for pasting into documents.

Plotly renders static images through Kaleido, which drives a Chrome or Chromium already
on the machine (ioopt never downloads one). :func:`find_browser` says which one, or
why there is none; the report then writes the HTML and the workbook and says the static
charts were skipped.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ioopt import words
from ioopt.render.charts import Chart

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
                 "chrome", "msedge")


def find_browser() -> str | None:
    """A Chrome/Chromium executable: ``$BROWSER_PATH`` if set, else the first of
    :data:`BROWSER_NAMES` on the PATH, else what Kaleido's own search finds.
    """
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env if Path(env).is_file() else None
    for name in BROWSER_NAMES:
        path = shutil.which(name)
        if path:
            return path
    try:
        from choreographer.browsers.chromium import Chromium

        return Chromium.find_browser(skip_local=False)
    except Exception:  # a best-effort search; None means "not found"
        return None


def write_static(charts: list[Chart], folder: Path, suffix: str = "",
                 formats: tuple[str, ...] = ("png", "svg")) -> tuple[list[Path], str]:
    """Write every chart in every format to ``folder``; returns the paths and, when
    nothing could be written, the reason.
    """
    browser = find_browser()
    if browser is None:
        return [], words.t("no_browser")
    import plotly.io as pio

    folder.mkdir(parents=True, exist_ok=True)
    figs, paths, heights = [], [], []
    for c in charts:
        for fmt in formats:
            figs.append(c.fig)
            paths.append(folder / f"{c.name}{suffix}.{fmt}")
            heights.append(int(c.fig.layout.height or 500))
    old = os.environ.get("BROWSER_PATH")
    os.environ["BROWSER_PATH"] = browser
    try:
        pio.write_images(figs, paths, width=1200, height=heights, scale=1)
    except Exception as exc:  # Kaleido or browser failures become a message
        return [], words.t("browser_failed", browser=browser, kind=type(exc).__name__,
                           error=exc)
    finally:
        if old is None:
            os.environ.pop("BROWSER_PATH", None)
        else:
            os.environ["BROWSER_PATH"] = old
    return paths, ""
