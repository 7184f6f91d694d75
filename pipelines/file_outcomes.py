"""What became of every file of a run: skipped (a note beside the documents) or refused (why), a
document (its identity and the files merged into it), or superseded by / a duplicate of another file. Read from a published warehouse, so the listing
says what the analysts see.

    python -m pipelines.file_outcomes WAREHOUSE_DIR          # one tab-separated line per file
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .warehouse.build import WAREHOUSE_FILE

_QUERY = """
with refused as (
    select source_file, string_agg(reason, ' | ' order by reason) as reason,
        if(bool_and(severity = 'info'), 'skipped', 'refused') as status
    from v_ingest_issue
    where severity in ('error', 'info') and stage in ('discover', 'read')
        and source_file not in (select source_file from stg_files)
    group by source_file
)
select f.source_file, f.status, f.replaced_by, d.department, d.year, d.kind, d.scope, d.source_files, null
from stg_files as f
left join dim_document as d using (document_id)
union all
select source_file, status, null, null, null, null, null, null, reason
from refused
order by 1
"""


@dataclass(frozen=True)
class FileOutcome:
    file: str
    status: str  # used | superseded | duplicate | skipped | refused
    replaced_by: str | None
    department: str | None
    year: int | None
    kind: str | None
    scope: str | None
    document_files: tuple[str, ...]  # every file of its document (used ones), itself included
    reason: str | None  # why it was refused

    @property
    def identity(self) -> tuple:
        return self.department, self.year, self.kind, self.scope

    def line(self) -> str:
        if self.status in ("skipped", "refused"):
            return f"{self.file}\t{self.status}\t{self.reason}"
        if self.status != "used":
            return f"{self.file}\t{self.status}\tby {self.replaced_by}"
        others = [f for f in self.document_files if f != self.file]
        merged = f"\twith {'; '.join(others)}" if others else ""
        return (f"{self.file}\tdocument\t{self.department or '(department not found)'}\t{self.year}\t"
                f"{self.kind}\t{self.scope}{merged}")


def file_outcomes(con: duckdb.DuckDBPyConnection) -> list[FileOutcome]:
    return [FileOutcome(file, status, replaced_by, department, year, kind, scope,
                        tuple(files.split("; ")) if files else (), reason)
            for file, status, replaced_by, department, year, kind, scope, files, reason in con.execute(_QUERY).fetchall()]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    with duckdb.connect(str(Path(argv[0]) / WAREHOUSE_FILE), read_only=True) as con:
        for outcome in file_outcomes(con):
            print(outcome.line())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
