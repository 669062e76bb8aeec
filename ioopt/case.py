"""Read a case folder (CSV tables + ``case.yaml``) into validated, unit-converted tables.

No Pyomo here. Every problem in every file is collected (file, line, field, value,
expected) and raised together as one :class:`~ioopt.errors.InputError`.
"""

from __future__ import annotations

import csv
import hashlib
import os
import stat
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import yaml
from pydantic import BaseModel, ValidationError

from ioopt import units
from ioopt.casecheck import case_warnings, check_case
from ioopt.casedata import Case
from ioopt.errors import InputError, Problem
from ioopt.schemas import TABLES, CaseConfig
from ioopt.yamlsafe import YamlProblem, load_yaml

__all__ = ["DEFAULT_CASE", "FALLBACK_CASE", "Case", "content_hash", "default_case_dir", "derive_tables",
           "labels_table", "load_case", "pydantic_problems", "read_table", "read_yaml_model"]

DEFAULT_CASE = Path(__file__).resolve().parent.parent / "data" / "tongliao"
"""The embedded default case (the Tongliao 14th Five-Year plan)."""
FALLBACK_CASE = Path(__file__).resolve().parent.parent / "data" / "example"


def default_case_dir() -> Path:
    """The default case: Tongliao when present, else the small example case."""
    return DEFAULT_CASE if (DEFAULT_CASE / "case.yaml").exists() else FALLBACK_CASE


# ------------------------------------------------------------------ reading

MAX_INPUT_BYTES = 200 * 1024 * 1024
"""The largest input file read (a case table, case.yaml, a scenario or batch spec): 200 MB.
A larger file is refused rather than read into memory."""


def file_problem(path: Path, name: str) -> Problem | None:
    """Why ``path`` (which exists) cannot be read as an input file, or None: it must be a
    regular file (a symlink is followed; a FIFO, socket, device or folder would hang the
    reader or fail inside it) of at most MAX_INPUT_BYTES.
    """
    try:
        st = path.stat()
    except OSError as exc:
        return Problem(name, None, None, None, f"a readable regular file ({exc.strerror})")
    if not stat.S_ISREG(st.st_mode):
        kind = ("a folder" if stat.S_ISDIR(st.st_mode) else "a FIFO (named pipe)"
                if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode)
                else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
                else "not a file")
        return Problem(name, None, None, None, f"a regular file (this is {kind})")
    if st.st_size > MAX_INPUT_BYTES:
        return Problem(name, None, None, f"{st.st_size / 2**20:,.0f} MB",
                       f"a file of at most {MAX_INPUT_BYTES // 2**20} MB (the input size "
                       f"limit)")
    if not os.access(path, os.R_OK):
        return Problem(name, None, None, None, "a readable regular file (permission denied)")
    return None



def _read_yaml(path: Path, name: str | None = None,
               missing: str = "a case.yaml file in the case folder"
               ) -> tuple[dict[str, Any] | None, list[Problem]]:
    """A YAML file's top-level mapping, or the problems that stop reading it (named
    ``name``, default the file's name).
    """
    name = name or path.name
    if not path.exists():
        return None, [Problem(name, None, None, None, missing)]
    bad = file_problem(path, name)
    if bad is not None:
        return None, [bad]
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except YamlProblem as exc:
        return None, [Problem(name, exc.line, exc.key, None, exc.expected)]
    except UnicodeDecodeError as exc:
        return None, [Problem(name, None, None, None, f"a UTF-8 text file ({exc.reason})")]
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        return None, [Problem(name, None if line is None else line + 1, None, None,
                              f"valid YAML ({getattr(exc, 'problem', exc)})")]
    if not isinstance(data, dict):
        return None, [Problem(name, None, None, type(data).__name__, "a YAML mapping")]
    return data, []


M = TypeVar("M", bound=BaseModel)


def read_yaml_model(path: Path, model: type[M], what: str) -> M:
    """Read a YAML file (a scenario, a batch spec) into a pydantic model; raise InputError
    naming the file (its full path) and the key path on any problem.
    """
    name = str(path)
    data, problems = _read_yaml(path, name, f"an existing {what} file")
    if problems:
        raise InputError(problems)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(pydantic_problems(exc, name)) from None


def pydantic_problems(exc: ValidationError, file: str, line: int | None = None,
                      prefix: str = "") -> list[Problem]:
    """Turn a pydantic ValidationError into Problems (field path joined with dots)."""
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        fieldname = f"{prefix}{loc}" if loc else (prefix.rstrip(".") or None)
        value = err.get("input")
        if isinstance(value, dict):
            value = None
        out.append(Problem(file, line, fieldname, value, _expected(err)))
    return out


def _expected(err: Any) -> str:
    msg = str(err["msg"])
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in ("float_parsing", "float_type"):
        return "a number"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "a whole number"
    if kind == "finite_number":
        return "a finite number (not NaN or infinite)"
    if kind == "greater_than_equal":
        return f"a number >= {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"a number <= {ctx.get('le')}"
    if kind == "greater_than":
        return f"a number > {ctx.get('gt')}"
    if kind == "less_than":
        return f"a number < {ctx.get('lt')}"
    if kind == "missing":
        return "a value (required)"
    if kind == "extra_forbidden":
        return "no such field (unknown field)"
    if kind == "enum":
        return f"one of {ctx.get('expected')}"
    if kind == "bool_parsing":
        return "true or false"
    if kind == "string_too_short":
        return "a non-empty value"
    if kind == "value_error":
        msg = msg.removeprefix("Value error, ")
    return msg[0].lower() + msg[1:] if msg else kind


def read_table(case_dir: Path, name: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and validate one CSV table of the case; return its rows and the problems."""
    spec = TABLES[name]
    path = case_dir / spec.file
    fields = spec.row.model_fields
    columns = list(fields)
    if not path.exists():
        if spec.required:
            return _empty(columns), [Problem(spec.file, None, None, None,
                                             "this file in the case folder (required)")]
        return _empty(columns), []
    bad = file_problem(path, spec.file)
    if bad is not None:
        return _empty(columns), [bad]
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            rows: list[list[str]] = []
            starts: list[int] = []
            last = 0
            for cells in reader:  # a row's first line (a quoted cell may span lines)
                rows.append(cells)
                starts.append(last + 1)
                last = reader.line_num
    except UnicodeDecodeError as exc:
        return _empty(columns), [Problem(spec.file, None, None, None,
                                         f"a UTF-8 text file ({exc.reason})")]
    if not rows:
        return _empty(columns), [Problem(spec.file, 1, None, None, "a header row")]
    header = [h.strip() for h in rows[0]]
    problems: list[Problem] = []
    required = [c for c, f in fields.items() if f.is_required()]
    for col in required:
        if col not in header:
            problems.append(Problem(spec.file, 1, col, None,
                                    f"a column '{col}' (required; header has {header})"))
    for k, col in enumerate(header, start=1):
        if not col:
            problems.append(Problem(spec.file, 1, f"column {k}", None,
                                    "a column name (this header cell is empty: a trailing "
                                    "comma, as spreadsheet exports write, makes an unnamed "
                                    "column; remove it)"))
        elif col not in fields:
            problems.append(Problem(spec.file, 1, col, None,
                                    f"a known column (one of {columns})"))
    if len(set(header)) != len(header):
        dup = sorted({h for h in header if header.count(h) > 1})
        problems.append(Problem(spec.file, 1, ",".join(dup), None, "each column once"))
    if problems:
        return _empty(columns), problems

    records: list[dict[str, Any]] = []
    lines: list[int] = []
    for i, raw in zip(starts[1:], rows[1:], strict=True):
        if not any(cell.strip() for cell in raw):
            continue  # blank line
        if len(raw) != len(header):
            problems.append(Problem(spec.file, i, None, f"{len(raw)} cells",
                                    f"{len(header)} cells, as in the header"))
            continue
        data = {h: (v.strip() if v.strip() != "" else None) for h, v in zip(header, raw, strict=True)}
        data = {k: v for k, v in data.items() if v is not None}
        try:
            row: BaseModel = spec.row.model_validate(data)
        except ValidationError as exc:
            problems.extend(pydantic_problems(exc, spec.file, i))
            continue
        records.append(dict(row))
        lines.append(i)
    frame = pd.DataFrame.from_records(records, columns=columns) if records else _empty(columns)
    for col in frame.columns:  # enums -> plain strings
        if frame[col].dtype == object:
            frame[col] = [v.value if isinstance(v, Enum) else v for v in frame[col]]
    frame["_line"] = lines
    problems.extend(_duplicates(frame, spec.file, spec.key))
    return frame, problems


def _empty(columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    frame["_line"] = pd.Series(dtype=int)
    return frame


DUPLICATES_SHOWN = 10
"""Duplicate rows named one by one per table; the rest are counted in one line."""


def _duplicates(frame: pd.DataFrame, file: str, key: tuple[str, ...]) -> list[Problem]:
    """A problem per repeated key (the first DUPLICATES_SHOWN, then one line counting the
    rest), each naming the line that holds the key first. Linear in the rows.
    """
    if frame.empty:
        return []
    cols = frame[list(key)]
    keyed = cols.astype(object).where(cols.notna(), "").astype(str)  # blank == blank
    dup = keyed.duplicated(keep="first")
    if not dup.any():
        return []
    group = keyed.groupby(list(key), sort=False, dropna=False).ngroup()
    first_line = frame["_line"].groupby(group.to_numpy()).transform("first")
    name = "/".join(key)
    out = []
    rows = frame.index[dup]
    for idx in rows[:DUPLICATES_SHOWN]:
        value = "/".join(str(frame.at[idx, k]) for k in key)
        out.append(Problem(file, int(frame.at[idx, "_line"]), name, value,
                           f"a unique {name} (already on line {int(first_line.loc[idx])})"))
    if len(rows) > DUPLICATES_SHOWN:
        more = len(rows) - DUPLICATES_SHOWN
        out.append(Problem(file, None, name, None,
                           f"a unique {name} on every row: and {more:,} more rows repeat "
                           f"a key (from line {int(frame.at[rows[DUPLICATES_SHOWN], '_line'])})"))
    return out


def content_hash(case_dir: Path) -> str:
    """SHA-256 of the case's files (names and bytes), for manifests and caching."""
    h = hashlib.sha256()
    for p in sorted(case_dir.iterdir()):
        if p.is_file() and p.suffix in (".csv", ".yaml", ".yml"):
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def load_case(case_dir: str | Path | None = None) -> Case:
    """Load and validate a case folder; raise InputError listing every problem found."""
    path = Path(case_dir) if case_dir is not None else default_case_dir()
    if not path.is_dir():
        raise InputError([Problem(str(path), None, None, None, "an existing case folder")])
    problems: list[Problem] = []
    raw, probs = _read_yaml(path / "case.yaml")
    problems += probs
    config: CaseConfig | None = None
    if raw is not None:
        try:
            config = CaseConfig.model_validate(raw)
        except ValidationError as exc:
            problems += pydantic_problems(exc, "case.yaml")
    tables = {}
    for name in TABLES:
        tables[name], probs = read_table(path, name)
        problems += probs
    if problems or config is None:
        raise InputError(problems)
    case = Case(path=path, config=config, content_hash=content_hash(path), **derive_tables(tables))
    problems = check_case(case)
    if problems:
        raise InputError(problems)
    case.warnings = case_warnings(case)
    return case


# ------------------------------------------------------------- unit conversion


def derive_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Add the model-unit columns; called at load time and after scenario changes.

    sectors: ``price``, ``import_price`` (亿元 per 万 units).
    projects: ``price``, ``va``, ``tax`` (亿元 per 万 units, sector defaults filled),
    ``jobs_per_unit`` (persons per 万 units).
    quotas and rules: ``limit_model`` (the limit in model units) and ``dimension``.
    """
    k = units.CNY_PER_UNIT_TO_MODEL
    sectors = tables["sectors"].copy()
    if not sectors.empty:
        sectors = sectors.set_index("sector", drop=False)
    sectors.index.name = None
    sectors["price"] = pd.to_numeric(sectors["price_cny"]).astype(float) * k
    imp = pd.to_numeric(sectors["import_price_cny"]).astype(float)
    sectors["import_price"] = imp.fillna(pd.to_numeric(sectors["price_cny"])) * k

    projects = tables["projects"].copy()
    if not projects.empty:
        projects = projects.set_index("project", drop=False)
    projects.index.name = None
    sec_price = projects["sector"].map(sectors["price_cny"]) if len(sectors) else None
    if len(projects) and sec_price is not None:
        price_cny = pd.to_numeric(projects["price_cny"]).astype(float).fillna(
            pd.to_numeric(sec_price).astype(float))
        va_share = pd.to_numeric(projects["sector"].map(sectors["va_share"])).astype(float)
        tax_share = pd.to_numeric(projects["sector"].map(sectors["tax_share"])).astype(float)
        va_cny = pd.to_numeric(projects["va_cny"]).astype(float).fillna(price_cny * va_share)
        tax_cny = pd.to_numeric(projects["tax_cny"]).astype(float).fillna(price_cny * tax_share)
        projects["price"] = price_cny * k
        projects["va"] = va_cny * k
        projects["tax"] = tax_cny * k
        cap = projects["capacity_10k"].astype(float)
        projects["jobs_per_unit"] = (projects["jobs"].astype(float) / cap.where(cap > 0)).fillna(0.0)
    else:
        for c in ("price", "va", "tax", "jobs_per_unit"):
            projects[c] = pd.Series(dtype=float)

    out = dict(tables)
    out["sectors"] = sectors
    out["projects"] = projects
    out["quotas"] = limit_model(tables["quotas"])
    out["rules"] = limit_model(tables["rules"])
    return out


def limit_model(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    parsed = [units.parse_unit(u) if isinstance(u, str) else None for u in frame["unit"]]
    frame["dimension"] = [p[0] if p else None for p in parsed]
    factor = [p[1] if p else float("nan") for p in parsed]
    frame["limit_model"] = frame["limit"].astype(float) * pd.Series(factor, index=frame.index,
                                                                    dtype=float)
    return frame


def labels_table(case: Case) -> pd.DataFrame:
    """Names in English and Chinese for reports: the case title, sectors and parks.

    Columns kind (case, sector, park), id, en, zh; a blank name falls back to the id.
    """
    cfg = case.config
    recs = [{"kind": "case", "id": cfg.name, "en": cfg.title or cfg.name,
             "zh": cfg.title_zh or cfg.title or cfg.name}]
    for kind, frame, key in (("sector", case.sectors, "sector"), ("park", case.parks, "park")):
        for r in frame.to_dict("records"):
            ident = str(r[key])
            en = str(r.get("name") or "") or ident
            zh = r.get("name_zh")
            recs.append({"kind": kind, "id": ident, "en": en,
                         "zh": str(zh) if isinstance(zh, str) and zh else en})
    return pd.DataFrame.from_records(recs, columns=["kind", "id", "en", "zh"])
