-- @table 人员编制事实表 / Headcounts stated in 第一部分 (编制, 实有, 离退休).
-- @column measure 指标 / headcount.* measure.
-- @column persons 人数 / Number of persons.
select document_id, measure, cast(stated_value as integer) as persons, sentence, source_ref
from stg_narrative_figures
where measure like 'headcount.%'
