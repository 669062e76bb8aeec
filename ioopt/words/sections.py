"""The words of the report's newer sections (rejected candidates, what changed against the
base, base -> scenario comparisons, the input-output report) and of the chart notes:
key -> (English, Chinese). Read through :mod:`ioopt.words`.
"""

from __future__ import annotations

from ioopt.words.tables import Entry

SECTIONS: dict[str, Entry] = {
    # charts
    "sec.not_binding": ("not binding", "未触及"),
    "sec.not_shown": ("The chart shows the first ones; {n} more of the {total} ranked projects "
                      "are in the table below (and ranking.csv).",
                      "图中仅列前若干项；其余 {n} 个（共 {total} 个）见下表及 ranking.csv。"),
    "sec.heat_not_shown": ("{n} more projects whose selection changes are in the workbook's "
                           "Selection sheet.",
                           "另有 {n} 个入选情况变化的项目见工作簿“入选”表。"),
    "sec.same_line": ("{names} (same values)", "{names}（数值相同）"),
}
"""Keys start with ``sec.``."""
