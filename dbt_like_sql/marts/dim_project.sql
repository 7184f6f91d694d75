-- @table 项目维度 / Projects of 项目支出表, per document.
-- @column project_code 项目编码 / Project code (e.g. 42010722307T000000102).
-- @column project_name 项目名称 / Project name.
-- @column unit_name 项目单位 / Unit carrying the project.
select distinct
    document_id,
    project_code,
    project_name,
    unit_name
from stg_budget_lines
where table_kind = 'project_expenditure' and row_role = 'detail' and project_code is not null
order by document_id, project_code
