"""`budget findings` (what is open, in the terminal) and `budget review` (an analyst's verdict on one finding)."""
from __future__ import annotations

import argparse
from pathlib import Path

ROLES_OPEN = ("contradiction", "reading_doubt")


def add_review_parsers(sub, warehouse_default: str, reviews_default: str, raw_default: str) -> None:
    p = sub.add_parser("findings", help="列出待看的发现：矛盾和读数存疑")
    p.add_argument("--document", help="文档标识（或其开头）或部门名称的一部分")
    p.add_argument("--kind", help="检查类型（hierarchy、narrative_vs_table …，或其中文名称）")
    p.add_argument("--all", action="store_true", help="连同警告和已复核的发现")
    p.add_argument("--warehouse", default=warehouse_default)
    p.set_defaults(func=findings)

    p = sub.add_parser("review", help="record a verdict on a finding (kept in the reviews file)")
    p.add_argument("finding_id", help="the finding's id (budget findings lists them), or a unique start of it")
    p.add_argument("--verdict", required=True, choices=("confirmed", "not_an_error"))
    p.add_argument("--note", default="", help="why")
    p.add_argument("--reviewer", help="who (default: the login name)")
    p.add_argument("--warehouse", default=warehouse_default)
    p.add_argument("--reviews", default=reviews_default)
    p.add_argument("--raw", default=raw_default, help="the documents, for the report's page crops")
    p.set_defaults(func=review)


def open_findings(con, document: str | None = None, kind: str | None = None, everything: bool = False) -> list[dict]:
    """The findings an analyst has to look at, contradictions first; ``document`` as ``usage.documents_matching``
    takes it, ``kind`` as ``usage.check_kind``."""
    from .usage import check_kind, documents_matching

    roles = (*ROLES_OPEN, "warning") if everything else ROLES_OPEN
    where = [f"r.finding_role in ({', '.join('?' for _ in roles)})"]
    params: list = list(roles)
    if not everything:
        where.append("coalesce(r.review_verdict, '') <> 'not_an_error'")
    if document:
        ids = [d for d, _ in documents_matching(con, document)]
        where.append(f"r.document_id in ({', '.join('?' for _ in ids)})")
        params += ids
    if kind:
        where.append("r.check_kind = ?")
        params.append(check_kind(kind))
    cursor = con.execute(f"""
        select r.*, d.department, d.year, d.kind, d.scope
        from v_check_result as r join dim_document as d using (document_id)
        where {' and '.join(where)}
        order by r.finding_role <> 'contradiction', r.finding_role, d.department, d.year, r.check_kind, r.finding_id""",
        params)
    names = [c[0] for c in cursor.description]
    rows = [dict(zip(names, row)) for row in cursor.fetchall()]
    figures = finding_figures(con, [r["finding_id"] for r in rows])
    for r in rows:
        r["figures"] = figures.get(r["finding_id"], [])
    return rows


def finding_figures(con, finding_ids: list[str]) -> dict[str, list[dict]]:
    """finding id → its rows of v_finding_cell, in order."""
    if not finding_ids:
        return {}
    cursor = con.execute("select * from v_finding_cell where finding_id in (select unnest(?::varchar[])) "
                         "order by finding_id, figure_no", [finding_ids])
    names = [c[0] for c in cursor.description]
    out: dict[str, list[dict]] = {}
    for row in cursor.fetchall():
        figure = dict(zip(names, row))
        out.setdefault(figure["finding_id"], []).append(figure)
    return out


def finding_lines(r: dict) -> list[str]:
    """One finding as `budget findings` prints it, in the report's words."""
    from .wording import ROLE_NAMES, VERDICT_NAMES, confidence_label, figure_label, finding_text

    title = f"{r['department'] or '（部门未识别）'} {r['year'] or ''}年 {r['kind'] or ''}（{r['scope'] or ''}）"
    lines = [f"{ROLE_NAMES.get(r['finding_role'], r['finding_role'])} {r['finding_id']}  {title}  {r['source_ref'] or ''}",
             f"  {finding_text(r, r['figures'])}"]
    culprit = next((f for f in r["figures"] if f.get("is_culprit")), None)
    if culprit:
        lines.append(f"  被认为有误的数字：{figure_label(culprit)}（{culprit.get('source_ref') or ''}）")
    if r.get("confidence"):
        lines.append(f"  {confidence_label(r)}：{r['confidence']}")
    if r.get("review_status") == "stale":
        lines.append("  复核：已失效（复核后数字有变）")
    else:
        lines.append(f"  复核：{VERDICT_NAMES.get(r.get('review_verdict'), '未复核')}")
    return lines


def console():
    """The terminal's console: lines fit its width; piped, each line whole (no hard wrap)."""
    import sys

    from rich.console import Console

    return Console(highlight=False, soft_wrap=not sys.stdout.isatty())


def findings(args: argparse.Namespace) -> int:
    from .usage import open_warehouse

    con = open_warehouse(args.warehouse)
    try:
        rows = open_findings(con, args.document, args.kind, args.all)
        unread = unread_documents(con, args.document)
    finally:
        con.close()
    out = console()
    for r in rows:
        out.print("\n".join(finding_lines(r)), markup=False)
    out.print(f"共{len(rows)}项" + ("；记录复核结论：budget review 发现标识 --verdict confirmed|not_an_error --note \"说明\""
                                 if rows else ""), markup=False)
    for d in unread:
        out.print(f"未能读全 {d['department'] or '（部门未识别）'} {d['year']}年 {d['kind']}（{d['scope']}）"
                  f"（{d['document_id']}）：{d['unread']}", markup=False)
    return 0


def unread_documents(con, document: str | None = None) -> list[dict]:
    """The documents some of whose listed tables were not read (``unread_summary``): no finding about them means
    nothing, so they are named beside the findings."""
    from .report.html import unread_summary

    where, params = "", []
    if document:
        where, params = "where d.document_id like ? || '%' or d.department like '%' || ? || '%'", [document, document]
    cursor = con.execute(f"""
        select d.document_id, d.department, d.year, d.kind, d.scope, q.tables_expected, q.tables_found, q.tables_missing
        from v_document_quality as q join dim_document as d using (document_id) {where}
        order by d.department, d.year, d.document_id""", params)
    names = [c[0] for c in cursor.description]
    rows = [dict(zip(names, row)) for row in cursor.fetchall()]
    return [{**r, "unread": unread_summary(r)} for r in rows if unread_summary(r)]


def review(args: argparse.Namespace) -> int:
    from .report.publish import write_reports
    from .review import ReviewError, apply_reviews, record_review
    from .usage import UsageError, open_warehouse

    con = open_warehouse(args.warehouse)
    try:
        cursor = con.execute("select * from v_check_result where finding_id like ? || '%'", [args.finding_id])
        names = [c[0] for c in cursor.description]
        matches = [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        con.close()
    if len(matches) != 1:
        raise UsageError(f"发现 {args.finding_id!r}：{Path(args.warehouse)} 中"
                         f"{'没有这个发现' if not matches else f'有{len(matches)}个发现以它开头'}（budget findings 列出全部）")
    try:
        row = record_review(Path(args.reviews), matches[0], args.verdict, args.note, args.reviewer)
    except ReviewError as exc:
        raise UsageError(str(exc)) from None
    apply_reviews(Path(args.warehouse), Path(args.reviews))
    index = write_reports(Path(args.warehouse), raw_dir=Path(args.raw))
    console().print(f"{row['finding_id']}：{args.verdict}（{row['reviewer']}，{row['reviewed_at']}），已记入 {args.reviews}；"
                    f"报告：{index.resolve().as_uri()}", markup=False)
    return 0
