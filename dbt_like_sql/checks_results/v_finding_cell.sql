-- @table 发现所涉数字 / The evidence of each finding: every figure its relation compares, where it is printed (file, page and cell box for PDFs, line for text extracts) and what it says, the checked figure first.
-- @column finding_id 发现标识 / The finding (v_check_result.finding_id).
-- @column figure_no 序号 / 1 for the figure the relation checks (the total, the stated figure), then its parts.
-- @column figure 数字键 / table_id#row_no#column (a table cell) or narrative#figure_no (a figure of the text).
-- @column is_culprit 出错数字 / The figure the finding names as the one that is off.
-- @column what 内容 / Table, row and column of a cell, or the measure of a narrative figure.
-- @column stated 原文 / The figure as printed, with its unit and the decimals it is printed with.
-- @column measure 指标 / For a narrative figure, what it speaks of (fact_narrative_figure.measure).
-- @column source_file 来源文件 / The file it was read from.
-- @column source_page 页码 / PDF page (NULL for text extracts).
-- @column source_bbox 单元格位置 / The cell on that page: [x0, top, x1, bottom] in PDF points from the top left (NULL for narrative figures and text extracts).
-- @column source_ref 出处 / File and page or line.
-- @column sentence 原句 / For a narrative figure, the sentence that states it.
with figures as (
    select * from check_figure
),

results as (
    select finding_id, culprit from check_result
),

cells as (
    select
        table_id || '#' || row_no || '#' || column_name as figure,
        document_id,
        concat_ws(' ', table_number, table_title, trim(row_label, ' 　')) || ' [' || column_name || ']' as what,
        -- the decimals printed, from the figure's rounding half-unit in its own unit (0.5 元: whole 元)
        case cast(round(-log10(2 * greatest(half_unit, 0.0000005)
                               / case when stated_unit = '万元' then 10000 else 1 end)) as integer)
            when 0 then cast(cast(stated_amount as decimal(24, 0)) as varchar)
            when 1 then cast(cast(stated_amount as decimal(24, 1)) as varchar)
            when 2 then cast(cast(stated_amount as decimal(24, 2)) as varchar)
            when 3 then cast(cast(stated_amount as decimal(24, 3)) as varchar)
            when 4 then cast(cast(stated_amount as decimal(24, 4)) as varchar)
            else cast(stated_amount as varchar) end || stated_unit as stated,
        cast(null as varchar) as measure,
        regexp_replace(source_ref, ':(p|L)\d+$', '') as source_file,
        source_page,
        source_bbox,
        source_ref,
        cast(null as varchar) as sentence
    from fact_budget_line
),

sentences as (
    select
        'narrative#' || figure_no as figure,
        document_id,
        '文字说明 ' || measure as what,
        case stated_decimals when 0 then cast(cast(stated_value as decimal(18, 0)) as varchar)
            when 1 then cast(cast(stated_value as decimal(18, 1)) as varchar)
            else cast(stated_value as varchar) end || stated_unit as stated,
        measure,
        regexp_replace(source_ref, ':(p|L)\d+$', '') as source_file,
        try_cast(regexp_extract(source_ref, ':p(\d+)$', 1) as integer) as source_page,
        cast(null as double[]) as source_bbox,
        source_ref,
        sentence
    from fact_narrative_figure
),

located as (
    select * from cells
    union all by name
    select * from sentences
)

select
    f.finding_id,
    f.figure_no,
    f.figure,
    coalesce(r.culprit = f.figure, false) as is_culprit,
    l.what,
    l.stated,
    l.source_file,
    l.source_page,
    l.source_bbox,
    l.source_ref,
    l.sentence,
    l.measure
from figures as f
left join results as r using (finding_id)
left join located as l on l.figure = f.figure and l.document_id = f.document_id
order by f.finding_id, f.figure_no
