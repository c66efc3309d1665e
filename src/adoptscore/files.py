"""The one path every output goes through: never over an input, never half-written.

A command run (one CLI invocation) opens an :func:`io_session`. Everything it reads through our
readers (usage data, rubrics, labels, outcomes, cohorts, payloads, mappings, templates, the score
store) is registered with :func:`register_input`; everything it writes goes through
:func:`write_atomic`, :func:`write_bytes_atomic` or :class:`AtomicFiles`, which first call
:func:`check_output`. An output that is one of the inputs, resolved through symbolic and hard
links and relative paths, or that lies inside an input folder, is refused with one message before
a byte is written. :func:`claim_output` states an output up front, so that reading it later as an
input is refused too, before the long work.

Outside a session (the Python API) nothing is registered; callers that know their inputs pass
them to :func:`check_output` directly.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

from adoptscore.errors import AdoptscoreError

STDOUT = "-"
# suffixes of data and document files: an output of another kind named with one (a folder called
# scores.csv, a deck called s.duckdb.pptx) is a path given by mistake
FILE_SUFFIXES = frozenset({".csv", ".tsv", ".parquet", ".json", ".xlsx", ".xls", ".txt", ".duckdb", ".yaml", ".yml",
                           ".html", ".pdf", ".pptx"})


class OutputError(AdoptscoreError):
    """An output that would destroy an input, or that cannot be written."""


@dataclass(frozen=True)
class _Place:
    shown: str
    real: str
    inode: tuple[int, int] | None
    is_dir: bool
    role: str


def _place(path: str | os.PathLike, role: str) -> _Place | None:
    text = str(path)
    if text == STDOUT or ("://" in text and not text.startswith("file://")):
        return None  # standard output and connection URLs are not files
    text = text.removeprefix("file://")
    real = os.path.realpath(text)
    try:
        stat = os.stat(real)
        inode: tuple[int, int] | None = (stat.st_dev, stat.st_ino)
        is_dir = os.path.isdir(real)
    except OSError:
        inode, is_dir = None, False
    return _Place(text, real, inode, is_dir, role)


def _inside(child: str, folder: str) -> bool:
    return child != folder and child.startswith(folder.rstrip(os.sep) + os.sep)


def _clash(output: _Place, given: _Place) -> bool:
    """Writing ``output`` would change ``given``: the same file, or a file inside that folder."""
    if output.real == given.real:
        return True
    if output.inode is not None and output.inode == given.inode:
        return True
    return given.is_dir and _inside(output.real, given.real)


@dataclass
class _Session:
    inputs: list[_Place] = field(default_factory=list)
    outputs: list[_Place] = field(default_factory=list)


_current: ContextVar[_Session | None] = ContextVar("adoptscore_io_session", default=None)


@contextmanager
def io_session() -> Iterator[None]:
    """One command run's inputs and outputs (nested sessions share the outer one)."""
    if _current.get() is not None:
        yield
        return
    token = _current.set(_Session())
    try:
        yield
    finally:
        _current.reset(token)


def start_session() -> None:
    """Begin a fresh session for the rest of this context (the CLI calls it once per command)."""
    _current.set(_Session())


def register_input(path: str | os.PathLike, role: str = "input") -> None:
    """Note that the current command reads ``path`` (a file or folder); refused if it was
    claimed as an output of the same command."""
    session = _current.get()
    place = _place(path, role)
    if session is None or place is None:
        return
    for output in session.outputs:
        if _clash(output, place) and output.role != role:
            raise _destroys(output, place)
    session.inputs.append(place)


def claim_output(path: str | os.PathLike, role: str = "output") -> None:
    """State that the current command will write ``path``: checked now against the inputs read so
    far and the other outputs, and later against every input read."""
    place = _place(path, role)
    if place is None:
        return
    check_output(path, role)
    session = _current.get()
    if session is None:
        return
    for other in session.outputs:
        if (other.real == place.real or (other.inode is not None and other.inode == place.inode)) \
                and other.role != role:
            raise OutputError(f"{place.shown} is given as both {other.role} and {role}",
                              place.shown, hint="give each output its own path")
    session.outputs.append(place)


def check_output(path: str | os.PathLike, role: str = "output", inputs: Iterable[str | os.PathLike] = ()) -> None:
    """Raise :class:`OutputError` when writing ``path`` would change an input of this command
    (registered, or given as ``inputs``). Inputs registered under the same ``role`` are the
    output itself read back (a score store read and then added to) and do not count."""
    place = _place(path, role)
    if place is None:
        return
    check_folder_of(place.shown, role)
    session = _current.get()
    given = [p for p in (_place(i, "input") for i in inputs) if p is not None]
    registered = [p for p in session.inputs if p.role != role] if session is not None else []
    for other in [*given, *registered]:
        if _clash(place, other):
            raise _destroys(place, other)


def check_kind(path: str | os.PathLike, role: str, suffixes: Iterable[str], kind: str) -> None:
    """Refuse an output named as another kind of file than it is (``--json report.csv``, a deck
    ``--out scores.duckdb``, ``score --out scores.csv`` for a folder): such a name is a slip, and
    writing under it would hide the file as something else. ``suffixes`` are the right ones (none
    for a folder); a name with no known suffix is taken as given."""
    suffix = Path(str(path)).suffix.lower()
    if str(path) == STDOUT or suffix not in FILE_SUFFIXES or suffix in set(suffixes) or os.path.isdir(path):
        return
    right = list(suffixes)
    raise OutputError(f"{role} is {kind}, not a {suffix} file", str(path),
                      hint=f"e.g. {role} {Path(str(path)).with_suffix(right[0] if right else '')}")


def check_folder_of(path: str | os.PathLike, role: str = "output") -> None:
    """Refuse an output whose folder cannot exist because a file holds its place (``--out
    usage.parquet/scores``): said before any work, not as an error from deep in a write."""
    for parent in Path(path).parents:
        if parent.exists():
            if not parent.is_dir():
                what = role if role.startswith("-") else f"the {role}"
                raise OutputError(f"cannot write {what}: {parent} is not a folder (it is a file)", str(path),
                                  hint="choose a path in a folder")
            return


def _destroys(output: _Place, given: _Place) -> OutputError:
    if output.real == given.real:
        what = f"is the {given.role} this command reads"
    elif output.inode is not None and output.inode == given.inode:
        what = f"is the {given.role} {given.shown} this command reads (the same file under another name)"
    else:
        what = f"is inside the {given.role} folder {given.shown} this command reads"
    return OutputError(f"{output.role} {what}; writing it would destroy the input", output.shown,
                       hint="write the output to another path")


def _file_mode() -> int:
    # mkstemp creates the file private (0600); give it the mode any other new file would get
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: Path | str, text: str, *, role: str = "output") -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: never a half-written file,
    never over an input of the running command."""
    write_bytes_atomic(path, text.encode("utf-8"), role=role)


def write_bytes_atomic(path: Path | str, data: bytes, *, role: str = "output") -> None:
    """:func:`write_atomic` for bytes (the file's folder is created when missing)."""
    check_output(path, role)
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with AtomicFiles() as files:
            with open(files.temporary(path, role=role), "wb") as handle:
                handle.write(data)
    except OSError as exc:  # the folder cannot be made, the disk is full, ...
        raise cannot_write(path, role, exc) from None


def write_all_atomic(outputs: Iterable[tuple[Path | str, str, str]]) -> None:
    """Write several text files ``(path, text, role)`` together: each through a temporary file, all
    renamed into place only when every one was written, so a failure leaves none of them changed."""
    items = list(outputs)
    for path, _, role in items:
        check_output(path, role)
    with AtomicFiles() as files:
        for path, text, role in items:
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                with open(files.temporary(path, role=role), "wb") as handle:
                    handle.write(text.encode("utf-8"))
            except OSError as exc:
                raise cannot_write(path, role, exc) from None


def cannot_write(path: Path | str, role: str, exc: OSError) -> OutputError:
    """The one message for an output the system refuses (permission, full disk, read-only disk)."""
    reason = (exc.strerror or type(exc).__name__).lower()
    what = role if role.startswith("-") else f"the {role}"
    return OutputError(f"cannot write {what}: {reason}", str(path),
                       hint="choose a folder you can write to, with free space")


class AtomicFiles:
    """Temporary files beside their targets, renamed into place together by :meth:`commit`, or
    all removed (by :meth:`discard`, or when the ``with`` block fails). Each target is checked
    against the command's inputs before its temporary file is made; its folder must exist."""

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path, str]] = []

    def temporary(self, target: Path | str, *, role: str = "output") -> Path:
        target = Path(target)
        check_output(target, role)
        if target.is_dir():
            raise OutputError(f"{target} is a folder", str(target), hint="give a file name")
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        except OSError as exc:
            raise cannot_write(target, role, exc) from None
        os.close(fd)
        self._pending.append((Path(tmp), target, role))
        return Path(tmp)

    def commit(self) -> None:
        mode = _file_mode()
        try:
            for tmp, target, role in self._pending:
                check_output(target, role)  # an input read after the file was begun
                os.chmod(tmp, mode)
        except BaseException:
            self.discard()
            raise
        for tmp, target, role in self._pending:
            try:
                os.replace(tmp, target)
            except OSError as exc:
                self.discard()
                raise cannot_write(target, role, exc) from None
        self._pending = []

    def discard(self) -> None:
        for tmp, _, _ in self._pending:
            tmp.unlink(missing_ok=True)
        self._pending = []

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()
