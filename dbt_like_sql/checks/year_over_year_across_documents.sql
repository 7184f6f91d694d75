-- @table 检查：跨年度同比 / Year over year across documents: with several years of one department loaded
-- @table (same department, kind and scope), each stated change of the total budget ("比2018年增加2432.93万元，
-- @table 增长15.30%") and of each functional item ("人大立法 … 比2018年减少81.00万元") is recomputed from the two
-- @table documents' own tables (_prior_document_change), and each prior-year total a document states (绩效表 近两年收支情况)
-- @table is checked against the earlier document. Tolerance: the printed half-units of both figures, carried through the
-- @table rounding of the stated figure.
with change_rows as (
    select
        document_id,
        '文字说明 ' || measure || ' ' || coalesce(direction, '') || stated_value::decimal(18, 2) || stated_unit
            || ' vs ' || prior_year || '年文档 (earlier document) ' || figure_label || ' '
            || (prior_yuan / 10000)::decimal(18, 2) || '万元 → 本文档 ' || (current_yuan / 10000)::decimal(18, 2) || '万元'
            || case when is_pct then ': |本年−上年|/上年' else ': |本年−上年|' end as description,
        (cast(lo as decimal(38, 0)) + cast(hi as decimal(38, 0))) / (2 * scale) as expected,
        stated_value as actual,
        (cast(hi as decimal(38, 0)) - cast(lo as decimal(38, 0))) / (2 * scale) as tolerance,
        source_ref,
        'across|' || measure || '|' || occurrence as place_key,
        ['narrative#' || figure_no] as figures
    from _prior_document_change
    union all
    select
        document_id,
        '文字说明 ' || measure || ' 增减方向 direction word "' || direction || '" vs ' || prior_year
            || '年文档 (earlier document): sign of 本年−上年' as description,
        computed_sign as expected,
        stated_sign as actual,
        case when computed_sign = 0 then 1 else 0 end as tolerance,
        source_ref,
        'across|' || measure || '|' || occurrence || '|direction' as place_key,
        ['narrative#' || figure_no] as figures
    from _prior_document_change
    where direction is not null and measure like '%.change'
),

stated_priors as (
    -- prior-year totals a document prints (绩效表 近两年收支情况) against that year's own document
    select
        n.document_id,
        '绩效表 ' || n.measure || ' ' || n.year || '年 ' || n.stated_value::decimal(18, 2) || '万元 vs ' || n.year
            || '年文档 (earlier document) 收支总表 ' || (prev.total_yuan / 10000)::decimal(18, 2) || '万元' as description,
        -- the stated figure within its printed half-unit of the earlier document's total (itself within its own)
        prev.total_yuan * 0.0001 as expected,
        n.stated_value as actual,
        0.5 / pow(10, n.stated_decimals) + prev.half_yuan * 0.0001 as tolerance,
        n.source_ref,
        'across|' || n.measure || '|' || n.year as place_key,
        ['narrative#' || n.figure_no] as figures
    from fact_narrative_figure as n
    join _document_total as cur on cur.document_id = n.document_id
    join _document_total as prev
        on prev.department = cur.department and prev.kind = cur.kind and prev.scope = cur.scope and prev.year = n.year
    where n.measure in ('prior_year.income_total', 'prior_year.expenditure_total') and n.stated_unit = '万元'
)

select document_id, 'narrative' as table_kind, null as table_id, description, expected, actual, tolerance,
    'error' as severity, source_ref, place_key, figures
from (select * from change_rows union all select * from stated_priors)
