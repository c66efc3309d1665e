"""``adoptscore team``: the team scorecard's API tokens, audit log and team file, from the shell.

``token add`` / ``token list`` / ``token revoke`` manage the tokens scripts sign in with, ``audit``
reads the append-only audit log, ``check`` reads a team file as ``serve`` would. Every command
finds the team database as ``serve`` does (:func:`adoptscore.team.config.team_database`): ``--team-db``,
else the team file's ``database``, else beside the score store. Register with
``app.add_typer(team_app, name="team")``.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable, Optional

import typer
from rich.markup import escape
from rich.table import Table

from adoptscore.commands._common import _errors, err, out
from adoptscore.errors import AdoptscoreError

team_app = typer.Typer(no_args_is_help=True, help="The team scorecard: API tokens, the audit log, and checking "
                       "a team file (docs/team.md).")
token_app = typer.Typer(no_args_is_help=True, help="API tokens for scripts (Authorization: Bearer ...): shown "
                        "once, stored as their SHA-256.")
team_app.add_typer(token_app, name="token")

TEAM_HELP = "team file (serve --team): its database setting, and the people a token may be for"
TEAM_DB_HELP = "the team database itself (serve --team-db)"
STORE_HELP = "score store serve reads (serve --store): the team database is beside it unless the team file says"
# where the team database is, as serve is told: every command but check takes the three
TEAM_OPTION = typer.Option(None, "--team", "-t", help=TEAM_HELP)
TEAM_DB_OPTION = typer.Option(None, "--team-db", help=TEAM_DB_HELP)
STORE_OPTION = typer.Option("scores.duckdb", "--store", "-s", help=STORE_HELP)


def _database(team: Optional[Path], team_db: Optional[Path], store: str, *, create: bool,
              check: Optional[Callable[[Any], None]] = None, read_only: bool = False) -> Any:
    """The team database serve would use with the same options, as a :class:`TeamStore`, and the
    team file when one is given. An existing database is opened; a new one is made only by
    ``create`` and only where serve would make it too (never beside a store that is not there).
    ``check(team file)`` runs before anything is opened or made: its refusal leaves no file behind.
    ``read_only``: opened so that SQLite itself refuses any change (the listing commands)."""
    from adoptscore.locations import is_warehouse, store_location
    from adoptscore.team.config import load_team, team_database
    from adoptscore.team.store import TeamStore

    location = store_location(store)
    loaded = load_team(team) if team is not None else None
    path = team_database(location, loaded, team_db)
    if not path.exists():
        named = team_db is not None or (loaded is not None and loaded.team.database)
        beside_a_store = is_warehouse(location) or Path(location).exists()
        if not create:
            raise AdoptscoreError(f"no team database at {path}",
                                  hint="name it with --team-db PATH, --team team.yaml or --store S, as for serve")
        if not named and not beside_a_store:
            raise AdoptscoreError(f"no score store at {location}, so no team database beside it ({path})",
                                  hint="give the store serve reads (--store S), the team file (--team "
                                       "team.yaml) or the database (--team-db PATH)")
    if check is not None:
        check(loaded)
    return TeamStore(path, read_only=read_only)


def _actor() -> str:
    """Who the audit log names for a change made from this shell."""
    from adoptscore.team.people import login_name

    return f"cli:{login_name()}"


@token_app.command("add")
def token_add(
    email: str = typer.Argument(..., help="whose token it is: the person's email on the team file"),
    label: Optional[str] = typer.Option(None, "--label", "-l", help="what the token is for, e.g. 'nightly export'"),
    team: Optional[Path] = TEAM_OPTION, team_db: Optional[Path] = TEAM_DB_OPTION, store: str = STORE_OPTION,
) -> None:
    """Make an API token for EMAIL and print it, once, alone on standard output."""
    with _errors():
        email = email.strip().lower()
        if "@" not in email.strip("@"):
            raise AdoptscoreError(f"{email!r} is not an email address", hint="adoptscore team token add ana@example.com")
        def on_the_team(loaded: Any) -> None:
            if loaded is not None and loaded.team.person(email) is None and loaded.team.others != "viewer":
                raise AdoptscoreError(f"{email} is not on the team file {loaded.path}: the server would refuse "
                                      "the token (403)", hint="add the person under people: first, or check the spelling")

        database = _database(team, team_db, store, create=True, check=on_the_team)
        try:
            token = database.add_token(email, label, actor=_actor())
        finally:
            database.close()  # the last connection: SQLite folds its write-ahead log back into the file
    sys.stdout.write(token + "\n")
    sys.stdout.flush()
    err.print(f"token for {escape(email)} stored (as its hash) in {escape(str(database.path))}; it is not shown again",
              highlight=False, soft_wrap=True)


@token_app.command("list")
def token_list(
    team: Optional[Path] = TEAM_OPTION, team_db: Optional[Path] = TEAM_DB_OPTION, store: str = STORE_OPTION,
) -> None:
    """List the API tokens: id, email, label, when made and by whom, when revoked (never the token)."""
    with _errors():
        database = _database(team, team_db, store, create=False, read_only=True)
        tokens = database.tokens()
    table = Table(title=f"API tokens in {escape(str(database.path))}")
    for column in ("id", "email", "label", "created", "by", "revoked"):
        table.add_column(column, overflow="fold")
    for token in tokens:
        table.add_row(token["id"], escape(token["email"]), escape(token["label"] or ""), _when(token["created_at"]),
                      escape(token["created_by"]), _when(token["revoked_at"]))
    out.print(table)


@token_app.command("revoke")
def token_revoke(
    token_id: str = typer.Argument(..., metavar="ID", help="the token's id (team token list)"),
    team: Optional[Path] = TEAM_OPTION, team_db: Optional[Path] = TEAM_DB_OPTION, store: str = STORE_OPTION,
) -> None:
    """Revoke an API token: the server refuses it from the next request on."""
    with _errors():
        database = _database(team, team_db, store, create=False)
        try:
            revoked = database.revoke_token(token_id.strip(), actor=_actor())
        finally:
            database.close()
        if not revoked:
            raise AdoptscoreError(f"no token {token_id!r} in force in {database.path} (unknown or already revoked)",
                                  hint="adoptscore team token list shows the ids")
    out.print(f"revoked token {escape(token_id)}", highlight=False)


@team_app.command("audit")
def audit(
    object_prefix: Optional[str] = typer.Option(None, "--object", help="only objects starting with this, e.g. "
                                                "override:A000123 or token:"),
    limit: int = typer.Option(50, "--limit", "-n", min=1, help="the newest N entries"),
    as_json: bool = typer.Option(False, "--json", help="the entries as JSON on standard output"),
    team: Optional[Path] = TEAM_OPTION, team_db: Optional[Path] = TEAM_DB_OPTION, store: str = STORE_OPTION,
) -> None:
    """Show the audit log (newest first): who changed which override, note or token, when, before, after, why."""
    with _errors():
        database = _database(team, team_db, store, create=False, read_only=True)
        entries = database.audit(object_prefix=object_prefix, limit=limit)
    if as_json:
        sys.stdout.write(json.dumps([e.to_dict() for e in entries], indent=2, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"audit log of {escape(str(database.path))} (newest first)")
    for column in ("at", "actor", "action", "object", "before", "after", "reason"):
        table.add_column(column, overflow="fold")
    for e in entries:
        table.add_row(_when(e.at), escape(e.actor), e.action, escape(e.object), escape(_state(e.before)),
                      escape(_state(e.after)), escape(e.reason or ""))
    out.print(table)


def _when(moment: str | None) -> str:
    """A stored UTC time to the minute, for a table (``--json`` keeps the seconds)."""
    return "" if not moment else moment[:16].replace("T", " ") + "Z"


def _state(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items() if v is not None)
    return str(value)


@team_app.command("check")
def check(team: Path = typer.Argument(..., help="the team file (docs/team.md)")) -> None:
    """Read a team file as serve would and say what it sets: sign-in, people, roles and scopes."""
    from adoptscore.team.config import load_team

    with _errors():
        loaded = load_team(team)
    members = loaded.team
    for line in _sign_in(members):
        out.print(escape(line), highlight=False, soft_wrap=True)
    table = Table(title=f"{len(members.people)} people")
    for column in ("email", "role", "owner value", "scope"):
        table.add_column(column)
    from adoptscore.insights.scope import Scope

    for person in members.people:
        table.add_row(escape(person.email), person.role, escape(person.owner_value if person.role == "owner" else ""),
                      escape(Scope.of(person.scope).describe()))
    out.print(table)
    roles = {role: sum(p.role == role for p in members.people) for role in ("admin", "owner", "viewer")}
    out.print(", ".join(f"{n} {role}(s)" for role, n in roles.items()) +
              f"; anyone else signed in: {'a viewer of everything' if members.others == 'viewer' else 'refused (403)'}",
              highlight=False, soft_wrap=True)
    out.print(f"overrides last {members.overrides.default_days} days unless said, at most {members.overrides.max_days}",
              highlight=False)
    where = str(loaded.database(Path())) if members.database else "<store>.team.sqlite beside the score store"
    out.print(f"team database: {escape(where)}", highlight=False, soft_wrap=True)


def _sign_in(team: Any) -> list[str]:
    """How people sign in under ``team``, one line a way."""
    lines = []
    proxy, oidc = team.sign_in.proxy, team.sign_in.oidc
    if proxy is not None:
        names = f" (name in {proxy.name_header})" if proxy.name_header else ""
        lines.append(f"sign-in: reverse proxy header {proxy.header}{names}, believed from {', '.join(proxy.trusted)}")
    if oidc is not None:
        if oidc.client_secret_env:
            import os

            secret = f"secret from ${oidc.client_secret_env}" + ("" if os.environ.get(oidc.client_secret_env)
                                                                 else " (not set here: serve would not start)")
        else:
            secret = "secret in the file" if oidc.client_secret else "no secret (public client, PKCE)"
        lines.append(f"sign-in: OpenID Connect at {oidc.issuer}, client {oidc.client_id}, {secret}, "
                     f"person = claim {oidc.email_claim!r}")
    if not lines:
        lines.append("sign-in: API tokens only (no proxy, no OpenID Connect)")
    lines.append(f"sessions last {team.sign_in.session_hours:g} hours; API tokens work with every sign-in")
    return lines
