"""Docs stay true: the generated rubric reference is current, every CLI command is in the README."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from adoptscore.cli import app

ROOT = Path(__file__).resolve().parent.parent


def test_rubric_reference_is_generated_and_current():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_docs.py"), "--check"])
    assert done.returncode == 0, "docs/rubric-reference.md is stale: run scripts/gen_docs.py"


def test_every_cli_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert f"adoptscore {name}" in readme, name


def test_readme_quickstart_has_exactly_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quickstart", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line for line in block.strip().splitlines() if line.strip()]
    assert [c.split("#")[0].strip() for c in commands] == ["make demo", "make test"]
