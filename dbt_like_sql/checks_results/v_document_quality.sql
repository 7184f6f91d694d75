-- @table 文档读取质量 / How well each document was read, so a bad reading is seen at once: tables found against those it lists, rows read, the share of its own sums that hold, columns no rule knows, units in doubt, reading doubts, contradictions.
-- @column tables_expected 应有表格数 / Standard tables the document lists (its 目录), else the five core ones.
-- @column tables_found 读到表格数 / Distinct standard tables read (printed empty ones included).
-- @column tables_missing 未读到的表格 / Listed tables not read, by name.
-- @column rows_read 读取行数 / Body rows read over all tables.
-- @column tie_outs 内部勾稽数 / Sums inside the document's tables (row arithmetic, 类 = Σ款, 收支平衡).
-- @column tie_out_share 勾稽通过比例 / Share of those sums that hold (NULL: none to check).
-- @column unknown_columns 未识别列 / Printed column labels no rule knows (expense_type 'other'), "; "-separated.
-- @column unit_doubts 单位存疑表格 / Tables whose 单位 had to be assumed.
-- @column reading_doubts 读数存疑 / Reading-doubt findings (tables or narrative measures read with doubt).
-- @column contradictions 矛盾 / Contradictions found (error findings), one per wrong figure.
-- @column rounding_residues 尾差 / Sums that hold only within their printed rounding (a residue of 0.01 万元 …): information, never an error.
-- @column reading 读取评价 / good, check (something above deserves a look) or poor (tables not read, or most sums fail).
with documents as (
    select * from dim_document
),

tables as (
    select document_id, count(distinct table_kind) as tables_found, list(distinct table_kind order by table_kind) as kinds,
        sum(row_count) as rows_read,
        count(*) filter (where table_notes like '%未见单位行%') as unit_doubts
    from dim_table
    group by document_id
),

names as (
    select * from dim_table_kind
),

missing as (
    select d.document_id, string_agg(coalesce(n.table_name, k.kind), '、' order by k.kind) as tables_missing,
        count(*) as n_missing
    from documents as d
    cross join unnest(d.expected_tables) as k(kind)
    left join tables as t using (document_id)
    left join names as n on n.table_kind = k.kind
    where not list_contains(coalesce(t.kinds, []), k.kind)
    group by d.document_id
),

sums as (
    select document_id, count(*) as tie_outs, count(*) filter (where status = 'pass') as held
    from check_result
    where check_kind in ('row_arithmetic', 'hierarchy', 'balance')
    group by document_id
),

unknown as (
    select document_id, string_agg(distinct column_name, '; ' order by column_name) as unknown_columns
    from fact_budget_line
    where expense_type = 'other'
    group by document_id
),

findings as (
    select document_id,
        count(*) filter (where finding_role = 'reading_doubt') as reading_doubts,
        count(*) filter (where finding_role = 'contradiction') as contradictions,
        count(*) filter (where finding_role = 'warning') as warnings,
        count(*) filter (where finding_role = 'rounding_residue') as rounding_residues
    from check_result
    group by document_id
)

select
    d.document_id, d.department, d.year, d.kind, d.scope, d.source_files,
    len(d.expected_tables) as tables_expected,
    coalesce(t.tables_found, 0) as tables_found,
    m.tables_missing,
    coalesce(t.rows_read, 0) as rows_read,
    coalesce(s.tie_outs, 0) as tie_outs,
    case when s.tie_outs > 0 then round(s.held / s.tie_outs, 4) end as tie_out_share,
    u.unknown_columns,
    coalesce(t.unit_doubts, 0) as unit_doubts,
    coalesce(f.reading_doubts, 0) as reading_doubts,
    coalesce(f.contradictions, 0) as contradictions,
    coalesce(f.warnings, 0) as warnings,
    coalesce(f.rounding_residues, 0) as rounding_residues,
    case
        when coalesce(t.tables_found, 0) = 0 and len(d.expected_tables) > 0 then 'poor'
        when s.tie_outs > 0 and s.held / s.tie_outs < 0.8 then 'poor'
        when m.n_missing > 0 or u.unknown_columns is not null or coalesce(t.unit_doubts, 0) > 0
             or coalesce(f.reading_doubts, 0) > 0 then 'check'
        else 'good'
    end as reading
from documents as d
left join tables as t using (document_id)
left join missing as m using (document_id)
left join sums as s using (document_id)
left join unknown as u using (document_id)
left join findings as f using (document_id)
order by d.department, d.year, d.kind, d.scope
