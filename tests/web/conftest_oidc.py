"""The ``oidc_issuer`` fixture: a test module takes it with
``pytest_plugins = ("tests.web.conftest_oidc",)`` (importing the name instead would have each test's
parameter shadow it, which the linter reports)."""
from __future__ import annotations

from typing import Iterator

import pytest

from tests.web.oidc_issuer import Issuer, running_issuer


@pytest.fixture()
def oidc_issuer() -> Iterator[Issuer]:
    """A fresh test OpenID Connect provider for one test (``.url``, ``.client_id``,
    ``.client_secret``, ``.sign_in_as(email, name=...)``; see :class:`~tests.web.oidc_issuer.Issuer`)."""
    with running_issuer() as issuer:
        yield issuer
