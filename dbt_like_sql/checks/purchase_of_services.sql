-- @table 检查：政府购买服务 / Purchase of services (政府购买服务预算表): the 合计 row = Σ service lines (amount and
-- @table quantity); the narrative's purchase_of_services.total in 万元 vs the table's 合计.
with lines as (
    select document_id, table_id, row_role, amount, quantity, source_ref,
        case when half_unit < 0.01 then 0 else half_unit end as half, table_id || '#' || row_no || '#' || column_name as cell
    from fact_budget_line
    where table_kind = 'purchase_of_services' and expense_type = 'total'
),

totals as (
    select * from lines where row_role = 'total'
),

detail_sums as (
    select document_id, sum(amount) as amount, sum(half) as half, sum(quantity) as quantity, count(quantity) as n_quantity,
        count(*) as n, list(cell order by cell) as cells
    from lines where row_role = 'detail' group by document_id
),

sum_relations as (
    select t.document_id, '政府购买服务预算表 合计 购买金额 = Σ 明细 (sum of service lines)' as description,
        d.amount as expected, t.amount as actual, d.half + t.half as tolerance, 'error' as severity, t.source_ref,
        'purchase_of_services|total|amount' as place_key, t.table_id, list_prepend(t.cell, d.cells) as figures
    from totals as t join detail_sums as d using (document_id)
    union all
    select t.document_id, '政府购买服务预算表 合计 购买数量 = Σ 明细 (sum of quantities)',
        d.quantity, t.quantity, 0, 'warning', t.source_ref, 'purchase_of_services|total|quantity', t.table_id, []
    from totals as t join detail_sums as d using (document_id)
    where t.quantity is not null and d.n_quantity = d.n
),

claims as (
    select document_id, measure, stated_value, stated_decimals, source_ref, figure_no,
        row_number() over (partition by document_id, measure order by figure_no) as occurrence
    from fact_narrative_figure
    where measure = 'purchase_of_services.total' and stated_unit = '万元'
),

narrative_relations as (
    select
        c.document_id,
        '文字说明 purchase_of_services.total ' || c.stated_value::decimal(18, 2) || '万元 vs 政府购买服务预算表 合计 '
            || coalesce(cast(t.amount as varchar) || '元', '无表 unverifiable claim (no table)') as description,
        (printed_wan_low(t.amount, t.half, c.stated_decimals) + printed_wan_high(t.amount, t.half, c.stated_decimals)) / 2
            as expected,
        c.stated_value as actual,
        coalesce((printed_wan_high(t.amount, t.half, c.stated_decimals)
                  - printed_wan_low(t.amount, t.half, c.stated_decimals)) / 2, 0) as tolerance,
        case when t.amount is null then 'warning' else 'error' end as severity,
        c.source_ref, 'narrative|' || c.measure || '|' || c.occurrence as place_key,
        t.table_id, list_filter(['narrative#' || c.figure_no, t.cell], lambda x: x is not null) as figures
    from claims as c
    left join totals as t using (document_id)
)

select document_id, 'purchase_of_services' as table_kind, table_id, description, expected, actual, tolerance,
    severity, source_ref, place_key, figures
from (select * from sum_relations union all select * from narrative_relations)
