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

    @property
    def document_id(self) -> str:
        return self.identity.document_id
