"""PDF decks, converted from the PowerPoint files by LibreOffice running headless.

One LibreOffice process converts a whole batch of files (it takes seconds to start); each process
gets its own throw-away profile folder, so several conversions can run at once and none touches
the user's LibreOffice settings.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from adoptscore.deck.template import DeckError

INSTALL_HINT = ("install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-impress; macOS: brew install "
                "--cask libreoffice) or ask for --format pptx or html")


def soffice() -> str | None:
    """The LibreOffice command, or None when it is not installed (``ADOPTSCORE_SOFFICE`` overrides)."""
    override = os.environ.get("ADOPTSCORE_SOFFICE")
    if override:
        return override if shutil.which(override) else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    mac = "/Applications/LibreOffice.app/Contents/MacOS/soffice"
    return mac if os.path.exists(mac) else None


def require_soffice() -> str:
    found = soffice()
    if found is None:
        raise DeckError("PDF decks need LibreOffice, which is not installed (no soffice command found)",
                        hint=INSTALL_HINT)
    return found


def convert_to_pdf(files: list[Path], out_dir: Path, *, timeout: float | None = None) -> dict[Path, Path]:
    """Convert ``files`` (.pptx) to PDF in ``out_dir`` with one LibreOffice process; returns each
    input's PDF. Raises :class:`DeckError` naming the files LibreOffice did not convert."""
    if not files:
        return {}
    command = require_soffice()
    out_dir = Path(out_dir)
    profile = Path(tempfile.mkdtemp(prefix="adoptscore-libreoffice-"))
    timeout = timeout if timeout is not None else 120 + 10 * len(files)
    args = [command, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf", "--outdir", str(out_dir),
            *[str(f) for f in files]]
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "HOME": str(profile)}, check=False)
    except subprocess.TimeoutExpired:
        raise DeckError(f"LibreOffice did not finish converting {len(files)} deck(s) to PDF in {timeout:.0f} s",
                        hint="convert fewer decks at once, or check that LibreOffice runs: soffice --headless --version") from None
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    result = {f: out_dir / (f.stem + ".pdf") for f in files}
    missing = [f for f, pdf in result.items() if not pdf.exists()]
    if missing:
        said = (done.stderr or done.stdout or "").strip().splitlines()
        detail = next((line for line in said if "error" in line.lower()), said[-1] if said else "no message")
        raise DeckError(f"LibreOffice did not convert {len(missing)} of {len(files)} deck(s) to PDF "
                        f"(exit {done.returncode}: {detail})", hint="check that LibreOffice runs: soffice --headless --version")
    return result
