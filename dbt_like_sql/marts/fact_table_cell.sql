-- @table 原表单元格 / Every cell of every standard table as printed, for audit and re-reading.
-- @column table_kind 表类型 / Which standard table.
-- @column cell_text 单元格文本 / The cell's text as read (NULL for an empty cell).
-- @column source_ref 出处 / File and line or page.
-- @column table_ref 表出处 / File and page (or line) where the table starts.
select
    document_id,
    table_id,
    table_kind,
    table_number,
    table_title,
    unit,
    cast(row_no as integer) as row_no,
    cast(col_no as integer) as col_no,
    column_name,
    cell_text,
    source_ref,
    table_ref,
    table_notes,
    source_file
from raw_table_cells
where source_file in (select source_file from stg_files where status = 'used')
