"""Usage errors as one line: a mistyped option is told like any other bad input.

Typer prints a usage error (an unknown option, a value of the wrong type, a missing argument) as
a usage line, a help hint and a boxed message: five lines in which the one that matters is in a
box. :class:`OneLineUsageGroup`, the class of the top-level app, prints it as one ``error:`` line
naming the option and where to look (exit 2), like every other refusal. It also refuses an empty
value (``--out ""``, ``score ""``) before the command runs: an empty path reads as the current
folder, so ``score ""`` would score whatever Parquet files lie here.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

import typer
from typer._click.exceptions import NoArgsIsHelpError, UsageError
from typer.core import TyperGroup

# options whose empty value means something (dbt models without a name prefix)
EMPTY_ALLOWED = frozenset({"--prefix"})


class OneLineUsageGroup(TyperGroup):
    """The top-level command group: usage errors of every command below it are one line, exit 2."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        with _one_line():
            return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        with _one_line():
            tokens = [*ctx._protected_args, *ctx.args]
            command, names, rest = _leaf(self, tokens)
            empty = empty_value(command, rest) if command is not None else None
            if empty is not None:
                shown = " ".join([ctx.command_path, *names])
                _refuse(f"{empty} is empty (fix: give it a value, or leave it out; see {shown} --help)")
            return super().invoke(ctx)


@contextmanager
def _one_line() -> Iterator[None]:
    try:
        yield
    except NoArgsIsHelpError:
        raise  # a bare command prints its help
    except UsageError as exc:
        _refuse(usage_message(exc))


def _refuse(text: str) -> None:
    from adoptscore.commands._common import print_error

    print_error(text)
    raise typer.Exit(2) from None


def usage_message(exc: UsageError) -> str:
    """One line: Typer's message (without its validator's prefixes) and where the options are told."""
    text = " ".join(exc.format_message().split())
    for prefix in ("Value error, ", "Assertion failed, "):
        text = text.replace(prefix, "")
    ctx = getattr(exc, "ctx", None)
    where = f"{ctx.command_path} --help" if ctx is not None else "adoptscore --help"
    return f"{text} (fix: see {where})"


def _leaf(group: TyperGroup, tokens: list[str]) -> tuple[Any, list[str], list[str]]:
    """The command ``tokens`` run (through nested groups), its names and the tokens it parses."""
    command: Any = group
    names: list[str] = []
    while tokens and hasattr(command, "commands"):
        found = command.commands.get(tokens[0])
        if found is None:
            return None, names, tokens  # an unknown command: the group itself says so
        command, names, tokens = found, [*names, tokens[0]], tokens[1:]
    return (None if hasattr(command, "commands") else command), names, tokens


def empty_value(command: Any, tokens: list[str]) -> str | None:
    """The option (``--out``) or argument (``DATA``) that ``tokens`` give an empty value, if any."""
    takes_value = {name for p in command.params if p.param_type_name == "option" and not p.is_flag and not p.count
                   for name in (*p.opts, *p.secondary_opts)}
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    expect = None
    for token in tokens:
        if expect is not None:
            if token == "" and expect not in EMPTY_ALLOWED:
                return expect
            expect = None
            continue
        if token == "--":
            break
        if token == "":
            return arguments[0].name.upper() if len(arguments) == 1 else "an argument"
        name, equals, value = token.partition("=")
        if token.startswith("--") and equals:
            if value == "" and name in takes_value and name not in EMPTY_ALLOWED:
                return name
        elif token in takes_value:
            expect = token
    return None
