"""Raw tables to budget lines: one row per published figure, with its dimensions.

Each table kind names its row dimension (功能分类科目, 经济分类科目, 单位, 项目, a line item);
columns give the expense type and fund source (``columns.column_meaning``). Amounts become exact
yuan; the printed figure, its unit and its rounding half-unit are kept so the checks can reason
about rounding.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..read.catalogue import compact
from ..read.model import ExtractionIssue, RawTable
from ..read.numbers import decimals_of, is_amount, parse_amount, to_yuan
from .columns import EXPENSE_TYPES, ColumnMeaning, column_meaning, table_meanings
from .reference import FUNCTION_CLASSES, enumerator_level, strip_enumerator

SUBJECT_TABLES = frozenset({
    "expenditure_summary", "general_budget_expenditure", "government_fund_expenditure",
    "state_capital_expenditure", "fiscal_appropriation_expenditure",
})
ECONOMIC_TABLES = frozenset({
    "general_budget_basic_expenditure", "fiscal_appropriation_basic_expenditure", "general_budget_economic",
    "general_budget_project_economic", "basic_expenditure_summary",
})
UNIT_TABLES = frozenset({"income_summary"})
TWO_SIDED = frozenset({"income_expenditure_summary", "fiscal_appropriation_summary"})
LINE_TABLES = frozenset({"procurement", "purchase_of_services", "asset_allocation"})

_BRACKET_CODE = re.compile(r"^\[([0-9A-Z]+)\](.*)$")
_TOTAL = re.compile(r"^(合计|总计)$")
_GRAND_TOTAL = re.compile(r"^(?:合计|总计|.{0,6}总计)$")  # 合计, 总计, 收入总计, 支出总计
_SUBTOTAL = re.compile(r"小计|合计|^其中")
_SUMMARY = re.compile(r"合计|小计|总计")
_PROCUREMENT_CLASS = re.compile(r"(货物|工程|服务)类?([ABC])?$")
_PROCUREMENT_CLASS_CODE = {"货物": "A", "工程": "B", "服务": "C"}
_INCOME_SIDE = re.compile(r"^(?:本年|当年)?(?:财政拨款)?收入")
_EXPENDITURE_SIDE = re.compile(r"^(?:本年|当年)?(?:财政拨款)?支出")


@dataclass
class BudgetLine:
    table_kind: str
    table_title: str
    table_number: str | None
    row_no: int
    column_name: str
    row_label: str
    row_role: str  # detail | subtotal | total
    amount: Decimal  # yuan
    stated_amount: Decimal  # as printed
    stated_unit: str
    half_unit: Decimal  # rounding half-unit of the printed figure, in yuan
    expense_type: str | None
    fund_source: str | None
    source_ref: str
    side: str | None = None
    line_item: str | None = None
    subject_code: str | None = None
    subject_name: str | None = None
    economic_class_code: str | None = None
    economic_class_name: str | None = None
    unit_code: str | None = None
    unit_name: str | None = None
    project_code: str | None = None
    project_name: str | None = None
    item_code: str | None = None
    item_name: str | None = None
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    attributes: dict[str, str] = field(default_factory=dict)


def _half_unit(text: str, unit: str) -> Decimal:
    return to_yuan(Decimal(1).scaleb(-decimals_of(text)) / 2, unit)


def _code_and_name(table: RawTable, row: list[str | None]) -> tuple[str | None, str | None]:
    """The row's code, joining codes split over 类/款/项 columns, and its name."""
    cols = table.columns
    split = [i for i, c in enumerate(cols) if c.rsplit("/", 1)[-1] in ("类", "款", "项")]
    if split:
        code = "".join(_split_code_part(row[i], cols[i], n) for n, i in enumerate(split)) or None
    else:
        idx = next((i for i, c in enumerate(cols) if "编码" in c or "代码" in c), None)
        code = row[idx] if idx is not None else None
    name_cols = _name_columns(table)
    names = [compact(row[i]) for i in name_cols if row[i] and compact(row[i])]
    name = "/".join(names) if len(name_cols) > 1 else (row[name_cols[0]] if name_cols else None)
    if name is not None and len(name_cols) > 1 and not names:
        name = None
    if code and _TOTAL.match(compact(code)):
        return None, compact(code)
    if code and not re.fullmatch(r"[0-9A-Za-z]+", compact(code)):
        # a label printed across the code column: 人员经费合计, 其中：…
        return None, compact(code) if not name else f"{compact(code)}/{name}"
    return (compact(code) if code else None), name


def _split_code_part(text: str | None, column: str, position: int) -> str:
    """One part of a code split over 类 | 款 | 项: 款 and 项 are two digits each.

    A spreadsheet that stored the 款 as a number prints 30102 as "301 | 2" (万里街道 2024, 一般公共预算基本支出
    表: 津贴补贴, 绩效工资), so a lone digit is the two-digit part without its leading zero.
    """
    part = (text or "").strip()
    if position > 0 and column.rsplit("/", 1)[-1] in ("款", "项") and re.fullmatch(r"\d", part):
        return "0" + part
    return part


def _name_columns(table: RawTable) -> list[int]:
    cols = table.columns
    named = [i for i, c in enumerate(cols) if "名称" in c.rsplit("/", 1)[-1]]
    if not named:
        named = [i for i, c in enumerate(cols) if "名称" in c]
    if named and not any(("编码" in c or "代码" in c or c.rsplit("/", 1)[-1] in ("类", "款", "项")) for c in cols):
        # 项目名称 | 列2 | 金额: a nameless column right after the name column names a sub-row
        extra = [i for i, c in enumerate(cols) if re.fullmatch(r"列\d+", c.rsplit("/", 1)[-1])]
        named = sorted(set(named) | set(extra))
    return named


def _roles_by_code(codes: list[str | None]) -> list[str]:
    """Rows whose code prefixes another row's code are subtotals; 合计 rows are totals."""
    present = [c for c in codes if c]
    roles = []
    for code in codes:
        if code is None:
            roles.append("total")
        elif any(o != code and o.startswith(code) for o in present):
            roles.append("subtotal")
        else:
            roles.append("detail")
    return roles


def normalize_table(table: RawTable) -> tuple[list[BudgetLine], list[ExtractionIssue]]:
    issues: list[ExtractionIssue] = []
    if not table.rows:  # 本表无数据: the note is kept with the table, no lines
        return [], issues
    if table.table_kind in TWO_SIDED:
        return _two_sided(table, issues), issues
    lines: list[BudgetLine] = []
    for block in _blocks(table):
        block_lines, block_issues = _single_sided(block)
        lines.extend(block_lines)
        issues.extend(block_issues)
    return lines, issues


def _blocks(table: RawTable) -> list[RawTable]:
    """A table printed as two blocks side by side (编码 | 名称 | 决算数 | 编码#2 | 名称#2 | 决算数#2)."""
    bases = [re.sub(r"#\d+$", "", c) for c in table.columns]
    n = len(bases)
    for k in range(1, n // 2 + 1):
        if n % k == 0 and all(bases[i] == bases[i % k] for i in range(n)) and table.columns[k] != table.columns[0]:
            out = []
            for b in range(n // k):
                cols = range(b * k, (b + 1) * k)
                rows, refs = [], []
                for row, ref in zip(table.rows, table.row_refs):
                    part = [row[i] for i in cols]
                    if any(part):
                        rows.append(part)
                        refs.append(ref)
                part_table = RawTable(table.table_kind, table.title, table.unit, bases[:k], rows, refs, table.ref,
                                      table.number, table.header_rows, table.notes)
                # row numbers stay unique per table: the second block's rows follow the first's
                part_table._row_offset = b * len(table.rows)  # type: ignore[attr-defined]
                out.append(part_table)
            return out
    return [table]


def _has_code_column(table: RawTable) -> bool:
    return any("编码" in c or "代码" in c or c.rsplit("/", 1)[-1] in ("类", "款", "项") for c in table.columns)


def _single_sided(table: RawTable) -> tuple[list[BudgetLine], list[ExtractionIssue]]:
    issues: list[ExtractionIssue] = []
    meanings = table_meanings(table.columns, table.table_kind)
    figure_cols = [i for i, m in enumerate(meanings) if m.role == "amount" and not _is_label_column(table.columns[i])]
    # A column of words (采购组织形式: 分散自行组织; 经济科目: 办公设备购置) is not a figure column
    # even when its header names no label: most of its cells are not amounts.
    wordy = [i for i in figure_cols
             if sum(1 for row in table.rows if row[i] and compact(row[i]) and not is_amount(row[i]))
             > sum(1 for row in table.rows if row[i] and is_amount(row[i]))]
    if wordy:
        figure_cols = [i for i in figure_cols if i not in wordy]
        meanings = [ColumnMeaning("other", None, None) if i in wordy else m for i, m in enumerate(meanings)]
    label_info = [_code_and_name(table, row) for row in table.rows]
    name_cols = _name_columns(table)
    has_code = _has_code_column(table)
    if len(name_cols) > 1 and not has_code:
        # 一般公共预算资金 | 小计 ; (blank) | 公共财政拨款资金: the group name is printed once
        group = None
        for r, row in enumerate(table.rows):
            first = compact(row[name_cols[0]] or "")
            if first:
                group = first
            elif group and label_info[r][1]:
                label_info[r] = (label_info[r][0], f"{group}/{label_info[r][1]}")
    codes = [code if code or not _TOTAL.match(compact(name or "")) else None for code, name in label_info]
    roles = _roles_by_code([c if c is not None else None for c in codes])
    lines: list[BudgetLine] = []
    row_offset = getattr(table, "_row_offset", 0)
    for r, (row, ref) in enumerate(zip(table.rows, table.row_refs)):
        code, name = label_info[r]
        plain = compact(name or "")
        if code is None and not plain and table.table_kind in LINE_TABLES:
            # 合计 or a category (一、货物A) printed in a column of its own
            role = "total" if any(_TOTAL.match(compact(c or "")) for c in row) else "subtotal"
        elif code is None and (not plain or _GRAND_TOTAL.match(plain)):
            role = "total"
        elif code is None and _SUBTOTAL.search(plain):
            role = "subtotal"  # 小计, 人员经费合计 (one block of two), 其中：…
        elif code is None and not has_code:
            role = "detail"
        else:
            role = roles[r]
        if not any(_is_label_column(c) for c in table.columns):
            role = "detail"  # a table without row labels (三公) has one row of figures
        elif table.table_kind == "project_expenditure" and code and len(code) < 10 and role != "total":
            role = "subtotal"  # 31 本级支出项目: a category row above the projects
        extra = {table.columns[i]: row[i] for i, m in enumerate(meanings)
                 if (m.role == "other" or _is_label_column(table.columns[i])) and row[i]}
        quantity = _first(table, row, meanings, "quantity", issues, ref)
        unit_price = _first(table, row, meanings, "unit_price", issues, ref)
        for i in figure_cols:
            text = row[i]
            try:
                stated = parse_amount(text)
            except ValueError as exc:
                issues.append(ExtractionIssue("error", "normalize",
                                              f"{table.title}, column {table.columns[i]}: {exc}", ref))
                continue
            if stated is None:
                continue
            line = BudgetLine(
                table_kind=table.table_kind, table_title=table.title, table_number=table.number,
                row_no=row_offset + r + 1, column_name=table.columns[i],
                row_label=" ".join(x for x in (code, name) if x),
                row_role=role, amount=to_yuan(stated, table.unit), stated_amount=stated,
                stated_unit=table.unit, half_unit=_half_unit(text, table.unit),
                expense_type=meanings[i].expense_type, fund_source=meanings[i].fund_source,
                source_ref=str(ref), quantity=quantity, unit_price=unit_price,
            )
            _assign_dimensions(table, line, code, name, row, extra)
            line.attributes = extra
            lines.append(line)
    if table.table_kind in LINE_TABLES:
        _line_table_roles(lines, by_item="采购物品名称" in table.columns)
    return lines, issues


def _is_label_column(path: str) -> bool:
    leaf = path.rsplit("/", 1)[-1]
    return any(w in leaf for w in ("编码", "代码", "名称", "项目单位")) or leaf in (
        "类", "款", "项", "项目", "政府采购品目", "功能科目", "部门支出经济分类", "资金来源", "资金性质",
        "是否包含政府采购", "政府购买服务内容", "支出功能分类科目", "资产分类", "资产名称",
    ) or "目录" in leaf or re.fullmatch(r"列\d+", leaf) is not None


def _first(table, row, meanings, role, issues, ref) -> Decimal | None:
    for i, m in enumerate(meanings):
        if m.role == role and row[i]:
            try:
                return parse_amount(row[i])
            except ValueError as exc:
                issues.append(ExtractionIssue("warning", "normalize", f"{table.title}: {exc}", ref))
    return None


def _assign_dimensions(table: RawTable, line: BudgetLine, code, name, row, extra) -> None:
    kind = table.table_kind
    if kind in SUBJECT_TABLES | ECONOMIC_TABLES | UNIT_TABLES:
        # The printed code column decides: 收入总表 by 功能分类科目 (Shanghai), not by unit.
        label_paths = " ".join(c for c in table.columns if _is_label_column(c))
        if "功能分类" in label_paths or "功能科目" in label_paths:
            kind = "general_budget_expenditure"
        elif "经济分类" in label_paths:
            kind = "general_budget_basic_expenditure"
        elif kind in UNIT_TABLES and not _has_code_column(table):
            line.line_item = name or code  # 收入预算总表 of Jiangsu: income lines, no units
            return
    if kind in SUBJECT_TABLES:
        line.subject_code, line.subject_name = code, name
    elif kind in ECONOMIC_TABLES:
        line.economic_class_code, line.economic_class_name = code, name
    elif kind in UNIT_TABLES:
        line.unit_code, line.unit_name = code, name
    elif kind == "project_expenditure":
        line.project_code, line.project_name = code, name
        line.unit_name = extra.get("项目单位")
    elif kind in LINE_TABLES:
        line.unit_code, line.unit_name = code, name
        line.project_name = extra.get("项目") or extra.get("专项名称")
        for col, target in (("功能科目", "subject"), ("支出功能分类科目", "subject"), ("部门支出经济分类", "economic_class")):
            m = _BRACKET_CODE.match(extra.get(col, "") or "")
            if m:
                setattr(line, f"{target}_code", m.group(1))
                setattr(line, f"{target}_name", m.group(2))
        item = (extra.get("政府采购品目") or extra.get("政府购买服务内容") or extra.get("资产名称")
                or extra.get("采购物品名称"))
        if item:
            m = _BRACKET_CODE.match(item)
            line.item_code, line.item_name = (m.group(1), m.group(2)) if m else (None, item)
    else:
        line.line_item = name or code


def _line_table_roles(lines: list[BudgetLine], by_item: bool = False) -> None:
    """Procurement-like tables: rows with an item are detail; unit/department rows subtotals.

    With a 采购物品名称 column (Jiangsu), a 专项 row sums the item rows printed below it, so
    only item rows are detail.
    """
    last_item = None
    category = None  # the 品目 class (A 货物, B 工程, C 服务) of a category row: 一、货物 A
    for line in lines:
        printed = compact(line.attributes.get("采购品目大类") or "")
        m = _PROCUREMENT_CLASS.search(printed)
        if m:
            category = m.group(2) or _PROCUREMENT_CLASS_CODE[m.group(1)]
        elif printed and _TOTAL.match(printed):
            category = None
        if line.row_role != "total":
            if by_item:
                if not line.item_name and line.attributes.get("采购组织形式") and last_item:
                    # the item cell is merged over two purchase rows (物业管理服务: 部门集中采购 330,
                    # 分散自行组织 20): the second row buys the same item
                    line.item_name = last_item
                line.row_role = "detail" if line.item_name else "subtotal"
                last_item = line.item_name
            else:
                line.row_role = "detail" if (line.item_name or line.project_name) else "subtotal"
            if line.row_role == "detail" and not line.item_code and category:
                # items printed without a 品目 code (Jiangsu 政府采购预算表) fall under their category row: the
                # class letter is the first level of the 政府采购品目分类目录 (A 货物, B 工程, C 服务)
                line.item_code = category


@dataclass
class _Group:
    """One label column of a side and the amount columns printed to its right."""

    label: int
    amounts: list[int]


def _side_groups(table: RawTable) -> dict[str, list[_Group]]:
    """The income and expenditure sides of a two-sided summary, read from the column paths.

    A side is the columns under 收入/本年收入/财政拨款收入 (支出/…); within a side, each label
    column (项目, 项目名称, 功能科目名称) starts a group and the columns after it (金额, 预算数,
    决算数, 合计, 人员经费 …) are its amounts: the Jiangsu 收支总表 prints expenditure twice, by
    function and by use; Shanghai prints 合计 and its split by fund or by expense type.
    """
    cols = table.columns
    side_of: list[str | None] = []
    for c in cols:
        top = compact(c.split("/", 1)[0])
        side_of.append("income" if _INCOME_SIDE.match(top) else "expenditure" if _EXPENDITURE_SIDE.match(top) else None)
    if None in side_of or len(set(side_of)) != 2:
        half = len(cols) // 2
        side_of = ["income"] * half + ["expenditure"] * (len(cols) - half)
    sides: dict[str, list[_Group]] = {"income": [], "expenditure": []}
    for i, c in enumerate(cols):
        groups = sides[side_of[i]]
        if _is_label_column(c) or not groups:
            groups.append(_Group(i, []))
        else:
            groups[-1].amounts.append(i)
    return sides


def _two_sided(table: RawTable, issues: list[ExtractionIssue]) -> list[BudgetLine]:
    lines: list[BudgetLine] = []
    for side, groups in _side_groups(table).items():
        side_cols = sorted({g.label for g in groups} | {i for g in groups for i in g.amounts})
        # (row index, group index, label) in print order, one per printed label with figures
        entries: list[tuple[int, int, str]] = []
        for r, row in enumerate(table.rows):
            labelled = [(k, compact(row[g.label])) for k, g in enumerate(groups) if row[g.label] and compact(row[g.label])]
            for k, label in labelled:
                g = groups[k]
                if any(row[i] for i in g.amounts) or not _SUMMARY.search(label):
                    entries.append((r, k, label))
                    continue
                # A summary label printed across the side (当年支出小计 … 13,649.07): its figure
                # sits in another group's amount column.
                other = next((j for j, h in enumerate(groups) if j != k and any(row[i] for i in h.amounts)
                              and not row[h.label]), None)
                entries.append((r, other if other is not None else k, label))
            if not labelled:
                # the label slid into an amount column (收入合计 | 13,649.07 | | 支出合计 | | 13,649.07)
                texts = [compact(row[i]) for i in side_cols if row[i] and not is_amount(row[i])]
                if len(texts) == 1 and _SUMMARY.search(texts[0]):
                    k = next((j for j, h in enumerate(groups) if any(row[i] for i in h.amounts
                              if row[i] and is_amount(row[i]))), None)
                    if k is not None:
                        entries.append((r, k, texts[0]))
        labels = [label for _, _, label in entries]
        has_grand = any("总计" in x for x in labels)
        last_total = max((n for n, x in enumerate(labels) if "合计" in x), default=None)
        parents: dict[int, tuple[int, str]] = {}  # group → (level, label) of the open subtotal
        for n, (r, k, label) in enumerate(entries):
            g = groups[k]
            row, ref = table.rows[r], table.row_refs[r]
            level = enumerator_level(label)
            nxt = next((entries[m][2] for m in range(n + 1, len(entries)) if entries[m][1] == k), None)
            next_level = enumerator_level(nxt) if nxt else None
            parent = parents.get(k)
            if "总计" in label or (not has_grand and n == last_total):
                role = "total"
                parents.pop(k, None)
                parent = None
            elif _SUMMARY.search(label):
                role = "subtotal"
                parents.pop(k, None)
                parent = None
            elif level is not None and next_level is not None and next_level > level:
                role = "subtotal"
                if parent and level > parent[0]:
                    label_item = f"{parent[1]}/{label}"
                else:
                    label_item = label
                parents[k] = (level, label_item)
                parent = None
            else:
                role = "detail"
                if parent and (level is None or level <= parent[0]):
                    parents.pop(k, None)
                    parent = None
            if role == "subtotal" and k in parents and parents[k][1].endswith(label):
                item = parents[k][1]
            else:
                item = f"{parent[1]}/{label}" if parent and role == "detail" else label
            plain = strip_enumerator(label)
            by_use = k > 0 and side == "expenditure"  # 支出用途: 基本支出, 项目支出 … of the same total
            for a_no, i in enumerate(g.amounts):
                text = row[i]
                if not text or not compact(text):
                    continue
                try:
                    stated = parse_amount(text)
                except ValueError as exc:
                    issues.append(ExtractionIssue("error", "normalize", f"{table.title}: {exc}", ref))
                    continue
                if stated is None:
                    continue
                if a_no == 0:
                    expense = "total"
                    fund = _income_fund(plain) if side == "income" else None
                else:
                    meaning = column_meaning(table.columns[i], table.table_kind)
                    expense, fund = meaning.expense_type, meaning.fund_source
                if by_use and role == "detail":
                    expense = next((code for word, code in EXPENSE_TYPES if word in plain), "by_use")
                subject = FUNCTION_CLASSES.get(plain) if side == "expenditure" and not by_use else None
                lines.append(BudgetLine(
                    table_kind=table.table_kind, table_title=table.title, table_number=table.number,
                    row_no=r + 1, column_name=table.columns[i], row_label=label, row_role=role,
                    amount=to_yuan(stated, table.unit), stated_amount=stated, stated_unit=table.unit,
                    half_unit=_half_unit(text, table.unit), expense_type=expense, fund_source=fund,
                    source_ref=str(ref), side=side, line_item=item,
                    subject_code=subject, subject_name=plain if subject else None,
                ))
    return lines


def _income_fund(label: str) -> str | None:
    from .columns import FUND_SOURCES
    return next((code for word, code in FUND_SOURCES if word in label), None)
