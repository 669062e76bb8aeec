"""build_model(): declares the sets and variables and calls each family in a fixed order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from ioopt.case import Case
from ioopt.families import ROW_FAMILIES
from ioopt.formulation.accounting import region_totals
from ioopt.formulation.chain import add_chain_balance
from ioopt.formulation.data import ModelData, prepare
from ioopt.formulation.markets import add_export_market, add_import_market
from ioopt.formulation.objective import add_objective
from ioopt.formulation.phasing import (
    add_build_once,
    add_force_in,
    add_production_max,
    add_production_min,
    add_variables,
)
from ioopt.formulation.policy import (
    add_dependency,
    add_exclusive_group,
    add_sector_capacity_cap,
    add_sector_capacity_floor,
    add_sector_output_cap,
    add_sector_output_floor,
    add_sector_value_floor,
)
from ioopt.formulation.quotas import (
    add_capital_total,
    add_capital_year,
    add_carbon_intensity,
    add_carbon_total,
    add_energy_intensity,
    add_energy_total,
    add_green_power,
    add_green_share,
    add_green_supply,
    add_land,
    add_water_intensity,
    add_water_total,
)
from ioopt.formulation.rows import Builder, QuotaRow

ADD: dict[str, Callable[..., None]] = {
    "build_once": add_build_once, "production_max": add_production_max,
    "production_min": add_production_min, "chain_balance": add_chain_balance,
    "export_market": add_export_market, "import_market": add_import_market,
    "energy_total": add_energy_total, "energy_intensity": add_energy_intensity,
    "carbon_total": add_carbon_total, "carbon_intensity": add_carbon_intensity,
    "green_supply": add_green_supply, "green_share": add_green_share,
    "green_power": add_green_power,
    "water_total": add_water_total, "water_intensity": add_water_intensity,
    "land": add_land, "capital_total": add_capital_total, "capital_year": add_capital_year,
    "sector_capacity_cap": add_sector_capacity_cap,
    "sector_capacity_floor": add_sector_capacity_floor,
    "sector_output_cap": add_sector_output_cap, "sector_output_floor": add_sector_output_floor,
    "sector_value_floor": add_sector_value_floor, "dependency": add_dependency,
    "exclusive_group": add_exclusive_group, "force_in": add_force_in,
}
"""Each row family's ``add_<family>`` (the catalogue, :mod:`ioopt.families`, orders them)."""

__all__ = ["Built", "ModelData", "QuotaRow", "build_model"]


@dataclass
class Built:
    """A built model: the Pyomo model (the one statement of the formulation) and what
    the results need to read it: the prepared data and one record per quota row. Nothing
    is stored on the Pyomo object itself.
    """

    pyomo: pyo.ConcreteModel
    data: ModelData
    quota_rows: list[QuotaRow]
    infeasible: list[str] = field(default_factory=list)
    """Rows with no decision in them that no decision can satisfy (found at build)."""
    elastic: bool = False

    @property
    def money_objective(self) -> bool:
        """Whether the objective is in money (亿元) rather than jobs."""
        return bool(self.data.money_objective)


def build_model(case: Case, elastic: bool = False) -> Built:
    """Build the Pyomo model of a case. The order is fixed (row order affects HiGHS's path).

    ``elastic``: every quota and rule row gets a slack (as if soft), whatever its mode;
    used to find the smallest relaxation that makes an infeasible scenario feasible
    (see ioopt.analyses.infeasibility). The records keep each row's own mode.
    """
    # Python's cyclic garbage collector would otherwise scan the growing heap of Pyomo
    # objects again and again while they are created (two thirds of the build time at
    # N = 10,000; none of these objects is garbage yet)
    with PauseGC():
        return _build(case, elastic)


def _build(case: Case, elastic: bool) -> Built:
    d = prepare(case)
    m = pyo.ConcreteModel(name=case.config.name)
    b = Builder(m, d, elastic=elastic)
    add_variables(m, d)
    totals = region_totals(m, d)
    for family in ROW_FAMILIES:  # the catalogue's order (row order steers HiGHS's path)
        ADD[family](b, d, totals)
    add_objective(b, d)
    if case.config.solver.relax_integers:
        # the LP relaxation is a transformation of the model: its build decisions are
        # continuous in Pyomo as in HiGHS
        pyo.TransformationFactory("core.relax_integer_vars").apply_to(m)
    return Built(m, d, b.quota_rows, b.infeasible, elastic)
