-- @table 读取问题视图 / Problems met while reading documents: unreadable files, uncertain cells, revisions.
-- @column source_file 来源文件 / File the problem is in.
-- @column stage 阶段 / discover, read or normalize.
-- @column severity 严重程度 / error (figures lost or file unreadable), warning (a doubt, a revision) or info (a file skipped: no budget document).
-- @column reason 原因 / What went wrong, where, and what to do.
with reading as (
    select document_id, source_file, stage, severity, reason, source_ref, detected_at
    from raw_ingest_issues
    -- A duplicate or superseded file's own reading doubts do not matter: its figures are not loaded.
    where source_file not in (select source_file from stg_files where status <> 'used')
),

file_status as (
    select
        document_id,
        source_file,
        'discover' as stage,
        'warning' as severity,
        case
            when status = 'duplicate' then 'same content as ' || replaced_by || '; read once, under that name'
            when grand_total is distinct from replaced_by_total then
                'claims the same disclosure (department, year, 预算/决算, 部门/单位) as the newer file '
                || replaced_by || ' with other figures (收支总表 total ' || coalesce(cast(grand_total as varchar), 'none')
                || ' against ' || coalesce(cast(replaced_by_total as varchar), 'none')
                || ' yuan); the newer is taken as a revision and used, this one is not loaded: check which is right'
            else 'superseded by the newer revision ' || replaced_by || ' (same totals); its figures are not loaded'
        end as reason,
        source_file as source_ref,
        modified as detected_at
    from stg_files
    where status <> 'used'
)

select * from reading
union all
select * from file_status
