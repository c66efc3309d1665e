"""What differs between SQL dialects, as data: the engine looks traits up, it never tests a name.

Keys are Ibis backend (compiler) names, the names :meth:`CompiledRubric.sql` receives.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    """How the compiled plan is written for one SQL dialect.

    ``sqlglot`` names the SQLGlot dialect (identifier quoting, the index tables).
    ``stage_fence`` ends every stage's query: PostgreSQL inlines common table expressions and then
    pulls every subquery up into the one above, substituting each column's expression wherever it
    is used; over a plan of twenty stages that substitution multiplies the expressions until
    planning takes minutes and gigabytes. ``OFFSET 0`` keeps each stage a pipelined subquery
    (nothing is materialised) and the plan as small as the SQL.
    """

    sqlglot: str
    stage_fence: str = ""


DIALECTS: dict[str, Dialect] = {
    "duckdb": Dialect("duckdb"),
    "postgres": Dialect("postgres", stage_fence="OFFSET 0"),
    "pyspark": Dialect("spark"),
    "databricks": Dialect("databricks"),
    "snowflake": Dialect("snowflake"),
    "bigquery": Dialect("bigquery"),
}


def dialect(name: str) -> Dialect:
    """The traits of an Ibis backend's dialect (defaults for one not listed: SQLGlot's dialect of that name)."""
    return DIALECTS.get(name) or Dialect(name)
