"""Units: what the files say, what the model sees, and the conversions between them.

The model works in the units of Chinese planning documents, which also keep HiGHS's
coefficients close to 1:

- product quantities in 万 (10^4) of the sector's physical unit (万 t, 万 MWh, ...),
- money in 亿元 (10^8 CNY),
- energy in 万 tce, CO2 in 万 t, water in 万 m3, electricity in 万 MWh,
- land in mu (亩), jobs in persons.

Per-unit coefficients in the files are given per physical unit (tce per t, CNY per t);
since both numerator and denominator are scaled by 10^4, only money per unit changes
(CNY per t -> 亿元 per 万 t is a factor 10^-4). Everything is converted once, at load
time, by ``case.py``; results are converted back for reporting.
"""

from __future__ import annotations

from dataclasses import dataclass

QTY = 1e4
"""Model unit of a product quantity, in physical units (万)."""
MONEY = 1e8
"""Model unit of money, in CNY (亿元)."""
CNY_PER_UNIT_TO_MODEL = QTY / MONEY
"""Factor from CNY per physical unit to 亿元 per 万 physical units."""


@dataclass(frozen=True)
class Dimension:
    """A physical dimension of a quota, with the model's unit and the reporting unit."""

    name: str
    model_unit: str
    """Label of one model unit (what a row of the model is written in)."""
    base_unit: str
    """The plain unit shadow prices are quoted per (CNY per tce, per m3, ...)."""
    base_per_model: float
    """How many base units one model unit is."""


DIMENSIONS: dict[str, Dimension] = {
    "energy": Dimension("energy", "10k tce", "tce", 1e4),
    "co2": Dimension("co2", "10k t CO2", "t CO2", 1e4),
    "water": Dimension("water", "10k m3", "m3", 1e4),
    "land": Dimension("land", "mu", "mu", 1.0),
    "money": Dimension("money", "100m CNY", "CNY", 1e8),
    "electricity": Dimension("electricity", "10k MWh", "MWh", 1e4),
    "energy_intensity": Dimension("energy_intensity", "tce/10k CNY", "tce", 1e4),
    "co2_intensity": Dimension("co2_intensity", "t CO2/10k CNY", "t CO2", 1e4),
    "water_intensity": Dimension("water_intensity", "m3/10k CNY", "m3", 1e4),
    "share": Dimension("share", "share", "MWh", 1e4),
    "quantity": Dimension("quantity", "10k units", "unit", 1e4),
}
"""Dimensions of quotas. For intensity and share rows the row is written in the
numerator's unit (E - theta * VA <= 0), so the shadow price is quoted per unit of the
numerator (CNY per tce of room under the intensity cap)."""

def row_unit(dimension: str) -> str:
    """The unit a ratio row (intensity, share) of this dimension is written in: its
    numerator's, 10^4 of the base unit ('10k tce', '10k MWh').
    """
    return f"10k {DIMENSIONS[dimension].base_unit}"


UNIT_ALIASES: dict[str, tuple[str, float]] = {
    # unit string in a file -> (dimension, model units per one file unit)
    "tce": ("energy", 1e-4),
    "10k tce": ("energy", 1.0),
    "万tce": ("energy", 1.0),
    "t co2": ("co2", 1e-4),
    "10k t co2": ("co2", 1.0),
    "万t co2": ("co2", 1.0),
    "mt co2": ("co2", 100.0),
    "m3": ("water", 1e-4),
    "10k m3": ("water", 1.0),
    "万m3": ("water", 1.0),
    "100m m3": ("water", 1e4),
    "亿m3": ("water", 1e4),
    "mu": ("land", 1.0),
    "亩": ("land", 1.0),
    "ha": ("land", 15.0),
    "cny": ("money", 1e-8),
    "10k cny": ("money", 1e-4),
    "万元": ("money", 1e-4),
    "100m cny": ("money", 1.0),
    "亿元": ("money", 1.0),
    "mwh": ("electricity", 1e-4),
    "10k mwh": ("electricity", 1.0),
    "gwh": ("electricity", 1e-1),
    "100 gwh": ("electricity", 10.0),
    "亿kwh": ("electricity", 10.0),
    "tce/10k cny": ("energy_intensity", 1.0),
    "tce/万元": ("energy_intensity", 1.0),
    "t co2/10k cny": ("co2_intensity", 1.0),
    "t co2/万元": ("co2_intensity", 1.0),
    "m3/10k cny": ("water_intensity", 1.0),
    "m3/万元": ("water_intensity", 1.0),
    "share": ("share", 1.0),
    "%": ("share", 0.01),
    "10k units": ("quantity", 1.0),
    "units": ("quantity", 1e-4),
}


def parse_unit(text: str) -> tuple[str, float] | None:
    """Return (dimension, model units per file unit) for a unit string, or None."""
    return UNIT_ALIASES.get(" ".join(text.strip().lower().split()))


def known_units(dimension: str) -> list[str]:
    """The unit strings accepted for a dimension, for error messages."""
    return [u for u, (d, _) in UNIT_ALIASES.items() if d == dimension]
