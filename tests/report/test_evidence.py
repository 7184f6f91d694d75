"""A contradiction shown on its page: the crop of the PDF with the wrong cell outlined, seen in a browser too."""
from __future__ import annotations

import duckdb
import pytest
from PIL import Image

from pipelines.report.evidence import CULPRIT_COLOR, OTHER_COLOR, SCALE
from pipelines.report.html import document_page_name
from pipelines.report.publish import write_reports
from pipelines.warehouse.build import WAREHOUSE_FILE
from tests.checks.test_integer_yuan import build_integer_yuan
from tests.report.test_report import CHROMIUM, screenshot


def _colored(image: Image.Image, color: tuple[int, int, int], tolerance: int = 12) -> int:
    """Pixels of (nearly) this colour: the outlines' colours are none of the page's (its red is #b42318)."""
    return sum(n for n, rgb in image.convert("RGB").getcolors(maxcolors=1 << 22)
               if all(abs(a - b) <= tolerance for a, b in zip(rgb, color)))


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """An integer-元 table printed to PDF with one misprinted cell (tests/checks/test_integer_yuan.py)."""
    raw, warehouse = build_integer_yuan(tmp_path_factory, slip=True)
    return write_reports(warehouse, data_docs=False, raw_dir=raw), warehouse


@pytest.fixture(scope="module")
def finding(report):
    _, warehouse = report
    with duckdb.connect(str(warehouse / WAREHOUSE_FILE), read_only=True) as con:
        (finding_id, document_id), = con.execute(
            "select finding_id, document_id from v_check_result where finding_role = 'contradiction'").fetchall()
        cells = con.execute("""select is_culprit, source_page, source_bbox from v_finding_cell
                               where finding_id = ? order by figure_no""", [finding_id]).fetchall()
    return finding_id, document_id, cells


def test_the_evidence_crop_outlines_the_wrong_cell_in_red(report, finding):
    index, _ = report
    finding_id, _, cells = finding
    (culprit,) = [c for c in cells if c[0]]
    assert culprit[1] == 2 and len(culprit[2]) == 4  # page 2 of the rendered PDF, a cell box
    image = Image.open(index.parent / "evidence" / f"{finding_id}-1.png")
    assert image.width == 595 * SCALE  # the full width of the A4 page: the row labels are in the crop
    assert _colored(image, CULPRIT_COLOR) > 200  # the outline of the wrong cell
    assert _colored(image, OTHER_COLOR) > 200  # the cells it is summed with


def test_the_document_page_shows_the_crop_beside_the_finding(report, finding):
    index, _ = report
    finding_id, document_id, _ = finding
    page = (index.parent / document_page_name(document_id)).read_text(encoding="utf-8")
    section = page.split("矛盾：文件自身的数字互相矛盾")[1].split("读取质量")[0]
    assert f'<img src="evidence/{finding_id}-1.png"' in section
    assert "integer_yuan.pdf 第2页：红框是被认为有误的数字" in section


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install -y chromium)")
def test_the_crop_is_seen_in_a_browser(report, finding, tmp_path):
    index, _ = report
    _, document_id, _ = finding
    png, console = screenshot((index.parent / document_page_name(document_id)).as_uri(), tmp_path, "evidence")
    assert not console, console
    assert _colored(Image.open(png), CULPRIT_COLOR) > 100  # the red outline, drawn in the page as a person sees it
