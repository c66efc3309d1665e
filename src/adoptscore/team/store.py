"""The team database: what people write in the scorecard, kept apart from the score history.

Overrides, notes, API tokens and the audit log live in one SQLite file beside the score store
(``scores.team.sqlite``). SQLite because several server workers write it at once: each write is
one short transaction, and the file is never held open by a scoring run. Every write goes
through :class:`TeamStore`, and every change lands in the audit log in the same transaction, so
a change and its record are both there or neither is. The audit log refuses UPDATE and DELETE
(triggers): it is append-only for anyone using the database, this code included.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from adoptscore.errors import AdoptscoreError

COLORS = ("green", "yellow", "red")
TOKEN_PREFIX = "as_"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY, email TEXT NOT NULL, hash TEXT NOT NULL, label TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL, revoked_at TEXT);
CREATE TABLE IF NOT EXISTS overrides (
    id INTEGER PRIMARY KEY, account_id TEXT NOT NULL, use_case TEXT NOT NULL,
    color TEXT NOT NULL CHECK (color IN ('green', 'yellow', 'red')), reason TEXT NOT NULL,
    author TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
    ended_at TEXT, ended_by TEXT);
CREATE INDEX IF NOT EXISTS overrides_account ON overrides (account_id, use_case);
CREATE TABLE IF NOT EXISTS notes (
    id INTEGER PRIMARY KEY, account_id TEXT NOT NULL, use_case TEXT, body TEXT NOT NULL,
    author TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS notes_account ON notes (account_id);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
    object TEXT NOT NULL, before TEXT, after TEXT, reason TEXT);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""

MAX_REASON = 2000
MAX_NOTE = 5000
_CHUNK = 500  # accounts per overrides query


class TeamStoreError(AdoptscoreError):
    """A write the team database refuses (a wrong color, a too-long expiry, a missing reason)."""


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass(frozen=True)
class Override:
    """An owner's color for one use case of one account, beside (never instead of) the computed one."""

    id: int
    account_id: str
    use_case: str
    color: str
    reason: str
    author: str
    created_at: str
    expires_at: str
    ended_at: str | None = None
    ended_by: str | None = None

    def active(self, at: datetime | None = None) -> bool:
        return self.ended_at is None and _moment(self.expires_at) > (at or now())

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "active": self.active()}


@dataclass(frozen=True)
class Note:
    id: int
    account_id: str
    use_case: str | None
    body: str
    author: str
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    object: str
    before: Any
    after: Any
    reason: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class TeamStore:
    """The team database at ``path`` (created on first use).

    ``read_only``: open an existing database for reading only, never creating or changing it
    (a deck or an export run reads the overrides; a missing file is a :class:`TeamStoreError`)."""

    def __init__(self, path: str | Path, *, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        self._local = threading.local()
        if read_only:
            if not self.path.is_file():
                raise TeamStoreError("team database not found", file=str(self.path),
                                     hint="give the team database serve writes (--team-db), or leave the option out")
            try:
                self._read("SELECT value FROM meta WHERE key = 'schema'")
            except sqlite3.DatabaseError as exc:
                raise TeamStoreError(f"cannot read the team database: {exc}", file=str(self.path),
                                     hint="check the path is a team database (the one serve writes)") from None
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # executescript commits by itself; every statement in the schema is IF NOT EXISTS
            self._connection().executescript(_SCHEMA)
            with self.transaction() as con:
                con.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", [str(SCHEMA_VERSION)])
        except sqlite3.DatabaseError as exc:
            raise TeamStoreError(f"cannot use the team database: {exc}", file=str(self.path),
                                 hint="check the path is a team database (or a new file) and writable") from None

    # -- connections ------------------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        # one connection per thread: sqlite3 connections must not be shared between threads
        con = getattr(self._local, "con", None)
        if con is None:
            if self.read_only:
                # mode=ro: SQLite itself refuses any write, so a reader cannot change what serve wrote
                con = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=30,
                                      isolation_level=None)
            else:
                con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
                con.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
                con.execute("PRAGMA foreign_keys=ON")
            self._local.con = con
        return con

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE: two workers' writes queue instead of failing)."""
        con = self._connection()
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    def _read(self, sql: str, params: list[Any] | tuple = (),
              con: sqlite3.Connection | None = None) -> list[sqlite3.Row]:
        """Rows as :class:`sqlite3.Row` (by column name); ``con``: inside that open transaction."""
        con = con or self._connection()
        con.row_factory = sqlite3.Row
        try:
            return con.execute(sql, params).fetchall()
        finally:
            con.row_factory = None

    @staticmethod
    def _audit(con: sqlite3.Connection, actor: str, action: str, obj: str, before: Any, after: Any,
               reason: str | None) -> None:
        con.execute("INSERT INTO audit (at, actor, action, object, before, after, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [_iso(now()), actor, action, obj, None if before is None else json.dumps(before),
                     None if after is None else json.dumps(after), reason])

    # -- the session secret -----------------------------------------------------------------
    def secret(self) -> str:
        """The key signing session cookies, made once and shared by every worker of the server."""
        with self.transaction() as con:
            row = con.execute("SELECT value FROM meta WHERE key = 'session_secret'").fetchone()
            if row:
                return row[0]
            value = secrets.token_urlsafe(48)
            con.execute("INSERT INTO meta VALUES ('session_secret', ?)", [value])
            return value

    # -- API tokens -------------------------------------------------------------------------
    def add_token(self, email: str, label: str | None, actor: str) -> str:
        """A new API token for ``email``: returned once; only its SHA-256 is kept.

        The token is 256 random bits, so one unsalted hash is enough: nobody can guess their way
        back from it (a password would need a slow hash; a random token does not)."""
        token_id = secrets.token_hex(6)
        token = f"{TOKEN_PREFIX}{token_id}_{secrets.token_urlsafe(32)}"
        with self.transaction() as con:
            con.execute("INSERT INTO tokens (id, email, hash, label, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
                        [token_id, email.lower(), _digest(token), label, _iso(now()), actor])
            self._audit(con, actor, "token.add", f"token:{token_id}", None, {"email": email.lower(), "label": label}, None)
        return token

    def revoke_token(self, token_id: str, actor: str) -> bool:
        with self.transaction() as con:
            row = con.execute("SELECT email, label FROM tokens WHERE id = ? AND revoked_at IS NULL", [token_id]).fetchone()
            if row is None:
                return False
            con.execute("UPDATE tokens SET revoked_at = ? WHERE id = ?", [_iso(now()), token_id])
            self._audit(con, actor, "token.revoke", f"token:{token_id}", {"email": row[0], "label": row[1]}, None, None)
        return True

    def tokens(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self._read("SELECT id, email, label, created_at, created_by, revoked_at FROM tokens "
                                            "ORDER BY created_at")]

    def token_email(self, token: str) -> str | None:
        """Whose token this is, or None (unknown, revoked or malformed)."""
        if not token.startswith(TOKEN_PREFIX) or token.count("_") < 2:
            return None
        token_id = token[len(TOKEN_PREFIX):].split("_", 1)[0]
        rows = self._read("SELECT email, hash FROM tokens WHERE id = ? AND revoked_at IS NULL", [token_id])
        if rows and hmac.compare_digest(rows[0]["hash"], _digest(token)):
            return rows[0]["email"]
        return None

    # -- overrides --------------------------------------------------------------------------
    def overrides(self, account_id: str | None = None, *, active_only: bool = True) -> list[Override]:
        sql = "SELECT * FROM overrides"
        params: list[Any] = []
        if account_id is not None:
            sql += " WHERE account_id = ?"
            params.append(account_id)
        found = [Override(**dict(r)) for r in self._read(sql + " ORDER BY created_at, id", params)]
        return [o for o in found if o.active()] if active_only else found

    def active_overrides(self, accounts: Iterable[str] | None = None, *,
                         at: datetime | None = None) -> dict[tuple[str, str], Override]:
        """(account id, use case) -> the override in force at ``at`` (default: now), for ``accounts``
        (default: every account).

        The one reading of "which overrides hold" that every front end uses (portfolio, account
        page, decks, Gainsight export, alerts). In force at a moment: set by then, not ended by
        then, not expired by then; so a past moment gets the overrides that held then, ended ones
        included. An expiry writes nothing: it is this test, made at every read."""
        moment = _iso(at or now())
        sql = ("SELECT * FROM overrides WHERE created_at <= ? AND (ended_at IS NULL OR ended_at > ?) "
               "AND expires_at > ?")
        if accounts is None:
            chunks: list[list[str]] = [[]]
        else:
            wanted = sorted({str(a) for a in accounts})
            # bounded lists of parameters (SQLite caps their number), each a lookup in the account index
            chunks = [wanted[i:i + _CHUNK] for i in range(0, len(wanted), _CHUNK)]
        found: dict[tuple[str, str], Override] = {}
        for chunk in chunks:
            where = f" AND account_id IN ({', '.join('?' * len(chunk))})" if chunk else ""
            for r in self._read(sql + where + " ORDER BY id", [moment, moment, moment, *chunk]):
                found[(r["account_id"], r["use_case"])] = Override(**dict(r))
        return found

    def set_override(self, account_id: str, use_case: str, color: str, reason: str, author: str, *,
                     days: int, max_days: int) -> Override:
        """Override ``use_case``'s color for ``account_id`` for ``days``; the one in force before is ended."""
        color = color.strip().lower()
        if color not in COLORS:
            raise TeamStoreError(f"an override color is green, yellow or red, not {color!r}")
        reason = reason.strip()
        if not reason:
            raise TeamStoreError("an override needs a reason", hint="say why the computed color is wrong for this account")
        if len(reason) > MAX_REASON:
            raise TeamStoreError(f"the reason is longer than {MAX_REASON} characters")
        if not 1 <= days <= max_days:
            raise TeamStoreError(f"an override lasts 1 to {max_days} days, not {days}",
                                 hint=f"days from 1 to {max_days} (the team file's overrides.max_days)")
        start = now()
        with self.transaction() as con:
            before = self._end_active(con, account_id, use_case, author, start)
            cursor = con.execute(
                "INSERT INTO overrides (account_id, use_case, color, reason, author, created_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [account_id, use_case, color, reason, author, _iso(start), _iso(start + timedelta(days=days))])
            [row] = self._read("SELECT * FROM overrides WHERE id = ?", [cursor.lastrowid], con)
            override = Override(**dict(row))
            self._audit(con, author, "override.set", f"override:{account_id}/{use_case}",
                        None if before is None else _override_state(before), _override_state(override), reason)
        return override

    def end_override(self, account_id: str, use_case: str, actor: str, reason: str | None = None) -> Override | None:
        """End the override in force for ``account_id``'s ``use_case`` (None: there was none)."""
        with self.transaction() as con:
            before = self._end_active(con, account_id, use_case, actor, now())
            if before is not None:
                self._audit(con, actor, "override.end", f"override:{account_id}/{use_case}",
                            _override_state(before), None, reason)
        return before

    def _end_active(self, con: sqlite3.Connection, account_id: str, use_case: str, actor: str,
                    at: datetime) -> Override | None:
        rows = self._read("SELECT * FROM overrides WHERE account_id = ? AND use_case = ? AND ended_at IS NULL "
                          "AND expires_at > ? ORDER BY id DESC LIMIT 1", [account_id, use_case, _iso(at)], con)
        if not rows:
            return None
        override = Override(**dict(rows[0]))
        con.execute("UPDATE overrides SET ended_at = ?, ended_by = ? WHERE id = ?", [_iso(at), actor, override.id])
        return override

    # -- notes ------------------------------------------------------------------------------
    def add_note(self, account_id: str, use_case: str | None, body: str, author: str) -> Note:
        body = body.strip()
        if not body:
            raise TeamStoreError("a note needs some text")
        if len(body) > MAX_NOTE:
            raise TeamStoreError(f"a note is at most {MAX_NOTE} characters")
        with self.transaction() as con:
            at = _iso(now())
            cursor = con.execute("INSERT INTO notes (account_id, use_case, body, author, created_at) VALUES (?, ?, ?, ?, ?)",
                                 [account_id, use_case, body, author, at])
            note = Note(cursor.lastrowid, account_id, use_case, body, author, at)
            self._audit(con, author, "note.add", f"note:{account_id}/{use_case or ''}", None, note.to_dict(), None)
        return note

    def notes(self, account_id: str) -> list[Note]:
        return [Note(**dict(r)) for r in self._read("SELECT * FROM notes WHERE account_id = ? ORDER BY created_at DESC, id DESC",
                                                    [account_id])]

    # -- audit ------------------------------------------------------------------------------
    def audit(self, *, object_prefix: str | None = None, limit: int = 1000) -> list[AuditEntry]:
        sql, params = "SELECT * FROM audit", []
        if object_prefix:
            sql += " WHERE object LIKE ? ESCAPE '\\'"
            params.append(object_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        rows = self._read(sql + " ORDER BY id DESC LIMIT ?", [*params, limit])
        return [AuditEntry(r["id"], r["at"], r["actor"], r["action"], r["object"],
                           None if r["before"] is None else json.loads(r["before"]),
                           None if r["after"] is None else json.loads(r["after"]), r["reason"]) for r in rows]

    def close(self) -> None:
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _override_state(o: Override) -> dict[str, Any]:
    return {"color": o.color, "reason": o.reason, "author": o.author, "created_at": o.created_at,
            "expires_at": o.expires_at}
