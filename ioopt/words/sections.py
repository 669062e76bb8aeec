"""The words of the report's newer sections (rejected candidates, what changed against the
base, base -> scenario comparisons, the input-output report) and of the chart notes:
key -> (English, Chinese). Read through :mod:`ioopt.words`.
"""

from __future__ import annotations

from ioopt.words.tables import Entry

SECTIONS: dict[str, Entry] = {
    # the solve's notes (terminal) and the report's sections
    "sec.case_path": ("case folder: {path}", "案例目录：{path}"),
    "sec.rejected_title": ("rejected candidates, why ({n}; LP estimates: forcing one in costs at "
                           "most the amount given)",
                           "未入选候选项目及原因（{n} 个；线性规划估计：强制纳入的代价不超过所示数额）"),
    "sec.more_in": ("  ... {n} more in {file}", "  …… 另有 {n} 项见 {file}"),
    "sec.against_title": ("against the base: {base} -> {scenario}", "与基准对比：{base} → {scenario}"),
    "sec.input": ("input changed", "输入变化"),
    "sec.same_portfolio": ("the same projects selected as in the base",
                           "入选项目与基准相同"),
    "sec.enters": ("enters", "新入选"),
    "sec.leaves": ("leaves", "退出"),
    "sec.scenario_about": ("Scenario name and purpose", "情景名称与说明"),
    "sec.rejected_section": ("Rejected candidates: why each is out", "未入选候选项目：原因"),
    "sec.rejected_note": ("From LP estimates with every other build decision held: forcing a "
                          "project in costs at most the amount shown. `ioopt rank` re-solves "
                          "each for exact values.",
                          "基于线性规划估计（其余建设决策保持不变）：强制纳入的代价不超过所示数额。"
                          "`ioopt rank` 逐一重解可得精确值。"),
    "sec.against_section": ("What changed against the base", "与基准相比的变化"),
    "sec.against_note": ("{scenario} against {base}, both solved by this run (the base is kept "
                         "in the folder's base/).",
                         "{scenario} 与 {base} 对比，二者均由本次运行求解（基准结果保存在 base/ 目录）。"),
    "sec.inputs": ("Inputs the scenario changed", "情景改变的输入"),
    "sec.indicators_moved": ("Objective and last-year totals", "目标值与末年总量"),
    "sec.projects_moved": ("Projects in or out", "进出项目"),
    "sec.prices_moved": ("Quotas whose binding or shadow price moved", "紧约束或影子价格变化的配额"),
    "sec.col.indicator": ("indicator", "指标"),
    "sec.col.base": ("base", "基准"),
    "sec.col.scenario": ("scenario", "情景"),
    "sec.col.change": ("change", "变化"),
    "sec.col.change_pct": ("change (%)", "变化（%）"),
    "sec.col.base_binding": ("binding in the base", "基准中为紧约束"),
    "sec.col.scenario_binding": ("binding in the scenario", "情景中为紧约束"),
    "sec.col.base_price": ("base price", "基准影子价格"),
    "sec.col.scenario_price": ("scenario price", "情景影子价格"),
    "sec.col.force_in_cost_estimate": ("force-in cost, at most (亿元)", "强制纳入代价上限（亿元）"),
    # ioopt report on an ioopt compare folder
    "sec.compare_report": ("Comparison", "情景对比"),
    "sec.compare_runs": ("Runs compared", "对比的运行"),
    "sec.compare_changes": ("{scenario} against {base}", "{scenario} 与 {base} 对比"),
    "sec.compare_changes_chart": ("Change against the base (%)", "相对基准的变化（%）"),
    "sec.compare_selection": ("Projects selected across the scenarios", "各情景的项目入选情况"),
    "sec.compare_indicators": ("Indicators across the scenarios", "各情景的指标"),
    "sec.compare_quotas": ("Quotas that bind, by scenario", "各情景的紧约束配额"),
    "sec.compare_sectors": ("Sectors whose last-year output moves", "末年产出变化的行业"),
    # ioopt report on an ioopt io folder
    "sec.io_report": ("Input-output view", "投入产出分析"),
    "sec.io_year": ("coefficients of {year}", "{year} 年系数"),
    "sec.multipliers": ("Output and value-added multipliers", "产出乘数与增加值乘数"),
    "sec.multipliers_note": ("Regional output (and value added) per CNY of final demand for the "
                             "sector, at the case's prices, direct and through local suppliers.",
                             "每元最终需求带动的本地产出（及增加值），按案例价格计，含直接与本地上游。"),
    "sec.output_multiplier": ("output multiplier", "产出乘数"),
    "sec.va_multiplier": ("value-added multiplier", "增加值乘数"),
    "sec.linkages": ("Backward and forward linkages", "后向与前向关联"),
    "sec.linkages_note": ("Rasmussen indices: above 1 on both axes is a key sector (in red).",
                          "Rasmussen 指数：两轴均大于 1 为关键行业（红色）。"),
    "sec.backward": ("backward linkage", "后向关联"),
    "sec.forward": ("forward linkage", "前向关联"),
    "sec.key_sector": ("key sector", "关键行业"),
    "sec.other_sector": ("other sector", "其他行业"),
    "sec.embodied": ("Embodied energy per 万元 of output", "每万元产出的完全能耗"),
    "sec.embodied_note": ("tce per 万元 of output: the sector's own use and its local suppliers' "
                          "(upstream); the sectors with the most, the rest in the table.",
                          "每万元产出的吨标准煤：本行业直接能耗与本地上游能耗；图中为最高者，其余见表。"),
    "sec.direct": ("direct", "直接"),
    "sec.upstream": ("upstream", "上游"),
    "sec.io_sectors_table": ("Sectors", "行业"),
    "sec.io_projects_table": ("Projects' embodied resources", "项目完全资源消耗"),
    # charts
    "sec.not_binding": ("not binding", "未触及"),
    "sec.not_shown": ("The chart shows the first ones; {n} more of the {total} ranked projects "
                      "are in the table below (and ranking.csv).",
                      "图中仅列前若干项；其余 {n} 个（共 {total} 个）见下表及 ranking.csv。"),
    "sec.heat_not_shown": ("{n} more projects whose selection changes are in the workbook's "
                           "Selection sheet.",
                           "另有 {n} 个入选情况变化的项目见工作簿“入选”表。"),
    "sec.same_line": ("{names} (same values)", "{names}（数值相同）"),
}
"""Keys start with ``sec.``."""
