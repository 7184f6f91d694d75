-- @table 预算明细（暂存）/ Budget lines as read, typed: one row per published figure.
with used as (
    select source_file from stg_files where status = 'used'
),

source as (
    select lines.*
    from raw_budget_lines as lines
    join used using (source_file)
),

typed as (
    select
        document_id,
        table_id,
        table_kind,
        table_title,
        table_number,
        cast(row_no as integer) as row_no,
        cast(block_no as integer) as block_no,
        column_name,
        row_label,
        row_role,
        cast(amount as decimal(18, 2)) as amount,
        cast(stated_amount as decimal(24, 6)) as stated_amount,  -- 北京 prints 万元 to 6 decimals
        stated_unit,
        cast(half_unit as decimal(18, 4)) as half_unit,
        expense_type,
        fund_source,
        side,
        line_item,
        subject_code,
        subject_name,
        economic_class_code,
        economic_class_name,
        unit_code,
        unit_name,
        project_code,
        project_name,
        item_code,
        item_name,
        cast(quantity as decimal(18, 2)) as quantity,
        cast(unit_price as decimal(18, 2)) as unit_price,
        attributes,
        source_ref,
        cast(source_page as integer) as source_page,
        cast(string_split(source_bbox, ',') as double[]) as source_bbox
    from source
)

select * from typed
