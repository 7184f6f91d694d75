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
from ..read.numbers import decimals_of, parse_amount, to_yuan
from .columns import column_meaning
from .reference import FUNCTION_CLASSES, enumerator_level, strip_enumerator

SUBJECT_TABLES = frozenset({
    "expenditure_summary", "general_budget_expenditure", "government_fund_expenditure",
    "state_capital_expenditure", "fiscal_appropriation_expenditure",
})
ECONOMIC_TABLES = frozenset({"general_budget_basic_expenditure", "fiscal_appropriation_basic_expenditure"})
UNIT_TABLES = frozenset({"income_summary"})
TWO_SIDED = frozenset({"income_expenditure_summary", "fiscal_appropriation_summary"})
LINE_TABLES = frozenset({"procurement", "purchase_of_services", "asset_allocation"})

_BRACKET_CODE = re.compile(r"^\[([0-9A-Z]+)\](.*)$")
_TOTAL = re.compile(r"^(合计|总计)$")


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
        code = "".join((row[i] or "").strip() for i in split) or None
    else:
        idx = next((i for i, c in enumerate(cols) if "编码" in c or "代码" in c), None)
        code = row[idx] if idx is not None else None
    name_idx = next((i for i, c in enumerate(cols) if "名称" in c), None)
    name = row[name_idx] if name_idx is not None else None
    if code and _TOTAL.match(compact(code)):
        return None, compact(code)
    return (compact(code) if code else None), name


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
    if table.table_kind in TWO_SIDED and len(table.columns) == 4:
        return _two_sided(table, issues), issues
    meanings = [column_meaning(c, table.table_kind) for c in table.columns]
    figure_cols = [i for i, m in enumerate(meanings) if m.role == "amount" and not _is_label_column(table.columns[i])]
    label_info = [_code_and_name(table, row) for row in table.rows]
    codes = [code if code or not _TOTAL.match(compact(name or "")) else None for code, name in label_info]
    roles = _roles_by_code([c if c is not None else None for c in codes])
    lines: list[BudgetLine] = []
    for r, (row, ref) in enumerate(zip(table.rows, table.row_refs)):
        code, name = label_info[r]
        is_total = code is None and (name is None or _TOTAL.match(compact(name or "")) is not None)
        role = "total" if is_total else roles[r]
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
                row_no=r + 1, column_name=table.columns[i], row_label=" ".join(x for x in (code, name) if x),
                row_role=role, amount=to_yuan(stated, table.unit), stated_amount=stated,
                stated_unit=table.unit, half_unit=_half_unit(text, table.unit),
                expense_type=meanings[i].expense_type, fund_source=meanings[i].fund_source,
                source_ref=str(ref), quantity=quantity, unit_price=unit_price,
            )
            _assign_dimensions(table, line, code, name, row, extra)
            line.attributes = extra
            lines.append(line)
    if table.table_kind in LINE_TABLES:
        _line_table_roles(lines)
    return lines, issues


def _is_label_column(path: str) -> bool:
    leaf = path.rsplit("/", 1)[-1]
    return any(w in leaf for w in ("编码", "代码", "名称", "项目单位")) or leaf in (
        "类", "款", "项", "项目", "政府采购品目", "功能科目", "部门支出经济分类", "资金来源", "资金性质",
        "是否包含政府采购", "政府购买服务内容", "支出功能分类科目", "资产分类", "资产名称",
    ) or "目录" in leaf


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
        line.project_name = extra.get("项目")
        for col, target in (("功能科目", "subject"), ("支出功能分类科目", "subject"), ("部门支出经济分类", "economic_class")):
            m = _BRACKET_CODE.match(extra.get(col, "") or "")
            if m:
                setattr(line, f"{target}_code", m.group(1))
                setattr(line, f"{target}_name", m.group(2))
        item = extra.get("政府采购品目") or extra.get("政府购买服务内容") or extra.get("资产名称")
        if item:
            m = _BRACKET_CODE.match(item)
            line.item_code, line.item_name = (m.group(1), m.group(2)) if m else (None, item)
    else:
        line.line_item = name or code


def _line_table_roles(lines: list[BudgetLine]) -> None:
    """Procurement-like tables: rows with an item are detail; unit/department rows subtotals."""
    for line in lines:
        if line.row_role != "total":
            line.row_role = "detail" if (line.item_name or line.project_name) else "subtotal"


def _two_sided(table: RawTable, issues: list[ExtractionIssue]) -> list[BudgetLine]:
    lines: list[BudgetLine] = []
    for side, (label_col, amount_col) in (("income", (0, 1)), ("expenditure", (2, 3))):
        parent: str | None = None
        rows = [(r, row, ref) for r, (row, ref) in enumerate(zip(table.rows, table.row_refs)) if row[label_col]]
        for k, (r, row, ref) in enumerate(rows):
            label = compact(row[label_col])
            level = enumerator_level(label)
            next_level = enumerator_level(compact(rows[k + 1][1][label_col])) if k + 1 < len(rows) else None
            if "总计" in label:
                role, parent = "total", None
            elif "合计" in label:
                role, parent = "subtotal", None
            elif level == 1 and next_level == 2:
                role, parent = "subtotal", label
            else:
                role = "detail"
                if level != 2:
                    parent = None
            item = f"{parent}/{label}" if parent and level == 2 else label
            text = row[amount_col]
            try:
                stated = parse_amount(text)
            except ValueError as exc:
                issues.append(ExtractionIssue("error", "normalize", f"{table.title}: {exc}", ref))
                continue
            if stated is None:
                continue
            plain = strip_enumerator(label)
            subject = FUNCTION_CLASSES.get(plain) if side == "expenditure" else None
            lines.append(BudgetLine(
                table_kind=table.table_kind, table_title=table.title, table_number=table.number,
                row_no=r + 1, column_name=table.columns[amount_col], row_label=label, row_role=role,
                amount=to_yuan(stated, table.unit), stated_amount=stated, stated_unit=table.unit,
                half_unit=_half_unit(text, table.unit), expense_type="total", fund_source=_income_fund(plain) if side == "income" else None,
                source_ref=str(ref), side=side, line_item=item,
                subject_code=subject, subject_name=plain if subject else None,
            ))
    return lines


def _income_fund(label: str) -> str | None:
    from .columns import FUND_SOURCES
    return next((code for word, code in FUND_SOURCES if word in label), None)
