"""Pages per second of the PDF reader, fast and full text layer, against bare pdfplumber, side by side.

    python benchmarks/reader.py [PDF or folder ...] [--rounds 3] [--json out.json]

Default input: the real documents in ../shared/real-docs. Each round times, file by file, bare
pdfplumber (every page: extract_tables() + extract_text()), ``read_pdf`` with the fast text layer
(the default: pages that cannot hold a table read from pdfium) and ``read_pdf`` with the full one
(every page through pdfplumber's layout analysis), in one process. The order of the three turns
from file to file and round to round, so a busy machine's drift hits all three alike. Printed:
the medians over the rounds, the medians of the per-round time ratios, and the share of pages the
fast layer reads from pdfium.
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

from pipelines.read.pdf_reader import fast_pages, read_pdf  # noqa: E402

DEFAULT = REPO.parent / "shared" / "real-docs"
MODES = ("bare", "fast", "full")


def bare(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.extract_text()
            page.close()
        return len(pdf.pages)


def _run(mode: str, path: Path) -> float:
    t0 = time.perf_counter()
    if mode == "bare":
        bare(path)
    else:
        read_pdf(path, text_layer=mode)
    return time.perf_counter() - t0


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
    fast = sum(len(fast_pages(f)) for f in files)
    seconds: dict[str, list[float]] = {mode: [] for mode in MODES}
    for r in range(args.rounds):
        spent = dict.fromkeys(MODES, 0.0)
        for k, f in enumerate(files):
            turn = (r + k) % len(MODES)
            for mode in MODES[turn:] + MODES[:turn]:
                spent[mode] += _run(mode, f)
        for mode in MODES:
            seconds[mode].append(spent[mode])

    def ratio(mode: str) -> float:
        return round(statistics.median(m / b for m, b in zip(seconds[mode], seconds["bare"])), 3)

    result = {
        "files": len(files), "pages": pages, "rounds": args.rounds,
        "bare_pdfplumber_pages_per_s": round(pages / statistics.median(seconds["bare"]), 1),
        "reader_fast_pages_per_s": round(pages / statistics.median(seconds["fast"]), 1),
        "reader_full_pages_per_s": round(pages / statistics.median(seconds["full"]), 1),
        "fast_over_bare_time_ratio_median": ratio("fast"),
        "full_over_bare_time_ratio_median": ratio("full"),
        "fast_layer_pages": fast,
        "fast_layer_page_share": round(fast / pages, 3),
        "seconds": {mode: [round(s, 2) for s in seconds[mode]] for mode in MODES},
    }
    for key, value in result.items():
        print(f"{key:40} {value}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
