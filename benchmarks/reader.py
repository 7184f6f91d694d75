"""Pages per second of the PDF reader against bare pdfplumber, on the same pages, side by side.

    python benchmarks/reader.py [PDF or folder ...] [--rounds 3] [--json out.json]

Default input: the real documents in ../shared/real-docs. Each round times, per file, bare
pdfplumber (every page: extract_tables() + extract_text()) and then ``read_pdf`` (tables,
continuation pages, headers, narrative lines), alternating, in one process; the medians over the
rounds and their ratio are printed.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import pdfplumber

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipelines.read.pdf_reader import read_pdf  # noqa: E402

DEFAULT = REPO.parent / "shared" / "real-docs"


def bare(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.extract_text()
            page.close()
        return len(pdf.pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path, default=[DEFAULT])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    files = sorted(p for root in args.paths for p in ([root] if root.is_file() else root.rglob("*.pdf")))
    if not files:
        print("no PDFs found", file=sys.stderr)
        return 2
    pages = sum(bare(f) for f in files)  # also warms the file cache
    bare_s, reader_s = [], []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        for f in files:
            bare(f)
        t1 = time.perf_counter()
        for f in files:
            read_pdf(f)
        t2 = time.perf_counter()
        bare_s.append(t1 - t0)
        reader_s.append(t2 - t1)
    ratios = [r / b for r, b in zip(reader_s, bare_s)]
    result = {
        "files": len(files), "pages": pages, "rounds": args.rounds,
        "bare_pdfplumber_pages_per_s": round(pages / statistics.median(bare_s), 1),
        "reader_pages_per_s": round(pages / statistics.median(reader_s), 1),
        "reader_over_bare_time_ratio_median": round(statistics.median(ratios), 3),
    }
    for key, value in result.items():
        print(f"{key:40} {value}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
