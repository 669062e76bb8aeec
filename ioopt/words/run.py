"""Words about a run as a whole: the objective's name, the notes beside a price, the
ranking's rule and notes, and a scenario's changes as sentences. key -> (English, Chinese);
read through :func:`ioopt.words.t` and the helpers of :mod:`ioopt.words`.
"""

from __future__ import annotations

from ioopt.words.tables import Entry

RUN: dict[str, Entry] = {
    # the objective's name (pipeline summary)
    "objective.gross_output": ("gross industrial output", "工业总产值"),
    "objective.value_added": ("industrial value added", "工业增加值"),
    "objective.tax": ("tax revenue", "税收"),
    "objective.jobs": ("jobs (job-years)", "就业（人年）"),
    "objective.weighted": ("weighted benefit", "加权效益"),
    "objective.import_cost": (" minus import costs", "减调入成本"),
    "objective.annuity": (" and capital charges (annuity at {rate} over each asset's life)",
                          "及资本费用（按 {rate} 在资产寿命期内年金化）"),
    "objective.annuity_minus": (" minus capital charges (annuity at {rate} over each asset's "
                                "life)", "减资本费用（按 {rate} 在资产寿命期内年金化）"),
    "objective.years": (", {first}-{last}", "，{first}—{last}年"),
    "objective.discounted": (", discounted at {rate}", "，按 {rate} 折现"),
    "objective.relaxed": (" (LP relaxation: fractional builds allowed)",
                          "（线性松弛：允许非整数建设）"),
    # the notes beside a price (quotas.csv price_note; the stored text is the English)
    "note.fixed": ("no decision enters this row (existing and committed plants only): it has "
                   "no price", "该行不含任何决策变量（仅现有和已承诺项目）：无影子价格"),
    "note.integer_only": ("binds on build decisions only: with the portfolio fixed its price is "
                          "0 by construction; re-solve with a changed limit to value it",
                          "仅约束建设决策：固定项目组合后其影子价格必然为 0；改变限额重新求解可估其价值"),
    # the ranking's rule and notes
    "rule.rank": ("rank: selected projects (committed included) by {what} leave-one-out value, "
                  "largest first (what the region loses without them); then rejected "
                  "candidates by {what} force-in cost, smallest first (what it would cost to "
                  "approve them)",
                  "排名：入选项目（含已承诺项目）按{what}剔除价值从大到小（没有它们全市的损失）；"
                  "其后未入选候选项目按{what}强制纳入代价从小到大（批准它们的代价）"),
    "rule.exact_word": ("exact", "精确"),
    "rule.estimated_word": ("estimated", "估计"),
    "rule.robust": ("; robust_rank: by the mean loss without the project over the samples, "
                    "largest first, with the worst (largest) loss and the share of samples "
                    "selecting it beside it",
                    "；稳健排名：按各抽样中剔除该项目的平均损失从大到小，并列出最大损失及入选抽样比例"),
    "rule.values_exact": ("values: exact: the MILP re-solved (relative MIP gap {gap}) with the "
                          "project removed or forced in; values within the gap are ties; "
                          "*_estimate columns hold every other build decision fixed (an LP), "
                          "which can only overstate a loss or a cost",
                          "数值：精确：剔除或强制纳入该项目后重新求解混合整数规划（相对 MIP 间隙 "
                          "{gap}）；间隙以内的数值视为并列；“（估计）”各列固定其他全部"
                          "建设决策（线性规划），只会高估损失或代价"),
    "rule.values_quick": ("values: estimates (--quick): LP re-solves with every other build "
                          "decision held at the optimum; each is an upper bound (at most) on the "
                          "loss or the cost, not a verdict; rank without --quick for MILP "
                          "re-solves",
                          "数值：估计（--quick）：其他建设决策固定在最优解时的线性规划重解；"
                          "每个值是损失或代价的上界（至多），不是结论；去掉 --quick 以重新求解混合整数规划"),
    "rule.base_differs": ("note: the re-solve model's base optimum {session} differs from the "
                          "solve's {base} (within the MIP gap)",
                          "注：重解模型的基准最优值 {session} 与求解结果 {base} 不同（在 MIP 间隙以内）"),
    "rule.stopped": ("{n} re-solve(s) stopped at the time limit: their values are bounds, not "
                     "verdicts (raise --time-limit)",
                     "{n} 次重新求解达到时间上限：其数值为界限而非结论（可提高 --time-limit）"),
    "rule.ties": ("{n} project(s) within the MIP gap of the optimum ({tol} {unit}): ties, "
                  "not verdicts", "{n} 个项目在最优值的 MIP 间隙以内（{tol} {unit}）：并列，不是结论"),
    # a scenario's changes, as sentences
    "change.case": ("case settings: {what}", "案例设置：{what}"),
    "change.set_to": ("{field} = {value}", "{field} 设为 {value}"),
    "change.quotas": ("{family}{where}: {what} ({n} rows)", "{family}{where}：{what}（{n} 行）"),
    "change.scale": ("limit scaled by {v}", "限额乘以 {v}"),
    "change.set": ("limit set to {v}", "限额设为 {v}"),
    "change.mode": ("mode {v}", "模式改为{v}"),
    "change.penalty": ("penalty {v}", "罚则 {v}"),
    "change.row": ("{file} {key}: {what}", "{file} 中 {key}：{what}"),
    "change.added": ("{file}: row added: {what}", "{file}：新增一行：{what}"),
    "change.sample": ("sample {index} of seed {seed}", "抽样 {index}（种子 {seed}）"),
    "change.backcast": ("backcast to {last}: candidates removed", "回测至 {last} 年：移除候选项目"),
    "change.relaxed": ("LP relaxation (solver.relax_integers: true)",
                       "线性松弛（solver.relax_integers: true）"),
    "change.year": (" {year}", " {year}年"),
    "change.park": (", {park}", "，{park}"),
    "mode.hard": ("hard", "硬约束"),
    "mode.soft": ("soft", "软约束"),
    "mode.report": ("report (an indicator)", "仅报告（预期性指标）"),
}
"""Words about a run: objective names, price notes, ranking rule, scenario changes."""

NOTE_KEYS = ("note.fixed", "note.integer_only", "indicator.note")
"""The price notes whose stored (English) text :func:`ioopt.words.note` translates."""
