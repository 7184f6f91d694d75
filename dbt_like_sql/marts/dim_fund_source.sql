-- @table 资金来源维度 / Fund sources named by columns and rows (一般公共预算, 政府性基金 …).
-- @column fund_source 资金来源 / snake_case name; carryover.* is 上年结转结余 of that source.
select distinct fund_source
from stg_budget_lines
where fund_source is not null
order by fund_source
