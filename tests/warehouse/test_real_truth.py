"""Real PDFs against the truth typed by hand from their pages (tests/real_truth/*.json).

Each JSON file holds one disclosure as a person read it off the rendered pages, never from the
reader's output: its identity, the standard tables it prints (kind, page, unit), the totals of its
收支总表, and rows of its 一般公共预算支出表, 基本支出表 or 支出总表 with every column. Its files lie in
the development corpus (../shared/real-docs, the default) or, with ``"corpus": "breadth"``, in the
breadth corpus of cities the reader was not built on (../shared/breadth). The tests compare them with
what the warehouse holds in dim_document, fact_table_cell and v_budget_line, exactly: one warehouse
per session from the whole of real-docs, one from the breadth files the truths name.
"""
from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REAL_DOCS, run_pipeline

TRUTH_DIR = Path(__file__).resolve().parents[1] / "real_truth"
TRUTHS = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(TRUTH_DIR.glob("*.json"))}
BREADTH = REAL_DOCS.parent / "breadth"
CORPORA = {"real-docs": REAL_DOCS, "breadth": BREADTH}


@pytest.fixture(scope="session")
def breadth_warehouse(tmp_path_factory) -> Path:
    """A warehouse of the breadth files the truths name, read from a scratch copy (the pipeline reads no
    symlink leaving its raw folder), once per session."""
    files = sorted({f for t in TRUTHS.values() if t.get("corpus") == "breadth" for f in t["files"]})
    raw = tmp_path_factory.mktemp("breadth_raw")
    for rel in files:
        (raw / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(BREADTH / rel, raw / rel)
    return run_pipeline(raw, tmp_path_factory.mktemp("breadth_warehouse"), workers=2)


@pytest.fixture()
def truth_db(request, slug):
    """The warehouse holding the truth's corpus, or a skip saying which corpus is absent."""
    corpus = TRUTHS[slug].get("corpus", "real-docs")
    if not CORPORA[corpus].is_dir():
        pytest.skip(f"{corpus} documents not available at {CORPORA[corpus]}")
    if corpus == "real-docs":
        yield request.getfixturevalue("real_db")
        return
    con = duckdb.connect(str(request.getfixturevalue("breadth_warehouse")), read_only=True)
    yield con
    con.close()

# What a truth column's concept is called in the warehouse (expense_type).
CONCEPTS = {"total": "total", "basic": "basic", "personnel": "personnel", "public": "public",
            "project": "project", "final": "total", "budget": "budget"}
FUNCTION_KINDS = {"general_budget_expenditure", "fiscal_appropriation_expenditure", "expenditure_summary",
                  "government_fund_expenditure", "state_capital_expenditure"}
_DECORATION = re.compile(r"[（(](?:本级|部门|单位|汇总|部门汇总)[)）]$")
_SPACE = re.compile(r"[\s\u3000]+")


def _compact(text: str | None) -> str:
    """Without white space, brackets in one width: a name printed "维修(护)费" is the reader's 维修（护）费."""
    return _SPACE.sub("", text or "").replace("(", "（").replace(")", "）")


def _yuan(printed: str, unit: str) -> Decimal:
    value = Decimal(printed.replace(",", ""))
    return value * 10000 if unit == "万元" else value


def _document(db, truth: dict) -> str:
    ids = {row[0] for f in truth["files"] for row in db.execute(
        "select document_id from dim_document where list_contains(string_split(source_files, '; '), ?)", [f]).fetchall()}
    assert len(ids) == 1, f"{truth['files']}: expected one document, found {ids or 'none'}"
    return ids.pop()


@pytest.mark.parametrize("slug", sorted(TRUTHS))
def test_identity(truth_db, slug):
    truth = TRUTHS[slug]
    expected = truth["identity"]
    doc = _document(truth_db, truth)
    department, year, kind, scope = truth_db.execute(
        "select department, year, kind, scope from dim_document where document_id = ?", [doc]).fetchone()
    assert (department, year, kind, scope) == (
        _DECORATION.sub("", _compact(expected["department"])), expected["year"], expected["kind"], expected["scope"])


@pytest.mark.parametrize("slug", sorted(TRUTHS))
def test_every_printed_table_is_found(truth_db, slug):
    truth = TRUTHS[slug]
    doc = _document(truth_db, truth)
    found = truth_db.execute("""
        select t.table_kind, t.table_ref, t.unit, coalesce(max(abs(f.amount)), 0)
        from dim_table as t left join fact_budget_line as f using (document_id, table_id)
        where t.document_id = ? group by all""", [doc]).fetchall()
    by_place = {(kind, ref.rsplit(":p", 1)[-1]): (unit, largest) for kind, ref, unit, largest in found}
    missing, wrong = [], []
    for table in truth["tables"]:
        # a title printed at the foot of a page heads the table whose grid starts on the next one
        place = next(((table["kind"], str(p)) for p in (table["page"], table["page"] + 1)
                      if (table["kind"], str(p)) in by_place), (table["kind"], str(table["page"])))
        if place not in by_place:
            missing.append(f"{table['kind']} p{table['page']} ({table['title']})")
            continue
        unit, largest = by_place[place]
        if table.get("unit") and unit != table["unit"]:
            wrong.append(f"{table['kind']}: unit {unit}, printed {table['unit']}")
        # "empty": the table prints no figure other than 0.00 (本表无数据, 本表本年无发生额)
        if table.get("empty") and largest:
            wrong.append(f"{table['kind']}: printed empty, figures up to {largest} read")
        if not table.get("empty") and not largest:
            wrong.append(f"{table['kind']}: printed with figures, none read")
    assert not missing and not wrong, "\n".join([f"missing: {m}" for m in missing] + wrong)


def _summary_rows(truth: dict) -> list[tuple[str, str, str, str]]:
    section = truth.get("income_expenditure_summary")
    if not section:
        return []
    return [(row["side"], row["label"], row["value"], section["unit"]) for row in section["rows"] if row["value"]]


@pytest.mark.parametrize("slug", sorted(s for s in TRUTHS if _summary_rows(TRUTHS[s])))
def test_income_expenditure_summary_totals(truth_db, slug):
    truth = TRUTHS[slug]
    doc = _document(truth_db, truth)
    lines = truth_db.execute("""
        select side, row_label, amount from v_budget_line
        where document_id = ? and table_kind = 'income_expenditure_summary' and expense_type = 'total'""",
                            [doc]).fetchall()
    read = {(side, _compact(label)): amount for side, label, amount in lines}
    wrong = []
    for side, label, value, unit in _summary_rows(truth):
        got = read.get((side, _compact(label)))
        if got != _yuan(value, unit):
            wrong.append(f"{side} {label}: printed {value} {unit}, read {got}")
    assert not wrong, "\n".join(wrong)


def _row_sections(truth: dict) -> list[tuple[str, dict]]:
    return [(key, truth[key]) for key in ("general_budget_expenditure", "general_budget_basic_expenditure",
                                          "expenditure_summary") if truth.get(key)]


@pytest.mark.parametrize("slug,section", [(s, key) for s in sorted(TRUTHS) for key, _ in _row_sections(TRUTHS[s])])
def test_table_rows_exactly(truth_db, slug, section):
    """Each typed row, every column: the code, the name as printed, and each figure in its column.

    Rows are matched in print order: a code printed again (a table printed once per unit) is the
    next row with that code; a typed row with a "unit" is looked for in that unit's block.
    """
    truth = TRUTHS[slug]
    table = truth[section]
    kind = table.get("kind", section)
    doc = _document(truth_db, truth)
    code_column = "subject_code" if kind in FUNCTION_KINDS else "economic_class_code"
    name_column = "subject_name" if kind in FUNCTION_KINDS else "economic_class_name"
    lines = truth_db.execute(f"""
        select row_no, {code_column}, {name_column}, row_role, unit_name, column_name, expense_type, amount
        from v_budget_line where document_id = ? and table_kind = ? order by row_no""", [doc, kind]).fetchall()
    assert lines, f"no {kind} read"
    rows: dict[int, dict] = {}
    for row_no, code, name, role, unit, column, expense, amount in lines:
        row = rows.setdefault(row_no, {"code": code, "name": _compact(name), "role": role,
                                       "unit": _compact(unit), "lines": []})
        row["lines"].append((column, expense, amount))
    used: set[int] = set()
    wrong = []
    for typed in table["rows"]:
        name, code, unit = _compact(typed["name"]), typed.get("code"), _compact(typed.get("unit"))
        if code:
            found = [n for n, r in rows.items() if r["code"] == code and (not unit or r["unit"] == unit)]
        elif name in ("合计", "总计"):
            found = [n for n, r in rows.items() if r["role"] == "total"]
        else:  # a row named by a unit (深圳) or by a label without code
            found = [n for n, r in rows.items() if r["code"] is None and name in (r["name"], r["unit"])]
        found = [n for n in found if n not in used]
        where = f"{code or ''} {typed['name']}"
        if not any(typed["values"].values()):
            continue  # a row printed without any figure gives no budget line (its cells are in fact_table_cell)
        if not found:
            wrong.append(f"{where}: row not read")
            continue
        row = rows[found[0]]
        used.add(found[0])
        if code and row["name"] != name:
            wrong.append(f"{where}: name read as {row['name']}")
        for column in table["columns"]:
            printed = typed["values"].get(column["label"])
            expense = CONCEPTS.get(column["concept"])
            if expense is None:  # other:… columns: by their printed label
                leaf = _compact(column["label"]).rsplit("/", 1)[-1]
                got = [a for c, _, a in row["lines"] if _compact(c).endswith(leaf)]
            else:
                got = [a for _, e, a in row["lines"] if e == expense]
            want = [_yuan(printed, table["unit"])] if printed else []
            if sorted(got) != want:
                wrong.append(f"{where} [{column['label']}]: printed {printed}, read {got}")
    assert not wrong, "\n".join(wrong)
