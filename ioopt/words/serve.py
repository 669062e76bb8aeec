"""The words of the workbench in the browser (``ioopt serve``): key -> (English, Chinese).
Read through :mod:`ioopt.words`; the answer's tables reuse the report's words.
"""

from __future__ import annotations

from ioopt.words.tables import Entry

SERVE: dict[str, Entry] = {
    "serve.title": ("ioopt workbench: {case}", "ioopt 规划工作台：{case}"),
    "serve.lang": ("Language", "语言"),
    "serve.scenario_panel": ("Scenario", "情景"),
    "serve.answer_panel": ("Answer", "结果"),
    "serve.deeper_panel": ("Deeper questions", "深入分析"),
    "serve.keep_panel": ("Keep and share", "保存与分享"),
    "serve.base_value": ("base {value}", "基准 {value}"),
    "serve.enabled": ("on", "启用"),
    "serve.families": ("Constraint families: on/off, hard/soft/report", "约束族：启用、硬/软/仅报告"),
    "serve.force_in": ("Force in (project: chain, park, status)", "强制纳入（项目：产业链、园区、状态）"),
    "serve.force_out": ("Force out", "强制排除"),
    "serve.measure": ("Objective measure", "目标度量"),
    "serve.accounting": ("Accounting", "核算口径"),
    "serve.renewables": ("renewables counted", "可再生能源计入方式"),
    "serve.exclude_renewable": ("exclude local renewable electricity", "扣除本地可再生电力"),
    "serve.exclude_feedstock": ("exclude feedstock energy", "扣除原料用能"),
    "serve.reset": ("Back to the base case", "恢复基准情景"),
    "serve.applied_in_place": (
        "applied in place: {n} quota limit(s) moved on the solver session, re-solved in {ms} ms",
        "原位求解：在求解会话中调整 {n} 个配额限值，用时 {ms} 毫秒"),
    "serve.applied_rebuild": (
        "rebuilt the model ({why}), solved in {ms} ms",
        "重建模型（{why}），用时 {ms} 毫秒"),
    "serve.applied_base": ("the base case, solved in {ms} ms", "基准情景，用时 {ms} 毫秒"),
    "serve.objective_change": ("{value}, {delta} against the base", "{value}，较基准 {delta}"),
    "serve.headline": ("Headline", "主要指标"),
    "serve.targets": ("The plan's targets", "规划目标"),
    "serve.quota_use": ("Quota use and shadow prices", "配额使用与影子价格"),
    "serve.portfolio": ("Portfolio by park and year (new projects)", "分园区、分年份项目组合（新建）"),
    "serve.rejected": ("Rejected candidates", "未入选候选项目"),
    "serve.infeasible": (
        "No portfolio meets every hard rule. Smallest relaxation that makes it feasible "
        "(each in its own unit):",
        "无满足全部硬约束的项目组合。使其可行的最小放宽（各自单位）："),
    "serve.reason_reduced": (
        "not chosen (first-order reason): at this optimum's prices it would take about {cost} "
        "from the objective "
        "(reduced cost); the exact ranking below gives the full reason",
        "未入选（一阶原因）：按本最优解的影子价格，纳入约减少目标 {cost}（检验数）；完整原因见下方精确排序"),
    "serve.reason_none": ("not chosen at this optimum; the exact ranking below gives the reason",
                          "本最优解未选；原因见下方精确排序"),
    "serve.rank": ("Exact ranking", "精确排序"),
    "serve.curve": ("Value curve of a quota", "配额价值曲线"),
    "serve.from": ("from", "自"),
    "serve.to": ("to", "至"),
    "serve.steps": ("steps", "步数"),
    "serve.cancel": ("Cancel", "取消"),
    "serve.task_running": ("{task}: running for {s} s{progress}", "{task}：已运行 {s} 秒{progress}"),
    "serve.task_progress": (", {done} of {total} solves done", "，已完成 {done}/{total} 次求解"),
    "serve.task_done": ("{task}: done in {s} s", "{task}：完成，用时 {s} 秒"),
    "serve.task_failed": ("{task}: failed: {error}", "{task}：失败：{error}"),
    "serve.task_cancelled": ("{task}: cancelled", "{task}：已取消"),
    "serve.task_stale": ("(for an earlier scenario)", "（针对此前的情景）"),
    "serve.configs": ("Scenario files in {folder}", "{folder} 中的情景文件"),
    "serve.load": ("Load", "载入"),
    "serve.upload": ("Drop or pick a scenario YAML", "拖放或选择情景 YAML 文件"),
    "serve.save": ("Save scenario (YAML)", "保存情景（YAML）"),
    "serve.report_html": ("HTML report", "HTML 报告"),
    "serve.report_xlsx": ("Excel workbook", "Excel 工作簿"),
    "serve.loaded": ("scenario '{name}' loaded", "已载入情景 '{name}'"),
    "serve.no_answer": ("no solution to download", "无可下载的结果"),
    "serve.started": (
        "ioopt serve: the workbench for case '{case}' at http://{host}:{port}/ "
        "(listening on {where}; Ctrl+C stops it)",
        "ioopt serve：案例 '{case}' 的工作台 http://{host}:{port}/（监听 {where}；Ctrl+C 停止）"),
    "serve.local_only": ("this machine only", "仅本机"),
    "serve.all_hosts": ("{host}: other machines can reach it", "{host}：其他机器可以访问"),
}
"""Every word of ``ioopt serve``'s page and start message."""
