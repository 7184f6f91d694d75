-- @table 检查：占比 / Shares: each stated "占 x%" (measure <m>.share) lies in the interval the printed figures allow:
-- @table part/total computed from part ± half-unit and total ± half-unit, rounded half-up (or cut) to the decimals the
-- @table share is printed with (stated_decimals; expected = midpoint, tolerance = half-width; tables printed to the cent give a single value).
-- @table Exact integer arithmetic (DuckDB divides decimals as doubles). No table figure → 'unverifiable claim' warning.
with claims as (
    select
        document_id, figure_no, measure, stated_value, stated_decimals as decimals, sentence, source_ref,
        regexp_replace(measure, '\.share$', '') as base_measure,
        row_number() over (partition by document_id, measure order by figure_no) as occurrence
    from fact_narrative_figure
    where measure like '%.share' and stated_unit = '%' and measure not like 'performance_review:%'
),

figured as (
    select
        p.*,
        part.severity, part.table_kind, part.table_number, part.label as part_label, whole.label as whole_label,
        part.amount as part_amount, whole.amount as whole_amount, part.table_id,
        list_filter(['narrative#' || p.figure_no, part.cell, whole.cell], lambda x: x is not null) as figures,
        cast(part.amount * 10000 as hugeint) as n, cast(part.half * 10000 as hugeint) as hn,
        cast(whole.amount * 10000 as hugeint) as t, cast(whole.half * 10000 as hugeint) as ht,
        cast(pow(10, p.decimals) as hugeint) as scale
    from claims as p
    left join _claim_figure as part on part.document_id = p.document_id and part.measure = p.base_measure
        and part.priority = 1
    left join _claim_figure as whole on whole.document_id = p.document_id and whole.measure = part.share_base_measure
        and whole.priority = 1
),

-- Shares of one whole stated together that add up to exactly 100% were made to (one of them is the rest of 100,
-- 无锡 "占 19.93% … 14.62% … 3.32%" with 3.3145 printed 3.32): each may then be one printed unit off its own rounding.
forced as (
    select document_id, share_base_measure
    from (select distinct on (f.document_id, f.measure) f.document_id, f.measure, f.stated_value, c.share_base_measure
          from figured as f join _claim_figure as c on c.document_id = f.document_id and c.measure = f.base_measure
              and c.priority = 1
          where c.share_base_measure is not null
          order by f.document_id, f.measure, f.figure_no)
    group by all
    having count(*) >= 2 and abs(sum(stated_value) - 100) < 0.0005
),

bounds as (
    select
        f.*,
        x.share_base_measure is not null as forced_to_100,
        case when t - ht > 0 and n is not null then
            -- cut rather than rounded at the low end: either way of printing a share is accepted
            (greatest(n - hn, 0) * 100 * scale) // (t + ht)
            - case when x.share_base_measure is not null then 1 else 0 end end as lo_units,
        case when t - ht > 0 and n is not null then
            (2 * (n + hn) * 100 * scale + (t - ht)) // (2 * (t - ht))
            + case when x.share_base_measure is not null then 1 else 0 end end as hi_units
    from figured as f
    left join _claim_figure as c on c.document_id = f.document_id and c.measure = f.base_measure and c.priority = 1
    left join forced as x on x.document_id = f.document_id and x.share_base_measure = c.share_base_measure
),

valued as (
    select
        *,
        cast(lo_units as decimal(18, 0)) * case scale when 1 then 1.0 when 10 then 0.1 when 100 then 0.01 else 0.001 end as lo,
        cast(hi_units as decimal(18, 0)) * case scale when 1 then 1.0 when 10 then 0.1 when 100 then 0.01 else 0.001 end as hi
    from bounds
),

named as (
    select v.*, coalesce(n.table_name, v.table_kind) as table_name
    from valued as v
    left join dim_table_kind as n using (table_kind)
)

select
    document_id,
    coalesce(table_kind, 'narrative') as table_kind,
    table_id,
    case
        when lo is null then '文字说明 ' || measure || ' ' || stated_value::decimal(18, 2) || '%: 无对应表格数字 unverifiable claim (no table figures)'
        else '文字说明 ' || measure || ' ' || stated_value::decimal(18, 2) || '% vs ' || concat_ws(' ', table_number, table_name)
            || ' ' || part_label || ' ' || part_amount || ' / ' || whole_label || ' ' || whole_amount
            || ' (' || decimals || '位小数 decimals, rounded half-up or cut'
            || case when forced_to_100 then '; the shares stated with it add up to 100%: one unit either way' else '' end || ')'
    end as description,
    (lo + hi) / 2 as expected,
    stated_value as actual,
    coalesce((hi - lo) / 2, 0) as tolerance,
    case when lo is null then 'warning' else severity end as severity,
    source_ref,
    'narrative|' || measure || '|' || occurrence as place_key,
    figures
from named
