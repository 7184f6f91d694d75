-- @table 检查：收支平衡 / Balance of the two-sided tables (收支总表, 财政拨款收支总表): 收入总计 = 支出总计;
-- @table 本年收入合计 = Σ its income rows; 本年支出合计 = Σ its expenditure rows; 总计 = 本年合计 + the rows below it
-- @table (上年结转, 年终结转结余). A subtotal's rows are those printed under it (line_item "本年收入/…"), else above it.
-- @table One figure per row and side: where a side prints a 合计 column with its fund columns beside it
-- @table (财政拨款支出/合计 | 财政拨款支出/一般公共预算 | …/政府性基金, or a 总计), only the total is added up. A running
-- @table subtotal (当年收入小计) adds the subtotals nested above it (一、财政拨款), not their rows as well.
with all_lines as (
    select
        document_id, table_id, table_kind, table_number, row_no, row_role, side, line_item, row_label, amount, source_ref,
        column_name, fund_source, case when half_unit < 0.01 then 0 else half_unit end as half,
        table_id || '#' || row_no || '#' || column_name as cell
    from fact_budget_line
    where side in ('income', 'expenditure') and expense_type = 'total'
      -- rows under an enumerated row at a depth the table does not print (款 and 项 named under 一、教育支出)
      and coalesce(json_extract_string(attributes, '$.depth'), '') <> 'below'
),

lines as (
    select l.*
    from all_lines as l
    where not exists (
        select 1 from all_lines as t
        where t.document_id = l.document_id and t.table_id = l.table_id and t.side = l.side
          and t.column_name <> l.column_name
          and (t.column_name in (regexp_replace(l.column_name, '/[^/]*$', '') || '/合计',
                                 regexp_replace(l.column_name, '/[^/]*$', '') || '/总计')
               -- a fund's column beside the row's total of all funds (总计 | 一般公共预算 | 政府性基金 …)
               or (l.fund_source is not null and t.fund_source is null and t.row_no = l.row_no)))
),

subtotals as (
    select * from lines where row_role = 'subtotal'
),

nested as (
    -- subtotals whose rows are printed under them as "subtotal/row" (一、财政拨款 | 1.一般公共预算)
    select distinct s.document_id, s.table_id, s.side, s.row_no
    from subtotals as s
    join lines as d on d.document_id = s.document_id and d.table_id = s.table_id and d.side = s.side
        and d.row_role = 'detail' and starts_with(d.line_item, s.line_item || '/')
),

grouped as (
    -- the rows of a nested subtotal
    select s.document_id, s.table_id, s.side, s.row_no as sub_row, d.row_no, d.amount, d.half, d.cell
    from subtotals as s
    join nested as n on n.document_id = s.document_id and n.table_id = s.table_id
        and n.side = s.side and n.row_no = s.row_no
    join lines as d on d.document_id = s.document_id and d.table_id = s.table_id and d.side = s.side
        and d.row_role = 'detail' and starts_with(d.line_item, s.line_item || '/')
),

items as (
    -- what a running subtotal adds: nested subtotals, and rows in no nested subtotal
    select l.* from lines as l
    where (l.row_role = 'subtotal' and exists (
            select 1 from nested as n
            where n.document_id = l.document_id and n.table_id = l.table_id and n.side = l.side and n.row_no = l.row_no))
       or (l.row_role = 'detail' and not exists (
            select 1 from grouped as g
            where g.document_id = l.document_id and g.table_id = l.table_id and g.side = l.side and g.row_no = l.row_no))
),

running as (
    -- subtotals without rows printed under them (当年收入小计): they add the items above them
    select s.* from subtotals as s
    where not exists (
        select 1 from nested as n
        where n.document_id = s.document_id and n.table_id = s.table_id and n.side = s.side and n.row_no = s.row_no)
),

running_children as (
    select s.document_id, s.table_id, s.side, s.row_no as sub_row, d.row_no, d.amount, d.half, d.cell
    from running as s
    join items as d on d.document_id = s.document_id and d.table_id = s.table_id and d.side = s.side
        and d.row_no < s.row_no
    where not exists (
        select 1 from running as s2
        where s2.document_id = s.document_id and s2.table_id = s.table_id and s2.side = s.side
          and s2.row_no < s.row_no and d.row_no < s2.row_no)
),

children as (
    select * from grouped
    union all
    select * from running_children
),

subtotal_relations as (
    select
        s.document_id, s.table_kind, s.table_id, s.table_number, s.source_ref, s.side,
        trim(s.row_label, ' 　') || ' = Σ ' || case s.side when 'income' then '收入' else '支出' end
            || '各项 (sum of its ' || s.side || ' rows)' as relation,
        'subtotal:' || s.side as key,
        sum(c.amount) as expected, s.amount as actual, sum(c.half) + min(s.half) as tolerance,
        s.cell as checked_cell, list(c.cell order by c.cell) as part_cells
    from subtotals as s
    join children as c on c.document_id = s.document_id and c.table_id = s.table_id
        and c.side = s.side and c.sub_row = s.row_no
    group by all
),

-- 总计 = running subtotals + items that belong to no running subtotal
top_parts as (
    select r.document_id, r.table_id, r.side, r.amount, r.half, r.cell
    from running as r
    union all
    select i.document_id, i.table_id, i.side, i.amount, i.half, i.cell
    from items as i
    where not exists (
        select 1 from running_children as c
        where c.document_id = i.document_id and c.table_id = i.table_id and c.side = i.side and c.row_no = i.row_no)
),

total_relations as (
    select
        t.document_id, t.table_kind, t.table_id, t.table_number, t.source_ref, t.side,
        trim(t.row_label, ' 　') || ' = 本年合计 + 结转 (total = current year + carry-over rows)' as relation,
        'total:' || t.side as key,
        sum(p.amount) as expected, t.amount as actual, sum(p.half) + min(t.half) as tolerance,
        t.cell as checked_cell, list(p.cell order by p.cell) as part_cells
    from lines as t
    join top_parts as p on p.document_id = t.document_id and p.table_id = t.table_id and p.side = t.side
    where t.row_role = 'total'
    group by all
),

two_sided as (
    select
        i.document_id, i.table_kind, i.table_id, i.table_number, e.source_ref, 'both' as side,
        '收入总计 = 支出总计 (income total = expenditure total)' as relation,
        'income_total=expenditure_total' as key,
        i.amount as expected, e.amount as actual, i.half + e.half as tolerance,
        e.cell as checked_cell, [i.cell] as part_cells
    from lines as i
    join lines as e on e.document_id = i.document_id and e.table_id = i.table_id
        and e.side = 'expenditure' and e.row_role = 'total'
    where i.side = 'income' and i.row_role = 'total'
),

compared as (
    select * from subtotal_relations
    union all
    select * from total_relations
    union all
    select * from two_sided
),

named as (
    select c.*, coalesce(n.table_name, c.table_kind) as table_name
    from compared as c
    left join dim_table_kind as n using (table_kind)
)

select
    document_id,
    table_kind,
    table_id,
    concat_ws(' ', table_number, table_name) || ': ' || relation as description,
    expected,
    actual,
    tolerance,
    'error' as severity,
    source_ref,
    table_kind || '|' || key as place_key,
    list_prepend(checked_cell, part_cells) as figures
from named
