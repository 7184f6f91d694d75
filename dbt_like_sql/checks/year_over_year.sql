-- @table 检查：同比增减 / Year over year: each stated change "比2021年减少780.01万元，下降26.84%" against the prior-year
-- @table figure the document itself prints (prior_year.* of the 绩效 form, year = compared_to_year) and the current
-- @table figure (the table figure when there is one, else the narrative's own figure): amount = |current − prior|,
-- @table percent = |current − prior| / prior, each rounded half-up within the interval the printed figures allow
-- @table (expected = midpoint, tolerance = half-width); and the word (增加/增长 ⇔ +1, 减少/下降 ⇔ −1) must match the sign.
-- @table No prior-year figure → 'unverifiable claim' warning, unless the earlier year's document is loaded and
-- @table year_over_year_across_documents recomputes the change from it (_prior_document_change).
with claims as (
    select
        document_id, figure_no, measure, stated_value, stated_unit, direction, compared_to_year, sentence, source_ref,
        regexp_replace(measure, '\.change(_pct)?$', '') as base_measure,
        measure like '%.change_pct' as is_pct,
        row_number() over (partition by document_id, measure order by figure_no) as occurrence
    from fact_narrative_figure
    where ((measure like '%.change' and stated_unit = '万元') or (measure like '%.change_pct' and stated_unit = '%'))
      and measure not like 'performance_review:%'
),

prior_map(base_measure, prior_measure, severity) as (
    values
        ('total_budget', 'prior_year.expenditure_total', 'error'),
        ('income_total', 'prior_year.income_total', 'error'),
        ('expenditure_total', 'prior_year.expenditure_total', 'error'),
        ('expenditure.basic', 'prior_year.expenditure.basic', 'error'),
        ('expenditure.project', 'prior_year.expenditure.project', 'error'),
        ('fiscal_appropriation_total', 'prior_year.income.fiscal', 'error'),
        -- the form prints all-funds prior figures; the general budget is only part of them
        ('general_budget_expenditure_total', 'prior_year.income.fiscal', 'warning'),
        ('general_budget.expenditure.basic', 'prior_year.expenditure.basic', 'warning'),
        ('general_budget.expenditure.project', 'prior_year.expenditure.project', 'warning')
),

priors as (
    select document_id, measure, year, arg_min(stated_value, figure_no) as stated_value
    from fact_narrative_figure
    where measure like 'prior_year.%' and stated_unit = '万元'
    group by all
),

narrative_current as (
    select document_id, measure, arg_min(stated_value, figure_no) as stated_value
    from fact_narrative_figure
    where stated_unit = '万元'
    group by all
),

figured as (
    select
        c.*,
        m.severity, m.prior_measure,
        p.stated_value as prior_wan,
        coalesce(f.amount, nc.stated_value * 10000) as current_yuan,
        case when f.amount is not null then f.half else 50 end as current_half,
        case when f.amount is not null then concat_ws(' ', f.table_number, f.label) else '文字说明 ' || c.base_measure end as current_from,
        cast(p.stated_value * 10000 as hugeint) * 10000 as prior_units
    from claims as c
    left join prior_map as m on m.base_measure = c.base_measure
    left join priors as p on p.document_id = c.document_id and p.measure = m.prior_measure and p.year = c.compared_to_year
    left join _claim_figure as f on f.document_id = c.document_id and f.measure = c.base_measure
    left join narrative_current as nc on nc.document_id = c.document_id and nc.measure = c.base_measure
),

units as (
    -- integer units of 0.0001 yuan; prior printed in 万元 with 2 decimals: half-unit 50 yuan
    select
        *,
        cast(current_yuan * 10000 as hugeint) - prior_units as delta,
        cast(current_half * 10000 as hugeint) + 500000 as h,
        case when is_pct then (case
            when regexp_matches(sentence, '(^|[^0-9.])' || replace(cast(cast(stated_value as decimal(18, 2)) as varchar), '.', '\.') || '\s*[%％]')
                 and cast(stated_value as decimal(18, 2)) = stated_value then 100
            when regexp_matches(sentence, '(^|[^0-9.])' || replace(cast(cast(stated_value as decimal(18, 1)) as varchar), '.', '\.') || '\s*[%％]')
                 and cast(stated_value as decimal(18, 1)) = stated_value then 10
            when cast(stated_value as decimal(18, 0)) = stated_value then 1
            else 100 end) else 100 end as scale
    from figured
    where prior_units is not null and current_yuan is not null
),

bounds as (
    select
        document_id, figure_no, measure,
        case when is_pct then
            (2 * greatest(abs(delta) - h, 0) * 100 * scale + (prior_units + 500000)) // (2 * (prior_units + 500000))
        else
            -- 万元 with 2 decimals = units of 100 yuan = 1,000,000 units
            (2 * greatest(abs(delta) - h, 0) + 1000000) // 2000000
        end as lo_units,
        case when is_pct then
            (2 * (abs(delta) + h) * 100 * scale + (prior_units - 500000)) // (2 * (prior_units - 500000))
        else
            (2 * (abs(delta) + h) + 1000000) // 2000000
        end as hi_units,
        case when abs(delta) <= h then 0 else sign(delta) end as computed_sign
    from units
    where prior_units > 500000
),

valued as (
    select
        c.*, m.severity, m.prior_measure, b.computed_sign, u.current_from, u.current_yuan,
        cast(b.lo_units as decimal(18, 0)) * case when c.is_pct then case u.scale when 1 then 1.0 when 10 then 0.1 else 0.01 end else 0.01 end as lo,
        cast(b.hi_units as decimal(18, 0)) * case when c.is_pct then case u.scale when 1 then 1.0 when 10 then 0.1 else 0.01 end else 0.01 end as hi,
        case
            when c.direction in ('增加', '增长', '上升', '提高', '增') then 1
            when c.direction in ('减少', '下降', '降低', '减') then -1
        end as stated_sign,
        x.measure is not null as across_documents
    from claims as c
    left join _prior_document_change as x on x.document_id = c.document_id and x.figure_no = c.figure_no
    left join bounds as b on b.document_id = c.document_id and b.figure_no = c.figure_no
    left join units as u on u.document_id = c.document_id and u.figure_no = c.figure_no
    left join prior_map as m on m.base_measure = c.base_measure
),

amount_rows as (
    select
        document_id, 'narrative' as table_kind,
        case when lo is null
            then '文字说明 ' || measure || ' ' || coalesce(direction, '') || stated_value::decimal(18, 2) || stated_unit
                || coalesce(' (比' || compared_to_year || '年)', '') || ': 无上年数字 unverifiable claim (no prior-year figure)'
            else '文字说明 ' || measure || ' ' || coalesce(direction, '') || stated_value::decimal(18, 2) || stated_unit
                || ' vs 绩效表 ' || coalesce(compared_to_year || '年 ', '') || prior_measure || ' → ' || current_from
                || case when is_pct then ' |本年−上年|/上年' else ' |本年−上年|' end || ' (rounded half-up)'
        end as description,
        (lo + hi) / 2 as expected, stated_value as actual, coalesce((hi - lo) / 2, 0) as tolerance,
        case when lo is null then 'warning' else severity end as severity,
        source_ref,
        'narrative|' || measure || '|' || occurrence as place_key
    from valued
    where lo is not null or not across_documents
),

direction_rows as (
    select
        document_id, 'narrative' as table_kind,
        '文字说明 ' || measure || ' 增减方向 direction word "' || direction || '" vs sign of 本年−上年 (current − prior)'
            || case when computed_sign is null then ': 无上年数字 unverifiable claim (no prior-year figure)' else '' end as description,
        computed_sign as expected, stated_sign as actual,
        case when computed_sign = 0 then 1 else 0 end as tolerance,
        case when computed_sign is null or stated_sign is null then 'warning' else severity end as severity,
        source_ref,
        'narrative|' || measure || '|' || occurrence || '|direction' as place_key
    from valued
    where direction is not null and (computed_sign is not null or not (across_documents and measure like '%.change'))
)

select
    document_id,
    'year_over_year' as check_kind,
    table_kind,
    description,
    cast(expected as decimal(18, 4)) as expected,
    cast(actual as decimal(18, 4)) as actual,
    cast(actual - expected as decimal(18, 4)) as difference,
    cast(tolerance as decimal(18, 4)) as tolerance,
    severity,
    source_ref,
    place_key
from (select * from amount_rows union all select * from direction_rows)
