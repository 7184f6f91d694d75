-- @table 文字说明数字事实表 / Every amount, percentage, change and count stated in the narrative.
-- @column measure 指标 / What the figure speaks of (total_budget, expenditure.basic.share, …).
-- @column stated_value 原文数值 / The value as printed: 2126.26 for 2126.26万元, 26.84 for 26.84%.
-- @column stated_decimals 原文小数位 / How many decimals the value is printed with: its precision (19,577万元: 0).
-- @column stated_unit 原文单位 / 万元, 元, %, 人, 个, 家 …
-- @column direction 增减方向 / 增加/增长 or 减少/下降 for stated changes.
select * from stg_narrative_figures
