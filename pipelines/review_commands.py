"""`budget findings` (what is open, in the terminal) and `budget review` (an analyst's verdict on one finding)."""
from __future__ import annotations

import argparse
from pathlib import Path

ROLES_OPEN = ("contradiction", "reading_doubt")


def add_review_parsers(sub, warehouse_default: str, reviews_default: str, raw_default: str) -> None:
    p = sub.add_parser("findings", help="list the open findings: contradictions and reading doubts")
    p.add_argument("--document", help="a document id (or its start) or part of a department's name")
    p.add_argument("--kind", help="a check kind (hierarchy, narrative_vs_table, …)")
    p.add_argument("--all", action="store_true", help="warnings and reviewed findings too")
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


def _open(warehouse: str):
    from .warehouse.build import connect_read_only

    return connect_read_only(Path(warehouse))


def open_findings(con, document: str | None = None, kind: str | None = None, everything: bool = False) -> list[dict]:
    """The findings an analyst has to look at, contradictions first."""
    roles = (*ROLES_OPEN, "warning") if everything else ROLES_OPEN
    where = [f"r.finding_role in ({', '.join('?' for _ in roles)})"]
    params: list = list(roles)
    if not everything:
        where.append("coalesce(r.review_verdict, '') <> 'not_an_error'")
    if document:
        where.append("(r.document_id like ? || '%' or d.department like '%' || ? || '%')")
        params += [document, document]
    if kind:
        where.append("r.check_kind = ?")
        params.append(kind)
    cursor = con.execute(f"""
        select r.finding_id, d.department, d.year, d.kind, d.scope, r.finding_role, r.check_kind, r.description,
               r.expected, r.actual, r.culprit, r.source_ref, r.review_verdict, r.review_status
        from v_check_result as r join dim_document as d using (document_id)
        where {' and '.join(where)}
        order by r.finding_role <> 'contradiction', r.finding_role, d.department, d.year, r.check_kind, r.finding_id""",
        params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def findings(args: argparse.Namespace) -> int:
    from rich.console import Console

    con = _open(args.warehouse)
    try:
        rows = open_findings(con, args.document, args.kind, args.all)
        unread = unread_documents(con, args.document)
    finally:
        con.close()
    console = Console(highlight=False)
    for r in rows:
        review = r["review_verdict"] or ("stale: the figures changed since the review" if r["review_status"] == "stale"
                                         else "not reviewed")
        console.print(f"[bold]{r['finding_role']}[/bold] {r['finding_id']}  {r['department']} {r['year']} {r['kind']} "
                      f"{r['scope']}  ({r['source_ref'] or ''})")
        lines = [str(r["description"]), f"expected {_num(r['expected'])}, printed {_num(r['actual'])}"]
        if r["culprit"]:
            lines.append(f"the figure that is off: {r['culprit']}")
        lines.append(f"review: {review}")
        console.print("\n".join(f"  {line}" for line in lines), markup=False)
    console.print(f"{len(rows)} finding(s)" + ("; record a verdict with: budget review ID --verdict "
                                                 "confirmed|not_an_error --note \"…\"" if rows else ""), markup=False)
    for d in unread:
        console.print(f"未能读全 {d['department'] or '（部门未识别）'} {d['year']} {d['kind']} {d['scope']}（{d['document_id']}）："
                      f"{d['unread']}", markup=False)
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
    from rich.console import Console

    from .report.publish import write_reports
    from .review import ReviewError, apply_reviews, record_review

    console = Console(stderr=True)
    con = _open(args.warehouse)
    try:
        cursor = con.execute("select * from v_check_result where finding_id like ? || '%'", [args.finding_id])
        names = [c[0] for c in cursor.description]
        matches = [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        con.close()
    if len(matches) != 1:
        console.print(f"[red]finding {args.finding_id!r}: "
                      f"{'no such finding' if not matches else f'{len(matches)} findings start so'} in "
                      f"{Path(args.warehouse)}[/red] (budget findings lists them)")
        return 2
    try:
        row = record_review(Path(args.reviews), matches[0], args.verdict, args.note, args.reviewer)
    except ReviewError as exc:
        console.print(f"[red]{exc}[/red]")
        return 2
    apply_reviews(Path(args.warehouse), Path(args.reviews))
    index = write_reports(Path(args.warehouse), raw_dir=Path(args.raw))
    console.print(f"{row['finding_id']}: {row['verdict']} by {row['reviewer']} at {row['reviewed_at']}, "
                  f"in {args.reviews}; report: {index.resolve().as_uri()}")
    return 0


def _num(value) -> str:
    from .report.html import format_amount

    return format_amount(value)
