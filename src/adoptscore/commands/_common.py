"""What every command shares: one-line errors, the progress bar, and writing a report three ways."""
from __future__ import annotations

import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from adoptscore.errors import AdoptscoreError
from adoptscore.files import check_kind, claim_output, write_all_atomic

out = Console()
err = Console(stderr=True)
COLOR_STYLE = {"green": "green", "yellow": "yellow", "red": "red"}


def print_error(text: str) -> None:
    """The one line of a refusal on standard error: ``error: ...``."""
    err.print(f"[bold red]error:[/] {escape(text)}", highlight=False, soft_wrap=True)


@contextmanager
def _errors() -> Iterator[None]:
    """Print a user error as one line and exit 2: never a traceback for bad input."""
    try:
        yield
    except AdoptscoreError as exc:
        print_error(exc.format())
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        err.print("interrupted; nothing was written")
        raise typer.Exit(130) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:  # noqa: BLE001 - a bug of ours: one line, the traceback on request
        if os.environ.get("ADOPTSCORE_DEBUG"):
            raise
        first = (str(exc).strip().splitlines() or [""])[0]
        err.print(f"[bold red]internal error:[/] {type(exc).__name__}: {escape(first)} "
                  "(set ADOPTSCORE_DEBUG=1 for the traceback and please report it)", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None


def _progress() -> Progress:
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                    console=err, transient=True, disable=not err.is_terminal)


def _colored(color: object) -> str:
    if not isinstance(color, str):
        return "[dim]-[/]"
    return f"[{COLOR_STYLE[color]}]{color}[/]"


def _fmt(value: object, spec: str = ".2f") -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "[dim]no data[/]"
    try:
        return format(float(value), spec)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)




def reads_store(store: Path | str, out: Path | str | None) -> None:
    """Note, before any output is checked, that the command reads the score store ``store``: an
    ``--out`` that is the store is then told as that ("is the score store this command reads"),
    before any complaint about its name."""
    from adoptscore.files import check_output, register_input
    from adoptscore.store.history import ROLE

    from adoptscore.locations import is_warehouse

    if not is_warehouse(store):
        register_input(store, ROLE)
    if out is not None:
        check_output(out, "--out")


def claim_reports(json_path: Path | None, html_path: Path | None) -> None:
    """State a lifecycle command's report files before its work: neither may be one of its inputs."""
    for role, path in (("--json", json_path), ("--html", html_path)):
        if path is not None:
            claim_output(path, role)


def emit(result: Any, *, json_path: Path | None = None, html_path: Path | None = None,
         quiet: bool = False, also: tuple[Path, str, str] | None = None) -> None:
    """Show a lifecycle result in the terminal and write it as JSON and/or HTML.

    ``result`` has ``report()`` (a :class:`~adoptscore.report.document.Report`) and ``to_dict()``
    (JSON-ready). Everything is rendered, then every file is written (with ``also``, one more
    ``(path, text, role)``, e.g. calibrate's new rubric) all or none, before anything is shown: a
    failure writes nothing and prints nothing but its error.
    ``json_path`` ``-`` prints the JSON on standard output instead of the terminal report.
    """
    # A report named as another kind of file (--json report.csv) is refused here, not when it is
    # claimed: a name that is also an input is first told as that (the guard's message says more).
    for role, path, suffixes, kind in (("--json", json_path, (".json",), "a JSON report"),
                                       ("--html", html_path, (".html", ".htm"), "an HTML report")):
        if path is not None:
            check_kind(path, role, suffixes, kind)
    # Renderers are imported only when used: the HTML one brings matplotlib (over a second).
    report = result.report() if html_path is not None or not (quiet or str(json_path) == "-") else None
    json_text = json.dumps(result.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) if json_path else None
    html_text = None
    if html_path is not None:
        from adoptscore.report.html import render_html

        html_text = render_html(report)
    files = [(path, text, role) for path, text, role in ((json_path, json_text, "--json"), (html_path, html_text, "--html"))
             if path is not None and str(path) != "-"]
    write_all_atomic([*files, *([also] if also else [])])
    if json_path is not None and str(json_path) == "-":
        out.file.write(json_text + "\n")
    elif not quiet:
        from adoptscore.report.terminal import render_terminal

        render_terminal(report, out)
    if not quiet:
        for label, path in (("json", json_path), ("html", html_path)):
            if path is not None and str(path) != "-":
                err.print(f"{label} report written to {escape(str(path))}")
