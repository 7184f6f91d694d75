-- @table 检查：文字说明与表格 / Narrative vs tables: each 万元 figure of the narrative (and of the department 绩效 form)
-- @table equals its table figure in 元 divided by 10,000, rounded half-up to 2 decimals. For tables printed in 万元 the
-- @table stated value must lie in the rounding interval of the printed figure (expected = its midpoint, tolerance =
-- @table its half-width). A claim with no table figure is an 'unverifiable claim' warning (expected NULL).
-- @table Projects (project:<name>) are matched by name to 项目支出表; functional-classification items (function:…) to
-- @table their subject's line in the expenditure tables (_function_figure): the claim ties out when it equals the line
-- @table of any table that prints the subject (支出总表, 一般公共预算支出表, 收支总表 …). Values here are in 万元.
with claims as (
    select
        document_id, figure_no, measure, stated_value, stated_unit, sentence, source_ref,
        row_number() over (partition by document_id, measure order by figure_no) as occurrence
    from fact_narrative_figure
    where stated_unit = '万元'
      and measure not like '%.change' and measure not like '%.change_pct' and measure not like '%.share'
      and measure not like 'prior_year.%' and measure not like 'project_form:%'
      and measure not like 'performance_review:%'
      and measure not like 'procurement.%' and measure not like 'purchase_of_services.%'
),

mapped as (
    select
        c.*, f.figure_key, f.severity as map_severity, f.table_kind, f.table_number, f.label,
        f.amount, f.half, f.source_ref as table_ref, null as match_level, f.measure is not null as is_mapped,
        f.table_id, f.cell
    from claims as c
    left join _claim_figure as f on f.document_id = c.document_id and f.measure = c.measure
    where c.measure not like 'project:%' and c.measure not like 'function:%'
    -- a measure with an alternative figure: the one the claim equals, else the first
    qualify row_number() over (
        partition by c.document_id, c.figure_no
        order by c.stated_value between sign(f.amount - f.half) * floor(abs(f.amount - f.half) * 0.01) / 100 and round((f.amount + f.half) * 0.0001, 2)
            desc nulls last, f.priority
    ) = 1
    union all
    select
        c.*, 'project:' || coalesce(p.project_code, '?'), case when p.match_level in ('exact', 'core') then 'error' else 'warning' end,
        'project_expenditure', p.table_number, p.project_name,
        case when p.candidates = 1 then p.amount end, p.half, p.source_ref, p.match_level, true,
        p.table_id, p.cell
    from claims as c
    left join _project_figure as p on p.document_id = c.document_id and p.claim_name = substr(c.measure, 9)
    where c.measure like 'project:%'
    union all
    -- the table whose line the claim equals, else the first table (by priority) that prints the subject
    select
        c.*, 'function:' || f.subject_code, 'error', f.table_kind, f.table_number, f.label,
        f.amount, f.half, f.source_ref, null, true, f.table_id, f.cell
    from claims as c
    left join _function_figure as f on f.document_id = c.document_id and f.measure = c.measure and f.candidates = 1
    where c.measure like 'function:%'
    qualify row_number() over (
        partition by c.document_id, c.figure_no
        order by c.stated_value between sign(f.amount - f.half) * floor(abs(f.amount - f.half) * 0.01) / 100 and round((f.amount + f.half) * 0.0001, 2)
            desc nulls last, f.priority
    ) = 1
),

bounds as (
    select
        *,
        -- rounded half-up, or cut to 2 decimals as some documents print it (107,696.795242 → 107696.79)
        least(round((amount - half) * 0.0001, 2), sign(amount - half) * floor(abs(amount - half) * 0.01) / 100) as lo,
        round((amount + half) * 0.0001, 2) as hi
    from mapped
),

named as (
    select b.*, coalesce(n.table_name, b.table_kind) as table_name
    from bounds as b
    left join dim_table_kind as n using (table_kind)
)

select
    document_id,
    coalesce(table_kind, 'narrative') as table_kind,
    table_id,
    case
        when amount is null then '文字说明 ' || measure || ' ' || stated_value::decimal(18, 2) || '万元: 无对应表格数字 unverifiable claim (no table figure)'
        else '文字说明 ' || measure || ' ' || stated_value::decimal(18, 2) || '万元 vs '
            || concat_ws(' ', table_number, table_name, label) || ' ' || amount || '元 (万元, 2位小数 rounded half-up)'
    end as description,
    (lo + hi) / 2 as expected,
    stated_value as actual,
    coalesce((hi - lo) / 2, 0) as tolerance,
    case when amount is null then 'warning' else coalesce(map_severity, 'warning') end as severity,
    source_ref,
    'narrative|' || measure || '|' || occurrence as place_key,
    list_filter(['narrative#' || figure_no, cell], lambda x: x is not null) as figures
from named
