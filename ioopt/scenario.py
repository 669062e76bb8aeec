"""Scenarios: a YAML file of named overrides applied to a case, validated against it.

Example::

    name: energy-minus-10
    description: What if the energy quota is 10 % lower every year?
    inherits: base.yaml            # optional, relative to this file (same folder or below)
    case:                          # deep-merged into case.yaml
      families: {water_intensity: {mode: soft}}
    quotas:
      - {family: energy_total, scale: 0.9}           # every energy_total row
      - {family: land, park: naiman, set: 8000}      # in the row's own unit
      - {family: carbon_total, mode: soft, penalty: 200}   # CNY per t CO2 over
      - {family: capital_total, mode: report}         # an indicator: reported, not enforced
    projects:
      - {project: jingan_stainless, status: candidate}
    sectors:
      - {sector: primary_aluminium, price_cny: 21000}
    coefficients:
      - {input_sector: electricity, output_sector: primary_aluminium, coef: 13.0}
    markets:                       # a step by its key; a new key adds the step
      - {sector: al_deep, year: null, direction: export, step: 1, volume_10k: 350,
         price_cny: 14000, source: "plan capacity"}
    demand:
      - {sector: corn_grain, year: 2025, final_demand_10k: 120}
    project_years:                 # a figure by year (rows added or changed)
      - {project: smelter_1, field: elec_mwh, year: 2025, value: 12.95}

Every selector must match at least one row; every field must be a column of the table.
Rows of coefficients, markets and demand whose key is new are added (a new row needs
every required column). Errors name the scenario file and the key path
(``quotas[1].park``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ioopt.case import Case, derive_tables, limit_model, pydantic_problems, read_yaml_model
from ioopt.casecheck import case_warnings, check_case
from ioopt.checks import check_quotas
from ioopt.errors import InputError, Problem
from ioopt.schemas import NUMBER_BOUND, TABLES, CaseConfig, Mode, check_bounded

MODES = [m.value for m in Mode]

ROW_TABLES = ("projects", "sectors", "coefficients", "rules", "markets", "demand",
              "project_years")
"""Tables a scenario changes row by row (by the row's key; quotas have their own form)."""
ADDABLE = ("coefficients", "markets", "demand", "project_years")
"""Tables where a scenario row with a new key adds a row."""


class QuotaChange(BaseModel):
    """Scale or set the quota rows matching family (and year, park if given)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    family: str
    year: int | None = None
    park: str | None = None
    scale: float | None = Field(None, ge=0)
    set: float | None = Field(None, ge=0)
    mode: str | None = None
    penalty: float | None = Field(None, ge=0)

    _bounded = field_validator("scale", "set", "penalty")(check_bounded)


class Scenario(BaseModel):
    """A scenario file."""

    model_config = ConfigDict(extra="forbid")
    name: str
    description: str = ""
    inherits: str | None = None
    case: dict[str, Any] = Field(default_factory=dict)
    quotas: list[QuotaChange] = Field(default_factory=list)
    projects: list[dict[str, Any]] = Field(default_factory=list)
    sectors: list[dict[str, Any]] = Field(default_factory=list)
    coefficients: list[dict[str, Any]] = Field(default_factory=list)
    rules: list[dict[str, Any]] = Field(default_factory=list)
    markets: list[dict[str, Any]] = Field(default_factory=list)
    demand: list[dict[str, Any]] = Field(default_factory=list)
    project_years: list[dict[str, Any]] = Field(default_factory=list)


def load_scenario(path: str | Path, _seen: tuple[Path, ...] = ()) -> list[tuple[Path, Scenario]]:
    """Read a scenario and the chain it inherits from, base first."""
    path = Path(path).resolve()
    name = str(path)
    if path in _seen:
        raise InputError([Problem(name, None, "inherits", path.name, "no inheritance cycle")])
    sc = read_yaml_model(path, Scenario, "scenario")
    chain: list[tuple[Path, Scenario]] = []
    if sc.inherits:
        parent = (path.parent / sc.inherits).resolve()
        if not parent.is_relative_to(path.parent):  # its content is never read or echoed
            raise InputError([Problem(name, None, "inherits", sc.inherits,
                                      "a scenario file in this scenario's folder or below "
                                      f"it ({path.parent})")])
        chain = load_scenario(parent, (*_seen, path))
    return [*chain, (path, sc)]


def scenario_title(path: str | Path | None) -> tuple[str, str]:
    """A scenario file's name and description (the description inherited when the file has
    none); empty when there is no scenario or its file cannot be read any more.
    """
    if not path:
        return "", ""
    try:
        return _title(load_scenario(path))
    except (InputError, OSError):
        return "", ""


def _title(chain: list[tuple[Path, Scenario]]) -> tuple[str, str]:
    desc = next((sc.description for _, sc in reversed(chain) if sc.description), "")
    return chain[-1][1].name, desc.strip()


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``over`` merged into ``base``, nested mappings key by key."""
    out = dict(base)
    for k, v in over.items():
        out[k] = deep_merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def apply_scenario(case: Case, path: str | Path) -> Case:
    """Apply a scenario file (and those it inherits) to a case; validate the result. The
    case keeps the scenario's name and description (as loaded now, for the summary).
    """
    chain = load_scenario(path)
    for file, sc in chain:
        case = apply_overrides(case, sc, str(file))
    name, description = _title(chain)
    return case.replace(scenario_name=name, scenario_description=description)


def apply_overrides(case: Case, sc: Scenario, source: str, where: str = "") -> Case:
    """Apply one scenario's overrides to a case and validate the result.

    ``source`` names where the overrides came from (a file) in error messages, and
    ``where`` prefixes their key paths (``grid[0].`` for a batch spec's axis).
    """
    try:
        return _apply_one(case, source, sc)
    except InputError as exc:
        if not where:
            raise
        raise InputError([replace(p, field=f"{where}{p.field or ''}") if p.file == source else p
                          for p in exc.problems]) from None


def _apply_one(case: Case, name: str, sc: Scenario) -> Case:
    problems: list[Problem] = []
    applied = [*case.applied]
    config = case.config
    if sc.case:
        try:
            config = CaseConfig.model_validate(deep_merge(case.config.model_dump(mode="json"), sc.case))
            applied.append(f"case settings: {sc.case}")
        except ValidationError as exc:
            problems += pydantic_problems(exc, name, prefix="case.")
    tables = {k: getattr(case, k).copy() for k in TABLES}
    problems += _change_quotas(tables["quotas"], sc.quotas, name, applied)
    for table in ROW_TABLES:
        for i, change in enumerate(getattr(sc, table)):
            problems += _set_rows(tables, table, change, name, f"{table}[{i}]", applied)
    if problems:
        raise InputError(problems)
    # re-validate the changed and added rows with the row models (the others were valid
    # when the case was loaded), then the cross-table checks
    problems = _revalidate(case, tables, (*ROW_TABLES, "quotas"), name)
    if problems:
        raise InputError(problems)
    new = case.replace(config=config, applied=applied, **derive_tables(tables))
    _raise_invalid(check_case(new), name)
    new.warnings = case_warnings(new)
    return new


def apply_quota_changes(case: Case, changes: list[QuotaChange], source: str) -> Case:
    """What :func:`apply_overrides` gives for a scenario of quota changes only, with only
    the quota checks run (the other tables are ``case``'s, already checked): the page's
    quota edits answer within half a second this way.
    """
    applied = [*case.applied]
    q = case.quotas.copy()
    problems = _change_quotas(q, changes, source, applied)
    if problems:
        raise InputError(problems)
    problems = _revalidate(case, {"quotas": q}, ("quotas",), source)
    if problems:
        raise InputError(problems)
    new = case.replace(quotas=limit_model(q), applied=applied)
    _raise_invalid(check_quotas(new), source)
    return new


def _raise_invalid(problems: list[Problem], name: str) -> None:
    if problems:
        raise InputError([Problem(name, None, None, None, f"a scenario that keeps the case "
                                  f"valid, but: {p}") for p in problems])


def _change_quotas(q: pd.DataFrame, changes: list[QuotaChange], name: str,
                   applied: list[str]) -> list[Problem]:
    """Apply quota changes to ``q`` in place (each noted in ``applied``); the problems."""
    problems: list[Problem] = []
    for i, qc in enumerate(changes):
        sel = q["family"] == qc.family
        if qc.year is not None:
            sel &= q["year"].astype("Float64") == qc.year
        if qc.park is not None:
            sel &= q["park"].fillna("") == qc.park
        where = f"quotas[{i}]"
        if not sel.any():
            problems.append(Problem(name, None, where, qc.model_dump(exclude_none=True),
                                    "a selector matching at least one row of quotas.csv "
                                    "(family, year, park)"))
            continue
        if qc.scale is not None and qc.set is not None:
            problems.append(Problem(name, None, where, qc.model_dump(exclude_none=True),
                                    "scale or set, not both"))
            continue
        if qc.scale is None and qc.set is None and qc.mode is None and qc.penalty is None:
            problems.append(Problem(name, None, where, qc.model_dump(exclude_none=True),
                                    "a change: scale, set, mode or penalty"))
            continue
        if qc.scale is not None:
            q.loc[sel, "limit"] = q.loc[sel, "limit"].astype(float) * qc.scale
        if qc.set is not None:
            q.loc[sel, "limit"] = qc.set
        if qc.mode is not None:
            if qc.mode not in MODES:
                problems.append(Problem(name, None, f"{where}.mode", qc.mode,
                                        f"one of {', '.join(MODES)}"))
                continue
            q.loc[sel, "mode"] = qc.mode
        if qc.penalty is not None:
            q.loc[sel, "penalty"] = qc.penalty
        applied.append(f"quotas: {qc.model_dump(exclude_none=True)} ({int(sel.sum())} rows)")
    return problems


def _revalidate(case: Case, tables: dict[str, pd.DataFrame], names: tuple[str, ...],
                name: str) -> list[Problem]:
    """The row models' problems with the rows of ``tables`` that differ from ``case``'s."""
    problems: list[Problem] = []
    for table in names:
        spec = TABLES[table]
        cols = list(spec.row.model_fields)
        for rec in _changed_rows(getattr(case, table), tables[table])[cols].to_dict("records"):
            clean = {k: v for k, v in rec.items() if v is not None and not (
                isinstance(v, float) and v != v)}
            try:
                spec.row.model_validate(clean)
            except ValidationError as exc:
                key = "/".join(str(rec[k]) for k in spec.key)
                problems += pydantic_problems(exc, name, prefix=f"{table}[{key}].")
    return problems


def _changed_rows(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``new`` that differ from ``old`` at the same index (or are new), blank
    cells equal to blank cells.
    """
    if new.equals(old):
        return new.iloc[0:0]
    was = old.reindex(index=new.index, columns=new.columns)
    same = (new.astype(object) == was.astype(object)) | (new.isna() & was.isna())
    return new[~same.all(axis=1) | ~new.index.isin(old.index)]


def _key_text(v: Any) -> str:
    """A key cell as text, blank for None/NaN and '2025' for 2025.0."""
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _set_rows(tables: dict[str, pd.DataFrame], table: str, change: dict[str, Any], file: str,
              where: str, applied: list[str]) -> list[Problem]:
    spec = TABLES[table]
    frame = tables[table]
    key = spec.key
    given = change
    # a key field that may be blank in the file (a year: every year) may be left out
    missing = [k for k in key if k not in change and spec.row.model_fields[k].is_required()]
    if missing:
        return [Problem(file, None, where, change, f"the key field(s) {list(key)} of {spec.file}")]
    change = {**dict.fromkeys(key), **change}
    fields = {k: v for k, v in change.items() if k not in key}
    unknown = [k for k in fields if k not in spec.row.model_fields]
    if unknown:
        return [Problem(file, None, f"{where}.{u}", fields[u],
                        f"a column of {spec.file}: one of {list(spec.row.model_fields)}")
                for u in unknown]
    wild = [k for k, v in change.items() if isinstance(v, float) and not abs(v) < NUMBER_BOUND]
    if wild:  # NaN would read as a blank cell below: refuse it here
        return [Problem(file, None, f"{where}.{k}", change[k],
                        "a finite number below 1e15 in size") for k in wild]
    sel = pd.Series(True, index=frame.index)
    for k in key:
        sel &= frame[k].map(_key_text) == _key_text(change[k])
    if not sel.any():
        if table in ADDABLE:  # a new coefficient, market step, demand or yearly value
            row: dict[str, Any] = dict.fromkeys(frame.columns)
            row.update(change)
            if not change.get("source"):
                row["source"] = "scenario"
            added = pd.DataFrame([row], columns=frame.columns)
            tables[table] = added if frame.empty else pd.concat([frame, added], ignore_index=True)
            applied.append(f"{table}: added {given}")
            return []
        return [Problem(file, None, where, {k: change[k] for k in key},
                        f"an existing row of {spec.file}")]
    for k, v in fields.items():
        try:
            frame.loc[sel, k] = v
        except (TypeError, ValueError):  # text into a number column: checked just below
            frame[k] = frame[k].astype(object)
            frame.loc[sel, k] = v
    applied.append(f"{table}: {given}")
    return []


def scenario_diff(base: Case, new: Case) -> pd.DataFrame:
    """Every value a scenario changed: table, row key, field, base value, scenario value.

    Case settings appear as table ``case.yaml`` with the dotted setting as the field.
    """
    rows: list[dict[str, Any]] = []
    a, b = _flat(base.config.model_dump(mode="json")), _flat(new.config.model_dump(mode="json"))
    for k in sorted(set(a) | set(b)):
        if a.get(k) != b.get(k):
            rows.append({"table": "case.yaml", "row": "", "field": k, "base": a.get(k),
                         "scenario": b.get(k)})
    for table, spec in TABLES.items():
        fa, fb = getattr(base, table), getattr(new, table)
        fields = [f for f in spec.row.model_fields if f in fa.columns and f not in spec.key]

        def keyed(frame: pd.DataFrame, key: tuple[str, ...] = spec.key) -> dict[str, Any]:
            recs = frame.reset_index(drop=frame.index.name in frame.columns or
                                     frame.index.name is None).to_dict("records")
            return {"/".join(_key_text(r.get(k)) for k in key): r for r in recs}

        ka, kb = keyed(fa), keyed(fb)
        for key in [*ka, *(k for k in kb if k not in ka)]:
            ra, rb = ka.get(key), kb.get(key)
            for f in fields:
                va = None if ra is None else ra.get(f)
                vb = None if rb is None else rb.get(f)
                if _key_text(va) != _key_text(vb):
                    rows.append({"table": spec.file, "row": key, "field": f, "base": va,
                                 "scenario": vb})
    return pd.DataFrame(rows, columns=["table", "row", "field", "base", "scenario"])


def _flat(d: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        if isinstance(v, dict) and v:
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out
