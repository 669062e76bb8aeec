"""The words of the backcast (``ioopt backcast``, the solve summary's block, the report's
section): key -> (English, Chinese). Read through :mod:`ioopt.words`.
"""

from __future__ import annotations

from ioopt.words.tables import Entry

BACKCAST: dict[str, Entry] = {
    "backcast.heading": (
        "backcast of case '{case}': existing plants and committed projects only, each online "
        "in its stated year (left out: {n_cand} candidate(s), {n_later} commitment(s) online later), "
        "years {years}; the model decides production, imports and exports under the case's "
        "quotas",
        "案例 '{case}' 回测：仅含现有及已定项目，按实际投产年份上线（剔除 {n_cand} 个候选项目、"
        "{n_later} 个此后投产的已定项目），年份 {years}；产量、调入调出由模型在配额约束下决定"),
    "backcast.base_only": ("base year only", "仅基准年"),
    "backcast.infeasible": (
        "the backcast run has no solution ({status}): the case cannot reproduce its own "
        "history with the decisions actually taken; what would make it feasible:",
        "回测无解（{status}）：按实际决策无法重现历史；使其可行所需的放宽："),
    "backcast.iis": ("conflicting constraints: {names}", "冲突约束：{names}"),
    "backcast.units_note": (
        "model: money at {base} prices (亿元), energy 万 tce (counted as the model counts), "
        "CO2 万 t, water 万 m3, production in 万 of the sector's unit; error = model / "
        "history - 1",
        "模型：货币按 {base} 年价格（亿元），能耗万吨标准煤（按模型口径），二氧化碳万吨，用水万立方米，"
        "产量为万单位；误差 = 模型 / 历史 - 1"),
    "backcast.nominal_note": (
        "history at current prices: divided by its deflator where one is given (a/b), "
        "else compared as it is (nominal): the error then includes price changes",
        "历史数据为现价：有平减指数的已除以平减指数（a/b），无则按名义值比较，误差含价格变化"),
    "backcast.col.indicator": ("indicator", "指标"),
    "backcast.col.scope": ("scope", "范围"),
    "backcast.col.year": ("year", "年份"),
    "backcast.col.model": ("model", "模型"),
    "backcast.col.history": ("history", "历史"),
    "backcast.col.error_pct": ("error", "误差"),
    "backcast.col.basis": ("basis", "依据"),
    "backcast.col.source": ("source", "来源"),
    "backcast.col.unit": ("unit", "单位"),
    "backcast.col.prices": ("prices", "价格口径"),
    "backcast.col.history_compared": ("history compared", "对照历史值"),
    # the solve summary and the report
    "backcast.summary_title": (
        "against history (backcast: existing and committed projects only; money at {base} "
        "prices), largest errors:",
        "与历史对照（回测：仅现有及已定项目；货币按 {base} 年价格），误差最大的指标："),
    "backcast.summary_line": ("  {indicator} {scope} {year}: model {model} vs history {history} {unit}: "
                              "{error} [{basis}]"),
    "backcast.summary_more": "  ({n} rows in backcast.csv; `ioopt backcast` prints them all)",
    "backcast.section": ("Against history (backcast)", "与历史对照（回测）"),
    "backcast.section_note": (
        "The case run with the decisions actually taken: existing plants and committed "
        "projects only, each online in its stated year; the model decides production, "
        "imports and exports. Money at base-year prices; history at current prices is "
        "divided by its deflator where given. Error = model / history - 1.",
        "按实际决策运行案例：仅现有及已定项目，按实际年份投产；产量与调入调出由模型决定。货币按基准年价格，"
        "现价历史数据已按平减指数折算（如有）。误差 = 模型 / 历史 - 1。"),
    "backcast.chart": ("Model error against history, by indicator and year",
                       "模型相对历史的误差（分指标、年份）"),
    "backcast.error_axis": ("error, % of history", "误差（占历史 %）"),
}
