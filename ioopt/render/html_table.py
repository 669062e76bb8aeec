"""The report's tables as HTML: numbers formatted, text escaped."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ioopt import words


def fmt_cell(v: Any, year: bool = False) -> tuple[str, bool]:
    """A cell as text, and whether it is a number (right-aligned); ``year``: a year column
    (no thousands separator).
    """
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "", False
    if year and isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer():
        return str(int(v)), True
    if isinstance(v, bool):
        return ("✓" if v else "–"), False
    if isinstance(v, int):
        return f"{v:,}", True
    if isinstance(v, float):
        if math.isinf(v):
            return ("∞" if v > 0 else "-∞"), True
        return words.num(v), True
    return str(v), False


def frame_cells(frame: pd.DataFrame, max_rows: int = 2000) -> list[list[tuple[Any, str, bool]]]:
    """The first ``max_rows`` rows of a frame as cells (column, text, is a number), every
    table of the report and the page formatted alike (a column named '...year' or 年份:
    years, no thousands separator).
    """
    years = [str(c).lower().endswith("year") or str(c) == "年份" for c in frame.columns]
    out = []
    for rec in frame.head(max_rows).itertuples(index=False):
        cells = []
        for col, v, is_year in zip(frame.columns, rec, years, strict=True):
            text, num = fmt_cell(v.item() if hasattr(v, "item") else v, is_year)
            cells.append((col, text, num))
        out.append(cells)
    return out


def table_html(frame: pd.DataFrame, css_class: str = "", max_rows: int = 2000,
               row_class: Sequence[str] | None = None, verdict: str | None = None) -> str:
    """A DataFrame as an HTML table with formatted numbers (escaped text); ``row_class``
    styles rows, the ``verdict`` column is coloured by it.
    """
    if frame.empty:
        return ""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for i, row in enumerate(frame_cells(frame, max_rows)):
        cells = []
        for col, text, num in row:
            cls = "num" if num else ("verdict" if col == verdict else "")
            cells.append(f'<td class="{cls}">{html.escape(text)}</td>' if cls
                         else f"<td>{html.escape(text)}</td>")
        rc = f' class="{row_class[i]}"' if row_class is not None else ""
        rows.append(f"<tr{rc}>{''.join(cells)}</tr>")
    more = (f'<p class="note">{words.t("more_rows", n=len(frame) - max_rows)}</p>'
            if len(frame) > max_rows else "")
    return (f'<div class="scroll"><table class="{css_class}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>{more}")
