-- @table 表类型维度 / The standard tables: each table_kind with its usual Chinese name (titles vary by template: 收支总表, 收支预算总表, 收支总体情况表 …).
-- @column table_kind 表类型 / snake_case name used by every table of the warehouse.
-- @column table_name 表名 / The usual printed name.
select * from (values
    ('income_expenditure_summary', '收支总表'),
    ('income_summary', '收入总表'),
    ('expenditure_summary', '支出总表'),
    ('fiscal_appropriation_summary', '财政拨款收支总表'),
    ('general_budget_expenditure', '一般公共预算支出表'),
    ('general_budget_basic_expenditure', '一般公共预算基本支出表'),
    ('fiscal_appropriation_basic_expenditure', '财政拨款基本支出表'),
    ('fiscal_appropriation_expenditure', '财政拨款支出表'),
    ('three_public', '“三公”经费支出表'),
    ('government_fund_expenditure', '政府性基金预算支出表'),
    ('state_capital_expenditure', '国有资本经营预算支出表'),
    ('project_expenditure', '项目支出表'),
    ('procurement', '政府采购预算表'),
    ('purchase_of_services', '政府购买服务预算表'),
    ('asset_allocation', '资产配置预算表'),
    ('operating_cost', '机关运行经费表'),
    ('general_budget_economic', '一般公共预算支出表（按经济分类）'),
    ('general_budget_project_economic', '一般公共预算项目支出表（按经济分类）'),
    ('basic_expenditure_summary', '基本支出总表'),
    ('narrative', '文字说明'),
    ('performance_form', '绩效目标申报表')
) as t(table_kind, table_name)
