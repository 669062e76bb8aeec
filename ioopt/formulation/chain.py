"""Family ``chain_balance``: the input-output core of the model."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from ioopt.formulation.data import ModelData
from ioopt.formulation.rows import Builder, Terms, add_rows


def add_chain_balance(b: Builder, d: ModelData, _tot: object = None) -> None:
    """``chain_balance[s,t]``: local production + imports = intermediate use + exports
    + final demand, i.e.

    ``sum_{j in s} x[j,t] - sum_j a[s,j] x[j,t] + imp[s,t] - exp[s,t] = fd[s,t]``

    where ``a[s,j,t]`` is project j's use of sector s per unit of its output in year t
    (the sector's technical coefficient A[s, s(j)] unless the project overrides it; the
    same every year unless a coefficient is given by year). Units: 万 units of s.
    """
    if not d.family("chain_balance").enabled:
        return
    m = b.m
    every_year = _users(d.inputs) if d.yearly_inputs is None else None
    users = {t: every_year if every_year is not None else _users(d.inputs_at(t))
             for t in d.years}
    rows = {}
    for s in d.case.sectors.index:
        makers = d.by_sector.get(s, [])
        for t in d.years:
            terms: Terms = [(1.0, m.x[j, t]) for j in makers if (j, t) in m.x]
            terms += [(-a, m.x[j, t]) for j, a in users[t].get(s, []) if (j, t) in m.x]
            fd = d.demand.get((s, t), 0.0)
            if not terms and fd == 0:
                continue
            terms += [(1.0, m.imp[s, t]), (-1.0, m.exp[s, t])]
            rows[(s, t)] = (terms, 0.0, "==", fd)
    add_rows(b, "chain_balance", rows)


def _users(inputs: pd.DataFrame) -> dict[str, list[tuple[str, float]]]:
    """Input sector -> (project, units used per unit of the project's output)."""
    users: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for j, s, a in zip(inputs["project"], inputs["input_sector"], inputs["coef"], strict=True):
        users[s].append((j, float(a)))
    return users
