"""Screenshots the browser tests keep: in the test's tmp folder, and in $ADOPTSCORE_SCREENSHOTS when set."""
from __future__ import annotations

import os
from pathlib import Path


def keep_screenshot(page, tmp_path: Path, file: str, *, full_page: bool = False) -> Path:
    """Save ``page`` as ``file`` (a .png name) where a person can look at it after the run."""
    path = tmp_path / file
    page.screenshot(path=str(path), full_page=full_page)
    folder = os.environ.get("ADOPTSCORE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / file), full_page=full_page)
    return path
