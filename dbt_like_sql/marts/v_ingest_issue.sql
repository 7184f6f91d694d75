-- @table 读取问题视图 / Problems met while reading documents: unreadable files, uncertain cells.
-- @column source_file 来源文件 / File the problem is in.
-- @column stage 阶段 / discover, read or normalize.
-- @column severity 严重程度 / error (figures lost or file unreadable) or warning (a doubt).
-- @column reason 原因 / What went wrong, where, and what to do.
select document_id, source_file, stage, severity, reason, source_ref, detected_at
from raw_ingest_issues
