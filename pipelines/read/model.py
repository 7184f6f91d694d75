"""What a reader hands on: one disclosure's tables, text lines and extraction issues.

Both readers (text extract, PDF) produce these same objects, so everything downstream
(narrative extraction, normalization, the warehouse) has one input shape.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, order=True)
class SourceRef:
    """Where something was read: a file and a line (text extracts) or a page (PDF)."""

    file: str
    line: int | None = None
    page: int | None = None

    def __str__(self) -> str:
        if self.page is not None:
            return f"{self.file}:p{self.page}"
        if self.line is not None:
            return f"{self.file}:L{self.line}"
        return self.file

    @property
    def place(self) -> str:
        """Where in the file, in words: 第3页 (a PDF's page), 文本第120行 (a text extract's line, never a table's
        row), or nothing."""
        if self.page is not None:
            return f"第{self.page}页"
        if self.line is not None:
            return f"文本第{self.line}行"
        return ""


@dataclass(frozen=True)
class TextLine:
    """One line of running text, in reading order."""

    text: str
    ref: SourceRef


@dataclass
class RawTable:
    """One standard table as printed: cells as text, aligned to its columns.

    ``columns`` are canonical column paths ("基本支出/人员经费"); every row of ``rows`` has exactly
    ``len(columns)`` cells; ``None`` is an empty cell. Label columns (科目编码, 科目名称, 项目名称 …)
    are columns like any other.
    """

    table_kind: str
    title: str
    unit: str  # 元 or 万元: the table's own 单位 line
    columns: list[str]
    rows: list[list[str | None]]
    row_refs: list[SourceRef]
    ref: SourceRef
    number: str | None = None  # 附表4-5, 公开05表, 预算10表 …
    header_rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # PDF only: each cell's box on its row's page (x0, top, x1, bottom in points), parallel to ``rows``; empty
    # for text extracts (their rows carry the line)
    cell_boxes: list[list[tuple[float, float, float, float] | None]] = field(default_factory=list)


class ReadingProblem(ValueError):
    """A file that cannot be read, or is no budget disclosure: its message is the reading problem (读取问题) as
    the analyst reads it, in plain Chinese, naming the file (and the page), and saying what to do."""


@dataclass(frozen=True)
class ExtractionIssue:
    """Something a reader could not read with certainty; never silently dropped.

    ``severity`` and ``stage`` are codes (the report names them in words); ``reason`` is what the analyst reads:
    one or two plain Chinese sentences naming the place (the table's title as printed, the page, the column) and
    the reason, in the document's own words."""

    severity: str  # error | warning | info (a file skipped as no document)
    stage: str  # discover | read | normalize
    reason: str
    ref: SourceRef | None = None


def table_place(title: str, ref: SourceRef | None) -> str:
    """A table named as printed, with where it is: "2026年部门收支总表（第3页）"."""
    return f"{title}（{ref.place}）" if ref is not None and ref.place else title


def quoted(names) -> str:
    """Names as the document prints them, each in quotes: “基本支出”、“项目支出”."""
    return "、".join(f"“{n}”" for n in names)


@dataclass(frozen=True)
class NarrativeFigure:
    """A figure stated in running text: 2126.26 万元, 26.84%, 37 人 …"""

    measure: str
    value: Decimal
    unit: str
    sentence: str
    ref: SourceRef
    section: str
    year: int | None = None
    direction: str | None = None  # 增加 / 减少 / 增长 / 下降 for stated changes
    compared_to_year: int | None = None


@dataclass(frozen=True)
class PerformanceTarget:
    """One indicator of a 绩效目标 form (project or whole department)."""

    form: str  # project name, or 部门整体 for the department form
    level1: str | None
    level2: str | None
    indicator: str
    value_text: str
    value: Decimal | None
    unit: str | None
    ref: SourceRef


@dataclass
class RawDocument:
    """One disclosure as read, possibly from several files (narrative PDF + tables PDF)."""

    source_files: list[str]
    department: str | None = None
    year: int | None = None
    kind: str | None = None  # 预算 | 决算
    scope: str | None = None  # 部门 | 单位
    tables: list[RawTable] = field(default_factory=list)
    text_lines: list[TextLine] = field(default_factory=list)
    issues: list[ExtractionIssue] = field(default_factory=list)
