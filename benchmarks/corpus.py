"""Corpus benchmark: N synthetic budget documents through the whole pipeline: ~15-page PDFs side by
side with bare pdfplumber on the same pages, or, with --scale, thousands of plain-text extracts.

    python benchmarks/corpus.py [--n 200] [--out DIR] [--json FILE] [--reps 3] [--quick]
    python benchmarks/corpus.py --n 2000 --format txt --scale [--reps 3] [--out DIR] [--json FILE]

Generation (once per format, reused when present): the seed extract (data/raw/000_7846cf6649494c8d.txt)
read as a RawDocument; per document i a distinct department (青山区科学技术和经济 → 某区第{i}号, in every
text line, table title, note and cell, also where a line break splits the name), every amount
cell multiplied by an integer k_i (exact Decimal, printed format kept) so the tables still tie out.
PDF (--format pdf, the default): the narrative cut to the number of (non-blank) lines that gives 15
pages, rendered with pipelines.fixtures.pdf_render.render_pdf. Text (--format txt): the same variation
applied to the seed extract itself (its whole narrative kept), each file checked to read back as
document i's tables.

Measurements (see benchmarks/README.md): every pipeline measurement runs in a fresh subprocess
(`--task`), which times its own work (imports excluded) and reports ru_maxrss, so peak memory is
per run and per worker. Repeated parts alternate their order between repetitions. --scale measures
only what grows with N: the cold build (once), a night with nothing new (`budget run`), adding one
document, the publishing process's peak memory and the analyst queries.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SEED = REPO / "data" / "raw" / "000_7846cf6649494c8d.txt"
OLD_NAME = "青山区科学技术和经济"
TARGET_PAGES = 15
GENERATOR_VERSION = {"pdf": "2", "txt": "1"}  # a corpus made by another version is made again
FORMATS = ("pdf", "txt")
EXTRA_INDEX = 99999  # the document added for the "add one document" rerun

_MONEY_2DP = re.compile(r"^(-?)(\d{1,3}(?:,\d{3})*|\d+)\.(\d{2})$")
_INTEGER = re.compile(r"^-?\d+$")
# columns whose whole-number cells are amounts (procurement / purchase-of-services tables print yuan
# without decimals); quantities (数量), codes and 计量单位 are never scaled
_INT_AMOUNT_COLUMN = re.compile(r"金额|单价")
_NOTE = re.compile(r"^(注|备注)\s*[:：]")  # a table's note line (pipelines/read/text_reader.py): never scaled
_TOKEN = re.compile(r"\S+")

QUERIES = {
    "budget_by_function_class": """
select subject_code, subject_name, amount
from v_budget_line
where table_kind = 'general_budget_expenditure' and subject_level = '类' and expense_type = 'total'
order by amount desc""",
    "personnel_vs_public": """
select economic_class_code, economic_class_name, expense_type, amount
from v_budget_line
where table_kind = 'general_budget_basic_expenditure' and row_role = 'subtotal'
  and expense_type in ('personnel', 'public') and amount <> 0
order by economic_class_code, expense_type""",
    "narrative_wanyuan": """
select measure, stated_value, stated_unit, sentence
from v_narrative_claim
where stated_unit = '万元'
order by figure_no""",
}


# ---------------------------------------------------------------------------------------------
# generation

def replace_name_in_lines(lines: list[str], new: str, old: str = OLD_NAME) -> list[str]:
    """Replace ``old`` by ``new`` everywhere, also where a line break splits ``old`` (the prefix
    ends one line, the rest starts the next non-blank line): the whole new name goes on the first."""
    out = [line.replace(old, new) for line in lines]
    for i, line in enumerate(out):
        stripped = line.rstrip()
        for cut in range(len(old) - 1, 1, -1):
            if not stripped.endswith(old[:cut]):
                continue
            j = next((j for j in range(i + 1, len(out)) if out[j].strip()), None)
            rest = old[cut:]
            if j is not None and out[j].lstrip().startswith(rest):
                out[i] = stripped[: len(stripped) - cut] + new + line[len(stripped):]
                lead = len(out[j]) - len(out[j].lstrip())
                out[j] = out[j][:lead] + out[j][lead + len(rest):]
            break
    return out


def replace_name_in_cell(cell: str | None, new: str, old: str = OLD_NAME) -> str | None:
    if cell is None:
        return None
    if old in cell:
        return cell.replace(old, new)
    if "\n" in cell and old in cell.replace("\n", ""):  # a name wrapped inside its cell
        return cell.replace("\n", "").replace(old, new)
    return cell


def scale_cell(cell: str | None, k: int, column: str) -> str | None:
    """An amount cell times k, exactly, in the printed format: '1,234.50' → '3,703.50' (k=3)."""
    if cell is None:
        return None
    text = cell.strip()
    m = _MONEY_2DP.match(text)
    if m:
        value = Decimal(text.replace(",", "")) * k
        return format(value, ",.2f") if "," in text or abs(value) >= 1000 else format(value, ".2f")
    if _INTEGER.match(text) and _INT_AMOUNT_COLUMN.search(column):
        return str(int(text) * k)
    return cell


def seed_document():
    from pipelines.read.text_reader import read_text_extract

    return read_text_extract(SEED)


def narrative_lines(seed) -> list:
    """The seed's running text (before the first table, 附表4-1), blank lines dropped, in the order
    kept when trimming: the 第一部分 heading, then 第三部分 (the 情况说明 with its 万元 figures and
    the 绩效 forms), then the rest of 第一/第二部分 (职能, 机构, the list of tables)."""
    lines = []
    for line in seed.text_lines:
        if re.fullmatch(r"\s*附表4-1\s*", line.text):
            break
        if line.text.strip():
            lines.append(line)
    third = next(i for i, l in enumerate(lines) if l.text.strip().startswith("第三部分"))
    return lines[:1] + lines[third:] + lines[1:third]


def variant_document(seed, i: int, k: int, n_lines: int):
    """Document i: department 某区第{i}号…, every amount times k, the first n_lines narrative lines."""
    from pipelines.read.model import TextLine

    new = f"某区第{i}号"
    doc = copy.deepcopy(seed)
    narrative = narrative_lines(seed)[:n_lines]
    texts = replace_name_in_lines([l.text for l in narrative], new)
    doc.text_lines = [TextLine(t, l.ref) for t, l in zip(texts, narrative)]
    for table in doc.tables:
        table.title = table.title.replace(OLD_NAME, new)
        table.notes = [n.replace(OLD_NAME, new) for n in table.notes]
        table.rows = [[scale_cell(replace_name_in_cell(c, new), k, col) for c, col in zip(row, table.columns)]
                      for row in table.rows]
    doc.department = None
    return doc


def factor(i: int) -> int:
    return 1 + i % 9


def page_count(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def lines_for_pages(seed, pages: int, tmp: Path) -> int:
    """The number of narrative lines that makes document 0 come out at ``pages`` pages."""
    from pipelines.fixtures.pdf_render import render_pdf

    total = len(narrative_lines(seed))
    lo, hi, best = 0, total, total
    while lo <= hi:  # smallest n giving >= pages
        mid = (lo + hi) // 2
        render_pdf(variant_document(seed, 0, 1, mid), tmp)
        if page_count(tmp) >= pages:
            best, hi = mid, mid - 1
        else:
            lo = mid + 1
    tmp.unlink(missing_ok=True)
    return best


def seed_text() -> str:
    from pipelines.read.text_reader import decode_text

    return decode_text(SEED.read_bytes(), SEED.name)[0]


def table_row_spans(seed, n_lines: int):
    """(table, row, first line index, end line index) of every table row of the seed as read: a row's
    lines run from its own line to the next row's (or the next table's title) in the extract."""
    starts = [t.ref.line - 1 for t in seed.tables] + [n_lines]
    for t, table in enumerate(seed.tables):
        firsts = [ref.line - 1 for ref in table.row_refs]
        for r, row in enumerate(table.rows):
            yield table, row, firsts[r], (firsts[r + 1] if r + 1 < len(firsts) else starts[t + 1])


def variant_text(text: str, seed, i: int, k: int) -> str:
    """Document i as a plain-text extract: the seed extract ``text`` (``seed`` is it read) with
    department 某区第{i}号… in every line and every table amount times k, printed format kept; the
    narrative is the seed's, whole and unscaled."""
    lines = text.splitlines(keepends=True)
    for table, row, first, end in table_row_spans(seed, len(lines)):
        ints = [(Decimal(c), bool(_INT_AMOUNT_COLUMN.search(col))) for c, col in zip(row, table.columns)
                if c and _INTEGER.match(c.strip())]
        scaled = {v for v, amount in ints if amount and v}  # whole-yuan amounts of the row (not 0)
        if scaled & {v for v, amount in ints if not amount}:
            raise ValueError(f"{table.title}, line {first + 1}: a whole number is both an amount and not one")
        for j in range(first, end):
            if not _NOTE.match(lines[j].strip(" \t\u3000")):
                lines[j] = _TOKEN.sub(lambda m: scale_token(m.group(), k, scaled), lines[j])  # noqa: B023
    return "".join(replace_name_in_lines(lines, f"某区第{i}号"))


def scale_token(token: str, k: int, whole_amounts: set[Decimal]) -> str:
    """A token of a table row times k when it is a 2-decimal figure or one of the row's whole-yuan amounts."""
    if _MONEY_2DP.match(token) or (_INTEGER.match(token) and Decimal(token) in whole_amounts):
        return scale_cell(token, k, "金额")
    return token


def txt_differences(text: str, seed, i: int, k: int) -> list[str]:
    """What the pipeline's text reader finds in ``text`` that differs from document i's tables
    (``variant_document``: the seed's tables renamed and scaled): empty when it reads as its own
    document with every table, row and figure."""
    from pipelines.read.numbers import is_amount, parse_amount
    from pipelines.read.text_reader import read_text

    def cells(table):
        return [[str(parse_amount(c)) if is_amount(c) else c for c in row] for row in table.rows]

    got = read_text(text, f"doc_{i}.txt")
    want = variant_document(seed, i, k, 0)
    if len(got.tables) != len(want.tables):
        return [f"{len(got.tables)} tables read, {len(want.tables)} expected"]
    diffs = []
    for g, w in zip(got.tables, want.tables):
        for what in ("table_kind", "title", "unit", "columns", "notes"):
            if getattr(g, what) != getattr(w, what):
                diffs.append(f"{w.title}: {what} {getattr(g, what)!r} != {getattr(w, what)!r}")
        if cells(g) != cells(w):
            diffs.append(f"{w.title}: rows differ")
    return diffs


def corpus_paths(out: Path, fmt: str) -> tuple[Path, Path, Path]:
    """(documents folder, the extra document's folder, manifest) of the corpus in ``fmt``; the PDF
    corpus keeps the places it always had."""
    if fmt == "pdf":
        return out / "corpus", out / "extra", out / "corpus.json"
    return out / f"corpus-{fmt}", out / f"extra-{fmt}", out / f"corpus-{fmt}.json"


def doc_path(out: Path, i: int, fmt: str) -> Path:
    corpus, extra, _ = corpus_paths(out, fmt)
    return (extra if i == EXTRA_INDEX else corpus) / f"doc_{i:04d}.{fmt}"


def generate(out: Path, n: int, log=print, fmt: str = "pdf") -> dict:
    """Documents 0..n-1 into the format's corpus folder (and the extra document into its own), reused
    if present. The manifest records each file's pages (PDF) or lines (text)."""
    corpus, extra, manifest_path = corpus_paths(out, fmt)
    corpus.mkdir(parents=True, exist_ok=True)
    extra.mkdir(parents=True, exist_ok=True)
    seed_hash = hashlib.sha256(SEED.read_bytes()).hexdigest()[:16]
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    size_key = "pages" if fmt == "pdf" else "lines"
    if manifest.get("seed") != seed_hash or manifest.get("version") != GENERATOR_VERSION[fmt]:
        shutil.rmtree(corpus)
        shutil.rmtree(extra)
        corpus.mkdir()
        extra.mkdir()
        manifest = {"seed": seed_hash, "version": GENERATOR_VERSION[fmt], size_key: {}}
    seed = seed_document()
    if fmt == "pdf":
        from pipelines.fixtures.pdf_render import render_pdf

        if "narrative_lines" not in manifest:
            manifest["narrative_lines"] = lines_for_pages(seed, TARGET_PAGES, out / ".probe.pdf")
        n_lines = manifest["narrative_lines"]

        def make(i: int, path: Path) -> int:
            render_pdf(variant_document(seed, i, factor(i), n_lines), path)
            return page_count(path)
    else:
        text = seed_text()

        def make(i: int, path: Path) -> int:
            doc = variant_text(text, seed, i, factor(i))
            wrong = txt_differences(doc, seed, i, factor(i))
            if wrong:
                raise RuntimeError(f"{path.name} does not read back as document {i}: " + "; ".join(wrong[:5]))
            path.write_text(doc, encoding="utf-8")
            return len(doc.splitlines())
    t0 = time.perf_counter()
    made = 0
    wanted = [doc_path(out, i, fmt) for i in range(n)] + [doc_path(out, EXTRA_INDEX, fmt)]
    for i, path in zip([*range(n), EXTRA_INDEX], wanted):
        if path.exists() and path.name in manifest[size_key]:
            continue
        manifest[size_key][path.name] = make(i, path)
        made += 1
        if made % (25 if fmt == "pdf" else 250) == 0:
            log(f"  generated {made} {fmt} files")
    manifest_path.write_text(json.dumps(manifest, indent=1))
    sizes = [manifest[size_key][p.name] for p in wanted[:-1]]
    result = {"format": fmt, "generated": made, "reused": len(wanted) - made, "seconds": round(time.perf_counter() - t0, 2),
              "mb_total": round(sum(p.stat().st_size for p in wanted[:-1]) / 1e6, 2)}
    if fmt == "pdf":
        result.update(narrative_lines=n_lines, pages_per_doc_min=min(sizes), pages_per_doc_median=statistics.median(sizes),
                      pages_per_doc_max=max(sizes), total_pages=sum(sizes))
    else:
        result.update(lines_per_doc_median=statistics.median(sizes), total_lines=sum(sizes))
    return result


def raw_subset(out: Path, n: int, name: str | None = None, fmt: str = "pdf") -> Path:
    """A raw folder holding documents 0..n-1 (hard links; symlinks leaving the folder are refused)."""
    raw = out / "raw" / (name or (f"n{n}" if fmt == "pdf" else f"{fmt}-n{n}"))
    if raw.exists():
        shutil.rmtree(raw)
    raw.mkdir(parents=True)
    for i in range(n):
        src = doc_path(out, i, fmt)
        link(src, raw / src.name)
    return raw


def link(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


# ---------------------------------------------------------------------------------------------
# tasks: each runs in its own subprocess (``--task JSON``) and prints one JSON line

def maxrss_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # Linux: kB


def task_bare(raw: str) -> dict:
    import pdfplumber

    files = sorted(Path(raw).glob("*.pdf"))
    pages = 0
    t0 = time.perf_counter()
    for path in files:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_tables()
                page.extract_text()
                page.close()
                pages += 1
    return {"seconds": time.perf_counter() - t0, "files": len(files), "pages": pages,
            "maxrss_mb": maxrss_mb(resource.RUSAGE_SELF)}


def task_pipeline(raw: str, warehouse: str, workers: int, publish: bool, profile: str | None = None) -> dict:
    """scan + stage (+ publish, incremental when it can be): seconds of each, peak RSS, documents
    published. ``profile``: a cProfile of the publish call written there."""
    from pipelines.discover.files import scan_raw_folder
    from pipelines.run import stage_files

    raw_dir, wh = Path(raw), Path(warehouse)
    t0 = time.perf_counter()
    files = scan_raw_folder(raw_dir)
    t1 = time.perf_counter()
    staged = stage_files(files, wh, workers=workers)
    t2 = time.perf_counter()
    stage_self = maxrss_mb(resource.RUSAGE_SELF)
    stage_children = maxrss_mb(resource.RUSAGE_CHILDREN)
    result = {"scan_s": t1 - t0, "stage_s": t2 - t1, "files": len(files),
              "extracted": sum(not s.reused for s in staged), "reused": sum(s.reused for s in staged),
              "errors": sum(s.error is not None for s in staged),
              # workers=1: staging runs in this process; workers>1: in pool processes (children)
              "worker_maxrss_mb": stage_self if workers <= 1 or len(files) <= 1 else stage_children,
              "stage_maxrss_self_mb": stage_self}
    if publish:
        path = profiled(profile, publish_files, raw_dir, wh, files)
        t3 = time.perf_counter()
        result.update(publish_s=t3 - t2, warehouse=str(path), maxrss_mb=maxrss_mb(resource.RUSAGE_SELF))
    result["total_s"] = time.perf_counter() - t0
    if publish:
        result["documents"] = documents_in(path)
    return result


def task_publish(raw: str, warehouse: str, incremental: bool) -> dict:
    """Only the publish of the staged files now in ``raw`` (scanned first, untimed): seconds, peak RSS."""
    from pipelines.discover.files import scan_raw_folder

    files = scan_raw_folder(Path(raw))
    before = maxrss_mb(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    path = publish_files(Path(raw), Path(warehouse), files, incremental)
    return {"publish_s": time.perf_counter() - t0, "warehouse": str(path), "files": len(files),
            "maxrss_before_mb": before, "maxrss_mb": maxrss_mb(resource.RUSAGE_SELF), "documents": documents_in(path)}


def publish_files(raw_dir: Path, warehouse: Path, files: list, incremental: bool = True) -> Path:
    from pipelines.run import publish_warehouse

    return publish_warehouse(raw_dir, warehouse, files=files, incremental=incremental)


def profiled(path: str | None, fn, *args):
    """``fn(*args)``, under cProfile when ``path`` is given (the stats written there)."""
    if path is None:
        return fn(*args)
    import cProfile

    profile = cProfile.Profile()
    try:
        return profile.runcall(fn, *args)
    finally:
        profile.dump_stats(path)


def documents_in(warehouse: Path | str) -> int:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select count(*) from dim_document").fetchone()[0]


TASKS = {"bare": task_bare, "pipeline": task_pipeline, "publish": task_publish}


CODE: Path = REPO  # where tasks import the pipeline from (a snapshot, see snapshot_code)


def snapshot_code(out: Path) -> Path:
    """A frozen copy of pipelines/, dbt_like_sql/ and this script for the tasks to run: the tree is
    edited concurrently, and any change under pipelines/{discover,read,normalize} changes the staging
    code version, which would silently turn a "nothing changed" rerun into a full re-extraction."""
    global CODE
    code = out / "code"
    if code.exists():
        shutil.rmtree(code)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "pipelines", code / "pipelines", ignore=ignore)
    shutil.copytree(REPO / "dbt_like_sql", code / "dbt_like_sql", ignore=ignore)
    (code / "benchmarks").mkdir()
    shutil.copy2(Path(__file__).resolve(), code / "benchmarks" / "corpus.py")
    CODE = code
    return code


IN_PROCESS = False  # tests: run tasks in this process (fast; memory figures then mean little)


def run_task(kind: str, **kw) -> dict:
    if IN_PROCESS:
        return json.loads(json.dumps(TASKS[kind](**kw)))
    spec = json.dumps({"kind": kind, **kw})
    env = dict(os.environ, PYTHONPATH=str(CODE) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("BUDGET_SQL_DIR", None)
    proc = subprocess.run([sys.executable, str(CODE / "benchmarks" / "corpus.py"), "--task", spec],
                          capture_output=True, text=True, env=env, cwd=str(CODE))
    if proc.returncode != 0:
        raise RuntimeError(f"task {kind} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    return path


# ---------------------------------------------------------------------------------------------
# measurement

def query_latency(warehouse: Path, runs: int) -> dict:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    out = {}
    try:
        for name, sql in QUERIES.items():
            rows = con.execute(sql).fetchall()  # warm-up
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                con.execute(sql).fetchall()
                times.append((time.perf_counter() - t0) * 1000)
            out[name] = {"median_ms": statistics.median(times), "max_ms": max(times), "rows": len(rows)}
        out["_failing_errors"] = dict(con.execute(
            "select check_kind, count(*) from v_check_result where status = 'fail' and severity = 'error' "
            "group by 1 order by 1").fetchall())
        out["_documents"] = con.execute("select count(*) from dim_document").fetchone()[0] \
            if con.execute("select count(*) from information_schema.tables where table_name = 'dim_document'").fetchone()[0] \
            else None
    finally:
        con.close()
    return out


def med(values: list[float]) -> float:
    return statistics.median(values)


def add_one_vs_single(out: Path, raw: Path, warehouse: Path, fmt: str, reps: int, log=print,
                      profile: Path | None = None) -> tuple[list[dict], list[dict], list[dict]]:
    """Part d, ``reps`` times, the order alternating: the extra document dropped into ``raw`` (N documents,
    published in ``warehouse``), then scan + stage + publish; against scan + stage + publish of a fresh
    warehouse holding only that document. After each add the document is removed and the warehouse
    published back to N (untimed). ``profile``: one more add, untimed, its publish under cProfile.
    Returns the add, single and back-to-N task results."""
    extra = doc_path(out, EXTRA_INDEX, fmt)
    raw_one = out / "raw" / ("one" if fmt == "pdf" else f"one-{fmt}")
    wh_one = warehouse.parent / "wh_one"
    fresh(raw_one).mkdir(parents=True)
    link(extra, raw_one / extra.name)
    add, single, back = [], [], []

    def add_and_back(profile_to: Path | None = None) -> dict:
        link(extra, raw / extra.name)
        try:
            done = run_task("pipeline", raw=str(raw), warehouse=str(warehouse), workers=1, publish=True,
                            profile=None if profile_to is None else str(profile_to))
        finally:
            (raw / extra.name).unlink()
        back.append(run_task("pipeline", raw=str(raw), warehouse=str(warehouse), workers=1, publish=True))
        return done

    for r in range(reps):
        for what in (["single", "add"] if r % 2 == 0 else ["add", "single"]):
            if what == "single":
                single.append(run_task("pipeline", raw=str(raw_one), warehouse=str(fresh(wh_one)), workers=1, publish=True))
                log(f"  single-document run: {single[-1]['total_s']:.2f} s (scan {single[-1]['scan_s']:.2f}, "
                    f"stage {single[-1]['stage_s']:.2f}, publish {single[-1]['publish_s']:.2f})")
            else:
                add.append(add_and_back())
                log(f"  rerun after adding one document: {add[-1]['total_s']:.2f} s (scan {add[-1]['scan_s']:.2f}, "
                    f"stage {add[-1]['stage_s']:.2f}, publish {add[-1]['publish_s']:.2f}; extracted "
                    f"{add[-1]['extracted']}, {add[-1]['documents']} documents; back to {back[-1]['documents']} "
                    f"in {back[-1]['total_s']:.2f} s)")
    if profile is not None:
        add_and_back(profile)
        log(f"  profiled one more add's publish: {profile}")
    shutil.rmtree(wh_one, ignore_errors=True)
    return add, single, back


def measure(out: Path, n: int, n_small: int, reps: int, query_runs: int, log=print) -> dict:
    work = out / "work"
    work.mkdir(parents=True, exist_ok=True)
    if not IN_PROCESS:
        snapshot_code(out)
    raw = raw_subset(out, n)
    raw_small = raw_subset(out, n_small)
    wh_cold1, wh_cold2 = work / "wh_cold_w1", work / "wh_cold_w2"

    bare, cold1, cold2 = [], [], []
    for r in range(reps):
        order = ["bare", "cold1", "cold2"] if r % 2 == 0 else ["cold2", "cold1", "bare"]
        for what in order:
            if what == "bare":
                bare.append(run_task("bare", raw=str(raw)))
                log(f"  rep {r + 1}: bare pdfplumber {bare[-1]['seconds']:.1f} s ({bare[-1]['pages']} pages)")
            elif what == "cold1":
                cold1.append(run_task("pipeline", raw=str(raw), warehouse=str(fresh(wh_cold1)), workers=1, publish=True))
                log(f"  rep {r + 1}: cold, 1 worker {cold1[-1]['total_s']:.1f} s "
                    f"(stage {cold1[-1]['stage_s']:.1f}, publish {cold1[-1]['publish_s']:.1f})")
            else:
                cold2.append(run_task("pipeline", raw=str(raw), warehouse=str(fresh(wh_cold2)), workers=2, publish=False))
                log(f"  rep {r + 1}: cold staging, 2 workers {cold2[-1]['stage_s']:.1f} s")
    shutil.rmtree(wh_cold2, ignore_errors=True)

    # c. nothing changed: rerun on the last cold warehouse
    rerun = []
    for r in range(reps):
        rerun.append(run_task("pipeline", raw=str(raw), warehouse=str(wh_cold1), workers=1, publish=True))
        log(f"  rerun, nothing changed: {rerun[-1]['total_s']:.2f} s (reused {rerun[-1]['reused']})")

    # g. analyst queries on the N-document warehouse
    queries = query_latency(Path(cold1[-1]["warehouse"]), query_runs)
    log(f"  queries: " + ", ".join(f"{k} {v['median_ms']:.1f} ms" for k, v in queries.items() if not k.startswith("_")))

    # f. peak memory per worker, staging N_small documents (1 worker, fresh process)
    small = run_task("pipeline", raw=str(raw_small), warehouse=str(fresh(work / "wh_small")), workers=1, publish=False)
    shutil.rmtree(work / "wh_small", ignore_errors=True)
    log(f"  peak RSS staging {n_small} docs: {small['worker_maxrss_mb']} MB")

    # d. add one document to the N-document warehouse vs a one-document run, alternating
    add, single, _ = add_one_vs_single(out, raw, wh_cold1, "pdf", reps, log)

    bare_s = [b["seconds"] for b in bare]
    cold_s = [c["total_s"] for c in cold1]
    stage1 = [c["stage_s"] for c in cold1]
    stage2 = [c["stage_s"] for c in cold2]
    add_s = [a["total_s"] for a in add]
    single_s = [s["total_s"] for s in single]
    mem_big = max(c["worker_maxrss_mb"] for c in cold1)
    worker2 = max(c["worker_maxrss_mb"] for c in cold2)
    return {
        "n": n, "n_small": n_small, "reps": reps, "query_runs": query_runs,
        "pages": bare[0]["pages"],
        "baseline": {"seconds": bare_s, "median_s": med(bare_s), "pages_per_s": bare[0]["pages"] / med(bare_s)},
        "cold": {"seconds": cold_s, "median_s": med(cold_s),
                 "scan_s": med([c["scan_s"] for c in cold1]), "stage_s": med(stage1),
                 "publish_s": med([c["publish_s"] for c in cold1]),
                 "errors": cold1[-1]["errors"], "documents_in_warehouse": queries.pop("_documents"),
                 "failing_error_findings_by_check": queries.pop("_failing_errors"),
                 "ratio_to_baseline_pairwise": [c / b for c, b in zip(cold_s, bare_s)],
                 "ratio_to_baseline": med([c / b for c, b in zip(cold_s, bare_s)])},
        "rerun_unchanged": {"seconds": [x["total_s"] for x in rerun], "median_s": med([x["total_s"] for x in rerun]),
                            "scan_s": med([x["scan_s"] for x in rerun]), "stage_s": med([x["stage_s"] for x in rerun]),
                            "publish_s": med([x["publish_s"] for x in rerun])},
        "add_one": {"seconds": add_s, "median_s": med(add_s),
                    "stage_s": med([a["stage_s"] for a in add]), "publish_s": med([a["publish_s"] for a in add]),
                    "single_doc_seconds": single_s, "single_doc_median_s": med(single_s),
                    "ratio_pairwise": [a / s for a, s in zip(add_s, single_s)],
                    "ratio": med([a / s for a, s in zip(add_s, single_s)])},
        "workers": {"stage_1_worker_s": stage1, "stage_2_workers_s": stage2,
                    "stage_1_median_s": med(stage1), "stage_2_median_s": med(stage2),
                    "speedup_pairwise": [a / b for a, b in zip(stage1, stage2)],
                    "speedup": med([a / b for a, b in zip(stage1, stage2)]),
                    "worker_maxrss_2_workers_mb": worker2},
        "memory": {"worker_maxrss_small_mb": small["worker_maxrss_mb"], "worker_maxrss_n_mb": mem_big,
                   "growth": mem_big / small["worker_maxrss_mb"] - 1,
                   "publish_process_maxrss_mb": max(c["maxrss_mb"] for c in cold1)},
        "queries": queries,
    }


TARGETS = [
    # (label, target text, value getter, pass test, format)
    ("a. baseline: bare pdfplumber, 1 process", "-",
     lambda m: f"{m['baseline']['median_s']:.1f} s, {m['pages']} pages ({m['baseline']['pages_per_s']:.1f} pages/s)", None),
    ("b. cold run (stage 1 worker + publish) / baseline", "≤ 1.3 ×",
     lambda m: f"{m['cold']['ratio_to_baseline']:.2f} × ({m['cold']['median_s']:.1f} s: stage {m['cold']['stage_s']:.1f}"
               f" + publish {m['cold']['publish_s']:.1f} + scan {m['cold']['scan_s']:.1f})",
     lambda m: m["cold"]["ratio_to_baseline"] <= 1.3),
    ("c. rerun, nothing changed", "≤ 10 s",
     lambda m: f"{m['rerun_unchanged']['median_s']:.2f} s (stage {m['rerun_unchanged']['stage_s']:.2f}"
               f" + publish {m['rerun_unchanged']['publish_s']:.2f} + scan {m['rerun_unchanged']['scan_s']:.2f})",
     lambda m: m["rerun_unchanged"]["median_s"] <= 10),
    ("d. rerun after adding 1 doc / single-doc run", "≤ 2 ×",
     lambda m: f"{m['add_one']['ratio']:.2f} × ({m['add_one']['median_s']:.2f} s vs {m['add_one']['single_doc_median_s']:.2f} s)",
     lambda m: m["add_one"]["ratio"] <= 2),
    ("e. cold staging speedup, 2 workers vs 1", "≥ 1.7 ×",
     lambda m: f"{m['workers']['speedup']:.2f} × ({m['workers']['stage_1_median_s']:.1f} s → {m['workers']['stage_2_median_s']:.1f} s)",
     lambda m: m["workers"]["speedup"] >= 1.7),
    ("f. peak RSS per worker, N_small vs N", "within 10 %",
     lambda m: f"{m['memory']['growth'] * 100:+.1f} % ({m['memory']['worker_maxrss_small_mb']:.0f} MB at {m['n_small']}"
               f" → {m['memory']['worker_maxrss_n_mb']:.0f} MB at {m['n']})",
     lambda m: abs(m["memory"]["growth"]) <= 0.10),
] + [
    (f"g. query {name} (median of runs)", "≤ 100 ms",
     (lambda name: lambda m: f"{m['queries'][name]['median_ms']:.1f} ms ({m['queries'][name]['rows']} rows)")(name),
     (lambda name: lambda m: m["queries"][name]["median_ms"] <= 100)(name))
    for name in QUERIES
]


# ---------------------------------------------------------------------------------------------
# --scale: what grows with N (no bare pdfplumber, no repeated cold runs)

GIB_MB = 1024.0


def budget_run(raw: Path, warehouse: Path, workers: int = 1) -> dict:
    """`budget run --raw RAW --warehouse WH --workers N`, the console script beside this Python, on the
    code snapshot: benchmarks/real_corpus.py's (wall seconds from launch to exit, peak RSS, whether
    its stderr says nothing was new)."""
    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:
        sys.path.insert(0, here)
    from real_corpus import budget_run as run

    return run(CODE, raw, warehouse, workers)


def profile_top(path: Path, top: int = 20) -> dict:
    """The functions of a cProfile dump with the most cumulative and the most own time."""
    import pstats

    stats = pstats.Stats(str(path)).stats  # (file, line, name) → (calls, ncalls, tottime, cumtime, callers)
    rows = [{"function": f"{Path(f).name}:{line}({name})", "calls": nc, "own_s": round(tt, 3), "cumulative_s": round(ct, 3)}
            for (f, line, name), (_, nc, tt, ct, _) in stats.items()]
    return {"file": str(path), "by_cumulative": sorted(rows, key=lambda r: -r["cumulative_s"])[:top],
            "by_own": sorted(rows, key=lambda r: -r["own_s"])[:top]}


def split(runs: list[dict]) -> dict:
    """Medians of a task's seconds, whole and per step, and each run's total."""
    return {"seconds": [r["total_s"] for r in runs], "median_s": med([r["total_s"] for r in runs]),
            **{key: med([r[key] for r in runs]) for key in ("scan_s", "stage_s", "publish_s")}}


def measure_scale(out: Path, n: int, fmt: str, reps: int, query_runs: int, profile: bool = False, log=print) -> dict:
    work = out / "work" / f"scale-{fmt}-n{n}"
    work.mkdir(parents=True, exist_ok=True)
    if not IN_PROCESS:
        snapshot_code(out)
    raw = raw_subset(out, n, fmt=fmt)
    wh = fresh(work / "wh")

    cold = run_task("pipeline", raw=str(raw), warehouse=str(wh), workers=2, publish=True)
    log(f"  cold build, 2 workers: {cold['total_s']:.1f} s (scan {cold['scan_s']:.1f}, stage {cold['stage_s']:.1f}, "
        f"publish {cold['publish_s']:.1f}; {cold['documents']} documents, {cold['errors']} errors)")
    first = budget_run(raw, wh)  # the nights after it find the report current too
    log(f"  first budget run (publishes, writes the report): {first['wall_s']:.1f} s")
    nothing = []
    for _ in range(reps):
        nothing.append(budget_run(raw, wh))
        log(f"  budget run, nothing new: {nothing[-1]['wall_s']:.2f} s (said nothing new: {nothing[-1]['nothing_new']})")

    add, single, back = add_one_vs_single(out, raw, wh, fmt, reps, log, work / "add_publish.prof" if profile else None)
    full = run_task("publish", raw=str(raw), warehouse=str(wh), incremental=False)
    log(f"  full publish of {full['documents']} documents: {full['publish_s']:.1f} s, peak RSS {full['maxrss_mb']:.0f} MB")
    queries = query_latency(Path(full["warehouse"]), query_runs)
    log("  queries: " + ", ".join(f"{k} {v['median_ms']:.1f} ms" for k, v in queries.items() if not k.startswith("_")))

    add_split, single_split = split(add), split(single)
    ratios = [a["total_s"] / s["total_s"] for a, s in zip(add, single)]
    return {
        "mode": "scale", "format": fmt, "n": n, "reps": reps, "query_runs": query_runs,
        "cold": {"workers": 2, "seconds": cold["total_s"], "scan_s": cold["scan_s"], "stage_s": cold["stage_s"],
                 "publish_s": cold["publish_s"], "errors": cold["errors"], "documents": cold["documents"],
                 "publish_maxrss_mb": cold["maxrss_mb"], "worker_maxrss_mb": cold["worker_maxrss_mb"]},
        "first_budget_run": {"wall_s": first["wall_s"], "maxrss_mb": first["maxrss_mb"]},
        "nothing_new": {"wall_s": [x["wall_s"] for x in nothing], "median_s": med([x["wall_s"] for x in nothing]),
                        "said_nothing_new": [x["nothing_new"] for x in nothing],
                        "maxrss_mb": [x["maxrss_mb"] for x in nothing]},
        "add_one": {**add_split, "documents": [a["documents"] for a in add], "extracted": [a["extracted"] for a in add],
                    "maxrss_mb": [a["maxrss_mb"] for a in add],
                    "maxrss_before_publish_mb": [a["stage_maxrss_self_mb"] for a in add],
                    "back_to_n_seconds": [b["total_s"] for b in back], "back_to_n_documents": [b["documents"] for b in back],
                    "single_doc": single_split, "single_doc_median_s": single_split["median_s"],
                    "ratio_pairwise": ratios, "ratio": med(ratios)},
        "memory": {"publish_full_maxrss_mb": full["maxrss_mb"], "publish_full_s": full["publish_s"],
                   "publish_full_maxrss_before_mb": full["maxrss_before_mb"],
                   "publish_add_one_maxrss_mb": max(a["maxrss_mb"] for a in add)},
        "documents_in_warehouse": queries.pop("_documents"),
        "failing_error_findings_by_check": queries.pop("_failing_errors"),
        "queries": queries,
        **({"profile_add_publish": profile_top(work / "add_publish.prof")} if profile else {}),
    }


def _add_measured(m: dict) -> str:
    a = m["add_one"]
    s = a["single_doc"]
    return (f"{a['ratio']:.2f} × ({a['median_s']:.2f} s: scan {a['scan_s']:.2f} + stage {a['stage_s']:.2f} + publish "
            f"{a['publish_s']:.2f}, vs {s['median_s']:.2f} s: scan {s['scan_s']:.2f} + stage {s['stage_s']:.2f} + "
            f"publish {s['publish_s']:.2f}; pairwise " + ", ".join(f"{x:.2f}" for x in a["ratio_pairwise"]) + ")")


SCALE_TARGETS = [
    ("cold build: scan + stage (2 workers) + publish, once", "-",
     lambda m: f"{m['cold']['seconds']:.1f} s (scan {m['cold']['scan_s']:.1f} + stage {m['cold']['stage_s']:.1f} + publish "
               f"{m['cold']['publish_s']:.1f}; {m['documents_in_warehouse']} documents in the warehouse)", None),
    ("first budget run after it (publish, report), once", "-",
     lambda m: f"{m['first_budget_run']['wall_s']:.1f} s", None),
    ("nothing new: budget run --workers 1, launch to exit", "≤ 5 s",
     lambda m: f"{m['nothing_new']['median_s']:.2f} s (runs " + ", ".join(f"{x:.2f}" for x in m["nothing_new"]["wall_s"])
               + f"; said nothing new {sum(m['nothing_new']['said_nothing_new'])}/{len(m['nothing_new']['wall_s'])})",
     lambda m: m["nothing_new"]["median_s"] <= 5 and all(m["nothing_new"]["said_nothing_new"])),
    ("add 1 doc to N / single-doc run (scan + stage + publish)", "≤ 2 ×", _add_measured,
     lambda m: m["add_one"]["ratio"] <= 2),
    ("peak RSS: full publish of N (incremental=False)", "≤ 1 GiB",
     lambda m: f"{m['memory']['publish_full_maxrss_mb']:.0f} MB (publish {m['memory']['publish_full_s']:.1f} s)",
     lambda m: m["memory"]["publish_full_maxrss_mb"] <= GIB_MB),
    ("peak RSS: add-one process (stage 1 + incremental publish)", "≤ 1 GiB",
     lambda m: f"{m['memory']['publish_add_one_maxrss_mb']:.0f} MB (before the publish "
               f"{max(m['add_one']['maxrss_before_publish_mb']):.0f} MB)",
     lambda m: m["memory"]["publish_add_one_maxrss_mb"] <= GIB_MB),
] + [
    (f"query {name} (median of runs)", "≤ 100 ms",
     (lambda name: lambda m: f"{m['queries'][name]['median_ms']:.1f} ms ({m['queries'][name]['rows']} rows)")(name),
     (lambda name: lambda m: m["queries"][name]["median_ms"] <= 100)(name))
    for name in QUERIES
]


TXT_WHY = ("plain-text extracts: rendering and reading 2,000 15-page PDFs would take ~30 min on 2 cores; "
           "reading is not what grows with N")


def verdicts(m: dict, targets: list = TARGETS) -> list[dict]:
    rows = []
    for label, target, value, test in targets:
        rows.append({"figure": label, "target": target, "measured": value(m),
                     "pass": None if test is None else bool(test(m))})
    return rows


def print_table(title: str, rows: list[dict], caption: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, caption=caption)
    table.add_column("figure")
    table.add_column("target")
    table.add_column("measured")
    table.add_column("result")
    for row in rows:
        verdict = "-" if row["pass"] is None else ("[green]PASS[/]" if row["pass"] else "[red]FAIL[/]")
        table.add_row(row["figure"], row["target"], row["measured"], verdict)
    Console(width=160).print(table)


def print_profile(top: dict, n: int = 12) -> None:
    print(f"the add's publish under cProfile ({top['file']}), by cumulative time:")
    for r in top["by_cumulative"][:n]:
        print(f"  {r['cumulative_s']:8.2f} s cum {r['own_s']:8.2f} s own {r['calls']:>9} calls  {r['function']}")
    print("by own time:")
    for r in top["by_own"][:n]:
        print(f"  {r['own_s']:8.2f} s own {r['cumulative_s']:8.2f} s cum {r['calls']:>9} calls  {r['function']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200, help="documents in the corpus (default 200)")
    parser.add_argument("--format", choices=FORMATS, default="pdf",
                        help="the generated documents: 15-page PDFs (default) or plain-text extracts (only with --scale)")
    parser.add_argument("--scale", action="store_true",
                        help="measure only what grows with N: cold build once, nothing new (budget run), add one vs "
                             "single, publish peak memory, queries (no bare pdfplumber, no repeated cold runs)")
    parser.add_argument("--profile", action="store_true",
                        help="with --scale: one more add-one run, its publish under cProfile (top functions printed)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out",
                        help="where documents, raw folders and warehouses go (documents reused)")
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument("--reps", type=int, default=None, help="repetitions of the timed parts (default 3)")
    parser.add_argument("--n-small", type=int, default=None, help="corpus size for the memory comparison (default 50)")
    parser.add_argument("--query-runs", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="smoke test: N=20, 1 repetition")
    parser.add_argument("--in-process", action="store_true",
                        help="run every measurement in this process (for tests: no subprocesses, no code snapshot; "
                             "peak-memory figures are then this process's)")
    parser.add_argument("--task", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.task:
        spec = json.loads(args.task)
        kind = spec.pop("kind")
        print(json.dumps(TASKS[kind](**spec)))
        return 0
    if args.format != "pdf" and not args.scale:
        parser.error("--format txt needs --scale: parts a, b, e and f measure PDF reading against bare pdfplumber")
    if args.profile and not args.scale:
        parser.error("--profile goes with --scale")

    global IN_PROCESS
    IN_PROCESS = args.in_process
    n = 20 if args.quick else args.n
    reps = args.reps or (1 if args.quick else 3)
    log = lambda msg: print(msg, flush=True)  # noqa: E731
    load_before = os.getloadavg()  # other work on the machine shows here
    log(f"generating {n} {args.format} documents into {corpus_paths(args.out, args.format)[0]} …")
    gen = generate(args.out, n, log, args.format)
    per_doc = (f"{gen['pages_per_doc_median']} pages each ({gen['pages_per_doc_min']}–{gen['pages_per_doc_max']}), "
               f"{gen['narrative_lines']} narrative lines" if args.format == "pdf" else f"{gen['lines_per_doc_median']:g} lines each")
    log(f"  {gen['generated']} generated, {gen['reused']} reused, {per_doc}")
    if args.scale:
        log(f"measuring --scale (N={n}, {args.format}, {reps} rep(s)) …")
        m = measure_scale(args.out, n, args.format, reps, args.query_runs, args.profile, log)
        rows = verdicts(m, SCALE_TARGETS)
        print_table(f"Corpus benchmark --scale: N={n} {args.format} documents ({per_doc}), medians of {reps} rep(s), "
                    f"{os.cpu_count()} cores", rows, caption=TXT_WHY if args.format == "txt" else None)
        if "profile_add_publish" in m:
            print_profile(m["profile_add_publish"])
    else:
        n_small = args.n_small or (max(1, n // 4) if args.quick or n < 200 else 50)
        n_small = min(n_small, n)
        log(f"measuring (N={n}, N_small={n_small}, {reps} rep(s)) …")
        m = measure(args.out, n, n_small, reps, args.query_runs, log)
        rows = verdicts(m)
        print_table(f"Corpus benchmark: N={m['n']} documents, {gen['pages_per_doc_median']} pages each "
                    f"({m['pages']} pages), medians of {m['reps']} rep(s), {os.cpu_count()} cores", rows)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"generation": gen, "measurements": m, "verdicts": rows,
                                         "cpu_count": os.cpu_count(), "python": sys.version.split()[0],
                                         "load_average": {"start": load_before, "end": os.getloadavg()}},
                                        indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
