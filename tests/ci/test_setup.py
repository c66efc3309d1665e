"""The README's test command sets up what the tests need, or stops saying exactly what is missing;
leaving a part out is an explicit opt-out (.ci/lib.sh, sourced by .ci/test)."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def shell(script: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", f"set -euo pipefail; source .ci/lib.sh; {script}"], cwd=REPO,
                          capture_output=True, text=True, timeout=60, env={**os.environ, **env})


def test_a_package_that_cannot_be_installed_stops_the_run_naming_it_and_the_fix():
    # as a user who cannot install (not root, or no apt-get): the run stops before any test
    done = shell("can_install() { return 1; }; apt_install browser bash no-such-package-adoptscore; echo ran-tests")
    assert done.returncode == 1 and "ran-tests" not in done.stdout
    # only what is missing is named (bash is installed)
    assert "the browser tests need the Debian package(s) no-such-package-adoptscore, which" in done.stderr
    assert "ADOPTSCORE_TEST_SKIP=browser" in done.stderr


def test_installed_packages_need_nothing():
    done = shell("can_install() { return 1; }; apt_install browser bash; echo ready")
    assert done.returncode == 0 and done.stdout.strip() == "ready"


def test_opting_out_is_explicit_and_said():
    done = shell("for part in browser spark; do if skipping $part; then echo skip-$part; else echo run-$part; fi; done",
                 ADOPTSCORE_TEST_SKIP="libreoffice,browser")
    assert done.stdout.split() == ["test", "setup:", "browser", "tests", "skipped", "(ADOPTSCORE_TEST_SKIP)",
                                   "skip-browser", "run-spark"]


def test_exit_hooks_run_when_the_tests_end(tmp_path):
    marker = tmp_path / "stopped"
    done = shell(f"on_exit 'touch {marker}'; exit 3")
    assert done.returncode == 3 and marker.exists()


def test_no_opt_out_set_runs_everything():
    # CI sets no ADOPTSCORE_TEST_SKIP at all: under `set -u` that must read as "skip nothing"
    env = {k: v for k, v in os.environ.items() if k != "ADOPTSCORE_TEST_SKIP"}
    done = subprocess.run(["bash", "-c", "set -euo pipefail; source .ci/lib.sh; "
                           "if skipping browser; then echo skip; else echo run; fi"],
                          cwd=REPO, capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0 and done.stdout.strip() == "run", done.stderr
