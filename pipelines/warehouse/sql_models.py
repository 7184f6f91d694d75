"""SQL models: one .sql file, one model, one Dagster asset.

A model's upstream models are the tables its SQL reads, found with sqlglot, never listed by hand.
Files under ``marts/`` whose name starts with ``v_`` become views, the rest tables. Documentation
lives in the file as header comments, and becomes ``COMMENT ON`` in the warehouse:

    -- @table 预算明细事实表 / Budget line facts: one row per published figure.
    -- @column amount 金额（元）/ Amount in yuan.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from graphlib import TopologicalSorter
from pathlib import Path

import sqlglot
from sqlglot import exp

SQL_DIR = Path(os.environ.get("BUDGET_SQL_DIR", Path(__file__).resolve().parents[2] / "dbt_like_sql"))
LAYERS = ("staging", "marts", "checks")

_TABLE_DOC = re.compile(r"^--\s*@table\s+(.+)$", re.M)
_COLUMN_DOC = re.compile(r"^--\s*@column\s+(\w+)\s+(.+)$", re.M)


@dataclass(frozen=True)
class SqlModel:
    name: str
    layer: str
    path: Path
    sql: str
    reads: frozenset[str]
    description: str = ""
    column_docs: dict[str, str] = field(default_factory=dict, hash=False)

    @property
    def materialization(self) -> str:
        return "view" if self.name.startswith("v_") or self.layer == "staging" else "table"


def tables_read(sql: str) -> frozenset[str]:
    """Names of the tables a query (or the statements of a file) reads, CTE names excluded."""
    names: set[str] = set()
    for tree in sqlglot.parse(sql, read="duckdb"):
        if tree is None:
            continue
        if isinstance(tree, exp.Create) and tree.args.get("kind") in ("MACRO", "FUNCTION"):
            tree = tree.expression  # a macro reads what its body reads; its own name is no table
            if tree is None:
                continue
        ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
        names |= {t.name for t in tree.find_all(exp.Table) if t.name and t.name not in ctes}
    return frozenset(names)


@cache
def load_models(sql_dir: Path = SQL_DIR, layers: tuple[str, ...] = ("staging", "marts")) -> tuple[SqlModel, ...]:
    """Every model of the given layers, in an order where each comes after what it reads."""
    models: dict[str, SqlModel] = {}
    for layer in layers:
        for path in sorted((sql_dir / layer).glob("*.sql")):
            sql = path.read_text(encoding="utf-8")
            doc = _TABLE_DOC.search(sql)
            models[path.stem] = SqlModel(
                name=path.stem, layer=layer, path=path, sql=sql, reads=tables_read(sql),
                description=doc.group(1).strip() if doc else "",
                column_docs={m.group(1): m.group(2).strip() for m in _COLUMN_DOC.finditer(sql)},
            )
    order = TopologicalSorter({name: m.reads & models.keys() for name, m in models.items()}).static_order()
    return tuple(models[name] for name in order)
