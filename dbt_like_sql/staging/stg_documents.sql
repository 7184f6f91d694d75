-- @table 文档（暂存）/ One row per disclosure, over the files of it that are used.
with used as (
    select source_file from stg_files where status = 'used'
),

files as (
    select d.*
    from raw_documents as d
    join used on used.source_file = d.source_files
)

select
    document_id,
    -- the fullest of the ways the files print the department's name (中国共产党…委员会 over 中共…委)
    arg_max(department, (length(department), department)) as department,
    cast(any_value(year) as integer) as year,
    any_value(kind) as kind,
    any_value(scope) as scope,
    string_agg(source_files, '; ' order by source_files) as source_files,
    string_agg(sha256, '; ' order by source_files) as sha256,
    string_agg(formats, '; ' order by source_files) as formats,
    string_agg(encodings, '; ' order by source_files) as encodings,
    sum(cast(table_count as integer)) as table_count,
    sum(cast(text_line_count as integer)) as text_line_count,
    bool_or(coalesce(rounding_note, 'False') = 'True') as rounding_note,
    list_sort(list_distinct(flatten(list(string_split(coalesce(expected_tables, ''), ','))))) as expected_tables
from files
group by document_id
