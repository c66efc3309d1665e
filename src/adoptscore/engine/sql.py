"""The SQL a rubric compiles to, per dialect, for running inside a warehouse.

What the SQL guarantees on every dialect (docs/warehouses.md): every division is guarded (a zero
or missing denominator follows the metric's ``zero_denominator``, never the engine's inf, NaN or
error), every fractional literal is a typed DOUBLE (no decimal arithmetic), ``LEAST`` and
``GREATEST`` see no nulls, and the long tables are cut with a CROSS JOIN on a small index table.
"""
from __future__ import annotations

import ibis
import sqlglot

from adoptscore.engine.compile import compile_rubric
from adoptscore.engine.dialects import dialect as dialect_traits
from adoptscore.errors import AdoptscoreError
from adoptscore.rubric.models import Rubric

# Our dialect names -> Ibis compiler names (their traits are in engine/dialects.py).
DIALECTS = {"duckdb": "duckdb", "postgres": "postgres", "spark": "pyspark", "databricks": "databricks",
            "snowflake": "snowflake", "bigquery": "bigquery"}
OUTPUTS = ("metrics", "use_cases", "overall")
TYPES = {"count": "float64", "number": "float64", "text": "string"}


def usage_schema(rubric: Rubric) -> dict[str, str]:
    """The usage table's schema as the rubric declares it (undeclared columns taken as numbers)."""
    spec = rubric.input
    schema = {spec.account_id: "string", spec.period: "string"}
    if rubric.rollup is not None:  # instance and subscription ids are labels, like the account id
        schema.update({c: "string" for c in rubric.rollup.id_columns if c not in spec.columns})
    for name in rubric.referenced_columns:
        if name in schema:
            continue
        declared = spec.columns.get(name)
        schema[name] = TYPES[declared.type] if declared else ("string" if name in spec.segments else "float64")
    return schema


def ensure_compiler_options() -> None:
    """Register the Ibis options the Spark compiler reads when PySpark itself is not installed
    (compiling SQL for Spark does not need Spark). A no-op once registered."""
    if getattr(ibis.options, "pyspark", None) is None:
        from ibis.config import Config

        class SparkOptions(Config):
            treat_nan_as_null: bool = False

        ibis.options.pyspark = SparkOptions()


def source_table(rubric: Rubric, table: str) -> ibis.Table:
    """The usage table as the warehouse holds it: wide, or long and pivoted to wide.

    ``table`` may be qualified (``schema.table``); it is written into the SQL as given.
    """
    spec = rubric.input
    if spec.layout == "long":
        from adoptscore.sources.read import pivot_long

        schema = {spec.account_id: "string", spec.period: "string", spec.name_column: "string",
                  spec.value_column: "float64", **{s: "string" for s in spec.segments}}
        return pivot_long(ibis.table(schema, name=table), rubric)
    return ibis.table(ibis.schema(usage_schema(rubric)), name=table)


def source_sql(rubric: Rubric, dialect: str, relation: str) -> str:
    """The query reading the usage data, with ``relation`` (any SQL text naming a table) as its table."""
    placeholder = "__adoptscore_usage__"
    sql = str(ibis.to_sql(source_table(rubric, placeholder), dialect=DIALECTS[dialect]))
    quoted = [q for q in ('"', "`") if f"{q}{placeholder}{q}" in sql]
    return sql.replace(f"{quoted[0]}{placeholder}{quoted[0]}" if quoted else placeholder, relation)


def compile_sql(rubric: Rubric, dialect: str, *, table: str = "usage", output: str = "overall",
                relation: str | None = None) -> str:
    """SQL for one result table (``metrics``, ``use_cases`` or ``overall``) in ``dialect``.

    The usage data is read from ``table`` (a name, optionally qualified: ``analytics.usage``), or
    from ``relation`` when given: SQL text used as is, such as ``{{ source('product', 'usage') }}``
    in a dbt model.
    """
    if dialect not in DIALECTS:
        raise AdoptscoreError(f"unknown dialect {dialect!r}", hint="use one of " + ", ".join(DIALECTS))
    if output not in OUTPUTS:
        raise AdoptscoreError(f"unknown output {output!r}", hint="use metrics, use_cases or overall")
    ensure_compiler_options()
    if relation is None:
        relation = table_name(table, dialect)
    compiled = compile_rubric(source_table(rubric, "usage").schema(), rubric)
    return compiled.sql(output, DIALECTS[dialect], source_sql=source_sql(rubric, dialect, relation))


def table_name(table: str, dialect: str) -> str:
    """A (possibly qualified) table name, each part quoted for ``dialect``."""
    sqlglot_dialect = dialect_traits(DIALECTS[dialect]).sqlglot
    try:
        return sqlglot.exp.to_table(table, dialect=sqlglot_dialect).sql(dialect=sqlglot_dialect, identify=True)
    except sqlglot.errors.ParseError:
        raise AdoptscoreError(f"invalid table name {table!r}", hint="use name, schema.name or catalog.schema.name") from None
