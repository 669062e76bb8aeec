"""The words of the report's newer sections (rejected candidates, what changed against the
base, base -> scenario comparisons, the input-output report) and of the chart notes:
key -> (English, Chinese). Read through :mod:`ioopt.words`.
"""

from __future__ import annotations

from ioopt.words.tables import Entry

SECTIONS: dict[str, Entry] = {
    "sec.placeholder": ("", ""),
}
"""Keys start with ``sec.``."""
