-- @table 检查发现变化 / Failed findings compared with the previous run: new, still open, or resolved.
-- @column change 变化 / new (fails now, did not before), still_open (failed before too), resolved (failed before, passes or is gone now).
with now_failing as (
    select * from check_result where status = 'fail'
),

before_failing as (
    select * from previous_check_result where status = 'fail'
)

select
    coalesce(n.finding_id, b.finding_id) as finding_id,
    coalesce(n.document_id, b.document_id) as document_id,
    coalesce(n.check_kind, b.check_kind) as check_kind,
    coalesce(n.severity, b.severity) as severity,
    coalesce(n.description, b.description) as description,
    case
        when b.finding_id is null then 'new'
        when n.finding_id is null then 'resolved'
        else 'still_open'
    end as change,
    b.run_at as previous_run_at,
    n.run_at as run_at
from now_failing as n
full outer join before_failing as b using (finding_id)
