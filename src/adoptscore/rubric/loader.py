"""Loading rubrics from YAML with line numbers in every error."""
from __future__ import annotations

import difflib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from adoptscore.errors import AdoptscoreError, RubricError
from adoptscore.files import register_input
from adoptscore.rubric.expressions import Column, walk
from adoptscore.rubric.models import Rubric, declared_types, kind_error
from adoptscore.rubric.yamlfile import load_yaml, read_yaml_text

BUNDLED_PACKAGE = "adoptscore.rubrics"


def bundled_rubrics() -> dict[str, Path]:
    """Names and paths of the rubrics shipped with adoptscore."""
    folder = resources.files(BUNDLED_PACKAGE)
    return {Path(str(p)).stem: Path(str(p)) for p in folder.iterdir() if str(p).endswith(".yaml")}


def resolve(name_or_path: str | Path) -> Path:
    """A bundled rubric name (``gitlab``) or a path to a YAML file."""
    text = str(name_or_path)
    bundled = bundled_rubrics()
    if text in bundled:
        return bundled[text]
    path = Path(text)
    if path.exists():
        return path
    if path.suffix in (".yaml", ".yml") or "/" in text:
        raise RubricError(f"rubric file {text} does not exist", hint="check the path")
    raise RubricError(f"unknown rubric {text!r}",
                      hint="use a file path or one of the bundled rubrics: " + ", ".join(sorted(bundled)))


def load_rubric(name_or_path: str | Path, *, lenient: bool = False) -> Rubric:
    """Load and validate a rubric from a bundled name or a YAML path.

    Raises :class:`RubricError` carrying the file, line and column of the first problem, including
    the error-level rules of ``lint``; ``lenient`` skips those (``lint`` lists them all itself).
    """
    path = resolve(name_or_path)
    register_input(path, "rubric")
    return loads_rubric(read_yaml_text(path, "rubric file", RubricError), str(path), lenient=lenient)


def loads_rubric(text: str, filename: str = "<rubric>", *, lenient: bool = False) -> Rubric:
    """Load a rubric from YAML text; ``filename`` is used in error messages (``lenient``: see :func:`load_rubric`)."""
    document = load_yaml(text, filename, "rubric file", RubricError)
    if document is None:
        raise RubricError("the rubric file is empty", file=filename, line=1,
                          hint="start with 'name:', 'version:' and 'use_cases:'")
    if not isinstance(document, dict):
        raise RubricError("a rubric must be a YAML mapping (name:, version:, use_cases: ...)",
                          file=filename, line=1)
    try:
        rubric = Rubric.model_validate(_plain(document))
    except ValidationError as exc:
        raise _located(exc, document, filename) from None
    _check_references(rubric, document, filename)
    if not lenient:
        _check_rules(rubric, document, filename)
    return rubric


def _check_rules(rubric: Rubric, document: CommentedMap, filename: str) -> None:
    """The first error ``lint`` would report (a negative weight...), located at its key."""
    from adoptscore.rubric.lint import rule_errors

    for finding in rule_errors(rubric):
        line, column, _ = _position(document, list(finding.location))
        raise RubricError(finding.message, file=filename, line=line, column=column, hint=finding.hint)


def _check_references(rubric: Rubric, document: CommentedMap, filename: str) -> None:
    """When a rubric declares its input columns, every expression may use only those."""
    spec = rubric.input
    if not spec.columns:
        return
    known = set(spec.columns) | {spec.account_id, spec.period, *spec.segments}
    places: list[tuple[list[Any], Any, str]] = []  # where, expression, the kind it must give
    if spec.scope_expression:
        places.append((["input", "scope"], spec.scope_expression, "boolean"))
    for ui, use_case in enumerate(rubric.use_cases):
        if use_case.applies_expression:
            places.append((["use_cases", ui, "applies_when"], use_case.applies_expression, "boolean"))
        for mi, metric in enumerate(use_case.metrics):
            base: list[Any] = ["use_cases", ui, "metrics", mi]
            places.append(([*base, "numerator"], metric.numerator_expression, "number"))
            if metric.denominator_expression:
                places.append(([*base, "denominator"], metric.denominator_expression, "number"))
            if metric.bands_by and metric.bands_by.by not in known:
                line, column, path = _position(document, [*base, "bands_by", "by"])
                raise RubricError(f"{'.'.join(map(str, path))}: unknown column {metric.bands_by.by!r}",
                                  file=filename, line=line, column=column,
                                  hint="declare it under input.columns or fix the name")
    for loc, expression, _ in places:
        for node in walk(expression.tree):
            if isinstance(node, Column) and node.name not in known:
                line, column, path = _position(document, loc)
                close = difflib.get_close_matches(node.name, sorted(known), n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise RubricError(f"{'.'.join(map(str, path))}: unknown column {node.name!r} in {expression.source!r}",
                                  file=filename, line=line,
                                  column=(column + node.offset) if column is not None else None,
                                  hint=hint + "declare it under input.columns or fix the name")
    # text where a number is needed (or a number where a condition is) fails in the database otherwise
    types = declared_types(_plain(document)) or {}
    for loc, expression, kind in places:
        problem = kind_error(expression.source, expression.tree, types, kind)
        if problem is not None:
            message, hint, offset = problem
            line, column, path = _position(document, loc)
            raise RubricError(f"{'.'.join(map(str, path))}: {message}", file=filename, line=line,
                              column=(column + offset - 1) if column is not None and offset else column, hint=hint)


def locate(path: str | Path, location: tuple[Any, ...]) -> tuple[int | None, int | None]:
    """Line and column of a path (``("use_cases", 0, "metrics")``) inside a rubric file."""
    try:
        document = load_yaml(read_yaml_text(Path(path), "rubric file", RubricError), str(path), "rubric file",
                             RubricError)
    except RubricError:
        return None, None
    line, column, _ = _position(document, list(location))
    return line, column


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _located(exc: ValidationError, document: CommentedMap, filename: str, *,
             error_type: type[AdoptscoreError] = RubricError,
             fields: str = "`adoptscore schema` lists every field") -> AdoptscoreError:
    """The first of pydantic's errors as one located error (``error_type``; ``fields`` says where
    the valid fields are listed, for an unknown one)."""
    errors = exc.errors()
    # an unknown key is usually a misspelt one, which pydantic also reports as a missing field: say the first
    error = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    ctx = error.get("ctx") or {}
    loc = [part for part in error["loc"] if not (isinstance(part, str) and part.startswith(("function-", "constrained-")))]
    loc += list(ctx.get("location") or ())  # a model's own check says where below it the error is
    line, column, path = _position(document, loc)
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = f"unknown field {loc[-1]!r}"
        hint = f"check the spelling; {fields}"
        missing = [e["loc"][-1] for e in errors if e["type"] == "missing" and list(e["loc"][:-1]) == loc[:-1]]
        close = difflib.get_close_matches(str(loc[-1]), [str(m) for m in missing], n=1)
        if close:
            hint = f"did you mean {close[0]!r}?"
    elif error["type"] == "missing":
        message = f"field {loc[-1]!r} is required"
        hint = None
    else:
        if error["type"] in ("literal_error", "enum"):
            message = f"{message}, not {_shown(error.get('input'))}"
        hint = ctx.get("hint")
        if isinstance(ctx.get("column"), int) and column is not None:
            column += ctx["column"] - 1
    where = ".".join(str(p) for p in path)
    if where:
        message = f"{where}: {message}"
    return error_type(message, file=filename, line=line, column=column, hint=hint)


def _shown(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 4] + "...'"


def _position(node: Any, loc: list[Any]) -> tuple[int | None, int | None, list[Any]]:
    """Walk the YAML tree along a pydantic location; return the deepest known line/column."""
    line = column = None
    path: list[Any] = []
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            pos = node.lc.value(part) if not isinstance(node[part], (CommentedMap, CommentedSeq)) else node.lc.key(part)
            line, column = pos[0] + 1, pos[1] + 1
            node = node[part]
            if isinstance(node, CommentedMap) and "id" in node:
                path.append(f"{part}[{node['id']}]")
            else:
                path.append(part)
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            pos = node.lc.item(part)
            line, column = pos[0] + 1, pos[1] + 1
            node = node[part]
            if isinstance(node, CommentedMap) and "id" in node and path:
                path[-1] = f"{path[-1]}[{node['id']}]"
            else:
                path.append(part)
        elif isinstance(node, CommentedMap) and isinstance(part, str):
            # a missing or unknown key: point at the mapping itself
            if part not in node and node.lc.line is not None:
                line, column = node.lc.line + 1, node.lc.col + 1
            path.append(part)
            break
        else:
            break
    return line, column, path
