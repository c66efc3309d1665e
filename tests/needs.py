"""What a test needs from the machine (a browser, LibreOffice, PostgreSQL, Java for Spark, dbt).

`make test` sets all of it up (.ci/test runs .ci/setup.d). A test whose need is missing fails,
saying what is missing; it skips only when the user opted out of that capability explicitly with
ADOPTSCORE_TEST_SKIP (e.g. ``ADOPTSCORE_TEST_SKIP=browser,libreoffice make test``): a skipped
test is a test that did not run, so skipping is never silent.
"""
from __future__ import annotations

import os

import pytest

CAPABILITIES = ("browser", "libreoffice", "postgres", "spark", "snowflake")


def opted_out(capability: str) -> bool:
    assert capability in CAPABILITIES, capability
    return capability in os.environ.get("ADOPTSCORE_TEST_SKIP", "").replace(",", " ").split()


def missing(capability: str, what: str) -> None:
    """Skip when the user opted out of *capability*, else fail naming *what* is missing."""
    if opted_out(capability):
        pytest.skip(f"{capability} tests left out (ADOPTSCORE_TEST_SKIP): {what}")
    pytest.fail(f"{what}. `make test` installs it (.ci/setup.d, as root); to leave these tests out, "
                f"set ADOPTSCORE_TEST_SKIP={capability}", pytrace=False)
