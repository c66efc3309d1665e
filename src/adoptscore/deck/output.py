"""Where decks are written: file names from account ids and names, atomic writes, checks made
before anything is written (the folder can be written, the formats are known)."""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path

from adoptscore.deck.template import DeckError
from adoptscore.files import write_bytes_atomic  # noqa: F401 - the deck's writers import it from here

FORMATS = ("pptx", "html", "pdf")
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def slug(text: str, limit: int = 40) -> str:
    """An ASCII file-name piece of ``text`` (accents dropped, other scripts and symbols removed)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()
    return words[:limit].rstrip("-")


def deck_stem(account_id: str, name: str | None) -> str:
    """``A000013-o-brien-sons-ltd``: the account id (made file-safe, with a short hash when that
    changed it, so two ids never share a file) and a slug of the name."""
    safe = _UNSAFE.sub("_", account_id).strip("_-") or "account"
    if safe != account_id:
        safe += "-" + hashlib.sha1(account_id.encode("utf-8")).hexdigest()[:6]
    tail = slug(name or "")
    return f"{safe[:60]}-{tail}" if tail and tail != slug(account_id) else safe[:60]


def check_writable_folder(folder: Path) -> None:
    """Raise unless ``folder`` exists as a writable folder or can be created (nothing is created)."""
    folder = Path(folder)
    probe = folder
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        raise DeckError(f"{probe}: not a folder", hint="give --out a folder path (or a file name for one account)")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise DeckError(f"{folder}: cannot write there (permission denied on {probe})",
                        hint="choose another --out folder")


def outputs_for(out: Path | None, stem: str, formats: list[str]) -> dict[str, Path]:
    """The file of each format for one deck: ``out`` is a file (its suffix, when a known format,
    must be one asked for) or None (``stem`` in the current folder)."""
    if out is None:
        return {fmt: Path(f"{stem}.{fmt}") for fmt in formats}
    out = Path(out)
    suffix = out.suffix.lower().lstrip(".")
    if out.exists() and out.is_dir():
        return {fmt: out / f"{stem}.{fmt}" for fmt in formats}
    if suffix in FORMATS and suffix not in formats:
        raise DeckError(f"--out {out} ends in .{suffix} but the format asked for is {', '.join(formats)}",
                        hint=f"use --out {out.with_suffix('.' + formats[0])} or add --format {suffix}")
    base = out.with_suffix("") if suffix in FORMATS else out
    return {fmt: base.with_name(f"{base.name}.{fmt}") for fmt in formats}


def ensure_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) or raise a :class:`DeckError` saying why not."""
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DeckError(f"{folder}: cannot create the folder ({exc.strerror or exc})",
                        hint="choose another --out") from None
