-- @table 检查：科目层级 / Hierarchy: in every column, each 类 equals the sum of its 款, each 款 the sum of its 项
-- @table (功能分类 and 经济分类), and the 合计 row the sum of the top rows (the 类 rows; where a table prints only 项
-- @table rows, as 北京's do, those); in 项目支出表 the 合计 (or the single 小计) row equals the sum of the projects.
-- @table Tolerance: half-units of the parts and of the total.
with lines as (
    select
        document_id, table_id, table_kind, table_number, row_no, block_no, row_role, row_label, column_name, amount,
        source_ref, subject_code, economic_class_code, printed_unit_name as unit_name, line_item,
        table_id || '#' || row_no || '#' || column_name as cell,
        coalesce(subject_code, economic_class_code) as code,
        case when half_unit < 0.01 then 0 else half_unit end as half,
        coalesce(fund_source, '') || '/' || expense_type as col_key
    from fact_budget_line
    where side is null
      and table_kind not in ('procurement', 'purchase_of_services', 'asset_allocation', 'income_summary')
),

coded as (
    select * from lines where code is not null and length(code) in (3, 5, 7)
),

-- parent code row vs its children (prefix + 2 digits), same table, column and block (a table printed once per
-- unit repeats its codes in each unit's block)
code_relations as (
    select
        p.document_id, p.table_id, p.col_key, p.code || coalesce('|' || nullif(p.block_no, 0), '') as row_key,
        case when length(p.code) = 3 then '类 = Σ款 (class = sum of its items)'
             else '款 = Σ项 (item = sum of its sub-items)' end as relation,
        p.table_kind, p.table_number, p.row_label, p.column_name, p.amount, p.half, p.source_ref,
        sum(c.amount) as parts_sum, sum(c.half) as parts_half, count(*) as n_parts,
        p.cell as checked_cell, list(c.cell order by c.cell) as part_cells
    from coded as p
    join coded as c
        on c.document_id = p.document_id and c.table_id = p.table_id and c.col_key = p.col_key
        and c.block_no = p.block_no
        and length(c.code) = length(p.code) + 2 and starts_with(c.code, p.code)
        and (c.subject_code is null) = (p.subject_code is null)
    group by all
),

-- the top rows: coded rows under no printed row of a shorter code (the 类 rows, or the 项 rows of a table that prints
-- no 类 or 款)
top_rows as (
    select c.* from coded as c
    where not exists (
        select 1 from coded as p
        where p.document_id = c.document_id and p.table_id = c.table_id and p.col_key = c.col_key
          and p.block_no = c.block_no and length(p.code) < length(c.code) and starts_with(c.code, p.code)
          and (p.subject_code is null) = (c.subject_code is null))
),

-- 合计 row vs the top rows (a unit's own row vs the top rows of its block)
total_relations as (
    select
        t.document_id, t.table_id, t.col_key, '合计' || coalesce('|' || t.unit_name, '') as row_key,
        case when bool_or(length(c.code) > 3) then '合计 = Σ最上级科目 (total = sum of the top rows)'
             when any_value(t.unit_name) is null then '合计 = Σ类 (total = sum of classes)'
             else '单位合计 = Σ类 (a unit''s total = sum of its classes)' end as relation,
        t.table_kind, t.table_number, t.row_label, t.column_name, t.amount, t.half, t.source_ref,
        sum(c.amount) as parts_sum, sum(c.half) as parts_half, count(*) as n_parts,
        t.cell as checked_cell, list(c.cell order by c.cell) as part_cells
    from lines as t
    join top_rows as c
        on c.document_id = t.document_id and c.table_id = t.table_id and c.col_key = t.col_key
        and (t.unit_name is null or c.block_no = t.block_no)
    where t.row_role in ('total', 'subtotal') and t.code is null
      and (t.row_role = 'total' or t.unit_name is not null)
    group by all
),

-- the department's row vs its units' rows (深圳: 预算单位 rows of a table printed once per unit)
unit_relations as (
    select
        t.document_id, t.table_id, t.col_key, '合计|units' as row_key, '合计 = Σ单位 (total = sum of its units)' as relation,
        t.table_kind, t.table_number, t.row_label, t.column_name, t.amount, t.half, t.source_ref,
        sum(u.amount) as parts_sum, sum(u.half) as parts_half, count(*) as n_parts,
        t.cell as checked_cell, list(u.cell order by u.cell) as part_cells
    from lines as t
    join lines as u
        on u.document_id = t.document_id and u.table_id = t.table_id and u.col_key = t.col_key
        and u.row_role = 'subtotal' and u.code is null and u.unit_name is not null
        and u.line_item is not distinct from t.line_item  -- the same period (2025年 / 2026年 / 增减变化金额)
    where t.row_role = 'total' and t.code is null
    group by all
),

-- 项目支出表: the top row (合计, else the only 小计) vs the projects
project_tops as (
    select l.*, count(*) over (partition by document_id, table_id, col_key) as n_tops
    from lines as l
    where table_kind = 'project_expenditure' and row_role in ('total', 'subtotal')
      and (row_role = 'total' or not exists (
          select 1 from lines as t
          where t.document_id = l.document_id and t.table_id = l.table_id and t.row_role = 'total'))
),

project_relations as (
    select
        t.document_id, t.table_id, t.col_key, '项目合计' as row_key, '合计 = Σ项目 (total = sum of projects)' as relation,
        t.table_kind, t.table_number, t.row_label, t.column_name, t.amount, t.half, t.source_ref,
        sum(c.amount) as parts_sum, sum(c.half) as parts_half, count(*) as n_parts,
        t.cell as checked_cell, list(c.cell order by c.cell) as part_cells
    from project_tops as t
    join lines as c
        on c.document_id = t.document_id and c.table_id = t.table_id and c.col_key = t.col_key
        and c.row_role = 'detail'
    where t.n_tops = 1
    group by all
),

compared as (
    select * from code_relations
    union all
    select * from total_relations
    union all
    select * from unit_relations
    union all
    select * from project_relations
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
    concat_ws(' ', table_number, table_name, trim(row_label, ' 　')) || ' [' || column_name || ']: '
        || relation || ', ' || n_parts || ' rows' as description,
    parts_sum as expected,
    amount as actual,
    parts_half + half as tolerance,
    'error' as severity,
    source_ref,
    table_kind || '|' || row_key || '|' || col_key || '|' || split_part(relation, ' (', 1) as place_key,
    list_prepend(checked_cell, part_cells) as figures
from named
