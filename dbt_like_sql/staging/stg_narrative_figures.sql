-- @table 文字说明中的数字（暂存）/ Figures stated in the narrative, typed.
with used as (
    select source_file from stg_files where status = 'used'
),

source as (
    select figures.*
    from raw_narrative_figures as figures
    join used using (source_file)
)

select
    document_id,
    cast(figure_no as integer) as figure_no,
    measure,
    cast(value as decimal(18, 2)) as stated_value,
    -- the printed precision: 19,577万元 is any amount in [19,576.5, 19,577.5) 万元, 4% any rate in [3.5%, 4.5%)
    least(length(split_part(value, '.', 2)), 2) as stated_decimals,
    unit as stated_unit,
    sentence,
    section,
    cast(year as integer) as year,
    direction,
    cast(compared_to_year as integer) as compared_to_year,
    ref as source_ref
from source
