-- @table 检查：跨年度同比 / Year over year across documents: with several years of one department loaded
-- @table (same department, kind and scope), each stated change of the total budget ("比2018年增加2432.93万元，
-- @table 增长15.30%") is recomputed from the two documents' own 收支总表 totals, and each prior-year total a
-- @table document states (绩效表 近两年收支情况) is checked against the earlier document. So is each stated change of a
-- @table functional item ("人大立法 … 比2018年减少81.00万元"), from its subject's line in the same table of both documents
-- @table (_function_figure; the table whose two lines give the stated change, else the first that prints the subject in
-- @table both). Tolerance: the printed half-units of both figures, carried through the rounding of the stated figure.
with totals as (
    -- each document's grand total: 收支总表, income side, 收入总计 (or the side's total row)
    select document_id, max(amount) as total_yuan, max(half_unit) as half_yuan
    from fact_budget_line
    where table_kind = 'income_expenditure_summary' and side = 'income' and row_role = 'total'
      and fund_source is null and expense_type = 'total'
    group by document_id
),

documents as (
    select d.document_id, d.department, d.kind, d.scope, d.year, t.total_yuan, t.half_yuan
    from dim_document as d
    join totals as t using (document_id)
),

stated_changes as (
    select
        n.*, regexp_replace(n.measure, '\.change(_pct)?$', '') as changed, n.measure like '%.change_pct' as is_pct,
        coalesce(n.compared_to_year, cur.year - 1) as prior_year, prev.document_id as prior_document,
        row_number() over (partition by n.document_id, n.measure order by n.figure_no) as occurrence
    from fact_narrative_figure as n
    join dim_document as cur on cur.document_id = n.document_id
    join dim_document as prev
        on prev.department = cur.department and prev.kind = cur.kind and prev.scope = cur.scope
       and prev.year = coalesce(n.compared_to_year, cur.year - 1)
    where ((n.measure like '%.change' and n.stated_unit = '万元') or (n.measure like '%.change_pct' and n.stated_unit = '%'))
      and (regexp_replace(n.measure, '\.change(_pct)?$', '') in ('total_budget', 'income_total', 'expenditure_total')
           or n.measure like 'function:%')
),

changes as (
    select
        c.document_id, c.figure_no, c.measure, c.stated_value, c.stated_unit, c.direction, c.source_ref, c.is_pct,
        c.prior_year, c.occurrence, '收支总表' as figure_label, 0 as priority,
        cur.total_yuan as current_yuan, cur.half_yuan as current_half,
        prev.total_yuan as prior_yuan, prev.half_yuan as prior_half
    from stated_changes as c
    join documents as cur on cur.document_id = c.document_id
    join documents as prev on prev.document_id = c.prior_document
    where c.changed in ('total_budget', 'income_total', 'expenditure_total')
    union all
    select
        c.document_id, c.figure_no, c.measure, c.stated_value, c.stated_unit, c.direction, c.source_ref, c.is_pct,
        c.prior_year, c.occurrence, coalesce(n.table_name, f.table_kind) || ' ' || f.label, f.priority,
        f.amount, f.half, p.amount, case when p.half_unit < 0.01 then 0 else p.half_unit end
    from stated_changes as c
    join _function_figure as f on f.document_id = c.document_id and f.measure = c.changed and f.candidates = 1
    join fact_budget_line as p
        on p.document_id = c.prior_document and p.table_kind = f.table_kind and p.subject_code = f.subject_code
       and p.expense_type = 'total' and p.fund_source is null and coalesce(p.side, 'expenditure') = 'expenditure'
    left join _table_name as n on n.table_kind = f.table_kind
    where c.changed like 'function:%'
),

change_units as (
    -- integer cents; the stated figure is printed with 2 decimals (万元, or %)
    select
        *,
        cast(round((current_yuan - prior_yuan) * 100) as hugeint) as delta_cents,
        cast(round((current_half + prior_half) * 100) as hugeint) as slack_cents,
        cast(round(prior_yuan * 100) as hugeint) as prior_cents,
        cast(round(prior_half * 100) as hugeint) as prior_slack
    from changes
),

change_bounds as (
    select
        *,
        case when is_pct
            -- |Δ| / prior in hundredths of a percent, rounded half-up, at both ends of the interval
            then (2 * greatest(abs(delta_cents) - slack_cents, 0) * 10000 + (prior_cents + prior_slack))
                 // (2 * (prior_cents + prior_slack))
            -- |Δ| in 万元 with 2 decimals = units of 100 yuan = 10,000 cents
            else (2 * greatest(abs(delta_cents) - slack_cents, 0) + 10000) // 20000
        end as lo,
        case when is_pct
            then (2 * (abs(delta_cents) + slack_cents) * 10000 + greatest(prior_cents - prior_slack, 1))
                 // (2 * greatest(prior_cents - prior_slack, 1))
            else (2 * (abs(delta_cents) + slack_cents) + 10000) // 20000
        end as hi,
        case when abs(delta_cents) <= slack_cents then 0 else sign(delta_cents) end as computed_sign,
        case
            when direction in ('增加', '增长', '上升', '提高', '增') then 1
            when direction in ('减少', '下降', '降低', '减') then -1
        end as stated_sign
    from change_units
    where prior_cents > 0
),

chosen as (
    -- a claim with several candidate tables: the one that gives the stated figure, else the first
    select * from change_bounds
    qualify row_number() over (
        partition by document_id, measure, occurrence
        order by stated_value * 100 between lo and hi desc, priority
    ) = 1
),

change_rows as (
    select
        document_id,
        '文字说明 ' || measure || ' ' || coalesce(direction, '') || stated_value::decimal(18, 2) || stated_unit
            || ' vs ' || prior_year || '年文档 (earlier document) ' || figure_label || ' '
            || (prior_yuan / 10000)::decimal(18, 2) || '万元 → 本文档 ' || (current_yuan / 10000)::decimal(18, 2) || '万元'
            || case when is_pct then ': |本年−上年|/上年' else ': |本年−上年|' end as description,
        (cast(lo as decimal(38, 0)) + cast(hi as decimal(38, 0))) / 200 as expected,
        stated_value as actual,
        (cast(hi as decimal(38, 0)) - cast(lo as decimal(38, 0))) / 200 as tolerance,
        source_ref,
        'across|' || measure || '|' || occurrence as place_key
    from chosen
    union all
    select
        document_id,
        '文字说明 ' || measure || ' 增减方向 direction word "' || direction || '" vs ' || prior_year
            || '年文档 (earlier document): sign of 本年−上年' as description,
        computed_sign as expected,
        stated_sign as actual,
        case when computed_sign = 0 then 1 else 0 end as tolerance,
        source_ref,
        'across|' || measure || '|' || occurrence || '|direction' as place_key
    from chosen
    where direction is not null and measure like '%.change'
),

stated_priors as (
    -- prior-year totals a document prints (绩效表 近两年收支情况) against that year's own document
    select
        n.document_id,
        '绩效表 ' || n.measure || ' ' || n.year || '年 ' || n.stated_value::decimal(18, 2) || '万元 vs ' || n.year
            || '年文档 (earlier document) 收支总表 ' || (prev.total_yuan / 10000)::decimal(18, 2) || '万元' as description,
        round(prev.total_yuan * 0.0001, 2) as expected,
        n.stated_value as actual,
        case when prev.half_yuan < 0.01 then 0 else 0.005 end as tolerance,
        n.source_ref,
        'across|' || n.measure || '|' || n.year as place_key
    from fact_narrative_figure as n
    join documents as cur on cur.document_id = n.document_id
    join documents as prev
        on prev.department = cur.department and prev.kind = cur.kind and prev.scope = cur.scope and prev.year = n.year
    where n.measure in ('prior_year.income_total', 'prior_year.expenditure_total') and n.stated_unit = '万元'
)

select
    document_id,
    'year_over_year_across_documents' as check_kind,
    'narrative' as table_kind,
    description,
    cast(expected as decimal(18, 4)) as expected,
    cast(actual as decimal(18, 4)) as actual,
    cast(actual - expected as decimal(18, 4)) as difference,
    cast(tolerance as decimal(18, 4)) as tolerance,
    'error' as severity,
    source_ref,
    place_key
from (select * from change_rows union all select * from stated_priors)
