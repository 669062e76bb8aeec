"""The Excel workbook: the summary first, then one sheet per table, with units in the
headers, frozen header rows, filters, number formats and column widths set.
"""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ioopt.render.batch_charts import selection_matrix
from ioopt.render.folder import RunFolder
from ioopt.render.labels import Labels
from ioopt.render.localise import localise
from ioopt.render.tables import headline, summary_rows, targets_table

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
MAX_WIDTH = 60

# the tables of a folder, in the workbook's order after the summary (sheet names: words
# ``sheet.<table>``)
RUN_SHEETS = ["totals", "quotas", "portfolio", "sectors", "markets", "flows", "backcast",
              "ranking", "ranking_quota_use", "infeasibility"]
BATCH_SHEETS = ["curve", "frontier", "scenario", "totals", "quotas", "portfolio"]


def number_format(col: str, values: pd.Series) -> str | None:
    """The Excel number format of a column (years plain, counts with separators, money
    and quantities with decimals by magnitude).
    """
    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return None
    if col == "year" or col.endswith("_year") or col in ("rank",):
        return "0"
    finite = values[np.isfinite(values.astype(float))] if len(values) else values
    if pd.api.types.is_integer_dtype(values) or (len(finite) and
                                                 (finite == finite.round()).all()):
        return "#,##0"
    big = float(finite.abs().median()) if len(finite) else 0.0
    if col.endswith("_pct") or "share" in col:
        return "0.0"
    return "#,##0.0" if big >= 100 else "#,##0.00" if big >= 1 else "0.0000"


def _cell(v: Any) -> Any:
    """A value openpyxl can store: missing -> empty, infinities as text, others as text."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float):
        if math.isnan(v):
            return None
        if math.isinf(v):
            return "∞" if v > 0 else "-∞"
    if isinstance(v, (bool, int, float, str)):
        return v
    return str(v)


def display_len(text: str) -> int:
    """Width of text in Excel's character units: CJK characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def write_sheet(ws: Worksheet, frame: pd.DataFrame, L: Labels, raw_names: bool = False) -> None:
    """One table on a sheet: header row (with units), formats, widths, freeze, filter."""
    headers = [str(c) if raw_names else L.column(str(c)) for c in frame.columns]
    ws.append(headers)
    for rec in frame.itertuples(index=False):
        ws.append([_cell(v) for v in rec])
    for j, col in enumerate(frame.columns, start=1):
        letter = get_column_letter(j)
        head = ws.cell(row=1, column=j)
        head.font = Font(bold=True)
        head.fill = HEADER_FILL
        head.alignment = Alignment(wrap_text=True, vertical="top")
        fmt = number_format(str(col), frame[col])
        if fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
                cell.number_format = fmt
        sample = [display_len("" if v is None else str(v)) for v in frame[col].head(500)]
        head_len = display_len(headers[j - 1]) * 0.9
        longest = max([head_len, *sample])
        if fmt and len(frame):
            longest = max(min(longest, 14), head_len)
        ws.column_dimensions[letter].width = max(8.0, min(MAX_WIDTH, longest + 2))
    ws.freeze_panes = "A2"
    if len(frame):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"


def build_workbook(run: RunFolder, L: Labels, path: Path) -> Path:
    """Write the workbook of a folder to ``path``: values, names and headers in ``L``'s
    language (:func:`~ioopt.render.localise.localise`).
    """
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = L.t("sheet.summary")
    rows = summary_rows(run, L) + headline(run, L)
    write_sheet(ws, pd.DataFrame(rows, columns=[L.t("item"), L.t("value")]), L, raw_names=True)
    ws.column_dimensions["A"].width = 34
    tgt = targets_table(run, L)
    if len(tgt):
        write_sheet(wb.create_sheet(L.t("sheet.targets")), tgt, L, raw_names=True)
    sheets = RUN_SHEETS if run.kind in ("solve", "rank") else BATCH_SHEETS
    for name in sheets:
        frame = run.table(name)
        if len(frame):
            write_sheet(wb.create_sheet(L.t(f"sheet.{name}")), localise(frame, L), L)
    if run.kind not in ("solve", "rank"):
        mat = selection_matrix(run)
        if len(mat):
            sel = mat.reset_index()
            if L.zh:
                sel.insert(1, L.t("name"), [L.name("project", j) for j in sel["project"]])
            sel = sel.rename(columns={"project": L.column("project")})
            write_sheet(wb.create_sheet(L.t("sheet.selection")), sel, L, raw_names=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
