-- @table 检查辅助：各文档的总额 / Helper for checks: each document's grand total (收支总表, income side, 收入总计) with
-- @table what identifies the same department's documents of other years.
select d.document_id, d.department, d.kind, d.scope, d.year, t.total_yuan, t.half_yuan
from dim_document as d
join (
    select document_id, max(amount) as total_yuan, max(half_unit) as half_yuan
    from fact_budget_line
    where table_kind = 'income_expenditure_summary' and side = 'income' and row_role = 'total'
      and fund_source is null and expense_type = 'total'
    group by document_id
) as t using (document_id)
