"""From an evaluation to a rubric draft: 3-7 metrics per use case, banded at their quartiles.

Per use case, candidates are taken best first (see :class:`~adoptscore.discovery.evaluate.Candidate`),
skipping those reported by fewer than half the accounts, without spread, whose association is no
more than their denominator's alone, or within |rho| 0.8 of one already taken, and at most one
per numerator. With a cohort or outcomes only candidates whose AUC clears chance after a
Bonferroni correction over every candidate are taken (fewer than 3 is then said, not padded);
without either, the 3 best reported, and the report says the draft rests on nothing else. Bands: Red at or below the 25th percentile, Green above the 75th (reversed for a metric
where lower is better), Yellow between: a start for ``calibrate``, not a verdict.
"""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import yaml

from adoptscore.discovery.evaluate import REDUNDANT, Candidate

if TYPE_CHECKING:
    from adoptscore.discovery.evaluate import Evaluation

MIN_METRICS, MAX_METRICS = 3, 7


def propose(evaluation: "Evaluation") -> dict[str, list[Candidate]]:
    """The metrics proposed per use case of the evaluation's rubric (use cases with none left out)."""
    import numpy as np

    from adoptscore.discovery.stats import spearman
    from adoptscore.discovery.evaluate import _values

    out: dict[str, list[Candidate]] = {}
    for use_case in evaluation.rubric.use_cases:
        pool = [c for c in evaluation.candidates if c.use_case == use_case.id and c.eligible]
        # with a cohort or outcomes, only evidence that clears chance; without, availability alone
        # (the report says the draft then rests on nothing but that)
        groups = [([c for c in pool if c.strong], MAX_METRICS)] if evaluation.has_evidence else [(pool, MIN_METRICS)]
        picked: list[Candidate] = []
        for group, limit in groups:
            for c in group:
                if len(picked) >= limit:
                    break
                if any(p.numerator == c.numerator for p in picked):
                    continue
                if picked and evaluation.sample is not None:
                    matrix = np.column_stack([_values(evaluation.sample, x.numerator, x.denominator)[0]
                                              for x in [*picked, c]])
                    if np.nanmax(np.abs(spearman(matrix)[-1, :-1])) >= REDUNDANT:
                        continue
                picked.append(c)
        if picked:
            out[use_case.id] = picked
    return out


def _cut(value: float) -> str:
    return f"{value:.6g}"


def _metric(c: Candidate) -> dict[str, Any]:
    low, high = c.quantiles["p25"], c.quantiles["p75"]
    assert low is not None and high is not None
    if c.higher_is_better:
        bands = {"red": f"<= {_cut(low)}", "yellow": f"> {_cut(low)} and <= {_cut(high)}", "green": f"> {_cut(high)}"}
    else:
        bands = {"green": f"<= {_cut(low)}", "yellow": f"> {_cut(low)} and <= {_cut(high)}", "red": f"> {_cut(high)}"}
    e = c.evidence
    evidence = "" if e is None or e.value is None else \
        f" AUC {e.value:.3f} (95% {e.low:.3f}-{e.high:.3f}, {e.positives}+{e.negatives} accounts)."
    metric: dict[str, Any] = {
        "id": c.id, "title": c.id.replace("_", " ").capitalize(),
        "description": f"Proposed by metrics evaluate: reported by {c.reporting:.0%} of accounts.{evidence}",
        "numerator": c.numerator}
    if c.denominator is not None:
        metric["denominator"] = c.denominator
    metric["unit"] = "ratio" if c.denominator is not None else "count"
    if not c.higher_is_better:
        metric["direction"] = "lower_is_better"
    metric["bands"] = bands
    return metric


def draft_document(evaluation: "Evaluation") -> dict[str, Any]:
    """The rubric draft as a YAML-ready document: the evaluated rubric's input, points, score bands
    and weights, with the proposed metrics in place of its own."""
    base = evaluation.rubric
    proposal = propose(evaluation)
    used = sorted({col for cs in proposal.values() for c in cs for col in (c.numerator, c.denominator) if col})
    document_input: dict[str, Any] = base.model_dump(exclude_none=True, exclude_defaults=True)["input"]
    declared = document_input.pop("columns", None) or {}
    keys = {base.input.account_id, base.input.period, *base.input.segments}
    scope_columns = _scope_columns(base)
    # the base rubric's scope (e.g. licensed_users > 0) only when the data has what it reads
    if scope_columns is not None and set(scope_columns) <= set(evaluation.data_columns):
        used = sorted(set(used) | (set(scope_columns) - keys))
    else:
        document_input.pop("scope", None)
    document_input["columns"] = {c: declared.get(c, {"type": "count"}) for c in used if c not in keys}
    use_cases = []
    for use_case in base.use_cases:
        picked = proposal.get(use_case.id)
        if not picked:
            continue
        use_cases.append({"id": use_case.id, "title": use_case.title, "weight": use_case.weight,
                          "metrics": [_metric(c) for c in picked]})
    return {
        "name": f"{base.name}-discovered",
        "version": f"draft-{date.today():%Y%m%d}",
        "title": f"{base.title or base.name}: metrics proposed from the data",
        "description": f"Drafted by adoptscore metrics evaluate from {evaluation.source}, period {evaluation.period}: "
                       "3-7 metrics per use case chosen for availability, spread and association with "
                       "the healthy cohort or outcomes; bands at the quartiles. Calibrate before use.",
        "input": document_input,
        "points": base.points.model_dump(),
        "score_bands": dict(base.score_bands),
        "overall": {"title": base.overall.title},
        "use_cases": use_cases,
    }


def _scope_columns(rubric: Any) -> list[str] | None:
    from adoptscore.rubric.expressions import parse

    return list(parse(rubric.input.scope).columns) if rubric.input.scope else None


def draft_yaml(evaluation: "Evaluation") -> str:
    """The draft as YAML text, checked by loading it back as a rubric (a draft lint refuses is a bug)."""
    from adoptscore.rubric.models import Rubric

    document = draft_document(evaluation)
    if not document["use_cases"]:
        from adoptscore.errors import DataError

        raise DataError("no candidate metric qualifies for any use case: no rubric draft to write",
                        evaluation.source, hint="give --cohort or --outcomes so candidates can be told apart, "
                                                "or check the data's counters are reported")
    text = "# Drafted by adoptscore metrics evaluate; review, calibrate and validate before use.\n" + \
        yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    Rubric.model_validate(yaml.safe_load(text))
    return text
