"""The team scorecard's people and what they write: sign-in settings, roles and scopes, and the
team database (overrides, notes, API tokens, audit log)."""
