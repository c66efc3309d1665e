"""Staging folders: where a save computes its results before it changes the store.

Each folder (``.adoptscore-store-<pid>-<random>`` next to the store) is held by its run through an
exclusive ``flock`` on the folder itself, which the operating system releases when the process
ends, however it ends (a SIGKILL included). A folder nobody holds belongs to a run that is gone
(or to an adoptscore from before the lock), and the next open or save of any store in that folder
removes it. Where ``flock`` does not exist (Windows), a folder older than a day is removed instead.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

PREFIX = ".adoptscore-store-"
# without flock, a run is taken as gone once its folder is this old (no save takes a day)
STALE_SECONDS = 24 * 3600


class Staging:
    """A staging folder held by this process until :meth:`close` removes it."""

    def __init__(self, path: Path, fd: int | None):
        self.path = path
        self._fd = fd

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        if self._fd is not None:
            os.close(self._fd)  # releases the lock only once the folder is gone
            self._fd = None

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def stage(folder: Path) -> Staging:
    """A new staging folder in ``folder``, held by this process."""
    while True:
        path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=folder))
        if fcntl is None:
            return Staging(path, None)
        fd = os.open(path, os.O_RDONLY)
        try:
            # blocking: a cleaner that took the new, not yet held folder for an abandoned one
            # removes it and lets go; the folder is then gone and we make another
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            return Staging(path, fd)  # a file system without locks: no cleaner can take it either
        if _same(path, fd):
            return Staging(path, fd)
        os.close(fd)


def clean(folder: Path) -> int:
    """Remove the abandoned staging folders in ``folder``; how many were removed. Never fails:
    a folder that cannot be read or changed is left as it is."""
    removed = 0
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(PREFIX)]
    except OSError:
        return 0
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False) and _remove_if_abandoned(Path(entry.path)):
                removed += 1
        except OSError:
            continue
    return removed


def _remove_if_abandoned(path: Path) -> bool:
    if fcntl is None:
        if time.time() - path.stat().st_mtime < STALE_SECONDS:
            return False
        shutil.rmtree(path, ignore_errors=True)
        return True
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            # held: its run is alive (or a file system without locks, where nothing tells a live
            # run from a dead one: keep it)
            return False
        if not _same(path, fd):
            return False  # removed (and perhaps re-made) since we opened it
        # removed while holding its lock: a new run that made it a moment ago waits, then retries
        shutil.rmtree(path, ignore_errors=True)
        return True
    finally:
        os.close(fd)


def _same(path: Path, fd: int) -> bool:
    """Whether ``path`` still names the folder open as ``fd``."""
    try:
        now = os.stat(path)
    except OSError:
        return False
    held = os.fstat(fd)
    return (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino)
