"""The SQL a rubric compiles to, per dialect, for running inside a warehouse."""
from __future__ import annotations

import ibis

from adoptscore.engine.compile import compile_rubric
from adoptscore.errors import AdoptscoreError
from adoptscore.rubric.models import Rubric

# Our dialect names -> Ibis/SQLGlot dialect names.
DIALECTS = {"duckdb": "duckdb", "postgres": "postgres", "spark": "pyspark", "snowflake": "snowflake",
            "bigquery": "bigquery"}
TYPES = {"count": "float64", "number": "float64", "text": "string"}


def usage_schema(rubric: Rubric) -> dict[str, str]:
    """The usage table's schema as the rubric declares it (undeclared columns taken as numbers)."""
    spec = rubric.input
    schema = {spec.account_id: "string", spec.period: "string"}
    for name in rubric.referenced_columns:
        if name in schema:
            continue
        declared = spec.columns.get(name)
        schema[name] = TYPES[declared.type] if declared else ("string" if name in spec.segments else "float64")
    return schema


def _spark_options() -> None:
    # Ibis registers its pyspark options only when PySpark itself is imported; compiling SQL for
    # Spark needs just this one setting, so register it ourselves when PySpark is not installed.
    if getattr(ibis.options, "pyspark", None) is None:
        from ibis.config import Config

        class SparkOptions(Config):
            treat_nan_as_null: bool = False

        ibis.options.pyspark = SparkOptions()


def _source(rubric: Rubric, table: str) -> ibis.Table:
    """The usage table as the warehouse holds it: wide, or long and pivoted to wide."""
    spec = rubric.input
    if spec.layout == "long":
        from adoptscore.sources.read import pivot_long

        schema = {spec.account_id: "string", spec.period: "string", spec.name_column: "string",
                  spec.value_column: "float64", **{s: "string" for s in spec.segments}}
        return pivot_long(ibis.table(schema, name=table), rubric)
    return ibis.table(ibis.schema(usage_schema(rubric)), name=table)


def compile_sql(rubric: Rubric, dialect: str, *, table: str = "usage", output: str = "overall") -> str:
    """SQL for one result table (``metrics``, ``use_cases`` or ``overall``) in ``dialect``."""
    if dialect not in DIALECTS:
        raise AdoptscoreError(f"unknown dialect {dialect!r}", hint="use one of " + ", ".join(DIALECTS))
    if output not in ("metrics", "use_cases", "overall"):
        raise AdoptscoreError(f"unknown output {output!r}", hint="use metrics, use_cases or overall")
    if dialect == "spark":
        _spark_options()
    if dialect == "spark":
        _spark_options()
    source = _source(rubric, table)
    compiled = compile_rubric(source.schema(), rubric)
    return compiled.sql(output, DIALECTS[dialect], source_sql=str(ibis.to_sql(source, dialect=DIALECTS[dialect])))
