"""Deterministic demo data (product-usage rows that look like GitLab Service Ping)."""

from adoptscore.demo.generator import (
    ACCOUNTS_SCHEMA,
    COUNT_COLUMNS,
    HARD_NAMES,
    USAGE_SCHEMA,
    generate_accounts,
    generate_usage,
    iter_usage_chunks,
    write_usage,
)
from adoptscore.demo.instances import generate_instance_usage

__all__ = [
    "ACCOUNTS_SCHEMA",
    "COUNT_COLUMNS",
    "HARD_NAMES",
    "USAGE_SCHEMA",
    "generate_accounts",
    "generate_instance_usage",
    "generate_usage",
    "iter_usage_chunks",
    "write_usage",
]
