-- @table 检查：同比增减 / Year over year: each stated change "比2021年减少780.01万元，下降26.84%" against the prior-year
-- @table figure the document itself prints (prior_year.* of the 绩效 form, year = compared_to_year) and the current
-- @table figure (the table figure when there is one, else the narrative's own figure): amount = |current − prior|,
-- @table percent = |current − prior| / prior, each rounded half-up (or cut) within the interval the printed figures allow
-- @table (expected = midpoint, tolerance = half-width); and the word (增加/增长 ⇔ +1, 减少/下降 ⇔ −1) must match the sign.
-- @table No prior-year figure → 'unverifiable claim' warning, unless the earlier year's document is loaded and
-- @table year_over_year_across_documents recomputes the change from it (_prior_document_change).
with claims as (
    select
        document_id, figure_no, measure, stated_value, stated_decimals, stated_unit, direction, compared_to_year,
        sentence, source_ref, regexp_replace(measure, '\.change(_pct)?$', '') as base_measure,
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
    select document_id, measure, year, arg_min(stated_value, figure_no) as stated_value,
        arg_min(stated_decimals, figure_no) as decimals, 'narrative#' || min(figure_no) as prior_key
    from fact_narrative_figure
    where measure like 'prior_year.%' and stated_unit = '万元'
    group by document_id, measure, year
),

narrative_current as (
    select document_id, measure, arg_min(stated_value, figure_no) as stated_value,
        arg_min(stated_decimals, figure_no) as decimals
    from fact_narrative_figure
    where stated_unit = '万元'
    group by all
),

sentence_current as (
    select document_id, sentence, measure, arg_min(stated_value, figure_no) as stated_value,
        arg_min(stated_decimals, figure_no) as decimals
    from fact_narrative_figure
    where stated_unit = '万元'
    group by all
),

figured as (
    select
        c.*,
        m.severity, m.prior_measure,
        p.stated_value as prior_wan, p.prior_key, case when sc.stated_value is null then f.cell end as current_cell,
        case when sc.stated_value is null then f.table_id end as table_id,
        -- the current figure the sentence itself states is what its change is relative to; else the table's
        coalesce(sc.stated_value * 10000, f.amount, nc.stated_value * 10000) as current_yuan,
        -- the half-unit of the current figure in yuan: the table's, or a stated figure's (5,000 yuan a 万元 printed
        -- whole, 50 with two decimals)
        case when sc.stated_value is not null then 5000 / pow(10, sc.decimals)
             when f.amount is not null then f.half
             else 5000 / pow(10, nc.decimals) end as current_half,
        case when sc.stated_value is not null then '同句 ' || c.base_measure
             when f.amount is not null then concat_ws(' ', f.table_number, f.label)
             else '文字说明 ' || c.base_measure end as current_from,
        cast(p.stated_value * 10000 as hugeint) * 10000 as prior_units,
        cast(50000000 / pow(10, p.decimals) as hugeint) as prior_half
    from claims as c
    left join prior_map as m on m.base_measure = c.base_measure
    left join priors as p on p.document_id = c.document_id and p.measure = m.prior_measure and p.year = c.compared_to_year
    left join _claim_figure as f on f.document_id = c.document_id and f.measure = c.base_measure and f.priority = 1
    left join narrative_current as nc on nc.document_id = c.document_id and nc.measure = c.base_measure
    left join sentence_current as sc
        on sc.document_id = c.document_id and sc.sentence = c.sentence and sc.measure = c.base_measure
),

units as (
    -- integer units of 0.0001 yuan; the prior figure's half-unit from its printed decimals (50 yuan for 2); the stated
    -- change printed with `stated_decimals` decimals: `step` units in one printed unit of a 万元 change, `scale` printed
    -- units in 1 % of a rate
    select
        *,
        cast(current_yuan * 10000 as hugeint) - prior_units as delta,
        cast(current_half * 10000 as hugeint) + prior_half as h,
        cast(pow(10, stated_decimals) as hugeint) as scale,
        cast(pow(10, 8 - stated_decimals) as hugeint) as step
    from figured
    where prior_units is not null and current_yuan is not null
),

bounds as (
    select
        document_id, figure_no, measure,
        -- the low end rounded half-up, or cut (some documents cut their figures to the decimals they print)
        case when is_pct then
            (greatest(abs(delta) - h, 0) * 100 * scale) // (prior_units + prior_half)
        else
            greatest(abs(delta) - h, 0) // step
        end as lo_units,
        case when is_pct then
            (2 * (abs(delta) + h) * 100 * scale + (prior_units - prior_half)) // (2 * (prior_units - prior_half))
        else
            (2 * (abs(delta) + h) + step) // (2 * step)
        end as hi_units,
        case when abs(delta) <= h then 0 else sign(delta) end as computed_sign
    from units
    where prior_units > prior_half
),

valued as (
    select
        c.*, m.severity, m.prior_measure, b.computed_sign, u.current_from, u.current_yuan,
        u.prior_key, u.current_cell, u.table_id,
        cast(b.lo_units as decimal(18, 0)) * case c.stated_decimals when 0 then 1.00 when 1 then 0.10 else 0.01 end as lo,
        cast(b.hi_units as decimal(18, 0)) * case c.stated_decimals when 0 then 1.00 when 1 then 0.10 else 0.01 end as hi,
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

-- A stated percentage checks itself against the amounts stated in the same sentence: "2361.41万元，比2022年预算增加
-- 139.27万元，增长6.37%" implies a prior of 2361.41 − 139.27 = 2222.14 and a rate of 139.27 / 2222.14 = 6.27%.
-- Every other 万元 figure of the sentence larger than the change is tried as the current figure and as the prior
-- one ("比2025年年初预算数 1506121.45万元减少57334.09万元"); the rate contradicts the sentence only when no reading
-- gives it. Interval arithmetic in units of 0.005万元 (half a printed hundredth), each amount known within its own
-- half-unit h (1 for two decimals, 100 for a whole 万元): with change C and current X, a decrease gives C / (X + C) in
-- [(C − hc) / (X + hx + C − hc), (C + hc) / (X − hx + C + hc)], an increase C / (X − C) in
-- [(C − hc) / (X + hx − C + hc), (C + hc) / (X − hx − C − hc)]; with prior P, C / P in [(C − hc) / (P + hx),
-- (C + hc) / (P − hx)]; the low end cut, the high end rounded half-up, to the decimals printed.
in_sentence as (
    select
        p.document_id, p.figure_no, p.measure, p.stated_value, p.direction, p.sentence, p.source_ref, p.occurrence,
        cast(round(a.stated_value * 200) as hugeint) as cu, cast(round(x.stated_value * 200) as hugeint) as xu,
        a.stated_value as change_wan, x.stated_value as base_wan, x.measure = p.base_measure as own_measure,
        i.reading, abs(x.figure_no - a.figure_no) as distance,
        case when a.direction in ('减少', '下降', '降低', '减') then -1 else 1 end as d,
        cast(pow(10, p.stated_decimals) as hugeint) as scale,
        -- each amount's half-unit in units of 0.005万元: 1 for two decimals, 100 for a whole 万元
        cast(pow(10, 2 - a.stated_decimals) as hugeint) as hc, cast(pow(10, 2 - x.stated_decimals) as hugeint) as hx,
        ['narrative#' || p.figure_no, 'narrative#' || a.figure_no, 'narrative#' || x.figure_no] as figures
    from claims as p
    join claims as a
        on a.document_id = p.document_id and a.sentence = p.sentence and not a.is_pct
        and a.base_measure = p.base_measure and a.compared_to_year is not distinct from p.compared_to_year
    join fact_narrative_figure as x
        on x.document_id = p.document_id and x.sentence = p.sentence and x.stated_unit = '万元'
        and x.figure_no <> a.figure_no and x.measure not like '%.change%' and x.stated_value > a.stated_value
    cross join (values ('current'), ('prior')) as i(reading)
    where p.is_pct
),

in_sentence_bounds as (
    select
        *,
        -- the low end cut rather than rounded: a rate printed cut to its decimals is no contradiction either
        case
            when reading = 'prior' then ((cu - hc) * 100 * scale) // (xu + hx)
            when d < 0 then ((cu - hc) * 100 * scale) // (xu + hx + cu - hc)
            else ((cu - hc) * 100 * scale) // (xu + hx - cu + hc)
        end as lo_units,
        case
            when reading = 'prior' then (2 * (cu + hc) * 100 * scale + (xu - hx)) // (2 * (xu - hx))
            when d < 0 then (2 * (cu + hc) * 100 * scale + (xu - hx + cu + hc)) // (2 * (xu - hx + cu + hc))
            else (2 * (cu + hc) * 100 * scale + (xu - hx - cu - hc)) // (2 * (xu - hx - cu - hc))
        end as hi_units
    from in_sentence
    where cu > hc and xu > hx and (reading = 'prior' or d < 0 or xu - hx - cu - hc > 0)
),

in_sentence_best as (
    -- a reading that gives the stated rate, else the likeliest one (the measure's own figure, as the current)
    select * from in_sentence_bounds
    qualify row_number() over (
        partition by document_id, figure_no
        order by stated_value * scale between lo_units and hi_units desc, own_measure desc, reading = 'current' desc,
            distance
    ) = 1
),

in_sentence_rows as (
    select
        document_id, 'narrative' as table_kind, null as table_id,
        '文字说明 ' || measure || ' ' || coalesce(direction, '') || stated_value::decimal(18, 2) || '% vs 同句 '
            || case when reading = 'current'
                    then '本年 ' || base_wan::decimal(18, 2) || '万元 与增减额 ' || change_wan::decimal(18, 2) || '万元 → 上年 '
                         || (base_wan - d * change_wan)::decimal(18, 2) || '万元'
                    else '上年 ' || base_wan::decimal(18, 2) || '万元 与增减额 ' || change_wan::decimal(18, 2) || '万元' end
            || ' (same sentence: its amounts imply the rate; no reading of them gives the stated one)' as description,
        (cast(lo_units as decimal(18, 0)) + cast(hi_units as decimal(18, 0))) / 2 / scale as expected,
        stated_value as actual,
        (cast(hi_units as decimal(18, 0)) - cast(lo_units as decimal(18, 0))) / 2 / scale as tolerance,
        'error' as severity,
        source_ref,
        'narrative|' || measure || '|' || occurrence || '|in_sentence' as place_key,
        figures
    from in_sentence_best
),

amount_rows as (
    select
        document_id, 'narrative' as table_kind, table_id,
        case when lo is null
            then '文字说明 ' || measure || ' ' || coalesce(direction, '') || stated_value::decimal(18, 2) || stated_unit
                || coalesce(' (比' || compared_to_year || '年)', '') || ': 无上年数字 unverifiable claim (no prior-year figure)'
            else '文字说明 ' || measure || ' ' || coalesce(direction, '') || stated_value::decimal(18, 2) || stated_unit
                || ' vs 绩效表 ' || coalesce(compared_to_year || '年 ', '') || prior_measure || ' → ' || current_from
                || case when is_pct then ' |本年−上年|/上年' else ' |本年−上年|' end || ' (rounded half-up or cut)'
        end as description,
        (lo + hi) / 2 as expected, stated_value as actual, coalesce((hi - lo) / 2, 0) as tolerance,
        case when lo is null then 'warning' else severity end as severity,
        source_ref,
        'narrative|' || measure || '|' || occurrence as place_key,
        list_filter(['narrative#' || figure_no, prior_key, current_cell], lambda x: x is not null) as figures
    from valued
    where lo is not null or not across_documents
),

direction_rows as (
    select
        document_id, 'narrative' as table_kind, table_id,
        '文字说明 ' || measure || ' 增减方向 direction word "' || direction || '" vs sign of 本年−上年 (current − prior)'
            || case when computed_sign is null then ': 无上年数字 unverifiable claim (no prior-year figure)' else '' end as description,
        computed_sign as expected, stated_sign as actual,
        case when computed_sign = 0 then 1 else 0 end as tolerance,
        case when computed_sign is null or stated_sign is null then 'warning' else severity end as severity,
        source_ref,
        'narrative|' || measure || '|' || occurrence || '|direction' as place_key,
        list_filter(['narrative#' || figure_no, prior_key, current_cell], lambda x: x is not null) as figures
    from valued
    where direction is not null and (computed_sign is not null or not (across_documents and measure like '%.change'))
)

select document_id, table_kind, table_id, description, expected, actual, tolerance, severity, source_ref, place_key, figures
from (select * from amount_rows union all select * from direction_rows union all select * from in_sentence_rows)
