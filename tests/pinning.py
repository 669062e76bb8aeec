"""Shared helpers of the safety-net tests (test_pin, test_golden, pin_update).

Only stable public things are used: ``ioopt.api`` (load_case, build, run and the result
tables), ``ioopt.case`` (load_case, DEFAULT_CASE), ``ioopt.schemas`` and Pyomo's own API
on the built model (component names, ``component_data_objects``,
``generate_standard_repn``). Nothing of ``m._ioopt`` or the row registry.

- :data:`INSTANCES` / :func:`load_instance`: the small instances the golden rows are
  rendered from (the four reference instances, the example case and ``example_plus``, a
  copy of the example with rows added so that every constraint family is built).
- :func:`render_family`: the LP-like text of one constraint component.
- :func:`structure` / :func:`tongliao_pin`: the pinned numbers of the default case.
"""

from __future__ import annotations

import csv
import json
import math
import shutil
import tempfile
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pyomo.environ as pyo
from pyomo.repn import generate_standard_repn

from ioopt import api
from tests.conftest import EXAMPLE, REF, ROOT

TESTS = ROOT / "tests"
GOLDEN_DIR = TESTS / "golden"
PIN_DIR = TESTS / "pins"
TONGLIAO_PIN = PIN_DIR / "tongliao.json"
OBJECTIVE_REL_TOL = 1e-6

# ------------------------------------------------------------------ instances


def _append_rows(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    """Append rows to a case CSV (new columns are added to the header, blank elsewhere)."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header = list(reader.fieldnames or [])
        old = list(reader)
    new = [{k: "" if v is None else str(v) for k, v in r.items()} for r in rows]
    for r in new:
        header += [k for k in r if k not in header]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, restval="")
        writer.writeheader()
        writer.writerows([*old, *new])


def _set_cells(path: Path, key: str, changes: dict[str, dict[str, Any]]) -> None:
    """Set cells of rows found by their ``key`` column: {key value: {column: value}} (a
    new column is added to the header, blank elsewhere)."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    header += sorted({c for ch in changes.values() for c in ch} - set(header))
    for r in rows:
        for c in header:
            r.setdefault(c, "")
    seen = set()
    for r in rows:
        if r[key] in changes:
            seen.add(r[key])
            r.update({k: str(v) for k, v in changes[r[key]].items()})
    assert seen == set(changes), f"rows not found in {path.name}: {set(changes) - seen}"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def write_example_plus(dst: Path) -> Path:
    """The example case plus the rows that make every constraint family appear.

    The example builds neither carbon/water intensity, capital_year, sector capacity
    caps/floors (its one cap covers only the existing smelter: a constant row, not
    written), sector output caps, sector value floors nor production_min. Added here:
    two intensity quotas (one soft with its own penalty), two yearly budgets (one soft), a
    green-power floor, two candidates forced in (one in a given year),
    four sector rules (a chain and sectors, hard and soft) and a minimum utilisation.
    """
    shutil.copytree(EXAMPLE, dst)
    _append_rows(dst / "quotas.csv", [
        {"family": "carbon_intensity", "year": 2024, "limit": 9.5, "unit": "t CO2/10k CNY",
         "mode": "soft", "penalty": 50, "source": "test: golden rows"},
        {"family": "water_intensity", "year": "", "limit": 60, "unit": "m3/10k CNY",
         "source": "test: golden rows"},
        {"family": "capital_year", "year": 2022, "limit": 400, "unit": "100m CNY",
         "source": "test: golden rows"},
        {"family": "capital_year", "year": 2023, "limit": 90, "unit": "100m CNY",
         "mode": "soft", "source": "test: golden rows"},
        {"family": "green_power", "year": 2025, "park": "huolinguole", "limit": 700,
         "unit": "10k MWh", "source": "test: golden rows"},
    ])
    _append_rows(dst / "rules.csv", [
        {"rule": "sector_capacity_cap", "scope": "aluminium", "year": 2024, "limit": 300,
         "unit": "10k units", "source": "test: golden rows"},
        {"rule": "sector_capacity_floor", "scope": "electricity", "year": 2025, "limit": 2000,
         "unit": "10k units", "mode": "soft", "penalty": 100, "source": "test: golden rows"},
        {"rule": "sector_output_cap", "scope": "corn_starch", "year": "", "limit": 170,
         "unit": "10k units", "source": "test: golden rows"},
        {"rule": "sector_value_floor", "scope": "nickel", "year": 2025, "limit": 40,
         "unit": "100m CNY", "mode": "soft", "source": "test: golden rows"},
    ])
    _set_cells(dst / "projects.csv", "project", {"starch_2": {"min_util": 0.5},
                                                   "npi_2": {"force": "in"},
                                                   "stainless_2": {"force": "in",
                                                                   "force_year": 2024}})
    return dst


_TMP: list[tempfile.TemporaryDirectory[str]] = []


def _example_plus_dir() -> Path:
    tmp = tempfile.TemporaryDirectory(prefix="ioopt-golden-")
    _TMP.append(tmp)  # kept for the process's life
    return write_example_plus(Path(tmp.name) / "example_plus")


INSTANCES: dict[str, Callable[[], Path]] = {
    "ref1_energy": lambda: REF / "ref1_energy",
    "ref2_chain": lambda: REF / "ref2_chain",
    "ref3_curve": lambda: REF / "ref3_curve",
    "ref4_markets": lambda: REF / "ref4_markets",
    "ref5_ramp": lambda: REF / "ref5_ramp",
    "example": lambda: EXAMPLE,
    "example_plus": _example_plus_dir,
}
"""The small instances golden rows are rendered from: name -> case folder."""


@cache
def instance_model(name: str) -> pyo.ConcreteModel:
    """The built (not solved) model of an instance; built once per process."""
    return api.build(api.load_case(INSTANCES[name]())).pyomo


def constraint_names(m: pyo.ConcreteModel) -> list[str]:
    """Names of the model's active Constraint components (the constraint families)."""
    return [c.name for c in m.component_objects(pyo.Constraint, active=True, descend_into=True)]


# ------------------------------------------------------------------ rendering


def _num(v: float) -> str:
    """A number at repr precision; integral values without a fraction ('-1', '2500')."""
    v = float(v)
    if v == 0:
        return "0"
    if v.is_integer() and abs(v) < 1e16:
        return str(int(v))
    return repr(v)


def _sort_key(index: Any) -> tuple[Any, ...]:
    parts = index if isinstance(index, tuple) else (index,)
    return tuple((0, float(p), "") if isinstance(p, int | float) else (1, 0.0, str(p))
                 for p in parts)


def linear_row(body: Any) -> tuple[list[tuple[str, float]], float]:
    """A linear body as (sorted (variable name, coefficient) terms, constant)."""
    repn = generate_standard_repn(body, quadratic=False)
    assert repn.is_linear(), f"non-linear body {body}"
    merged: dict[str, float] = {}
    for v, c in zip(repn.linear_vars, repn.linear_coefs, strict=True):
        merged[v.name] = merged.get(v.name, 0.0) + float(c)
    terms = sorted((n, c) for n, c in merged.items() if c != 0)
    return terms, float(repn.constant or 0.0)


def render_row(con: Any) -> str:
    """``name: +c var ... <sense> rhs``; the body's constant is moved to the right."""
    terms, const = linear_row(con.body)
    lhs = " ".join(f"{'+' if c > 0 else '-'}{_num(abs(c))} {n}" for n, c in terms) or "0"
    lo = None if con.lower is None else float(pyo.value(con.lower)) - const
    up = None if con.upper is None else float(pyo.value(con.upper)) - const
    if lo is not None and up is not None:
        rel = f"= {_num(lo)}" if lo == up else f"in [{_num(lo)}, {_num(up)}]"
    elif up is not None:
        rel = f"<= {_num(up)}"
    elif lo is not None:
        rel = f">= {_num(lo)}"
    else:
        rel = "free"
    return f"{con.name}: {lhs} {rel}"


def render_family(m: pyo.ConcreteModel, family: str) -> list[str]:
    """The active rows of one Constraint component, sorted by index."""
    comp = m.component(family)
    assert comp is not None and comp.ctype is pyo.Constraint, f"no constraint {family}"
    return [render_row(comp[i]) for i in sorted(comp.keys(), key=_sort_key) if comp[i].active]


def render_objective(m: pyo.ConcreteModel) -> list[str]:
    """The active objective as ``max|min name: +c var ...`` (one term per line)."""
    objs = list(m.component_data_objects(pyo.Objective, active=True))
    assert len(objs) == 1
    obj = objs[0]
    terms, const = linear_row(obj.expr)
    sense = "max" if obj.sense == pyo.maximize else "min"
    return [f"{sense} {obj.name}: constant {_num(const)}",
            *(f"  {'+' if c > 0 else '-'}{_num(abs(c))} {n}" for n, c in terms)]


def render_bounds(m: pyo.ConcreteModel) -> list[str]:
    """Every variable: name, domain, bounds (sorted by name)."""
    out = []
    for v in m.component_data_objects(pyo.Var, descend_into=True):
        lb = "-inf" if v.lb is None else _num(v.lb)
        ub = "+inf" if v.ub is None else _num(v.ub)
        kind = "binary" if v.is_binary() else "integer" if v.is_integer() else "continuous"
        out.append(f"{v.name}: {kind} [{lb}, {ub}]{' fixed' if v.fixed else ''}")
    return sorted(out)


# ------------------------------------------------------------------ structure pins


def structure(m: pyo.ConcreteModel) -> dict[str, Any]:
    """Per Constraint component: active rows, distinct variables, nonzeros; per Var
    component: number of variables; sorted by name.
    """
    cons: dict[str, dict[str, int]] = {}
    for comp in m.component_objects(pyo.Constraint, active=True, descend_into=True):
        rows = nnz = 0
        cols: set[str] = set()
        for cd in comp.values():
            if not cd.active:
                continue
            terms, _ = linear_row(cd.body)
            rows += 1
            nnz += len(terms)
            cols.update(n for n, _ in terms)
        cons[comp.name] = {"rows": rows, "columns": len(cols), "nonzeros": nnz}
    vars_ = {comp.name: len(comp)
             for comp in m.component_objects(pyo.Var, descend_into=True)}
    return {"constraints": dict(sorted(cons.items())), "variables": dict(sorted(vars_.items()))}


def _cell(v: Any) -> Any:
    """A table cell as plain JSON: None for blank/NA/NaN, whole floats as int."""
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, str) and v == ""):
        return None
    v = v.item() if hasattr(v, "item") else v
    if isinstance(v, float):
        return None if math.isnan(v) else int(v) if v.is_integer() else v
    return v


def binding_quotas(result: api.RunResult) -> list[list[Any]]:
    """The binding rows of ``result.quotas`` as sorted [name, year, park, scope] (scope
    tells the rules' rows apart: they have no park).
    """
    q = result.quotas
    rows = q.loc[q["binding"].astype(bool), ["name", "year", "park", "scope"]]
    out = [[str(n), _cell(y), _cell(p), _cell(s)] for n, y, p, s in rows.itertuples(index=False)]
    return sorted(out, key=lambda r: (r[0], -1 if r[1] is None else r[1], r[2] or "", r[3] or ""))


def selected_projects(result: api.RunResult) -> list[str]:
    """Projects the run selected (existing plants left out), sorted."""
    pf = result.portfolio
    return sorted(str(p) for p in pf.loc[pf["selected"].astype(bool) & (pf["status"] != "existing"),
                                           "project"])


def tongliao_pin(result: api.RunResult, model: pyo.ConcreteModel) -> dict[str, Any]:
    """What tests/pins/tongliao.json holds: ``model`` is a fresh build of the case."""
    return {
        "case": "data/tongliao (ioopt.case.DEFAULT_CASE)",
        "status": str(result.status.value),
        "objective": result.solve.objective,
        **structure(model),
        "binding_quotas": binding_quotas(result),
        "selected_projects": selected_projects(result),
    }


def write_json(path: Path, data: dict[str, Any]) -> None:
    """The pin as JSON, one entry (a family, a Var component, a quota row, a project) per
    line so that git diffs show what changed.
    """
    def one(v: Any) -> str:
        return json.dumps(v, ensure_ascii=False)

    parts = []
    for key, value in data.items():
        if isinstance(value, dict):
            inner = ",\n".join(f"  {one(k)}: {one(v)}" for k, v in value.items())
            parts.append(f" {one(key)}: {{\n{inner}\n }}")
        elif isinstance(value, list):
            inner = ",\n".join(f"  {one(v)}" for v in value)
            parts.append(f" {one(key)}: [\n{inner}\n ]")
        else:
            parts.append(f" {one(key)}: {one(value)}")
    text = "{\n" + ",\n".join(parts) + "\n}\n"
    assert json.loads(text) == data
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
