-- @table 检查辅助：文字说明/绩效表中的项目与项目支出表的对应 / Helper for checks: each project named in the narrative
-- @table (project:<name>) or in a 绩效 form (project_form:<name>.funds_*), matched to its row of 项目支出表.
-- match_level: exact (same name), core (same name once years, digits and 专项/经费/资金/项目 are dropped),
-- contains (one core name contains the other, a weaker hint). candidates: rows matched at that level.
with claimed as (
    select distinct
        document_id,
        case
            when measure like 'project:%' then substr(measure, 9)
            else regexp_extract(measure, '^project_form:(.*)\.funds_[a-z_]+$', 1)
        end as claim_name
    from fact_narrative_figure
    where measure like 'project:%' or measure like 'project_form:%.funds_%'
),

projects as (
    select
        document_id, project_code, printed_project_name as project_name, amount, source_ref, table_number, table_id,
        case when half_unit < 0.01 then 0 else half_unit end as half,
        table_id || '#' || row_no || '#' || column_name as cell
    from fact_budget_line
    where table_kind = 'project_expenditure' and row_role = 'detail'
      and fund_source is null and expense_type = 'total' and printed_project_name is not null
),

cored as (
    select
        c.document_id, c.claim_name, p.project_code, p.project_name, p.amount, p.half, p.source_ref, p.table_number,
        p.table_id, p.cell,
        regexp_replace(c.claim_name, '(20[0-9]{2}年?|[0-9]+|专项|经费|资金|项目|[\s()（）])', '', 'g') as claim_core,
        regexp_replace(p.project_name, '(20[0-9]{2}年?|[0-9]+|专项|经费|资金|项目|[\s()（）])', '', 'g') as project_core,
        c.claim_name = p.project_name as is_exact
    from claimed as c
    join projects as p using (document_id)
),

matched as (
    select
        *,
        case
            when is_exact then 1
            when claim_core = project_core and length(claim_core) >= 2 then 2
            when length(claim_core) >= 2 and length(project_core) >= 2
                 and (contains(claim_core, project_core) or contains(project_core, claim_core)) then 3
        end as level_rank
    from cored
),

best as (
    select *, min(level_rank) over (partition by document_id, claim_name) as best_rank
    from matched
    where level_rank is not null
)

select
    c.document_id,
    c.claim_name,
    b.project_code,
    b.project_name,
    b.amount,
    b.half,
    b.source_ref,
    b.table_number,
    b.table_id,
    b.cell,
    case b.level_rank when 1 then 'exact' when 2 then 'core' when 3 then 'contains' end as match_level,
    count(b.project_code) over (partition by c.document_id, c.claim_name) as candidates
from claimed as c
left join best as b
    on b.document_id = c.document_id and b.claim_name = c.claim_name and b.level_rank = b.best_rank
