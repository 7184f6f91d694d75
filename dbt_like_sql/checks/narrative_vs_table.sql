-- @table 检查：文字说明与表格 / Narrative vs tables: each 万元 figure of the narrative (and of the department 绩效 form)
-- @table equals its table figure at the precision the sentence prints it with: 19,577万元 is any amount in
-- @table [19,576.5, 19,577.5) 万元 (or, cut, in [19,577, 19,578)), 17,191.52万元 one in [17,191.515, 17,191.525). The
-- @table table figure itself is known within its own half-unit (a 万元 table rounds to 100 元). expected = the midpoint
-- @table of the printed values the table figure allows, tolerance = its half-width. A claim with no table figure is an
-- @table 'unverifiable claim' warning (expected NULL).
-- @table Projects (project:<name>) are matched by name to 项目支出表; functional-classification items (function:…) to
-- @table their subject's line in the expenditure tables (_function_figure): the claim ties out when it equals the line
-- @table of any table that prints the subject (支出总表, 一般公共预算支出表, 收支总表 …). When it equals none and those
-- @table tables print the subject with different amounts (all funds, 财政拨款, 一般公共预算), the sentence does not say
-- @table which of them it speaks of: the claim is unverifiable, not an error; so is a claim about a figure the table
-- @table prints several times with different amounts (a 合计 row in each unit's block).
-- @table Parts stated one after the other that add up exactly to a total the text states (基本支出 921.33 + 项目支出
-- @table 30,017.79 = 支出预算 30,939.12; the classes of 财政拨款支出主要内容 5,331 + 102 + 51 = 5,484; a run of them but for
-- @table one, a 其中 line among the parts) were made to add up:
-- @table each may then be one printed unit off its own rounding. Values here are in 万元.
with claims as (
    select
        document_id, figure_no, measure, stated_value, stated_decimals, stated_unit, sentence, source_ref,
        row_number() over (partition by document_id, measure order by figure_no) as occurrence
    from fact_narrative_figure
    where stated_unit = '万元'
      and measure not like '%.change' and measure not like '%.change_pct' and measure not like '%.share'
      and measure not like 'prior_year.%' and measure not like 'project_form:%'
      and measure not like 'performance_review:%'
      and measure not like 'procurement.%' and measure not like 'purchase_of_services.%'
),

-- the stated amounts in text order, with running sums: a run of them that adds up to another stated amount
listed as (
    select
        document_id, figure_no, stated_value,
        row_number() over (partition by document_id order by figure_no) as k,
        sum(stated_value) over (partition by document_id order by figure_no rows unbounded preceding) as running
    from claims
),

windows as (
    -- runs of up to 12 amounts, whole or but one of them (a 其中 line listed among the parts)
    select a.document_id, a.k as first_k, b.k as last_k, b.running - a.running + a.stated_value as run_sum,
        cast(null as integer) as left_out
    from listed as a join listed as b on b.document_id = a.document_id and b.k > a.k and b.k - a.k < 12
    union all
    select a.document_id, a.k, b.k, b.running - a.running + a.stated_value - x.stated_value, x.k
    from listed as a join listed as b on b.document_id = a.document_id and b.k - a.k between 2 and 11
    join listed as x on x.document_id = a.document_id and x.k > a.k and x.k < b.k and x.stated_value <> 0
),

forced as (
    select distinct p.document_id, p.figure_no
    from windows as w
    join listed as total
        on total.document_id = w.document_id and total.stated_value = w.run_sum
       and total.stated_value > 0 and (total.k < w.first_k or total.k > w.last_k)
    join listed as p on p.document_id = w.document_id and p.k between w.first_k and w.last_k
        and p.k is distinct from w.left_out
),

candidates as (
    -- every figure the claim may speak of: a measure's figure and its alternatives (priority 2)
    select
        c.*, f.severity as map_severity, f.table_kind, f.table_number, f.label, f.amount, f.half, f.table_id, f.cell,
        f.priority, f.candidates as printed
    from claims as c
    left join _claim_figure as f on f.document_id = c.document_id and f.measure = c.measure
    where c.measure not like 'project:%' and c.measure not like 'function:%'
    union all
    select
        c.*, case when p.match_level in ('exact', 'core') then 'error' else 'warning' end,
        'project_expenditure', p.table_number, p.project_name,
        case when p.candidates = 1 then p.amount end, p.half, p.table_id, p.cell, 1, 1
    from claims as c
    left join _project_figure as p on p.document_id = c.document_id and p.claim_name = substr(c.measure, 9)
    where c.measure like 'project:%'
    union all
    -- a functional item: its line in every table that prints the subject
    select
        c.*, 'error', f.table_kind, f.table_number, f.label, f.amount, f.half, f.table_id, f.cell, f.priority, 1
    from claims as c
    left join _function_figure as f on f.document_id = c.document_id and f.measure = c.measure and f.candidates = 1
    where c.measure like 'function:%'
),

bounds as (
    select
        c.*, f.figure_no is not null as is_forced,
        -- the values the sentence may print for the figure (_printed); one unit either way for a part made to add up
        printed_wan_low(c.amount, c.half, c.stated_decimals)
            - case when f.figure_no is not null then 1 else 0 end * sign(c.amount) * c.printed_unit as lo,
        printed_wan_high(c.amount, c.half, c.stated_decimals)
            + case when f.figure_no is not null then 1 else 0 end * sign(c.amount) * c.printed_unit as hi
    from (select *, case stated_decimals when 0 then 1.00 when 1 then 0.10 else 0.01 end as printed_unit
          from candidates) as c
    left join forced as f using (document_id, figure_no)
),

judged as (
    select
        *,
        stated_value between least(lo, hi) and greatest(lo, hi) as ties,
        count(distinct amount) over (partition by document_id, figure_no) as amounts
    from bounds
),

chosen as (
    -- the figure the claim equals, else the first (by priority)
    select * from judged
    qualify row_number() over (partition by document_id, figure_no order by ties desc nulls last, priority) = 1
),

named as (
    select
        c.*, coalesce(n.table_name, c.table_kind) as table_name,
        c.measure like 'function:%' and not coalesce(c.ties, false) and c.amounts > 1 as ambiguous,
        coalesce(c.printed, 0) > 1 as printed_several
    from chosen as c
    left join dim_table_kind as n using (table_kind)
)

select
    document_id,
    coalesce(table_kind, 'narrative') as table_kind,
    table_id,
    case
        when printed_several then '文字说明 ' || measure || ' ' || stated_value::decimal(18, 2) || '万元: 表中印有' || printed
            || '个不同的数字, 无法确定所指 unverifiable claim (the table prints several such figures)'
        when amount is null then '文字说明 ' || measure || ' ' || stated_value::decimal(18, 2) || '万元: 无对应表格数字 unverifiable claim (no table figure)'
        when ambiguous then '文字说明 ' || measure || ' ' || stated_value::decimal(18, 2) || '万元: ' || amounts
            || '张表印出该科目且数字不一, 句子未说明所指 unverifiable claim (the tables print the subject differently)'
        else '文字说明 ' || measure || ' ' || stated_value::decimal(18, 2) || '万元 vs '
            || concat_ws(' ', table_number, table_name, label) || ' ' || amount || '元 (万元, '
            || stated_decimals || '位小数 rounded half-up or cut'
            || case when is_forced then '; 与前后各项相加恰等于文中所述合计, 可差一个单位' else '' end || ')'
    end as description,
    case when not ambiguous then least(lo, hi) / 2 + greatest(lo, hi) / 2 end as expected,
    stated_value as actual,
    coalesce(greatest(lo, hi) / 2 - least(lo, hi) / 2, 0) as tolerance,
    case when amount is null or ambiguous then 'warning' else coalesce(map_severity, 'warning') end as severity,
    source_ref,
    'narrative|' || measure || '|' || occurrence as place_key,
    list_filter(['narrative#' || figure_no, cell], lambda x: x is not null) as figures
from named
