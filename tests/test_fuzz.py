"""Property-based corruption of every input (issue 20): case tables (a cell, a row, the
header, the bytes), case.yaml values, scenarios and batch specs, one corruption at a
time, over 1,000 per run in all. Each must either load (still valid input) or raise an
InputError whose every problem names the file and, for a table, the line or field -
never another exception, never a hang. A table that still loads must round-trip: written
back as CSV and read again, it gives the same rows. (The whole-case round trip within the
format is tests/test_case_roundtrip.py.)
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ioopt.batch import load_spec, make_jobs
from ioopt.case import load_case, read_table
from ioopt.errors import InputError, Problem
from ioopt.scenario import apply_scenario
from ioopt.schemas import TABLES
from tests.conftest import EXAMPLE

FILES = {spec.file: name for name, spec in TABLES.items() if (EXAMPLE / spec.file).is_file()}
"""The example's tables: file -> table name."""
ROWS = {f: (EXAMPLE / f).read_text(encoding="utf-8").splitlines() for f in FILES}
CELL = st.one_of(
    st.sampled_from(["", " ", "nan", "NaN", "inf", "-inf", "1e15", "-1", "0", "1e308", "-0",
                     "true", "false", "yes", "2021", "2099", "1.5", "x", "candidate", "soft",
                     "hard", "existing", "none", "\"", "\"\"", ",", "a,b", "\n", "\t", "\x00",
                     "中文", "1;2", "0.5;0.8", "９", "1_000", "0x10", "1e-400"]),
    st.text(max_size=8),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10 ** 20), max_value=10 ** 20).map(str),
)
SETTINGS = {"deadline": None, "database": None, "derandomize": True,
            "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}


def _csv_line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def _check_table(folder: Path, file: str) -> None:
    """read_table returns (never raises); every problem names the file and a line or a
    field (the bytes: the file alone); valid rows round-trip."""
    name = FILES[file]
    frame, problems = read_table(folder, name)
    for p in problems:
        assert p.file == file, p
        assert file in str(p)
        assert p.line is not None or p.field is not None or "UTF-8" in p.expected, p
    if not problems and len(frame):
        back = frame.drop(columns="_line")
        back.to_csv(folder / file, index=False, quoting=csv.QUOTE_NONNUMERIC)
        again, problems2 = read_table(folder, name)
        assert problems2 == []
        pd.testing.assert_frame_equal(again.drop(columns="_line").reset_index(drop=True),
                                      back.reset_index(drop=True), check_dtype=False)


def _check_case(folder: Path) -> None:
    """load_case loads or raises InputError naming a file of the case in each problem."""
    try:
        load_case(folder)
    except InputError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.file in {*FILES, "case.yaml"} or p.file.endswith(".csv"), p


def _placed(p: Problem) -> bool:
    """A problem says where: a field or line, or (a whole-file or cross-table problem)
    names the fields or the table row in its text."""
    return bool(p.field or p.line or any(w in p.expected for w in ("field '", "one of")))


@pytest.fixture(scope="module")
def scratch():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


def _fresh(scratch: Path, files: tuple[str, ...] = ()) -> Path:
    folder = scratch / "case"
    shutil.rmtree(folder, ignore_errors=True)
    if files:
        folder.mkdir()
        for f in files:
            shutil.copy(EXAMPLE / f, folder / f)
    else:
        shutil.copytree(EXAMPLE, folder)
    return folder


# ------------------------------------------------------------ case tables


@settings(max_examples=500, **SETTINGS)
@given(file=st.sampled_from(sorted(FILES)), data=st.data(), value=CELL)
def test_one_cell_corrupted(scratch, file, data, value):
    lines = ROWS[file]
    header = lines[0].split(",")
    row = data.draw(st.integers(1, len(lines) - 1), label="row")
    col = data.draw(st.integers(0, len(header) - 1), label="column")
    cells = next(csv.reader([lines[row]]))
    if col < len(cells):
        cells[col] = value
    folder = _fresh(scratch, (file,))
    (folder / file).write_text("\n".join([*lines[:row], _csv_line(cells), *lines[row + 1:]])
                               + "\n", encoding="utf-8", newline="")
    _check_table(folder, file)


STRUCTURE = ["drop_row", "repeat_row", "junk_row", "header_cell", "drop_header", "truncate",
             "bad_bytes", "bom_crlf", "extra_cell", "empty_file", "short_row"]


@settings(max_examples=400, **SETTINGS)
@given(file=st.sampled_from(sorted(FILES)), how=st.sampled_from(STRUCTURE), data=st.data())
def test_one_row_header_or_encoding_corrupted(scratch, file, how, data):
    lines = list(ROWS[file])
    row = data.draw(st.integers(1, len(lines) - 1), label="row")
    raw: bytes | None = None
    if how == "drop_row":
        del lines[row]
    elif how == "repeat_row":
        lines.insert(row, lines[row])
    elif how == "junk_row":
        lines.insert(row, data.draw(st.text(max_size=30), label="junk").replace("\r", ""))
    elif how == "header_cell":
        header = lines[0].split(",")
        header[data.draw(st.integers(0, len(header) - 1))] = data.draw(CELL, label="name")
        lines[0] = ",".join(header)
    elif how == "drop_header":
        del lines[0]
    elif how == "extra_cell":
        lines[row] += ",extra"
    elif how == "short_row":
        lines[row] = lines[row].rsplit(",", 1)[0]
    elif how == "empty_file":
        lines = []
    text = "\n".join(lines) + ("\n" if lines else "")
    if how == "truncate":
        blob = text.encode()
        raw = blob[: data.draw(st.integers(0, len(blob)), label="cut")]
    elif how == "bad_bytes":
        blob = text.encode()
        at = data.draw(st.integers(0, len(blob)), label="at")
        raw = blob[:at] + data.draw(st.sampled_from([b"\xff", b"\xc3", b"\x80\x80", b"\xfe\xff"]),
                                    label="bytes") + blob[at:]
    elif how == "bom_crlf":
        raw = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    folder = _fresh(scratch, (file,))
    if raw is None:
        (folder / file).write_text(text, encoding="utf-8", newline="")
    else:
        (folder / file).write_bytes(raw)
    _check_table(folder, file)


@settings(max_examples=40, **SETTINGS)
@given(file=st.sampled_from(sorted(FILES)), data=st.data(), value=CELL)
def test_one_cell_corrupted_in_the_whole_case(scratch, file, data, value):
    """The cross-table checks too: a unit, a year, an id, a share moved."""
    lines = ROWS[file]
    row = data.draw(st.integers(1, len(lines) - 1), label="row")
    cells = next(csv.reader([lines[row]]))
    cells[data.draw(st.integers(0, len(cells) - 1), label="column")] = value
    folder = _fresh(scratch)
    (folder / file).write_text("\n".join([*lines[:row], _csv_line(cells), *lines[row + 1:]])
                               + "\n", encoding="utf-8", newline="")
    _check_case(folder)


# ------------------------------------------------------------ case.yaml

CONFIG = yaml.safe_load((EXAMPLE / "case.yaml").read_text(encoding="utf-8"))
YAML_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(-(10 ** 18), 10 ** 18),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=10),
    st.lists(st.integers(1990, 2100), max_size=4), st.dictionaries(st.text(max_size=5),
                                                                    st.integers(), max_size=2))


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += _paths(v, (*prefix, i))
    return out


PATHS = _paths(CONFIG)


@settings(max_examples=50, **SETTINGS)
@given(path=st.sampled_from(PATHS), value=YAML_VALUE)
def test_one_case_yaml_value_corrupted(scratch, path, value):
    import copy

    config = copy.deepcopy(CONFIG)
    node = config
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    folder = _fresh(scratch)
    (folder / "case.yaml").write_text(yaml.safe_dump(config, allow_unicode=True),
                                      encoding="utf-8")
    try:
        load_case(folder)
    except InputError as exc:
        for p in exc.problems:
            assert p.file in {*FILES, "case.yaml"}, p
            if p.file == "case.yaml":
                assert p.field or p.line, p


# ------------------------------------------------------------ scenarios and batch specs

FAMILY = st.sampled_from(["energy_total", "carbon_total", "land", "water_total", "nosuch", ""])
NUMBER = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 10 ** 16),
                   st.text(max_size=4), st.none())
OVERRIDE = st.one_of(
    st.fixed_dictionaries({"quotas": st.lists(st.fixed_dictionaries(
        {"family": FAMILY}, optional={"scale": NUMBER, "set": NUMBER, "year": NUMBER,
                                      "mode": st.sampled_from(["soft", "hard", "report", "x"]),
                                      "park": st.sampled_from(["naiman", "nowhere"])}),
        max_size=2)}),
    st.fixed_dictionaries({"projects": st.lists(st.fixed_dictionaries(
        {"project": st.sampled_from(["smelter_1", "wind_1", "nosuch"])},
        optional={"status": st.sampled_from(["candidate", "existing", "gone"]),
                  "capacity_10k": NUMBER, "min_util": NUMBER, "colour": NUMBER}),
        max_size=2)}),
    st.fixed_dictionaries({"coefficients": st.lists(st.fixed_dictionaries(
        {"input_sector": st.sampled_from(["electricity", "npi", "nope"]),
         "output_sector": st.sampled_from(["stainless", "primary_al", "nope"])},
        optional={"coef": NUMBER}), max_size=2)}),
    st.fixed_dictionaries({"case": st.fixed_dictionaries(
        {}, optional={"objective": st.fixed_dictionaries(
            {}, optional={"discount_rate": NUMBER, "measure": st.text(max_size=6)}),
            "years": st.lists(NUMBER, max_size=3), "nosuch": NUMBER})}),
    st.dictionaries(st.sampled_from(["name", "inherits", "sectors", "demand", "bogus"]),
                    st.one_of(NUMBER, st.lists(NUMBER, max_size=2)), max_size=2),
)


@pytest.fixture(scope="module")
def example_case():
    return load_case(EXAMPLE)


@settings(max_examples=50, **SETTINGS)
@given(body=OVERRIDE)
def test_a_generated_scenario_applies_or_names_file_and_field(scratch, example_case, body):
    sc = scratch / "scenario.yaml"
    sc.write_text(yaml.safe_dump({"name": "fuzz", **body}, allow_unicode=True),
                  encoding="utf-8")
    try:
        apply_scenario(example_case, sc)
    except InputError as exc:
        for p in exc.problems:
            assert p.file in {str(sc), *FILES, "case.yaml"}, p
            if p.file == str(sc):
                assert _placed(p), p


AXIS = st.fixed_dictionaries(
    {"name": st.text(min_size=0, max_size=5)},
    optional={"quotas": st.fixed_dictionaries({"family": FAMILY}),
              "sectors": st.fixed_dictionaries({"sector": st.sampled_from(["npi", "nope"])}),
              "case": st.sampled_from(["objective.measure", "objective.discount_rate", "x.y"]),
              "field": st.sampled_from(["price_cny", "coef", "nosuch"]),
              "scale": st.one_of(st.lists(NUMBER, max_size=2), NUMBER),
              "set": st.lists(NUMBER, max_size=2),
              "values": st.one_of(st.lists(NUMBER, max_size=2), NUMBER)})
SPEC = st.fixed_dictionaries(
    {"name": st.one_of(st.text(max_size=5), NUMBER)},
    optional={"grid": st.lists(AXIS, max_size=2),
              "samples": st.fixed_dictionaries({"n": NUMBER, "seed": NUMBER}),
              "time_limit_s": NUMBER, "explain": st.one_of(st.booleans(), NUMBER),
              "scenarios": st.lists(st.sampled_from(["missing.yaml", "/etc/passwd"]),
                                    max_size=1),
              "bogus": NUMBER})


@settings(max_examples=60, **SETTINGS)
@given(body=SPEC)
def test_a_generated_batch_spec_loads_or_names_file_and_field(scratch, example_case, body):
    path = scratch / "spec.yaml"
    path.write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    try:
        spec, base = load_spec(path)
        make_jobs(spec, base, example_case, str(path))
    except InputError as exc:
        for p in exc.problems:
            assert p.file in {str(path), *FILES, "case.yaml"} or p.file.startswith(str(scratch)), p
            if p.file == str(path):
                assert _placed(p), p
