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

from ..read.catalogue import ECONOMIC_TABLES, SUBJECT_TABLES, compact
from ..read.model import ExtractionIssue, RawTable, SourceRef, table_place
from ..read.numbers import decimals_of, is_amount, parse_amount, parse_quantity, to_yuan
from .codes import has_codes, name_columns, row_labels
from .columns import EXPENSE_TYPES, ColumnMeaning, column_meaning, is_label_column, table_meanings
from .reference import ECONOMIC_CLASSES, FUNCTION_CLASSES, enumerator_level, strip_enumerator

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
    source_page: int | None = None  # PDF page of the figure
    source_bbox: str | None = None  # its cell on that page: "x0,top,x1,bottom" in PDF points
    block_no: int = 0  # a table printed once per unit: which unit's block (0 when printed once)


def _half_unit(text: str, unit: str) -> Decimal:
    return to_yuan(Decimal(1).scaleb(-decimals_of(text)) / 2, unit)


def _roles_by_code(codes: list[str | None]) -> list[str]:
    """Rows whose code prefixes another row's code are subtotals, the other coded rows details."""
    present = [c for c in codes if c]
    roles = []
    for code in codes:
        if code and any(o != code and o.startswith(code) for o in present):
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


def cell_box(table: RawTable, row: int, column: int) -> tuple[float, float, float, float] | None:
    """Where a cell is printed on its row's page (PDF tables), else None."""
    if row < len(table.cell_boxes) and column < len(table.cell_boxes[row]):
        return table.cell_boxes[row][column]
    return None


def bbox_text(box: tuple[float, float, float, float] | None) -> str | None:
    return None if box is None else ",".join(f"{v:g}" for v in box)


def _blocks(table: RawTable) -> list[RawTable]:
    """A table printed as two blocks side by side (编码 | 名称 | 决算数 | 编码#2 | 名称#2 | 决算数#2)."""
    bases = [re.sub(r"#\d+$", "", c) for c in table.columns]
    n = len(bases)
    for k in range(1, n // 2 + 1):
        if n % k == 0 and all(bases[i] == bases[i % k] for i in range(n)) and table.columns[k] != table.columns[0]:
            out = []
            for b in range(n // k):
                cols = range(b * k, (b + 1) * k)
                rows, refs, boxes = [], [], []
                for r, (row, ref) in enumerate(zip(table.rows, table.row_refs)):
                    part = [row[i] for i in cols]
                    if any(part):
                        rows.append(part)
                        refs.append(ref)
                        boxes.append([cell_box(table, r, i) for i in cols])
                part_table = RawTable(table.table_kind, table.title, table.unit, bases[:k], rows, refs, table.ref,
                                      table.number, table.header_rows, table.notes, cell_boxes=boxes)
                # row numbers stay unique per table: the second block's rows follow the first's
                part_table._row_offset = b * len(table.rows)  # type: ignore[attr-defined]
                out.append(part_table)
            return out
    return [table]


# Reading problems (读取问题), as the analyst reads them: the table as printed, its column, the cell's text.

def _unknown_column(table: RawTable, column: str) -> str:
    return (f"{table_place(table.title, table.ref)}：不认识“{column}”这一栏，其数字按印出的栏名保留，归入“其他”，"
            "不参与任何核对")


def _unreadable_cell(table: RawTable, column: str, ref: SourceRef, exc: ValueError) -> str:
    """A cell that is no figure (or quantity); ``exc`` says what it prints (numbers.not_a_figure)."""
    return f"{table_place(table.title, ref)}“{column}”栏：{exc}"


def _single_sided(table: RawTable) -> tuple[list[BudgetLine], list[ExtractionIssue]]:
    issues: list[ExtractionIssue] = []
    meanings = table_meanings(table.columns, table.table_kind)
    figure_cols = [i for i, m in enumerate(meanings) if m.role == "amount"]
    # A column of words (采购组织形式: 分散自行组织; 经济科目: 办公设备购置) is not a figure column
    # even when its header names no label: most of its cells are not amounts.
    wordy = [i for i in figure_cols
             if sum(1 for row in table.rows if row[i] and compact(row[i]) and not is_amount(row[i]))
             > sum(1 for row in table.rows if row[i] and is_amount(row[i]))]
    if wordy:
        figure_cols = [i for i in figure_cols if i not in wordy]
        meanings = [ColumnMeaning("other", None, None) if i in wordy else m for i, m in enumerate(meanings)]
    for i in figure_cols:
        if not meanings[i].known and any(row[i] for row in table.rows):
            issues.append(ExtractionIssue("warning", "normalize", _unknown_column(table, table.columns[i]), table.ref))
    labels = row_labels(table, prefer="部门" if table.table_kind in ECONOMIC_TABLES else None)
    twice = _printed_twice(table, labels)
    label_info = [(None if r in twice else code, name) for r, (code, name, _) in enumerate(labels)]
    name_cols = name_columns(table)
    has_code = has_codes(table)
    if len(name_cols) > 1 and not has_code:
        # 一般公共预算资金 | 小计 ; (blank) | 公共财政拨款资金: the group name is printed once
        group = None
        for r, row in enumerate(table.rows):
            first = compact(row[name_cols[0]] or "")
            if first:
                group = first
            elif group and label_info[r][1] and not label_info[r][1].startswith(group):
                label_info[r] = (label_info[r][0], f"{group}/{label_info[r][1]}")
    codes = [code if code or not _TOTAL.match(compact(name or "")) else None for code, name in label_info]
    dimension = _row_dimension(table, codes)
    units, blocks = _unit_blocks(table, labels, dimension)
    unit_names = _unit_names(table) if dimension == "item" else None
    if unit_names is not None:
        # 深圳 收入总表: 预算单位 | 收入总计 | …: units by name, the department's row first
        dimension = "unit"
        label_info = [(None, name) for name in unit_names]
    levels = _printed_levels(table, label_info, dimension) if not has_code else {}
    label_info = [(levels[r][1], info[1]) if r in levels else info for r, info in enumerate(label_info)]
    roles = [""] * len(codes)
    for block in sorted(set(blocks)):
        rows = [r for r, b in enumerate(blocks) if b == block]
        for r, role in zip(rows, _roles_by_code([codes[r] for r in rows])):
            roles[r] = role
    unit_rows = [r for r, u in enumerate(units) if u and u[1] == "row"]
    first_unit = units[unit_rows[0]][0] if unit_rows else None
    several_units = len({units[r][0] for r in unit_rows}) > 1
    period = next((i for i, c in enumerate(table.columns) if c.rsplit("/", 1)[-1] == "年度"), None)
    lines: list[BudgetLine] = []
    row_offset = getattr(table, "_row_offset", 0)
    for r, (row, ref) in enumerate(zip(table.rows, table.row_refs)):
        code, name = label_info[r]
        plain = compact(name or "")
        if unit_names is not None:
            named = [i for i, n in enumerate(unit_names) if n]
            role = "total" if r == named[0] or not plain else "detail"
        elif r in unit_rows:
            # a unit's own row heads its block: the first unit's (the department's, or the only one's) is the total
            role = "total" if units[r][0] == first_unit and (not several_units or unit_rows[0] == 0) else "subtotal"
        elif code is None and not plain and table.table_kind in LINE_TABLES:
            # 合计 or a category (一、货物A) printed in a column of its own
            role = "total" if any(_TOTAL.match(compact(c or "")) for c in row) else "subtotal"
        elif code is None and (not plain or _GRAND_TOTAL.match(plain)):
            role = "total"
        elif code is None and _SUBTOTAL.search(plain):
            role = "subtotal"  # 小计, 人员经费合计 (one block of two), 其中：…
        elif r in levels:
            role = levels[r][0]
        elif code is None:
            # a labelled row without a code that no total word names: never the table's total, even in a
            # coded table (the last leaf, a name whose code was not read)
            role = "detail"
        else:
            role = roles[r]
        if not any(is_label_column(c) for c in table.columns):
            role = "detail"  # a table without row labels (三公) has one row of figures
        elif table.table_kind == "project_expenditure" and code and len(code) < 10 and role != "total":
            role = "subtotal"  # 31 本级支出项目: a category row above the projects
        extra = {table.columns[i]: row[i] for i, m in enumerate(meanings) if m.role in ("other", "label") and row[i]}
        quantity = _first(table, row, meanings, "quantity", issues, ref)
        unit_price = _first(table, row, meanings, "unit_price", issues, ref)
        for i in figure_cols:
            text = row[i]
            try:
                stated = parse_amount(text)
            except ValueError as exc:
                issues.append(ExtractionIssue("error", "normalize", _unreadable_cell(table, table.columns[i], ref, exc),
                                              ref))
                continue
            if stated is None:
                continue
            line = BudgetLine(
                table_kind=table.table_kind, table_title=table.title, table_number=table.number,
                row_no=row_offset + r + 1, column_name=table.columns[i],
                row_label=" ".join(x for x in (labels[r][0], name) if x),  # the code as printed
                row_role=role, amount=to_yuan(stated, table.unit), stated_amount=stated,
                stated_unit=table.unit, half_unit=_half_unit(text, table.unit),
                expense_type=meanings[i].expense_type, fund_source=meanings[i].fund_source,
                source_ref=str(ref), quantity=quantity, unit_price=unit_price,
                source_page=ref.page, source_bbox=bbox_text(cell_box(table, r, i)),
            )
            _assign_dimensions(dimension, line, code, name, extra, labels[r][2])
            line.attributes = extra
            line.block_no = blocks[r]
            if period is not None and row[period]:
                line.line_item = compact(row[period])  # the period a row is for: 2025年, 2026年, 增减变化金额
            if units[r] and table.table_kind not in UNIT_TABLES:
                line.unit_name = units[r][0]
            lines.append(line)
    if table.table_kind in LINE_TABLES:
        _line_table_roles(lines, by_item="采购物品名称" in table.columns)
    return lines, issues


_UNIT_COLUMN = re.compile(r"^(?:预算单位|单位名称|预算单位名称|单位|部门（单位）名称)$")


def _unit_names(table: RawTable) -> list[str | None] | None:
    """The unit each row of a 收入总表 names in its 预算单位 column, when the table prints no codes."""
    if table.table_kind not in UNIT_TABLES:
        return None
    column = next((i for i, c in enumerate(table.columns) if _UNIT_COLUMN.match(c.rsplit("/", 1)[-1])), None)
    if column is None:
        return None
    names = [compact(row[column] or "") or None for row in table.rows]
    return names if any(names) else None


def _unit_blocks(table: RawTable, labels, dimension: str) -> tuple[list[tuple[str, str] | None], list[int]]:
    """The unit of each row and the block it is printed in, for a table printed once per unit.

    With a unit column (深圳: 预算单位 | 科目编码 | 科目名称 …) a row naming a unit heads a block and the
    rows below belong to it ((name, "row") for the unit's own row, (name, "member") below). Without
    one (北京 一般公共预算支出表: the same codes again for each unit, no unit names), a block starts
    where a row's codes come round again. Blocks keep the same code of two units apart.
    """
    n = len(table.rows)
    column = next((i for i, c in enumerate(table.columns) if _UNIT_COLUMN.match(c.rsplit("/", 1)[-1])), None)
    units: list[tuple[str, str] | None] = [None] * n
    blocks = [0] * n
    if table.table_kind in UNIT_TABLES or dimension == "unit":
        return units, blocks
    if column is not None:
        # 深圳's 三公 table prints each unit's figures for 2025 年, 2026 年 and 增减变化金额 (a 年度 column):
        # every such row is the unit's own, one per period
        periods = any(c.rsplit("/", 1)[-1] == "年度" for c in table.columns)
        block, current = 0, None
        for r, row in enumerate(table.rows):
            name = compact(row[column] or "")
            if name and not labels[r][0]:
                block, current = block + 1, name
                units[r] = (name, "row")
            elif current:
                units[r] = (current, "row" if periods and not labels[r][0] else "member")
            blocks[r] = block
        return units, blocks
    # a unit's block begins at the top of the hierarchy: only a code of the shortest length printed (the 类, or
    # the 项 of a table printing only 项 rows) coming round again starts one
    top = min((len(code) for code, _name, _others in labels if code), default=0)
    seen: set = set()
    block = 0
    for r, (code, _name, others) in enumerate(labels):
        if code:
            key = (code, tuple(sorted(others.items())))
            if key in seen and len(code) == top:
                block += 1
                seen = set()
            seen.add(key)
        blocks[r] = block
    return units, blocks


_INDENT = re.compile(r"^[\u3000 ]*")


def _printed_levels(table: RawTable, label_info, dimension: str) -> dict[int, tuple[str, str | None]]:
    """Role and class code of each row of a hierarchy printed without codes, by the level each row shows.

    The level is the row's enumerator (一、 (一) 1.), else its indentation (leading ideographic spaces), else
    the 政府收支分类科目 vocabulary: a class name (一般公共服务支出, 工资福利支出) is a class, the rows under it
    are below it (a name repeating the row's above is deeper still). A row over deeper rows is their subtotal;
    a class row takes its class's code, so 合计 = Σ类 is checked; rows below keep no code (theirs is not printed).
    Tables printing neither enumerators, indentation nor class names keep their rows as details.
    """
    vocabulary = FUNCTION_CLASSES if dimension == "subject" else ECONOMIC_CLASSES if dimension == "economic" else {}
    names = name_columns(table)
    rows = [r for r, (_, name) in enumerate(label_info)
            if name and not _SUMMARY.search(compact(name))]
    if not vocabulary or not names or not rows:
        return {}
    raw = {r: next((table.rows[r][i] for i in names if table.rows[r][i] and compact(table.rows[r][i])), "")
           for r in rows}
    indent = {r: len(_INDENT.match(raw[r]).group(0).replace("  ", "\u3000").replace(" ", "")) for r in rows}
    enumerated = {r: enumerator_level(compact(label_info[r][1])) for r in rows}
    classes = {r: vocabulary.get(strip_enumerator(compact(label_info[r][1]))) for r in rows}
    if any(enumerated.values()):
        level = {r: enumerated[r] or (max(enumerated.values()) + 1) for r in rows}
    elif any(indent.values()):
        level = {r: indent[r] + 1 for r in rows}
    elif any(classes.values()):
        level, previous = {}, None
        for r in rows:
            repeated = previous is not None and compact(label_info[r][1]) == compact(label_info[previous][1])
            level[r] = min(level[previous] + 1, 3) if repeated else 1 if classes[r] else 2
            previous = r
    else:
        return {}
    top = min(level.values())
    out = {}
    for k, r in enumerate(rows):
        deeper = k + 1 < len(rows) and level[rows[k + 1]] > level[r]
        out[r] = ("subtotal" if deeper else "detail", classes[r] if level[r] == top else None)
    return out


def _printed_twice(table: RawTable, labels) -> set[int]:
    """Rows printing again, cell for cell, the coded row right above them (21999 其他支出 502.00 twice under 219
    援助其他地区支出 502.00: the row doubled, or its 项 printed with the 款's code): the same subject once more, a
    detail outside the code hierarchy, never a second sibling of the first."""
    return {r for r in range(1, len(table.rows)) if labels[r][0] and table.rows[r] == table.rows[r - 1]}


def _first(table, row, meanings, role, issues, ref) -> Decimal | None:
    parse = parse_quantity if role == "quantity" else parse_amount
    for i, m in enumerate(meanings):
        if m.role == role and row[i]:
            try:
                return parse(row[i])
            except ValueError as exc:
                issues.append(ExtractionIssue("warning", "normalize", _unreadable_cell(table, table.columns[i], ref, exc),
                                              ref))
    return None


def _row_dimension(table: RawTable, codes: list[str | None]) -> str:
    """What a table's rows are: subject (功能分类), economic (经济分类), unit, project, line (procurement …)
    or item. The printed label columns decide first (收入总表 by 功能分类科目, Shanghai), then the codes'
    structure: function codes have 3, 5 or 7 digits (201 / 20101 / 2010101), unit codes 3 then 6 (307 / 307001)."""
    kind = table.table_kind
    if kind in SUBJECT_TABLES | ECONOMIC_TABLES | UNIT_TABLES:
        label_paths = " ".join(c for c in table.columns if is_label_column(c))
        if "功能分类" in label_paths or "功能科目" in label_paths:
            return "subject"
        if "经济分类" in label_paths or "经济科目" in label_paths:
            return "economic"
        if kind not in UNIT_TABLES and _listed_by_unit(label_paths, codes):
            return "unit"  # a 支出总表 listing its units (单位编码 114 | 114001), not subjects
        if kind in UNIT_TABLES:
            lengths = {len(c) for c in codes if c and c.isdigit()}
            if not has_codes(table):
                return "item"  # 收入预算总表 of Jiangsu: income lines, no units
            if lengths & {5, 7} and not lengths & {6, 9}:
                return "subject"  # 重庆 单位收入总体情况表: income by 功能分类科目
            return "unit"
        return "subject" if kind in SUBJECT_TABLES else "economic"
    if kind == "project_expenditure":
        return "project"
    if kind in LINE_TABLES:
        return "line"
    return "item"


_UNIT_LABEL = re.compile(r"单位(?:编码|代码|名称)|预算单位")


def _listed_by_unit(label_paths: str, codes: list[str | None]) -> bool:
    """Rows that are units: label columns naming units and no 科目, or codes shaped as units (the department's
    3 digits, its units' 6: 114 | 114001) rather than subjects (3, 5 and 7 digits)."""
    lengths = {len(c) for c in codes if c and c.isdigit()}
    if _UNIT_LABEL.search(label_paths) and "科目" not in label_paths:
        return True
    return bool(lengths & {6, 9}) and not lengths & {5, 7}


def _assign_dimensions(dimension: str, line: BudgetLine, code, name, extra, other_codes) -> None:
    if dimension == "item":
        line.line_item = name or code
        return
    if dimension == "subject":
        line.subject_code, line.subject_name = code, name
        # 北京's 支出总表 prints each function row's economic classes beside it (30101-基本工资)
        economic = [c for column, c in other_codes.items() if "部门" in column and "经济" in column] or [
            c for column, c in other_codes.items() if "经济" in column]
        if economic:
            line.economic_class_code = economic[0]
    elif dimension == "economic":
        line.economic_class_code, line.economic_class_name = code, name
    elif dimension == "unit":
        line.unit_code, line.unit_name = code, name
    elif dimension == "project":
        line.project_code, line.project_name = code, name
        line.unit_name = extra.get("项目单位")
    else:
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
        if is_label_column(c) or not groups:
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
        classes: dict[int, str] = {}  # group → the enumerated row (一、教育支出) its unnumbered rows are under
        previous: dict[int, str] = {}  # group → the label printed above
        for n, (r, k, label) in enumerate(entries):
            g = groups[k]
            row, ref = table.rows[r], table.row_refs[r]
            level = enumerator_level(label)
            nxt = next((entries[m][2] for m in range(n + 1, len(entries)) if entries[m][1] == k), None)
            next_level = enumerator_level(nxt) if nxt else None
            parent = parents.get(k)
            above, previous[k] = previous.get(k), label
            below = None  # the enumerated row an unnumbered row belongs to, at a depth not printed
            if "总计" in label or (not has_grand and n == last_total):
                role = "total"
                parents.pop(k, None)
                parent = None
            elif _SUMMARY.search(label):
                role = "subtotal"
                parents.pop(k, None)
                parent = None
            elif level is None and k in classes and not (next_level is not None and _SUMMARY.search(above or "")):
                # 深圳 收支总表: 一、教育支出 | 职业教育 | 技校教育 …: the 款 and 项 under a 类, printed by name with
                # their depth shown only by indentation; they are read, but summed with no level
                role, below = "detail", classes[k]
            elif next_level is not None and (level is None or next_level > level):
                # a row over enumerated rows (一、…, 1.…) is their subtotal; a row without an enumerator over them
                # (上年结转结余 | 一、一般公共预算拨款 | 二、…) is one too, above every level
                role = "subtotal"
                level = 0 if level is None else level
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
            if below is not None:
                item = f"{below}/{label}"
            elif level is not None and not _SUMMARY.search(label):
                classes[k] = item
            elif _SUMMARY.search(label) or "总计" in label:
                classes.pop(k, None)
            plain = strip_enumerator(label)
            by_use = k > 0 and side == "expenditure"  # 支出用途: 基本支出, 项目支出 … of the same total
            for a_no, i in enumerate(g.amounts):
                text = row[i]
                if not text or not compact(text):
                    continue
                try:
                    stated = parse_amount(text)
                except ValueError as exc:
                    issues.append(ExtractionIssue("error", "normalize",
                                                  _unreadable_cell(table, table.columns[i], ref, exc), ref))
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
                # only a class row is a class: the 款 and 项 printed below it by name may share its name
                # (五、其他支出 | 其他支出 | 其他支出)
                subject = (FUNCTION_CLASSES.get(plain) if side == "expenditure" and not by_use and below is None
                           else None)
                lines.append(BudgetLine(
                    table_kind=table.table_kind, table_title=table.title, table_number=table.number,
                    row_no=r + 1, column_name=table.columns[i], row_label=label, row_role=role,
                    amount=to_yuan(stated, table.unit), stated_amount=stated, stated_unit=table.unit,
                    half_unit=_half_unit(text, table.unit), expense_type=expense, fund_source=fund,
                    source_ref=str(ref), side=side, line_item=item,
                    source_page=ref.page, source_bbox=bbox_text(cell_box(table, r, i)),
                    subject_code=subject, subject_name=plain if subject else None,
                    attributes={"depth": "below"} if below is not None else {},
                ))
    return lines


def _income_fund(label: str) -> str | None:
    from .columns import FUND_SOURCES
    return next((code for word, code in FUND_SOURCES if word in label), None)
