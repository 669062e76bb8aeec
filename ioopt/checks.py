"""Cross-table consistency checks of a case; every problem collected with file/line/field.

Each ``check_*`` function returns a list of :class:`Problem`;
:func:`ioopt.casecheck.check_case` runs them all. Row-level checks (types, ranges,
required columns) are done by the pydantic models when the tables are read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from ioopt import iomath, units, yearly
from ioopt.errors import Problem
from ioopt.families import FAMILIES, QUOTA_FAMILIES, RULE_FAMILIES
from ioopt.schemas import REPORT_FAMILIES_EXCLUDED, TABLES

if TYPE_CHECKING:
    from ioopt.casedata import Case  # the type only: this module never imports ioopt.case


def _line(frame: pd.DataFrame, idx: object) -> int | None:
    v = frame.at[idx, "_line"] if "_line" in frame.columns else None
    return None if v is None or pd.isna(v) else int(v)


def _lines(frame: pd.DataFrame) -> dict[object, int | None]:
    """Row index -> file line, for every row (what _line gives one at a time)."""
    if "_line" not in frame.columns:
        return {}
    return {idx: None if v is None or pd.isna(v) else int(v)
            for idx, v in zip(frame.index, frame["_line"], strict=True)}


def _ref(frame: pd.DataFrame, file: str, column: str, known: set[str], what: str,
         allow_blank: bool = False) -> list[Problem]:
    out = []
    for idx, v in frame[column].items():
        if allow_blank and (v is None or v == ""):
            continue
        if v not in known:
            out.append(Problem(file, _line(frame, idx), column, v,
                               f"a {what} defined in {_table_of(what)}"))
    return out


def _table_of(what: str) -> str:
    return {"sector": "sectors.csv", "park": "parks.csv", "project": "projects.csv"}.get(
        what, what)


def _year_in(frame: pd.DataFrame, file: str, column: str, years: list[int],
             allow_blank: bool = True) -> list[Problem]:
    out = []
    for idx, v in frame[column].items():
        if v is None or pd.isna(v):
            continue
        if int(v) not in years:
            out.append(Problem(file, _line(frame, idx), column, int(v),
                               f"a year of the horizon {years[0]}-{years[-1]}"))
    return out


def check_sectors(case: Case) -> list[Problem]:
    """Exactly one electricity sector when projects use or make electricity."""
    s = case.sectors
    clash = [Problem("sectors.csv", _line(s, i), "sector", i,
                     "a sector id that is not also a chain name (rules.csv scopes would be ambiguous)")
             for i in s.index if i in set(s["chain"]) and set(s.index[s["chain"] == i]) != {i}]
    if clash:
        return clash
    n_el = int((s["kind"] == "electricity").sum())
    if n_el > 1:
        extra = s.index[s["kind"] == "electricity"][1:]
        return [Problem("sectors.csv", _line(s, i), "kind", "electricity",
                        "exactly one sector of kind electricity") for i in extra]
    needs = bool(case.projects["renewable"].any()) or bool(
        case.projects["elec_mwh"].fillna(0).astype(float).gt(0).any())
    if needs and n_el == 0:
        return [Problem("sectors.csv", None, "kind", None,
                        "one sector of kind 'electricity' (projects use or make electricity)")]
    return []


def check_coefficients(case: Case) -> list[Problem]:
    """Known sectors, and a local chain that can balance: A, over the sectors some
    project makes, productive (:func:`ioopt.iomath.unproductive`, the one test).
    """
    known = set(case.sectors.index)
    c = case.coefficients
    out = _ref(c, "coefficients.csv", "input_sector", known, "sector")
    out += _ref(c, "coefficients.csv", "output_sector", known, "sector")
    if out:
        return out
    years: list[int | None] = [None]  # coefficients given by year: A of every year
    if yearly.dated(c).any():
        years = [case.config.base_year, *case.years]
    made = set(case.projects["sector"])
    for t in years:
        A = iomath.calc_A_from_long(c if t is None else yearly.rows_at(c, "coefficients", t),
                                    list(case.sectors.index))
        bad = iomath.unproductive(A, made)
        if bad is not None:
            out.append(Problem("coefficients.csv", None, "coef",
                               f"spectral radius {bad.rho:.4f}" + ("" if t is None else f" in {t}"),
                               "a technical-coefficient matrix with spectral radius < 1 over "
                               "the sectors projects make (otherwise the local supply chain "
                               "can never balance): " + bad.text()))
            break
    return out


def check_projects(case: Case) -> list[Problem]:
    """Known sector and park, coherent status and years, renewable only for electricity."""
    p = case.projects
    f = "projects.csv"
    years = case.years
    out = _ref(p, f, "sector", set(case.sectors.index), "sector")
    parks = set(case.parks["park"])
    out += _ref(p, f, "park", parks, "park")
    el = case.electricity_sector
    lines = _lines(p)
    used = ["status", "online_year", "earliest_year", "lead_time_years", "renewable",
            "supplies", "sector", "base_output_10k", "capacity_10k", "force", "force_year"]
    for idx, r in zip(p.index, p[used].to_dict("records"), strict=True):
        line = lines.get(idx)
        st = r["status"]
        oy, ey = r["online_year"], r["earliest_year"]
        if st == "committed":
            if oy is None or pd.isna(oy):
                out.append(Problem(f, line, "online_year", None,
                                   "a year for a committed project"))
            elif int(oy) not in years:
                out.append(Problem(f, line, "online_year", int(oy),
                                   f"a year of the horizon {years[0]}-{years[-1]}"))
        elif oy is not None and not pd.isna(oy):
            out.append(Problem(f, line, "online_year", int(oy),
                               f"blank for a {st} project (only committed projects have one)"))
        if ey is not None and not pd.isna(ey):
            if st != "candidate":
                out.append(Problem(f, line, "earliest_year", int(ey),
                                   "blank (only candidates have an earliest year)"))
            elif int(ey) not in years:
                out.append(Problem(f, line, "earliest_year", int(ey),
                                   f"a year of the horizon {years[0]}-{years[-1]}"))
        if st == "candidate":
            first = max(int(ey) if ey is not None and not pd.isna(ey) else years[0],
                        case.config.base_year + int(r["lead_time_years"]))
            if first > years[-1]:
                out.append(Problem(f, line, "lead_time_years", int(r["lead_time_years"]),
                                   f"a lead time that lets it come online by {years[-1]}"))
        out += _force(r, f, line, years, case.config.base_year)
        if r["renewable"] and el is not None and r["sector"] != el:
            out.append(Problem(f, line, "renewable", True,
                               f"false unless the project is in the electricity sector '{el}'"))
        if r["supplies"] and not r["renewable"]:
            out.append(Problem(f, line, "supplies", r["supplies"],
                               "blank unless the project is renewable (renewable = true)"))
        elif r["supplies"] and r["supplies"] not in parks:
            out.append(Problem(f, line, "supplies", r["supplies"],
                               f"a park of parks.csv (one of {sorted(parks)}) or blank"))
        if st != "existing" and r["base_output_10k"] is not None and not pd.isna(
                r["base_output_10k"]):
            out.append(Problem(f, line, "base_output_10k", r["base_output_10k"],
                               "blank (only existing plants have base-year output)"))
        elif st == "existing" and not pd.isna(r["base_output_10k"] or float("nan")) and float(
                r["base_output_10k"]) > float(r["capacity_10k"]) * (1 + 1e-9):
            out.append(Problem(f, line, "base_output_10k", r["base_output_10k"],
                               f"at most the capacity {r['capacity_10k']}"))
    return out


def _force(r: dict[str, Any], f: str, line: int | None, years: list[int],
           base_year: int) -> list[Problem]:
    """Force in only for candidates; force_year only with force in, in a year the
    candidate may come online.
    """
    force, fy, st = r["force"], r["force_year"], r["status"]
    if force == "in" and st != "candidate":
        return [Problem(f, line, "force", force,
                        f"blank or out for {'an' if st == 'existing' else 'a'} {st} project "
                        "(it is in already)")]
    if fy is None or pd.isna(fy):
        return []
    if force != "in":
        return [Problem(f, line, "force_year", int(fy), "blank unless force is in")]
    ey = r["earliest_year"]
    first = max(int(ey) if ey is not None and not pd.isna(ey) else years[0],
                base_year + int(r["lead_time_years"]))
    if not first <= int(fy) <= years[-1]:
        return [Problem(f, line, "force_year", int(fy),
                        f"a year the candidate may come online ({first}-{years[-1]})")]
    return []


def check_project_inputs(case: Case) -> list[Problem]:
    """Known project and input sector."""
    pi = case.project_inputs
    out = _ref(pi, "project_inputs.csv", "project", set(case.projects.index), "project")
    out += _ref(pi, "project_inputs.csv", "input_sector", set(case.sectors.index), "sector")
    el = case.electricity_sector
    for idx in pi.index[pi["input_sector"] == el]:
        out.append(Problem("project_inputs.csv", _line(pi, idx), "input_sector", el,
                           "a non-electricity sector (give electricity use in projects.csv "
                           "column elec_mwh)"))
    return out


def check_demand(case: Case) -> list[Problem]:
    """Known sector, year in the horizon."""
    d = case.demand
    out = _ref(d, "demand.csv", "sector", set(case.sectors.index), "sector")
    out += _year_in(d, "demand.csv", "year", case.years)
    return out


def check_quotas(case: Case) -> list[Problem]:
    """Known family, unit of the family's dimension, year and park as the family needs."""
    q = case.quotas
    f = "quotas.csv"
    parks = set(case.parks["park"])
    pooled = case.config.accounting.renewables == "pooled"
    out = _year_in(q, f, "year", case.years)
    for idx, r in q.iterrows():
        line = _line(q, idx)
        fam = r["family"]
        if fam not in QUOTA_FAMILIES:
            out.append(Problem(f, line, "family", fam, f"one of {QUOTA_FAMILIES}"))
            continue
        spec = FAMILIES[fam]
        if r["dimension"] != spec.dimension:
            out.append(Problem(f, line, "unit", r["unit"],
                               f"a unit of {spec.dimension} for {fam}: one of "
                               f"{units.known_units(spec.dimension)}"))
        has_year = r["year"] is not None and not pd.isna(r["year"])
        if spec.needs_year is True and not has_year:
            out.append(Problem(f, line, "year", None, f"a year for {fam}"))
        if spec.needs_year is False and has_year:
            out.append(Problem(f, line, "year", int(r["year"]),
                               f"blank for {fam} (it covers the whole horizon)"))
        park = r["park"] or ""
        if spec.needs_park and not park:
            out.append(Problem(f, line, "park", None, f"a park for {fam}"))
        elif spec.needs_park is False and park:
            out.append(Problem(f, line, "park", park, f"blank for {fam} (a city-wide quota)"))
        elif park and park not in parks:
            out.append(Problem(f, line, "park", park, "a park defined in parks.csv"))
        if fam in REPORT_FAMILIES_EXCLUDED and r["mode"] == "report" and pooled:
            out.append(Problem(f, line, "mode", "report",
                               f"hard or soft for {fam}: {REPORT_FAMILIES_EXCLUDED[fam]}"))
        if fam == "green_share" and r["dimension"] == "share" and r["limit_model"] > 1:
            out.append(Problem(f, line, "limit", r["limit"], "a share between 0 and 1 (or 0-100 %)"))
    out += _overlaps(q, f, ("family", "park"))
    return out


def _overlaps(frame: pd.DataFrame, file: str, key: tuple[str, ...]) -> list[Problem]:
    """A blank-year row (every year) and a row for one year of the same key clash."""
    out: list[Problem] = []
    if frame.empty:
        return out
    blank = frame["year"].isna()
    for idx in frame.index[~blank]:
        same = blank.copy()
        for k in key:
            same &= frame[k].astype(str) == str(frame.at[idx, k])
        if same.any():
            first = _line(frame, frame.index[same][0])
            out.append(Problem(file, _line(frame, idx), "year", int(frame.at[idx, "year"]),
                               f"no year-specific row when line {first} already sets every year"))
    return out


def check_rules(case: Case) -> list[Problem]:
    """Known rule, scope a sector or chain, unit of the right dimension, year in horizon."""
    r_ = case.rules
    f = "rules.csv"
    scopes = set(case.sectors.index) | set(case.sectors["chain"])
    out = _year_in(r_, f, "year", case.years)
    for idx, r in r_.iterrows():
        line = _line(r_, idx)
        if r["rule"] not in RULE_FAMILIES:
            out.append(Problem(f, line, "rule", r["rule"], f"one of {RULE_FAMILIES}"))
            continue
        if r["scope"] not in scopes:
            out.append(Problem(f, line, "scope", r["scope"],
                               "a sector id or chain name from sectors.csv"))
        dim = FAMILIES[r["rule"]].dimension
        if r["dimension"] != dim:
            out.append(Problem(f, line, "unit", r["unit"],
                               f"a unit of {dim}: one of {units.known_units(dim)}"))
    out += _overlaps(r_, f, ("rule", "scope"))
    return out


def check_dependencies(case: Case) -> list[Problem]:
    """Known projects, no self-dependency, no cycle."""
    d = case.dependencies
    f = "dependencies.csv"
    known = set(case.projects.index)
    out = _ref(d, f, "project", known, "project") + _ref(d, f, "requires", known, "project")
    for idx, r in d.iterrows():
        if r["project"] == r["requires"]:
            out.append(Problem(f, _line(d, idx), "requires", r["requires"],
                               "a project other than itself"))
    if out:
        return out
    cycle = find_cycle(list(zip(d["project"], d["requires"], strict=True)))
    if cycle:
        out.append(Problem(f, None, "requires", " -> ".join(cycle),
                           "no dependency cycle (a cycle means none of them can start first)"))
    return out


def find_cycle(edges: list[tuple[str, str]]) -> list[str] | None:
    """Return one cycle of the directed graph as a node list (first node repeated), or None."""
    graph: dict[str, list[str]] = {}
    for a, b in edges:
        graph.setdefault(a, []).append(b)
    state: dict[str, int] = {}  # 1 on stack, 2 done
    for root in sorted(graph):
        if state.get(root):
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = []
        while stack:
            node, i = stack.pop()
            if i == 0:
                state[node] = 1
                path.append(node)
            nxt = graph.get(node, [])
            if i < len(nxt):
                stack.append((node, i + 1))
                child = nxt[i]
                if state.get(child) == 1:
                    return [*path[path.index(child):], child]
                if not state.get(child):
                    stack.append((child, 0))
            else:
                state[node] = 2
                path.pop()
    return None


def check_exclusive_groups(case: Case) -> list[Problem]:
    """Exclusive groups hold candidates only (existing and committed are not a choice)."""
    p = case.projects
    out = []
    grouped = p[p["exclusive_group"].fillna("") != ""]
    for idx, r in grouped.iterrows():
        if r["status"] != "candidate":
            out.append(Problem("projects.csv", _line(p, idx), "exclusive_group",
                               r["exclusive_group"], "blank for a non-candidate project"))
    return out


def check_uncertainty(case: Case) -> list[Problem]:
    """Problems with the declared perturbations (unknown field, selector matching nothing)."""
    problems = []
    for i, pt in enumerate(case.config.uncertainty):
        where = f"uncertainty[{i}]"
        frame: pd.DataFrame = getattr(case, pt.table)
        fields = TABLES[pt.table].row.model_fields
        if pt.field not in fields or pt.field not in frame:
            problems.append(Problem("case.yaml", None, f"{where}.field", pt.field,
                                    f"a column of {TABLES[pt.table].file}"))
            continue
        if not _is_numeric(frame[pt.field]):
            problems.append(Problem("case.yaml", None, f"{where}.field", pt.field,
                                    "a numeric column"))
        for k in pt.where:
            if k not in frame:
                problems.append(Problem("case.yaml", None, f"{where}.where.{k}", k,
                                        f"a column of {TABLES[pt.table].file}"))
        if not problems and not select_rows(frame, pt.where).any():
            problems.append(Problem("case.yaml", None, f"{where}.where", pt.where,
                                    f"a selector matching at least one row of {TABLES[pt.table].file}"))
    return problems


def select_rows(frame: pd.DataFrame, where: dict[str, Any]) -> pd.Series:
    """Rows whose columns equal every value of ``where`` (compared as text)."""
    sel = pd.Series(True, index=frame.index)
    for k, v in where.items():
        if k in frame:
            sel &= frame[k].astype(str) == str(v)
    return sel


def _is_numeric(col: pd.Series) -> bool:
    converted: Any = pd.to_numeric(col, errors="coerce")
    return bool(converted.notna().sum() == col.notna().sum())
