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
- :data:`UNITS`, :data:`UNIT_SUFFIXES` (:mod:`.units`), :data:`COLUMN_WORDS`: the unit
  vocabulary, table column headers and their units.

Lookup::

    words.t("headline", "zh")              # '主要指标'
    words.t("sweep_note", "en", n=5, ok=4) # formatted
    words.family("land", "zh")             # '用地指标'
    words.unit("10k tce")                  # '万 tce'
    words.unit("10k tce", "zh")            # '万吨标准煤'
    words.column("energy_10k_tce", "en")   # 'energy (万 tce)'
    words.status(SolveStatus.OPTIMAL, "zh")

Facts about families (sense, dimension, model unit, ...) are in :mod:`ioopt.schemas`;
only their words are here. Case names (sectors, parks, projects) come from the case
itself (``labels.csv``, :class:`ioopt.render.labels.Labels`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence

from ioopt.families import FAMILIES
from ioopt.solver.status import SolveStatus
from ioopt.words.backcast import BACKCAST
from ioopt.words.columns import COLUMN_WORDS, VALUE_WORDS
from ioopt.words.run import NOTE_KEYS, RUN
from ioopt.words.sections import SECTIONS
from ioopt.words.sentences import SENTENCES
from ioopt.words.serve import SERVE
from ioopt.words.tables import CLI, REPORT, TEXT, Entry
from ioopt.words.units import UNIT_SUFFIXES, UNITS, WAN, YI, mark, unit

__all__ = ["CHAIN_NAMES", "COLUMN_WORDS", "FAMILY_NAMES", "LANGS", "STATUS", "UNITS",
           "UNIT_SUFFIXES", "VALUE_WORDS", "WAN", "WORDS", "YI", "chain", "check_lang",
           "column", "column_unit", "family", "gap", "mark", "money", "note", "num",
           "objective_name", "pct", "problems_text", "scenario_change", "status", "t", "unit", "value",
           "verdict_text"]

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
# the vocabulary is :mod:`ioopt.words.units` (UNITS, UNIT_SUFFIXES, unit, mark)



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


WORDS: dict[str, Entry] = _merge(REPORT, TEXT, CLI, SENTENCES, BACKCAST, RUN, SERVE, SECTIONS)
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


def problems_text(problems: Sequence[object], lang: str = "en") -> str:
    """Every problem of a bad input (an InputError's ``problems``), one a line under their
    count: what the CLI prints, and what the page and its tasks show.
    """
    n = len(problems)
    return "\n".join([t("cli.input_problems", lang, n=n, s="s" if n != 1 else ""),
                      *(f"  {p}" for p in problems)])


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


def column_unit(col: str, lang: str = "en") -> tuple[str, str]:
    """A column name without its unit suffix, and the unit's words ('' when none)."""
    for suffix, model_unit in UNIT_SUFFIXES:
        if col.endswith(suffix):
            return col[: -len(suffix)], unit(model_unit, lang)
    return col, ""


def column(col: str, lang: str = "en") -> str:
    """A table column's header with its unit: ``energy_10k_tce`` -> 'energy (万 tce)'."""
    m = re.fullmatch(r"(.*)_(\d{4})", col)
    year = ""
    if m:
        col, year = m.group(1), m.group(2)
    base, unit_words = column_unit(col, lang)
    zh = COLUMN_WORDS.get(base) if lang == "zh" else None
    text = zh if zh else base.replace("_", " ")
    if year:
        text += f" {year}"
    return f"{text} ({unit_words})" if unit_words else text


def pct(v: object, lang: str = "en") -> str:
    """A share as a percentage through :func:`num`: 0.08 -> '8%', 0.0125 -> '1.25%'."""
    if v is None or v != v:
        return "-"
    return f"{num(float(v) * 100)}%"  # type: ignore[arg-type]


def gap(v: object, lang: str = "en") -> str:
    """A relative MIP gap as a percentage ('0%' when proven optimal, '-' when missing)."""
    if v is None or v != v:
        return "-"
    return pct(v, lang)


def objective_name(measure: str, lang: str = "en", *, import_cost: bool = False,
                   annuity_rate: float | None = None, years: tuple[int, int] | None = None,
                   discount_rate: float = 0.0, relaxed: bool = False) -> str:
    """What the objective adds up, in words: 'gross industrial output minus import costs
    ..., 2021-2025'.
    """
    name = t(f"objective.{measure}", lang)
    if import_cost and measure != "jobs":
        name += t("objective.import_cost", lang)
    if annuity_rate is not None and measure != "jobs":
        key = "objective.annuity" if import_cost else "objective.annuity_minus"
        name += t(key, lang, rate=pct(annuity_rate, lang))
    if years is not None:
        name += t("objective.years", lang, first=years[0], last=years[1])
    if discount_rate:
        name += t("objective.discounted", lang, rate=pct(discount_rate, lang))
    if relaxed:
        name += t("objective.relaxed", lang)
    return name


def note(text: object, lang: str = "en") -> str:
    """A stored price note (its English text) in ``lang``; other text unchanged."""
    s = "" if text is None or text != text else str(text)
    for key in NOTE_KEYS:
        if s == _pick(WORDS[key], "en"):
            return t(key, lang)
    return s


def _flat(d: object, prefix: str = "") -> list[tuple[str, object]]:
    if isinstance(d, dict):
        out: list[tuple[str, object]] = []
        for k, v in d.items():
            out += _flat(v, f"{prefix}{k}.")
        return out
    return [(prefix.rstrip("."), d)]


def _value(v: object, lang: str) -> str:
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return num(v, 6)
    return value(v, lang)


def _fields(d: dict[str, object], lang: str) -> str:
    sep = "，" if lang == "zh" else ", "
    return sep.join(t("change.set_to", lang, field=COLUMN_WORDS.get(k, k) if lang == "zh" else k,
                      value=_value(v, lang)) for k, v in _flat(d))


_QUOTAS = re.compile(r"quotas: (\{.*\}) \((\d+) rows\)")
_ROW = re.compile(r"(\w+): (added )?(\{.*\})")
_SAMPLE = re.compile(r"sample (\d+) of seed (-?\d+)")
_BACKCAST = re.compile(r"backcast to (\d+): candidates removed")


def scenario_change(text: object, lang: str = "en") -> str:
    """One of a case's applied changes (``Case.applied``, summary.json
    ``scenario_changes``) as a sentence in ``lang``, not a dict: 'energy quota 2025:
    limit scaled by 0.8 (1 rows)'. Text of no known form is returned as it is.
    """
    s = str(text)
    try:
        if s.startswith("case settings: "):
            return t("change.case", lang, what=_fields(ast.literal_eval(s[15:]), lang))
        if s == "solver.relax_integers: true":
            return t("change.relaxed", lang)
        m = _SAMPLE.fullmatch(s)
        if m:
            return t("change.sample", lang, index=m.group(1), seed=m.group(2))
        m = _BACKCAST.fullmatch(s)
        if m:
            return t("change.backcast", lang, last=m.group(1))
        m = _QUOTAS.fullmatch(s)
        if m:
            q = ast.literal_eval(m.group(1))
            where = (t("change.year", lang, year=q["year"]) if "year" in q else "") + (
                t("change.park", lang, park=q["park"]) if "park" in q else "")
            parts = [t(f"change.{k}", lang, v=t(f"mode.{q[k]}", lang) if k == "mode"
                       else _value(q[k], lang))
                     for k in ("scale", "set", "mode", "penalty") if k in q]
            sep = "，" if lang == "zh" else ", "
            return t("change.quotas", lang, family=family(q["family"], lang), where=where,
                     what=sep.join(parts), n=m.group(2))
        m = _ROW.fullmatch(s)
        if m:
            row = ast.literal_eval(m.group(3))
            file = f"{m.group(1)}.csv"
            if m.group(2):
                return t("change.added", lang, file=file, what=_fields(row, lang))
            from ioopt.schemas import TABLES  # the table's key fields

            spec = TABLES.get(m.group(1))
            key = [str(row.pop(k)) for k in (spec.key if spec else ()) if k in row]
            return t("change.row", lang, file=file, key="/".join(key), what=_fields(row, lang))
    except (ValueError, SyntaxError, KeyError, TypeError):
        pass
    return s


def value(code: object, lang: str = "en") -> str:
    """A code value of a result table (project status, row kind, mode, basis) in words;
    a solve status through :func:`status`; anything else as it is.
    """
    s = "" if code is None else str(code)
    pair = VALUE_WORDS.get(s)
    if pair is not None:
        return _pick(pair, lang)
    if s in {st.value for st in SolveStatus}:
        return status(s, lang)
    return s


_VERDICTS = ("verdict.within", "verdict.met", "verdict.above", "verdict.short", "verdict.off")


def verdict_text(text: object, lang: str = "en") -> str:
    """Stored verdicts ('within the limit; above the limit by 4.4', English, as the curve
    and quotas tables keep them) in ``lang``; text of no known form as it is.
    """
    if text is None or text != text:  # NaN
        return ""
    out = []
    for part in str(text).split("; "):
        for key in _VERDICTS:
            en = _pick(WORDS[key], "en")
            m = re.fullmatch(re.escape(en).replace(re.escape("{gap}"), "(.+)"), part)
            if m:
                out.append(t(key, lang, gap=m.group(1)) if m.groups() else t(key, lang))
                break
        else:
            out.append(part)
    return ("；" if lang == "zh" else "; ").join(out)
