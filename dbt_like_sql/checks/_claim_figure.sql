-- @table 检查辅助：文字说明指标对应的表内数字 / Helper for checks: for every document and every narrative measure
-- @table that names a table figure, that figure (yuan, exact), its rounding half-unit and where it is printed.
-- One row per (document, measure) of the map; amount is NULL when the document prints no such figure, or prints it
-- several times with different amounts (candidates > 1).
-- share_base_measure names the measure whose figure is the denominator of "<measure>.share". A measure the text
-- words loosely (支出预算 X万元: 本年支出合计 of 支出总表, or 支出总计 of 收支总表 with the carry-over) has an
-- alternative (priority 2): the claim ties out with either; shares and changes read the first.
with lines as (
    select
        document_id, table_kind, table_number, row_role, side, fund_source, expense_type,
        subject_code, economic_class_code, item_code, row_label, line_item, amount, source_ref, table_id,
        case when half_unit < 0.01 then 0 else half_unit end as half,
        table_id || '#' || row_no || '#' || column_name as cell
    from fact_budget_line
),

total_rows as (
    -- the 合计 row of single-sided tables, one figure per column
    select * from lines where row_role = 'total' and side is null
),

figures as (
    select document_id, 'ies.income_total' as figure_key, table_kind, table_number, '收入总计' as label, amount, half, source_ref, table_id, cell
    from lines where table_kind = 'income_expenditure_summary' and side = 'income' and row_role = 'total'
    union all
    select document_id, 'ies.expenditure_total', table_kind, table_number, '支出总计', amount, half, source_ref, table_id, cell
    from lines where table_kind = 'income_expenditure_summary' and side = 'expenditure' and row_role = 'total'
    union all
    select document_id, 'is.' || coalesce(fund_source, 'total'), table_kind, table_number,
        '合计行 ' || coalesce(fund_source, '合计'), amount, half, source_ref, table_id, cell
    from total_rows where table_kind = 'income_summary'
    union all
    select document_id, 'es.' || expense_type, table_kind, table_number, '合计行 ' || expense_type, amount, half, source_ref, table_id, cell
    from total_rows where table_kind = 'expenditure_summary' and fund_source is null
    union all
    -- a 支出总表 printed as one row of figures without a row label (Jiangsu 支出预算总表: 合计 | 基本支出 | 项目支出 |
    -- 单位预留机动经费) is its own 合计 row
    select document_id, 'es.' || expense_type, table_kind, table_number, '合计 ' || expense_type, amount, half, source_ref, table_id, cell
    from lines as l
    where table_kind = 'expenditure_summary' and side is null and fund_source is null and subject_code is null
      and coalesce(trim(row_label, ' 　'), '') = '' and row_role = 'detail'
      and not exists (select 1 from lines as t where t.document_id = l.document_id and t.table_kind = 'expenditure_summary'
                      and t.row_role = 'total')
    union all
    select document_id, 'gbe.' || expense_type, table_kind, table_number, '合计行 ' || expense_type, amount, half, source_ref, table_id, cell
    from total_rows where table_kind = 'general_budget_expenditure' and fund_source is null
    union all
    select document_id, 'gbbe.' || expense_type, table_kind, table_number, '合计行 ' || expense_type, amount, half, source_ref, table_id, cell
    from total_rows where table_kind = 'general_budget_basic_expenditure' and fund_source is null
    union all
    select document_id, 'econ.' || economic_class_code, table_kind, table_number, economic_class_code || ' 合计',
        amount, half, source_ref, table_id, cell
    from lines
    where table_kind = 'general_budget_basic_expenditure' and expense_type = 'total' and fund_source is null
      and economic_class_code is not null and length(economic_class_code) = 3
    qualify count(*) over (partition by document_id, economic_class_code) = 1  -- a class printed once per unit: no single figure
    union all
    select document_id, 'tp.' || expense_type, table_kind, table_number, expense_type, amount, half, source_ref, table_id, cell
    from lines where table_kind = 'three_public' and fund_source is null and row_role <> 'subtotal'
      -- a table of several periods (2025年 | 2026年 | 增减变化金额): this year's row
      and (line_item is null or line_item like '%' || (select cast(year as varchar) from dim_document as d
                                                     where d.document_id = lines.document_id) || '%')
    qualify count(*) over (partition by document_id, expense_type) = 1
    union all
    select document_id, 'fas.expenditure_total', table_kind, table_number, '支出总计', amount, half, source_ref, table_id, cell
    from lines
    where table_kind = 'fiscal_appropriation_summary' and side = 'expenditure' and row_role = 'total'
      and expense_type = 'total' and fund_source is null
    union all
    -- income by source on the 收支总表 (一、财政拨款 / 1.一般公共预算): printed once per source
    select document_id, 'ies.income.' || fund_source, table_kind, table_number, '收入 ' || fund_source, amount, half, source_ref, table_id, cell
    from lines
    where table_kind = 'income_expenditure_summary' and side = 'income' and row_role in ('detail', 'subtotal')
      and expense_type = 'total' and fund_source is not null
    qualify count(*) over (partition by document_id, fund_source) = 1
    union all
    -- … and the same lines for a 收入总表 printed as income lines without fund columns (Jiangsu 收入预算总表)
    select document_id, 'is.' || fund_source, table_kind, table_number, '收入 ' || fund_source, amount, half, source_ref, table_id, cell
    from lines as l
    where table_kind = 'income_expenditure_summary' and side = 'income' and row_role in ('detail', 'subtotal')
      and expense_type = 'total' and fund_source is not null
      and not exists (select 1 from lines as i where i.document_id = l.document_id and i.table_kind = 'income_summary'
                      and i.fund_source is not null)
    qualify count(*) over (partition by document_id, fund_source) = 1
    union all
    select document_id, 'fas.income_total', table_kind, table_number, '收入总计', amount, half, source_ref, table_id, cell
    from lines where table_kind = 'fiscal_appropriation_summary' and side = 'income' and row_role = 'total'
    union all
    select document_id, 'fas.income.' || fund_source, table_kind, table_number, '本年收入 ' || fund_source, amount, half, source_ref, table_id, cell
    from lines
    where table_kind = 'fiscal_appropriation_summary' and side = 'income' and row_role = 'detail' and fund_source is not null
      and fund_source not like 'carryover%'
    qualify count(*) over (partition by document_id, fund_source) = 1  -- this year's and last year's rows: no single figure
),

alternatives(measure, figure_key, share_base_measure, severity) as (
    values
        ('income_total', 'ies.income_total', null, 'error'),
        ('expenditure_total', 'ies.expenditure_total', null, 'error'),
        ('total_budget', 'ies.expenditure_total', null, 'error')
),

measure_map(measure, figure_key, share_base_measure, severity) as (
    values
        ('total_budget', 'ies.income_total', null, 'error'),
        ('income_total', 'is.total', null, 'error'),
        ('income.general_public_budget', 'is.general_public_budget', 'income_total', 'error'),
        ('income.government_fund', 'is.government_fund', 'income_total', 'error'),
        ('income.state_capital', 'is.state_capital', 'income_total', 'error'),
        ('income.special_account', 'is.special_account', 'income_total', 'error'),
        ('income.business', 'is.business_income', 'income_total', 'error'),
        ('income.operating', 'is.business_operation_income', 'income_total', 'error'),
        ('income.higher_level_subsidy', 'is.superior_subsidy', 'income_total', 'error'),
        ('income.subordinate_remittance', 'is.affiliate_remittance', 'income_total', 'error'),
        ('income.other', 'is.other_income', 'income_total', 'error'),
        ('income.other_funds', 'is.other_funds', 'income_total', 'error'),
        ('income.carryover', 'is.carryover', 'income_total', 'error'),
        ('expenditure_total', 'es.total', null, 'error'),
        ('expenditure.basic', 'es.basic', 'expenditure_total', 'error'),
        ('expenditure.project', 'es.project', 'expenditure_total', 'error'),
        ('expenditure.operating', 'es.business_operation', 'expenditure_total', 'error'),
        ('expenditure.remit_to_higher', 'es.remit_to_superior', 'expenditure_total', 'error'),
        ('expenditure.subordinate_subsidy', 'es.subsidy_to_affiliates', 'expenditure_total', 'error'),
        ('expenditure.reserve', 'es.unit_reserve', 'expenditure_total', 'error'),
        ('expenditure.carry_forward', 'es.carry_forward', 'expenditure_total', 'error'),
        ('income.fiscal_appropriation', 'ies.income.fiscal_appropriation', 'income_total', 'error'),
        ('fiscal.expenditure_total', 'fas.expenditure_total', null, 'error'),
        ('fiscal_appropriation_total', 'fas.income_total', null, 'error'),
        ('fiscal.income.general_public_budget', 'fas.income.general_public_budget', null, 'error'),
        ('fiscal.income.government_fund', 'fas.income.government_fund', null, 'error'),
        ('fiscal.income.state_capital', 'fas.income.state_capital', null, 'error'),
        -- 财政拨款 basic/project: equal to the general-budget figures when no other fiscal money is printed
        ('fiscal.expenditure.basic', 'gbe.basic', null, 'error'),
        ('fiscal.expenditure.project', 'gbe.project', null, 'error'),
        ('general_budget_expenditure_total', 'gbe.total', null, 'error'),
        ('general_budget.expenditure.basic', 'gbe.basic', 'general_budget_expenditure_total', 'error'),
        ('general_budget.expenditure.project', 'gbe.project', 'general_budget_expenditure_total', 'error'),
        ('general_budget_basic_total', 'gbbe.total', null, 'error'),
        ('personnel', 'gbbe.personnel', 'general_budget_basic_total', 'error'),
        ('public', 'gbbe.public', 'general_budget_basic_total', 'error'),
        ('economic.301', 'econ.301', null, 'error'),
        ('economic.302', 'econ.302', null, 'error'),
        ('economic.303', 'econ.303', null, 'error'),
        ('economic.310', 'econ.310', null, 'error'),
        ('economic.399', 'econ.399', null, 'error'),
        ('three_public.total', 'tp.three_public_total', null, 'error'),
        ('three_public.overseas', 'tp.three_public_overseas', null, 'error'),
        ('three_public.vehicle', 'tp.three_public_vehicle', null, 'error'),
        ('three_public.vehicle_purchase', 'tp.three_public_vehicle_purchase', null, 'error'),
        ('three_public.vehicle_operation', 'tp.three_public_vehicle_operation', null, 'error'),
        ('three_public.reception', 'tp.three_public_reception', null, 'error'),
        ('meeting_fee', 'tp.meeting', null, 'error'),
        ('training_fee', 'tp.training', null, 'error'),
        -- 机关运行经费 is usually the 公用经费 of the administrative units: a hint, not a law
        ('operating_cost', 'gbbe.public', null, 'warning'),
        ('performance_targets.expenditure.basic', 'gbe.basic', null, 'error'),
        ('performance_targets.expenditure.project', 'gbe.project', null, 'error'),
        ('form.income.fiscal', 'fas.income_total', 'form.income_total', 'error'),
        ('form.income_total', 'is.total', 'form.income_total', 'error'),
        ('form.expenditure.basic', 'es.basic', 'form.expenditure_total', 'error'),
        ('form.expenditure.project', 'es.project', 'form.expenditure_total', 'error'),
        ('form.expenditure_total', 'es.total', 'form.expenditure_total', 'error')
),

documents as (
    select distinct document_id from fact_narrative_figure
),

candidates as (
    select *, 1 as priority from measure_map
    union all
    select *, 2 from alternatives
),

-- one row per (document, measure, priority): a figure printed several times with different amounts (a 合计 row in each
-- unit's block, two 收支总表) is no single figure: amount NULL, candidates says how many amounts were found
located as (
    select
        d.document_id, m.measure, m.figure_key, m.share_base_measure, m.severity, m.priority,
        f.table_kind, f.table_number, f.label, f.amount, f.half, f.source_ref, f.table_id, f.cell
    from documents as d
    cross join candidates as m
    left join figures as f on f.document_id = d.document_id and f.figure_key = m.figure_key
)

select
    document_id, measure, any_value(figure_key) as figure_key, any_value(share_base_measure) as share_base_measure,
    any_value(severity) as severity,
    count(distinct amount) as candidates,
    case when count(distinct amount) = 1 then min(table_kind) end as table_kind,
    case when count(distinct amount) = 1 then min(table_number) end as table_number,
    case when count(distinct amount) = 1 then min(label) end as label,
    case when count(distinct amount) = 1 then min(amount) end as amount,
    case when count(distinct amount) = 1 then max(half) end as half,
    case when count(distinct amount) = 1 then min(source_ref) end as source_ref,
    case when count(distinct amount) = 1 then min(table_id) end as table_id,
    case when count(distinct amount) = 1 then min(cell) end as cell,
    priority
from located
group by document_id, measure, priority
