"""A static HTML report of a warehouse: one front page, one page per document.

    path = write_report(con, out_dir, previous=None)   # out_dir/index.html + out_dir/doc-<id>.html

Pure Python (stdlib + duckdb + pandas): no Dagster, no JavaScript, no network. Charts are inline SVG.
Every string that comes from a document (department names, sentences, descriptions, file names) goes
through ``html.escape``. Money is formatted from ``decimal.Decimal`` with thousands separators, never
through floats.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Iterable

import duckdb
import pandas as pd

from .evidence import Evidence, render_evidence

__all__ = ["write_report", "format_amount", "document_page_name"]

TEN_THOUSAND = Decimal(10000)
CENT = Decimal("0.01")

from ..wording import (  # noqa: E402  (the one set of Chinese templates)
    CHECK_KIND_NAMES,
    GLOSSARY,
    READING_NAMES,
    ROLE_NAMES,
    SEVERITY_NAMES,
    STAGE_NAMES,
    confidence_label,
    decimal,
    evidence_caption,
    figure_label,
    finding_text,
)
from ..wording import number as format_amount  # noqa: E402


# --------------------------------------------------------------------------------------------- format

def esc(value: Any) -> str:
    """HTML-escape anything (None → empty)."""
    if value is None:
        return ""
    if isinstance(value, float) and pd.isna(value):
        return ""
    return html.escape(str(value), quote=True)


def wan(yuan: Any) -> str:
    """Yuan as 万元, rounded half-up to 2 decimals (as the narratives print them)."""
    value = decimal(yuan)
    if value is None:
        return "—"
    return format_amount((value / TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP))


def _percent(share: Any) -> str:
    """A share (0.9795) as a percentage with one decimal, half-up (98.0)."""
    return format_amount((Decimal(str(share)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), 1)


def document_page_name(document_id: str) -> str:
    return "doc-" + re.sub(r"[^0-9A-Za-z_-]", "_", str(document_id)) + ".html"


# --------------------------------------------------------------------------------------------- read

def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> set[str]:
    try:
        cursor = con.execute(f"select * from {relation} limit 0")
    except duckdb.Error:
        return set()
    return {d[0] for d in cursor.description}


@dataclass
class Document:
    document_id: str
    department: str
    year: Any
    kind: str
    scope: str
    source_files: str
    checks: list[dict[str, Any]] = field(default_factory=list)
    issues: list[dict[str, Any]] = field(default_factory=list)
    resolved: list[dict[str, Any]] = field(default_factory=list)
    quality: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # finding id → its v_finding_cell rows
    _roles: tuple | None = field(default=None, repr=False, compare=False)

    def role(self, role: str) -> list[dict[str, Any]]:
        return self._by_role().get(role, [])

    def _by_role(self) -> dict[str, list[dict[str, Any]]]:
        """The checks by role, indexed once the checks are loaded (a page asks thousands of times)."""
        if self._roles is None or self._roles[0] != len(self.checks):
            roles: dict[str, list[dict[str, Any]]] = {}
            groups: dict[tuple[str, Any], list[dict[str, Any]]] = {}
            for c in self.checks:
                roles.setdefault(c.get("finding_role"), []).append(c)
                groups.setdefault((c.get("finding_role"), c.get("group_id")), []).append(c)
            self._roles = (len(self.checks), roles, groups)
        return self._roles[1]

    @property
    def contradictions(self) -> list[dict[str, Any]]:
        """Errors of the document: one per wrong figure, each proven by the document's own arithmetic (those an
        analyst found to be no error are set apart)."""
        return [c for c in self.role("contradiction") if c.get("review_verdict") != "not_an_error"]

    @property
    def reading_doubts(self) -> list[dict[str, Any]]:
        return [c for c in self.role("reading_doubt") if c.get("review_verdict") != "not_an_error"]

    @property
    def dismissed(self) -> list[dict[str, Any]]:
        """Contradictions and reading doubts an analyst reviewed as no error."""
        return [c for c in self.checks if c.get("finding_role") in ("contradiction", "reading_doubt")
                and c.get("review_verdict") == "not_an_error"]

    @property
    def warnings(self) -> list[dict[str, Any]]:
        return self.role("warning")

    @property
    def relations(self) -> list[dict[str, Any]]:
        """Every relation checked (a reading doubt is a finding about a table, no relation)."""
        return [c for c in self.checks if c.get("check_kind") != "reading_doubt"]

    @property
    def unverifiable(self) -> list[dict[str, Any]]:
        return self.role("unverifiable")

    def members(self, finding: dict[str, Any], role: str) -> list[dict[str, Any]]:
        """The findings of ``role`` grouped under ``finding`` (its consequences, or the relations a doubt holds back)."""
        self._by_role()
        return list(self._roles[2].get((role, finding.get("finding_id")), []))

    @property
    def new(self) -> int:
        return sum(1 for c in self.checks if c.get("change") == "new")

    @property
    def ingest_errors(self) -> int:
        return sum(1 for i in self.issues if i.get("severity") == "error")

    @property
    def title(self) -> str:
        return f"{self.department} {self.year}年 {self.kind}（{self.scope}）"

    @property
    def unread(self) -> str | None:
        """What of the document was not read (its listed tables not found), in words; None when it was read whole."""
        return unread_summary(self.quality)


def unread_summary(quality: dict[str, Any]) -> str | None:
    """What a row of v_document_quality says was not read: no table at all, or the listed tables not found."""
    if not quality:
        return None
    if not quality.get("tables_found") and quality.get("tables_expected"):
        return "一张表格也没有读到"
    if quality.get("tables_missing"):
        return f"未读到{quality['tables_missing']}"
    return None


def _previous_index(previous: pd.DataFrame | None) -> tuple[set[str], dict[str, dict[str, Any]]]:
    """(finding ids failing in the previous run, their rows)."""
    if previous is None or len(previous) == 0 or "finding_id" not in previous.columns:
        return set(), {}
    if "status" not in previous.columns:
        return set(), {}
    failed = previous[(previous["status"] == "fail") & previous["finding_id"].notna()]  # most findings pass
    frame = failed.astype(object).where(failed.notna(), None)
    failing = {str(row["finding_id"]): row for row in frame.to_dict("records")}
    return set(failing), failing


def _load(con: duckdb.DuckDBPyConnection, previous: pd.DataFrame | None):
    docs = {
        r["document_id"]: Document(r["document_id"], r["department"] or "（部门未识别）", r["year"] or "", r["kind"] or "",
                                   r["scope"] or "", r["source_files"] or "")
        for r in _rows(con, "select document_id, department, year, kind, scope, source_files from dim_document "
                            "order by department, year, kind, scope")
    }
    checks = _rows(con, """
        select finding_id, document_id, check_kind, table_kind, severity, status, description,
               expected, actual, difference, tolerance, source_ref, run_at, place_key,
               finding_role, group_id, confidence, culprit, review_verdict, review_note, reviewed_by, reviewed_at,
               review_status
        from v_check_result
        order by status, case severity when 'error' then 0 else 1 end, check_kind, source_ref, finding_id""")
    for row in _rows(con, "select * from v_document_quality"):
        if row["document_id"] in docs:
            docs[row["document_id"]].quality = row
    owner = {str(c["finding_id"]): c["document_id"] for c in checks}
    for row in _rows(con, """
            select finding_id, figure_no, figure, is_culprit, what, stated, measure, source_file, source_page,
                   source_ref, sentence
            from v_finding_cell order by finding_id, figure_no"""):
        doc = docs.get(owner.get(str(row["finding_id"])))
        if doc is not None:
            doc.figures.setdefault(str(row["finding_id"]), []).append(row)
    prev_failing, prev_rows = _previous_index(previous)
    has_previous = previous is not None
    current_status: dict[str, str] = {}
    for check in checks:
        fid = str(check["finding_id"])
        current_status[fid] = check["status"]
        if check["status"] == "fail" and has_previous:
            check["change"] = "still_open" if fid in prev_failing else "new"
        else:
            check["change"] = None
        doc = docs.get(check["document_id"])
        if doc is not None:
            doc.checks.append(check)
    resolved = []
    for fid, row in prev_rows.items():
        if current_status.get(fid) == "pass":
            resolved.append(row)
            doc = docs.get(row.get("document_id"))
            if doc is not None:
                doc.resolved.append(row)

    # Ingest issues: by document_id where the view carries one, else by source file name.
    issue_columns = _columns(con, "v_ingest_issue")
    wanted = [c for c in ("document_id", "source_file", "stage", "severity", "reason", "source_ref", "detected_at")
              if c in issue_columns]
    issues = _rows(con, f"select {', '.join(wanted)} from v_ingest_issue "
                        "order by case severity when 'error' then 0 else 1 end, source_file") if wanted else []
    by_file: dict[str, Document] = {}
    for doc in docs.values():
        for name in str(doc.source_files).split(";"):
            if name.strip():
                by_file[name.strip()] = doc
    orphans = []
    for issue in issues:
        doc = docs.get(issue.get("document_id")) or by_file.get(str(issue.get("source_file") or "").strip())
        if doc is None:
            orphans.append(issue)
        else:
            doc.issues.append(issue)
    return docs, resolved, orphans


# --------------------------------------------------------------------------------------------- charts

_PALETTE = ["#2f6db5", "#e0803a", "#3a9a6a", "#b5443a", "#7b5bb0", "#8a7a4a", "#c2559a", "#5a8aa0", "#9aa03a"]


def bar_chart(title: str, items: list[tuple[str, Decimal]], unit_note: str = "万元") -> str:
    """Horizontal bars (label, yuan) as inline SVG; labels are escaped."""
    items = [(label, value) for label, value in items if value is not None]
    if not items:
        return ""
    top = max((abs(v) for _, v in items), default=Decimal(0)) or Decimal(1)
    label_w, bar_w, row_h = 210, 360, 26
    value_w = max(90, 8 * max(len(wan(v)) for _, v in items) + 16)
    width = label_w + bar_w + value_w
    height = row_h * len(items) + 12
    parts = [f'<figure class="chart"><figcaption>{esc(title)}（{esc(unit_note)}）</figcaption>'
             f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{esc(title)}" '
             f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px">']
    for i, (label, value) in enumerate(items):
        y = 6 + i * row_h
        length = int((abs(value) / top) * bar_w) if top else 0
        short = label if len(label) <= 14 else label[:13] + "…"
        parts.append(
            f'<g><title>{esc(label)}: {esc(format_amount(value))}元</title>'
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" class="lbl">{esc(short)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{max(length, 1)}" height="{row_h - 8}" rx="2" '
            f'fill="{_PALETTE[i % len(_PALETTE)]}"/>'
            f'<text x="{label_w + max(length, 1) + 6}" y="{y + 17}" class="val">{esc(wan(value))}</text></g>')
    parts.append("</svg></figure>")
    return "".join(parts)


def split_bar(title: str, parts_in: list[tuple[str, Decimal]]) -> str:
    """One 100% bar split in parts, with a legend (e.g. 基本支出 vs 项目支出)."""
    parts_in = [(label, value) for label, value in parts_in if value is not None and value > 0]
    total = sum((v for _, v in parts_in), Decimal(0))
    if not parts_in or total <= 0:
        return ""
    width, bar_h = 700, 34
    out = [f'<figure class="chart"><figcaption>{esc(title)}</figcaption>'
           f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{esc(title)}" '
           f'viewBox="0 0 {width} {bar_h + 34}" width="100%" style="max-width:{width}px">']
    x = Decimal(0)
    legend_x = 0
    for i, (label, value) in enumerate(parts_in):
        share = value / total
        w = share * width
        color = _PALETTE[i % len(_PALETTE)]
        pct = (share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        out.append(f'<g><title>{esc(label)}: {esc(format_amount(value))}元 ({pct}%)</title>'
                   f'<rect x="{float(x):.1f}" y="0" width="{float(w):.1f}" height="{bar_h}" fill="{color}"/></g>')
        out.append(f'<rect x="{legend_x}" y="{bar_h + 12}" width="12" height="12" fill="{color}"/>'
                   f'<text x="{legend_x + 16}" y="{bar_h + 23}" class="lbl">{esc(label)} {esc(wan(value))}万元 '
                   f'({pct}%)</text>')
        x += w
        legend_x += 16 + 14 * (len(label) + 4) + 8 * len(wan(value)) + 60
    out.append("</svg></figure>")
    return "".join(out)


@dataclass
class ChartData:
    """What the charts of every document page draw, each read with one query for all documents
    (a query per document would scan the warehouse once per document)."""

    function_classes: dict[str, list[tuple[str, Decimal]]]
    economic_classes: dict[str, list[tuple[str, Decimal]]]
    basic_project: dict[str, list[tuple[str, Decimal]]]
    totals: dict[str, Decimal | None]


def _by_document(rows: list[dict[str, Any]], item) -> dict[str, list]:
    out: dict[str, list] = {}
    for r in rows:
        out.setdefault(r["document_id"], []).append(item(r))
    return out


def _function_classes(con) -> dict[str, list[tuple[str, Decimal]]]:
    rows = _rows(con, """
        with lines as (
            select document_id, left(subject_code, 3) as class_code, amount
            from v_budget_line
            where table_kind = 'general_budget_expenditure'
              and row_role = 'detail' and expense_type = 'total' and subject_code is not null
        ),
        names as (
            select document_id, subject_code, any_value(subject_name) as subject_name
            from v_budget_line where subject_level = '类' group by document_id, subject_code
        )
        select l.document_id, l.class_code, n.subject_name, sum(l.amount) as amount
        from lines as l left join names as n on n.document_id = l.document_id and n.subject_code = l.class_code
        group by all order by l.document_id, amount desc, class_code""")
    return _by_document(rows, lambda r: (f"{r['class_code']} {r['subject_name'] or ''}".strip(), r["amount"]))


def _economic_classes(con) -> dict[str, list[tuple[str, Decimal]]]:
    rows = _rows(con, """
        with base as (
            select document_id, economic_class_code, economic_class_name, expense_type, amount,
                   bool_or(expense_type = 'total') over (partition by document_id) as has_total,
                   bool_or(expense_type = 'basic') over (partition by document_id) as has_basic
            from v_budget_line
            where table_kind = 'general_budget_basic_expenditure'
              and row_role = 'detail' and economic_class_code is not null
        ),
        chosen as (
            -- one expense_type per document, to count each figure once: the total column, else 基本支出
            select * from base
            where case when has_total then expense_type = 'total' when has_basic then expense_type = 'basic'
                       else true end
        ),
        names as (
            select document_id, economic_class_code, any_value(economic_class_name) as name
            from v_budget_line where length(economic_class_code) = 3
            group by document_id, economic_class_code
        )
        select c.document_id, left(c.economic_class_code, 3) as class_code, n.name, sum(c.amount) as amount
        from chosen as c left join names as n
          on n.document_id = c.document_id and n.economic_class_code = left(c.economic_class_code, 3)
        group by all order by c.document_id, amount desc, class_code""")
    return _by_document(rows, lambda r: (f"{r['class_code']} {r['name'] or ''}".strip(), r["amount"]))


def _basic_project(con) -> dict[str, list[tuple[str, Decimal]]]:
    sums: dict[str, dict[str, Decimal]] = {}
    for document_id, expense_type, amount in con.execute("""
            select document_id, expense_type, sum(amount) from v_budget_line
            where table_kind = 'general_budget_expenditure' and row_role = 'detail'
              and expense_type in ('basic', 'project')
            group by document_id, expense_type""").fetchall():
        sums.setdefault(document_id, {})[expense_type] = amount
    return {d: [("基本支出", v.get("basic")), ("项目支出", v.get("project"))] for d, v in sums.items()}


def _document_totals(con) -> dict[str, Decimal | None]:
    """The 一般公共预算支出 total: the printed total row, else the sum of detail rows."""
    return dict(con.execute("""
        select document_id,
               coalesce(max(amount) filter (where row_role = 'total'), sum(amount) filter (where row_role = 'detail'))
        from v_budget_line
        where table_kind = 'general_budget_expenditure' and expense_type = 'total'
        group by document_id""").fetchall())


def chart_data(con) -> ChartData:
    return ChartData(_function_classes(con), _economic_classes(con), _basic_project(con), _document_totals(con))


def _year_over_year(charts: ChartData, docs: dict[str, Document], doc: Document) -> str:
    same = sorted((d for d in docs.values() if d.department == doc.department and d.kind == doc.kind
                   and d.scope == doc.scope), key=lambda d: (str(d.year), d.document_id))
    if len({d.year for d in same}) < 2:
        return ""
    items = [(f"{d.year}年", charts.totals.get(d.document_id)) for d in same]
    return bar_chart(f"{doc.department} 历年一般公共预算支出（{doc.kind}，{doc.scope}）", items)


# --------------------------------------------------------------------------------------------- findings in words

def plain_finding(doc: "Document", check: dict[str, Any]) -> str:
    """One finding in plain words (``wording.finding_text``), escaped, with the sentence it is about quoted."""
    figures = doc.figures.get(str(check.get("finding_id")), [])
    text = esc(finding_text(check, figures))
    sentence = next((f.get("sentence") for f in figures if f.get("sentence")), None)
    if sentence:
        text += f'<blockquote>“{esc(sentence)}”</blockquote>'
    return text


def _culprit(doc: "Document", check: dict[str, Any]) -> str | None:
    """The figure named as off, as the document prints it and where."""
    figure = next((f for f in doc.figures.get(str(check.get("finding_id")), []) if f.get("is_culprit")), None)
    if figure is None:
        return None
    return f"{figure_label(figure)}（{figure.get('source_ref') or ''}）"


# --------------------------------------------------------------------------------------------- pages

CSS = """
:root { --ink:#1f2328; --muted:#636c76; --line:#d8dee4; --err:#b42318; --warn:#b54708; --ok:#1a7f37;
        --bg:#f6f8fa; --accent:#2f6db5; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.65; font-size: 15px;
       font-family: "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC",
                    "Microsoft YaHei", "WenQuanYi Micro Hei", system-ui, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 60px; }
h1 { font-size: 24px; margin: 8px 0 4px; }
h2 { font-size: 19px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.meta { color: var(--muted); font-size: 13px; margin: 0 0 12px; }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 130px; }
.card b { display: block; font-size: 22px; } .card span { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; margin: 8px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: var(--bg); font-weight: 600; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; margin-right: 4px;
         border: 1px solid currentColor; white-space: nowrap; }
.error { color: var(--err); } .warning { color: var(--warn); } .pass { color: var(--ok); }
.new { color: #fff; background: var(--err); border-color: var(--err); }
.still_open { color: var(--muted); }
ol.findings { padding-left: 22px; } ol.findings li { margin: 0 0 14px; }
.where { color: var(--muted); font-size: 13px; }
.culprit { margin-top: 4px; }
figure.evidence { margin: 8px 0; } figure.evidence img { max-width: 100%; border: 1px solid var(--line); }
figure.evidence figcaption { color: var(--muted); font-size: 12px; }
table.quality th { width: 160px; }
blockquote { margin: 6px 0 0; padding: 4px 12px; border-left: 3px solid var(--line); color: #444; background: var(--bg); }
details { margin: 10px 0; } summary { cursor: pointer; font-weight: 600; }
.chart { margin: 14px 0 22px; } .chart figcaption { font-weight: 600; margin-bottom: 6px; }
svg text { font-size: 13px; fill: var(--ink); font-family: inherit; } svg text.val { fill: var(--muted); }
.charts { display: block; }
.empty { color: var(--muted); }
footer { color: var(--muted); font-size: 12px; margin-top: 40px; }
.glossary dt { font-weight: 600; margin-top: 6px; } .glossary dd { margin: 0 0 4px 16px; color: #444; font-size: 14px; }
"""


def _page(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{esc(title)}</title><style>{CSS}</style></head>"
            f"<body><main>{body}<footer>由预算公开检查流程生成 · 金额单位见各处标注</footer></main></body></html>\n")


def _severity_badge(severity: Any) -> str:
    cls = {"error": "error", "warning": "warning"}.get(str(severity), "still_open")
    return f'<span class="badge {cls}">{esc(SEVERITY_NAMES.get(str(severity), severity))}</span>'


def _role_badge(role: Any) -> str:
    if role is None:
        return ""
    cls = "error" if role in ("contradiction", "consequence") else "warning"
    return f'<span class="badge {cls}">{esc(ROLE_NAMES.get(str(role), role))}</span>'


def _change_badge(change: Any) -> str:
    if change == "new":
        return '<span class="badge new">新</span>'
    if change == "still_open":
        return '<span class="badge still_open">仍未解决</span>'
    return ""


def _checks_table(doc: "Document") -> str:
    rows = []
    for c in doc.relations:
        status = {"pass": '<span class="pass">成立</span>', "doubt": '<span class="warning">未判定</span>',
                  "unverified": '<span class="warning">无法核对</span>'}.get(
            str(c.get("status")), f'<span class="{esc(c.get("severity"))}">不成立</span>')
        rows.append(
            f"<tr><td>{status}</td><td>{_role_badge(c.get('finding_role'))}</td>"
            f"<td>{esc(CHECK_KIND_NAMES.get(str(c.get('check_kind')), c.get('check_kind')))}</td>"
            f"<td>{esc(finding_text(c, doc.figures.get(str(c.get('finding_id')), [])))}"
            f"<div class=\"where\">{esc(c.get('source_ref'))}</div></td></tr>")
    return ("<table><thead><tr><th>结果</th><th>发现</th><th>检查</th><th>内容</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


def _issues_table(issues: list[dict[str, Any]]) -> str:
    if not issues:
        return '<p class="empty">没有记录读取问题。</p>'
    rows = "".join(
        f"<tr><td>{_severity_badge(i.get('severity'))}</td><td>{esc(STAGE_NAMES.get(str(i.get('stage')), i.get('stage')))}</td>"
        f"<td>{esc(i.get('reason'))}<div class=\"where\">{esc(i.get('source_ref') or i.get('source_file'))}</div></td>"
        f"<td>{esc(i.get('source_file'))}</td></tr>" for i in issues)
    return ("<table><thead><tr><th>严重程度</th><th>阶段</th><th>问题</th><th>文件</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def _resolved_list(resolved: list[dict[str, Any]], docs: dict[str, Document] | None = None) -> str:
    items = []
    for r in resolved:
        doc = (docs or {}).get(r.get("document_id"))
        prefix = f'<a href="{esc(document_page_name(doc.document_id))}">{esc(doc.title)}</a>：' if doc else ""
        items.append(f"<li>{prefix}{esc(r.get('description'))} <span class=\"where\">{esc(r.get('source_ref'))}</span></li>")
    return "<ul>" + "".join(items) + "</ul>"


def _evidence_html(items: list[Evidence], named: bool) -> str:
    return "".join(
        f'<figure class="evidence"><img src="{esc(e.image)}" alt="{esc(e.source_file)} 第{e.page}页" loading="lazy">'
        f"<figcaption>{esc(evidence_caption(e.source_file, e.page, named))}</figcaption></figure>"
        for e in items)


def _review_badge(check: dict[str, Any]) -> str:
    if check.get("review_status") == "stale":
        return '<span class="badge warning">复核已失效</span>'
    if check.get("review_verdict") == "confirmed":
        return '<span class="badge error">已确认</span>'
    if check.get("review_verdict") == "not_an_error":
        return '<span class="badge pass">复核：不是错误</span>'
    return ""


def _finding_item(doc: Document, check: dict[str, Any], evidence: dict[str, list[Evidence]] | None = None) -> str:
    """One finding: where, what in plain words, the figure that is off, why the reading is trusted, and the
    other relations the same figure breaks."""
    kind = CHECK_KIND_NAMES.get(str(check.get("check_kind")), check.get("check_kind"))
    parts = [f"<li>{_role_badge(check.get('finding_role'))}{_change_badge(check.get('change'))}"
             f"{_review_badge(check)}"
             f"<span class=\"where\">{esc(kind)} · {esc(check.get('source_ref'))}</span><br>",
             plain_finding(doc, check)]
    culprit = _culprit(doc, check)
    if culprit:
        parts.append(f'<div class="culprit">被认为有误的数字：<b>{esc(culprit)}</b></div>')
    if check.get("review_status"):
        parts.append(f'<div class="where">复核：{esc(check.get("reviewed_by"))} {esc(check.get("reviewed_at"))}'
                     f'{"：" + esc(check["review_note"]) if check.get("review_note") else ""}</div>')
    if check.get("confidence"):
        parts.append(f'<div class="where">{confidence_label(check)}：{esc(check["confidence"])}</div>')
    parts.append(_evidence_html((evidence or {}).get(str(check.get("finding_id")), []), culprit is not None))
    for role, label in (("consequence", "同一数字还使以下关系不成立（后果）"), ("doubted", "因此未判定的关系")):
        members = doc.members(check, role)
        if members:
            items = "".join(f"<li><span class=\"where\">{esc(m.get('source_ref'))}</span><br>"
                            f"{plain_finding(doc, m)}</li>" for m in members)
            parts.append(f"<details><summary>{label}（{len(members)}）</summary><ol>{items}</ol></details>")
    return "".join(parts) + "</li>"


def _quality_table(quality: dict[str, Any]) -> str:
    """How well the document was read (v_document_quality), so a poor reading is seen before its findings."""
    if not quality:
        return '<p class="empty">没有读取质量数据。</p>'
    share = quality.get("tie_out_share")
    reading = str(quality.get("reading"))
    rows = [
        ("读取评价", f'<span class="{ {"good": "pass", "poor": "error"}.get(reading, "warning") }">'
                     f"{esc(READING_NAMES.get(reading, reading))}</span>"),
        ("读到的表格", f"{esc(quality.get('tables_found'))} / 目录列出 {esc(quality.get('tables_expected'))}"),
        ("未读到的表格", esc(quality.get("tables_missing")) or "—"),
        ("读取行数", esc(quality.get("rows_read"))),
        ("表内加总成立", "—" if share is None else
         f"{esc(_percent(share))}%（共{esc(quality.get('tie_outs'))}个表内加总）"),
        ("未识别的列", esc(quality.get("unknown_columns")) or "—"),
        ("单位存疑的表格", esc(quality.get("unit_doubts"))),
        ("尾差（四舍五入范围内的差额）", esc(quality.get("rounding_residues", 0))),
    ]
    return "<table class=\"quality\"><tbody>" + "".join(
        f"<tr><th>{label}</th><td>{value}</td></tr>" for label, value in rows) + "</tbody></table>"


def _document_page(docs: dict[str, Document], doc: Document, has_previous: bool, charts: ChartData,
                   evidence: dict[str, list[Evidence]] | None = None) -> str:
    contradictions, doubts, warnings = doc.contradictions, doc.reading_doubts, doc.warnings
    body = ['<p class="meta"><a href="index.html">← 全部文档</a></p>',
            f"<h1>{esc(doc.department)}</h1>",
            f'<p class="meta">{esc(doc.year)}年 · {esc(doc.kind)} · {esc(doc.scope)} · 来源文件：{esc(doc.source_files)}'
            f" · 文档标识 {esc(doc.document_id)}</p>",
            '<div class="cards">'
            f'<div class="card"><b class="error">{len(contradictions)}</b><span>矛盾</span></div>'
            f'<div class="card"><b class="warning">{len(doubts)}</b><span>读数存疑</span></div>'
            f'<div class="card"><b class="warning">{len(warnings)}</b><span>警告</span></div>'
            f'<div class="card"><b>{len(doc.unverifiable)}</b><span>无法核对</span></div>'
            f'<div class="card"><b>{len(doc.role("rounding_residue"))}</b><span>尾差</span></div>'
            f'<div class="card"><b>{sum(1 for c in doc.relations if c.get("status") == "pass")}</b>'
            f'<span>成立的关系（共{len(doc.relations)}个）</span></div>'
            f'<div class="card"><b>{len(doc.issues)}</b><span>读取问题</span></div>'
            + (f'<div class="card"><b>{doc.new}</b><span>本次新发现</span></div>'
               f'<div class="card"><b class="pass">{len(doc.resolved)}</b><span>已解决</span></div>' if has_previous else "")
            + "</div>",
            "<h2>发现的问题</h2>"]
    if doc.unread:
        body.append(f'<p class="warning"><b>未能读全</b>：{esc(doc.unread)}。没有读到的表格无法核对，'
                    "没有发现矛盾不等于文件没有问题。</p>")
    elif not (contradictions or doubts or warnings or doc.unverifiable or doc.dismissed):
        body.append('<p class="pass">所有检查均通过：文件中的数字彼此一致。</p>')
    # (title, note, findings, folded when long)
    sections = (
        ("矛盾：文件自身的数字互相矛盾", "每一项都由文件自己的数字算出，差额超出印刷的四舍五入；同一个错数字只列一次。",
         contradictions, False),
        ("读数存疑：我们没有把握读对的表格或数字", "这些不是文件的错误：用到它们的关系不作判定，请对照原文。", doubts, False),
        ("警告：未通过的提示性检查", "", warnings, True),
        ("无法核对的说法：表格中没有可对照的数字", "", doc.unverifiable, True),
        ("已复核：不是错误", "分析人员复核后认为这些不是文件的错误（见复核文件）。", doc.dismissed, False),
    )
    for title, note, group, foldable in sections:
        if not group:
            continue
        items = "".join(_finding_item(doc, c, evidence) for c in group)
        note_html = f'<p class="meta">{note}</p>' if note else ""
        if foldable and len(group) > 10:
            body.append(f"<details><summary>{title}（{len(group)}）</summary><ol class=\"findings\">{items}</ol></details>")
        else:
            body.append(f"<h3>{title}（{len(group)}）</h3>{note_html}<ol class=\"findings\">{items}</ol>")
    if doc.resolved:
        body.append(f"<h3>已解决（上次未通过，本次通过）（{len(doc.resolved)}）</h3>{_resolved_list(doc.resolved)}")
    body.append(f"<h2>读取质量</h2>{_quality_table(doc.quality)}")
    body.append(f"<h2>读取问题</h2>{_issues_table(doc.issues)}")

    drawn = [
        bar_chart("一般公共预算支出：按功能分类（类）", charts.function_classes.get(doc.document_id, [])),
        bar_chart("一般公共预算基本支出：按经济分类（类）", charts.economic_classes.get(doc.document_id, [])),
        split_bar("一般公共预算支出：基本支出与项目支出", charts.basic_project.get(doc.document_id, [])),
        _year_over_year(charts, docs, doc),
    ]
    drawn = [c for c in drawn if c]
    body.append("<h2>预算构成</h2>" + ("".join(drawn) if drawn else '<p class="empty">没有可画图的表格数字。</p>'))
    body.append(f"<h2>全部检查</h2><details><summary>展开全部{len(doc.relations)}个检查过的关系</summary>"
                f"{_checks_table(doc)}</details>")
    return _page(doc.title, "".join(body))


def _index_page(docs: dict[str, Document], resolved: list[dict[str, Any]], orphans: list[dict[str, Any]],
                has_previous: bool) -> str:
    ranked = sorted(docs.values(), key=lambda d: (-len(d.contradictions), -d.ingest_errors, -len(d.reading_doubts),
                                                  -len(d.warnings), d.department, str(d.year)))
    issues = sum(len(d.issues) for d in ranked) + len(orphans)
    glossary = "".join(f"<dt>{esc(term)}</dt><dd>{esc(meaning)}</dd>" for term, meaning in GLOSSARY.items())
    body = ["<h1>预算公开文件检查报告</h1>",
            '<p class="meta">文档按矛盾数排序。每个矛盾都由文件自己的数字算出，并已排除我们能想到的读错的可能。</p>',
            f'<details class="glossary"><summary>用语说明</summary><dl>{glossary}</dl></details>',
            '<div class="cards">'
            f'<div class="card"><b>{len(ranked)}</b><span>文档</span></div>'
            f'<div class="card"><b class="error">{sum(len(d.contradictions) for d in ranked)}</b><span>矛盾</span></div>'
            f'<div class="card"><b class="warning">{sum(len(d.reading_doubts) for d in ranked)}</b><span>读数存疑</span></div>'
            f'<div class="card"><b class="warning">{sum(len(d.warnings) for d in ranked)}</b><span>警告</span></div>'
            f'<div class="card"><b class="warning">{sum(1 for d in ranked if d.unread)}</b><span>未能读全</span></div>'
            f'<div class="card"><b>{issues}</b><span>读取问题</span></div>'
            + (f'<div class="card"><b>{sum(d.new for d in ranked)}</b><span>本次新发现</span></div>'
               f'<div class="card"><b class="pass">{len(resolved)}</b><span>已解决</span></div>' if has_previous else "")
            + "</div>"]
    unread = [d for d in ranked if d.unread]
    if unread:
        body.append(f"<h2>未能读全的文档（{len(unread)}）</h2><p class=\"meta\">这些文档有表格没有读到，"
                    "其中的数字无法核对：没有发现矛盾不等于没有问题。</p><ul>" + "".join(
                        f'<li><a href="{esc(document_page_name(d.document_id))}">{esc(d.title)}</a>：{esc(d.unread)}</li>'
                        for d in unread) + "</ul>")
    rows = []
    for d in ranked:
        n_contra, n_doubt, n_warn = len(d.contradictions), len(d.reading_doubts), len(d.warnings)
        reading = str(d.quality.get("reading", ""))
        share = d.quality.get("tie_out_share")
        rows.append(
            f"<tr><td><a href=\"{esc(document_page_name(d.document_id))}\">{esc(d.department)}</a></td>"
            f"<td>{esc(d.year)}</td><td>{esc(d.kind)}</td><td>{esc(d.scope)}</td>"
            f"<td class=\"num {'error' if n_contra else ''}\">{n_contra}</td>"
            f"<td class=\"num {'warning' if n_doubt else ''}\">{n_doubt}</td>"
            f"<td class=\"num {'warning' if n_warn else ''}\">{n_warn}</td>"
            + (f"<td class=\"num\">{d.new}</td>" if has_previous else "")
            + f"<td class=\"num\">{len(d.issues)}</td>"
            f"<td>{esc(READING_NAMES.get(reading, reading))}</td>"
            f"<td class=\"num\">{'—' if share is None else esc(_percent(share)) + '%'}</td>"
            "</tr>")
    body.append("<h2>文档</h2><table><thead><tr><th>部门</th><th>年度</th><th>类型</th><th>范围</th><th>矛盾</th>"
                "<th>读数存疑</th><th>警告</th>" + ("<th>新发现</th>" if has_previous else "") +
                "<th>读取问题</th><th>读取评价</th><th>表内加总成立</th></tr></thead><tbody>" + "".join(rows)
                + "</tbody></table>")
    if not ranked:
        body.append('<p class="empty">仓库中没有文档。</p>')
    if orphans:
        body.append(f"<h2>未能归入文档的读取问题（{len(orphans)}）</h2>{_issues_table(orphans)}")
    if resolved:
        body.append(f"<h2>已解决（{len(resolved)}）</h2><p class=\"meta\">上次运行未通过、本次通过的检查。</p>"
                    + _resolved_list(resolved, docs))
    return _page("预算公开文件检查报告", "".join(body))


def write_report(con: duckdb.DuckDBPyConnection, out_dir: Path, previous: pd.DataFrame | None = None,
                 raw_dir: Path | None = None) -> Path:
    """Write ``out_dir/index.html`` and one ``doc-<document_id>.html`` per document; return index.html.

    ``raw_dir``: where the documents are, to show each contradiction's cells on a crop of its page
    (``out_dir/evidence/``); without it the findings are shown in words only.

    ``previous``: the previous run's check results (columns of v_check_result): each failing finding
    is marked 新 (new) or 仍未解决 (still open), and findings that failed then but pass now are listed
    as resolved. Without it nothing is marked.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    docs, resolved, orphans = _load(con, previous)
    has_previous = previous is not None
    charts = chart_data(con)
    evidence = render_evidence(con, raw_dir, out_dir, [str(c["finding_id"]) for d in docs.values()
                                                       for c in d.contradictions])
    for doc in docs.values():
        (out_dir / document_page_name(doc.document_id)).write_text(
            _document_page(docs, doc, has_previous, charts, evidence),
            encoding="utf-8")
    index = out_dir / "index.html"
    index.write_text(_index_page(docs, resolved, orphans, has_previous), encoding="utf-8")
    return index
