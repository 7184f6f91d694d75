-- @table 支出功能分类科目维度 / Functional classification (支出功能分类科目): 类 (3 digits), 款 (5), 项 (7).
-- @column subject_code 科目编码 / Code; its parent is its prefix.
-- @column subject_name 科目名称 / Name (the longest spelling printed, since extracts truncate names).
-- @column level 级次（类/款/项）/ Level: 类, 款 or 项.
-- @column parent_code 上级科目编码 / Code of the parent subject.
with printed as (
    select subject_code, subject_name
    from stg_budget_lines
    where subject_code is not null and subject_name is not null
),

named as (
    select subject_code, arg_max(subject_name, (length(subject_name), subject_name)) as subject_name
    from printed
    group by subject_code
)

select
    subject_code,
    subject_name,
    case length(subject_code) when 3 then '类' when 5 then '款' when 7 then '项' end as level,
    case length(subject_code) when 5 then left(subject_code, 3) when 7 then left(subject_code, 5) end as parent_code
from named
order by subject_code
