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
        -- what the analyst reads (读取问题), in plain Chinese
        case
            when status = 'duplicate' then '与“' || replaced_by || '”内容完全相同：只按“' || replaced_by || '”读取一次'
            when grand_total is distinct from replaced_by_total then
                '与较新的文件“' || replaced_by || '”是同一份预算公开文件（部门、年度、预算/决算、部门/单位都相同），'
                || '但数字不同（收支总表总计：本文件' || coalesce(cast(grand_total as varchar) || '元', '未读到')
                || '，较新的文件' || coalesce(cast(replaced_by_total as varchar) || '元', '未读到')
                || '）：已把较新的文件当作修订版采用，本文件未载入，请核对哪个正确'
            else '已被较新的修订版“' || replaced_by || '”取代（总计相同），本文件的数字未载入'
        end as reason,
        source_file as source_ref,
        modified as detected_at
    from stg_files
    where status <> 'used'
)

select * from reading
union all
select * from file_status
