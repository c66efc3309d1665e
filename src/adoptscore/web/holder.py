"""The scorecard a server answers from, replaced when a scoring run writes the store.

A reload builds and warms the new scorecard in a thread while the old one keeps answering, swaps
them, and then makes sure the old one's memory is given back: the requests still reading it
finish, the collector (frozen while a card is loaded, see :func:`settle`) frees its objects, and
the C allocator returns the freed pages to the system. Without that, each reload of a nightly
scoring run kept another copy of the scores.
"""
from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import gc
import sys
import threading
import time
import weakref
from pathlib import Path

import duckdb

from adoptscore.errors import AdoptscoreError
from adoptscore.insights.scorecard import Scorecard

_unfreeze_at_exit = False


def settle() -> None:
    """Collect, give freed memory back to the system, then freeze what is left out of the collector.

    Once a card is warm its scores and memoised reports live as long as the card: frozen, the
    collector stops walking their ~400,000 objects (a 280 ms pause at 100k accounts x 12 months,
    every few seconds under load, that stalled every request in the process). Collecting first
    keeps garbage (an old card's cycles) out of the frozen set, where it would never be freed.
    """
    global _unfreeze_at_exit
    gc.collect()
    trim_malloc()
    gc.freeze()
    if not _unfreeze_at_exit:
        # at exit the frozen objects are released like any others (DuckDB's bindings report
        # objects still alive when the interpreter ends as leaks)
        atexit.register(gc.unfreeze)
        _unfreeze_at_exit = True


def trim_malloc() -> None:
    """Return the C heap's free pages to the system (glibc keeps them for reuse by default: the
    old card's NumPy arrays and strings freed by a reload stayed in the process's resident size)."""
    if not sys.platform.startswith("linux"):
        return
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        trim = getattr(libc, "malloc_trim", None)
    except OSError:
        trim = None
    if trim is not None:  # musl has none; its allocator returns memory by itself
        trim(0)


class CardHolder:
    """The loaded scorecard; reloaded in the background when the store file changes."""

    # a stat of the store file: cheap enough to do every second
    CHECK_EVERY = 1.0
    # DuckDB's share of a worker: account pages look up a few rows at a time (the read model's
    # blocks stay in the OS page cache, shared by every worker)
    DUCKDB_MEMORY = "512MB"
    # after a reload that failed, how long before the same store state is tried again
    RETRY_AFTER = 60.0
    # how long a reload waits for requests still reading the old card before settling anyway
    DRAIN = 120.0

    def __init__(self, store: "Path | str", rubric: str | None, version: str | None):
        from adoptscore.store import open_store

        self.store, self.rubric, self.version = open_store(store), rubric, version
        self.card = self._open()
        self.loads = 1                 # scorecards loaded so far (1 + successful reloads)
        self.settled = 0               # of those, how many are warm with the memory before them given back
        self.card.warm_in_background(then=self._settle)
        self._checked = time.monotonic()
        self._reloading = threading.Lock()
        self._failed: tuple[float, float] | None = None   # (store mtime, when) of the last failed reload
        self._next: Scorecard | None = None

    def _open(self) -> Scorecard:
        card = Scorecard(self.store, self.rubric, self.version)
        card.limit_memory(self.DUCKDB_MEMORY)
        return card

    def get(self) -> Scorecard:
        """The current scorecard; at most every ``CHECK_EVERY`` seconds, starts a reload if the store changed."""
        now = time.monotonic()
        if now - self._checked > self.CHECK_EVERY:
            self._checked = now
            if self._stale(now) and self._reloading.acquire(blocking=False):
                # not a daemon: one killed inside DuckDB at interpreter exit aborts the process
                threading.Thread(target=self._reload, name="adoptscore-reload").start()
        return self.card

    def _stale(self, now: float) -> bool:
        if not self.card.changed_on_disk():
            return False
        if self._failed is None:
            return True
        mtime, when = self._failed
        return _mtime(self.store.path) != mtime or now - when > self.RETRY_AFTER

    def _reload(self) -> None:
        try:
            tried = _mtime(self.store.path)
            try:
                card = self._next = self._open()
                card.warm()   # the old card answers until the new one is as quick
            except Exception as exc:  # noqa: BLE001 - whatever stops a reload, the loaded scores keep being served
                self._failed = (tried, time.monotonic())
                known = isinstance(exc, (AdoptscoreError, duckdb.Error))  # a store mid-write or damaged
                text = (str(exc).strip().splitlines() or [""])[0] if known else f"{type(exc).__name__}: {exc}"
                print(f"adoptscore serve: kept the loaded scores: reloading {self.store} failed: {text}",
                      file=sys.stderr, flush=True)
                return
            finally:
                self._next = None
            if card.closed:
                return  # the process is stopping
            old, self.card = self.card, card
            self.loads += 1
            self._failed = None
            old.close()
            gone = weakref.ref(old)
            del old
            self._release(gone)
        finally:
            self._reloading.release()

    def _release(self, gone: weakref.ref) -> None:
        """Free the replaced card once no request holds it, then settle the new one."""
        gc.unfreeze()  # the old card's objects, frozen with it, become collectable again
        deadline = time.monotonic() + self.DRAIN
        gc.collect()
        while gone() is not None and time.monotonic() < deadline:
            # a request (a long CSV download) still reads it: its last reference goes when it ends;
            # a full collection (a pause for every request) only once a second, for a cycle left behind
            for _ in range(20):
                time.sleep(0.05)
                if gone() is None:
                    break
            gc.collect()
        self._settle()

    def _settle(self) -> None:
        settle()
        self.settled += 1

    def close(self) -> None:
        """Stop background work: the current card's warming and a reload's."""
        self.card.close()
        pending = self._next
        if pending is not None:
            pending.close()


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
