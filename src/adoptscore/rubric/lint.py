"""Lint: checks on a loaded rubric beyond what loading enforces (and, given data, its columns)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adoptscore.errors import DataError
from adoptscore.rubric.models import Rubric

@dataclass(frozen=True)
class Finding:
    """One lint finding; ``location`` is a path into the rubric document."""

    level: str  # "error" or "warning"
    location: tuple[Any, ...]
    message: str
    hint: str | None = None


def lint(rubric: Rubric, data: Any = None, *, table: str | None = None) -> list[Finding]:
    """Return findings for ``rubric``; with ``data`` also check its columns and types."""
    findings: list[Finding] = []
    points = rubric.points
    if not (points.red < points.yellow < points.green):
        findings.append(Finding("warning", ("points",), "points are not increasing from red to yellow to green"))
    for ui, use_case in enumerate(rubric.use_cases):
        where = ("use_cases", ui)
        if use_case.weight <= 0:
            findings.append(Finding("error", (*where, "weight"), f"use case {use_case.id}: weight must be positive",
                                    "give it a positive weight"))
        count = len(use_case.metrics)
        if count < 3:
            findings.append(Finding("warning", (*where, "metrics"),
                                    f"use case {use_case.id} has {count} metric{'s' if count != 1 else ''}; "
                                    "the handbook asks for 3 to 7"))
        elif count > 7:
            findings.append(Finding("warning", (*where, "metrics"),
                                    f"use case {use_case.id} has {count} metrics; the handbook asks for 3 to 7"))
        for mi, metric in enumerate(use_case.metrics):
            mwhere = (*where, "metrics", mi)
            label = f"metric {use_case.id}.{metric.id}"
            if metric.weight <= 0:
                findings.append(Finding("error", (*mwhere, "weight"), f"{label}: weight must be positive"))
            if metric.cap is not None and metric.bands is not None:
                top = metric.ordered_bands[-1][1]
                if top.low is not None and metric.cap < top.low:
                    findings.append(Finding("warning", (*mwhere, "cap"), f"{label}: the cap is below the top band"))
            undeclared = [c for c in metric.columns if c not in rubric.input.columns]
            if rubric.input.columns and undeclared:
                findings.append(Finding("warning", mwhere, f"{label}: column(s) {', '.join(undeclared)} are not "
                                        "declared in input.columns; their type is taken from the data"))
    if data is not None:
        from adoptscore.sources.read import load_usage
        try:
            load_usage(data, rubric, table=table)
        except DataError as exc:
            findings.append(Finding("error", ("input",), exc.format()))
    return findings
