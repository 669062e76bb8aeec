"""The family catalogue: every constraint family of the model, one entry each.

An entry says what the family *is*: its sense (``<=``, ``>=`` or ``==``), its dimension
and unit, whether its limit is a ratio (intensity, share) or a total, how a change of
its limit moves the compiled matrix (a row bound, or the coefficients of the row's
denominator), where its limits live (quotas.csv, rules.csv, markets.csv, or none), its soft-mode
penalty and its label words in English and Chinese. The formulation writes each family
with one ``add_<family>`` function (:mod:`ioopt.formulation`, in catalogue order), and
each has one golden file (``tests/golden/<family>.lp``); ``tests/test_catalogue.py``
fails when a family lacks any of the three. No other module keeps facts about families.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class FamilySpec(BaseModel):
    """What a constraint family is: sense, dimension, ratio or total, how its limit moves
    the matrix, where its limits live, its words.
    """

    model_config = ConfigDict(frozen=True)
    sense: Literal["<=", ">=", "=="]
    dimension: str
    """A key of :data:`ioopt.units.DIMENSIONS` (its model and base units)."""
    table: Literal["quotas", "rules", "markets", "none"]
    ratio: bool = False
    """The limit is a ratio (per value added, a share of electricity use)."""
    moves: Literal["bound", "coefficient", "none"] = "bound"
    """How a limit change moves the compiled model: the row's bound (totals), the
    coefficients ``-limit * c`` of the row's denominator terms (ratios), or nothing (no
    limit of its own)."""
    needs_year: bool | None = None
    """True: year required; False: year must be blank; None: blank means every year."""
    needs_park: bool | None = None
    default_penalty: float = 0.0
    """Penalty for soft mode, CNY per base unit of the dimension (tce, m3, mu, ...)."""
    rows: bool = True
    """False for a switch that writes no rows of its own (``commitment``)."""
    switchable: bool = True
    """Can be switched off or made soft in case.yaml (structural rows cannot)."""
    totals_column: str | None = None
    """The column of the yearly totals table (``totals.csv``) a total's row caps."""
    label_en: str = ""
    label_zh: str = ""
    description: str = ""

    def label(self, lang: str = "en") -> str:
        """The family's plain name in ``lang`` ("en" or "zh")."""
        return self.label_zh if lang == "zh" else self.label_en


def _f(sense: Literal["<=", ">=", "=="], dimension: str,
       table: Literal["quotas", "rules", "markets", "none"],
       en: str, zh: str, description: str, **kw: object) -> FamilySpec:
    if table in ("none", "markets"):
        kw.setdefault("moves", "none")
    return FamilySpec(sense=sense, dimension=dimension, table=table, label_en=en, label_zh=zh,
                      description=description, **kw)  # type: ignore[arg-type]


FAMILIES: dict[str, FamilySpec] = {
    "build_once": _f("<=", "quantity", "none", "build once", "至多建设一次",
                     "a candidate comes online at most once", switchable=False),
    "production_max": _f("<=", "quantity", "none", "capacity", "产能上限",
                         "production <= capacity once online", switchable=False),
    "production_min": _f(">=", "quantity", "none", "minimum utilisation", "最低负荷",
                         "production >= minimum utilisation x capacity once online",
                         switchable=False),
    "chain_balance": _f("==", "quantity", "none", "supply-chain balance", "产业链平衡",
                        "local production + imports = intermediate use + exports + final demand"),
    "export_market": _f("==", "quantity", "markets", "export market", "外销市场",
                        "exports = the sum of their price steps (markets.csv): per-year "
                        "limits, lower prices beyond a threshold"),
    "import_market": _f("==", "quantity", "markets", "import market", "外购市场",
                        "imports = the sum of their price steps (markets.csv): per-year "
                        "limits, higher prices beyond a threshold"),
    "energy_total": _f("<=", "energy", "quotas", "energy quota", "能耗总量",
                       "counted energy use (tce) <= the year's energy quota",
                       needs_park=False, default_penalty=1e5, totals_column="energy_10k_tce"),
    "energy_intensity": _f("<=", "energy_intensity", "quotas", "energy intensity", "能耗强度",
                           "counted energy <= limit (tce per 10k CNY) x value added",
                           ratio=True, moves="coefficient", needs_park=False,
                           default_penalty=1e5),
    "carbon_total": _f("<=", "co2", "quotas", "CO2 total", "碳排放总量",
                       "CO2 (process + fuel + net imported electricity) <= the year's allowance",
                       needs_park=False, default_penalty=1e5, totals_column="co2_10k_t"),
    "carbon_intensity": _f("<=", "co2_intensity", "quotas", "CO2 intensity", "碳排放强度",
                           "CO2 <= limit (t per 10k CNY) x value added",
                           ratio=True, moves="coefficient", needs_park=False,
                           default_penalty=1e5),
    "green_supply": _f("<=", "electricity", "none", "renewable supply", "绿电供给",
                       "renewable electricity contracted to a park <= the park's electricity "
                       "use (pooled accounting: green power of parks <= local renewable "
                       "generation)", switchable=False),
    "green_share": _f(">=", "share", "quotas", "green-power share", "绿电占比",
                      "renewable electricity to a park >= share x the park's electricity use",
                      ratio=True, moves="coefficient", needs_park=True, default_penalty=1e5),
    "green_power": _f(">=", "electricity", "quotas", "green power", "绿电消纳量",
                      "renewable electricity a park counts (contracted to it) >= the year's "
                      "target (万 MWh)", needs_park=True, default_penalty=100.0),
    "water_total": _f("<=", "water", "quotas", "water quota", "用水总量",
                      "industrial water use <= the year's water quota",
                      needs_park=False, default_penalty=1e4, totals_column="water_10k_m3"),
    "water_intensity": _f("<=", "water_intensity", "quotas", "water intensity", "用水强度",
                          "water use <= limit (m3 per 10k CNY) x value added",
                          ratio=True, moves="coefficient", needs_park=False,
                          default_penalty=1e4),
    "land": _f("<=", "land", "quotas", "land quota", "用地指标",
               "land taken by new projects in a park <= the park's land quota (mu)",
               needs_year=False, needs_park=True, default_penalty=1e8),
    "capital_total": _f("<=", "money", "quotas", "investment budget", "投资总额",
                        "investment of new projects over the horizon <= the budget",
                        needs_year=False, needs_park=False, default_penalty=10.0),
    "capital_year": _f("<=", "money", "quotas", "yearly investment", "年度投资",
                       "investment spent in a year <= that year's budget",
                       needs_year=True, needs_park=False, default_penalty=10.0),
    "sector_capacity_cap": _f("<=", "quantity", "rules", "capacity cap", "产能上限",
                              "capacity online in a sector or chain <= limit",
                              default_penalty=1e6),
    "sector_capacity_floor": _f(">=", "quantity", "rules", "capacity target", "产能目标",
                                "capacity online in a sector or chain >= limit",
                                default_penalty=1e6),
    "sector_output_cap": _f("<=", "quantity", "rules", "output cap", "产量上限",
                            "production of a sector or chain <= limit", default_penalty=1e6),
    "sector_output_floor": _f(">=", "quantity", "rules", "output target", "产量目标",
                              "production of a sector or chain >= limit", default_penalty=1e6),
    "sector_value_floor": _f(">=", "money", "rules", "output value target", "产值目标",
                             "gross output value of a sector or chain >= limit (a plan target)",
                             default_penalty=10.0),
    "dependency": _f("<=", "quantity", "none", "dependency", "项目依赖",
                     "a project may be online only when the project it requires is"),
    "exclusive_group": _f("<=", "quantity", "none", "exclusive group", "互斥项目组",
                          "at most one project of an exclusive group is built"),
    "force_in": _f("==", "quantity", "none", "forced in", "强制建设",
                   "a candidate the case forces in is built (in its force_year if given)",
                   switchable=False),
    "commitment": _f("<=", "quantity", "none", "commitment", "已承诺项目",
                     "committed projects come online in their committed year", rows=False),
}
"""Every constraint family, by its code name, in the order the model writes them."""

QUOTA_FAMILIES = [f for f, s in FAMILIES.items() if s.table == "quotas"]
RULE_FAMILIES = [f for f, s in FAMILIES.items() if s.table == "rules"]
TOTAL_QUOTAS = [f for f in QUOTA_FAMILIES if not FAMILIES[f].ratio]
"""Quota families whose limit is an amount (tce, m3, mu, 亿元): limits add up over rows."""
ROW_FAMILIES = [f for f, s in FAMILIES.items() if s.rows]
SWITCHABLE = {f: s for f, s in FAMILIES.items() if s.switchable}
"""The families case.yaml's ``families`` section may switch (the others are structural)."""
"""Families that write rows (each has an ``add_<family>`` and a golden file)."""
