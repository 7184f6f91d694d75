"""Versions of code as hashes of its files: what decides that staged outputs or a built warehouse
are stale after the code that made them changed."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path


def files_hash(paths: Iterable[Path], root: Path) -> str:
    """A short hash of the files' paths (relative to ``root``) and contents, in the order given."""
    digest = hashlib.sha1()
    for path in paths:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
