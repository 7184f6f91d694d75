-- @table 预算明细事实表 / Budget line facts: one row per published figure of every table.
-- @column amount 金额（元）/ Amount in yuan, DECIMAL(18,2), converted exactly from the printed unit.
-- @column stated_amount 原表数字 / The figure as printed, in stated_unit, with all its printed decimals (up to 6: 北京 prints 万元 so).
-- @column stated_unit 原表单位 / 元 or 万元, from the table's 单位 line.
-- @column half_unit 舍入半单位（元）/ Half of the printed figure's last digit, in yuan: its rounding interval.
-- @column row_role 行性质 / detail, subtotal or total: sum detail rows to avoid double counting.
-- @column block_no 分块 / A table printed once per unit (预算单位 rows, or the same codes again for each unit): the unit's block; 0 when printed once.
-- @column source_ref 出处 / File and line (text) or page (PDF) the figure was read from.
-- @column source_page 页码 / PDF page of the figure (NULL for text extracts: source_ref has the line).
-- @column source_bbox 单元格位置 / The figure's cell on that page: [x0, top, x1, bottom] in PDF points (72 per inch, from the top left).
select
    document_id,
    table_id,
    table_kind,
    table_number,
    table_title,
    row_no,
    block_no,
    column_name,
    row_label,
    row_role,
    side,
    line_item,
    unit_code,
    subject_code,
    economic_class_code,
    project_code,
    item_code,
    item_name,
    fund_source,
    expense_type,
    quantity,
    unit_price,
    amount,
    stated_amount,
    stated_unit,
    half_unit,
    attributes,
    source_ref,
    source_page,
    source_bbox,
    subject_name as printed_subject_name,
    economic_class_name as printed_economic_class_name,
    unit_name as printed_unit_name,
    project_name as printed_project_name
from stg_budget_lines
