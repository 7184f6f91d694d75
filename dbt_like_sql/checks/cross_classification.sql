-- @table 检查：经济分类与功能分类对照 / Cross-classification hints (warnings, not laws): economic items of
-- @table 一般公共预算基本支出表 vs the functional items of 一般公共预算支出表 that usually carry the same money:
-- @table 30108 养老保险缴费 ↔ 2080505; 30113 住房公积金 ↔ 2210201; 30110 + 30111 医疗保险/公务员医疗补助 ↔
-- @table 2101101 + 2101102 + 2101103; 30109 职业年金 ↔ 2080506. Only where both tables are printed; a code not printed is 0.
with lines as (
    select document_id, table_kind, subject_code, economic_class_code, amount, source_ref,
        case when half_unit < 0.01 then 0 else half_unit end as half
    from fact_budget_line
    where expense_type = 'total' and fund_source is null
      and table_kind in ('general_budget_basic_expenditure', 'general_budget_expenditure')
),

hints(hint, economic_codes, subject_codes) as (
    values
        ('养老保险 pension', ['30108'], ['2080505']),
        ('职业年金 occupational annuity', ['30109'], ['2080506']),
        ('住房公积金 housing fund', ['30113'], ['2210201']),
        ('医疗保险 medical insurance', ['30110', '30111'], ['2101101', '2101102', '2101103'])
),

documents as (
    select document_id from lines group by all
    having count(distinct table_kind) = 2
),

economic as (
    select d.document_id, h.hint, sum(l.amount) as amount, sum(l.half) as half, count(l.amount) as n, min(l.source_ref) as source_ref
    from documents as d cross join hints as h
    left join lines as l on l.document_id = d.document_id and l.table_kind = 'general_budget_basic_expenditure'
        and list_contains(h.economic_codes, l.economic_class_code)
    group by all
),

functional as (
    select d.document_id, h.hint, sum(l.amount) as amount, sum(l.half) as half, count(l.amount) as n, min(l.source_ref) as source_ref
    from documents as d cross join hints as h
    left join lines as l on l.document_id = d.document_id and l.table_kind = 'general_budget_expenditure'
        and list_contains(h.subject_codes, l.subject_code)
    group by all
)

select
    e.document_id,
    'general_budget_basic_expenditure' as table_kind,
    null as table_id,
    '经济分类 ' || array_to_string(h.economic_codes, '+') || ' vs 功能分类 ' || array_to_string(h.subject_codes, '+')
        || ' (' || h.hint || ', 一般公共预算基本支出表 vs 一般公共预算支出表)' as description,
    coalesce(f.amount, 0) as expected,
    coalesce(e.amount, 0) as actual,
    coalesce(e.half, 0) + coalesce(f.half, 0) as tolerance,
    'warning' as severity,
    coalesce(e.source_ref, f.source_ref) as source_ref,
    'hint|' || array_to_string(h.economic_codes, '+') || '|' || array_to_string(h.subject_codes, '+') as place_key,
    [] as figures
from economic as e
join functional as f using (document_id, hint)
join hints as h using (hint)
where e.n > 0 or f.n > 0
