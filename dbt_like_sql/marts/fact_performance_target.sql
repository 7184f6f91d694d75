-- @table 绩效目标事实表 / Indicators of the project and department 绩效目标 forms.
-- @column form 表单 / Project name, or 部门整体 for the department form.
-- @column value_text 指标值（原文）/ Target as printed (≥95%, 25 名).
-- @column target_value 指标值 / Its number.
select
    document_id,
    cast(target_no as integer) as target_no,
    form,
    level1,
    level2,
    indicator,
    value_text,
    cast(value as decimal(18, 4)) as target_value,
    unit,
    ref as source_ref
from raw_performance_targets
where source_file in (select source_file from stg_files where status = 'used')
