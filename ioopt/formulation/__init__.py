"""build_model(): declares the sets and variables and calls each family in a fixed order."""

from __future__ import annotations

import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from ioopt.case import Case
from ioopt.formulation.accounting import region_totals
from ioopt.formulation.chain import add_chain_balance
from ioopt.formulation.data import ModelData, prepare
from ioopt.formulation.objective import add_objective
from ioopt.formulation.phasing import add_phasing, add_variables
from ioopt.formulation.policy import add_dependencies, add_exclusive_groups, add_sector_rules
from ioopt.formulation.quotas import (
    add_capital,
    add_carbon,
    add_energy,
    add_green_share,
    add_land,
    add_water,
)
from ioopt.formulation.rows import Registry

__all__ = ["ModelData", "build_model", "registry"]


def build_model(case: Case, elastic: bool = False) -> pyo.ConcreteModel:
    """Build the Pyomo model of a case. The order is fixed (row order affects HiGHS's path).

    ``elastic``: every quota and rule row gets a slack (as if soft), whatever its mode;
    used to find the smallest relaxation that makes an infeasible scenario feasible
    (see ioopt.explain). The records keep each row's own mode.
    """
    # Python's cyclic garbage collector would otherwise scan the growing heap of Pyomo
    # objects again and again while they are created (two thirds of the build time at
    # N = 10,000; none of these objects is garbage yet)
    with PauseGC():
        return _build(case, elastic)


def _build(case: Case, elastic: bool) -> pyo.ConcreteModel:
    d = prepare(case)
    m = pyo.ConcreteModel(name=case.config.name)
    m._ioopt = Registry(d, elastic=elastic)
    add_variables(m, d)
    add_phasing(m, d)
    add_chain_balance(m, d)
    totals = m._ioopt.totals = region_totals(m, d)
    add_energy(m, d, totals)
    add_carbon(m, d, totals)
    add_green_share(m, d, totals)
    add_water(m, d, totals)
    add_land(m, d)
    add_capital(m, d)
    add_sector_rules(m, d)
    add_dependencies(m, d)
    add_exclusive_groups(m, d)
    add_objective(m, d)
    return m


def registry(m: pyo.ConcreteModel) -> Registry:
    """The ioopt registry of a built model (data, quota rows, penalties)."""
    reg: Registry = m._ioopt
    return reg
