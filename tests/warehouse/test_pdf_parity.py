"""The seed rendered to PDF gives the same warehouse rows as the seed text.

The seed text extract is read (text_reader), rendered to PDF by both producers (reportlab in
several layouts; LibreOffice from a spreadsheet) and each PDF run through the whole pipeline in
a warehouse of its own. v_budget_line and v_narrative_claim must equal the seed-text warehouse's
row by row, every column but where the figure was read (source_ref file:line vs file:page, and the PDF's
page and cell box), rows in canonical order.

The rendered document holds every table twice: ``read_text`` keeps *all* lines of the extract
as text lines (the tables' text too), so the narrative pages print each table once more as
plain lines ("206 科学技术支出 14,395,329.71 4,301,329.71 …", words separated by typed
spaces), before the real tables. Those copies must stay running text (as they are in the text
extract), not become extra tables: before the reader checked for typed spaces, the unruled
fallback took them for tables (an extra expenditure_summary of 9 rows, general_budget_expenditure
of 20 rows, general_budget_basic_expenditure of 13 rows, pages 26/29/30).

No difference is inherent here: the renderer draws the text reader's RawTable, whose empty
cells are already None (附表4-2 row 307: 15 figures printed in the extract, 17 cells with the two
empty ones in the table), so the PDF carries exactly the cells the text reader found.
"""
from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from pipelines.fixtures.pdf_render import (
    ProducerUnavailable,
    RenderVariant,
    find_soffice,
    render_pdf,
    render_pdf_via_spreadsheet,
)
from pipelines.read.text_reader import read_text_extract
from tests.conftest import SEED, run_pipeline

VIEWS = ("v_budget_line", "v_narrative_claim")

REPORTLAB_VARIANTS = {
    "reportlab-default": RenderVariant(),
    "reportlab-unruled": RenderVariant(ruled=False),
    "reportlab-8-rows-per-page": RenderVariant(rows_per_page=8, repeat_header=True),
    "reportlab-landscape": RenderVariant(landscape=True),
}
PRODUCERS = [*REPORTLAB_VARIANTS, "libreoffice"]


def _rows(warehouse: Path, view: str) -> tuple[list[str], list[tuple]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cols = [c for (c, *_) in con.execute(f"describe {view}").fetchall()
                if c not in ("source_ref", "source_page", "source_bbox")]
        rows = con.execute(f"select {', '.join(cols)} from {view}").fetchall()
    finally:
        con.close()
    return cols, sorted(rows, key=lambda r: tuple("" if v is None else str(v) for v in r))


@pytest.fixture(scope="module")
def seed_doc():
    return read_text_extract(SEED)


@pytest.fixture(scope="module")
def text_warehouse(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("parity_text_raw")
    shutil.copy(SEED, raw / SEED.name)
    return run_pipeline(raw, tmp_path_factory.mktemp("parity_text_wh"))


@pytest.fixture(scope="module", params=PRODUCERS)
def pdf_warehouse(request, seed_doc, tmp_path_factory) -> tuple[str, Path]:
    producer = request.param
    raw = tmp_path_factory.mktemp(f"parity_{producer}_raw")
    pdf = raw / f"{SEED.stem}.pdf"
    if producer == "libreoffice":
        try:
            find_soffice()
        except ProducerUnavailable as exc:
            pytest.skip(f"ProducerUnavailable: {exc}")
        render_pdf_via_spreadsheet(seed_doc, pdf)
    else:
        render_pdf(seed_doc, pdf, variant=REPORTLAB_VARIANTS[producer])
    return producer, run_pipeline(raw, tmp_path_factory.mktemp(f"parity_{producer}_wh"))


def _diff(cols: list[str], expected: list[tuple], got: list[tuple]) -> str:
    missing = sorted((Counter(expected) - Counter(got)).elements(), key=str)
    extra = sorted((Counter(got) - Counter(expected)).elements(), key=str)
    show = [f"- {dict(zip(cols, r))}" for r in missing[:5]] + [f"+ {dict(zip(cols, r))}" for r in extra[:5]]
    return f"{len(missing)} rows only from text, {len(extra)} only from PDF:\n" + "\n".join(show)


@pytest.mark.parametrize("view", VIEWS)
def test_pdf_rows_equal_text_rows(text_warehouse, pdf_warehouse, view):
    producer, warehouse = pdf_warehouse
    cols, expected = _rows(text_warehouse, view)
    _, got = _rows(warehouse, view)
    assert expected, f"{view} is empty for the seed text"
    assert got == expected, f"{producer} {view}: " + _diff(cols, expected, got)


def test_table_copies_in_the_narrative_stay_text(pdf_warehouse):
    """One table per kind: the narrative pages' plain-text copies of 4-3/4-5/4-6 are no tables."""
    producer, warehouse = pdf_warehouse
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        per_kind = con.execute("""select table_kind, count(distinct table_id) from fact_table_cell
                                  group by 1 having count(distinct table_id) > 1""").fetchall()
    finally:
        con.close()
    assert per_kind == [], producer
