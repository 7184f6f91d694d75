-- @table 检查：表间一致 / Cross-table: the same figure printed in several tables agrees. Class (类) totals of 收支总表 and
-- @table 支出总表 (all funds), of 财政拨款收支总表 and 一般公共预算支出表 + 政府性基金预算支出表 (fiscal); 支出总表 vs
-- @table 财政拨款收支总表 (a warning: equal only when all money is fiscal); basic/personnel/public totals of 一般公共预算支出表
-- @table and 基本支出表; Σ projects of 项目支出表 vs 项目支出 of 支出总表 (合计) and of 一般公共预算支出表 (一般公共预算);
-- @table unit rows of 收入总表 vs the department row, department rows vs 合计; 收入总表 合计 vs 收支总表 收入总计.
-- @table A class printed in one table and missing from the other counts as 0 there (both tables must be present), as a
-- @table warning only: a row missing from a reading looks the same as a row missing from the print.
with lines as (
    select
        document_id, table_id, table_kind, table_number, row_role, side, subject_code, unit_code, fund_source,
        expense_type, amount, source_ref, printed_unit_name, block_no,
        case when half_unit < 0.01 then 0 else half_unit end as half,
        table_id || '#' || row_no || '#' || column_name as cell
    from fact_budget_line
),

class_figures as (
    -- (document, series, class code) → amount
    select document_id, 'ies' as series, subject_code as code, amount, half, source_ref, table_number, table_id, cell
    from lines where table_kind = 'income_expenditure_summary' and side = 'expenditure' and length(subject_code) = 3
      and expense_type = 'total' and fund_source is null  -- not its split by 人员经费/公用经费/项目支出 or by fund
    union all
    select document_id, 'es', subject_code, amount, half, source_ref, table_number, table_id, cell
    from lines where table_kind = 'expenditure_summary' and expense_type = 'total' and fund_source is null and length(subject_code) = 3
    union all
    select document_id, 'fas', subject_code, amount, half, source_ref, table_number, table_id, cell
    from lines where table_kind = 'fiscal_appropriation_summary' and side = 'expenditure' and length(subject_code) = 3
      and expense_type = 'total' and fund_source is null  -- the 合计 column, not its 一般公共预算/政府性基金 parts
    union all
    select document_id, 'gbe+gf', subject_code, amount, half, source_ref, table_number, table_id, cell
    from lines
    where table_kind in ('general_budget_expenditure', 'government_fund_expenditure', 'state_capital_expenditure')
      and expense_type = 'total' and fund_source is null and length(subject_code) = 3
),

class_series as (
    select document_id, series, code, sum(amount) as amount, sum(half) as half, min(source_ref) as source_ref,
        string_agg(distinct table_number, '+') as table_number, min(table_id) as table_id, list(cell order by cell) as cells
    from class_figures group by document_id, series, code
),

present as (
    select distinct document_id, series from class_figures
),

pairs(left_series, right_series, left_name, right_name, severity) as (
    values
        ('ies', 'es', '收支总表', '支出总表', 'error'),
        ('fas', 'gbe+gf', '财政拨款收支总表', '一般公共预算支出表+政府性基金预算支出表', 'error'),
        ('es', 'fas', '支出总表', '财政拨款收支总表', 'warning')
),

class_codes as (
    select distinct c.document_id, p.left_series, p.right_series, c.code
    from class_series as c
    join pairs as p on c.series in (p.left_series, p.right_series)
),

class_relations as (
    select
        k.document_id, 'expenditure_summary' as table_kind,
        p.left_name || ' vs ' || p.right_name || ' 类 ' || k.code || ' 合计 (class total)'
            || case when l.amount is null then '：' || p.left_name || '未印出该类'
                    when r.amount is null then '：' || p.right_name || '未印出该类' else '' end as description,
        coalesce(l.amount, 0) as expected, coalesce(r.amount, 0) as actual,
        coalesce(l.half, 0) + coalesce(r.half, 0) as tolerance,
        case when l.amount is null or r.amount is null then 'warning' else p.severity end as severity,
        coalesce(r.source_ref, l.source_ref) as source_ref,
        'class|' || p.left_series || '|' || p.right_series || '|' || k.code as place_key,
        coalesce(r.table_id, l.table_id) as table_id,
        list_concat(coalesce(r.cells, []), coalesce(l.cells, [])) as figures
    from class_codes as k
    join pairs as p on p.left_series = k.left_series and p.right_series = k.right_series
    join present as pl on pl.document_id = k.document_id and pl.series = p.left_series
    join present as pr on pr.document_id = k.document_id and pr.series = p.right_series
    left join class_series as l on l.document_id = k.document_id and l.series = p.left_series and l.code = k.code
    left join class_series as r on r.document_id = k.document_id and r.series = p.right_series and r.code = k.code
),

single_figures as (
    select document_id, 'gbe.' || expense_type as key, amount, half, source_ref, table_id, [cell] as cells
    from lines where table_kind = 'general_budget_expenditure' and row_role = 'total' and fund_source is null
    union all
    select document_id, 'gbbe.' || expense_type, amount, half, source_ref, table_id, [cell]
    from lines where table_kind = 'general_budget_basic_expenditure' and row_role = 'total' and fund_source is null
    union all
    select document_id, 'es.' || expense_type, amount, half, source_ref, table_id, [cell]
    from lines where table_kind = 'expenditure_summary' and row_role = 'total' and fund_source is null
    union all
    select document_id, 'pe.sum.' || coalesce(fund_source, 'total'), sum(amount), sum(half), min(source_ref),
        min(table_id), list(cell order by cell)
    from lines where table_kind = 'project_expenditure' and row_role = 'detail' and expense_type = 'total'
    group by document_id, fund_source
    union all
    select document_id, 'is.total', amount, half, source_ref, table_id, [cell]
    from lines where table_kind = 'income_summary' and row_role = 'total' and fund_source is null and expense_type = 'total'
    union all
    select document_id, 'ies.income_total', amount, half, source_ref, table_id, [cell]
    from lines where table_kind = 'income_expenditure_summary' and side = 'income' and row_role = 'total'
      and expense_type = 'total' and fund_source is null
),

single_pairs(left_key, right_key, table_kind, description) as (
    values
        ('gbe.basic', 'gbbe.total', 'general_budget_basic_expenditure', '一般公共预算支出表 基本支出 vs 一般公共预算基本支出表 合计 (basic expenditure)'),
        ('gbe.personnel', 'gbbe.personnel', 'general_budget_basic_expenditure', '一般公共预算支出表 人员经费 vs 一般公共预算基本支出表 人员经费 (personnel)'),
        ('gbe.public', 'gbbe.public', 'general_budget_basic_expenditure', '一般公共预算支出表 公用经费 vs 一般公共预算基本支出表 公用经费 (public)'),
        ('es.project', 'pe.sum.total', 'project_expenditure', '支出总表 项目支出 vs 项目支出表 Σ项目 合计 (project total)'),
        ('gbe.project', 'pe.sum.general_public_budget', 'project_expenditure', '一般公共预算支出表 项目支出 vs 项目支出表 Σ项目 本年拨款/一般公共预算 (project total)'),
        ('ies.income_total', 'is.total', 'income_summary', '收支总表 收入总计 vs 收入总表 合计 (income total)')
),

single_relations as (
    select
        l.document_id, p.table_kind, p.description,
        l.amount as expected, r.amount as actual, l.half + r.half as tolerance, 'error' as severity,
        r.source_ref, 'single|' || p.left_key || '|' || p.right_key as place_key,
        r.table_id, list_concat(r.cells, l.cells) as figures
    from single_pairs as p
    join single_figures as l on l.key = p.left_key
    join single_figures as r on r.key = p.right_key and r.document_id = l.document_id
),

unit_lines as (
    select * from lines where table_kind = 'income_summary' and side is null
),

unit_relations as (
    -- a row whose unit code is the prefix of others (the department) = Σ those rows; 合计 = Σ department rows
    select
        p.document_id, 'income_summary' as table_kind,
        '收入总表 ' || p.unit_code || ' ' || coalesce(p.printed_unit_name, '') || ' [' || coalesce(p.fund_source, '合计')
            || '] = Σ 所属单位 (sum of its units)' as description,
        sum(c.amount) as expected, p.amount as actual, sum(c.half) + min(p.half) as tolerance, 'error' as severity,
        p.source_ref, 'units|' || p.unit_code || '|' || coalesce(p.fund_source, 'total') as place_key,
        p.table_id, list_prepend(p.cell, list(c.cell order by c.cell)) as figures
    from unit_lines as p
    join unit_lines as c on c.document_id = p.document_id and coalesce(c.fund_source, '') = coalesce(p.fund_source, '')
        and c.expense_type = p.expense_type and length(c.unit_code) > length(p.unit_code) and starts_with(c.unit_code, p.unit_code)
    where p.unit_code is not null
    group by p.document_id, p.unit_code, p.printed_unit_name, p.fund_source, p.amount, p.source_ref, p.table_id, p.cell
    union all
    select
        t.document_id, 'income_summary',
        '收入总表 合计 [' || coalesce(t.fund_source, '合计') || '] = Σ 部门 (sum of department rows)',
        sum(d.amount), t.amount, sum(d.half) + min(t.half), 'error', t.source_ref,
        'units|total|' || coalesce(t.fund_source, 'total'), t.table_id, list_prepend(t.cell, list(d.cell order by d.cell))
    from unit_lines as t
    join unit_lines as d on d.document_id = t.document_id and coalesce(d.fund_source, '') = coalesce(t.fund_source, '')
        and d.expense_type = t.expense_type and d.unit_code is not null
        and not exists (select 1 from unit_lines as u where u.document_id = d.document_id and u.unit_code is not null
                        and length(u.unit_code) < length(d.unit_code) and starts_with(d.unit_code, u.unit_code))
    where t.row_role = 'total' and t.unit_code is null
    group by t.document_id, t.fund_source, t.amount, t.source_ref, t.table_id, t.cell
)

select document_id, table_kind, table_id, description, expected, actual, tolerance, severity, source_ref, place_key, figures
from (
    select * from class_relations
    union all
    select * from single_relations
    union all
    select * from unit_relations
)
