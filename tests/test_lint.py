"""Static checks a typo would fail: undefined names, unused imports and variables, syntax
(ruff's pyflakes rules) over the package, the tests, the benchmarks and the scripts."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_no_undefined_or_unused_names():
    found = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "F,E9", "--no-cache", "--output-format",
                            "concise", "src", "tests", "benchmarks", "scripts"],
                           cwd=ROOT, capture_output=True, text=True)
    assert found.returncode == 0, found.stdout + found.stderr
