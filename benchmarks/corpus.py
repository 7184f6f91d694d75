"""Corpus benchmark: N synthetic ~15-page budget PDFs through the whole pipeline, side by side with
bare pdfplumber on the same pages.

    python benchmarks/corpus.py [--n 200] [--out DIR] [--json FILE] [--reps 3] [--quick]

Generation (once, reused when present): the seed extract (data/raw/000_7846cf6649494c8d.txt) read
as a RawDocument; per document i a distinct department (青山区科学技术和经济 → 某区第{i}号, in every
text line, table title, note and cell, also where a line break splits the name), every amount
cell multiplied by an integer k_i (exact Decimal, printed format kept) so the tables still tie out,
and the narrative cut to the number of (non-blank) lines that gives 15 pages; rendered with
pipelines.fixtures.pdf_render.render_pdf.

Measurements (see benchmarks/README.md): every pipeline measurement runs in a fresh subprocess
(`--task`), which times its own work (imports excluded) and reports ru_maxrss, so peak memory is
per run and per worker. Repeated parts alternate their order between repetitions.
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
GENERATOR_VERSION = "2"
EXTRA_INDEX = 99999  # the document added for the "add one document" rerun

_MONEY_2DP = re.compile(r"^(-?)(\d{1,3}(?:,\d{3})*|\d+)\.(\d{2})$")
_INTEGER = re.compile(r"^-?\d+$")
# columns whose whole-number cells are amounts (procurement / purchase-of-services tables print yuan
# without decimals); quantities (数量), codes and 计量单位 are never scaled
_INT_AMOUNT_COLUMN = re.compile(r"金额|单价")

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


def generate(out: Path, n: int, log=print) -> dict:
    """Documents 0..n-1 into out/corpus (and the extra document into out/extra), reused if present."""
    from pipelines.fixtures.pdf_render import render_pdf

    corpus, extra = out / "corpus", out / "extra"
    corpus.mkdir(parents=True, exist_ok=True)
    extra.mkdir(parents=True, exist_ok=True)
    seed_hash = hashlib.sha256(SEED.read_bytes()).hexdigest()[:16]
    manifest_path = out / "corpus.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    if manifest.get("seed") != seed_hash or manifest.get("version") != GENERATOR_VERSION:
        shutil.rmtree(corpus)
        shutil.rmtree(extra)
        corpus.mkdir()
        extra.mkdir()
        manifest = {"seed": seed_hash, "version": GENERATOR_VERSION, "pages": {}}
    seed = seed_document()
    if "narrative_lines" not in manifest:
        manifest["narrative_lines"] = lines_for_pages(seed, TARGET_PAGES, out / ".probe.pdf")
    n_lines = manifest["narrative_lines"]
    t0 = time.perf_counter()
    made = 0
    wanted = [(i, corpus / f"doc_{i:04d}.pdf") for i in range(n)] + [(EXTRA_INDEX, extra / f"doc_{EXTRA_INDEX}.pdf")]
    for i, path in wanted:
        if path.exists() and path.name in manifest["pages"]:
            continue
        render_pdf(variant_document(seed, i, factor(i), n_lines), path)
        manifest["pages"][path.name] = page_count(path)
        made += 1
        if made % 25 == 0:
            log(f"  generated {made} PDFs")
    manifest_path.write_text(json.dumps(manifest, indent=1))
    pages = [manifest["pages"][p.name] for _, p in wanted[:-1]]
    return {"generated": made, "reused": len(wanted) - made, "seconds": round(time.perf_counter() - t0, 2),
            "narrative_lines": n_lines, "pages_per_doc_min": min(pages), "pages_per_doc_median": statistics.median(pages),
            "pages_per_doc_max": max(pages), "total_pages": sum(pages),
            "mb_total": round(sum((corpus / n).stat().st_size for n in (p.name for _, p in wanted[:-1])) / 1e6, 2)}


def raw_subset(out: Path, n: int, name: str | None = None) -> Path:
    """A raw folder holding documents 0..n-1 (hard links; symlinks leaving the folder are refused)."""
    raw = out / "raw" / (name or f"n{n}")
    if raw.exists():
        shutil.rmtree(raw)
    raw.mkdir(parents=True)
    for i in range(n):
        link(out / "corpus" / f"doc_{i:04d}.pdf", raw / f"doc_{i:04d}.pdf")
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


def task_pipeline(raw: str, warehouse: str, workers: int, publish: bool) -> dict:
    from pipelines.discover.files import scan_raw_folder
    from pipelines.run import publish_warehouse, stage_files

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
        path = publish_warehouse(raw_dir, wh, files=files)
        t3 = time.perf_counter()
        result.update(publish_s=t3 - t2, warehouse=str(path), maxrss_mb=maxrss_mb(resource.RUSAGE_SELF))
    result["total_s"] = time.perf_counter() - t0
    return result


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
        return json.loads(json.dumps(task_bare(**kw) if kind == "bare" else task_pipeline(**kw)))
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
    extra_pdf = out / "extra" / f"doc_{EXTRA_INDEX}.pdf"
    raw_one = out / "raw" / "one"
    fresh(raw_one).mkdir(parents=True)
    link(extra_pdf, raw_one / extra_pdf.name)
    add, single = [], []
    for r in range(reps):
        for what in (["single", "add"] if r % 2 == 0 else ["add", "single"]):
            if what == "single":
                single.append(run_task("pipeline", raw=str(raw_one), warehouse=str(fresh(work / "wh_one")), workers=1, publish=True))
                log(f"  single-document run: {single[-1]['total_s']:.2f} s")
            else:
                link(extra_pdf, raw / extra_pdf.name)
                add.append(run_task("pipeline", raw=str(raw), warehouse=str(wh_cold1), workers=1, publish=True))
                log(f"  rerun after adding one document: {add[-1]['total_s']:.2f} s (extracted {add[-1]['extracted']})")
                (raw / extra_pdf.name).unlink()
                if r < reps - 1:  # back to N documents for the next repetition
                    run_task("pipeline", raw=str(raw), warehouse=str(wh_cold1), workers=1, publish=True)
    shutil.rmtree(work / "wh_one", ignore_errors=True)

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


def verdicts(m: dict) -> list[dict]:
    rows = []
    for label, target, value, test in TARGETS:
        rows.append({"figure": label, "target": target, "measured": value(m),
                     "pass": None if test is None else bool(test(m))})
    return rows


def print_table(m: dict, gen: dict, rows: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Corpus benchmark: N={m['n']} documents, {gen['pages_per_doc_median']} pages each "
                        f"({m['pages']} pages), medians of {m['reps']} rep(s), {os.cpu_count()} cores")
    table.add_column("figure")
    table.add_column("target")
    table.add_column("measured")
    table.add_column("result")
    for row in rows:
        verdict = "-" if row["pass"] is None else ("[green]PASS[/]" if row["pass"] else "[red]FAIL[/]")
        table.add_row(row["figure"], row["target"], row["measured"], verdict)
    Console(width=160).print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200, help="documents in the corpus (default 200)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out",
                        help="where PDFs, raw folders and warehouses go (PDFs reused)")
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
        result = task_bare(**spec) if kind == "bare" else task_pipeline(**spec)
        print(json.dumps(result))
        return 0

    global IN_PROCESS
    IN_PROCESS = args.in_process
    n = 20 if args.quick else args.n
    reps = args.reps or (1 if args.quick else 3)
    n_small = args.n_small or (max(1, n // 4) if args.quick or n < 200 else 50)
    n_small = min(n_small, n)
    log = lambda msg: print(msg, flush=True)  # noqa: E731
    log(f"generating {n} documents into {args.out / 'corpus'} …")
    gen = generate(args.out, n, log)
    log(f"  {gen['generated']} generated, {gen['reused']} reused, {gen['pages_per_doc_median']} pages each "
        f"({gen['pages_per_doc_min']}–{gen['pages_per_doc_max']}), {gen['narrative_lines']} narrative lines")
    log(f"measuring (N={n}, N_small={n_small}, {reps} rep(s)) …")
    m = measure(args.out, n, n_small, reps, args.query_runs, log)
    rows = verdicts(m)
    print_table(m, gen, rows)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"generation": gen, "measurements": m, "verdicts": rows,
                                         "cpu_count": os.cpu_count(), "python": sys.version.split()[0]},
                                        indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
