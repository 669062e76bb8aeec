"""Chinese headers of result-table columns (the English header is the column name with
its unit, :func:`ioopt.words.column`), and the words of the values the tables hold in
code form (project status, row kind, mode, basis, batch path).
"""

from __future__ import annotations

COLUMN_WORDS: dict[str, str] = {
    # names and places
    "project": "项目", "name": "名称", "name_zh": "中文名称", "sector": "行业", "chain": "产业链",
    "park": "园区", "scope": "范围", "status": "状态", "selected": "入选", "kind": "类别",
    "label": "标签", "description": "说明", "source": "来源", "target": "去向",
    "illustrative": "示意数据", "forced": "强制", "force": "强制", "online_year": "投产年份", "year": "年份",
    "unit": "单位", "row": "行号", "quota": "配额", "indicator": "指标", "model": "模型值",
    "history": "历史值", "history_compared": "对照历史值", "error": "误差",
    # projects
    "capacity": "产能", "capex": "投资", "land": "用地", "build_fraction": "建设比例",
    "contribution": "贡献", "utilisation_last_year": "末年利用率", "n_online": "投产项目数",
    "jobs_last_year": "末年就业", "reduced_cost": "检验数",
    # quotas
    "sense": "方向", "limit": "限额", "used": "使用量", "slack": "余量", "binding": "紧约束",
    "shadow_price": "影子价格", "shadow_price_unit": "影子价格单位", "price_note": "价格说明",
    "mode": "模式", "violation": "超出量", "fixed_use": "固定占用",
    "limit_lo_same_price": "影子价格不变的限额下限",
    "limit_hi_same_price": "影子价格不变的限额上限", "basis": "依据", "verdict": "结论",
    "use": "使用量", "opportunity_cost": "机会成本", "full": "已满",
    # sectors and flows
    "production": "产量", "imports": "调入", "exports": "调出", "intermediate_use": "中间使用",
    "final_demand": "最终需求", "output_value": "产值", "value_added": "增加值",
    "gross_output": "总产值", "energy": "能耗", "co2": "二氧化碳", "water": "用水",
    "electricity": "用电", "quantity": "数量", "value": "价值",
    "marginal_value": "边际价值", "marginal_export_price": "边际外销价格",
    "marginal_import_price": "边际外购价格", "direction": "方向", "step": "档位",
    "volume": "档位数量", "price_cny": "价格（元/单位）",
    # ranking
    "rank": "排名", "reason": "原因", "reason_zh": "原因（中文）",
    "decisive_constraint": "决定性约束", "leave_one_out": "剔除价值",
    "leave_one_out_estimate": "剔除价值（估计）", "force_in_cost": "强制纳入代价",
    "force_in_cost_estimate": "强制纳入代价（估计）", "exact_status": "重解状态",
    "exact_bound": "重解界限", "exact_gap": "重解间隙", "exact_changed": "重解中变化的项目",
    "exact_takes_out": "随之去掉的已承诺项目",
    "exact_highs_s": "重解用时（秒）", "tie": "并列", "tie_tolerance": "并列容差",
    "commitment_cost": "承诺代价", "output_at_prices": "按价格计产值",
    "inputs_at_prices": "按价格计投入", "capital_charge": "资本费用",
    "quota_cost_at_prices": "按价格计配额成本", "other_at_prices": "按价格计其他",
    "net_output_at_prices": "按价格计净产值", "first_order": "一阶估计",
    "rearrangement": "组合调整", "robustness": "抽样入选比例", "loss_mean": "平均损失",
    "loss_worst": "最大损失", "robust_rank": "稳健排名",
    # batch, curve, frontier
    "objective": "目标值", "objective_unit": "目标值单位", "scenario_id": "情景",
    "n_selected": "入选数", "message": "信息", "mip_gap": "MIP 间隙", "seconds": "用时（秒）",
    "changes": "调整", "path": "求解方式", "hash": "哈希", "level": "水平",
    "level_label": "水平标签", "limit_total": "限额合计", "step_value": "边际价值",
    "cost_per_unit": "单位代价", "cost_unit": "代价单位", "breakpoint": "转折点",
    "entered": "进入项目", "left": "退出项目", "stops_binding": "不再紧约束",
    "prices": "价格", "portfolio": "项目组合", "tighten": "收紧比例", "x": "横轴量", "y": "纵轴量",
    "y_unit": "纵轴单位", "y_per_x": "纵轴量/横轴量", "efficient": "有效", "capital": "资本",
    "value_change_lo": "价值变化下限", "value_change_hi": "价值变化上限",
    "last_year_gross_output": "末年总产值", "last_year_value_added": "末年增加值",
    "last_year_energy": "末年能耗", "last_year_co2": "末年二氧化碳",
    "last_year_water": "末年用水", "last_year_n_online": "末年投产项目数",
    "last_year_electricity": "末年用电",
}
"""Chinese headers of result-table columns (English headers are the column names)."""

VALUE_WORDS: dict[str, tuple[str, str]] = {
    # project status
    "existing": ("existing", "现有"), "candidate": ("candidate", "候选"),
    "committed": ("committed", "已承诺"),
    # kinds of rows and flows
    "input": ("input", "投入"), "quota": ("quota", "配额"), "export": ("export", "调出"),
    "import": ("import", "调入"), "flow": ("flow", "流量"), "final": ("final", "最终需求"),
    "exports": ("exports", "调出区外"), "imports": ("imports", "区外调入"),
    "final_demand": ("final demand", "最终需求"), "grid": ("grid", "网格"),
    "file": ("file", "文件"), "sample": ("sample", "抽样"), "base": ("base", "基准"),
    # row modes and bases
    "hard": ("hard", "硬约束"), "soft": ("soft", "软约束"), "report": ("report", "仅报告"),
    "sourced": ("sourced", "有出处"), "derived": ("derived", "推算"),
    "estimate": ("estimate", "估计"),
    # how a batch scenario was solved
    "in place": ("in place", "原模型修改"), "rebuilt": ("rebuilt", "重建模型"),
    # the backcast: prices of a history row, the whole region
    "base_year": ("base-year prices", "基准年价格"), "current": ("current prices", "现价"),
    "region": ("region", "全市"), "intermediate": ("intermediate use", "中间使用"),
    # force
    "in": ("in", "强制建设"), "out": ("out", "强制排除"),
}
"""Code values of the result tables (status, kind, mode, basis) in words."""

AXIS_WORDS: dict[str, tuple[str, str]] = {
    "level": ("level", "水平"), "tighten": ("tighten", "收紧比例"),
}
"""The grid axes ioopt names itself (a curve's level, a frontier's tightening); a batch's
own axes keep the names its file gives them."""
