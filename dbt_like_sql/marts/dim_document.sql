-- @table 文档维度 / One row per disclosure (department + year + kind + scope).
-- @column document_id 文档标识 / Stable id of the disclosure: a hash of department, year, kind and scope.
-- @column department 部门名称 / Department as the document names it.
-- @column year 预算年度 / Budget (or final-accounts) year.
-- @column kind 类型：预算或决算 / 预算 (budget) or 决算 (final accounts).
-- @column scope 范围：部门或单位 / 部门 (department with its units) or 单位 (one unit).
-- @column source_files 来源文件 / File name(s) the disclosure was read from, "; "-separated.
-- @column expected_tables 应有表格 / The standard tables (table_kind) the document says it prints (its own list of tables, 目录), else the five core ones.
-- @column rounding_note 尾差说明 / The document says its figures are rounded (尾差, 尾数误差, 四舍五入): its sums are judged within their rounding intervals, never as exact.
select
    document_id,
    department,
    year,
    kind,
    scope,
    source_files,
    sha256,
    formats,
    table_count,
    rounding_note,
    list_filter(expected_tables, lambda k: k <> '') as expected_tables
from stg_documents
