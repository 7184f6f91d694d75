"""Bad documents never stop the others, never leave half-loaded rows, and each says why."""
import os
import re
import shutil
import time
from decimal import Decimal

import duckdb
import pytest
from reportlab.pdfgen import canvas

from tests.conftest import SEED, run_pipeline

SEED_TEXT = SEED.read_text(encoding="utf-8")


def _pdf(path, text="hello", **kwargs):
    c = canvas.Canvas(str(path), **kwargs)
    c.drawString(72, 720, text)
    c.save()
    return path


def _image_only_pdf(path):
    from reportlab.lib.utils import ImageReader
    from PIL import Image

    image = path.with_suffix(".png")
    Image.new("RGB", (200, 100), "white").save(image)
    c = canvas.Canvas(str(path))
    c.drawImage(ImageReader(str(image)), 72, 600, 200, 100)
    c.save()
    image.unlink()
    return path


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory):
    raw = tmp_path_factory.mktemp("bad_raw")
    shutil.copy(SEED, raw / "seed.txt")
    (raw / "empty.pdf").write_bytes(b"")
    good_pdf = _pdf(tmp_path_factory.mktemp("src") / "x.pdf")
    (raw / "truncated.pdf").write_bytes(good_pdf.read_bytes()[:400])
    _pdf(raw / "encrypted.pdf", encrypt="secret")
    _image_only_pdf(raw / "scanned.pdf")
    _pdf(raw / "menu.pdf", "Lunch menu: noodles 12 yuan")
    (raw / "notes.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    (raw / "binary.dat").write_bytes(b"\x00\x01\x02\x03" * 100)
    shutil.copy(SEED, raw / "zz-seed-copy.txt")  # the same file under a second name
    outside = tmp_path_factory.mktemp("outside") / "secret.txt"
    outside.write_text("not yours", encoding="utf-8")
    os.symlink(outside, raw / "link.txt")
    return raw


@pytest.fixture(scope="module")
def bad_db(bad_folder, tmp_path_factory):
    path = run_pipeline(bad_folder, tmp_path_factory.mktemp("bad_wh"))
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def _issues(db):
    return {f: (sev, reason) for f, sev, reason in db.execute(
        "select source_file, severity, reason from v_ingest_issue where stage <> 'read' or severity = 'error'"
    ).fetchall()}


@pytest.mark.parametrize("name, words", [
    ("empty.pdf", "文件是空的"),
    ("truncated.pdf", "文件已损坏或不完整"),
    ("encrypted.pdf", "PDF已加密（要密码才能打开），无法读取：请下载未加密的版本"),
    ("scanned.pdf", "没有文字层"),
    ("menu.pdf", "不是预算公开文件"),
    ("notes.docx", "暂不读取"),
    ("binary.dat", "既不是PDF也不是文本"),
])
def test_each_bad_file_gets_its_own_clear_error(bad_db, name, words):
    severity, reason = _issues(bad_db)[name]
    assert severity == "error"
    assert name in reason and words in reason


def test_the_good_document_still_loads_whole(bad_db, seed_db):
    count = "select count(*), sum(amount) from fact_budget_line"
    assert bad_db.execute(count).fetchone() == seed_db.execute(count).fetchone()
    assert bad_db.execute("select count(*) from dim_document").fetchone()[0] == 1


def test_nothing_from_bad_files_in_the_facts(bad_db):
    for table in ("fact_budget_line", "fact_table_cell"):
        files = {r[0].split(":")[0] for r in bad_db.execute(f"select distinct source_ref from {table}").fetchall()}
        assert files == {"seed.txt"}


def test_same_file_under_two_names_is_read_once(bad_db):
    rows = bad_db.execute("""select severity, reason from v_ingest_issue where source_file = 'zz-seed-copy.txt'""").fetchall()
    assert rows == [("warning", "与“seed.txt”内容完全相同：只按“seed.txt”读取一次")]
    assert bad_db.execute("select source_files from dim_document").fetchone()[0] == "seed.txt"


def test_links_leaving_the_raw_folder_are_not_read(bad_db, bad_folder):
    assert "link.txt" not in _issues(bad_db)
    assert bad_db.execute("select count(*) from v_ingest_issue where source_file = 'link.txt'").fetchone()[0] == 0
    from pipelines.discover.files import refused_paths
    assert [p for p, _ in refused_paths(bad_folder)] == ["link.txt"]


@pytest.mark.parametrize("encoding, prefix", [("gb18030", b""), ("utf-8", b"\xef\xbb\xbf")])
def test_other_encodings_read_the_same(tmp_path, seed_db, encoding, prefix):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "seed.txt").write_bytes(prefix + SEED_TEXT.encode(encoding))
    db = duckdb.connect(str(run_pipeline(raw, tmp_path / "wh")), read_only=True)
    query = "select table_kind, row_no, column_name, amount from fact_budget_line order by all"
    assert db.execute(query).fetchall() == seed_db.execute(query).fetchall()
    db.close()


def test_a_newer_revision_replaces_the_older(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    old = raw / "qingshan-2022-v1.txt"
    old.write_text(SEED_TEXT, encoding="utf-8")
    revised = raw / "qingshan-2022-v2.txt"
    # The revision corrects one unit's figure in 附表4-2 (and nothing else).
    revised.write_text(SEED_TEXT.replace("540,869.17 540,869.17 540,869.17", "540,869.18 540,869.18 540,869.18"),
                       encoding="utf-8")
    past = time.time() - 86400
    os.utime(old, (past, past))
    db = duckdb.connect(str(run_pipeline(raw, tmp_path / "wh")), read_only=True)
    assert db.execute("select source_files from dim_document").fetchone()[0] == "qingshan-2022-v2.txt"
    (amount,) = db.execute("""select amount from fact_budget_line where table_kind = 'income_summary'
                              and unit_code = '307003' and column_name = '合计'""").fetchone()
    assert amount == Decimal("540869.18")
    (reason,) = db.execute("select reason from v_ingest_issue where source_file = 'qingshan-2022-v1.txt'").fetchone()
    assert reason == "已被较新的修订版“qingshan-2022-v2.txt”取代（总计相同），本文件的数字未载入"
    db.close()


def test_a_revision_with_other_totals_is_reported_as_a_conflict(tmp_path):
    """Two files that claim one disclosure but differ in their 收支总表 total: the newer is used and the
    conflict is said, with both totals, so nobody takes the older for a harmless copy."""
    raw = tmp_path / "raw"
    raw.mkdir()
    old = raw / "a.txt"
    old.write_text(SEED_TEXT, encoding="utf-8")
    (raw / "b.txt").write_text(SEED_TEXT.replace("收    入    总    计 21,262,614.31 支    出    总    计 21,262,614.31",
                                                 "收    入    总    计 21,262,615.31 支    出    总    计 21,262,615.31"),
                               encoding="utf-8")
    past = time.time() - 86400
    os.utime(old, (past, past))
    db = duckdb.connect(str(run_pipeline(raw, tmp_path / "wh")), read_only=True)
    (reason,) = db.execute("select reason from v_ingest_issue where source_file = 'a.txt' and stage = 'discover'").fetchone()
    assert reason == ("与较新的文件“b.txt”是同一份预算公开文件（部门、年度、预算/决算、部门/单位都相同），但数字不同"
                      "（收支总表总计：本文件21262614.31元，较新的文件21262615.31元）：已把较新的文件当作修订版采用，"
                      "本文件未载入，请核对哪个正确")
    db.close()


def test_files_that_name_no_department_never_replace_each_other(tmp_path):
    """Two tables-only files whose text names no department (both would read as "第二部分" to a careless
    reader) stay two documents: neither is taken for a revision of the other."""
    raw = tmp_path / "raw"
    raw.mkdir()
    start = SEED_TEXT.index(" 附表4-1")
    tables = re.sub(r"(?:武汉市)?青山区科学技术和经济\s*信息化局(?!本级)", "", SEED_TEXT[start:])
    (raw / "one.txt").write_text("第二部分 2022年部门预算表\n" + tables, encoding="utf-8")
    (raw / "two.txt").write_text("第二部分 2022年部门预算表\n" + tables.replace("21,262,614.31", "21,262,615.31"),
                                 encoding="utf-8")
    db = duckdb.connect(str(run_pipeline(raw, tmp_path / "wh")), read_only=True)
    docs = db.execute("select department, source_files from dim_document order by source_files").fetchall()
    assert docs == [(None, "one.txt"), (None, "two.txt")]
    reasons = [r for (r,) in db.execute("select reason from v_ingest_issue where stage = 'discover'").fetchall()]
    assert all(r.startswith("文件里没有找到部门（") for r in reasons) and len(reasons) == 2
    db.close()


def test_notes_beside_the_documents_are_skipped(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED, raw / SEED.name)
    (raw / "SOURCES.md").write_text("| file | department | year |\n| --- | --- | --- |\n| jiangsu/x.pdf | 江苏省人大 | 2019 |\n",
                                    encoding="utf-8")
    db = duckdb.connect(str(run_pipeline(raw, tmp_path / "wh")), read_only=True)
    assert db.execute("select count(*) from dim_document").fetchone() == (1,)
    assert db.execute("select severity, stage, reason from v_ingest_issue where source_file = 'SOURCES.md'").fetchall() == [
        ("info", "discover", "SOURCES.md：已跳过，.md 文件不是预算文件（只读取PDF和.txt文本）")]
    db.close()


def test_caps_and_failures_say_what_to_do_in_chinese(tmp_path, monkeypatch):
    """A cap names its setting (BUDGET_MAX_MB, BUDGET_MAX_PAGES, BUDGET_DOC_SECONDS); a failure of the reader
    itself says so, with the library's words kept for whoever mends it."""
    from pipelines.discover.files import scan_raw_folder
    from pipelines.normalize import staging

    shutil.copy(SEED, tmp_path / "seed.txt")
    c = canvas.Canvas(str(tmp_path / "two.pdf"))
    c.drawString(72, 720, "x")
    c.showPage()
    c.drawString(72, 720, "y")
    c.save()
    files = {f.name: f for f in scan_raw_folder(tmp_path)}

    def reason(name):
        out, _, error = staging.extract_frames(files[name])
        (row,) = out["ingest_issues"][["stage", "severity", "reason"]].itertuples(index=False)
        assert tuple(row[:2]) == ("read", "error") and row[2] == error
        return error

    with monkeypatch.context() as m:
        m.setenv("BUDGET_MAX_MB", "0.01")
        assert reason("seed.txt") == ("seed.txt：文件有0.0462 MB，超过每个文件0.01 MB的上限（BUDGET_MAX_MB），未读取；"
                                      "如果文件确实这么大，请调高 BUDGET_MAX_MB")
    with monkeypatch.context() as m:
        m.setenv("BUDGET_MAX_PAGES", "1")
        assert reason("two.pdf") == "two.pdf：共2页，超过每个文件1页的上限；如果文件确实这么长，请调高 BUDGET_MAX_PAGES"
    with monkeypatch.context() as m:
        m.setenv("BUDGET_DOC_SECONDS", "0.01")
        assert reason("seed.txt").startswith("seed.txt：读了0.01秒还没读完，超过每个文件的读取时限（BUDGET_DOC_SECONDS）")
    with monkeypatch.context() as m:
        m.setattr(staging, "identify", lambda raw: {}["boom"])
        assert reason("seed.txt") == "seed.txt：读取时程序出错，未读取（错误信息：KeyError: 'boom'）：请把这个文件报告给开发人员"
