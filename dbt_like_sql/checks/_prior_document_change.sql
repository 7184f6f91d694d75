-- @table 检查辅助：跨年度的增减 / Helper for checks: each change the narrative states against an earlier year whose
-- @table document is loaded (same department, kind and scope), with the two figures it is recomputed from: the two
-- @table documents' 收支总表 totals for the total budget, or a functional item's line in the same table of both
-- @table (_function_figure; the table whose two lines give the stated change, else the first that prints the subject
-- @table in both). lo/hi: the stated figure's interval in its printed units (scale of them in 1万元 or 1 %: 100 for
-- @table two decimals), from the printed half-units.
with stated_changes as (
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
        c.document_id, c.figure_no, c.measure, c.stated_value, c.stated_decimals, c.stated_unit, c.direction,
        c.source_ref, c.is_pct, c.prior_year, c.occurrence, '收支总表' as figure_label, 0 as priority,
        cur.total_yuan as current_yuan, cur.half_yuan as current_half,
        prev.total_yuan as prior_yuan, prev.half_yuan as prior_half
    from stated_changes as c
    join _document_total as cur on cur.document_id = c.document_id
    join _document_total as prev on prev.document_id = c.prior_document
    where c.changed in ('total_budget', 'income_total', 'expenditure_total')
    union all
    select
        c.document_id, c.figure_no, c.measure, c.stated_value, c.stated_decimals, c.stated_unit, c.direction,
        c.source_ref, c.is_pct, c.prior_year, c.occurrence, coalesce(n.table_name, f.table_kind) || ' ' || f.label,
        f.priority,
        f.amount, f.half, p.amount, case when p.half_unit < 0.01 then 0 else p.half_unit end
    from stated_changes as c
    join _function_figure as f on f.document_id = c.document_id and f.measure = c.changed and f.candidates = 1
    join fact_budget_line as p
        on p.document_id = c.prior_document and p.table_kind = f.table_kind and p.subject_code = f.subject_code
       and p.expense_type = 'total' and p.fund_source is null and coalesce(p.side, 'expenditure') = 'expenditure'
    left join dim_table_kind as n on n.table_kind = f.table_kind
    where c.changed like 'function:%'
),

change_units as (
    -- integer cents; the stated figure is printed with stated_decimals decimals (万元, or %): scale printed units in
    -- 1万元 or 1 %, step cents in one printed unit of 万元
    select
        *,
        cast(pow(10, stated_decimals) as hugeint) as scale,
        cast(pow(10, 6 - stated_decimals) as hugeint) as step,
        cast(round((current_yuan - prior_yuan) * 100) as hugeint) as delta_cents,
        cast(round((current_half + prior_half) * 100) as hugeint) as slack_cents,
        cast(round(prior_yuan * 100) as hugeint) as prior_cents,
        cast(round(prior_half * 100) as hugeint) as prior_slack
    from changes
),

change_bounds as (
    select
        *,
        -- |Δ| / prior (or |Δ|) in printed units, the low end cut and the high end rounded half-up: either way of
        -- printing the stated figure is accepted
        case when is_pct
            then (greatest(abs(delta_cents) - slack_cents, 0) * 100 * scale) // (prior_cents + prior_slack)
            else greatest(abs(delta_cents) - slack_cents, 0) // step
        end as lo,
        case when is_pct
            then (2 * (abs(delta_cents) + slack_cents) * 100 * scale + greatest(prior_cents - prior_slack, 1))
                 // (2 * greatest(prior_cents - prior_slack, 1))
            else (2 * (abs(delta_cents) + slack_cents) + step) // (2 * step)
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
        order by stated_value * scale between lo and hi desc, priority
    ) = 1
)

select * from chosen
