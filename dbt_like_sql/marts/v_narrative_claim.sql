-- @table 文字说明陈述视图 / Narrative claims with their document, for analysts and checks.
-- @column measure 指标 / What the figure speaks of.
-- @column stated_value 原文数值 / The value as printed.
-- @column stated_unit 原文单位 / Unit as printed.
-- @column sentence 原句 / The sentence stating it.
select
    n.document_id,
    d.department,
    d.year as document_year,
    n.figure_no,
    n.measure,
    n.stated_value,
    n.stated_unit,
    n.year,
    n.direction,
    n.compared_to_year,
    n.section,
    n.sentence,
    n.source_ref
from fact_narrative_figure as n
join dim_document as d using (document_id)
