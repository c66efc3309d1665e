"""Getting usage data in."""
from adoptscore.sources.read import Usage, check_usage, default_connection, load_usage, open_usage, to_wide

__all__ = ["Usage", "check_usage", "default_connection", "load_usage", "open_usage", "to_wide"]
