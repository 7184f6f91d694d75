"""What the `budget` commands accept from a person, checked once: a document named by its id (or a unique start of
it) or by part of its department's name, a check kind, an existing warehouse. A request that cannot be taken is a
``UsageError``: one line in Chinese, exit status 2, never a traceback."""
from __future__ import annotations

from pathlib import Path

from .wording import CHECK_KIND_NAMES


class UsageError(Exception):
    """A request a command cannot take; its message is the one line the person reads."""


def open_warehouse(warehouse: str | Path):
    """The warehouse, read-only; a UsageError when there is none yet."""
    from .warehouse.build import connect_read_only

    try:
        return connect_read_only(Path(warehouse))
    except FileNotFoundError:
        raise UsageError(f"{Path(warehouse)} 中还没有数据仓库：请先运行 budget run") from None


def check_kind(kind: str | None) -> str | None:
    """A check kind as the views name it, or its Chinese name; a UsageError naming the choices otherwise."""
    if kind is None:
        return None
    if kind in CHECK_KIND_NAMES:
        return kind
    by_name = {name: k for k, name in CHECK_KIND_NAMES.items()}
    if kind in by_name:
        return by_name[kind]
    choices = "、".join(f"{k}（{name}）" for k, name in CHECK_KIND_NAMES.items())
    raise UsageError(f"没有“{kind}”这种检查，可选：{choices}")


def documents_matching(con, text: str | None) -> list[tuple[str, str]]:
    """(document id, how it is named) of the documents ``text`` names: an id or a start of one, or part of a
    department's name; every document when ``text`` is None."""
    rows = con.execute("""
        select document_id, concat_ws(' ', coalesce(department, '（部门未识别）'), year || '年', kind, scope)
        from dim_document
        where ? is null or document_id like ? || '%' or department like '%' || ? || '%'
        order by department, year, document_id""", [text, text, text]).fetchall()
    if text is not None and not rows:
        raise UsageError(f"没有与“{text}”相符的文档（按文档标识开头或部门名称查找）")
    exact = [r for r in rows if r[0] == text]
    return exact or rows


def one_document(con, text: str) -> str:
    """The one document ``text`` names; a UsageError when it names none or several (listing them)."""
    rows = documents_matching(con, text)
    if len(rows) > 1:
        listed = "；".join(f"{name}（{document_id}）" for document_id, name in rows[:8])
        raise UsageError(f"“{text}”对应{len(rows)}个文档，请写得更具体：{listed}" + ("……" if len(rows) > 8 else ""))
    return rows[0][0]
