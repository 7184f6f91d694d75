"""Real-corpus benchmark: `budget run` on every PDF under ../shared/real-docs, side by side with bare
pdfplumber on the same pages.

    python benchmarks/real_corpus.py [--docs DIR] [--reps 3] [--json OUT]

Each repetition measures, one after the other (the order reversed every other repetition, the
nothing-new run always right after its cold run):

- bare pdfplumber: one process, every page of every PDF under DIR (recursively) `extract_tables()`
  + `extract_text()` (`reader.bare`);
- `budget run --raw DIR --warehouse <fresh temp dir> --workers N`, N = 1 and 2, as a subprocess
  (the console script beside this Python), timed from launch to exit: reading, warehouse, checks,
  report, as a user sees it; peak RSS from `os.wait4` (the largest single process of the run: with 2
  workers the largest of the main process and its pool workers, not their sum);
- the same command again on the warehouse just built (nothing new);
- the phases of a cold 1-worker run, in a subprocess calling the pipeline's own functions the way
  `budget run` does, with timers wrapped around them (no pipeline code changed): scan, up-to-date
  check, reading (PDF → RawDocument), normalizing, staging (writing), warehouse (loading the staged
  Parquet, the models), checks (collect, GX, adjudicate), report (HTML, GX Data Docs), summary.

Every subprocess imports a snapshot of pipelines/ and dbt_like_sql/ (`corpus.snapshot_code`), so
edits of the tree during the run cannot turn the nothing-new run into a re-extraction. Ratios are
taken pairwise per repetition; the table shows their medians, the JSON every raw timing.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
for _path in (REPO, HERE):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import corpus  # noqa: E402  (benchmarks/corpus.py: fresh, med, snapshot_code)
from corpus import fresh, med  # noqa: E402

DEFAULT_DOCS = REPO.parent / "shared" / "real-docs"
DEFAULT_JSON = HERE / "out" / "real_corpus.json"  # benchmarks/out/ is git-ignored, like corpus.py's outputs
TARGETS = {"cold_1_over_bare": 0.8, "speedup_2_vs_1": 1.9, "nothing_new_s": 3.0}  # the open issue's targets
REVIEWS = "data/reviews.csv"  # `budget run`'s default --reviews, relative to the repository it runs in

# (module, function, timer): the pipeline functions the phase task times, each call added to its timer
WRAPPED = [
    ("pipelines.normalize.staging", "read_file", "read"),
    ("pipelines.normalize.staging", "extract_frames", "extract"),
    ("pipelines.run", "staged_sources", "warehouse_load"),
    ("pipelines.checks.record", "record_checks", "checks"),
    ("pipelines.checks.record", "collect_check_rows", "checks_collect"),
    ("pipelines.checks.record", "failed_row_ids", "checks_gx"),
    ("pipelines.checks.record", "learn_rounding", "checks_adjudicate"),
    ("pipelines.checks.record", "store_findings", "checks_adjudicate"),
    ("pipelines.report.html", "write_report", "report_html"),
    ("pipelines.checks.results", "build_data_docs", "report_data_docs"),
]
PHASES = [  # (key, label) in the order of a run
    ("scan_s", "scan (hash, sniff)"),
    ("uptodate_check_s", "up-to-date check"),
    ("reading_s", "reading (PDF → RawDocument)"),
    ("normalizing_s", "normalizing"),
    ("staging_write_s", "staging (writing Parquet)"),
    ("warehouse_s", "warehouse models"),
    ("warehouse_load_s", "  of which loading the staged Parquet"),
    ("checks_s", "checks"),
    ("checks_collect_s", "  collect"),
    ("checks_gx_s", "  GX validation"),
    ("checks_adjudicate_s", "  adjudicate (learn rounding, judge, store)"),
    ("checks_other_s", "  other (previous findings, result models)"),
    ("report_s", "report"),
    ("report_html_s", "  HTML (with evidence crops)"),
    ("report_data_docs_s", "  GX Data Docs"),
    ("summary_s", "summary"),
    ("total_s", "total (imports excluded)"),
    ("imports_s", "imports (before the timers)"),
]


def pdf_files(docs: Path) -> list[Path]:
    return sorted(docs.rglob("*.pdf"))


# ---------------------------------------------------------------------------------------------
# tasks: each runs in its own subprocess (``--task JSON``) and prints one JSON line

def task_bare(docs: str) -> dict:
    from reader import bare

    files = pdf_files(Path(docs))
    t0 = time.perf_counter()
    pages = sum(bare(f) for f in files)
    return {"seconds": time.perf_counter() - t0, "pages": pages, "files": len(files)}


class Timers:
    """Wraps module functions so that each call adds its duration to ``seconds[timer]``."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._undo: list[tuple[object, str, object]] = []

    def wrap(self, module, name: str, timer: str) -> None:
        original = getattr(module, name)

        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[timer] += time.perf_counter() - t0

        setattr(module, name, timed)
        self._undo.append((module, name, original))

    def restore(self) -> None:
        for module, name, original in reversed(self._undo):
            setattr(module, name, original)
        self._undo.clear()


def task_phases(docs: str, warehouse: str, reviews: str) -> dict:
    """A cold 1-worker run as `budget run` does it (pipelines/cli.py), timed phase by phase."""
    t_imports = time.perf_counter()
    import importlib

    import duckdb
    from rich.console import Console

    from pipelines import run
    from pipelines.discover.files import scan_raw_folder
    from pipelines.report.publish import write_reports
    from pipelines.summary import print_summary
    from pipelines.warehouse.sql_models import load_models

    imports_s = time.perf_counter() - t_imports
    raw, wh, reviews_path = Path(docs), Path(warehouse), Path(reviews)
    timers = Timers()
    for module, name, timer in WRAPPED:
        timers.wrap(importlib.import_module(module), name, timer)
    try:
        t0 = time.perf_counter()
        files = scan_raw_folder(raw)
        t1 = time.perf_counter()
        run.nothing_new(files, wh, reviews_path)
        t2 = time.perf_counter()
        staged = run.stage_files(files, wh, 1, on_file=lambda s: None)
        t3 = time.perf_counter()
        load_models()  # the progress bar's count, as in the CLI
        path = run.publish_warehouse(raw, wh, on_model=lambda m, n: None, files=files, reviews=reviews_path)
        t4 = time.perf_counter()
        write_reports(wh, raw_dir=raw)
        t5 = time.perf_counter()
        print_summary(wh, t5 - t0, console=Console(file=io.StringIO()))
        t6 = time.perf_counter()
    finally:
        timers.restore()
    s = timers.seconds
    with duckdb.connect(str(path), read_only=True) as con:
        documents = con.execute("select count(*) from dim_document").fetchone()[0]
    return {
        "scan_s": t1 - t0, "uptodate_check_s": t2 - t1,
        "reading_s": s["read"], "normalizing_s": s["extract"] - s["read"], "staging_write_s": t3 - t2 - s["extract"],
        "warehouse_s": t4 - t3 - s["checks"], "warehouse_load_s": s["warehouse_load"],
        "checks_s": s["checks"], "checks_collect_s": s["checks_collect"], "checks_gx_s": s["checks_gx"],
        "checks_adjudicate_s": s["checks_adjudicate"],
        "checks_other_s": s["checks"] - s["checks_collect"] - s["checks_gx"] - s["checks_adjudicate"],
        "report_s": t5 - t4, "report_html_s": s["report_html"], "report_data_docs_s": s["report_data_docs"],
        "summary_s": t6 - t5, "total_s": t6 - t0, "imports_s": imports_s,
        "files": len(files), "extracted": sum(not f.reused for f in staged),
        "errors": sum(f.error is not None for f in staged), "documents": documents,
        "maxrss_mb": corpus.maxrss_mb(resource.RUSAGE_SELF),
    }


TASKS = {"bare": task_bare, "phases": task_phases}


# ---------------------------------------------------------------------------------------------
# subprocesses

def run_measured(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> dict:
    """Run ``cmd`` to its end: wall seconds, output, and the peak RSS of the largest process of its
    tree (``os.wait4``: the process's own and that of every child it waited for)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr[-4000:]}")
    return {"wall_s": wall, "maxrss_mb": round(usage.ru_maxrss / 1024, 1), "stdout": stdout, "stderr": stderr}


def snapshot_env(code: Path) -> dict:
    """The environment of every subprocess: the code snapshot first on the path (ahead of the
    editable install), the SQL models its own."""
    env = dict(os.environ, PYTHONPATH=str(code) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("BUDGET_SQL_DIR", None)
    return env


def run_task(code: Path, kind: str, **kw) -> dict:
    spec = json.dumps({"kind": kind, **kw})
    done = run_measured([sys.executable, str(code / "benchmarks" / Path(__file__).name), "--task", spec],
                        env=snapshot_env(code), cwd=code)
    result = json.loads(done["stdout"].strip().splitlines()[-1])
    result.update(wall_s=done["wall_s"], process_maxrss_mb=done["maxrss_mb"])
    return result


def budget_run(code: Path, docs: Path, warehouse: Path, workers: int) -> dict:
    """`budget run` as a user types it in the repository (its default --reviews file there)."""
    cmd = [str(Path(sys.executable).parent / "budget"), "run", "--raw", str(docs), "--warehouse", str(warehouse),
           "--workers", str(workers)]
    done = run_measured(cmd, env=snapshot_env(code), cwd=REPO)
    return {"wall_s": done["wall_s"], "maxrss_mb": done["maxrss_mb"],
            # `budget run` says so in Chinese ("…没有新增或改动…"); a snapshot of older code, in English
            "nothing_new": any(words in done["stderr"] for words in ("没有新增或改动", "none new or changed"))}


def snapshot(work: Path) -> Path:
    """``corpus.snapshot_code`` plus this script and reader.py, which the tasks run from there."""
    code = corpus.snapshot_code(work)
    for name in (Path(__file__).name, "reader.py"):
        shutil.copy2(HERE / name, code / "benchmarks" / name)
    return code


# ---------------------------------------------------------------------------------------------
# measurement

def measure(docs: Path, reps: int, work: Path, log=print) -> dict:
    code = snapshot(work)
    wh = {1: work / "wh_w1", 2: work / "wh_w2", "phases": work / "wh_phases"}
    bare, cold, rerun, phases = [], {1: [], 2: []}, {1: [], 2: []}, []
    for r in range(reps):
        order = ["bare", 1, 2, "phases"]
        for what in (order if r % 2 == 0 else order[::-1]):
            if what == "bare":
                bare.append(run_task(code, "bare", docs=str(docs)))
                log(f"  rep {r + 1}: bare pdfplumber {bare[-1]['wall_s']:.1f} s "
                    f"({bare[-1]['files']} files, {bare[-1]['pages']} pages)")
            elif what == "phases":
                phases.append(run_task(code, "phases", docs=str(docs), warehouse=str(fresh(wh["phases"])),
                                       reviews=str(REPO / REVIEWS)))
                log(f"  rep {r + 1}: phases of a cold 1-worker run, {phases[-1]['total_s']:.1f} s "
                    f"(reading {phases[-1]['reading_s']:.1f}, checks {phases[-1]['checks_s']:.1f}, "
                    f"report {phases[-1]['report_s']:.1f})")
            else:
                cold[what].append(budget_run(code, docs, fresh(wh[what]), what))
                rerun[what].append(budget_run(code, docs, wh[what], what))
                log(f"  rep {r + 1}: budget run, {what} worker(s): cold {cold[what][-1]['wall_s']:.1f} s, "
                    f"nothing new {rerun[what][-1]['wall_s']:.2f} s")
    for path in wh.values():
        shutil.rmtree(path, ignore_errors=True)

    bare_s = [b["wall_s"] for b in bare]
    cold_s = {n: [c["wall_s"] for c in cold[n]] for n in cold}
    rerun_s = {n: [c["wall_s"] for c in rerun[n]] for n in rerun}
    ratio = [c / b for c, b in zip(cold_s[1], bare_s)]
    speedup = [a / b for a, b in zip(cold_s[1], cold_s[2])]
    return {
        "docs": str(docs), "reps": reps, "files": bare[0]["files"], "pages": bare[0]["pages"],
        "bare": {"wall_s": bare_s, "inner_s": [b["seconds"] for b in bare], "median_s": med(bare_s),
                 "pages_per_s": bare[0]["pages"] / med(bare_s), "maxrss_mb": [b["process_maxrss_mb"] for b in bare]},
        "cold": {f"workers_{n}": {"wall_s": cold_s[n], "median_s": med(cold_s[n]),
                                  "maxrss_mb": [c["maxrss_mb"] for c in cold[n]],
                                  "maxrss_median_mb": med([c["maxrss_mb"] for c in cold[n]])} for n in cold},
        "nothing_new": {f"workers_{n}": {"wall_s": rerun_s[n], "median_s": med(rerun_s[n]),
                                         "skipped": [c["nothing_new"] for c in rerun[n]]} for n in rerun},
        "cold_1_over_bare": {"pairwise": ratio, "median": med(ratio)},
        "speedup_2_vs_1": {"pairwise": speedup, "median": med(speedup)},
        "phases": {"runs": phases, "median_s": {key: med([p[key] for p in phases]) for key, _ in PHASES},
                   "maxrss_median_mb": med([p["maxrss_mb"] for p in phases]),
                   "files": phases[0]["files"], "extracted": phases[0]["extracted"],
                   "errors": phases[0]["errors"], "documents": phases[0]["documents"]},
    }


def target_rows(m: dict) -> list[dict]:
    """The open issue's targets against the measured medians."""
    nothing_new = m["nothing_new"]["workers_1"]["median_s"]
    return [
        {"figure": "cold run, 1 worker / bare pdfplumber", "target": f"≤ {TARGETS['cold_1_over_bare']} ×",
         "measured": f"{m['cold_1_over_bare']['median']:.2f} × ({m['cold']['workers_1']['median_s']:.1f} s vs "
                     f"{m['bare']['median_s']:.1f} s; pairwise "
                     + ", ".join(f"{x:.2f}" for x in m["cold_1_over_bare"]["pairwise"]) + ")",
         "met": m["cold_1_over_bare"]["median"] <= TARGETS["cold_1_over_bare"]},
        {"figure": "cold run, 2 workers vs 1 (speed-up)", "target": f"≥ {TARGETS['speedup_2_vs_1']} ×",
         "measured": f"{m['speedup_2_vs_1']['median']:.2f} × ({m['cold']['workers_1']['median_s']:.1f} s → "
                     f"{m['cold']['workers_2']['median_s']:.1f} s; pairwise "
                     + ", ".join(f"{x:.2f}" for x in m["speedup_2_vs_1"]["pairwise"]) + ")",
         "met": m["speedup_2_vs_1"]["median"] >= TARGETS["speedup_2_vs_1"]},
        {"figure": "second run, nothing new (1 worker)", "target": f"≤ {TARGETS['nothing_new_s']:g} s",
         "measured": f"{nothing_new:.2f} s (2 workers: {m['nothing_new']['workers_2']['median_s']:.2f} s)",
         "met": nothing_new <= TARGETS["nothing_new_s"]},
    ]


def print_tables(m: dict, rows: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=160)
    console.print(f"{m['files']} PDF files, {m['pages']} pages under {m['docs']}; medians of {m['reps']} rep(s), "
                  f"{os.cpu_count()} cores")
    table = Table(title="Real corpus: budget run against bare pdfplumber")
    for column in ("figure", "target", "measured", "result"):
        table.add_column(column)
    table.add_row("bare pdfplumber (extract_tables + extract_text), 1 process", "-",
                  f"{m['bare']['median_s']:.1f} s ({m['bare']['pages_per_s']:.1f} pages/s)", "-")
    for row in rows:
        table.add_row(row["figure"], row["target"], row["measured"], "[green]met[/]" if row["met"] else "[red]not met[/]")
    for n in (1, 2):
        c = m["cold"][f"workers_{n}"]
        table.add_row(f"peak RSS, cold run, {n} worker(s) (largest process)", "-", f"{c['maxrss_median_mb']:.0f} MB", "-")
    table.add_row("peak RSS, bare pdfplumber", "-", f"{med(m['bare']['maxrss_mb']):.0f} MB", "-")
    console.print(table)

    p = m["phases"]
    phases = Table(title=f"Phases of a cold 1-worker run, in process ({p['files']} files scanned, {p['extracted']} "
                         f"read, {p['errors']} errors, {p['documents']} documents; peak RSS {p['maxrss_median_mb']:.0f} MB)")
    phases.add_column("phase")
    phases.add_column("median s", justify="right")
    phases.add_column("share", justify="right")
    total = p["median_s"]["total_s"]
    for key, label in PHASES:
        value = p["median_s"][key]
        share = f"{value / total * 100:.1f} %" if key not in ("total_s", "imports_s") else ""
        phases.add_row(label, f"{value:.2f}", share)
    console.print(phases)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=Path, default=DEFAULT_DOCS, help=f"folder of PDFs (default {DEFAULT_DOCS})")
    parser.add_argument("--reps", type=int, default=3, help="repetitions (default 3)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"raw timings (default {DEFAULT_JSON})")
    parser.add_argument("--task", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.task:
        spec = json.loads(args.task)
        print(json.dumps(TASKS[spec.pop("kind")](**spec)))
        return 0

    docs = args.docs.resolve()
    if not docs.is_dir() or not pdf_files(docs):
        print(f"no PDF documents at {docs}: pass --docs DIR (a folder holding the budget PDFs, searched "
              f"recursively)", file=sys.stderr)
        return 2
    log = lambda msg: print(msg, flush=True)  # noqa: E731
    log(f"measuring {len(pdf_files(docs))} PDFs under {docs}, {args.reps} rep(s) …")
    with tempfile.TemporaryDirectory(prefix="real_corpus_") as work:
        m = measure(docs, args.reps, Path(work), log)
    rows = target_rows(m)
    print_tables(m, rows)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"measurements": m, "targets": rows, "cpu_count": os.cpu_count(),
                                     "python": sys.version.split()[0]}, indent=1, ensure_ascii=False))
    log(f"raw timings: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
