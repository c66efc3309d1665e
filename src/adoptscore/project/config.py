"""The project file (``adoptscore.yaml``): what the monthly refresh reads, scores, stores and sends.

A project file is hand-written configuration, read like a rubric: bounded YAML, validated by the
models below, every error one line naming the file, line and column. Paths in it are relative to
the file's folder, so a project folder can be moved or checked out anywhere. ``${NAME}`` in a
string is the environment variable NAME (a connection URL's password, a webhook token), so
secrets stay out of the file; an unset variable is an error at its line.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from adoptscore.errors import AdoptscoreError
from adoptscore.files import register_input
from adoptscore.locations import is_warehouse, store_location
from adoptscore.rubric.yamlfile import load_yaml, read_yaml_text
from adoptscore.sources.periods import FORMS, is_period

DEFAULT_NAME = "adoptscore.yaml"
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
FIELDS = "docs/run.md lists every field"


class ProjectError(AdoptscoreError):
    """A project file that cannot be run as written."""


def _wrong(message: str, location: tuple[Any, ...] = (), hint: str | None = None) -> PydanticCustomError:
    """A check's error, located at ``location`` below the section it is in."""
    return PydanticCustomError("adoptscore", message, {"location": location, "hint": hint})


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class SourceSpec(_Section):
    """Where the usage data is: files, a folder, a database file or connection URL (with ``table``),
    or Service Ping payloads (``from: service-ping``)."""

    data: list[str] = Field(min_length=1)
    table: str | None = None
    kind: Literal["usage", "service-ping"] = Field("usage", alias="from")
    mapping: str | None = None
    long: bool = False

    @field_validator("data", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _fits_kind(self) -> "SourceSpec":
        if self.kind == "service-ping" and (self.table or self.long):
            raise _wrong("table and long describe usage tables, not Service Ping payloads", ("table" if self.table else "long",),
                         "drop them, or use from: usage")
        if self.kind == "usage" and self.mapping:
            raise _wrong("mapping applies to Service Ping payloads", ("mapping",), "add from: service-ping, or drop mapping")
        if self.kind == "usage" and len(self.data) > 1:
            raise _wrong("a usage source is one file, folder or URL; several are for Service Ping payloads", ("data",),
                         "put the files in one folder of Parquet files, or add from: service-ping")
        return self


class GainsightSpec(_Section):
    """The period's scorecard measures for Gainsight, as ``adoptscore export gainsight`` writes them."""

    out: str = Field(description="file to write (.csv or .parquet); {period} is replaced by the period")
    company_id: str = "account_id"
    scored_only: bool = False
    comment_length: int = Field(250, ge=1)
    snapshot: Literal["end", "start"] = "end"


class AlertSpec(_Section):
    """The period's color drops, as ``adoptscore export alerts`` makes them: to a file, a webhook or both."""

    webhook: str | None = None
    out: str | None = Field(None, description="file to write (.csv or .json); {period} is replaced by the period")
    headers: dict[str, str] = Field(default_factory=dict)
    use_case: str | None = None
    batch_size: int = Field(100, ge=1)
    timeout: float = Field(10.0, gt=0)
    retries: int = Field(3, ge=0)

    @model_validator(mode="after")
    def _somewhere(self) -> "AlertSpec":
        if self.webhook is None and self.out is None:
            raise _wrong("an alert target needs a webhook, an out file, or both", (), "add webhook: URL or out: FILE")
        if self.headers and self.webhook is None:
            raise _wrong("headers are sent with a webhook", ("headers",), "add webhook: URL, or drop headers")
        return self


class ExportsSpec(_Section):
    gainsight: GainsightSpec | None = None


class ScheduleSpec(_Section):
    """When the refresh should run (a hint for the scheduler; adoptscore itself never waits)."""

    cron: str | None = None
    timezone: str = "UTC"
    note: str | None = None

    @field_validator("cron")
    @classmethod
    def _five_fields(cls, value: str | None) -> str | None:
        if value is not None and len(value.split()) != 5:
            raise _wrong("cron is five fields: minute hour day-of-month month day-of-week", (), "e.g. '0 6 3 * *'")
        return value


class Project(_Section):
    """A parsed project file; paths are still as written (see :meth:`resolved`)."""

    format: Literal[1] = 1
    source: SourceSpec
    rubric: str = "gitlab"
    store: str = "scores.duckdb"
    period: str = Field("latest", description="latest (the newest period in the data), all, or one period")
    attributes: list[str] | None = None
    exports: ExportsSpec = Field(default_factory=ExportsSpec)
    alerts: list[AlertSpec] = Field(default_factory=list)
    schedule: ScheduleSpec | None = None
    state: str | None = Field(None, description="where deliveries are remembered (default: <project>.state.json)")

    @field_validator("period")
    @classmethod
    def _period(cls, value: str) -> str:
        if value not in ("latest", "all") and not is_period(value):
            raise _wrong("period is latest, all, or one period", (), f"write it as {FORMS}, e.g. 2026-10")
        return value

    @field_validator("store")
    @classmethod
    def _store(cls, value: str) -> str:
        if not value.lower().endswith(".duckdb") and not is_warehouse(value):
            raise _wrong("the store is a DuckDB file whose name ends in .duckdb, or a postgres:// URL", (),
                         "e.g. store: scores.duckdb")
        return value


class LoadedProject:
    """A project file read, checked and resolved: paths absolute, variables expanded."""

    def __init__(self, path: Path, project: Project):
        self.path, self.spec = path, project
        self.folder = path.parent
        self.name = path.stem

    def local(self, value: str) -> str:
        """A path as written in the file, relative to the file's folder (URLs as they are)."""
        if "://" in value:
            return value
        candidate = Path(value).expanduser()
        return str(candidate if candidate.is_absolute() else self.folder / candidate)

    @property
    def data(self) -> list[str]:
        return [self.local(d) for d in self.spec.source.data]

    @property
    def rubric(self) -> str:
        """A rubric file next to the project, else the bundled rubric of that name."""
        written = self.spec.rubric
        local = Path(self.local(written))
        return str(local) if local.suffix.lower() in (".yaml", ".yml") or local.exists() else written

    @property
    def store(self) -> "Path | str":
        """A DuckDB file (absolute), or a warehouse URL as written (variables expanded)."""
        return store_location(self.local(self.spec.store))

    @property
    def state(self) -> Path:
        return Path(self.local(self.spec.state)) if self.spec.state else self.folder / f"{self.name}.state.json"

    @property
    def mapping(self) -> Path | None:
        return Path(self.local(self.spec.source.mapping)) if self.spec.source.mapping else None


def load_project(path: str | os.PathLike | None = None) -> LoadedProject:
    """Read the project file ``path`` (default: ``adoptscore.yaml`` in the current folder)."""
    file = Path(path) if path is not None else Path(DEFAULT_NAME)
    if file.is_dir():
        file = file / DEFAULT_NAME
    register_input(file, "project file")
    text = read_yaml_text(file, "project file", ProjectError,
                          missing_hint="write one (docs/run.md), or name it: adoptscore run PATH/adoptscore.yaml")
    document = load_yaml(text, str(file), "project file", ProjectError)
    if document is None:
        raise ProjectError("the project file is empty", file=str(file), line=1,
                           hint="start with 'source:' and 'rubric:' (docs/run.md)")
    if not isinstance(document, dict):
        raise ProjectError("a project file is a YAML mapping (source:, rubric:, store: ...)", file=str(file), line=1)
    from adoptscore.rubric.loader import _located, _plain, _position

    plain = _expand(_plain(document), document, str(file), [], _position)
    try:
        project = Project.model_validate(plain)
    except ValidationError as exc:
        raise _located(exc, document, str(file), error_type=ProjectError, fields=FIELDS) from None
    return LoadedProject(file.resolve(), project)


def _expand(value: Any, document: Any, filename: str, where: list[Any], position: Any) -> Any:
    """``${NAME}`` in every string replaced by the environment variable; an unset one is an error at its line."""
    if isinstance(value, dict):
        return {k: _expand(v, document, filename, [*where, k], position) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, document, filename, [*where, i], position) for i, v in enumerate(value)]
    if not isinstance(value, str):
        return value

    def variable(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            line, column, path = position(document, where)
            raise ProjectError(f"{'.'.join(map(str, path))}: environment variable {name} is not set",
                               file=filename, line=line, column=column,
                               hint=f"export {name}=... before the run, or write the value in the file")
        return os.environ[name]

    return _VARIABLE.sub(variable, value)
