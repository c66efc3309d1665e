"""The Service Ping mapping: which payload key paths feed which input column, as data.

A mapping file is YAML. The bundled one (``service-ping.yaml`` next to this module) maps the key
paths of GitLab's Service Ping onto the input columns of the ``gitlab`` and ``gitlab-extended``
rubrics; a user file is merged over it (a column given there replaces the bundled one, a column set
to ``null`` is dropped; ``base: none`` starts from an empty mapping instead).

Every mistake in a mapping file is reported with its file, line and column, like a rubric's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from adoptscore.errors import DataError
from adoptscore.files import register_input
from adoptscore.rubric.yamlfile import load_yaml, read_yaml_text

BUNDLED = "service-ping.yaml"
#: Output columns every ingest produces; a mapping column may not take these names.
RESERVED = ("account_id", "instance_id", "period", "recorded_at", "gitlab_version", "source_file")
COLUMN_TYPES = ("count", "number", "text", "boolean", "date", "timestamp", "months_since")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_SEGMENT = re.compile(r"^[A-Za-z0-9_@$+-]+$")
_CLAUSE = re.compile(r"^\s*(>=|<=|==|>|<)\s*(\d+(?:\.\d+){0,2})\s*$")
_VERSION = re.compile(r"^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?")


# -- versions -------------------------------------------------------------------------------------
def parse_version(text: Any) -> tuple[int, int, int] | None:
    """``'16.10.2-ee'`` -> ``(16, 10, 2)``; None when the text does not start with a version number."""
    if not isinstance(text, str):
        return None
    match = _VERSION.match(text)
    if not match:
        return None
    return tuple(int(part) if part else 0 for part in match.groups())  # type: ignore[return-value]


@dataclass(frozen=True)
class VersionRange:
    """A GitLab version range such as ``>= 13.9 and < 16.10`` (versions compare as numbers: 16.10 > 16.9)."""

    text: str
    clauses: tuple[tuple[str, tuple[int, int, int]], ...]

    @classmethod
    def parse(cls, text: str) -> VersionRange:
        clauses = []
        for part in re.split(r"\s+and\s+", text.strip()):
            match = _CLAUSE.match(part)
            if not match:
                raise ValueError(f"cannot read the version range {text!r}")
            clauses.append((match.group(1), parse_version(match.group(2))))
        return cls(text, tuple(clauses))  # type: ignore[arg-type]

    def contains(self, version: tuple[int, int, int]) -> bool:
        for op, bound in self.clauses:
            if not ((op == ">=" and version >= bound) or (op == ">" and version > bound)
                    or (op == "<=" and version <= bound) or (op == "<" and version < bound)
                    or (op == "==" and version == bound)):
                return False
        return True


# -- the file's models ------------------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _custom(message: str, hint: str | None = None) -> PydanticCustomError:
    return PydanticCustomError("adoptscore", message, {"hint": hint})


def _check_path(value: str) -> str:
    segments = value.split(".")
    if not value or any(not s for s in segments):
        raise _custom(f"key path {value!r} has an empty part", "write it as dotted keys, e.g. counts.projects")
    bad = [s for s in segments if not _SEGMENT.match(s)]
    if bad:
        raise _custom(f"key path {value!r}: {bad[0]!r} is not a key name",
                      "key names hold letters, digits and _; separate them with dots")
    return value


class KeySource(_Strict):
    """One place in a payload a column's value may come from."""

    path: str = Field(description="dotted key path in the payload, e.g. counts_monthly.deployments")
    versions: str | None = Field(None, description="GitLab versions where this key holds the value, e.g. '>= 14.0'")
    values: dict[str, str] | None = Field(None, description="text columns: raw value -> label")

    _p = field_validator("path")(lambda cls, v: _check_path(v))

    @field_validator("versions")
    @classmethod
    def _versions(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                VersionRange.parse(value)
            except ValueError:
                raise _custom(f"cannot read the version range {value!r}",
                              "write e.g. '>= 14.0', '< 16.10' or '>= 13.9 and < 16.10'") from None
        return value


class ColumnSpec(_Strict):
    """An output column and the key paths it is read from (tried in order; the first present one wins)."""

    type: Literal["count", "number", "text", "boolean", "date", "timestamp", "months_since"] = Field(
        "count", description="count: negative numbers are failure codes (missing); months_since: whole "
        "months from the date at the key to the payload's recording time")
    description: str | None = None
    key: str | None = Field(None, description="a single key path (shorthand for keys: [path])")
    keys: list[KeySource] = Field(default_factory=list, description="key paths, tried in order")
    values: dict[str, str] | None = Field(None, description="text columns: raw value -> label, for every key")

    @field_validator("keys", mode="before")
    @classmethod
    def _keys(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"path": v} if isinstance(v, str) else v for v in value]
        return value

    _k = field_validator("key")(lambda cls, v: v if v is None else _check_path(v))

    @model_validator(mode="after")
    def _consistent(self) -> ColumnSpec:
        if self.key is not None and self.keys:
            raise _custom("give either key or keys, not both", "keys: [a.b, c.d] lists several")
        if self.type != "text" and (self.values or any(k.values for k in self.sources)):
            raise _custom(f"values maps raw text to labels; a {self.type} column cannot have them",
                          "remove values, or make the column type: text")
        return self

    @property
    def sources(self) -> list[KeySource]:
        if self.key is not None:
            return [KeySource(path=self.key)]
        return list(self.keys)


class MappingFile(_Strict):
    """A mapping file: the identity key paths and the columns."""

    format: Literal[1] = Field(1, description="mapping format version")
    base: Literal["bundled", "none"] = Field("bundled", description="bundled: merge over the bundled mapping")
    description: str | None = None
    instance: str | None = Field(None, description="key path of the instance id (becomes account_id)")
    recorded_at: str | None = Field(None, description="key path of the recording time (period = its month, UTC)")
    version: str | None = Field(None, description="key path of the GitLab version (version ranges test it)")
    columns: dict[str, ColumnSpec | None] = Field(default_factory=dict)

    _i = field_validator("instance", "recorded_at", "version")(lambda cls, v: v if v is None else _check_path(v))



# -- compiled form (what the readers use; picklable) ----------------------------------------------
@dataclass(frozen=True)
class Source:
    path: tuple[str, ...]
    versions: VersionRange | None
    values: dict[str, str] | None

    @property
    def key_path(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str | None
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Mapping:
    """A validated mapping: identity key paths and output columns, in file order."""

    instance: tuple[str, ...]
    recorded_at: tuple[str, ...]
    version: tuple[str, ...]
    columns: tuple[Column, ...]
    files: tuple[str, ...]

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def bundled_mapping_path() -> Path:
    return Path(str(resources.files("adoptscore.ingest").joinpath(BUNDLED)))


def load_mapping(path: str | Path | None = None) -> Mapping:
    """The bundled mapping, with the user file at ``path`` merged over it (``base: none``: alone).

    Raises :class:`DataError` with the file, line and column of the first problem.
    """
    bundled_path = bundled_mapping_path()
    bundled = _read(bundled_path)
    if path is None:
        return _compile(bundled, None, (str(bundled_path),))
    user = _read(Path(path))
    base = bundled if user.base == "bundled" else None
    files = (str(bundled_path), str(path)) if base is not None else (str(path),)
    return _compile(base, user, files)


def loads_mapping(text: str, filename: str = "<mapping>", *, base: bool = True) -> Mapping:
    """Validate mapping YAML text (merged over the bundled mapping unless ``base`` is false or it says ``base: none``)."""
    user = _parse(text, filename)
    bundled = _read(bundled_mapping_path()) if base and user.base == "bundled" else None
    return _compile(bundled, user, (filename,))


def _read(path: Path) -> MappingFile:
    register_input(path, "mapping file")
    text = read_yaml_text(Path(path), "mapping file", DataError, missing_hint="check the --mapping path")
    return _parse(text, str(path))


def _parse(text: str, filename: str) -> MappingFile:
    document = load_yaml(text, filename, "mapping file", DataError)
    if document is None:
        raise DataError("the mapping file is empty", file=filename, line=1,
                        hint="start with 'columns:' (see docs/service-ping.md)")
    if not isinstance(document, dict):
        raise DataError("a mapping file must be a YAML mapping (columns: ...)", file=filename, line=1)
    try:
        parsed = MappingFile.model_validate(_plain(document))
    except ValidationError as exc:
        raise _located(exc, document, filename) from None
    _check_names(parsed, document, filename)
    return parsed


def _check_names(parsed: MappingFile, document: CommentedMap, filename: str) -> None:
    """Column names: identifiers, and not the columns every ingest produces (located at the name)."""
    columns = document.get("columns")
    for name in parsed.columns:
        problem = hint = None
        if not _NAME.match(name):
            problem, hint = f"column name {name!r}: use lower case letters, digits and _", "e.g. compliance_users_l28d"
        elif name in RESERVED:
            problem = f"column name {name!r} is produced by every ingest"
            hint = "choose another name; reserved: " + ", ".join(RESERVED)
        if problem:
            line, column = columns.lc.key(name) if isinstance(columns, CommentedMap) else (None, None)
            raise DataError(f"columns.{name}: {problem}", file=filename,
                            line=None if line is None else line + 1, column=None if column is None else column + 1,
                            hint=hint)


_EXAMPLES = {"instance": "uuid", "recorded_at": "recorded_at", "version": "version"}


def _compile(base: MappingFile | None, user: MappingFile | None, files: tuple[str, ...]) -> Mapping:
    columns: dict[str, ColumnSpec] = {}
    identity: dict[str, str | None] = {"instance": None, "recorded_at": None, "version": None}
    for layer in (base, user):
        if layer is None:
            continue
        for field in identity:
            if getattr(layer, field) is not None:
                identity[field] = getattr(layer, field)
        for name, spec in layer.columns.items():
            if spec is None:
                columns.pop(name, None)
            else:
                columns[name] = spec
    missing = [f for f, v in identity.items() if v is None]
    if missing:
        raise DataError(f"the mapping does not say where the {missing[0].replace('_', ' ')} is",
                        file=files[-1], line=1,
                        hint=f"add e.g. '{missing[0]}: {_EXAMPLES[missing[0]]}'")
    compiled = []
    for name, spec in columns.items():
        sources = []
        for source in spec.sources:
            values = {**(spec.values or {}), **(source.values or {})} or None
            sources.append(Source(tuple(source.path.split(".")),
                                  VersionRange.parse(source.versions) if source.versions else None, values))
        compiled.append(Column(name, spec.type, spec.description, tuple(sources)))
    return Mapping(tuple(identity["instance"].split(".")), tuple(identity["recorded_at"].split(".")),  # type: ignore[union-attr]
                   tuple(identity["version"].split(".")), tuple(compiled), files)


# -- locating errors in the YAML ------------------------------------------------------------------
def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _located(exc: ValidationError, document: CommentedMap, filename: str) -> DataError:
    # a union (KeySource | str, ColumnSpec | None) reports one error per branch: the first is the useful one
    error = exc.errors()[0]
    loc = [p for p in error["loc"] if not (isinstance(p, str) and (p[:1].isupper() or p in ("str", "none")))]
    line, column, path = _position(document, loc, at_key=error["type"] == "extra_forbidden")
    ctx = error.get("ctx") or {}
    hint = ctx.get("hint")
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = f"unknown field {loc[-1]!r}"
        hint = "check the spelling; a column has type, description, key or keys, values"
    elif error["type"] == "missing":
        message = f"field {loc[-1]!r} is required"
    elif error["type"] == "literal_error":
        message = f"{message}, not {error.get('input')!r}"
        if loc and loc[-1] == "type":
            hint = "use one of " + ", ".join(COLUMN_TYPES)
    where = ".".join(str(p) for p in path)
    return DataError(f"{where}: {message}" if where else message, file=filename, line=line, column=column, hint=hint)


def _position(node: Any, loc: list[Any], *, at_key: bool = False) -> tuple[int | None, int | None, list[Any]]:
    """The deepest line/column (1-based) the YAML tree has along a pydantic location (the last
    part's key rather than its value when ``at_key``: an unknown field)."""
    line = column = None
    path: list[Any] = []
    for index, part in enumerate(loc):
        if isinstance(node, CommentedMap) and part in node:
            child = node[part]
            on_key = isinstance(child, (CommentedMap, CommentedSeq)) or (at_key and index == len(loc) - 1)
            pos = node.lc.key(part) if on_key else node.lc.value(part)
            line, column = pos[0] + 1, pos[1] + 1
            path.append(part)
            node = child
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            pos = node.lc.item(part)
            line, column = pos[0] + 1, pos[1] + 1
            path.append(part)
            node = node[part]
        else:
            if isinstance(node, CommentedMap) and node.lc.line is not None and line is None:
                line, column = node.lc.line + 1, node.lc.col + 1
            path.append(part)
            break
    return line, column, path
