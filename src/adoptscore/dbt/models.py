"""A rubric as dbt models: one model per result table, a schema.yml with tests, a generic test.

The models hold the same SQL as ``adoptscore sql`` (so they score exactly as adoptscore does, with
every division guarded), reading the usage data from a dbt ``source``, a ``ref`` or any relation.
Written into a dbt project::

    models/<folder>/<prefix>metrics.sql, <prefix>use_cases.sql, <prefix>overall.sql
    models/<folder>/<prefix>schema.yml      columns, descriptions and tests
    macros/<prefix>unique_combination.sql   a generic test: no row repeats a key (no package needed)

Every file is generated before any is written, and each is written atomically.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

from adoptscore.engine.compile import STATUS
from adoptscore.engine.sql import DIALECTS, compile_sql
from adoptscore.errors import AdoptscoreError
from adoptscore.files import write_atomic
from adoptscore.rubric.models import Rubric

OUTPUTS = ("metrics", "use_cases", "overall")
KEYS = {"metrics": ["account_id", "period", "use_case", "metric"],
        "use_cases": ["account_id", "period", "use_case"], "overall": ["account_id", "period"]}
COLORS = ["red", "yellow", "green"]
MATERIALIZATIONS = ("table", "view", "ephemeral")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PLACEHOLDER = "__adoptscore_relation__"

DESCRIPTIONS = {
    "rubric": "name of the rubric that scored the row",
    "rubric_version": "version of the rubric",
    "account_id": "the account (or instance) scored",
    "period": "the period scored",
    "use_case": "use case id",
    "metric": "metric id",
    "numerator": "the metric's numerator",
    "denominator": "the metric's denominator (null for a plain count)",
    "value": "the metric's value (numerator / denominator, capped); null when it has no data",
    "status": "scored, no_data or not_applicable",
    "color": "red, yellow or green; null when not scored",
    "points": "points of the color",
    "reason": "why the row is not scored (null when scored)",
    "score": "weighted mean of the points (use cases) or use-case scores (overall); null when nothing is scored",
    "coverage": "share of the applicable metric weight that has data",
    "metrics_scored": "number of metrics with a color",
    "adopted": "true when the use case is Green",
    "adopted_use_cases": "number of Green use cases that count towards adoption",
    "use_cases_scored": "number of use cases with a score",
}


@dataclass
class DbtModels:
    """The files of a rubric's dbt models, by path relative to the dbt project."""

    rubric: Rubric
    dialect: str
    relation: str
    models: dict[str, str] = field(default_factory=dict)   # model name -> output table
    files: dict[str, str] = field(default_factory=dict)    # relative path -> text


def relation_for(source: str | None = None, ref: str | None = None, relation: str | None = None) -> str:
    """The dbt relation the models read: ``source='product.usage'`` gives ``{{ source('product', 'usage') }}``,
    ``ref='stg_usage'`` gives ``{{ ref('stg_usage') }}``, ``relation`` is used as written."""
    given = [x for x in (source, ref, relation) if x]
    if len(given) != 1:
        raise AdoptscoreError("name exactly one of --source, --ref or --relation for the usage data",
                              hint="e.g. --source product.usage (a dbt source) or --ref stg_usage (a model)")
    if source:
        parts = source.split(".")
        if len(parts) != 2 or not all(_NAME.match(p) for p in parts):
            raise AdoptscoreError(f"invalid dbt source {source!r}", hint="write it as SOURCE_NAME.TABLE_NAME, e.g. product.usage")
        return "{{ source('" + parts[0] + "', '" + parts[1] + "') }}"
    if ref:
        if not all(_NAME.match(p) for p in ref.split(".")) or ref.count(".") > 1:
            raise AdoptscoreError(f"invalid dbt model name {ref!r}", hint="a model name, or PACKAGE.MODEL")
        return "{{ ref(" + ", ".join(f"'{p}'" for p in ref.split(".")) + ") }}"
    return relation  # type: ignore[return-value]


def build_models(rubric: Rubric, dialect: str, relation: str, *, prefix: str = "adoptscore_",
                 folder: str = "adoptscore", materialized: str = "table") -> DbtModels:
    """Generate the models, schema.yml and generic test for ``rubric`` in ``dialect`` (nothing is written)."""
    if dialect not in DIALECTS:
        raise AdoptscoreError(f"unknown dbt adapter/dialect {dialect!r}", hint="use one of " + ", ".join(DIALECTS))
    if prefix and not _NAME.match(prefix):
        raise AdoptscoreError(f"invalid model prefix {prefix!r}", hint="letters, digits and _, e.g. adoptscore_")
    if not all(_NAME.match(part) for part in Path(folder).parts) or Path(folder).is_absolute():
        raise AdoptscoreError(f"invalid models folder {folder!r}", hint="a folder under models/, e.g. adoptscore")
    if materialized not in MATERIALIZATIONS:
        raise AdoptscoreError(f"unknown materialization {materialized!r}", hint="use one of " + ", ".join(MATERIALIZATIONS))
    result = DbtModels(rubric, dialect, relation)
    test_name = f"{prefix}unique_combination"
    header = (f"-- Generated by adoptscore from rubric {rubric.name} {rubric.version} for {dialect}: do not edit.\n"
              f"-- Regenerate with: adoptscore dbt --rubric {rubric.name} --dialect {dialect} (and the same source)\n")
    for output in OUTPUTS:
        sql = compile_sql(rubric, dialect, output=output, relation=_PLACEHOLDER)
        model = f"{prefix}{output}"
        result.models[model] = output
        config = "{{ config(materialized='" + materialized + "') }}\n\n"
        result.files[f"models/{folder}/{model}.sql"] = header + config + _jinja_safe(sql, relation) + "\n"
    result.files[f"models/{folder}/{prefix}schema.yml"] = _schema_yml(rubric, result.models, test_name)
    result.files[f"macros/{test_name}.sql"] = _unique_test(test_name)
    return result


def write_models(models: DbtModels, project: str | Path) -> list[Path]:
    """Write the files into the dbt project at ``project`` (the folder holding dbt_project.yml)."""
    root = Path(project)
    if not (root / "dbt_project.yml").is_file():
        raise AdoptscoreError(f"{root} is not a dbt project (no dbt_project.yml)",
                              hint="pass --project the folder holding dbt_project.yml")
    written = []
    for relative, text in models.files.items():
        path = root / relative
        try:
            write_atomic(path, text)
        except OSError as exc:
            raise AdoptscoreError(f"cannot write {path}: {exc.strerror}") from None
        written.append(path)
    return written


def _jinja_safe(sql: str, relation: str) -> str:
    """The SQL with the relation put in; text that Jinja would read (``{{``, ``{%``, ``{#`` inside a
    rubric's literal texts) is wrapped in raw blocks so dbt passes it through untouched."""
    before, after = sql.split(_PLACEHOLDER, 1)

    def raw(text: str) -> str:
        return "{% raw %}" + text + "{% endraw %}" if re.search(r"\{[{%#]", text) else text

    return raw(before) + relation + raw(after)


def _column(name: str, tests: list | None = None) -> dict:
    column: dict = {"name": name, "description": DESCRIPTIONS.get(name, "")}
    if tests:
        column["data_tests"] = tests
    return column


def _accepted(values: list[str]) -> dict:
    return {"accepted_values": {"arguments": {"values": values}}}


def _schema_yml(rubric: Rubric, models: dict[str, str], test_name: str) -> str:
    use_cases = [u.id for u in rubric.use_cases]
    metrics = sorted({m.id for _, m in rubric.metrics})
    segments = list(rubric.input.segments)
    entries = []
    for model, output in models.items():
        columns = [_column("rubric", ["not_null", _accepted([rubric.name])]),
                   _column("rubric_version", ["not_null", _accepted([str(rubric.version)])]),
                   _column("account_id", ["not_null"]), _column("period", ["not_null"])]
        if output == "metrics":
            columns += [_column("use_case", ["not_null", _accepted(use_cases)]),
                        _column("metric", ["not_null", _accepted(metrics)]),
                        _column("numerator"), _column("denominator"), _column("value"),
                        _column("status", ["not_null", _accepted(list(STATUS))]), _column("color", [_accepted(COLORS)]),
                        _column("points"), _column("reason")]
        elif output == "use_cases":
            columns += [_column("use_case", ["not_null", _accepted(use_cases)]), _column("score"),
                        _column("status", ["not_null", _accepted(list(STATUS))]), _column("color", [_accepted(COLORS)]),
                        _column("coverage"), _column("metrics_scored", ["not_null"]), _column("adopted"),
                        _column("reason")]
        else:
            columns += [{"name": s, "description": f"segment column {s}, carried from the usage data"} for s in segments]
            columns += [_column("score"), _column("status", ["not_null", _accepted(["scored", "no_data"])]),
                        _column("color", [_accepted(COLORS)]), _column("adopted_use_cases", ["not_null"]),
                        _column("use_cases_scored", ["not_null"])]
        title = rubric.title or rubric.name
        entries.append({
            "name": model,
            "description": f"{title}: the {output.replace('_', ' ')} table of rubric {rubric.name} "
                           f"{rubric.version}, one row per {', '.join(KEYS[output])}. Generated by adoptscore.",
            "data_tests": [{test_name: {"arguments": {"columns": KEYS[output]}}}],
            "columns": columns,
        })
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.width = 120
    buffer = io.StringIO()
    buffer.write(f"# Generated by adoptscore from rubric {rubric.name} {rubric.version}: do not edit.\n")
    yaml.dump({"version": 2, "models": entries}, buffer)
    return buffer.getvalue()


def _unique_test(name: str) -> str:
    return (f"-- Generated by adoptscore. A generic test: no two rows share the values of `columns`\n"
            f"-- (a unique key over several columns, without a package).\n"
            f"{{% test {name}(model, columns) %}}\n"
            f"select {{{{ columns | join(', ') }}}}, count(*) as n_rows\n"
            f"from {{{{ model }}}}\n"
            f"group by {{{{ columns | join(', ') }}}}\n"
            f"having count(*) > 1\n"
            f"{{% endtest %}}\n")
