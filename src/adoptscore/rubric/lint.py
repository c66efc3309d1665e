"""Lint: checks on a loaded rubric beyond what its schema enforces (and, given data, its columns).

The error-level rules (:func:`rule_errors`) are also applied by the loader, so that no command
scores with a rubric that ``lint`` rejects; ``lint`` itself loads leniently to list them all.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from adoptscore.errors import DataError
from adoptscore.rubric.models import Metric, Rubric


@dataclass(frozen=True)
class Finding:
    """One lint finding; ``location`` is a path into the rubric document, empty when the data is at fault."""

    level: str  # "error" or "warning"
    location: tuple[Any, ...]
    message: str
    hint: str | None = None


def lint(rubric: Rubric, data: Any = None, *, table: str | None = None) -> list[Finding]:
    """Return findings for ``rubric``; with ``data`` also check its columns and types."""
    findings = _findings(rubric)
    if data is not None:
        from adoptscore.sources.read import load_usage
        try:
            load_usage(data, rubric, table=table)
        except DataError as exc:
            # the message names the data file and its line; no place in the rubric is at fault
            findings.append(Finding("error", (), exc.format()))
    return findings


def rule_errors(rubric: Rubric) -> list[Finding]:
    """The error-level findings that need no data; each one would make scores wrong.

    A weight of 0 or below (``weight: -30`` turns Red into Green), or a number that is not finite
    (``.nan``, ``.inf`` in YAML) where scores are computed from it.
    """
    return [f for f in _findings(rubric) if f.level == "error"]


def _findings(rubric: Rubric) -> list[Finding]:
    findings: list[Finding] = []
    points = rubric.points
    for color in ("red", "yellow", "green"):
        value = points.of(color)
        if not math.isfinite(value):
            findings.append(Finding("error", ("points", color), f"points.{color} is {value}, not a finite number",
                                    "give the points of each color as a plain number, e.g. 25, 63, 88"))
    if not (points.red < points.yellow < points.green):
        findings.append(Finding("warning", ("points",), "points are not increasing from red to yellow to green"))
    for ui, use_case in enumerate(rubric.use_cases):
        where: tuple[Any, ...] = ("use_cases", ui)
        if not _positive(use_case.weight):
            findings.append(Finding("error", (*where, "weight"),
                                    f"use case {use_case.id}: weight must be a positive number, got {use_case.weight:g}",
                                    "give it a positive weight, e.g. weight: 1; to leave a use case out of the "
                                    "overall score, remove it"))
        count = len(use_case.metrics)
        if count < 3:
            findings.append(Finding("warning", (*where, "metrics"),
                                    f"use case {use_case.id} has {count} metric{'s' if count != 1 else ''}; "
                                    "the handbook asks for 3 to 7"))
        elif count > 7:
            findings.append(Finding("warning", (*where, "metrics"),
                                    f"use case {use_case.id} has {count} metrics; the handbook asks for 3 to 7"))
        for mi, metric in enumerate(use_case.metrics):
            findings += _metric_findings(rubric, metric, f"metric {use_case.id}.{metric.id}", (*where, "metrics", mi))
    return findings


def _metric_findings(rubric: Rubric, metric: Metric, label: str, where: tuple[Any, ...]) -> list[Finding]:
    findings: list[Finding] = []
    if not _positive(metric.weight):
        findings.append(Finding("error", (*where, "weight"), f"{label}: weight must be a positive number, got "
                                f"{metric.weight:g}", "give it a positive weight, e.g. weight: 1; to leave a metric "
                                "out, remove it"))
    if metric.cap is not None and not math.isfinite(metric.cap):
        findings.append(Finding("error", (*where, "cap"), f"{label}: cap is {metric.cap}, not a finite number",
                                "give a plain number, or remove the cap"))
    elif metric.cap is not None and metric.bands is not None:
        top = metric.ordered_bands[-1][1]
        if top.low is not None and metric.cap < top.low:
            findings.append(Finding("warning", (*where, "cap"), f"{label}: the cap is below the top band"))
    undeclared = [c for c in metric.columns if c not in rubric.input.columns]
    if rubric.input.columns and undeclared:
        findings.append(Finding("warning", where, f"{label}: column(s) {', '.join(undeclared)} are not "
                                "declared in input.columns; their type is taken from the data"))
    return findings


def _positive(weight: float) -> bool:
    return math.isfinite(weight) and weight > 0
