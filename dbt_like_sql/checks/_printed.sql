-- @table 检查辅助：文字所述数字的精度 / Helper macros: the values a sentence may print, in 万元 with `decimals`
-- @table decimals, for a table figure of `amount` yuan known within `half` yuan (its own rounding): the low end cut (some
-- @table documents cut their figures to the decimals they print), the high end rounded half-up, or rounded one digit at
-- @table a time from the table's longer figure (9,142.554971 → 9,142.555 → 9,142.56: anything from k + 4/9 of a unit
-- @table up). 19,577万元 printed whole is any amount in [19,576.5, 19,577.5) 万元 rounded, [19,577, 19,578) cut.
-- @table Exact integer arithmetic in cents.
create or replace temp macro printed_wan_low(amount, half, decimals) as
    sign(amount) * cast(greatest(cast(abs(amount) * 100 as hugeint) - cast(half * 100 as hugeint), 0)
                        // cast(pow(10, 6 - decimals) as hugeint) as decimal(18, 0))
    * case decimals when 0 then 1.00 when 1 then 0.10 else 0.01 end;

create or replace temp macro printed_wan_high(amount, half, decimals) as
    sign(amount) * cast((9 * (cast(abs(amount) * 100 as hugeint) + cast(half * 100 as hugeint))
                         + 5 * cast(pow(10, 6 - decimals) as hugeint)) // (9 * cast(pow(10, 6 - decimals) as hugeint))
                        as decimal(18, 0))
    * case decimals when 0 then 1.00 when 1 then 0.10 else 0.01 end
