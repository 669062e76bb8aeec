"""The analyses' sentences: the ranking's reasons and verdicts and the infeasibility
explanation, key -> (English, Chinese), with ``str.format`` fields. Read through
:func:`ioopt.words.t` (``words.t("rank.selected", lang, ...)``).
"""

from __future__ import annotations

from ioopt.words.tables import Entry

SENTENCES: dict[str, Entry] = {
    # money and small words
    "rank.a_year": (" a year", "/年"),
    "rank.worth": ("worth {money} at {price} {unit}", "价值 {money}（影子价格 {price} {unit}）"),
    "rank.input_phrase": ("{use} {unit}{a_year} of {what} ({span}), {worth}",
                          "{what}{use} {unit}{a_year}（{span}），{worth}"),
    "rank.quota_phrase": ("{use} {unit}{a_year} of the {span}{place}, {worth}",
                          "{span}{place}{use} {unit}{a_year}，{worth}"),
    "rank.uses": ("; it uses {phrase}", "；占用{phrase}"),
    "rank.takes_out": ("; leaving it out also takes out {names}, committed, which cannot run "
                       "without it", "；去掉它也须去掉依赖它的已承诺项目{names}"),
    # verdicts of selected and committed projects
    "rank.selected": ("selected: without it the optimum falls by {about}{money}{uses}",
                      "入选：去掉它目标值下降{about}{money}{uses}"),
    "rank.commitment_costs": ("the commitment costs the region {about}{money}",
                              "该承诺使全市损失{about}{money}"),
    "rank.chosen_anyway": ("it would be chosen anyway (without it the optimum falls by "
                           "{about}{money})", "不承诺也会入选（去掉它目标值下降{about}{money}）"),
    "rank.committed": ("committed: {verdict}{uses}", "已承诺：{verdict}{uses}"),
    # the value in parts that add up (亿元): at the optimum's prices, then the rest
    "rank.parts": ("; in parts (亿元): output {output}, less inputs {inputs}, capital charge "
                   "{capital} and quotas and limits {limits} at their prices = {net}; the rest "
                   "of the portfolio re-arranged: {rest}; together {total}",
                   "；分解（亿元）：产值 {output}，减去投入 {inputs}、资本费用 {capital}、按影子价格计"
                   "的配额与限制 {limits}，合计 {net}；其余项目调整 {rest}；总计 {total}"),
    # decisions the case (or a scenario) takes itself: not ranked
    "rank.forced_in": ("forced in by the case (online {year}): not ranked; the value of the "
                       "decision is the objective with and without the force",
                       "方案强制建设（{year}年投产）：不参与排序；该决定的价值为强制与不强制时目标值之差"),
    "rank.forced_out": ("forced out by the case: never built or run; not ranked",
                        "方案强制排除：不建设、不生产；不参与排序"),
    # verdicts of rejected candidates
    "rank.requires": ("rejected: requires {req}, which is not selected",
                      "落选：所依赖的项目 {req} 未入选"),
    "rank.exclusive": ("rejected: {other} is selected in its exclusive group '{group}'",
                       "落选：互斥组“{group}”中已选 {other}"),
    "rank.never_fits": ("rejected: can never fit: needs {use} {unit} of the {row}, and existing "
                        "and committed plants leave only {room} {unit} of its {limit}",
                        "落选：无法容纳：需要{row} {use} {unit}，现有和已承诺项目占用后仅剩 "
                        "{room} {unit}（限额 {limit}）"),
    "rank.does_not_fit": ("rejected: does not fit: needs {use} {unit} of the {row}, only {left} "
                          "{unit} left{cost}", "落选：容纳不下：需要{row} {use} {unit}，仅剩 "
                          "{left} {unit}{cost}"),
    "rank.forcing_costs": ("; forcing it in costs {about}{money}", "；强制纳入的代价为{about}{money}"),
    "rank.cannot_add": ("; it cannot be added to this portfolio without dropping another project",
                        "；不替换其他项目就无法纳入当前组合"),
    "rank.cannot_add_alone": ("rejected: it cannot be added to this portfolio without dropping "
                              "another project", "落选：不替换其他项目就无法纳入当前组合"),
    "rank.needs_more": ("rejected: needs {phrase}, more than the {rest} its output is worth net "
                        "of its other inputs and quotas{cost}",
                        "落选：需要{phrase}，超过其产出扣除其他投入和配额后的价值 {rest}{cost}"),
    "rank.costs_more": ("rejected: its inputs and quotas cost {total} at these prices, more than "
                        "the {gross} its output is worth (largest: {phrase}){cost}",
                        "落选：按这些影子价格，其投入和配额成本 {total}，高于其产出价值 {gross}"
                        "（最大一项：{phrase}）{cost}"),
    "rank.does_not_pay": ("rejected: it does not pay: its output is worth {output} 亿元 and its "
                          "inputs and capital charge {costs} 亿元{cost}",
                          "未入选：不划算：其产值 {output} 亿元，投入与资本费用 {costs} 亿元{cost}"),
    "rank.room_better": ("rejected: it pays at today's prices, but the portfolio uses the room "
                         "better{cost}", "落选：按当前价格有收益，但现有组合对资源的利用更优{cost}"),
    # LP estimates (--quick): bounds, never verdicts
    "rank.at_most": ("at most ", "至多"),
    "rank.committed_quick": ("committed: without it the optimum falls by at most {money}{uses}",
                             "已承诺：去掉它目标值至多下降{money}{uses}"),
    "rank.short_quick": ("rejected: needs {use} {unit} of the {row}, only {left} {unit} left in "
                         "this portfolio{cost}", "落选：需要{row} {use} {unit}，当前组合仅剩 "
                         "{left} {unit}{cost}"),
    "rank.held_quick": ("; it cannot be added with every other build decision held",
                        "；其他建设决策不变时无法纳入"),
    "rank.held_alone_quick": ("rejected: it cannot be added with every other build decision held "
                              "(rank without --quick to re-solve)",
                              "落选：其他建设决策不变时无法纳入（去掉 --quick 重新求解）"),
    # ties: values within the MIP gap
    "rank.tie_selected": ("selected, but within the MIP gap{of}: the choice is not decided by the "
                          "data (without it the optimum falls by {money}, within the gap's {tol})",
                          "入选，但差距在 MIP 间隙以内{of}：取舍并非由数据决定（去掉它目标值下降"
                          "{money}，在间隙 {tol} 以内）"),
    "rank.tie_rejected": ("rejected, but within the MIP gap{of}: the choice is not decided by the "
                          "data (forcing it in costs {money}, within the gap's {tol})",
                          "落选，但差距在 MIP 间隙以内{of}：取舍并非由数据决定（强制纳入代价"
                          "{money}，在间隙 {tol} 以内）"),
    "rank.tie_of": (" of {others}", "（相对 {others}）"),
    # re-solves that stopped before a verdict
    "rank.head_selected": ("selected: ", "入选："),
    "rank.head_rejected": ("rejected: ", "落选："),
    "rank.falls_by": ("without it the optimum falls by", "去掉它目标值下降"),
    "rank.forcing": ("forcing it in costs", "强制纳入的代价"),
    "rank.failed": ("the re-solve failed; its value is unknown", "重新求解失败，数值未知"),
    "rank.no_solution": ("the re-solve stopped at its time limit without a solution{known}: "
                         "not decided", "重新求解达到时间上限仍无解{known}：未能判定"),
    "rank.at_least": ("; {what} at least {money}", "；{what}至少 {money}"),
    "rank.stopped": ("the re-solve stopped at its time limit{gap}: {what} {low}at most {high}",
                     "重新求解达到时间上限{gap}：{what}{low}至多 {high}"),
    "rank.gap": (", gap {gap:.2%}", "（间隙 {gap:.2%}）"),
    "rank.low": ("at least {money} and ", "至少 {money}、"),
    # verdicts of a row's use against its limit, in the family's sense
    "verdict.within": ("within the limit", "未超过限值"),
    "verdict.above": ("above the limit by {gap}", "超出限值 {gap}"),
    "verdict.met": ("met", "达成"),
    "verdict.short": ("short by {gap}", "差 {gap}"),
    "verdict.off": ("off by {gap}", "偏离 {gap}"),
    # indicators (report mode): reported against the plan's figure, never enforced
    "indicator.sentence": ("{what}: plan {sense} {limit} {unit}; the portfolio: {used} {unit}: "
                           "{verdict} (an indicator: reported, not enforced)",
                           "{what}：规划 {sense} {limit} {unit}；方案为 {used} {unit}，{verdict}"
                           "（预期性指标：仅报告，不作约束）"),
    "indicator.price": ("indicator", "指标"),
    "indicator.note": ("indicator (report mode): computed and reported against its limit, not a "
                       "constraint: no shadow price",
                       "预期性指标（报告模式）：计算并对照限值报告，不作约束，无影子价格"),
    # conclusions that rest on estimates
    "estimate.see_sources": ("see SOURCES.md", "见 SOURCES.md"),
    "estimate.see_column": ("see its source column", "见其来源列"),
    "estimate.tag": (" (an estimate, {hint})", "（估计值，{hint}）"),
    "estimate.decisive": ("; the {row} is an estimate ({hint})", "；其中{row}为估计值（{hint}）"),
    "estimate.sentence": ("{what} (an estimate, {hint}) binds: {decides}",
                          "{what}（估计值，{hint}）为紧约束：{decides}"),
    "estimate.sentence_room": ("{what} (an estimate, {hint}): {decides}",
                               "{what}（估计值，{hint}）：{decides}"),
    "estimate.room": ("leaves {room} {unit}, less than these rejected candidates need: {names}",
                      "仅剩 {room} {unit}，不足以容纳以下落选候选项目：{names}"),
    "estimate.price": ("worth {price} {unit} at the margin", "边际价值 {price} {unit}"),
    "estimate.soft_over": ("over by {gap} {unit} in all, at its penalty",
                           "共超出 {gap} {unit}（按罚则计价）"),
    "estimate.soft_short": ("short by {gap} {unit} in all, at its penalty",
                            "共差 {gap} {unit}（按罚则计价）"),
    "estimate.needs": ("rejected candidates that would need it: {names}",
                       "需要它的落选候选项目：{names}"),
    "estimate.more": (" and {n} more", " 等（另有 {n} 个）"),
    "estimate.binds": ("met exactly, at no cost at the margin (price 0)",
                       "恰好满足，边际代价为零（影子价格 0）"),
    # the infeasibility explanation
    "explain.short_by": ("{what} short by {relax} {unit} (limit {limit}, needs {needed})",
                         "{what}缺口 {relax} {unit}（限额 {limit}，需要 {needed}）"),
    "explain.come_down": ("{what} must come down by {relax} {unit} (limit {limit}, needs {needed})",
                          "{what}须下调 {relax} {unit}（要求 {limit}，可达 {needed}）"),
}
