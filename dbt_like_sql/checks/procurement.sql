-- @table 检查：政府采购 / Procurement (政府采购预算表): the 合计 row = Σ purchase lines, per amount column;
-- @table quantity × unit price = amount on every line giving both (tolerance: amount half-unit + quantity × price
-- @table half-unit); the narrative's procurement.total / goods (品目 A) / works (B) / services (C) in 万元 vs the lines, at
-- @table the precision the sentence prints (_printed). A sum of lines not read is unknown, never 0: a claim about it is
-- @table unverifiable.
with lines as (
    select
        document_id, table_number, row_role, expense_type, column_name, item_code, quantity, unit_price, amount, source_ref,
        coalesce(printed_project_name, '') || ' ' || coalesce(item_code, '') || ' ' || coalesce(item_name, '') as label,
        row_no, table_id, case when half_unit < 0.01 then 0 else half_unit end as half,
        table_id || '#' || row_no || '#' || column_name as cell
    from fact_budget_line
    where table_kind = 'procurement'
),

sum_relations as (
    select
        t.document_id, '政府采购预算表 合计 [' || t.column_name || '] = Σ 采购明细 (sum of purchase lines)' as description,
        sum(d.amount) as expected, t.amount as actual, sum(d.half) + min(t.half) as tolerance, 'error' as severity,
        t.source_ref, 'procurement|total|' || t.column_name as place_key,
        t.table_id, list_prepend(t.cell, list(d.cell order by d.cell)) as figures
    from lines as t
    join lines as d on d.document_id = t.document_id and d.table_id = t.table_id and d.column_name = t.column_name
        and d.row_role = 'detail'
    where t.row_role = 'total'
    group by t.document_id, t.column_name, t.amount, t.source_ref, t.expense_type, t.table_id, t.cell
),

price_relations as (
    select
        document_id, '政府采购预算表 ' || trim(label) || ': 数量 × 单价 = 金额 (' || quantity || ' × ' || unit_price || ')' as description,
        quantity * unit_price as expected, amount as actual, half + quantity * half as tolerance, 'error' as severity,
        source_ref, 'procurement|line|' || row_no || '|' || coalesce(item_code, '') || '|qty_x_price' as place_key,
        table_id, [cell] as figures
    from lines
    where row_role = 'detail' and expense_type = 'procurement_total'
      and quantity is not null and unit_price is not null and quantity > 0 and unit_price > 0
),

table_sums as (
    select document_id, 'procurement.total' as measure, sum(amount) as amount, sum(half) as half,
        min(table_id) as table_id, list(cell order by cell) as cells
    from lines
    where row_role = 'detail' and expense_type = 'procurement_total' group by document_id
    union all
    select document_id, case left(item_code, 1) when 'A' then 'procurement.goods' when 'B' then 'procurement.works'
        when 'C' then 'procurement.services' end, sum(amount), sum(half), min(table_id), list(cell order by cell)
    from lines where row_role = 'detail' and expense_type = 'procurement_total' and left(item_code, 1) in ('A', 'B', 'C')
    group by document_id, left(item_code, 1)
),

-- what the table prints: its lines (procurement.total), and lines classed by 品目 (A goods, B works, C services): a
-- category with no line sums to 0 only where the lines are classed at all
has_table as (
    select document_id, bool_or(expense_type = 'procurement_total') as has_lines,
        bool_or(expense_type = 'procurement_total' and left(item_code, 1) in ('A', 'B', 'C')) as has_classes
    from lines where row_role = 'detail' group by document_id
),

claims as (
    select document_id, measure, stated_value, stated_decimals, source_ref, figure_no,
        row_number() over (partition by document_id, measure order by figure_no) as occurrence
    from fact_narrative_figure
    where measure in ('procurement.total', 'procurement.goods', 'procurement.works', 'procurement.services')
      and stated_unit = '万元'
),

summed as (
    -- the sum of the lines the claim speaks of: 0 for a category the classed lines do not print; unknown (NULL)
    -- where the table, its lines or their classes were not read
    select
        c.*, s.table_id, s.cells, coalesce(s.half, 0) as half,
        coalesce(s.amount, case when c.measure = 'procurement.total' and h.has_lines then 0
                                when c.measure <> 'procurement.total' and h.has_classes then 0 end) as amount
    from claims as c
    left join table_sums as s on s.document_id = c.document_id and s.measure = c.measure
    left join has_table as h on h.document_id = c.document_id
),

narrative_relations as (
    select
        document_id,
        '文字说明 ' || measure || ' ' || stated_value::decimal(18, 2) || '万元 vs 政府采购预算表 Σ明细 '
            || coalesce(cast(amount as varchar) || '元', '无表或未读出 unverifiable claim (no lines read)') as description,
        (printed_wan_low(amount, half, stated_decimals) + printed_wan_high(amount, half, stated_decimals)) / 2 as expected,
        stated_value as actual,
        coalesce((printed_wan_high(amount, half, stated_decimals) - printed_wan_low(amount, half, stated_decimals)) / 2, 0)
            as tolerance,
        case when amount is null then 'warning' else 'error' end as severity,
        source_ref, 'narrative|' || measure || '|' || occurrence as place_key,
        table_id, list_prepend('narrative#' || figure_no, coalesce(cells, [])) as figures
    from summed
)

select document_id, 'procurement' as table_kind, table_id, description, expected, actual, tolerance, severity,
    source_ref, place_key, figures
from (select * from sum_relations union all select * from price_relations union all select * from narrative_relations)
