-- @table 来源文件（暂存）/ Every raw file read, and whether its content is used.
-- A file identical to another (same content, other name) is a duplicate; of two files of one
-- disclosure (same department, year, 预算/决算, 部门/单位) that hold the same part of it (its tables, its
-- narrative, or only its performance-target forms), the newer is used and the older is superseded (a
-- revision): newer by file time, and where the file times tie (a scraper saves a batch in one second) by
-- the date the document says it was written (a PDF's ModDate). Files of different parts are all used.
-- A file that could not be identified is a document of its own (its id carries its name), so it never
-- supersedes another. grand_total: the largest total of the file's 收支总表, so a revision that changes
-- the figures is told from a copy that does not.
with files as (
    select
        source_files as source_file,
        document_id,
        sha256,
        cast(table_count as integer) as table_count,
        part,
        modified,
        produced
    from raw_documents
),

totals as (
    select source_file, max(cast(amount as decimal(18, 2))) as grand_total
    from raw_budget_lines
    where table_kind = 'income_expenditure_summary' and row_role = 'total'
    group by source_file
),

copies as (
    select
        *,
        row_number() over (partition by sha256 order by source_file) as copy_no,
        first_value(source_file) over (partition by sha256 order by source_file) as original
    from files
),

revisions as (
    select
        source_file,
        row_number() over newest_first as revision_rank,
        first_value(source_file) over newest_first as newest
    from copies
    where copy_no = 1
    window newest_first as (
        partition by document_id, part order by modified desc, produced desc nulls last, source_file desc)
)

select
    c.source_file,
    c.document_id,
    c.sha256,
    c.table_count,
    c.modified,
    case when c.copy_no > 1 then 'duplicate' when r.revision_rank > 1 then 'superseded' else 'used' end as status,
    case when c.copy_no > 1 then c.original when r.revision_rank > 1 then r.newest end as replaced_by,
    t.grand_total,
    n.grand_total as replaced_by_total
from copies as c
left join revisions as r using (source_file)
left join totals as t on t.source_file = c.source_file
left join totals as n on n.source_file = r.newest and r.revision_rank > 1
