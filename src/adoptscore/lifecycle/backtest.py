"""Colors against what happened later: did the accounts a rubric called Red churn more?

An outcomes file has one row per renewal (or churn) event:

* ``account_id``: an account of the usage data;
* ``date``: when it happened, ISO ``YYYY-MM-DD`` or ``YYYY-MM`` (a time after the date is ignored);
* ``outcome``: ``churned``, ``contracted``, ``renewed`` or ``expanded`` (any letter case);
* ``arr`` (optional): the account's annual recurring revenue, a number.

:func:`backtest` looks up each account's score and color ``months_before`` months before the
month of its outcome (so the usage periods must be months written ``YYYY-MM``) and measures, per
rubric: the bad-outcome rate per color and its lift over the base rate, the AUC of the score
(the probability that a random account with a bad outcome scored lower than a random one with a
good outcome, ties counting one half), ROC points, and the share of churners that were not Green
(and that were Red) beforehand. Outcomes without a score then are counted and listed, never
dropped silently. The base rate is the bad-outcome rate of every outcome in the file.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from adoptscore.errors import DataError, RubricError
from adoptscore.lifecycle.diff import (
    COLORS,
    LABELS,
    OVERALL,
    as_rubric,
    rubric_label,
    states,
    usage_periods,
)
from adoptscore.lifecycle.bootstrap import (DRAWS, Interval, Sides, auc_difference, auc_interval, lift_difference,
                                            lift_interval, resamples)
from adoptscore.lifecycle.ranking import auc as rank_auc
from adoptscore.lifecycle.ranking import roc_points
from adoptscore.lifecycle.tables import SmallTable, read_small_table
from adoptscore.report.document import (
    BarChart,
    Colored,
    Curve,
    Paragraph,
    Report,
    Section,
    Table,
)
from adoptscore.rubric.models import Rubric

OUTCOMES: tuple[str, ...] = ("churned", "contracted", "renewed", "expanded")
BAD: tuple[str, ...] = ("churned", "contracted")
#: Where an outcome's account stood N months before: its color, not applicable, or no score.
CATEGORIES: tuple[str, ...] = ("red", "yellow", "green", "not_applicable", "no_score")
CATEGORY_LABELS = {**LABELS, "no_score": "no score"}
#: Outcomes without a score listed in the report (all of them are in :meth:`Backtest.to_dict`).
UNMATCHED_SHOWN = 200
_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?$")
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_REQUIRED = {"account_id": "the account's id as in the usage data",
             "date": "when it happened, YYYY-MM-DD or YYYY-MM",
             "outcome": "churned, contracted, renewed or expanded"}


# -- the outcomes file -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcomes:
    """A checked outcomes file: ``frame`` has account_id, date, month ('YYYY-MM'), outcome, arr,
    and ``row`` (the position in ``table``, for messages pointing at the file line)."""

    table: SmallTable
    frame: pd.DataFrame

    def error(self, row: int, column: str | None, message: str, hint: str | None = None) -> DataError:
        return self.table.error(row, column, message, hint)


def _month_of(text: str) -> str | None:
    match = _DATE.match(text)
    if not match:
        return None
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3) or 1)
    try:
        Date(year, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}"


def _cell(value: Any) -> str | None:
    # blank cells can come back as NaN rather than None from pandas' string columns
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def read_outcomes(path: str | Path) -> Outcomes:
    """Read and check an outcomes file (CSV, TSV, Parquet or JSON records).

    Raises one :class:`DataError` pointing at the file line (CSV/TSV) or record for a blank
    account id, an unreadable date, an unknown outcome or an ``arr`` that is not a number; rows
    that are entirely blank are skipped, and a file with no other row is an error.
    """
    table = read_small_table(path, "outcomes file", _REQUIRED, optional=("arr",))
    frame = table.frame
    rows = []
    for i, raw in enumerate(frame.to_dict("records")):
        record = {k: _cell(v) for k, v in raw.items()}
        if all(v is None for v in record.values()):
            continue
        account = record["account_id"]
        if account is None:
            raise table.error(i, "account_id", "the account id is blank", "give the account's id as in the usage data")
        when = record["date"]
        if when is None:
            raise table.error(i, "date", "the date is blank", "write the date as YYYY-MM-DD or YYYY-MM")
        month = _month_of(when)
        if month is None:
            raise table.error(i, "date", f"cannot read the date {when!r}",
                              "write the date as YYYY-MM-DD (e.g. 2026-05-31) or YYYY-MM")
        outcome = (record["outcome"] or "").lower()
        if outcome not in OUTCOMES:
            shown = record["outcome"] if record["outcome"] is not None else "(blank)"
            raise table.error(i, "outcome", f"unknown outcome {shown!r}", "use one of " + ", ".join(OUTCOMES))
        arr = record.get("arr")
        value = None
        if arr is not None:
            try:
                value = float(arr.replace(",", "").replace("_", ""))
            except ValueError:
                value = None
            if value is None or not np.isfinite(value) or value < 0:
                raise table.error(i, "arr", f"arr {arr!r} is not a non-negative number",
                                  "write the annual recurring revenue as a plain number, e.g. 120000, or leave it blank")
        rows.append({"row": i, "account_id": account, "date": when, "month": month, "outcome": outcome, "arr": value})
    if not rows:
        raise DataError("outcomes file has no usable rows", table.path,
                        hint="add one row per outcome: account_id, date (YYYY-MM-DD), outcome")
    return Outcomes(table, pd.DataFrame(rows))


def shift_month(month: str, months: int) -> str:
    """``'YYYY-MM'`` moved back by ``months`` months."""
    year, m = int(month[:4]), int(month[5:7])
    ordinal = year * 12 + (m - 1) - months
    return f"{ordinal // 12:04d}-{ordinal % 12 + 1:02d}"


# -- results ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rate:
    """Outcomes in one category (a color, not applicable, or no score) and how many were bad."""

    category: str
    n: int
    bad: int
    base_rate: float | None

    @property
    def rate(self) -> float | None:
        return self.bad / self.n if self.n else None

    @property
    def lift(self) -> float | None:
        rate = self.rate
        return rate / self.base_rate if rate is not None and self.base_rate else None

    def to_dict(self) -> dict[str, Any]:
        return {"category": self.category, "n": self.n, "bad": self.bad, "rate": self.rate, "lift": self.lift}


@dataclass(frozen=True)
class UseCaseBacktest:
    """One use case (or overall) of one rubric: rates per category, AUC and ROC of the score."""

    use_case: str
    title: str
    rates: list[Rate]
    auc: float | None
    scored: int  # outcomes with a score (a color)
    roc: tuple[list[float], list[float]] = ([], [])

    def rate(self, category: str) -> Rate:
        for r in self.rates:
            if r.category == category:
                return r
        raise KeyError(category)

    def to_dict(self) -> dict[str, Any]:
        return {"use_case": self.use_case, "title": self.title, "scored": self.scored, "auc": self.auc,
                "rates": [r.to_dict() for r in self.rates],
                "roc": {"false_positive_rate": list(self.roc[0]), "true_positive_rate": list(self.roc[1])}}


@dataclass(frozen=True)
class Unmatched:
    """An outcome whose account had no score ``months_before`` months before it."""

    account_id: str
    date: str
    outcome: str
    period: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"account_id": self.account_id, "date": self.date, "outcome": self.outcome,
                "period": self.period, "reason": self.reason}


@dataclass(frozen=True)
class RubricBacktest:
    """One rubric's backtest: the chosen use case (``main``), every use case asked for, churners."""

    rubric: Rubric
    label: str
    main: UseCaseBacktest
    use_cases: list[UseCaseBacktest]
    churners: int  # churned outcomes with a color
    churners_not_green: int
    churners_red: int
    unmatched: list[Unmatched]
    #: bootstrap intervals of the main use case: its AUC, and each color's lift
    auc_interval: Interval | None = None
    lift_intervals: dict[str, Interval] = field(default_factory=dict)

    @property
    def share_not_green(self) -> float | None:
        return self.churners_not_green / self.churners if self.churners else None

    @property
    def share_red(self) -> float | None:
        return self.churners_red / self.churners if self.churners else None

    def to_dict(self) -> dict[str, Any]:
        return {"rubric": self.rubric.name, "version": self.rubric.version, "label": self.label,
                "main": self.main.to_dict(), "use_cases": [u.to_dict() for u in self.use_cases],
                "churners": {"with_score": self.churners, "not_green": self.churners_not_green,
                             "red": self.churners_red, "share_not_green": self.share_not_green,
                             "share_red": self.share_red},
                "unmatched": [u.to_dict() for u in self.unmatched],
                "auc_interval": self.auc_interval.to_dict() if self.auc_interval else None,
                "lift_intervals": {c: i.to_dict() for c, i in self.lift_intervals.items()}}


@dataclass(frozen=True)
class Comparison:
    """Two rubrics on the same outcomes: the change in AUC and in Red's lift, with paired bootstrap
    intervals; ``significant`` when the AUC change's interval leaves out 0."""

    first: str
    second: str
    auc_change: float | None
    auc_interval: Interval
    red_lift_change: float | None
    red_lift_interval: Interval

    @property
    def significant(self) -> bool:
        return self.auc_interval.excludes_zero

    def text(self) -> str:
        if self.auc_change is None:
            return f"{self.second} against {self.first}: AUC undefined for one of them"
        i = self.auc_interval
        shown = f"{self.auc_change:+.3f}" + ("" if i.low is None else f" (95% {i.low:+.3f} to {i.high:+.3f})")
        verdict = "a significant difference" if self.significant else \
            "not significant: the outcomes do not tell the two versions apart"
        return f"{self.second} against {self.first}: AUC {shown}, {verdict}"

    def to_dict(self) -> dict[str, Any]:
        return {"first": self.first, "second": self.second, "auc_change": self.auc_change,
                "auc_interval": self.auc_interval.to_dict(), "red_lift_change": self.red_lift_change,
                "red_lift_interval": self.red_lift_interval.to_dict(), "significant": self.significant}


@dataclass
class Backtest:
    """Colors against outcomes for one or more rubrics; see :func:`backtest`."""

    source: str
    outcomes_file: str
    months_before: int
    bad: tuple[str, ...]
    use_case: str
    outcome_counts: dict[str, int]
    rubrics: list[RubricBacktest] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    bootstrap: int = 0

    @property
    def outcomes(self) -> int:
        return sum(self.outcome_counts.values())

    @property
    def bad_outcomes(self) -> int:
        return sum(self.outcome_counts[o] for o in self.bad)

    @property
    def base_rate(self) -> float | None:
        return self.bad_outcomes / self.outcomes if self.outcomes else None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "backtest", "source": self.source, "outcomes_file": self.outcomes_file,
                "months_before": self.months_before, "bad": list(self.bad), "use_case": self.use_case,
                "outcomes": self.outcomes, "outcome_counts": dict(self.outcome_counts),
                "bad_outcomes": self.bad_outcomes, "base_rate": self.base_rate,
                "rubrics": [r.to_dict() for r in self.rubrics], "bootstrap": self.bootstrap,
                "comparisons": [c.to_dict() for c in self.comparisons]}

    def report(self) -> Report:
        return _report(self)


# -- computing it ----------------------------------------------------------------------------------

def _check_bad(bad: Iterable[str]) -> tuple[str, ...]:
    if isinstance(bad, str):
        bad = [bad]
    chosen = tuple(dict.fromkeys(str(b).strip().lower() for b in bad))
    unknown = [b for b in chosen if b not in OUTCOMES]
    if unknown:
        raise DataError(f"unknown bad outcome {unknown[0]!r}", hint="use some of " + ", ".join(OUTCOMES))
    if not chosen or len(chosen) == len(OUTCOMES):
        raise DataError("the bad outcomes must be some but not all of " + ", ".join(OUTCOMES),
                        hint="e.g. churned and contracted")
    return chosen


def _use_cases(rubrics: list[Rubric], use_case: str) -> list[list[str]]:
    """The use cases to backtest, per rubric (overall first)."""
    wanted = use_case.strip().lower()
    out = []
    for rubric in rubrics:
        ids = [u.id for u in rubric.use_cases]
        if wanted == "all":
            out.append([OVERALL, *ids])
        elif wanted == OVERALL or wanted in ids:
            out.append([wanted])
        else:
            raise RubricError(f"rubric {rubric_label(rubric)} has no use case {use_case!r}",
                              hint="use overall, all, or one of " + ", ".join(ids))
    return out


def _accounts(result: Any) -> set[str]:
    """Every account id of the usage data (scored or not)."""
    t = result.data
    ids = t.select(a=t[result.rubric.input.account_id].cast("string")).distinct().to_pyarrow()["a"].to_pylist()
    return {str(a) for a in ids if a is not None}


def _account_periods(result: Any, periods: list[str]) -> pd.DataFrame:
    """The (account_id, period) pairs of the usage data in ``periods``."""
    t = result.data
    pairs = t.select(account_id=t[result.rubric.input.account_id].cast("string"),
                     period=t[result.rubric.input.period].cast("string"))
    return pairs.filter(pairs.period.isin(periods)).distinct().to_pyarrow().to_pandas()


def _check_periods(result: Any, periods: list[str]) -> None:
    odd = [p for p in periods if not _PERIOD.match(p)]
    if odd:
        column = result.rubric.input.period
        raise DataError(f"the period column {column!r} holds {odd[0]!r}; backtest needs monthly periods written "
                        "'YYYY-MM'", result.source or None,
                        hint=f"write {column} as YYYY-MM (e.g. 2026-05), one row per account and month")


def _reasons(frame: pd.DataFrame, present: pd.DataFrame, first_period: str) -> np.ndarray:
    has_rows = frame.merge(present.assign(_rows=True), left_on=["account_id", "score_period"],
                           right_on=["account_id", "period"], how="left")["_rows"].fillna(False).to_numpy(bool)
    reasons = np.where(has_rows, "outside the rubric's scope then (no scored row)", "no usage rows that month")
    before = frame["score_period"].to_numpy(dtype=object) < first_period
    return np.where(before, "before the usage data starts", reasons).astype(object)


def _use_case_backtest(use_case: str, title: str, outcomes: pd.DataFrame, rows: pd.DataFrame,
                       bad: tuple[str, ...], base_rate: float | None) -> tuple[UseCaseBacktest, pd.DataFrame]:
    joined = outcomes.merge(rows, left_on=["account_id", "score_period"], right_on=["account_id", "period"],
                            how="left", suffixes=("", "_score"))
    state = joined["state"].fillna("no_score").replace({"no_data": "no_score"})
    joined["category"] = state
    is_bad = joined["outcome"].isin(bad).to_numpy()
    rates = []
    for category in CATEGORIES:
        mask = (state == category).to_numpy()
        if category == "not_applicable" and not mask.any():
            continue
        rates.append(Rate(category, int(mask.sum()), int((mask & is_bad).sum()), base_rate))
    colored = state.isin(COLORS).to_numpy() & joined["score"].notna().to_numpy()
    score = joined["score"].to_numpy(dtype=float)[colored]
    positives = is_bad[colored]
    # a higher score should mean fewer bad outcomes: rank by -score
    result = UseCaseBacktest(use_case, title, rates, rank_auc(-score, positives), int(colored.sum()),
                             roc_points(-score, positives))
    return result, joined


def backtest(data: Any, rubrics: list[Rubric | str | Path] | Rubric | str | Path, outcomes: str | Path, *,
             months_before: int = 3, bad: Iterable[str] = BAD, use_case: str = OVERALL,
             table: str | None = None, layout: str | None = None, bootstrap: int = DRAWS) -> Backtest:
    """Compare the colors rubrics gave ``months_before`` months before each outcome with the outcome.

    ``rubrics`` is one rubric or a list (several versions are compared side by side); ``outcomes``
    is the outcomes file (see the module docstring). ``bad`` names the outcomes that count as bad
    (default churned and contracted). ``use_case`` is ``overall`` (default), a use case id, or
    ``all`` (every use case plus overall; the headline figures are then overall's). The usage
    periods must be months ``YYYY-MM``. ``bootstrap`` resamples of the outcomes give 95% intervals
    of each rubric's AUC and lifts, and of the change between consecutive rubrics (0: none). Every
    input mistake raises one :class:`DataError` (or :class:`RubricError`) naming the file, line and
    column where it applies.
    """
    from adoptscore import api

    if isinstance(months_before, bool) or not isinstance(months_before, (int, np.integer)) or months_before < 0:
        raise DataError(f"months_before must be a whole number 0 or more, got {months_before!r}",
                        hint="e.g. 3 compares the colors 3 months before each outcome")
    months_before = int(months_before)
    if isinstance(bootstrap, bool) or not isinstance(bootstrap, (int, np.integer)) or bootstrap < 0:
        raise DataError(f"bootstrap must be a whole number 0 or more, got {bootstrap!r}",
                        hint="e.g. 1000 resamples; 0 for no intervals")
    bad = _check_bad(bad)
    if isinstance(rubrics, (str, Path, Rubric)):
        rubrics = [rubrics]
    loaded = [as_rubric(r) for r in rubrics]
    if not loaded:
        raise RubricError("no rubric to backtest", hint="give at least one rubric, e.g. gitlab")
    wanted = _use_cases(loaded, use_case)
    checked = read_outcomes(outcomes)
    frame = checked.frame

    first = api.score(data, loaded[0], table=table, layout=layout)
    for rubric in loaded[1:]:
        api.score(data, rubric, table=table, layout=layout)  # every rubric's columns, before any work
    periods = usage_periods(first)
    if not periods:
        raise DataError("the usage data has no rows", first.source or None, hint="give usage data with monthly periods")
    _check_periods(first, periods)
    known = _accounts(first)
    unknown = ~frame["account_id"].isin(known)
    if unknown.any():
        row = frame[unknown].iloc[0]
        more = int(unknown.sum()) - 1
        extra = f" ({more} more outcome(s) name accounts missing from the data)" if more else ""
        example = next(iter(sorted(known)), "")
        raise checked.error(int(row["row"]), "account_id", f"account {row['account_id']!r} is not in the usage data{extra}",
                            f"use the usage data's account ids (e.g. {example!r}) or remove the row")

    frame = frame.assign(score_period=[shift_month(m, months_before) for m in frame["month"]])
    needed = sorted(set(frame["score_period"]) & set(periods))
    if not needed:
        raise DataError(f"no outcome has usage data {months_before} month(s) before it: the outcomes run "
                        f"{frame['month'].min()} to {frame['month'].max()}, the usage data {periods[0]} to {periods[-1]}",
                        checked.table.path,
                        hint="lower --months-before or give outcomes within the usage data's months")
    counts = frame["outcome"].value_counts()
    outcome_counts = {o: int(counts.get(o, 0)) for o in OUTCOMES}
    result = Backtest(source=first.source, outcomes_file=checked.table.path, months_before=months_before, bad=bad,
                      use_case=use_case.strip().lower(), outcome_counts=outcome_counts)
    base_rate = result.base_rate
    present = _account_periods(first, needed)
    reasons = _reasons(frame, present, periods[0])
    labels = [rubric_label(r) for r in loaded]
    draws = resamples(len(frame), int(bootstrap)) if bootstrap else None
    sides: list[Sides] = []
    result.bootstrap = int(bootstrap)
    for i, (rubric, cases) in enumerate(zip(loaded, wanted)):
        label = labels[i] if labels.count(labels[i]) == 1 else f"{labels[i]} (#{i + 1})"
        scored = api.score(data, rubric, table=table, layout=layout, periods=needed)
        overall, by_case = scored.overall, scored.use_cases
        titles = {u.id: u.title for u in rubric.use_cases}
        titles[OVERALL] = rubric.overall.title
        results = []
        main_joined = None
        for case in cases:
            rows = overall if case == OVERALL else by_case[by_case["use_case"] == case]
            rows = rows.loc[:, ["account_id", "period", "score"]].assign(state=states(rows))
            one, joined = _use_case_backtest(case, titles[case], frame, rows, bad, base_rate)
            results.append(one)
            if main_joined is None:
                main_joined = joined
        assert main_joined is not None
        main = results[0]
        churned = (main_joined["outcome"] == "churned") & main_joined["category"].isin(COLORS)
        unmatched = []
        for j, row in enumerate(main_joined.itertuples(index=False)):
            if row.category != "no_score":
                continue
            reason = f"no data in {row.score_period}" if row.state == "no_data" else reasons[j]
            unmatched.append(Unmatched(row.account_id, row.date, row.outcome, row.score_period, reason))
        colored = main_joined["category"].isin(COLORS).to_numpy() & main_joined["score"].notna().to_numpy()
        side = Sides(np.where(colored, main_joined["score"].to_numpy(dtype=float), np.nan),
                     main_joined["category"].to_numpy(dtype=object), main_joined["outcome"].isin(bad).to_numpy())
        sides.append(side)
        result.rubrics.append(RubricBacktest(
            rubric=rubric, label=label, main=main, use_cases=results, churners=int(churned.sum()),
            churners_not_green=int((churned & (main_joined["category"] != "green")).sum()),
            churners_red=int((churned & (main_joined["category"] == "red")).sum()), unmatched=unmatched,
            auc_interval=auc_interval(side, draws) if draws is not None else None,
            lift_intervals={c: lift_interval(side, draws, c) for c in COLORS} if draws is not None else {}))
    if draws is not None:
        for (a, sa), (b, sb) in zip(zip(result.rubrics, sides), zip(result.rubrics[1:], sides[1:])):
            red_a, red_b = a.main.rate("red").lift, b.main.rate("red").lift
            result.comparisons.append(Comparison(
                a.label, b.label, None if a.main.auc is None or b.main.auc is None else b.main.auc - a.main.auc,
                auc_difference(sa, sb, draws), None if red_a is None or red_b is None else red_b - red_a,
                lift_difference(sa, sb, draws, "red")))
    return result


# -- the report ------------------------------------------------------------------------------------

def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _lift_span(i: Interval | None) -> str:
    return "-" if i is None or i.low is None else f"{i.low:.2f} to {i.high:.2f}"


def _span(i: Interval) -> str:
    return "-" if i.low is None else f"{i.low:+.3f} to {i.high:+.3f}"


def _rate_table(u: UseCaseBacktest, intervals: dict[str, Interval] | None = None) -> Table:
    intervals = intervals or {}
    rows = [[Colored(CATEGORY_LABELS[r.category], r.category if r.category != "no_score" else "no_data"),  # type: ignore[arg-type]
             r.n, r.bad, r.rate, r.lift, _lift_span(intervals.get(r.category))] for r in u.rates]
    return Table(columns=["color", "outcomes", "bad", "bad rate", "lift", "lift 95%"], rows=rows,
                 formats={"outcomes": ",d", "bad": ",d", "bad rate": ".1%", "lift": ".2f"},
                 caption=f"{u.title}: AUC {u.auc:.3f} over {u.scored:,} scored outcomes" if u.auc is not None
                 else f"{u.title}: AUC undefined (needs good and bad outcomes with a score)")


def _report(b: Backtest) -> Report:
    bad_text = " or ".join(b.bad)
    figures: list[tuple[str, str]] = [("outcomes", f"{b.outcomes:,}"),
                                      ("base rate", f"{_pct(b.base_rate)} {bad_text}" if b.base_rate is not None else "-")]
    for r in b.rubrics:
        shown = "-" if r.main.auc is None else f"{r.main.auc:.3f}"
        if r.auc_interval is not None and r.auc_interval.low is not None and r.main.auc is not None:
            shown += f" [{r.auc_interval.low:.3f}, {r.auc_interval.high:.3f}]"
        figures.append((f"AUC {r.label}", shown))
    for r in b.rubrics:
        figures.append((f"churners not Green {b.months_before} mo before ({r.label})", _pct(r.share_not_green)))
    warnings = []
    for r in b.rubrics:
        if r.unmatched:
            warnings.append(f"{len(r.unmatched):,} outcome(s) have no {r.main.title} score from {r.label} "
                            f"{b.months_before} month(s) before; they are counted as 'no score' and listed below")
        if r.main.auc is None:
            warnings.append(f"{r.label}: the AUC needs both good and bad outcomes with a score")
    if b.outcomes < 30:
        warnings.append(f"only {b.outcomes} outcomes: the rates are noisy")

    sections = []
    for r in b.rubrics:
        sections.append(Section(f"Bad-outcome rate by color: {r.label}", [
            Paragraph(f"{r.main.title} color {b.months_before} month(s) before each outcome; bad = {bad_text}; "
                      "lift = bad rate / base rate."), _rate_table(r.main, r.lift_intervals)]))
    categories = [c for c in CATEGORIES
                  if any(x.category == c and (c in COLORS or x.n) for r in b.rubrics for x in r.main.rates)]
    series = []
    for r in b.rubrics:
        present = {x.category: x for x in r.main.rates}
        series.append((r.label, [present[c].rate if c in present else None for c in categories]))
    chart = BarChart(title=f"Bad-outcome rate by {b.months_before}-months-before color",
                     categories=[CATEGORY_LABELS[c] for c in categories], series=series,
                     reference=("base rate", b.base_rate) if b.base_rate is not None else None)
    curves = [(f"{r.label} (AUC {r.main.auc:.3f})", *r.main.roc) for r in b.rubrics if r.main.auc is not None]
    blocks: list[Any] = [chart]
    if curves:
        blocks.append(Curve(title="ROC: the score ranking bad outcomes first", series=curves,
                            x_label="share of good outcomes flagged", y_label="share of bad outcomes flagged",
                            diagonal=True, caption="flagging accounts from the lowest score up; the diagonal is chance"))
    if b.comparisons:
        blocks.append(Table(
            columns=["versions", "AUC change", "95% interval", "Red lift change", "95% interval", "verdict"],
            rows=[[f"{c.second} vs {c.first}", c.auc_change, _span(c.auc_interval), c.red_lift_change,
                   _span(c.red_lift_interval), "significant" if c.significant else "not significant"]
                  for c in b.comparisons],
            formats={"AUC change": "+.3f", "Red lift change": "+.2f"},
            caption=f"paired bootstrap over the same {b.bootstrap:,} resamples of the outcomes; not significant = "
                    "the AUC change's interval holds 0"))
        for c in b.comparisons:
            if not c.significant:
                warnings.append(c.text())
    sections.append(Section("Rubrics compared", blocks))

    churn_rows = [[r.label, r.churners, r.share_not_green, r.share_red] for r in b.rubrics]
    sections.append(Section("Churners", [Table(
        columns=["rubric", "churners with a score", "not Green before", "Red before"], rows=churn_rows,
        formats={"churners with a score": ",d", "not Green before": ".0%", "Red before": ".0%"},
        caption=f"churned accounts by their {b.rubrics[0].main.title if b.rubrics else ''} color "
                f"{b.months_before} month(s) before")]))

    if any(len(r.use_cases) > 1 or r.use_cases[0].use_case != OVERALL for r in b.rubrics):
        blocks = []
        for r in b.rubrics:
            shown = [c for c in CATEGORIES if c in COLORS or any(x.category == c and x.n for u in r.use_cases
                                                                 for x in u.rates)]
            rows = []
            for u in r.use_cases:
                by = {x.category: x for x in u.rates}
                cells: list[Any] = [u.title]
                for c in shown:
                    rate = by.get(c)
                    cells.append("-" if rate is None or rate.rate is None else f"{rate.rate:.1%} of {rate.n:,}")
                rows.append(cells + [u.auc])
            blocks.append(Table(columns=["use case", *[CATEGORY_LABELS[c] for c in shown], "AUC"], rows=rows,
                                formats={"AUC": ".3f"},
                                caption=f"{r.label}: bad-outcome rate per use case color (of n outcomes)"))
        sections.append(Section("By use case", blocks))

    rows = []
    total = 0
    for r in b.rubrics:
        for u in r.unmatched:
            total += 1
            if len(rows) < UNMATCHED_SHOWN:
                rows.append([r.label, u.account_id, u.date, u.outcome, u.period, u.reason])
    if rows:
        blocks = [Table(columns=["rubric", "account", "date", "outcome", "score period", "why no score"], rows=rows)]
        if total > len(rows):
            blocks.append(Paragraph(f"showing {len(rows)} of {total:,}; the JSON output lists them all", "note"))
        sections.append(Section(f"Outcomes without a score {b.months_before} month(s) before", blocks))
    return Report(title="Backtest: colors against outcomes",
                  subtitle=f"{b.source or 'data'}; {b.outcomes_file}; colors {b.months_before} month(s) before",
                  figures=figures, warnings=warnings, sections=sections)
