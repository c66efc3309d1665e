"""`adoptscore serve`: the scorecard web app over a score-history store, for one person at this
machine or, with a team file, for a team that signs in."""
from __future__ import annotations

import errno
import ipaddress
import os
import socket
import sys
from pathlib import Path
from typing import Any, Optional

import typer
from rich.markup import escape

from adoptscore.commands._common import _errors, _progress, err, out
from adoptscore.locations import shown, store_location
from adoptscore.errors import AdoptscoreError

# The server process's allocator (see _system_allocator): Python's own small-object allocator
# replaced by the C one, and blocks of 128 KiB or more always mapped on their own, never carved
# from the heap (glibc otherwise raises that threshold to 32 MiB after the first large free).
ALLOCATOR = {"PYTHONMALLOC": "malloc", "MALLOC_MMAP_THRESHOLD_": str(128 * 1024)}

# seconds an idle browser connection stays open (uvicorn's default is 5 s; proxies use ~75 s):
# a page view's follow-up requests reuse it instead of reconnecting
KEEP_ALIVE = 75


def serve_command(
    store: str = typer.Option("scores.duckdb", "--store", "-s", help="score-history DuckDB file (score --store)"),
    rubric: Optional[str] = typer.Option(None, "--rubric", "-r", help="rubric name, when the store holds several"),
    version: Optional[str] = typer.Option(None, "--version", help="rubric version (default: the latest stored)"),
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on"),
    port: int = typer.Option(8000, "--port", help="port to listen on"),
    workers: int = typer.Option(1, "--workers", help="server processes (each loads the scores into memory)"),
    allowed_host: Optional[list[str]] = typer.Option(None, "--allowed-host", help="also answer requests for this "
                                                     "host name (as in the browser's address bar; repeatable; '*' "
                                                     "for any). Answered without it: localhost, 127.0.0.1, ::1 and --host"),
    team: Optional[Path] = typer.Option(None, "--team", "-t", help="team file: how people sign in (proxy header, "
                                        "OpenID Connect), their roles and scopes (docs/team.md)"),
    team_db: Optional[Path] = typer.Option(None, "--team-db", help="team database of overrides, notes and tokens "
                                           "(default: the team file's, else <store>.team.sqlite; for a warehouse URL, "
                                           "~/.local/state/adoptscore/<key>.team.sqlite)"),
    insecure_no_auth: bool = typer.Option(False, "--insecure-no-auth", help="serve an address others can reach "
                                          "with no sign-in: anyone reaching it reads and changes everything"),
    secure_cookies: Optional[bool] = typer.Option(None, "--secure-cookies/--no-secure-cookies", help="send the "
                                                  "session cookie over HTTPS only (default: on unless on loopback)"),
) -> None:
    """Serve the scorecard web app (portfolio, accounts, use cases, alerts, overrides, notes, JSON API)."""
    _system_allocator()
    hosts = [host, *(allowed_host or [])]
    with _errors():
        store = store_location(store)
        _check_options(port, workers)
        loaded_team = None
        if team is not None:
            from adoptscore.team.config import load_team

            loaded_team = load_team(team)
        # the port is taken before the store is loaded: one in use fails at once, not after the
        # load and an "open http://..." line that would lead nowhere
        sock = listen(host, port)
        if not _loopback(sock) and loaded_team is None and not insecure_no_auth:
            sock.close()
            raise AdoptscoreError(f"--host {host} lets other machines reach the scorecard, and no sign-in is set",
                                  hint="give --team FILE (sign-in by proxy header, OpenID Connect or API tokens: "
                                       "docs/team.md), serve on 127.0.0.1, or accept the risk with --insecure-no-auth")
        cookies = (not _loopback(sock)) if secure_cookies is None else secure_cookies
        with _progress() as progress:
            progress.add_task(f"loading {shown(store)}", total=None)
            from adoptscore.web.app import create_app

            application = create_app(store, rubric, version, allowed_hosts=hosts, team=loaded_team,
                                     team_database=team_db, open_to_all=insecure_no_auth, secure_cookies=cookies)
        _describe(application, store)
        if not _loopback(sock) and loaded_team is None:
            err.print(f"[bold yellow]warning:[/] {escape(_exposed(sock, host, port))}", highlight=False, soft_wrap=True)
        out.print(f"open http://{host}:{port}/ (API: http://{host}:{port}/api/docs); Ctrl+C stops", soft_wrap=True)
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    if workers > 1:
        os.environ["ADOPTSCORE_STORE"] = str(store)
        os.environ["ADOPTSCORE_RUBRIC"] = rubric or ""
        os.environ["ADOPTSCORE_VERSION"] = version or ""
        os.environ["ADOPTSCORE_ALLOWED_HOSTS"] = ",".join(hosts)
        os.environ["ADOPTSCORE_TEAM"] = str(team.resolve()) if team else ""
        os.environ["ADOPTSCORE_TEAM_DB"] = str(team_db.resolve()) if team_db else ""
        os.environ["ADOPTSCORE_OPEN_TO_ALL"] = "1" if insecure_no_auth else ""
        os.environ["ADOPTSCORE_SECURE_COOKIES"] = "1" if cookies else ""
        del application  # each worker loads its own
        config = uvicorn.Config("adoptscore.web.app:app_from_environment", factory=True, host=host, port=port,
                                workers=workers, log_level="warning", timeout_keep_alive=KEEP_ALIVE)
        Multiprocess(config, sockets=[sock]).run()
    else:
        config = uvicorn.Config(application, host=host, port=port, log_level="warning", timeout_keep_alive=KEEP_ALIVE)
        del application  # the config holds the app; the frame must not (see _describe)
        uvicorn.Server(config).run(sockets=[sock])


def _check_options(port: int, workers: int) -> None:
    if not 1 <= port <= 65535:
        raise AdoptscoreError(f"--port {port} is not a port number", hint="give a port from 1 to 65535, e.g. --port 8000")
    if workers < 1:
        raise AdoptscoreError(f"--workers {workers}: serve needs at least one server process",
                              hint="--workers 1, or more to answer on more cores")


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` and listening, for the server to take over (so no other
    program can take the port between this check and the server's start)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET  # as uvicorn binds
    sock = socket.socket(family, socket.SOCK_STREAM)
    # as uvicorn: a restart may bind while the last run's connections wait out TIME_WAIT; a port
    # another program listens on is still refused
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise AdoptscoreError(f"port {port} on {host} is already in use by another program",
                                  hint=f"stop that program, or serve on another port: --port {_other_port(port)}") from None
        if exc.errno == errno.EACCES:
            raise AdoptscoreError(f"port {port} on {host} needs administrator rights",
                                  hint="--port 8000, or another port from 1024 up") from None
        reason = exc.strerror or str(exc)
        raise AdoptscoreError(f"cannot listen on {host} port {port}: {reason}",
                              hint="--host 127.0.0.1, or an address of this machine") from None
    return sock


def _loopback(sock: socket.socket) -> bool:
    """Whether ``sock`` is bound to a loopback address only (127.0.0.0/8, ::1): reachable from this
    machine alone. ``0.0.0.0``, ``::`` and a name resolving to another address are not."""
    return ipaddress.ip_address(sock.getsockname()[0]).is_loopback


def _exposed(sock: socket.socket, host: str, port: int) -> str:
    """The warning for a server others can reach."""
    wildcard = ipaddress.ip_address(sock.getsockname()[0]).is_unspecified
    where = f"this machine on port {port} (--host {host} listens on every address)" if wildcard else f"{host} port {port}"
    return (f"--insecure-no-auth: anyone who can reach {where} can read every account's scores and change its "
            "overrides and notes (serve on 127.0.0.1, the default, for this machine only, or sign people in with "
            "--team FILE; a name other than --host needs --allowed-host NAME)")


def _other_port(port: int) -> int:
    return port + 1 if port < 65535 else 8000


def _describe(application: Any, store: Path) -> None:
    """Say what is served. A function of its own so that no local of the command's frame, which
    lives as long as the server, holds the first scorecard: one did, and every store reload then
    kept that first copy of the scores in memory for good."""
    card = application.state.holder.card
    if card.store.note:  # which stored version, when several are stored
        out.print(escape(card.store.note), soft_wrap=True)
    out.print(f"serving {escape(card.rubric.name)} {escape(card.version)} ({len(card.periods)} periods, latest "
              f"{escape(card.latest)}) from {escape(shown(store))}", soft_wrap=True)
    # said at every start: for a warehouse store it is not beside anything the user named
    out.print(f"team database (overrides, notes, tokens, audit log): {escape(str(application.state.team_store.path))}",
              soft_wrap=True)


def _system_allocator() -> None:
    """Run the command again, in the same process, under :data:`ALLOCATOR`, unless it already is
    (a variable of it the user set is kept as set).

    A store reload holds two scorecards for a while (the old one answers while the new one
    warms). Python's allocator keeps a 1 MiB arena as long as one object in it lives, and the new
    card's objects land in the old card's arenas: after every reload the server kept about a third
    of a card it had freed (+15-20% at 12,000 accounts x 12 months). The C allocator gives the
    free pages in the middle of its heap back on ``malloc_trim`` (the holder's settle), so memory
    after a reload is what it was after the first load; the server's CPU time for the same pages
    measured the same. Only for ``adoptscore serve`` run as a command on Linux (glibc), never
    when the command is called inside another program (a test's CliRunner).
    """
    if not sys.platform.startswith("linux") or all(k in os.environ for k in ALLOCATOR):
        return
    if Path(sys.argv[0]).name != "adoptscore" or sys.argv[1:2] != ["serve"]:
        return
    os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], {**ALLOCATOR, **os.environ})  # a value the user set is kept
