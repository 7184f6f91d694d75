"""The nightly schedule through Dagster on a raw folder: two consecutive nights, timed.

    python benchmarks/nightly.py --raw DIR --warehouse DIR

Each night evaluates ``nightly_schedule`` against an ephemeral instance and, when it asks for a
run, executes that run (one run over the whole partition range) and then ``warehouse_job``, in
process, as the daemon would launch them. With an unchanged folder the second night is skipped.
Use a corpus from ``benchmarks/corpus.py`` (``<out>/raw/n200``) and a scratch warehouse folder.
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, required=True)
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--nights", type=int, default=2)
    args = parser.parse_args(argv)

    import dagster as dg

    from pipelines.assets.automation import nightly_schedule
    from pipelines.definitions import defs, resources
    from pipelines.resources import BudgetPaths

    defs.resolve_asset_graph()
    paths = BudgetPaths(raw_dir=str(args.raw), warehouse_dir=str(args.warehouse))
    with dg.instance_for_test() as instance:
        for night in range(1, args.nights + 1):
            ctx = dg.build_schedule_context(
                instance=instance, resources={"paths": paths},
                scheduled_execution_time=datetime(2026, 1, night, 2, tzinfo=ZoneInfo("Asia/Shanghai")))
            t0 = time.perf_counter()
            request = nightly_schedule(ctx)
            t1 = time.perf_counter()
            if not isinstance(request, dg.RunRequest):
                print(f"night {night}: schedule {t1 - t0:.2f} s, skipped: {request.skip_message}")
                continue
            extract = defs.resolve_job_def("extract_job").execute_in_process(
                instance=instance, tags=request.tags, resources=resources(paths))
            t2 = time.perf_counter()
            build = defs.resolve_job_def("warehouse_job").execute_in_process(instance=instance, resources=resources(paths))
            t3 = time.perf_counter()
            meta = extract.asset_materializations_for_node("staged_file")[0].metadata
            counts = ", ".join(f"{k} {meta[k].value}" for k in ("files", "extracted", "reused", "errors") if k in meta)
            print(f"night {night}: schedule {t1 - t0:.2f} s, extraction run {t2 - t1:.1f} s ({counts}), "
                  f"warehouse run {t3 - t2:.1f} s, success {extract.success and build.success}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
