-- @table 经济分类科目维度 / Economic classification (部门预算支出经济分类科目): 类 (3 digits), 款 (5).
-- @column economic_class_code 科目编码 / Code; its parent is its prefix.
-- @column economic_class_name 科目名称 / Name (the longest spelling printed).
-- @column level 级次（类/款）/ Level: 类 or 款.
-- @column parent_code 上级科目编码 / Code of the parent class.
with printed as (
    select economic_class_code, economic_class_name
    from stg_budget_lines
    where economic_class_code is not null and economic_class_name is not null
),

named as (
    select economic_class_code, arg_max(economic_class_name, (length(economic_class_name), economic_class_name)) as economic_class_name
    from printed
    group by economic_class_code
)

select
    economic_class_code,
    economic_class_name,
    case length(economic_class_code) when 3 then '类' when 5 then '款' end as level,
    case length(economic_class_code) when 5 then left(economic_class_code, 3) end as parent_code
from named
order by economic_class_code
