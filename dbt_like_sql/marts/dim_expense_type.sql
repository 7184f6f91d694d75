-- @table 支出类型维度 / Expense types named by columns: total 合计, basic 基本支出, personnel 人员经费 …
-- @column expense_type 支出类型 / snake_case name.
select distinct expense_type
from stg_budget_lines
where expense_type is not null
order by expense_type
