-- @table 检查辅助：文字说明中的功能分类科目与表格的对应 / Helper for checks: each functional-classification item the
-- @table narrative states an amount for (function:<类>/<款>/<项>, or 类(类)款(款)项(项)), matched to that subject's line
-- @table in every expenditure table that prints it. The claim's names are the last levels of the printed path: 款/项,
-- @table or 项 alone, are enough when they name one line of the table. Names compare without spaces, full-width
-- @table brackets or a trailing 支出. candidates: subjects of the table matched (usable when 1); priority: which table
-- @table a finding names when the claim equals none of them.
with claimed as (
    select distinct
        document_id,
        measure,
        list_filter(
            list_transform(
                regexp_split_to_array(substr(measure, 10), '/|[(（](?:类|款|项)[)）]'),
                lambda x: regexp_replace(regexp_replace(translate(x, '（）', '()'), '[\s　]', '', 'g'), '支出$', '')
            ),
            lambda x: x <> ''
        ) as parts
    from fact_narrative_figure
    where measure like 'function:%'
),

tables(table_kind, priority) as (
    values
        ('expenditure_summary', 1),
        ('general_budget_expenditure', 2),
        ('fiscal_appropriation_expenditure', 3),
        ('government_fund_expenditure', 4),
        ('state_capital_expenditure', 5),
        ('income_expenditure_summary', 6),
        ('fiscal_appropriation_summary', 7)
),

lines as (
    select
        l.document_id, l.table_kind, t.priority, l.table_number, l.subject_code, l.printed_subject_name, l.amount,
        l.source_ref, length(l.subject_code) as code_length, l.table_id, l.block_no,
        l.table_id || '#' || l.row_no || '#' || l.column_name as cell,
        case when l.half_unit < 0.01 then 0 else l.half_unit end as half,
        regexp_replace(regexp_replace(translate(coalesce(l.printed_subject_name, ''), '（）', '()'), '[\s　]', '', 'g'),
                       '支出$', '') as name
    from fact_budget_line as l
    join tables as t using (table_kind)
    where l.subject_code is not null and l.expense_type = 'total' and l.fund_source is null
      and coalesce(l.side, 'expenditure') = 'expenditure' and length(l.subject_code) in (3, 5, 7)
),

paths as (
    select distinct
        x.document_id, x.table_kind, x.priority, x.table_number, x.subject_code, x.printed_subject_name, x.amount,
        x.half, x.source_ref, x.table_id, x.cell,
        list_filter([k.name, case when x.code_length >= 5 then c.name end, case when x.code_length = 7 then x.name end],
                    lambda v: v is not null) as path
    from lines as x
    left join lines as k
        on k.document_id = x.document_id and k.table_kind = x.table_kind and k.subject_code = left(x.subject_code, 3)
        and k.block_no = x.block_no
    left join lines as c
        on c.document_id = x.document_id and c.table_kind = x.table_kind and c.subject_code = left(x.subject_code, 5)
        and c.block_no = x.block_no
),

matched as (
    select c.document_id, c.measure, p.*
    from claimed as c
    join paths as p
        on p.document_id = c.document_id and len(c.parts) between 1 and len(p.path)
       and c.parts = list_slice(p.path, len(p.path) - len(c.parts) + 1, len(p.path))
)

select
    document_id, measure, table_kind, priority,
    count(distinct subject_code) as candidates,
    min(subject_code) as subject_code,
    min(table_number) as table_number,
    min(subject_code) || ' ' || min(printed_subject_name) as label,
    min(amount) as amount,
    max(half) as half,
    min(source_ref) as source_ref,
    min(table_id) as table_id,
    min(cell) as cell
from matched
group by document_id, measure, table_kind, priority
having count(distinct subject_code) > 1 or min(amount) = max(amount)
