"""A disclosure as read: its identity, the file(s) it came from, and what the reader found."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..read.model import ExtractionIssue, RawDocument
from .files import RawFile
from .identity import Identity


@dataclass
class Document:
    """One disclosure (department + year + kind + scope) as read from a file; files of one
    disclosure are brought together in the warehouse by their common document_id."""

    identity: Identity
    files: list[RawFile]
    raw: RawDocument
    issues: list[ExtractionIssue] = field(default_factory=list)
    part: str = "tables"  # which part of the disclosure the file holds (content.PARTS): a revision replaces its part
    produced: str | None = None  # when the document says it was made (a PDF's ModDate): breaks ties of file times

    @property
    def document_id(self) -> str:
        return self.identity.document_id
