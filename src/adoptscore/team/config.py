"""The team file (``team.yaml``): how people sign in to the scorecard, their roles and scopes.

Read like a rubric or a project file: bounded YAML, validated by the models below, every error one
line naming the file, line and column. ``${NAME}`` in a string is the environment variable NAME, so
a client secret stays out of the file. Example::

    sign_in:
      proxy: {header: X-Forwarded-Email, trusted: [127.0.0.1, 10.0.0.0/8]}
      oidc: {issuer: https://login.example.com, client_id: adoptscore, client_secret: "${OIDC_SECRET}"}
    people:
      - {email: root@example.com, role: admin}
      - {email: ana@example.com, role: owner, owner: Ana Lopez}
      - {email: vic@example.com, role: viewer, scope: {segment: [Enterprise]}}
    others: none          # someone signed in but not listed: refused (or: viewer)
    overrides: {default_days: 90, max_days: 180}
"""
from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from adoptscore.errors import AdoptscoreError
from adoptscore.files import register_input
from adoptscore.rubric.yamlfile import load_yaml, read_yaml_text
# one model of the provider's settings, the one install_oidc reads (it imports Authlib only when called)
from adoptscore.web.oidc import OidcSettings

FIELDS = "docs/team.md lists every field"
Role = Literal["viewer", "owner", "admin"]


class TeamError(AdoptscoreError):
    """A team file that cannot be used as written."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProxySignIn(_Section):
    """A reverse proxy that signs people in and passes who they are in a header.

    The header is believed only from ``trusted`` addresses (the proxy's): anyone else could send it."""

    header: str = "X-Forwarded-Email"
    name_header: str | None = None
    trusted: list[str] = Field(min_length=1)

    @field_validator("trusted")
    @classmethod
    def _networks(cls, values: list[str]) -> list[str]:
        for value in values:
            try:
                ipaddress.ip_network(value, strict=False)
            except ValueError:
                raise ValueError(f"{value!r} is not an IP address or network (e.g. 10.0.0.5 or 10.0.0.0/8)") from None
        return values

    def networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [ipaddress.ip_network(v, strict=False) for v in self.trusted]


class SignIn(_Section):
    proxy: ProxySignIn | None = None
    oidc: OidcSettings | None = None
    # how long a browser session lasts before signing in again
    session_hours: float = Field(12, gt=0, le=24 * 30)


class Person(_Section):
    email: str
    role: Role = "viewer"
    name: str | None = None
    # the value of the accounts' owner column that is this person (default: the name, then the email)
    owner: str | None = None
    # the accounts this person may see at all: column -> values (default: every account)
    scope: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip().lower()
        if "@" not in value or value.startswith("@") or value.endswith("@"):
            raise ValueError(f"{value!r} is not an email address")
        return value

    @field_validator("scope", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: [v] if isinstance(v, str) else v for k, v in value.items()}
        return value

    @property
    def owner_value(self) -> str:
        return self.owner or self.name or self.email


class OverridePolicy(_Section):
    default_days: int = Field(90, ge=1)
    max_days: int = Field(365, ge=1)

    @model_validator(mode="after")
    def _order(self) -> "OverridePolicy":
        if self.default_days > self.max_days:
            raise ValueError(f"default_days ({self.default_days}) is longer than max_days ({self.max_days})")
        return self


class Team(_Section):
    """The whole team file."""

    sign_in: SignIn = Field(default_factory=SignIn)
    people: list[Person] = Field(default_factory=list)
    others: Literal["none", "viewer"] = "none"
    overrides: OverridePolicy = Field(default_factory=OverridePolicy)
    # the team database (overrides, notes, audit log, API tokens, reviews); relative to the team file
    database: str | None = None

    @model_validator(mode="after")
    def _unique(self) -> "Team":
        seen: set[str] = set()
        for person in self.people:
            if person.email in seen:
                raise ValueError(f"{person.email} is listed twice")
            seen.add(person.email)
        return self

    def person(self, email: str) -> Person | None:
        email = email.strip().lower()
        return next((p for p in self.people if p.email == email), None)

    @property
    def signs_in(self) -> bool:
        """Whether people sign in at all (a proxy or OIDC); API tokens work either way."""
        return self.sign_in.proxy is not None or self.sign_in.oidc is not None


class LoadedTeam:
    """A team file as read: the models and where it is (to place the database beside it)."""

    def __init__(self, path: Path | None, team: Team):
        self.path, self.team = path, team

    def database(self, store: "Path | str") -> Path:
        """The team database: as the file says, else ``<store>.team.sqlite`` beside the score store."""
        if self.team.database:
            base = self.path.parent if self.path else Path.cwd()
            return (base / self.team.database).resolve()
        return default_database(store)


def team_database(store: "Path | str", team: LoadedTeam | None = None,
                  explicit: "str | os.PathLike | None" = None) -> Path:
    """The team database serve and ``adoptscore team`` use: ``explicit`` (``--team-db``), else the
    team file's ``database``, else :func:`default_database` of the score store."""
    if explicit:
        return Path(explicit)
    return team.database(store) if team else default_database(store)


def default_database(store: "Path | str") -> Path:
    """``<store>.team.sqlite`` beside a store file; for a warehouse store (a URL), which has no
    folder, ``<key>.team.sqlite`` in the user's state folder (:func:`adoptscore.locations.state_home`;
    the key: :func:`~adoptscore.locations.location_key`), the same file from whichever folder
    serve is started."""
    if isinstance(store, Path):
        return store.with_name(store.stem + ".team.sqlite")
    from adoptscore.locations import location_key, state_home

    return state_home() / f"{location_key(store)}.team.sqlite"


def load_team(path: str | os.PathLike) -> LoadedTeam:
    """Read the team file ``path``; a :class:`TeamError` located at the problem when it is wrong."""
    file = Path(path)
    register_input(file, "team file")
    text = read_yaml_text(file, "team file", TeamError, missing_hint="write one (docs/team.md), or check the path")
    document = load_yaml(text, str(file), "team file", TeamError)
    if document is None:
        raise TeamError("the team file is empty", file=str(file), line=1, hint="start with 'people:' (docs/team.md)")
    if not isinstance(document, dict):
        raise TeamError("a team file is a YAML mapping (sign_in:, people: ...)", file=str(file), line=1)
    from adoptscore.project.config import _expand
    from adoptscore.rubric.loader import _located, _plain, _position

    try:
        plain = _expand(_plain(document), document, str(file), [], _position)
    except AdoptscoreError as exc:
        raise TeamError(exc.message, file=exc.file, line=exc.line, column=exc.column, hint=exc.hint) from None
    try:
        team = Team.model_validate(plain)
    except ValidationError as exc:
        raise _located(exc, document, str(file), error_type=TeamError, fields=FIELDS) from None
    return LoadedTeam(file.resolve(), team)
