"""The batch spec: a YAML file of scenario files, grid axes and seeded samples.

::

    name: energy-green-sweep
    case: ../data/tongliao          # optional (default: --case or the embedded case)
    scenario: base.yaml             # optional: applied to the case before everything else
    scenarios: [energy_minus_10.yaml, green_share_80.yaml]   # files, relative to the spec
    grid:                           # the cartesian product of the axes
      - name: energy                # the column the value goes to in the results
        quotas: {family: energy_total}             # which quota rows (family, year, park)
        scale: {from: 0.8, to: 1.2, steps: 5}      # or a list; or set: [...]
      - name: green
        quotas: {family: green_share}
        set: [0.4, 0.5, 0.6]
      - name: al_price
        sectors: {sector: al_primary}              # a row of a table, by its key
        field: price_cny
        values: [18000, 21000]
      - name: al_deep_market
        markets: {sector: al_deep, direction: export, step: 1}   # a market step (year blank)
        field: volume_10k
        values: [300, 350, 400]
      - name: measure
        case: objective.measure                    # a case setting, dotted path
        values: [gross_output, value_added]
    samples: {n: 50, seed: 1}       # seeded draws of the case's declared uncertainty
    explain: true                   # infeasible scenarios get their smallest relaxation
    time_limit_s: 60                # per scenario (default: the case's solver setting)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from ioopt.case import read_yaml_model
from ioopt.schemas import Perturbation

TABLE_AXES = ("projects", "sectors", "coefficients", "rules", "markets", "demand")
"""Case tables a grid axis can set a field of."""


class Steps(BaseModel):
    """Evenly spaced values: ``{from: 0.8, to: 1.2, steps: 5}``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)
    start: float = Field(alias="from")
    stop: float = Field(alias="to")
    steps: int = Field(ge=2)

    def values(self) -> list[float]:
        """The values, rounded to 12 significant digits (0.1 steps print as 0.9, not
        0.8999999999999999).
        """
        return [float(f"{v:.12g}") for v in np.linspace(self.start, self.stop, self.steps)]


class Axis(BaseModel):
    """One parameter of a grid sweep and its values."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    quotas: dict[str, Any] | None = None
    scale: list[float] | Steps | None = None
    set: list[float] | Steps | None = None
    projects: dict[str, Any] | None = None
    sectors: dict[str, Any] | None = None
    coefficients: dict[str, Any] | None = None
    rules: dict[str, Any] | None = None
    markets: dict[str, Any] | None = None
    demand: dict[str, Any] | None = None
    field: str | None = None
    case: str | None = None
    values: list[Any] | Steps | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Axis:
        targets = [t for t in ("quotas", *TABLE_AXES, "case") if getattr(self, t) is not None]
        if len(targets) != 1:
            raise ValueError(f"exactly one target (quotas, {', '.join(TABLE_AXES)} or case), "
                             f"got {targets or 'none'}")
        if self.quotas is not None:
            if (self.scale is None) == (self.set is None) or self.values is not None:
                raise ValueError("a quotas axis takes scale or set (not values)")
        elif self.scale is not None or self.set is not None:
            raise ValueError("scale and set are for quotas axes; use values")
        elif self.values is None:
            raise ValueError("values (a list or {from, to, steps})")
        if self.case is None and self.quotas is None and self.field is None:
            raise ValueError("field: the column to set")
        return self

    def points(self) -> list[Any]:
        """The axis's values."""
        v = self.scale if self.scale is not None else self.set if self.set is not None \
            else self.values
        assert v is not None
        return v.values() if isinstance(v, Steps) else list(v)

    def overrides(self, value: Any) -> dict[str, Any]:
        """The scenario overrides (as in a scenario file) that set this axis to ``value``."""
        if self.quotas is not None:
            how = "scale" if self.scale is not None else "set"
            return {"quotas": [{**self.quotas, how: value}]}
        if self.case is not None:
            node: Any = value
            for part in reversed(self.case.split(".")):
                node = {part: node}
            return {"case": node}
        for t in TABLE_AXES:
            sel = getattr(self, t)
            if sel is not None:
                assert self.field is not None
                return {t: [{**sel, self.field: value}]}
        raise AssertionError("unreachable: validated to have one target")


class SampleSpec(BaseModel):
    """Seeded random draws of the declared uncertainty."""

    model_config = ConfigDict(extra="forbid")
    n: int = Field(ge=1)
    seed: int = 0
    uncertainty: list[Perturbation] | None = None
    """Ranges to draw from (default: the case's ``uncertainty``)."""


class BatchSpec(BaseModel):
    """A batch spec file."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    name: str
    description: str = ""
    case: str | None = None
    scenario: str | None = None
    scenarios: list[str] = Field(default_factory=list)
    grid: list[Axis] = Field(default_factory=list)
    samples: SampleSpec | None = None
    explain: bool = True
    time_limit_s: float | None = Field(None, gt=0)
    _path: str = PrivateAttr(default="batch spec")
    """The file the spec was read from, for error messages."""

    @model_validator(mode="after")
    def _something(self) -> BatchSpec:
        if not (self.scenarios or self.grid or self.samples):
            raise ValueError("at least one of scenarios, grid, samples")
        names = [a.name for a in self.grid]
        if len(set(names)) != len(names):
            raise ValueError(f"grid axis names must be unique, got {names}")
        return self

    @property
    def source(self) -> str:
        """The file the spec was read from ('batch spec' when built in code)."""
        return self._path


def load_spec(path: str | Path) -> tuple[BatchSpec, Path]:
    """Read a batch spec; return it with the folder its relative paths start from."""
    path = Path(path).resolve()
    spec = read_yaml_model(path, BatchSpec, "batch spec")
    spec._path = str(path)
    return spec, path.parent
