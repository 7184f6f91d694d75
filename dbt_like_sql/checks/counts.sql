-- @table 检查：人数与单位数 / Counts: headcount parts add up (编制 total = 行政 + 事业; 实有 total = 行政 + 事业;
-- @table 离退休 total = Σ 离休/退休 parts; 参照公务员法管理 is an "of which", not a part); units.count = units.listed
-- @table (the listed units below 本部 when the count is of 下属 units and the list names 本部 too);
-- @table units.count vs the unit rows of 收入总表 other than 本级 (warning: templates count 本级 differently);
-- @table 行政单位 + 参公 + 事业单位 counts = units.count (warning). Exact: counts are whole numbers.
with figures as (
    select document_id, measure, stated_value, source_ref, sentence,
        row_number() over (partition by document_id, measure order by figure_no) as occurrence
    from fact_narrative_figure
),

firsts as (
    select * from figures where occurrence = 1
),

headcount_totals as (
    select document_id, measure, regexp_extract(measure, '^headcount\.(.*)_total$', 1) as grp, stated_value, source_ref
    from firsts where measure like 'headcount.%\_total' escape '\'
),

headcount_relations as (
    select
        t.document_id, 'narrative' as table_kind,
        '第一部分 人员构成 ' || t.measure || ' = Σ ' || string_agg(p.measure, ' + ' order by p.measure) || ' (headcount parts)' as description,
        sum(p.stated_value) as expected, t.stated_value as actual, 'error' as severity, t.source_ref,
        'headcount|' || t.grp as place_key
    from headcount_totals as t
    join firsts as p on p.document_id = t.document_id and starts_with(p.measure, 'headcount.' || t.grp || '_')
        and p.measure <> t.measure and p.measure not like '%civil_service_managed'
    group by t.document_id, t.measure, t.grp, t.stated_value, t.source_ref
),

unit_rows as (
    select document_id, count(distinct unit_code) as n_units
    from fact_budget_line
    where table_kind = 'income_summary' and unit_code is not null and row_role = 'detail'
      and coalesce(printed_unit_name, '') not like '%本级'
    group by all
),

unit_relations as (
    -- "包括本部以及下属 5 家预算单位" counts the units below the department; when the list also names the
    -- department itself (1. …（本部）), compare with the listed units without it (units.listed_subordinate)
    select c.document_id, 'narrative' as table_kind,
        case when s.stated_value is not null and c.sentence like '%下属%'
            then '第一部分 预算单位构成 units.count (下属) vs units.listed_subordinate (stated vs listed units below 本部)'
            else '第一部分 预算单位构成 units.count vs units.listed (stated vs listed units)' end as description,
        case when s.stated_value is not null and c.sentence like '%下属%' then s.stated_value else l.stated_value end as expected,
        c.stated_value as actual, 'error' as severity, c.source_ref, 'units|count=listed' as place_key
    from firsts as c
    join firsts as l on l.document_id = c.document_id and l.measure = 'units.listed'
    left join firsts as s on s.document_id = c.document_id and s.measure = 'units.listed_subordinate'
    where c.measure = 'units.count'
    union all
    select c.document_id, 'income_summary',
        '第一部分 units.count vs 收入总表 单位行数 (unit rows other than 本级)',
        r.n_units, c.stated_value, 'warning', c.source_ref, 'units|count=income_summary_rows'
    from firsts as c
    left join unit_rows as r using (document_id)
    where c.measure = 'units.count'
    union all
    select c.document_id, 'narrative',
        '第三部分 机关运行经费 units.admin + units.civil_service_managed + units.institution vs units.count',
        sum(p.stated_value), c.stated_value, 'warning', min(p.source_ref), 'units|kinds=count'
    from firsts as c
    join firsts as p on p.document_id = c.document_id
        and p.measure in ('units.admin', 'units.civil_service_managed', 'units.institution')
    where c.measure = 'units.count'
    group by c.document_id, c.stated_value
)

select
    document_id, table_kind, null as table_id, description, expected, actual, 0 as tolerance,
    case when expected is null then 'warning' else severity end as severity,
    source_ref, place_key, [] as figures
from (select * from headcount_relations union all select * from unit_relations)
