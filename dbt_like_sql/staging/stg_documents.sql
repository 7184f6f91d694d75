-- @table 文档（暂存）/ Documents as discovered.
select
    document_id,
    department,
    cast(year as integer) as year,
    kind,
    scope,
    source_files,
    sha256,
    formats,
    encodings,
    cast(table_count as integer) as table_count,
    cast(text_line_count as integer) as text_line_count
from raw_documents
