"""The one unit vocabulary: every model unit (``10k tce``, ``CNY/t CO2``, ``share``) as a
planner writes it, in English and in Chinese, for the console, CSV notes, reports and the
workbook alike. Read through :func:`ioopt.words.unit`.

English keeps the physical symbols and writes 10^4 as 万 (``万 tce``), Chinese writes the
whole unit in words (``万吨标准煤``); money is 亿元/万元/元 in both.
"""

from __future__ import annotations

WAN = "万"
"""10^4, the prefix of quantities in the model's units."""
YI = "亿"
"""10^8."""

BASE: dict[str, tuple[str, str]] = {
    "CNY": ("CNY", "元"),
    "t": ("t", "吨"),
    "tce": ("tce", "吨标准煤"),
    "t CO2": ("t CO2", "吨二氧化碳"),
    "MWh": ("MWh", "兆瓦时"),
    "kWh": ("kWh", "千瓦时"),
    "m3": ("m3", "立方米"),
    "mu": ("mu", "亩"),
    "set": ("set", "套"),
    "vial": ("vial", "支"),
    "unit": ("unit", "单位"),
    "units": ("units", "单位"),
    "jobs": ("jobs", "人"),
    "share": ("share", "比例"),
    "MW": ("MW", "兆瓦"),
}
"""The base units (one of a thing) in each language."""

UNITS: dict[str, tuple[str, str]] = {
    "100m CNY": ("亿元", "亿元"),
    "10k CNY": ("万元", "万元"),
    "CNY": ("CNY", "元"),
    "share": ("share", "比例"),
    "%": ("%", "%"),
}
"""Whole units written as planners write them, whatever the language; the others are
composed from :data:`BASE` (``10k <base>``, ``<a>/<b>``)."""


def _part(text: str, zh: bool) -> str:
    text = text.strip()
    whole = UNITS.get(text)
    if whole is not None:
        return whole[1 if zh else 0]
    if text.startswith("10k "):
        rest = _part(text[4:], zh)
        return f"{WAN}{rest}" if zh else f"{WAN} {rest}"
    if text.startswith("100m "):
        rest = _part(text[5:], zh)
        return f"{YI}{rest}" if zh else f"{YI} {rest}"
    pair = BASE.get(text)
    if pair is None:
        return text
    return pair[1] if zh else pair[0]


def unit(model_unit: object, lang: str = "en") -> str:
    """A model unit as a planner writes it: '10k tce' -> '万 tce' (en) / '万吨标准煤' (zh),
    'CNY/t CO2' -> '元/吨二氧化碳' (zh), '100m CNY' -> '亿元'.
    """
    text = "" if model_unit is None else str(model_unit)
    if not text or text == "nan":
        return ""
    zh = lang == "zh"
    if text in UNITS:
        return UNITS[text][1 if zh else 0]
    return "/".join(_part(p, zh) for p in text.split("/"))


UNIT_SUFFIXES: list[tuple[str, str]] = [
    ("_100m_cny", "100m CNY"),
    ("_10k_tce", "10k tce"),
    ("_10k_t", "10k t"),
    ("_10k_m3", "10k m3"),
    ("_10k_mwh", "10k MWh"),
    ("_cny_per_unit", "CNY/unit"),
    ("_10k", "10k units"),
    ("_mu", "mu"),
    ("_pct", "%"),
]
"""Column-name suffix -> the model unit of the column (shown through :func:`unit`)."""

MARKS = "¹²³⁴⁵⁶⁷⁸⁹"


def mark(i: int) -> str:
    """The footnote mark of note ``i`` (1-based): ¹, ², ... (then [10], [11], ...)."""
    return MARKS[i - 1] if 1 <= i <= len(MARKS) else f"[{i}]"
