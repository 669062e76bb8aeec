"""Every word ioopt shows people, in English and Chinese, behind one lookup API.

Sections (each a table; a key lives in exactly one of them):

- :data:`REPORT`: the report's fixed words: titles, notes, table headers, verdicts;
- :data:`TEXT`: the terminal summary (``ioopt solve``) — English, the terminal has no
  ``--lang``;
- :data:`CLI`: the command line's own messages (English);
- :data:`SENTENCES`: the sentences of the analyses (ranking reasons, infeasibility
  explanations) — their place, see the section;
- :data:`FAMILY_NAMES`, :data:`CHAIN_NAMES`: names of constraint families and chains;
- :data:`STATUS`: solve statuses, keyed by :class:`~ioopt.solver.status.SolveStatus`;
- :data:`UNIT_SUFFIXES`, :data:`COLUMN_WORDS`: table column headers and their units.

Lookup::

    words.t("headline", "zh")              # '主要指标'
    words.t("sweep_note", "en", n=5, ok=4) # formatted
    words.family("land", "zh")             # '用地指标'
    words.unit("10k tce")                  # '万 tce'
    words.column("energy_10k_tce", "en")   # 'energy (万 tce)'
    words.status(SolveStatus.OPTIMAL, "zh")

Facts about families (sense, dimension, model unit, ...) are in :mod:`ioopt.schemas`;
only their words are here. Case names (sectors, parks, projects) come from the case
itself (``labels.csv``, :class:`ioopt.render.labels.Labels`).
"""

from __future__ import annotations

import re

from ioopt.families import FAMILIES
from ioopt.solver.status import SolveStatus
from ioopt.words.backcast import BACKCAST
from ioopt.words.sections import SECTIONS
from ioopt.words.sentences import SENTENCES
from ioopt.words.tables import CLI, REPORT, TEXT, Entry

LANGS = ("en", "zh")

# ------------------------------------------------------------------ names
FAMILY_NAMES: dict[str, tuple[str, str]] = {
    f: (spec.label_en, spec.label_zh) for f, spec in FAMILIES.items()}
"""Every constraint family's name, from its entry in the family catalogue."""

CHAIN_NAMES: dict[str, tuple[str, str]] = {
    "aluminium": ("aluminium", "铝产业链"),
    "nickel": ("nickel and stainless", "镍及不锈钢"),
    "corn": ("corn biotech", "玉米生物"),
    "medicine": ("pharmaceuticals", "医药"),
    "equipment": ("wind equipment", "风电装备"),
    "energy": ("energy", "能源"),
    "agrifood": ("agri-food", "农畜产品加工"),
    "silica": ("silica materials", "硅砂材料"),
    "other": ("other industry", "其他工业"),
}
"""The chains ioopt knows (a case's other chains are shown by their id)."""

STATUS: dict[SolveStatus, tuple[str, str]] = {
    SolveStatus.OPTIMAL: ("optimal", "最优"),
    SolveStatus.FEASIBLE: ("feasible", "可行（未证最优）"),
    SolveStatus.INFEASIBLE: ("infeasible", "不可行"),
    SolveStatus.UNBOUNDED: ("unbounded", "无界"),
    SolveStatus.TIME_LIMIT: ("time_limit", "超时无解"),
    SolveStatus.ERROR: ("error", "出错"),
}
"""What a solve ended with; the English words are the stored values."""

# ------------------------------------------------------------------ units
UNITS: dict[str, tuple[str, str]] = {
    "100m CNY": ("亿元", "亿元"),
}
"""Whole model units and how a planner writes them; other ``10k <unit>`` become
``万 <unit>`` (:func:`unit`)."""

WAN = "万"
"""10^4, the prefix of quantities in the model's units."""
YI = "亿"
"""10^8."""

UNIT_SUFFIXES: list[tuple[str, str, str]] = [
    ("_100m_cny", "亿元", "亿元"),
    ("_10k_tce", "万 tce", "万吨标准煤"),
    ("_10k_t", "万 t", "万吨"),
    ("_10k_m3", "万 m3", "万立方米"),
    ("_10k_mwh", "万 MWh", "万兆瓦时"),
    ("_cny_per_unit", "CNY/unit", "元/单位"),
    ("_10k", "万 units", "万单位"),
    ("_mu", "mu", "亩"),
    ("_pct", "%", "%"),
]
"""Column-name suffix -> the unit shown in headers (en, zh)."""

COLUMN_WORDS: dict[str, str] = {
    "project": "项目", "name": "名称", "name_zh": "中文名称", "sector": "行业", "chain": "产业链",
    "park": "园区", "status": "状态", "selected": "入选", "online_year": "投产年份",
    "capacity": "产能", "capex": "投资", "land": "用地", "year": "年份", "unit": "单位",
    "limit": "限额", "used": "使用量", "slack": "余量", "binding": "紧约束",
    "shadow_price": "影子价格", "shadow_price_unit": "影子价格单位", "production": "产量",
    "imports": "调入", "exports": "调出", "intermediate_use": "中间使用",
    "final_demand": "最终需求", "output_value": "产值", "value_added": "增加值",
    "gross_output": "总产值", "energy": "能耗", "co2": "二氧化碳", "water": "用水",
    "electricity": "用电", "jobs_last_year": "末年就业", "rank": "排名", "reason": "原因",
    "decisive_constraint": "决定性约束", "objective": "目标值", "scenario_id": "情景",
    "source": "来源", "target": "去向", "kind": "类别", "quantity": "数量",
    "description": "说明", "label": "标签", "n_selected": "入选数", "message": "信息",
    "marginal_value": "边际价值", "marginal_export_price": "边际外销价格",
    "marginal_import_price": "边际外购价格", "direction": "方向", "step": "档位",
    "volume": "档位数量", "price_cny": "价格（元/单位）", "full": "已满",
}
"""Chinese headers of result-table columns (English headers are the column names)."""


# ------------------------------------------------------------------ lookup


def num(v: object, sig: int = 4) -> str:
    """The one way a number is written for people: ``sig`` significant figures (at least the
    units), thousands separated, never in exponent form, no trailing zeros (10,550; 1,533;
    35.73; 0.2343); '-' when missing.
    """
    if v is None:
        return "-"
    x = float(v)  # type: ignore[arg-type]
    if x != x:
        return "-"
    if x in (float("inf"), float("-inf")):
        return "inf" if x > 0 else "-inf"
    a = abs(x)
    if a < 1e-9:
        return "0"
    decimals = 0 if a == 0 else max(sig - 1 - int(f"{a:e}".split("e")[1]), 0)
    out = f"{x:,.{decimals}f}"
    if "." in out:
        out = out.rstrip("0").rstrip(".")
    return "0" if out in ("-0", "") else out


def money(v: object, lang: str = "en") -> str:
    """An amount of money given in 亿元 (10^8 CNY), written in 亿元 from 0.1 亿元 up and in
    万元 below (0.0496 亿元 -> 496 万元): the unit chosen by magnitude, the number by
    :func:`num`.
    """
    x = float(v)  # type: ignore[arg-type]
    if x == x and abs(x) < 0.1:
        return f"{num(x * 1e4)} 万元"
    return f"{num(x)} {UNITS['100m CNY'][1 if lang == 'zh' else 0]}"


def _merge(*tables: dict[str, Entry]) -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    for table in tables:
        twice = set(out) & set(table)
        if twice:
            raise ValueError(f"words defined twice: {sorted(twice)}")
        out.update(table)
    return out


WORDS: dict[str, Entry] = _merge(REPORT, TEXT, CLI, SENTENCES, BACKCAST, SECTIONS)
"""Every keyed word and sentence, for :func:`t`."""


def check_lang(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGS`, else ValueError."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return lang


def _pick(entry: Entry, lang: str) -> str:
    if isinstance(entry, str):
        return entry
    return entry[1] if lang == "zh" else entry[0]


def t(key: str, lang: str = "en", /, **fmt: object) -> str:
    """A fixed word or sentence in ``lang``, formatted with ``fmt`` (KeyError if unknown;
    English-only entries read the same in Chinese).
    """
    text = _pick(WORDS[key], lang)
    return text.format(**fmt) if fmt else text


def family(name: object, lang: str = "en") -> str:
    """A quota or rule family's name (its code name when it has none)."""
    pair = FAMILY_NAMES.get(str(name))
    return str(name) if pair is None else _pick(pair, lang)


def chain(ident: object, lang: str = "en") -> str:
    """A chain's name (built-in words for the chains ioopt knows, else the id)."""
    pair = CHAIN_NAMES.get(str(ident))
    return str(ident) if pair is None else _pick(pair, lang)


def status(value: object, lang: str = "en") -> str:
    """A solve status (a :class:`SolveStatus` or its stored value) in words."""
    return _pick(STATUS[SolveStatus.parse(value)], lang)


def unit(model_unit: str, lang: str = "en") -> str:
    """A model unit as a planner writes it: '10k tce' -> '万 tce', '100m CNY' -> '亿元'
    (the same characters in both languages: Chinese planning units).
    """
    whole = UNITS.get(model_unit)
    if whole is not None:
        return _pick(whole, lang)
    return model_unit.replace("100m CNY", UNITS["100m CNY"][0]).replace("10k ", f"{WAN} ")


def column_unit(col: str, lang: str = "en") -> tuple[str, str]:
    """A column name without its unit suffix, and the unit's words ('' when none)."""
    for suffix, en, zh in UNIT_SUFFIXES:
        if col.endswith(suffix):
            return col[: -len(suffix)], zh if lang == "zh" else en
    return col, ""


def column(col: str, lang: str = "en") -> str:
    """A table column's header with its unit: ``energy_10k_tce`` -> 'energy (万 tce)'."""
    base, unit_words = column_unit(col, lang)
    m = re.fullmatch(r"(.*)_(\d{4})", base)
    year = ""
    if m:
        base, year = m.group(1), m.group(2)
    zh = COLUMN_WORDS.get(base) if lang == "zh" else None
    text = zh if zh else base.replace("_", " ")
    if year:
        text += f" {year}"
    return f"{text} ({unit_words})" if unit_words else text
