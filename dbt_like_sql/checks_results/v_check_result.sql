-- @table 检查结果视图 / Check findings of the last build: one row per checked relation (pass or fail).
-- @column finding_id 发现标识 / sha1(document_id|check_kind|place_key), first 16 hex: stable across builds.
-- @column check_kind 检查类型 / row_arithmetic, hierarchy, balance, cross_table, cross_classification, narrative_vs_table, shares, year_over_year, counts, procurement, purchase_of_services, performance_targets_twice.
-- @column severity 严重程度 / error (the figures contradict each other) or warning (a hint, or an unverifiable claim).
-- @column status 状态 / pass or fail.
-- @column expected 应为 / What the other figures imply (NULL: nothing to compare with, an unverifiable claim).
-- @column actual 实际 / The figure as printed.
-- @column difference 差额 / actual − expected.
-- @column tolerance 容差 / Rounding allowance from the printed half-units (0 for figures printed to the cent).
select
    finding_id, document_id, check_kind, table_kind, severity, status, description,
    cast(expected as decimal(18, 4)) as expected,
    cast(actual as decimal(18, 4)) as actual,
    cast(difference as decimal(18, 4)) as difference,
    cast(tolerance as decimal(18, 4)) as tolerance,
    source_ref, run_at
from check_result
