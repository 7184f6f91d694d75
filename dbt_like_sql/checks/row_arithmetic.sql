-- @table 检查：行内运算 / Row arithmetic: in every row, each total column equals the sum of its part columns
-- @table (合计 = 基本支出 + 项目支出 (+ 单位预留机动经费, 结转下年资金 …), 基本支出/小计 = 人员经费 + 公用经费,
-- @table 合计 = 本年收入 + 上年结转结余 …; 三公 合计 = parts, and 合计 = 三公 + 会议费 + 培训费 where those are printed).
-- Tolerance: the printed half-units of the parts and of the total (zero for tables printed to the cent).
with lines as (
    select
        document_id, table_id, table_kind, table_number, row_no, row_label, column_name, amount, source_ref,
        case when half_unit < 0.01 then 0 else half_unit end as half,
        case when fund_source is null then expense_type else 'fund:' || fund_source end as col_key,
        coalesce(subject_code, economic_class_code, unit_code, project_code, trim(row_label, ' 　')) as row_key,
        table_id || '#' || row_no || '#' || column_name as cell
    from fact_budget_line
    where table_kind not in ('procurement', 'purchase_of_services', 'asset_allocation')
),

row_keys as (
    select document_id, table_id, row_no, list(distinct col_key order by col_key) as keys
    from lines
    group by all
),

fund_groups(group_key, member_key) as (
    values ('fund:fiscal_appropriation', 'fund:general_public_budget'), ('fund:fiscal_appropriation', 'fund:government_fund'),
           ('fund:fiscal_appropriation', 'fund:state_capital'), ('fund:unit_funds', 'fund:business_income'),
           ('fund:unit_funds', 'fund:business_operation_income'), ('fund:unit_funds', 'fund:superior_subsidy'),
           ('fund:unit_funds', 'fund:affiliate_remittance'), ('fund:unit_funds', 'fund:other_income')
),

fund_columns as (
    select * from lines
    where col_key like 'fund:%' and table_kind in ('income_summary', 'project_expenditure', 'basic_expenditure_summary')
),

-- (row, fund column, a fund of the same row it is part of): 上年结转结余 holds its funds, 本年收入 every other fund,
-- 财政拨款 the three budgets, 单位资金 the unit's own income
memberships as (
    select l.document_id, l.table_id, l.row_no, l.col_key, g.col_key as group_key
    from fund_columns as l
    join fund_columns as g
        on g.document_id = l.document_id and g.table_id = l.table_id and g.row_no = l.row_no and g.col_key <> l.col_key
    where (g.col_key = 'fund:carryover' and l.col_key like 'fund:carryover.%')
       or (g.col_key = 'fund:current_year' and l.col_key not like 'fund:carryover%')
       or exists (select 1 from fund_groups as f where f.group_key = g.col_key and f.member_key = l.col_key)
),

expense_tables(table_kind) as (
    values ('expenditure_summary'), ('general_budget_expenditure'), ('general_budget_basic_expenditure'),
           ('fiscal_appropriation_basic_expenditure'), ('fiscal_appropriation_expenditure'),
           ('government_fund_expenditure'), ('state_capital_expenditure')
),

-- (relation, total column key, part column key) for every row; which parts exist decides the rule
relations as (
    select l.document_id, l.table_id, l.row_no, 'total=parts' as relation, 'total' as total_key, l.col_key as part_key
    from lines as l
    join row_keys as k using (document_id, table_id, row_no)
    where l.table_kind in (select table_kind from expense_tables)
      and (l.col_key in ('basic', 'project', 'business_operation', 'remit_to_superior', 'subsidy_to_affiliates',
                         'unit_reserve', 'carry_forward')
           or (l.col_key in ('personnel', 'public') and not list_contains(k.keys, 'basic')))
    union all
    select l.document_id, l.table_id, l.row_no, 'basic=personnel+public', 'basic', l.col_key
    from lines as l
    where l.table_kind in (select table_kind from expense_tables) and l.col_key in ('personnel', 'public')
    union all
    select l.document_id, l.table_id, l.row_no, 'three_public_total=parts', 'three_public_total', l.col_key
    from lines as l
    join row_keys as k using (document_id, table_id, row_no)
    where l.table_kind = 'three_public'
      and (l.col_key in ('three_public_overseas', 'three_public_vehicle', 'three_public_reception')
           or (l.col_key in ('three_public_vehicle_purchase', 'three_public_vehicle_operation')
               and not list_contains(k.keys, 'three_public_vehicle')))
    union all
    -- a 三公 table that also prints 会议费 and 培训费 (Jiangsu): its 合计 = 三公 小计 + 会议费 + 培训费
    select l.document_id, l.table_id, l.row_no, 'total=three_public+meeting+training', 'total', l.col_key
    from lines as l
    join row_keys as k using (document_id, table_id, row_no)
    where l.table_kind = 'three_public' and l.col_key in ('three_public_total', 'meeting', 'training')
      and (list_contains(k.keys, 'meeting') or list_contains(k.keys, 'training'))
    union all
    select l.document_id, l.table_id, l.row_no, 'vehicle=purchase+operation', 'three_public_vehicle', l.col_key
    from lines as l
    where l.table_kind = 'three_public'
      and l.col_key in ('three_public_vehicle_purchase', 'three_public_vehicle_operation')
    union all
    -- a row split by fund: the total is the sum of the top-level funds; a fund printed with its parts beside it
    -- (财政拨款/合计 | …/一般公共预算 | …/政府性基金, 本年收入/小计 | …, 上年结转结余/小计 | …) counts once, and
    -- equals the sum of its own parts
    select m.document_id, m.table_id, m.row_no, 'total=funds', 'total', m.col_key
    from fund_columns as m
    where not exists (select 1 from memberships as x
                      where x.document_id = m.document_id and x.table_id = m.table_id and x.row_no = m.row_no
                        and x.col_key = m.col_key)
    union all
    select x.document_id, x.table_id, x.row_no, x.group_key || '=parts', x.group_key, x.col_key
    from memberships as x
    where not exists (
        -- only its direct parts: not those of a sub-fund printed too (财政拨款/合计 under 本年收入/小计)
        select 1 from memberships as sub
        join memberships as mid
            on mid.document_id = sub.document_id and mid.table_id = sub.table_id and mid.row_no = sub.row_no
            and mid.col_key = sub.group_key and mid.group_key = x.group_key
        where sub.document_id = x.document_id and sub.table_id = x.table_id and sub.row_no = x.row_no
          and sub.col_key = x.col_key and sub.group_key <> x.group_key)
),

parts as (
    select
        r.document_id, r.table_id, r.row_no, r.relation, r.total_key,
        sum(l.amount) as parts_sum,
        sum(l.half) as parts_half,
        list(l.cell order by l.cell) as part_cells,
        case when count(*) <= 4 then string_agg(l.column_name, ' + ' order by l.column_name)
             else 'Σ ' || count(*) || ' 列 columns (' || string_agg(l.column_name, ', ' order by l.column_name) || ')'
        end as part_names
    from relations as r
    join lines as l on l.document_id = r.document_id and l.table_id = r.table_id
        and l.row_no = r.row_no and l.col_key = r.part_key
    group by all
),

compared as (
    select
        t.document_id, t.table_kind, t.table_id, t.table_number, t.row_key, t.row_label, t.column_name, t.source_ref,
        p.relation, p.part_names, p.parts_sum, t.amount, p.parts_half + t.half as tolerance,
        list_prepend(t.cell, p.part_cells) as figures
    from parts as p
    join lines as t on t.document_id = p.document_id and t.table_id = p.table_id
        and t.row_no = p.row_no and t.col_key = p.total_key
),

named as (
    select c.*, coalesce(n.table_name, c.table_kind) as table_name
    from compared as c
    left join dim_table_kind as n using (table_kind)
)

select
    document_id,
    table_kind,
    table_id,
    concat_ws(' ', table_number, table_name, trim(row_label, ' 　')) || ': '
        || column_name || ' = ' || part_names as description,
    parts_sum as expected,
    amount as actual,
    tolerance,
    'error' as severity,
    source_ref,
    table_kind || '|' || row_key || '|' || relation as place_key,
    figures
from named
