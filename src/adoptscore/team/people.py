"""Who is asking: a signed-in person's role and the accounts they may see and change."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from adoptscore.insights.scope import EVERYTHING, Scope
from adoptscore.team.config import Team

ROLES = ("viewer", "owner", "admin")


@dataclass(frozen=True)
class User:
    """A person using the scorecard (or a script using a token on their behalf)."""

    email: str
    name: str
    role: str                 # viewer, owner or admin
    scope: Scope = EVERYTHING
    owner: str | None = None  # for an owner: the value of the accounts' owner column that is them
    via: str = "session"      # how they were recognised: proxy, oidc, token or local

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def may_see(self, row: Mapping[str, Any]) -> bool:
        return self.scope.admits(row)

    def may_change(self, row: Mapping[str, Any]) -> bool:
        """Whether this person may override or annotate an account (its latest portfolio row):
        admins any account in their scope, owners their own accounts, viewers none."""
        if not self.may_see(row):
            return False
        if self.role == "admin":
            return True
        return self.role == "owner" and self.owner is not None and str(row.get("owner")) == self.owner

    def to_dict(self) -> dict[str, Any]:
        return {"email": self.email, "name": self.name, "role": self.role, "scope": self.scope.describe(),
                "owner": self.owner, "via": self.via}


def identify(team: Team, email: str, via: str, name: str | None = None) -> User | None:
    """The user ``email`` is on ``team``: their listed role and scope, a viewer of everything when
    the team lets others in (``others: viewer``), else None (signed in, but not on the team)."""
    email = email.strip().lower()
    person = team.person(email)
    if person is not None:
        return User(email, person.name or name or email, person.role, Scope.of(person.scope),
                    person.owner_value if person.role == "owner" else None, via)
    if team.others == "viewer":
        return User(email, name or email, "viewer", EVERYTHING, None, via)
    return None


def login_name() -> str:
    """This machine's login name of the person running adoptscore (``local`` when there is none)."""
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in a container: still one local person
        return "local"


def local_user() -> User:
    """The person at this machine when no sign-in is configured (the server answers on loopback only)."""
    login = login_name()
    return User(f"{login}@localhost", login, "admin", EVERYTHING, None, "local")
