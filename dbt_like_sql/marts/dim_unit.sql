-- @table 预算单位维度 / Budget units: the department (3-digit code) and its units, per document.
-- @column unit_code 单位代码 / Unit code as printed (307, 307001 …).
-- @column unit_name 单位名称 / Unit name (the longest spelling printed).
-- @column is_department 是否部门 / True for the department row itself.
with printed as (
    select document_id, unit_code, unit_name
    from stg_budget_lines
    where unit_code is not null and unit_name is not null
)

select
    document_id,
    unit_code,
    arg_max(unit_name, (length(unit_name), unit_name)) as unit_name,
    length(unit_code) = 3 as is_department
from printed
group by document_id, unit_code
order by document_id, unit_code
