"""`budget export`: the analysts' Excel workbook of a document (pipelines/export/xlsx.py)."""
from __future__ import annotations

import argparse
from pathlib import Path


def export(args: argparse.Namespace) -> int:
    """Write the workbook of one document, or of every document with --all; 2 on a bad request."""
    from ..usage import UsageError, one_document, open_warehouse
    from .xlsx import write_all, write_document

    if bool(args.document_id) == bool(args.all):
        raise UsageError("请给出一个文档（文档标识或部门名称），或用 --all 导出全部")
    out = Path(args.xlsx)
    con = open_warehouse(args.warehouse)
    try:
        evidence = Path(args.warehouse) / "reports" / "evidence"  # the report's crops, named in the findings sheet
        paths = (write_all(con, out, evidence) if args.all
                 else [write_document(con, one_document(con, args.document_id), out, evidence)])
    except NotADirectoryError as exc:
        raise UsageError(str(exc)) from None
    finally:
        con.close()
    for path in paths:
        print(path)
    return 0


def add_parser(sub, warehouse_default: str) -> argparse.ArgumentParser:
    """Register `budget export DOCUMENT_ID|--all --xlsx OUT [--warehouse DIR]`."""
    p = sub.add_parser(
        "export", help="write a document's tables, findings and reading quality as an Excel workbook",
        description="One .xlsx workbook per document: a sheet per table as printed (figures as numbers in "
                    "the table's unit), the findings (all but passes, contradictions first) and the reading "
                    "quality. The warehouse is opened read-only.")
    p.add_argument("document_id", nargs="?", metavar="DOCUMENT",
                   help="文档标识（或其开头）或部门名称的一部分，同 budget findings --document")
    p.add_argument("--all", action="store_true", help="export every document; OUT is then a folder")
    p.add_argument("--xlsx", required=True, metavar="OUT",
                   help="the workbook to write (a folder when it is an existing directory, or with --all: "
                        "workbooks are named department_year_kind_scope_documentid.xlsx)")
    p.add_argument("--warehouse", default=warehouse_default)
    p.set_defaults(func=export)
    return p
