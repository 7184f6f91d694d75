-- @table 原表单元格 / Every cell of every standard table as printed, for audit and re-reading.
-- @column table_kind 表类型 / Which standard table.
-- @column cell_text 单元格文本 / The cell's text as read (NULL for an empty cell).
-- @column source_ref 出处 / File and line or page.
-- @column source_page 页码 / PDF page of the cell (NULL for text extracts).
-- @column source_bbox 单元格位置 / The cell on that page: [x0, top, x1, bottom] in PDF points, from the top left.
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
    cast(source_page as integer) as source_page,
    cast(string_split(source_bbox, ',') as double[]) as source_bbox,
    table_ref,
    table_notes,
    source_file
from raw_table_cells
where source_file in (select source_file from stg_files where status = 'used')
