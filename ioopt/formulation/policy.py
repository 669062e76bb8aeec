"""Policy families: sector caps and floors, dependencies, exclusive groups.

Committed projects (family ``commitment``) are handled in the phasing: when the family
is on they are online from their committed year; off, they become candidates.
"""

from __future__ import annotations

import pandas as pd

from ioopt.families import FAMILIES
from ioopt.formulation.data import ModelData
from ioopt.formulation.phasing import online
from ioopt.formulation.rows import Builder, QuotaRow, Rows, Terms, add_quota_rows, add_rows
from ioopt.schemas import basis_or_estimate, mode_or


def scope_projects(d: ModelData, scope: str) -> list[str]:
    """Projects of a sector id, or of every sector of a chain."""
    s = d.case.sectors
    sectors = [scope] if scope in s.index else list(s.index[s["chain"] == scope])
    return [j for sec in sectors for j in d.by_sector.get(sec, [])]


def add_sector_capacity_cap(b: Builder, d: ModelData, _tot: object = None) -> None:
    """``sector_capacity_cap[s,t]``: ``sum_{j in s} cap_j online[j,t] <= limit``."""
    _add_rule(b, d, "sector_capacity_cap")


def add_sector_capacity_floor(b: Builder, d: ModelData, _tot: object = None) -> None:
    """``sector_capacity_floor[s,t]``: ``sum_{j in s} cap_j online[j,t] >= limit``."""
    _add_rule(b, d, "sector_capacity_floor")


def add_sector_output_cap(b: Builder, d: ModelData, _tot: object = None) -> None:
    """``sector_output_cap[s,t]``: ``sum_{j in s} x[j,t] <= limit`` (万 units)."""
    _add_rule(b, d, "sector_output_cap")


def add_sector_output_floor(b: Builder, d: ModelData, _tot: object = None) -> None:
    """``sector_output_floor[s,t]``: ``sum_{j in s} x[j,t] >= limit`` (万 units)."""
    _add_rule(b, d, "sector_output_floor")


def add_sector_value_floor(b: Builder, d: ModelData, _tot: object = None) -> None:
    """``sector_value_floor[s,t]``: ``sum_{j in s} price_j x[j,t] >= limit`` (亿元)."""
    _add_rule(b, d, "sector_value_floor")


def _add_rule(b: Builder, d: ModelData, family: str) -> None:
    """Rows of rules.csv of one rule kind, indexed by (scope, year):

    - ``sector_capacity_cap/floor[s,t]``: ``sum_{j in s} cap_j online[j,t]  <=/>=  limit``
    - ``sector_output_cap/floor[s,t]``: ``sum_{j in s} x[j,t]  <=/>=  limit`` (万 units)
    - ``sector_value_floor[s,t]``: ``sum_{j in s} price_j x[j,t] >= limit`` (亿元)
    """
    m = b.m
    r = d.case.rules
    cap = d.projects["cap"].to_dict()
    price = d.projects["price"].to_dict()
    fam = d.family(family)
    if not fam.enabled:
        return
    sense: str = FAMILIES[family].sense
    sel = r[r["rule"] == family]
    records: list[QuotaRow] = []
    rows: Rows = {}
    basis = sel["basis"]
    for scope, year, lim, mode, pn, bs in zip(sel["scope"], sel["year"], sel["limit_model"],
                                              sel["mode"], sel["penalty"], basis, strict=True):
        js = scope_projects(d, scope)
        years = d.years if year is None or pd.isna(year) else [int(year)]
        for t in years:
            terms: Terms = []
            const = 0.0
            for j in js:
                if family.startswith("sector_capacity"):
                    on, c = online(m, d, j, t)
                    terms += [(cap[j] * k, v) for k, v in on]
                    const += cap[j] * c
                elif (j, t) in m.x:
                    w = price[j] if family == "sector_value_floor" else 1.0
                    terms.append((w, m.x[j, t]))
            key = (scope, t)
            records.append(QuotaRow(family, key, t, None, scope, float(lim),
                                    const=const, mode=mode_or(mode, fam.mode),
                                    penalty=fam.row_penalty(pn),
                                    basis=basis_or_estimate(bs)))
            rows[key] = (terms, const, sense, float(lim))
    add_quota_rows(b, family, records, rows)


def add_dependency(b: Builder, d: ModelData, _tot: object = None) -> None:
    """``dependency[j,k,t]``: ``online[j,t] - online[k,t] <= 0``: j runs only if k does."""
    if not d.family("dependency").enabled:
        return
    m = b.m
    rows = {}
    dep = d.case.dependencies
    for j, k in zip(dep["project"], dep["requires"], strict=True):
        for t in d.x_years(j):
            on_j, c_j = online(m, d, j, t)
            on_k, c_k = online(m, d, k, t)
            rows[(j, k, t)] = ([*on_j, *((-c, v) for c, v in on_k)], c_j - c_k, "<=", 0.0)
    add_rows(b, "dependency", rows)


def add_exclusive_group(b: Builder, d: ModelData, _tot: object = None) -> None:
    """``exclusive_group[g]``: ``sum_{j in g} sum_t build[j,t] <= 1``."""
    if not d.family("exclusive_group").enabled:
        return
    m = b.m
    groups: dict[str, Terms] = {}
    p = d.projects
    for j, g in zip(p.index, p["exclusive_group"].fillna(""), strict=True):
        if g and j in d.build_years:
            groups.setdefault(g, []).extend((1.0, m.build[j, t]) for t in d.build_years.get(j, []))
    add_rows(b, "exclusive_group", {(g,): (terms, 0.0, "<=", 1.0)
                                    for g, terms in groups.items()})
