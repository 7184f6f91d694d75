-- @table 支出类型维度 / What each expense_type means and every printed column label it was read from, so the
-- @table mapping from a template's words to one concept can be audited (a label no rule knows is 'other').
-- @column expense_type 支出类型 / snake_case name used by fact_budget_line.
-- @column name_zh 中文名 / The usual printed name.
-- @column meaning 含义 / What the figures of such a column are.
-- @column labels_seen 所见列名 / Every printed column path read as this type, in the loaded documents.
-- @column line_count 行数 / Budget lines of this type.
with known(expense_type, name_zh, meaning) as (
    values
        ('total', '合计', 'The row total of a table, whatever it is called (合计, 小计, 总计, 金额, 预算数, 支出总计, 本年一般公共预算基本支出/合计 …). With fund_source set: the total of that fund only; the row total has fund_source NULL.'),
        ('basic', '基本支出', 'Basic expenditure (人员经费 + 公用经费).'),
        ('personnel', '人员经费', 'Personnel costs (人员经费, 人员支出, 工资福利支出 as a column).'),
        ('public', '公用经费', 'Public (office) costs (公用经费, 日常公用支出, 公用支出).'),
        ('project', '项目支出', 'Project expenditure (项目支出, 项目支出总数, 专项业务经费).'),
        ('project_excluding_capital_construction', '扣除基建项目后预算数', 'Project expenditure without capital-construction projects (北京).'),
        ('business_operation', '事业单位经营支出', 'Business operation expenditure of public institutions.'),
        ('remit_to_superior', '上缴上级支出', 'Remittances to the superior unit.'),
        ('subsidy_to_affiliates', '对附属单位补助支出', 'Subsidies to affiliated units.'),
        ('unit_reserve', '单位预留机动经费', 'Reserve kept by the unit (Jiangsu 收支总表).'),
        ('carry_forward', '结转下年', 'Carried forward to the next year.'),
        ('opening_balance', '年初结转和结余', 'Balance carried over at the start of the year (决算).'),
        ('closing_balance', '年末结转和结余', 'Balance carried over at the end of the year (决算).'),
        ('current_income', '本年收入', 'Income of the year (决算 fund tables).'),
        ('three_public_total', '“三公”经费合计', 'Total of the three public expenses.'),
        ('three_public_overseas', '因公出国（境）费', 'Official travel abroad.'),
        ('three_public_vehicle', '公务用车购置及运行费', 'Official vehicles, purchase and operation.'),
        ('three_public_vehicle_purchase', '公务用车购置费', 'Official vehicle purchase.'),
        ('three_public_vehicle_operation', '公务用车运行费', 'Official vehicle operation and maintenance.'),
        ('three_public_reception', '公务接待费', 'Official reception.'),
        ('meeting', '会议费', 'Meetings (printed beside the 三公 figures).'),
        ('training', '培训费', 'Training (printed beside the 三公 figures).'),
        ('operating_cost', '机关运行经费', 'Operating costs of the administration.'),
        ('procurement', '政府采购', 'Government procurement planned within the row.'),
        ('procurement_total', '采购金额合计', 'Total of a procurement line.'),
        ('sme_reserved', '面向中小企业', 'Of a procurement amount: reserved for small and medium enterprises.'),
        ('micro_small_reserved', '面向小微企业', 'Of a procurement amount: reserved for small and micro enterprises.'),
        ('by_use', '支出用途', 'A use of the expenditure printed as a row of 收支总表 (Jiangsu), no other type known.'),
        ('other', '其他（未识别）', 'A column no rule knows: its figures keep their printed label (column_name) and enter no tie-out; the reader warns.')
),

seen as (
    select expense_type, list(distinct column_name order by column_name) as labels_seen, count(*) as line_count
    from stg_budget_lines
    where expense_type is not null
    group by expense_type
)

select
    coalesce(s.expense_type, k.expense_type) as expense_type,
    coalesce(k.name_zh, case when s.expense_type like 'budget.%' then '预算数'
                             when s.expense_type like 'prior_year.%' then '上年数'
                             when s.expense_type like 'of_which.%' then '其中' end) as name_zh,
    coalesce(k.meaning, case
        when s.expense_type like 'budget.%' then
            'The budget (预算数) printed beside the outturn (决算数) in a 决算 table, of: ' || substr(s.expense_type, 8)
        when s.expense_type like 'prior_year.%' then
            'An earlier year''s figure (2025年预算数 beside 2026年预算数), of: ' || substr(s.expense_type, 12)
        when s.expense_type like 'of_which.%' then
            'A part already in the total (其中：…), never added to it, of: ' || substr(s.expense_type, 10) end)
        as meaning,
    coalesce(s.labels_seen, []) as labels_seen,
    coalesce(s.line_count, 0) as line_count
from seen as s
full join known as k using (expense_type)
order by expense_type
