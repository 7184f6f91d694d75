"""The precision audit: every contradiction reported on documents nobody tuned against, and how well they were read.

    python benchmarks/audit.py [--corpus NAME=DIR ...] [--out DIR] [--reviews FILE] [--workers N] [--no-run]
                               [--json OUT]

For each corpus (default: ``breadth`` = ../shared/breadth, 156 real PDFs of nine cities as a scraper saved them,
and ``real`` = ../shared/real-docs, the developer documents), ``budget run`` builds a warehouse of its own under
``--out`` (``benchmarks/out/audit/<name>``, kept between audits: unchanged files are not read again) with the
reviews file loaded, then the audit prints:

- reading coverage: files that became documents, were refused (by reason) or skipped; documents good / check /
  poor (``v_document_quality``); tables found against each document's own list; figures read; ingest errors by
  class;
- every contradiction: its id, document, what it says, its evidence crops (the report's ``evidence/*.png``) and
  its review;
- the tally: contradictions, confirmed, not an error, unreviewed, the precision (confirmed of those reviewed), and
  the misreading classes the reviews name (a note ``[class] …``).

A contradiction is reviewed by hand against its page: ``budget review ID --verdict confirmed|not_an_error --note
"[class] what the page prints" --warehouse benchmarks/out/audit/<name> --reviews benchmarks/audit/reviews.csv``.
The audit exits 1 when a contradiction is unreviewed (or its review went stale: its figures changed since), or
when one reviewed as not an error is reported again: a misreading is fixed in the reader or the adjudication,
never left standing.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = REPO.parent / "shared"
DEFAULT_CORPORA = {"breadth": SHARED / "breadth", "real": SHARED / "real-docs"}
DEFAULT_OUT = HERE / "out" / "audit"  # benchmarks/out/ is git-ignored
DEFAULT_REVIEWS = HERE / "audit" / "reviews.csv"
BUDGET = Path(sys.executable).with_name("budget")

# Ingest problems by class: the first pattern a reason matches names its class. Reasons are Chinese (the readers'
# templates: pipelines/read, discover, normalize; v_ingest_issue.sql); the English words match a warehouse built before.
ISSUE_CLASSES = [
    ("not a figure", r"读不出数字“[^”]*”$|not a figure"),
    ("no text layer (scanned)", r"第1页没有文字层|no text layer|image-only"),
    ("not a budget disclosure", r"不是预算公开文件：|not a budget disclosure"),
    ("unreadable font", r"字形编码|cid:|unreadable font|no Unicode"),
    ("corrupt or encrypted", r"文件已损坏|已加密|corrupt|truncated|encrypted"),
    ("not a document (skipped)", r"已跳过|skipped"),
    ("a web page saved as .pdf", r"另存为\.pdf的网页|web page saved as"),
    ("performance targets only (merged)", r"只有绩效目标表|performance-target forms only"),
    ("identity not found", r"文件里没有找到|not found in the document"),
    ("superseded or duplicate", r"修订版|内容完全相同|superseded|duplicate"),
    ("unit assumed", r"未见单位行|no 单位 line|assumed 元"),
    ("tables not found", r"没有找到这些标准表格|tables? not found|standard tables"),
    ("row not placed", r"印出的数字少于栏数|按标准表样|placed|columns were taken"),
    ("unknown column", r"不认识“[^”]*”这一栏|column label|unknown column"),
]


def issue_class(reason: str) -> str:
    return next((name for name, pattern in ISSUE_CLASSES if re.search(pattern, reason or "")), "other")


def run_corpus(docs: Path, warehouse: Path, reviews: Path, workers: int) -> None:
    warehouse.mkdir(parents=True, exist_ok=True)
    command = [str(BUDGET), "run", "--raw", str(docs), "--warehouse", str(warehouse), "--reviews", str(reviews),
               "--workers", str(workers)]
    print(f"$ {' '.join(command)}", flush=True)
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"budget run failed on {docs} (exit {done.returncode})")


def query(con, sql: str, params=()) -> list[dict]:
    cursor = con.execute(sql, list(params))
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def coverage(con) -> dict:
    """How much of the corpus was read, and how well."""
    files = query(con, "select status, count(*) as n from stg_files group by 1 order by 1")
    refused = query(con, """
        select source_file, reason from v_ingest_issue
        where document_id is null and severity = 'error' order by source_file""")
    skipped = query(con, """
        select source_file, reason from v_ingest_issue
        where severity = 'info' and document_id is null
          and source_file not in (select source_file from stg_files) order by source_file""")
    quality = query(con, "select reading, count(*) as n from v_document_quality group by 1 order by 1")
    tables = query(con, """
        select sum(tables_expected) as listed, sum(tables_found) as found,
               sum(len(string_split(nullif(tables_missing, ''), '、'))) as missing,
               count(*) filter (where tables_found = 0) as documents_without_tables
        from v_document_quality""")[0]
    figures = query(con, """
        select (select count(*) from fact_budget_line) as table_figures,
               (select count(*) from fact_narrative_figure) as narrative_figures""")[0]
    issues = Counter()
    for row in query(con, "select severity, reason from v_ingest_issue"):
        issues[(row["severity"], issue_class(row["reason"]))] += 1
    return {
        "files": {r["status"]: r["n"] for r in files},
        "refused": [{"file": r["source_file"], "class": issue_class(r["reason"]), "reason": r["reason"]} for r in refused],
        "skipped": [r["source_file"] for r in skipped],
        "documents": {r["reading"]: r["n"] for r in quality},
        "tables": tables,
        "figures": figures,
        "issues": [{"severity": s, "class": c, "count": n} for (s, c), n in sorted(issues.items())],
    }


def contradictions(con, reports: Path) -> list[dict]:
    rows = query(con, """
        select r.finding_id, d.department, d.year, d.kind, d.scope, r.check_kind, r.description, r.expected,
               r.actual, r.difference, r.culprit, r.confidence, r.source_ref, r.review_verdict, r.review_note,
               r.review_status
        from v_check_result as r join dim_document as d using (document_id)
        where r.finding_role = 'contradiction'
        order by d.department, d.year, r.check_kind, r.finding_id""")
    for row in rows:
        row["evidence"] = sorted(str(p) for p in (reports / "evidence").glob(f"{row['finding_id']}-*.png"))
        for key in ("expected", "actual", "difference"):
            row[key] = None if row[key] is None else str(row[key])
    return rows


def verdict(row: dict) -> str:
    if not row["review_verdict"] or row["review_status"] == "stale":
        return "unreviewed"
    return row["review_verdict"]


def note_class(note: str | None) -> str:
    m = re.match(r"\s*\[([^\]]+)\]", note or "")
    return m.group(1).strip() if m else "unclassed"


def reviewed_classes(reviews: Path) -> Counter:
    """Misreading classes of every finding ever reviewed as not an error (the reviews file's notes)."""
    sys.path.insert(0, str(REPO))
    from pipelines.review import read_reviews

    return Counter(note_class(r["note"]) for r in read_reviews(reviews) if r["verdict"] == "not_an_error")


def print_coverage(name: str, docs: Path, c: dict) -> None:
    files = c["files"]
    print(f"\n== {name}: {docs}")
    print(f"files: {sum(files.values()) + len(c['refused']) + len(c['skipped'])} — "
          + ", ".join(f"{n} {s}" for s, n in sorted(files.items()))
          + f", {len(c['refused'])} refused, {len(c['skipped'])} skipped (no document format)")
    for reason, n in Counter(r["class"] for r in c["refused"]).most_common():
        print(f"  refused, {reason}: {n}")
        for r in c["refused"]:
            if r["class"] == reason:
                print(f"    {r['file']}")
    docs_total = sum(c["documents"].values())
    good = c["documents"].get("good", 0)
    print(f"documents: {docs_total} — " + ", ".join(f"{n} {k}" for k, n in sorted(c["documents"].items()))
          + (f" ({100 * good / docs_total:.0f} % good)" if docs_total else ""))
    t = c["tables"]
    print(f"tables: {t['found'] or 0} found; the documents' own lists name {t['listed'] or 0}, of which "
          f"{t['missing'] or 0} not found; {t['documents_without_tables'] or 0} documents with no table read")
    print(f"figures read: {c['figures']['table_figures']:,} in tables, {c['figures']['narrative_figures']:,} in the text")
    print("ingest problems by class: " + (", ".join(f"{i['class']} ({i['severity']}) {i['count']}" for i in c["issues"])
                                        or "none"))


def print_contradictions(name: str, rows: list[dict]) -> None:
    print(f"\n-- contradictions on {name}: {len(rows)}")
    for r in rows:
        print(f"[{verdict(r)}] {r['finding_id']}  {r['department']} {r['year']} {r['kind']} {r['scope']}  {r['check_kind']}")
        print(f"    {r['description']}")
        print(f"    expected {r['expected']}, printed {r['actual']}  ({r['source_ref']})")
        if r["review_note"]:
            print(f"    review: {r['review_note']}")
        for image in r["evidence"]:
            print(f"    evidence: {image}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", action="append", default=[], metavar="NAME=DIR",
                    help="a corpus to audit (repeatable; default breadth and real)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the corpora's warehouses are kept")
    ap.add_argument("--reviews", type=Path, default=DEFAULT_REVIEWS)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-run", action="store_true", help="audit the warehouses as they are")
    ap.add_argument("--json", type=Path, help="write every figure and contradiction as JSON")
    args = ap.parse_args(argv)
    corpora = dict(c.split("=", 1) for c in args.corpus) if args.corpus else DEFAULT_CORPORA
    corpora = {name: Path(d) for name, d in corpora.items()}
    missing = [f"{name} ({d})" for name, d in corpora.items() if not d.is_dir()]
    if missing:
        raise SystemExit(f"corpus not found: {', '.join(missing)}")

    sys.path.insert(0, str(REPO))
    from pipelines.warehouse.build import connect_read_only

    report: dict = {"corpora": {}}
    everything: list[dict] = []
    for name, docs in corpora.items():
        warehouse = args.out / name
        if not args.no_run:
            run_corpus(docs, warehouse, args.reviews, args.workers)
        con = connect_read_only(warehouse)
        try:
            cov, rows = coverage(con), contradictions(con, warehouse / "reports")
        finally:
            con.close()
        print_coverage(name, docs, cov)
        print_contradictions(name, rows)
        report["corpora"][name] = {"docs": str(docs), "coverage": cov, "contradictions": rows}
        everything += [{**r, "corpus": name} for r in rows]

    tally = Counter(verdict(r) for r in everything)
    reviewed = tally["confirmed"] + tally["not_an_error"]
    precision = tally["confirmed"] / reviewed if reviewed else None
    classes = reviewed_classes(args.reviews)
    print("\n== tally")
    for name in corpora:
        part = Counter(verdict(r) for r in report["corpora"][name]["contradictions"])
        print(f"{name}: {sum(part.values())} contradictions, {part['confirmed']} confirmed, "
              f"{part['not_an_error']} not an error, {part['unreviewed']} unreviewed")
    print(f"all: {len(everything)} contradictions, {tally['confirmed']} confirmed, {tally['not_an_error']} not an error, "
          f"{tally['unreviewed']} unreviewed; precision "
          + (f"{100 * precision:.1f} % ({tally['confirmed']} of {reviewed})" if precision is not None else "n/a"))
    print("misreading classes in the reviews (not an error): "
          + (", ".join(f"{c} {n}" for c, n in classes.most_common()) or "none"))
    report["tally"] = {**tally, "precision": precision, "misreading_classes": dict(classes)}
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    failed = []
    if tally["unreviewed"]:
        failed.append(f"{tally['unreviewed']} contradiction(s) unreviewed")
    if tally["not_an_error"]:
        failed.append(f"{tally['not_an_error']} contradiction(s) reviewed as not an error are reported again")
    if failed:
        print("audit fails: " + "; ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
