"""Put a row's figures back under their columns when a text extract dropped empty cells.

A text extract prints only the non-empty cells of a row, so a row may show fewer figures than the
table has columns. The figures keep their left-to-right order; the question is which columns are
the empty ones. We answer it by reasoning, never by shifting: every placement of the figures that
keeps their order is tried against the table's row arithmetic (total = sum of parts), and a
placement is accepted only when the evidence singles it out.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations
from math import comb

_MAX_PLACEMENTS = 20_000


def _named(columns) -> str:
    return "、".join(f"“{c}”" for c in columns)


# How a row's figures were placed, in words (the text reader's 读取问题 and table notes quote them).
def _too_many(n: int, m: int) -> str:
    return f"印有{n}个数字，但表只有{m}栏"


def _nothing_adds_up(n: int, m: int, empty: list[str]) -> str:
    return f"{n}个数字放进{m}栏，怎样排列都加不平，暂按{_named(empty)}为空排列"


def _by_arithmetic(empty: list[str]) -> str:
    return f"空栏（{_named(empty)}）由行内加总确定"


def _usually_empty(empty: list[str]) -> str:
    return f"空栏按通常为空的栏处理：{_named(empty)}"


def _several(k: int, empty: list[str]) -> str:
    return f"有{k}种排列都加得平，暂按{_named(empty)}为空排列"


@dataclass(frozen=True)
class Placement:
    cells: list[Decimal | None]  # one per column, None where the cell was empty
    certainty: str  # exact | arithmetic | assumed | unresolved
    note: str = ""


def _ties_out(values: list[Decimal], index: dict[str, int], sums) -> bool:
    for total, parts in sums:
        if total not in index:
            continue
        present = [p for p in parts if p in index]
        if values[index[total]] != sum((values[index[p]] for p in present), Decimal(0)):
            return False
    return True


def place_figures(
    figures: list[Decimal],
    columns: list[str],
    sums: tuple[tuple[str, tuple[str, ...]], ...] = (),
    optional: frozenset[str] = frozenset(),
) -> Placement:
    """Assign ``figures`` (in printed order) to ``columns``.

    certainty: ``exact`` when nothing was missing; ``arithmetic`` when every placement that ties
    out gives each column the same value; ``assumed`` when the tie-breakers chose (empty cells
    taken to be the usually-empty columns, else the rightmost ones); ``unresolved`` when nothing
    ties out (the figures are then placed as the tie-breakers would place them, so the checks can
    report the contradiction) or there are more figures than columns (cells all None then).
    """
    n, m = len(figures), len(columns)
    if n == m:
        return Placement(list(figures), "exact")
    if n > m or comb(m, n) > _MAX_PLACEMENTS:
        return Placement([None] * m, "unresolved", _too_many(n, m))
    index = {c: i for i, c in enumerate(columns)}
    consistent: list[tuple[int, ...]] = []
    for positions in combinations(range(m), n):
        values = [Decimal(0)] * m
        for pos, fig in zip(positions, figures):
            values[pos] = fig
        if _ties_out(values, index, sums):
            consistent.append(positions)
    def cells_for(positions: tuple[int, ...]) -> list[Decimal | None]:
        cells: list[Decimal | None] = [None] * m
        for pos, fig in zip(positions, figures):
            cells[pos] = fig
        return cells

    if not consistent:
        guess = next((p for p in combinations(range(m), n)
                      if {columns[i] for i in range(m) if i not in p} <= optional), tuple(range(n)))
        empty = [columns[i] for i in range(m) if i not in guess]
        return Placement(cells_for(guess), "unresolved", _nothing_adds_up(n, m, empty))

    def as_values(positions):
        return tuple(c if c is not None else Decimal(0) for c in cells_for(positions))

    distinct = {as_values(p) for p in consistent}
    missing_names = lambda p: [columns[i] for i in range(m) if i not in p]  # noqa: E731
    if len(distinct) == 1:
        # Any consistent placement gives the same values; prefer empties among optional columns.
        best = max(consistent, key=lambda p: sum(columns[i] in optional for i in range(m) if i not in p))
        return Placement(cells_for(best), "arithmetic", _by_arithmetic(missing_names(best)))
    optional_only = [p for p in consistent if set(missing_names(p)) <= optional]
    if len({as_values(p) for p in optional_only}) == 1:
        best = optional_only[0]
        return Placement(cells_for(best), "assumed", _usually_empty(missing_names(best)))
    best = min(consistent)  # figures packed to the left: the empty cells are the rightmost ones
    return Placement(cells_for(best), "assumed", _several(len(distinct), missing_names(best)))
