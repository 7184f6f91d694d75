"""From raw files to disclosures: read each file, identify it, merge the files of one disclosure."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..read import read_file
from ..read.model import ExtractionIssue, RawDocument, SourceRef
from .files import RawFile, scan_raw_folder
from .identity import Identity, identify


@dataclass
class Document:
    """One disclosure (department + year + kind + scope), read from one or more files."""

    identity: Identity
    files: list[RawFile]
    raw: RawDocument
    issues: list[ExtractionIssue] = field(default_factory=list)

    @property
    def document_id(self) -> str:
        return self.identity.document_id


def read_raw_folder(
    raw_dir: Path, on_file: Callable[[RawFile], None] | None = None,
) -> tuple[list[Document], list[tuple[RawFile, ExtractionIssue]]]:
    """Every readable disclosure in ``raw_dir``, and the files that could not be read (with why).

    A file that fails never stops the others.
    """
    documents: dict[str, Document] = {}
    failures: list[tuple[RawFile, ExtractionIssue]] = []
    for raw_file in scan_raw_folder(raw_dir):
        if on_file:
            on_file(raw_file)
        try:
            raw = read_file(raw_file.path, raw_file.format, raw_file.name)
        except Exception as exc:  # one bad file must not stop the run: record it and go on
            failures.append((raw_file, ExtractionIssue("error", "read", str(exc) or type(exc).__name__,
                                                       SourceRef(raw_file.name))))
            continue
        identity = identify(raw)
        issues = list(raw.issues)
        if identity.department is None or identity.year is None:
            identity = Identity(identity.department or raw_file.name, identity.year, identity.kind, identity.scope)
            issues.append(ExtractionIssue(
                "warning", "discover",
                "department or year not found in the document; identified by file name", SourceRef(raw_file.name)))
        doc = documents.get(identity.document_id)
        if doc is None:
            documents[identity.document_id] = Document(identity, [raw_file], raw, issues)
        else:
            _merge(doc, raw_file, raw, issues)
    return sorted(documents.values(), key=lambda d: d.document_id), failures


def _merge(doc: Document, raw_file: RawFile, raw: RawDocument, issues: list[ExtractionIssue]) -> None:
    """A second file of the same disclosure (e.g. the tables PDF beside the narrative PDF)."""
    doc.files.append(raw_file)
    doc.raw.source_files.extend(raw.source_files)
    kinds = {t.table_kind for t in doc.raw.tables}
    for table in raw.tables:
        if table.table_kind in kinds:
            issues.append(ExtractionIssue(
                "warning", "discover",
                f"{table.title} appears in two files of one disclosure; kept the first", table.ref))
        else:
            doc.raw.tables.append(table)
    doc.raw.text_lines.extend(raw.text_lines)
    doc.issues.extend(issues)
