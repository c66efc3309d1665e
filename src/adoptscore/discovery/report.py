"""The metrics evaluation as a report: terminal, JSON and HTML (with plots) from one document."""
from __future__ import annotations

from typing import TYPE_CHECKING

from adoptscore.report.document import BarChart, Paragraph, Report, Section, Table

if TYPE_CHECKING:
    from adoptscore.discovery.evaluate import Candidate, Evaluation

SHOWN = 60


def _auc(a) -> str:  # noqa: ANN001
    if a is None or a.value is None:
        return "—"
    star = "" if a.significant else " (n.s.)"
    return f"{a.value:.3f} [{a.low:.3f}, {a.high:.3f}]{star}"


def _row(c: "Candidate") -> list:
    q = c.quantiles
    return [c.id, c.use_case or "—", c.reporting, c.failure_rate, q["p25"], q["p50"], q["p75"], c.zero_share,
            _auc(c.cohort), _auc(c.outcomes),
            "—" if c.redundant_with is None else f"{c.redundant_with} (rho {c.rho:.2f})"]


def evaluation_report(e: "Evaluation") -> Report:
    from adoptscore.discovery.draft import MIN_METRICS, propose

    proposal = propose(e)
    figures = [("period", e.period), ("accounts", f"{e.accounts:,}"), ("candidates", f"{len(e.candidates):,}"),
               ("healthy accounts", f"{e.cohort_size:,}" if e.cohort_label else "not given"),
               ("outcomes used", f"{e.outcomes_used:,}" if e.outcomes_label else "not given")]
    warnings = list(e.warnings)
    if not e.cohort_label and not e.outcomes_label:
        warnings.append("no --cohort or --outcomes: candidates are ranked by nothing but availability; give one to "
                        "tell metrics that measure adoption from noise")
    for use_case in e.rubric.use_cases:
        n = len(proposal.get(use_case.id, []))
        if n < MIN_METRICS:
            warnings.append(f"{use_case.title}: {n} metric(s) qualify, fewer than the handbook's {MIN_METRICS}")
    rows = []
    for use_case in e.rubric.use_cases:
        for c in proposal.get(use_case.id, []):
            evidence = c.evidence
            rows.append([use_case.title, c.id, "higher" if c.higher_is_better else "lower", c.reporting,
                         _auc(evidence), "clears chance" if c.strong else "none (availability only)"])
    z = e.candidates[0].z if e.candidates else 1.96
    proposed = Table(["use case", "metric", "better when", "reporting", "AUC [95%]", "evidence"], rows,
                     caption="AUC of the outcomes when given, else of the healthy cohort; n.s. = the 95% interval "
                             f"holds 0.5 (chance); proposed metrics clear chance by {z:.2f} standard errors "
                             f"(Bonferroni over {len(e.candidates)} candidates)", formats={"reporting": ".0%"})
    top = [c for c in e.candidates if c.eligible][:20]
    chart = BarChart("AUC of the best candidates", [c.id for c in top],
                     [*([("outcomes", [c.outcomes.value if c.outcomes else None for c in top])] if e.outcomes_label else []),
                      *([("healthy cohort", [c.cohort.value if c.cohort else None for c in top])] if e.cohort_label else [])],
                     value_format=".2f", reference=("chance", 0.5))
    table = Table(["candidate", "use case", "reporting", "failure codes", "p25", "median", "p75", "zeros",
                   "cohort AUC [95%]", "outcomes AUC [95%]", "redundant with"],
                  [_row(c) for c in e.candidates[:SHOWN]],
                  caption=f"best first; {len(e.candidates)} candidates, the first {min(SHOWN, len(e.candidates))} shown "
                          "(all in --json)",
                  formats={"reporting": ".0%", "failure codes": ".1%", "zeros": ".0%", "p25": ".4g", "median": ".4g",
                           "p75": ".4g"})
    versions = [c for c in e.candidates[:SHOWN] if c.by_version]
    inputs = Paragraph(f"Denominators: {', '.join(e.denominators) or 'none (raw counters only)'}. Healthy cohort: "
                       f"{e.cohort_label or 'not given'}. Outcomes: {e.outcomes_label or 'not given'}"
                       + (f", {e.outcomes_used:,} with a usage row before them." if e.outcomes_label else "."), "note")
    sections = [Section("Proposed metrics per use case", [inputs, proposed]),
                Section("Candidates", [chart, table] if top and chart.series else [table])]
    if versions:
        names = list(dict.fromkeys(v for c in versions for v in c.by_version))
        sections.append(Section("Reporting by product version", [Table(
            ["candidate", *names], [[c.id, *[c.by_version.get(v) for v in names]] for c in versions],
            formats={v: ".0%" for v in names})]))
    sections.append(Section("How candidates are judged", [Paragraph(
        "Each numeric column is a candidate, raw and divided by each denominator. Reporting: the share of the "
        "period's accounts with a value (a negative counter is a failure code, a zero or missing denominator no "
        "value). AUC: the chance a healthy (or renewing) account's value is above another's, 0.5 being chance; "
        "95% interval by Hanley & McNeil. Outcomes use each account's last usage row before the outcome's "
        "month. A candidate within |rho| 0.8 (Spearman) of a better one is redundant.", "note")]))
    return Report(title="Metric evaluation", subtitle=f"{e.source} · rubric {e.rubric.name}", figures=figures,
                  warnings=warnings, sections=sections)
