-- @table 表维度 / One row per standard table as read: what it is, where it starts, its unit, how many rows.
-- @column table_id 表标识 / Unique per document: the file's key and the table's place in it.
-- @column table_kind 表类型 / Which standard table (income_expenditure_summary, general_budget_expenditure, …).
-- @column table_title 表名 / The title as printed.
-- @column unit 金额单位 / 元 or 万元, from the table's own 单位 line.
-- @column table_ref 出处 / File and page where the table starts.
-- @column row_count 行数 / Body rows read (0: printed empty, 本表无数据).
-- @column columns 列 / The column paths read from the header, in print order, "; "-separated.
with cells as (
    select * from fact_table_cell
),

header as (
    select document_id, table_id, string_agg(column_name, '; ' order by col_no) as columns
    from (select distinct document_id, table_id, col_no, column_name from cells where col_no > 0)
    group by document_id, table_id
),

tables as (
    select
        document_id,
        table_id,
        any_value(table_kind) as table_kind,
        any_value(table_number) as table_number,
        any_value(table_title) as table_title,
        any_value(unit) as unit,
        any_value(table_ref) as table_ref,
        max(row_no) as row_count,
        any_value(table_notes) as table_notes,
        any_value(source_file) as source_file
    from cells
    group by document_id, table_id
)

select t.*, h.columns
from tables as t
left join header as h using (document_id, table_id)
