-- @table 检查：绩效表资金 / Performance forms vs the rest: a project's funds in its 绩效目标申报表
-- @table (project_form:<name>.funds_total / funds_current_year / funds_fiscal, 万元) equal its 项目支出表 row in 元
-- @table (÷ 10,000, rounded half-up to 2 decimals) and the narrative's project:<name> figure (both printed in 万元:
-- @table equal). Projects matched by name (exact or core name → error; containment → warning; none → unverifiable).
with form_claims as (
    select
        document_id, figure_no, measure, stated_value, source_ref,
        regexp_extract(measure, '^project_form:(.*)\.(funds_[a-z_]+)$', 1) as claim_name,
        regexp_extract(measure, '^project_form:(.*)\.(funds_[a-z_]+)$', 2) as funds_kind,
        row_number() over (partition by document_id, measure order by figure_no) as occurrence
    from fact_narrative_figure
    where measure like 'project_form:%.funds_%' and stated_unit = '万元'
),

narrative_projects as (
    select document_id, substr(measure, 9) as claim_name, arg_min(stated_value, figure_no) as stated_value,
        arg_min(source_ref, figure_no) as narrative_ref, min(figure_no) as figure_no
    from fact_narrative_figure
    where measure like 'project:%' and stated_unit = '万元'
    group by all
),

vs_table as (
    select
        c.document_id,
        case when p.amount is null or p.candidates <> 1
            then '绩效表 ' || c.claim_name || ' ' || c.funds_kind || ' ' || c.stated_value::decimal(18, 2) || '万元: 项目支出表无对应项目 unverifiable claim (no project row)'
            else '绩效表 ' || c.claim_name || ' ' || c.funds_kind || ' ' || c.stated_value::decimal(18, 2) || '万元 vs '
                || p.table_number || ' 项目支出表 ' || p.project_code || ' ' || p.project_name || ' ' || p.amount || '元'
        end as description,
        case when p.candidates = 1 then (round((p.amount - p.half) * 0.0001, 2) + round((p.amount + p.half) * 0.0001, 2)) / 2 end as expected,
        c.stated_value as actual,
        case when p.candidates = 1 then (round((p.amount + p.half) * 0.0001, 2) - round((p.amount - p.half) * 0.0001, 2)) / 2 else 0 end as tolerance,
        case when p.candidates = 1 and p.match_level in ('exact', 'core') then 'error' else 'warning' end as severity,
        c.source_ref,
        'form|' || c.claim_name || '|' || c.funds_kind || '|' || c.occurrence || '|project_table' as place_key,
        p.table_id, list_filter(['narrative#' || c.figure_no, p.cell], lambda x: x is not null) as figures
    from form_claims as c
    left join _project_figure as p on p.document_id = c.document_id and p.claim_name = c.claim_name
),

-- the narrative names a project as the form does, or by the same core name
vs_narrative as (
    select
        c.document_id,
        '绩效表 ' || c.claim_name || ' ' || c.funds_kind || ' ' || c.stated_value::decimal(18, 2) || '万元 vs 文字说明 project:'
            || n.claim_name || ' ' || n.stated_value::decimal(18, 2) || '万元' as description,
        n.stated_value as expected, c.stated_value as actual, 0 as tolerance,
        case when n.claim_name = c.claim_name then 'error' else 'warning' end as severity,
        c.source_ref,
        'form|' || c.claim_name || '|' || c.funds_kind || '|' || c.occurrence || '|narrative' as place_key,
        null as table_id, ['narrative#' || c.figure_no, 'narrative#' || n.figure_no] as figures
    from form_claims as c
    join narrative_projects as n on n.document_id = c.document_id
        and regexp_replace(n.claim_name, '(20[0-9]{2}年?|[0-9]+|专项|经费|资金|项目|[\s()（）])', '', 'g')
          = regexp_replace(c.claim_name, '(20[0-9]{2}年?|[0-9]+|专项|经费|资金|项目|[\s()（）])', '', 'g')
)

select document_id, 'project_expenditure' as table_kind, table_id, description, expected, actual, tolerance,
    severity, source_ref, place_key, figures
from (select * from vs_table union all select * from vs_narrative)
