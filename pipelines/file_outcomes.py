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


# What became of a file, in words (the warehouse keeps the codes).
STATUS_WORDS = {"used": "已读取", "superseded": "已被取代", "duplicate": "重复", "skipped": "已跳过", "refused": "未读取"}


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
        """One tab-separated line, in words: the file, what became of it (已跳过, 未读取, 已被取代, 重复, 已读取), and
        why, by which file, or the document it is (department, year, 预算/决算, 部门/单位, the files merged with it)."""
        if self.status in ("skipped", "refused"):
            return f"{self.file}\t{STATUS_WORDS[self.status]}\t{self.reason}"
        if self.status == "superseded":
            return f"{self.file}\t{STATUS_WORDS[self.status]}\t被较新的修订版“{self.replaced_by}”取代"
        if self.status == "duplicate":
            return f"{self.file}\t{STATUS_WORDS[self.status]}\t与“{self.replaced_by}”内容相同"
        others = [f for f in self.document_files if f != self.file]
        merged = f"\t与{'、'.join(f'“{f}”' for f in others)}合为一份文件" if others else ""
        return (f"{self.file}\t{STATUS_WORDS['used']}\t{self.department or '（未找到部门）'}\t{self.year}\t"
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
