"""Great Expectations in a forked process of its own, for runs with more than one worker.

Importing GX costs ~2 s of CPU. Imported in the run's own process it either waits for the reading to
end (one worker) or takes a core from the readers (two). A process forked when the reading ends imports
it on the core the warehouse build leaves idle (DuckDB loading the staged files and running the models),
then validates the check rows it is sent (``validate``, the same ``validate_kinds`` as in process: the
run reads on until it needs the verdicts), makes each validated kind's Data Docs suite while the run
judges the findings, and builds the Data Docs beside the HTML report (``start_data_docs``). Requests are
answered one at a time, in order. The check rows travel pickled (integers); the findings for the Data
Docs, up to a million rows, in a Parquet file DuckDB writes (their exact text, never floats).
"""
from __future__ import annotations

import multiprocessing
import os
import threading
import traceback
from collections.abc import Callable, Mapping
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
        self._sending: threading.Thread | None = None
        self._send_error: BaseException | None = None

    def __enter__(self) -> GxProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def validate(self, frames: Mapping[str, pd.DataFrame]) -> Callable[[], dict[str, pd.Series]]:
        """``suites.validate_kinds(frames)`` started in the GX process (a ``suites.Validate``); returns how to
        wait for its answer."""
        self._ask("validating the check rows", "validate", dict(frames))
        return self.answer

    def data_docs_site(self, out_dir: Path) -> None:
        """Where the run's Data Docs will go: the GX process makes each kind's suite there as soon as it has
        validated the kind's rows, before the findings are final (no answer)."""
        self._send(("data_docs_site", (Path(out_dir),), False))

    def start_data_docs(self, rows: Path, out_dir: Path) -> None:
        """``results.build_data_docs`` of the ``check_result`` rows in the Parquet file ``rows``, started in the
        GX process; ``answer`` waits for it."""
        self._ask("building the GX Data Docs", "data_docs", Path(rows), Path(out_dir))

    def _ask(self, doing: str, operation: str, *args) -> None:
        if self._waiting is not None:
            raise RuntimeError(f"the GX process is still {self._waiting}")
        self._send((operation, args, True))
        self._waiting = doing

    def _send(self, message) -> None:
        """Send from a thread: a message larger than the pipe holds would otherwise wait here until the GX
        process reads it, which is after its import of GX. Messages keep their order."""
        self._sent()

        def send() -> None:
            try:
                self._connection.send(message)
            except BaseException as error:  # noqa: BLE001 - raised by _sent
                self._send_error = error

        self._sending = threading.Thread(target=send, name="budget-gx-send", daemon=True)
        self._sending.start()

    def _sent(self) -> None:
        """Wait for the message being sent; raises if it could not be."""
        if self._sending is not None:
            self._sending.join()
            self._sending = None
        error, self._send_error = self._send_error, None
        if error is not None:
            raise RuntimeError(f"the GX process could not be sent a request: {error!r}") from error

    def answer(self):
        """The answer to the request in flight; raises what the GX process raised doing it."""
        doing, self._waiting = self._waiting, None
        if doing is None:
            raise RuntimeError("nothing was asked of the GX process")
        try:
            self._sent()
            ok, value = self._connection.recv()
        except (EOFError, RuntimeError):
            self._process.join()
            raise RuntimeError(f"the GX process ended (exit code {self._process.exitcode}) while {doing}") from None
        if not ok:
            raise RuntimeError(f"{doing} in the GX process failed:\n{value}")
        return value

    def close(self) -> None:
        """Stop the process; one still answering a request (a run that failed) is killed."""
        if self._waiting is None:
            try:
                self._sent()
                self._connection.send(None)
            except (OSError, RuntimeError):
                pass  # it is gone already
            self._process.join(timeout=30)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        if self._sending is not None:
            self._sending.join()  # the pipe's other end is gone: the send has failed or ended
        self._connection.close()
