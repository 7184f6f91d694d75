-- @table 预算明细视图 / Every published figure with its dimensions, for analysts.
-- @column table_kind 表类型 / income_expenditure_summary, general_budget_expenditure, …
-- @column amount 金额（元）/ Amount in yuan.
-- @column row_role 行性质 / detail, subtotal or total.
-- @column subject_name 科目名称 / The name the row prints, completed from the same document where an extract cut it short (机关事业单位基本养老保险缴费支 → …支出); never another document's name for the code.
with document_names as (
    -- the fullest name each document prints for a code: a cut name is completed from its own document only
    select document_id, subject_code as code, 'subject' as scheme, arg_max(printed_subject_name, (length(printed_subject_name), printed_subject_name)) as name
    from fact_budget_line where subject_code is not null and printed_subject_name is not null
    group by all
    union all
    select document_id, economic_class_code, 'economic', arg_max(printed_economic_class_name, (length(printed_economic_class_name), printed_economic_class_name))
    from fact_budget_line where economic_class_code is not null and printed_economic_class_name is not null
    group by all
)

select
    f.document_id,
    d.department,
    d.year,
    d.kind,
    d.scope,
    f.table_kind,
    f.table_number,
    f.row_no,
    f.block_no,
    f.column_name,
    f.row_label,
    f.side,
    f.line_item,
    f.unit_code,
    coalesce(f.printed_unit_name, u.unit_name) as unit_name,
    f.subject_code,
    case when starts_with(sn.name, f.printed_subject_name) then sn.name
         else coalesce(f.printed_subject_name, s.subject_name) end as subject_name,
    s.level as subject_level,
    f.economic_class_code,
    case when starts_with(en.name, f.printed_economic_class_name) then en.name
         else coalesce(f.printed_economic_class_name, e.economic_class_name) end as economic_class_name,
    f.project_code,
    f.printed_project_name as project_name,
    f.item_code,
    f.item_name,
    f.fund_source,
    f.expense_type,
    f.quantity,
    f.unit_price,
    f.amount,
    f.stated_amount,
    f.stated_unit,
    f.half_unit,
    f.row_role,
    f.source_ref,
    f.source_page,
    f.source_bbox
from fact_budget_line as f
join dim_document as d using (document_id)
left join dim_unit as u on u.document_id = f.document_id and u.unit_code = f.unit_code
left join dim_subject as s on s.subject_code = f.subject_code
left join dim_economic_class as e on e.economic_class_code = f.economic_class_code
left join document_names as sn on sn.document_id = f.document_id and sn.scheme = 'subject' and sn.code = f.subject_code
left join document_names as en on en.document_id = f.document_id and en.scheme = 'economic' and en.code = f.economic_class_code
