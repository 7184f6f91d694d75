"""Great Expectations in a forked process of its own, for runs with more than one worker.

Importing GX costs ~2 s of CPU. Imported in the run's own process it either waits for the reading to
end (one worker) or takes a core from the readers (two). A process forked when the reading ends imports
it on the core the warehouse build leaves idle (DuckDB loading the staged files and running the models),
then validates the check rows it is sent (``validate``, the same ``validate_kinds`` as in process) and
builds the Data Docs beside the HTML report (``start_data_docs``). Requests are answered one at a time, in
order. The check rows travel pickled (integers); the findings for the Data Docs, up to a million rows, in a
Parquet file DuckDB writes (exact decimals, never floats).
"""
from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Mapping
from pathlib import Path

import pandas as pd


def available() -> bool:
    """Forking is what makes the process cheap (it inherits the imported modules, nothing is pickled but the
    rows): where there is no fork, GX runs in process."""
    return "fork" in multiprocessing.get_all_start_methods()


def _read_rows(path: Path) -> pd.DataFrame:
    """``check_result`` as its Parquet copy holds it: the frame the run's process would have passed."""
    import duckdb

    from ..warehouse.build import query_frame

    with duckdb.connect() as con:
        return query_frame(con, "SELECT * FROM read_parquet(?)", [str(path)])


def _serve(connection) -> None:
    """The child: import GX, then answer requests until told to stop (or the parent is gone). Between
    requests it makes the Data Docs' suites of the kinds it has validated (``results.DataDocs.prepare``)."""
    from . import results, suites

    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    try:
        import great_expectations  # noqa: F401 - the reason this process exists
        broken = None
    except BaseException:  # noqa: BLE001 - answered to every request
        broken = traceback.format_exc()
    site: results.DataDocs | None = None  # the run's Data Docs, once told where they go

    def data_docs_site(out_dir: Path) -> None:
        nonlocal site
        site = results.DataDocs(out_dir)

    def data_docs(rows: Path, out_dir: Path) -> Path:
        nonlocal site
        prepared, site = site, None
        return results.build_data_docs(_read_rows(rows), out_dir, prepared=prepared)  # looked up when called

    operations = {"validate": suites.validate_kinds, "data_docs_site": data_docs_site, "data_docs": data_docs}
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        if request is None:
            return
        operation, args, answered = request
        if broken is not None:
            if answered:
                connection.send((False, broken))
            continue
        try:
            value = operations[operation](*args)
            if answered:
                connection.send((True, value))
        except BaseException:  # noqa: BLE001 - handed to the parent
            if answered:
                connection.send((False, traceback.format_exc()))
            continue
        if operation == "validate" and site is not None:
            try:
                site.prepare(kind for kind, rows in args[0].items() if len(rows))
            except BaseException:  # noqa: BLE001 - the Data Docs are then made from scratch
                site = None


class GxProcess:
    """The forked GX process; ``close`` (or the ``with`` block) stops it."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child,), name="budget-gx", daemon=True)
        self._process.start()
        child.close()
        self._waiting: str | None = None  # what the unanswered request was doing

    def __enter__(self) -> GxProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def validate(self, frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.Series]:
        """``suites.validate_kinds(frames)``, answered by the GX process."""
        self._ask("validating the check rows", "validate", dict(frames))
        return self.answer()

    def data_docs_site(self, out_dir: Path) -> None:
        """Where the run's Data Docs will go: the GX process makes each kind's suite there as soon as it has
        validated the kind's rows, before the findings are final (no answer)."""
        self._connection.send(("data_docs_site", (Path(out_dir),), False))

    def start_data_docs(self, rows: Path, out_dir: Path) -> None:
        """``results.build_data_docs`` of the ``check_result`` rows in the Parquet file ``rows``, started in the
        GX process; ``answer`` waits for it."""
        self._ask("building the GX Data Docs", "data_docs", Path(rows), Path(out_dir))

    def _ask(self, doing: str, operation: str, *args) -> None:
        if self._waiting is not None:
            raise RuntimeError(f"the GX process is still {self._waiting}")
        self._connection.send((operation, args, True))
        self._waiting = doing

    def answer(self):
        """The answer to the request in flight; raises what the GX process raised doing it."""
        doing, self._waiting = self._waiting, None
        if doing is None:
            raise RuntimeError("nothing was asked of the GX process")
        try:
            ok, value = self._connection.recv()
        except EOFError:
            self._process.join()
            raise RuntimeError(f"the GX process ended (exit code {self._process.exitcode}) while {doing}") from None
        if not ok:
            raise RuntimeError(f"{doing} in the GX process failed:\n{value}")
        return value

    def close(self) -> None:
        """Stop the process; one still answering a request (a run that failed) is killed."""
        if self._waiting is None:
            try:
                self._connection.send(None)
            except OSError:
                pass  # it is gone already
            self._process.join(timeout=30)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._connection.close()
