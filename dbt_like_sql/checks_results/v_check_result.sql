-- @table 检查结果视图 / Check findings of the last build: every checked relation with its verdict, and one reading-doubt finding per table read with doubt.
-- @column finding_id 发现标识 / sha1(document_id|check_kind|place_key), first 16 hex: stable across builds.
-- @column check_kind 检查类型 / row_arithmetic, hierarchy, balance, cross_table, cross_classification, narrative_vs_table, shares, year_over_year, year_over_year_across_documents, counts, procurement, purchase_of_services, performance_targets_twice; reading_doubt for a table read with doubt.
-- @column severity 严重程度 / error (the document contradicts itself) or warning (a hint, an unverifiable claim, a reading doubt).
-- @column status 状态 / pass, fail, doubt (a relation that uses figures of a table read with doubt: not judged), or unverified (a claim with no figure to check it against).
-- @column finding_role 发现角色 / contradiction (the one finding of a wrong figure), consequence (another relation the same figure breaks), reading_doubt, doubted (folded into a reading doubt), warning (a failed hint), unverifiable (a claim with nothing to check it against); NULL when the relation holds.
-- @column group_id 归组 / finding_id of the contradiction or reading doubt this row belongs to.
-- @column confidence 可信度 / Why the reading is trusted (e.g. "the other 212 sums of this table tie out exactly").
-- @column culprit 出错数字 / The figure that is off: the one all the group's failing relations share.
-- @column place_key 位置键 / Where in the document the relation is (check kind's own key: table kind, row, column, relation; narrative measure and occurrence): what finding_id is made from.
-- @column expected 应为 / What the other figures imply (NULL: nothing to compare with, an unverifiable claim).
-- @column actual 实际 / The figure as printed.
-- @column difference 差额 / actual − expected.
-- @column tolerance 容差 / Rounding allowance: the printed half-units, or 0 where the table's other sums show its figures are exact.
-- @column review_verdict 复核结论 / An analyst's verdict (budget review): confirmed or not_an_error; NULL when not reviewed, or when the figures changed since (review_status stale).
-- @column review_note 复核说明 / The analyst's note.
-- @column reviewed_by 复核人 / Who reviewed it.
-- @column reviewed_at 复核时间 / When.
-- @column review_status 复核状态 / current (the verdict was given on these figures), stale (the finding's figures changed since: reviewed on expected/actual that no longer hold), NULL when never reviewed.
with results as (
    select * from check_result
),

reviews as (
    select * from review
),

cells as (
    select
        table_id || '#' || row_no || '#' || column_name as culprit,
        concat_ws(' ', table_number, table_title, trim(row_label, ' 　')) || ' [' || column_name || '] '
            || regexp_replace(cast(stated_amount as varchar), '(\.\d\d\d*?)0+$', '\1') || stated_unit
            || ' (' || source_ref || ')' as culprit_label
    from fact_budget_line
    where table_id || '#' || row_no || '#' || column_name in (select culprit from results where culprit is not null)
),

sentences as (
    select
        'narrative#' || figure_no as culprit, document_id,
        '文字说明 ' || measure || ' ' || cast(stated_value as varchar) || stated_unit || ' (' || source_ref || ')' as culprit_label
    from fact_narrative_figure
)

select
    r.finding_id, r.document_id, r.check_kind, r.table_kind, r.severity, r.status, r.description,
    cast(r.expected as decimal(18, 4)) as expected,
    cast(r.actual as decimal(18, 4)) as actual,
    cast(r.difference as decimal(18, 4)) as difference,
    cast(r.tolerance as decimal(18, 4)) as tolerance,
    r.source_ref, r.run_at, r.finding_role, r.group_id, r.confidence,
    coalesce(c.culprit_label, s.culprit_label, r.culprit) as culprit,
    r.table_id,
    r.place_key,
    case when v.current then v.verdict end as review_verdict,
    case when v.finding_id is null then null
         when v.current then v.note
         else '复核时的数字（应为 ' || coalesce(cast(v.expected as varchar), '—') || '，实际 '
              || coalesce(cast(v.actual as varchar), '—') || '）已变：' || coalesce(v.note, '') end as review_note,
    v.reviewer as reviewed_by,
    v.reviewed_at,
    case when v.current then 'current' when v.finding_id is not null then 'stale' end as review_status
from results as r
left join cells as c on c.culprit = r.culprit
left join sentences as s on s.culprit = r.culprit and s.document_id = r.document_id
left join (
    select w.*, (cast(w.expected as decimal(18, 4)) is not distinct from cast(x.expected as decimal(18, 4))
                 and cast(w.actual as decimal(18, 4)) is not distinct from cast(x.actual as decimal(18, 4))) as current
    from reviews as w join results as x using (finding_id)
) as v on v.finding_id = r.finding_id
