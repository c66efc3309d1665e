"""Metric discovery: which usage counters, normalised by which denominator, measure adoption.

The handbook's first step is "identifying active metrics that can gauge a customer's level of
performance and adoption", 3 to 7 per use case, each normalised by a denominator.
:func:`evaluate_metrics` scores every candidate (each numeric column, raw and divided by each
candidate denominator) on what makes a metric usable and telling:

* availability: the share of accounts with a value in the period, the share reporting a failure
  code (a negative counter, as Service Ping sends), and per product version when the data has one;
* spread: quartiles, the share of zeros, and the interquartile range over the median;
* separation: AUC of the metric between a known-healthy cohort and the other accounts;
* association with outcomes: AUC for telling renewals and expansions from churn and contraction,
  the metric taken in the last period before each outcome;
* redundancy: Spearman correlation with the better-ranked candidates.

Every AUC has a 95% interval (:mod:`adoptscore.discovery.stats`). :func:`propose` then picks 3-7
metrics per use case, and :mod:`adoptscore.discovery.draft` writes them as a rubric.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from adoptscore.discovery.stats import Auc, auc, corrected_z, spearman
from adoptscore.errors import DataError
from adoptscore.rubric.models import Rubric

#: Accounts a candidate must have a value for, as a share, to be proposed.
MIN_REPORTING = 0.5
#: |Spearman rho| at which a candidate adds nothing to a better one.
REDUNDANT = 0.8
#: Accounts used for the correlation matrix (a sample of that many above it).
CORRELATION_SAMPLE = 20_000
GOOD_OUTCOMES = ("renewed", "expanded")
BAD_OUTCOMES = ("churned", "contracted")
VERSION_COLUMNS = ("version", "product_version", "gitlab_version")
#: Columns that describe an account rather than its usage: never a candidate.
ATTRIBUTE_COLUMNS = ("arr", "account_age_months", "age_months", "crm_id")
_STOP_TOKENS = {"l28d", "l7d", "all", "time", "count", "counts", "total", "per", "users", "user", "monthly", "usage"}


@dataclass(frozen=True)
class Candidate:
    """One candidate metric: a numerator, optionally over a denominator, and what was measured."""

    id: str
    numerator: str
    denominator: str | None
    use_case: str | None
    accounts: int
    reporting: float
    failure_rate: float
    by_version: dict[str, float]
    quantiles: dict[str, float | None]
    zero_share: float | None
    spread: float | None
    cohort: Auc | None
    outcomes: Auc | None
    redundant_with: str | None = None
    rho: float | None = None
    #: the same association for 1 / denominator alone (account size, mostly): a ratio that tells no
    #: more than its denominator measures size, not adoption
    denominator_alone: Auc | None = None
    #: the critical value "strong" evidence must clear: Bonferroni over every candidate evaluated
    z: float = 1.959963984540054

    @property
    def evidence(self) -> Auc | None:
        """The association the ranking rests on: outcomes when known, else the healthy cohort."""
        return self.outcomes if self.outcomes is not None and self.outcomes.value is not None else self.cohort

    @property
    def higher_is_better(self) -> bool:
        e = self.evidence
        return e is None or e.value is None or e.value >= 0.5

    @property
    def denominator_explains(self) -> bool:
        """Whether the association is no stronger than its denominator's own, in the same direction."""
        e, d = self.evidence, self.denominator_alone
        if e is None or e.value is None or d is None or d.value is None:
            return False
        # no clearer than the denominator by more than the candidate's own uncertainty
        return (e.value - 0.5) * (d.value - 0.5) > 0 and e.strength <= d.strength + self.z * (e.se or 0.0)

    @property
    def strong(self) -> bool:
        """Evidence that clears chance after the correction for testing every candidate."""
        e = self.evidence
        return e is not None and e.clears(self.z)

    @property
    def eligible(self) -> bool:
        return self.reporting >= MIN_REPORTING and (self.spread is not None and self.spread > 0) \
            and not self.denominator_explains

    @property
    def score(self) -> float:
        """The ranking key: distance of the evidence's AUC from chance; with no evidence, reporting."""
        e = self.evidence
        if e is not None and e.value is not None:
            return e.strength
        return 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "numerator": self.numerator, "denominator": self.denominator,
                "use_case": self.use_case, "accounts": self.accounts, "reporting": self.reporting,
                "failure_rate": self.failure_rate, "by_version": self.by_version, "quantiles": self.quantiles,
                # a zero median with some spread has an infinite relative spread: JSON has no infinity
                "zero_share": self.zero_share,
                "spread": self.spread if self.spread is None or np.isfinite(self.spread) else None,
                "cohort": self.cohort.to_dict() if self.cohort else None,
                "outcomes": self.outcomes.to_dict() if self.outcomes else None,
                "redundant_with": self.redundant_with, "rho": self.rho,
                "denominator_alone": self.denominator_alone.to_dict() if self.denominator_alone else None,
                "denominator_explains": self.denominator_explains, "eligible": self.eligible,
                "strong": self.strong, "z": self.z,
                "higher_is_better": self.higher_is_better, "score": self.score}


@dataclass
class Evaluation:
    """Every candidate, best first, and what the evaluation was run on."""

    rubric: Rubric
    source: str
    period: str
    accounts: int
    denominators: list[str]
    candidates: list[Candidate]
    cohort_label: str | None = None
    outcomes_label: str | None = None
    outcomes_used: int = 0
    warnings: list[str] = field(default_factory=list)
    data_columns: list[str] = field(default_factory=list)
    cohort_used: bool = False
    cohort_size: int = 0
    #: the accounts correlations are computed on (the period's rows, sampled above CORRELATION_SAMPLE)
    sample: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def has_evidence(self) -> bool:
        """Whether candidates were judged on a cohort or outcomes (not on availability alone)."""
        return self.outcomes_used > 0 or self.cohort_used

    def candidate(self, candidate_id: str) -> Candidate:
        for c in self.candidates:
            if c.id == candidate_id:
                return c
        raise KeyError(candidate_id)

    def to_dict(self) -> dict[str, Any]:
        from adoptscore.discovery.draft import propose

        return {"kind": "metrics-evaluate", "rubric": self.rubric.name, "source": self.source, "period": self.period,
                "accounts": self.accounts, "denominators": self.denominators, "cohort": self.cohort_label,
                "outcomes": self.outcomes_label, "outcomes_used": self.outcomes_used, "warnings": self.warnings,
                "proposal": {u: [c.id for c in picked] for u, picked in propose(self).items()},
                "candidates": [c.to_dict() for c in self.candidates]}

    def report(self) -> Any:
        from adoptscore.discovery.report import evaluation_report

        return evaluation_report(self)


def tokens(column: str) -> set[str]:
    return {t for t in re.split(r"[^a-z0-9]+", column.lower()) if t and t not in _STOP_TOKENS and not t.isdigit()}


def assign_use_case(numerator: str, rubric: Rubric) -> str | None:
    """The rubric use case whose metrics' numerators share most name parts with ``numerator``."""
    mine = tokens(numerator)
    best, best_overlap = None, 0
    for use_case in rubric.use_cases:
        theirs: set[str] = set()
        for metric in use_case.metrics:
            # numerators only: denominators (billable users, ...) are shared by every use case
            for column in metric.numerator_expression.columns:
                theirs |= tokens(column)
        overlap = len(mine & theirs)
        if overlap > best_overlap:
            best, best_overlap = use_case.id, overlap
    return best


def _default_denominators(rubric: Rubric, columns: Iterable[str]) -> list[str]:
    present = set(columns)
    found = [m.denominator for _, m in rubric.metrics if isinstance(m.denominator, str) and m.denominator in present]
    return list(dict.fromkeys(found))


def evaluate_metrics(data: Any, *, rubric: Rubric | str | Path = "gitlab", cohort: str | Path | None = None,
                     outcomes: str | Path | None = None, denominators: list[str] | None = None,
                     period: str | None = None, table: str | None = None,
                     exclude: Iterable[str] = ()) -> Evaluation:
    """Evaluate every numeric column of ``data`` as a metric, raw and over each denominator.

    ``rubric`` gives the account and period columns, the segments (never candidates), the default
    denominators (those its metrics use) and the use cases candidates are assigned to. ``period``
    is the period availability, spread and the cohort are measured in (default: the latest).
    ``cohort`` is a healthy-accounts file, ``outcomes`` an outcomes file (as for backtest).
    """
    from adoptscore import api
    from adoptscore.lifecycle.backtest import read_outcomes
    from adoptscore.lifecycle.cohort import read_cohort
    from adoptscore.sources.read import open_usage

    rubric = rubric if isinstance(rubric, Rubric) else api.load_rubric(rubric)
    usage = open_usage(data, table=table)
    t = usage.table
    account_col, period_col = rubric.input.account_id, rubric.input.period
    warnings: list[str] = []
    if rubric.input.layout == "long":
        t = _pivot_every_input(t, rubric, usage.label)
    if rubric.input.scope:
        t, note = _in_scope(t, rubric.input.scope)
        if note:
            warnings.append(note)
    for needed in (account_col, period_col):
        if needed not in t.columns:
            raise DataError(f"the data has no column {needed!r}", usage.label,
                            hint=f"the rubric {rubric.name} reads accounts from {account_col!r} and periods from "
                                 f"{period_col!r}; rename the columns or use a rubric that names yours")
    skip = {account_col, period_col, *rubric.input.segments, *ATTRIBUTE_COLUMNS, *exclude}
    schema = t.schema()
    numeric = [c for c in t.columns if c not in skip and (schema[c].is_integer() or schema[c].is_floating())]
    if not numeric:
        raise DataError("the data has no numeric column to evaluate", usage.label,
                        hint="give usage data with counters (one numeric column per counter)")
    version_col = next((c for c in VERSION_COLUMNS if c in t.columns), None)
    chosen = [d for d in (denominators if denominators is not None else _default_denominators(rubric, numeric))]
    unknown = [d for d in chosen if d not in numeric]
    if unknown:
        raise DataError(f"denominator column(s) {', '.join(unknown)} are not numeric columns of the data", usage.label,
                        hint="numeric columns: " + ", ".join(numeric[:20]))
    wanted = [account_col, period_col, *numeric] + ([version_col] if version_col else [])
    frame = t.select(*wanted).to_pyarrow().to_pandas()
    frame[account_col] = frame[account_col].astype(str)
    frame[period_col] = frame[period_col].astype(str)
    periods = sorted(frame[period_col].dropna().unique())
    if not periods:
        raise DataError("the data has no rows", usage.label, hint="give usage data with at least one period")
    the_period = periods[-1] if period is None else str(period)
    if the_period not in periods:
        raise DataError(f"period {the_period!r} is not in the data", usage.label,
                        hint="use one of " + ", ".join(periods[-12:]))
    window = frame[frame[period_col] == the_period].drop_duplicates(account_col, keep="last").reset_index(drop=True)

    healthy = None
    cohort_label = None
    if cohort is not None:
        c = read_cohort(cohort)
        healthy = window[account_col].isin(set(c.ids or ())).to_numpy()
        cohort_label = c.label
    outcome_rows = None
    outcomes_label = None
    if outcomes is not None:
        o = read_outcomes(outcomes)
        outcomes_label = f"{Path(outcomes).name} ({len(o.frame)} outcomes)"
        outcome_rows = _before_outcomes(frame, o.frame, account_col, period_col)
        if outcome_rows.empty:
            warnings.append("no outcome has a usage row before it: outcomes are not used")
            outcome_rows = None
    if healthy is not None and not healthy.any():
        warnings.append("no account of the healthy cohort is in the period: the cohort is not used")
        healthy = None

    alone = {d: _inverse_evidence(d, window, healthy, outcome_rows) for d in chosen}
    candidates = []
    for numerator in numeric:
        for denominator in [None, *chosen]:
            if denominator == numerator:
                continue
            c = _candidate(numerator, denominator, window, healthy, outcome_rows, version_col, rubric)
            candidates.append(_replace(c, denominator_alone=alone[denominator]) if denominator else c)
    z = corrected_z(len(candidates))
    candidates = [_replace(c, z=z) for c in candidates]
    sample = window if len(window) <= CORRELATION_SAMPLE else window.sample(CORRELATION_SAMPLE, random_state=0)
    candidates = _with_redundancy(candidates, sample)
    return Evaluation(rubric, usage.label, the_period, len(window), chosen, candidates, cohort_label, outcomes_label,
                      0 if outcome_rows is None else len(outcome_rows), warnings, list(t.columns), healthy is not None,
                      0 if healthy is None else int(healthy.sum()), sample)


def _pivot_every_input(t: Any, rubric: Rubric, label: str) -> Any:
    """Long rows (account, period, input name, value) as one column per input name in the data
    (not only those the rubric reads: discovery is about the others)."""
    spec = rubric.input
    missing = [c for c in (spec.account_id, spec.period, spec.name_column, spec.value_column) if c not in t.columns]
    if missing:
        raise DataError(f"long-format data needs column(s) {', '.join(missing)}", label,
                        hint=f"long data has {spec.account_id}, {spec.period}, {spec.name_column}, {spec.value_column}")
    names = sorted(str(n) for n in t.select(n=t[spec.name_column].cast("string")).distinct().to_pyarrow()["n"].to_pylist()
                   if n is not None)
    value = t[spec.value_column].cast("float64")
    aggregates = {name: value.max(where=t[spec.name_column] == name) for name in names}
    return t.group_by([spec.account_id, spec.period]).agg(**aggregates)


def _in_scope(t: Any, scope: str) -> tuple[Any, str | None]:
    """The rows the rubric scores (its ``scope``), or all rows with a note when the data lacks a column it reads."""
    from adoptscore.rubric.expressions import parse
    from adoptscore.engine.expressions import compile_expression

    expression = parse(scope)
    absent = [c for c in expression.columns if c not in t.columns]
    if absent:
        return t, f"the rubric's scope ({scope}) reads {', '.join(absent)}, which the data lacks: every row is evaluated"
    condition = compile_expression(expression.tree, lambda name: t[name])
    return t.filter(condition.fill_null(False)), None


def _values(frame: pd.DataFrame, numerator: str, denominator: str | None) -> tuple[np.ndarray, np.ndarray]:
    """The candidate's values (NaN where there is none) and where the numerator is a failure code."""
    num = frame[numerator].to_numpy(dtype=np.float64, na_value=np.nan)
    failed = num < 0
    num = np.where(failed, np.nan, num)
    if denominator is None:
        return num, failed
    den = frame[denominator].to_numpy(dtype=np.float64, na_value=np.nan)
    den = np.where(den > 0, den, np.nan)
    return num / den, failed


def _month_number(text: pd.Series) -> pd.Series:
    """'YYYY-MM...' as year * 12 + month (merge_asof needs a number); NaN when it is not one."""
    parts = text.astype(str).str.extract(r"^(\d{4})-(\d{2})")
    return pd.to_numeric(parts[0], errors="coerce") * 12 + pd.to_numeric(parts[1], errors="coerce")


def _before_outcomes(frame: pd.DataFrame, outcomes: pd.DataFrame, account_col: str, period_col: str) -> pd.DataFrame:
    """Per outcome, the account's last usage row in a month before the outcome's, with ``good``."""
    known = outcomes[outcomes["outcome"].isin(GOOD_OUTCOMES + BAD_OUTCOMES)]
    left = known.assign(_key=_month_number(known["month"]), _account=known["account_id"].astype(str))
    right = frame.assign(_key=_month_number(frame[period_col]), _account=frame[account_col])
    right = right[right["_key"].notna()]
    merged = pd.merge_asof(left[["_account", "_key", "outcome"]].sort_values("_key"), right.sort_values("_key"),
                           on="_key", by="_account", allow_exact_matches=False, direction="backward")
    merged = merged[merged[period_col].notna()].reset_index(drop=True)
    merged["good"] = merged["outcome"].isin(GOOD_OUTCOMES)
    return merged


def _inverse_evidence(denominator: str, window: pd.DataFrame, healthy: np.ndarray | None,
                      outcome_rows: pd.DataFrame | None) -> Auc | None:
    """The evidence AUC of 1 / ``denominator`` alone (outcomes when given, else the cohort)."""
    def inverse(frame: pd.DataFrame) -> np.ndarray:
        den = frame[denominator].to_numpy(dtype=np.float64, na_value=np.nan)
        return np.where(den > 0, 1.0 / np.where(den > 0, den, 1.0), np.nan)

    if outcome_rows is not None:
        return auc(inverse(outcome_rows), outcome_rows["good"].to_numpy(bool))
    if healthy is not None:
        return auc(inverse(window), healthy)
    return None


def _candidate(numerator: str, denominator: str | None, window: pd.DataFrame, healthy: np.ndarray | None,
               outcome_rows: pd.DataFrame | None, version_col: str | None, rubric: Rubric) -> Candidate:
    values, failed = _values(window, numerator, denominator)
    n = len(values)
    have = ~np.isnan(values)
    shown = values[have]
    quantiles: dict[str, float | None] = {}
    for p in (10, 25, 50, 75, 90):
        quantiles[f"p{p}"] = float(np.quantile(shown, p / 100)) if shown.size else None
    iqr = None if not shown.size else (quantiles["p75"] or 0.0) - (quantiles["p25"] or 0.0)
    median = quantiles["p50"]
    spread = None if iqr is None else (iqr / abs(median) if median else (float("inf") if iqr > 0 else 0.0))
    by_version = {}
    if version_col is not None:
        versions = window[version_col].astype(str).to_numpy()
        for version in pd.Series(versions).value_counts().index[:8]:
            mask = versions == version
            by_version[str(version)] = float(have[mask].mean())
    cohort_auc = auc(values, healthy) if healthy is not None else None
    outcome_auc = None
    if outcome_rows is not None:
        o_values, _ = _values(outcome_rows, numerator, denominator)
        outcome_auc = auc(o_values, outcome_rows["good"].to_numpy(bool))
    name = numerator if denominator is None else f"{numerator}_per_{denominator}"
    return Candidate(name, numerator, denominator, assign_use_case(numerator, rubric), n,
                     float(have.mean()) if n else 0.0, float(failed.mean()) if n else 0.0, by_version, quantiles,
                     float((shown == 0).mean()) if shown.size else None, spread, cohort_auc, outcome_auc)


def _with_redundancy(candidates: list[Candidate], sample: pd.DataFrame) -> list[Candidate]:
    """Best first; each candidate marked with the better one it correlates with most (|rho| >= REDUNDANT)."""
    ordered = sorted(candidates, key=lambda c: (-c.eligible, -c.strong, -c.score, -c.reporting, c.id))
    matrix = np.column_stack([_values(sample, c.numerator, c.denominator)[0] for c in ordered]) if ordered else \
        np.empty((0, 0))
    rho = spearman(matrix) if ordered else matrix
    out = []
    for i, c in enumerate(ordered):
        if i == 0:
            out.append(c)
            continue
        j = int(np.argmax(np.abs(rho[i, :i])))
        r = float(rho[i, j])
        if abs(r) >= REDUNDANT:
            out.append(_replace(c, redundant_with=ordered[j].id, rho=r))
        else:
            out.append(_replace(c, rho=r))
    return out


def _replace(c: Candidate, **changes: Any) -> Candidate:
    from dataclasses import replace

    return replace(c, **changes)
