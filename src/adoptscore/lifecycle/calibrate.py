"""Calibrate: propose thresholds from the population's quantiles and a healthy cohort, with the evidence.

Everything heavy runs on the backend holding the data, over the rubric's own compiled plan (so a
metric's values are exactly the ones the engine bands). The plan runs once, into a temporary
table of metric values; then

1. one aggregate computes, per metric (and per band-table case), the number of scored values,
   exact quantiles and the healthy cohort's count, mean and median;
2. the strategy turns quantiles into cuts (:mod:`adoptscore.lifecycle.thresholds`), rounded;
3. one small GROUP BY per metric counts the values in the intervals between all cuts (current and
   proposed) and in histogram bins: that fixes the side that owns a cut and gives the color mixes,
   the values near each cut and the plots exactly;
4. with ``preview``, both rubrics are scored over the window and their use-case colors counted.

Quantiles are over account-months: every scored (account, period) value in the window counts once.
"""
from __future__ import annotations

import datetime as _dt
import math
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from adoptscore.engine.compile import BAND_DECIMALS, Stage, compile_rubric
from adoptscore.engine.result import ScoreResult
from adoptscore.errors import AdoptscoreError, DataError
from adoptscore.lifecycle import thresholds as th
from adoptscore.lifecycle.cohort import FLAG, Cohort, filter_cohort, read_cohort
from adoptscore.rubric.bands import Interval
from adoptscore.rubric.loader import resolve
from adoptscore.rubric.models import Metric, Rubric, UseCase

MIN_MONTHS = 6  # the handbook asks for 6-8 months of history
METRIC_STAGE = "metric_codes"  # the first stage with every metric's final value and status code
SENSITIVITY = 0.10


@dataclass
class CohortStats:
    """The healthy cohort's values of one metric."""

    n: int
    mean: float | None
    median: float | None


@dataclass
class Histogram:
    """Exact counts of a metric's values in equal bins between its p1 and p99 values."""

    edges: list[float]
    counts: list[int]
    below: int  # values under the first edge, left out of the plot
    above: int  # values over the last edge


@dataclass
class BandSet:
    """The bands of one metric, or of one case of its band table, before and after calibration."""

    use_case: str
    metric: str
    title: str
    unit: str
    value_format: str
    case: str | None  # the band-table range, e.g. 'account_age_months >= 10'
    colors: list[str]  # low to high values
    n: int = 0
    grid: list[tuple[float, float]] = field(default_factory=list)  # the exact quantiles computed, (p, value)
    healthy: CohortStats | None = None
    current_bands: dict[str, str] = field(default_factory=dict)
    current_cuts: list[th.Cut] = field(default_factory=list)
    current_mix: dict[str, int] = field(default_factory=dict)
    current_near: list[int] = field(default_factory=list)
    proposed_bands: dict[str, str] | None = None
    proposed_cuts: list[th.Cut] = field(default_factory=list)
    proposed_mix: dict[str, int] = field(default_factory=dict)
    proposed_near: list[int] = field(default_factory=list)
    histogram: Histogram | None = None
    note: str | None = None

    @property
    def lookup(self) -> dict[float, float]:
        """Every computed quantile by p."""
        return dict(self.grid)

    @property
    def quantiles(self) -> dict[str, float | None]:
        """The reported quantiles: p10, p25, p50, p75, p90."""
        lookup = self.lookup
        return {f"p{round(p * 100)}": lookup.get(p) for p in th.REPORTED}

    @property
    def label(self) -> str:
        return f"{self.use_case}.{self.metric}" + (f" [{self.case}]" if self.case else "")

    @property
    def changed(self) -> bool:
        return self.proposed_bands is not None and self.proposed_bands != self.current_bands


@dataclass
class SegmentStats:
    """Quantiles of one metric within one segment value (evidence only: thresholds stay rubric-wide)."""

    segment: str | None
    use_case: str
    metric: str
    n: int
    quantiles: dict[str, float | None]
    healthy_median: float | None


@dataclass
class Calibration:
    """A calibration run: the evidence per metric, the proposed rubric and the color mixes."""

    rubric: Rubric
    proposed: Rubric
    strategy: str
    mix: tuple[float, float, float] | None
    precision: int | None
    source: str
    rubric_path: Path | None
    periods: list[str]
    rows: int
    accounts: int
    cohort: str | None
    cohort_accounts: int
    bands: list[BandSet]
    use_case_mix: dict[str, dict[str, dict[str, int]]]
    segments: list[SegmentStats]
    by: str | None
    warnings: list[str]
    created: str

    @property
    def formula(self) -> str:
        return th.formula(self.strategy, self.mix)

    def write_rubric(self, path: str | Path, *, force: bool = False) -> Path:
        """Write the proposed rubric (the input's YAML with new bands, version and provenance).

        Never overwrites the input rubric; refuses an existing file unless ``force``.
        """
        from adoptscore.lifecycle.rubric_file import write_calibrated

        return write_calibrated(self, Path(path), force=force)

    def to_dict(self) -> dict[str, Any]:
        from adoptscore.lifecycle.calibrate_report import calibration_dict

        return calibration_dict(self)

    def report(self):  # -> Report
        from adoptscore.lifecycle.calibrate_report import calibration_report

        return calibration_report(self)


def calibrate(data: Any, rubric: Rubric | str | Path, *, strategy: str = "quartiles",
              mix: tuple[float, float, float] | None = None, cohort: Cohort | str | Path | list[str] | None = None,
              cohort_filter: str | None = None, window: int | None = 6, periods: list[str] | None = None,
              by: str | None = None, metrics: list[str] | None = None, precision: int | None = 3,
              version: str | None = None, table: str | None = None, layout: str | None = None,
              preview: bool = True, on_step: Callable[[str], None] | None = None) -> Calibration:
    """Propose thresholds for ``rubric``'s metrics from ``data``.

    ``strategy``: ``quartiles``, ``healthy`` (needs ``cohort`` or ``cohort_filter``) or ``mix``
    (needs ``mix``, e.g. ``(0.25, 0.5, 0.25)``). The data window is the latest ``window`` periods
    (``None``: all) or the listed ``periods``. ``by`` adds per-segment quantiles to the evidence.
    ``metrics`` restricts the calibration to ``use_case.metric`` names (or use case ids).
    ``precision`` rounds cuts to significant digits (None: exact). ``version`` names the new
    rubric version (default: the input's, bumped). ``preview`` scores both rubrics over the
    window to count use-case colors.
    """
    from adoptscore.sources.read import load_usage

    step = on_step or (lambda _: None)
    rubric_path = None
    if not isinstance(rubric, Rubric):
        rubric_path = resolve(rubric)
        from adoptscore.rubric.loader import load_rubric
        rubric = load_rubric(rubric_path)
    _check_options(strategy, mix, cohort, cohort_filter, window, precision)
    if isinstance(cohort, (list, tuple)):
        cohort = Cohort(f"{len(set(cohort))} accounts", ids=tuple(dict.fromkeys(str(c) for c in cohort)))
    elif isinstance(cohort, (str, Path)):
        cohort = read_cohort(cohort)
    elif cohort is None and cohort_filter is not None:
        cohort = filter_cohort(cohort_filter)
    selected = _select_metrics(rubric, metrics)

    step("reading the usage data")
    usage = load_usage(data, rubric, table=table, layout=layout, duplicates=False)
    source = usage.table
    account_col, period_col = rubric.input.account_id, rubric.input.period
    if by is not None and by not in source.columns:
        raise DataError(f"cannot group by {by!r}: the data has no such column", usage.label,
                        hint="use one of: " + ", ".join(source.columns))
    try:
        flag = cohort.flag(source, account_col) if cohort else ibis.literal(0, "int8")
    except DataError as exc:
        raise exc.located(usage.label) from None
    plain = source
    source = source.mutate(**{FLAG: flag})
    working = _working_rubric(rubric, by)
    all_periods = _periods(working, source)
    chosen = _window(all_periods, window, periods, usage.label)
    source = source.filter(source[period_col].cast("string").isin(chosen))
    # Only the window is read, so only duplicate rows in the window would count twice.
    from adoptscore.sources.read import Usage, duplicate_error

    error = duplicate_error(Usage(source, usage.label), rubric)
    if error is not None:
        raise error
    plain = plain.filter(plain[period_col].cast("string").isin(chosen))
    compiled = compile_rubric(source, working)
    result = ScoreResult(rubric=working, compiled=compiled, data=source, source=usage.label)

    step("computing quantiles")
    band_sets = _band_sets(rubric, selected)
    keys = {(m.use_case, m.metric): m.key for m in compiled.layout.metrics}
    # The plan runs once: its metric values go to a temporary table that every count reads.
    with _Values(result, band_sets, keys, by) as values:
        totals, stats = _first_pass(values, band_sets, keys, rubric, cohort is not None, mix)
        warnings = _history_warnings(chosen)
        if cohort is not None:
            if totals["cohort_accounts"] == 0:
                raise DataError(f"the healthy cohort ({cohort.label}) has no account in the data window "
                                f"{chosen[0]}..{chosen[-1]} of {usage.label}", cohort.path or usage.label,
                                hint="check the account ids (they must match the data's account column) or the filter")
            if cohort.ids is not None and totals["cohort_accounts"] < len(cohort.ids):
                warnings.append(f"{len(cohort.ids) - totals['cohort_accounts']} of the {len(cohort.ids)} cohort "
                                "accounts have no row in the window")
        for band_set, row in zip(band_sets, stats):
            _fill_stats(band_set, row)
            _propose(band_set, strategy, mix, precision)
        step("counting the proposed cuts")
        _second_pass(values, band_sets, keys, rubric)
        segment_stats = _segment_stats(values, band_sets, keys, by, cohort is not None) if by else []
    for band_set in band_sets:
        if band_set.note:
            warnings.append(f"{band_set.label}: {band_set.note}")

    proposed = _proposed_rubric(rubric, band_sets, version, {
        "strategy": strategy, "source": usage.label, "periods": chosen, "rows": totals["rows"],
        "accounts": totals["accounts"], "cohort": cohort.label if cohort else None,
        "cohort_accounts": totals["cohort_accounts"], "precision": precision, "mix": mix})
    use_case_mix: dict[str, dict[str, dict[str, int]]] = {}
    if preview:
        step("scoring both versions over the window")
        # The versions as users will score them: without the working columns (cohort flag, --by)
        for label, version in (("current", rubric), ("proposed", proposed)):
            scored = ScoreResult(rubric=version, compiled=compile_rubric(plain, version), data=plain,
                                 source=usage.label)
            _use_case_mix(scored, label, use_case_mix)
    return Calibration(rubric=rubric, proposed=proposed, strategy=strategy, mix=mix, precision=precision,
                       source=usage.label, rubric_path=rubric_path, periods=chosen, rows=totals["rows"],
                       accounts=totals["accounts"], cohort=cohort.label if cohort else None,
                       cohort_accounts=totals["cohort_accounts"], bands=band_sets, use_case_mix=use_case_mix,
                       segments=segment_stats, by=by, warnings=warnings,
                       created=_dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))


# -- options ---------------------------------------------------------------------------------------
def _check_options(strategy: str, mix: Any, cohort: Any, cohort_filter: Any, window: Any, precision: Any) -> None:
    if strategy not in th.STRATEGIES:
        raise AdoptscoreError(f"unknown strategy {strategy!r}", hint="use one of " + ", ".join(th.STRATEGIES))
    if cohort is not None and cohort_filter is not None:
        raise AdoptscoreError("give the healthy cohort as a file or as a filter, not both")
    if strategy == "healthy" and cohort is None and cohort_filter is None:
        raise AdoptscoreError("the healthy strategy needs a healthy cohort",
                              hint="pass --cohort FILE (account ids) or --cohort-filter EXPRESSION")
    if mix is not None and strategy != "mix":
        raise AdoptscoreError(f"a target mix only applies to the mix strategy, not {strategy}",
                              hint="drop --mix, or use --strategy mix")
    if strategy == "mix":
        # written as 0 <= m <= 1 so that NaN fails it too
        if mix is None or len(mix) != 3 or not all(isinstance(m, (int, float)) and 0 <= m <= 1 for m in mix):
            raise AdoptscoreError("the mix strategy needs three shares (red, yellow, green) between 0 and 1",
                                  hint="e.g. --mix 25,50,25")
        if abs(sum(mix) - 1) > 1e-6:
            raise AdoptscoreError(f"the target mix {', '.join(f'{m:g}' for m in mix)} does not add up to 100%",
                                  hint="e.g. --mix 25,50,25")
    if window is not None and (not isinstance(window, int) or window < 1):
        raise AdoptscoreError(f"the window must be a positive number of periods, got {window!r}")
    if precision is not None and not (1 <= precision <= 12):
        raise AdoptscoreError(f"precision must be between 1 and 12 significant digits, got {precision}")


def parse_mix(text: str) -> tuple[float, float, float]:
    """``'25,50,25'`` or ``'0.25,0.5,0.25'`` or ``'25%/50%/25%'`` -> shares."""
    parts = [p.strip().rstrip("%") for p in text.replace("/", ",").split(",") if p.strip()]
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise AdoptscoreError(f"cannot read the mix {text!r}", hint="write three shares, e.g. 25,50,25") from None
    if len(values) != 3:
        raise AdoptscoreError(f"the mix {text!r} needs three shares (red, yellow, green)", hint="e.g. 25,50,25")
    if sum(values) > 1.5:
        values = [v / 100 for v in values]
    return values[0], values[1], values[2]


def _select_metrics(rubric: Rubric, names: list[str] | None) -> set[tuple[str, str]]:
    everything = {(u.id, m.id) for u, m in rubric.metrics}
    if not names:
        return everything
    chosen: set[tuple[str, str]] = set()
    for name in names:
        use_case_id, _, metric_id = name.partition(".")
        found = {(u, m) for u, m in everything if u == use_case_id and (not metric_id or m == metric_id)}
        if not found:
            known = ", ".join(f"{u}.{m}" for u, m in sorted(everything))
            raise AdoptscoreError(f"rubric {rubric.name} has no metric {name!r}", hint=f"use one of: {known}")
        chosen |= found
    return chosen


def _working_rubric(rubric: Rubric, by: str | None) -> Rubric:
    """The rubric with the cohort flag (and the segment column) carried through every stage."""
    document = rubric.model_dump(mode="json", by_alias=True)
    segments = list(document["input"]["segments"])
    for extra in (by, FLAG):
        if extra and extra not in segments:
            segments.append(extra)
    document["input"]["segments"] = segments
    return Rubric.model_validate(document)


def _periods(rubric: Rubric, source: ir.Table) -> list[str]:
    """The periods in the rubric's scope."""
    result = ScoreResult(rubric=rubric, compiled=compile_rubric(source, rubric), data=source)
    table = result.query("prepared", lambda t: t.select("period").distinct())
    return sorted(p for p in table.column("period").to_pylist() if p is not None)


def _window(available: list[str], window: int | None, periods: list[str] | None, label: str) -> list[str]:
    if not available:
        raise DataError("no row of the data is in the rubric's scope", label, hint="check the data and the rubric's scope")
    if periods:
        missing = [p for p in periods if p not in available]
        if missing:
            raise DataError(f"period(s) {', '.join(missing)} are not in the data", label,
                            hint=f"the data has {available[0]}..{available[-1]}")
        return sorted(set(periods))
    return available if window is None else available[-window:]


def _history_warnings(periods: list[str]) -> list[str]:
    if len(periods) < MIN_MONTHS:
        return [f"only {len(periods)} period{'s' if len(periods) != 1 else ''} of history "
                f"({periods[0]}..{periods[-1]}); the handbook asks for 6-8 months"]
    return []


# -- band sets ---------------------------------------------------------------------------------------
def _band_sets(rubric: Rubric, selected: set[tuple[str, str]]) -> list[BandSet]:
    sets = []
    for use_case, metric in rubric.metrics:
        if (use_case.id, metric.id) not in selected:
            continue
        if metric.bands is not None:
            sets.append(_band_set(use_case, metric, None, metric.ordered_bands))
        else:
            for case in metric.bands_by.cases:
                if case.bands is not None:
                    sets.append(_band_set(use_case, metric, f"{metric.bands_by.by} {case.range}", case.ordered_bands))
    return sets


def _band_set(use_case: UseCase, metric: Metric, case: str | None, ordered: list[tuple[str, Interval]]) -> BandSet:
    return BandSet(use_case=use_case.id, metric=metric.id, title=metric.title, unit=metric.unit,
                   value_format=metric.display_format, case=case, colors=th.colors_by_value(ordered),
                   current_bands={color: interval.source or str(interval) for color, interval in ordered},
                   current_cuts=th.current_cuts(ordered))


class _Values:
    """The metric values of the window, materialised once on the backend as a temporary table."""

    def __init__(self, result: ScoreResult, band_sets: list[BandSet], keys: dict, by: str | None):
        self.result = result
        self.rubric = result.rubric
        stage = result.compiled.stage_table(METRIC_STAGE)
        band_keys = [m.bands_by.by for _, m in result.rubric.metrics if m.bands_by is not None]
        metric_keys = dict.fromkeys(keys[(b.use_case, b.metric)] for b in band_sets)
        # A value is kept only where the metric is scored (null elsewhere), so one column per metric
        # carries both: the table is narrow, and "scored" is "not null".
        scored = {f"{k}_v": ibis.cases((stage[f"{k}_code"] == 0, stage[f"{k}_v"]), else_=ibis.null("float64"))
                  for k in metric_keys}
        carried = dict.fromkeys(["account_id", FLAG, *([by] if by else []), *band_keys])
        self.query = stage.select(*carried, **scored)
        self.name = f"__adoptscore_calibration_{uuid.uuid4().hex[:12]}"

    def __enter__(self) -> "_Values":
        self.adapter = self.result.adapter
        self.adapter.temporary(self.result.sql(Stage("calibration_values", self.query)), self.name)
        self.table = ibis.table(self.query.schema(), name=self.name)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.adapter.drop(self.name)

    def sql(self, build: Callable[[ir.Table], ir.Table]) -> str:
        return str(ibis.to_sql(build(self.table), dialect=self.result.backend.name))

    def run(self, build: Callable[[ir.Table], ir.Table]) -> pa.Table:
        return self.adapter.to_arrow(self.sql(build))

    def run_union(self, builds: list[Callable[[ir.Table], ir.Table]]) -> pa.Table:
        """Queries with the same columns, compiled one by one and run as one UNION ALL."""
        return self.adapter.to_arrow("\nUNION ALL\n".join(f"SELECT * FROM ({self.sql(b)}) AS q{i}"
                                                            for i, b in enumerate(builds)))


def _case_condition(t: ir.Table, rubric: Rubric, band_set: BandSet, key: str) -> ir.BooleanValue:
    from adoptscore.engine.compile import in_interval

    condition = t[f"{key}_v"].notnull()
    if band_set.case is not None:
        metric = next(m for u, m in rubric.metrics if u.id == band_set.use_case and m.id == band_set.metric)
        case = next(c for c in metric.bands_by.cases if f"{metric.bands_by.by} {c.range}" == band_set.case)
        condition = condition & in_interval(t[metric.bands_by.by], case.interval).fill_null(False)
    return condition


# Counts are sums of 0/1 rather than COUNT(*) FILTER: measured 3x faster on DuckDB with many of them.
def _first_pass(values: _Values, band_sets: list[BandSet], keys: dict, rubric: Rubric,
                with_cohort: bool, mix: tuple[float, float, float] | None) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """Exact quantiles (the reported ones, p1/p99 for the plots, the target mix's cuts) and the cohort's stats.

    Only the quantiles a strategy can use are computed exactly: each point costs a selection over
    the values, so a 1% grid would cost ten times as much (the plots use exact histograms instead).
    """
    probabilities = sorted(set(th.EXACT) | set(_mix_targets(mix)))

    def build(t: ir.Table) -> ir.Table:
        healthy = t[FLAG] == 1
        aggregates: dict[str, ir.Value] = {"rows": t.count()}
        for i, band_set in enumerate(band_sets):
            key = keys[(band_set.use_case, band_set.metric)]
            value = t[f"{key}_v"]
            scored = _case_condition(t, rubric, band_set, key)
            aggregates[f"s{i}_n"] = scored.sum()
            aggregates[f"s{i}_q"] = value.quantile(probabilities, where=scored)
            if with_cohort:
                aggregates[f"s{i}_hn"] = (scored & healthy).sum()
                aggregates[f"s{i}_hmean"] = value.mean(where=scored & healthy)
                aggregates[f"s{i}_hmed"] = value.quantile(0.5, where=scored & healthy)
        return t.aggregate(**aggregates)

    row = values.run(build).to_pylist()[0]
    # Distinct counts on their own: inside the big aggregate they make DuckDB split it in three.
    distinct = values.run(lambda t: t.aggregate(accounts=t["account_id"].nunique(),
                                                cohort_accounts=t["account_id"].nunique(where=t[FLAG] == 1)))
    row.update(distinct.to_pylist()[0])
    totals = {k: int(row[k] or 0) for k in ("rows", "accounts", "cohort_accounts")}
    stats = []
    for i, band_set in enumerate(band_sets):
        q = row[f"s{i}_q"]
        stats.append({
            "n": int(row[f"s{i}_n"] or 0),
            "quantiles": list(zip(probabilities, q)) if q else [],
            "healthy": (int(row[f"s{i}_hn"] or 0), row[f"s{i}_hmean"], row[f"s{i}_hmed"]) if with_cohort else None,
        })
    return totals, stats


def _mix_targets(mix: tuple[float, float, float] | None) -> list[float]:
    """Cumulative shares a target mix cuts at, in either value order (red first or green first)."""
    if not mix:
        return []
    red, yellow, green = mix
    points = {red, red + yellow, green, green + yellow, red + green, red / (red + green) if red + green else 0.5}
    return [round(min(max(p, 0.0), 1.0), 12) for p in points]


def _fill_stats(band_set: BandSet, row: dict[str, Any]) -> None:
    band_set.n = row["n"]
    exact = [(p, float(v)) for p, v in row["quantiles"] if v is not None]
    band_set.grid = exact
    if row["healthy"] is not None:
        n, mean, median = row["healthy"]
        band_set.healthy = CohortStats(n, _finite(mean), _finite(median))


def _finite(value: Any) -> float | None:
    return float(value) if value is not None and math.isfinite(float(value)) else None


def _propose(band_set: BandSet, strategy: str, mix: Any, precision: int | None) -> None:
    if band_set.n == 0:
        band_set.note = "no scored value in the window; thresholds kept"
        return
    if strategy == "healthy" and (band_set.healthy is None or band_set.healthy.median is None):
        band_set.note = "no healthy account has a value; thresholds kept"
        return
    lookup = band_set.lookup

    def quantile(p: float) -> float:
        if p in lookup:
            return lookup[p]
        # between grid points: interpolate the grid (exact for the reported quantiles and the 1% grid)
        below = max(q for q in lookup if q <= p)
        above = min(q for q in lookup if q >= p)
        if above == below:
            return lookup[below]
        w = (p - below) / (above - below)
        return lookup[below] + w * (lookup[above] - lookup[below])

    cuts = th.propose(strategy, band_set.colors, quantile, band_set.healthy.median if band_set.healthy else None, mix)
    # Values are banded after rounding to BAND_DECIMALS, so a cut is too: a quantile that falls on a
    # run of equal values must land on their rounded value, not a hair below it.
    band_set.proposed_cuts = [
        th.Cut(th.representable(round(th.round_significant(c.value, precision), BAND_DECIMALS), band_set.unit),
               c.below_inclusive, c.target)
        for c in cuts]


def _second_pass(values: _Values, band_sets: list[BandSet], keys: dict, rubric: Rubric) -> None:
    """Every count, from one small GROUP BY per band set: the values fall into the elementary
    intervals between all cuts and their +/- 10% bounds (current and proposed), and into histogram
    bins; counts below, at and near any cut are sums of those groups."""
    plans = [_CountPlan(b, keys[(b.use_case, b.metric)]) for b in band_sets if b.n > 0]
    if not plans:
        return

    def branch(i: int, plan: "_CountPlan") -> Callable[[ir.Table], ir.Table]:
        def build(t: ir.Table) -> ir.Table:
            scored = t.filter(_case_condition(t, rubric, plan.band_set, plan.key))
            # rounded in its own projection: inside the nested CASEs the engine would round per comparison
            rounded = scored.select(r=scored[f"{plan.key}_v"].round(BAND_DECIMALS))
            # one integer key (interval * 64 + bin) hashes faster than two
            key = plan.bucket(rounded.r) * _KEY + (plan.bin(rounded.r) + 1)
            return rounded.group_by(s=ibis.literal(i), k=key).aggregate(n=rounded.count())
        return build

    # One query; its branches are compiled one by one (Ibis compile time grows faster than linearly
    # with the size of one expression) and joined as a UNION ALL.
    rows = values.run_union([branch(i, plan) for i, plan in enumerate(plans)]).to_pylist()
    for row in rows:
        plans[row["s"]].add(row["k"] // _KEY, row["k"] % _KEY - 1, int(row["n"]))
    for plan in plans:
        plan.finish()


_KEY = 64  # > BINS + 2: a histogram bin (-1 .. BINS) fits in the low part of a group key


class _CountPlan:
    """Counts for one band set: elementary intervals between the interesting points, histogram bins."""

    BINS = 40

    def __init__(self, band_set: BandSet, key: str):
        self.band_set, self.key = band_set, key
        cuts = [c.value for c in band_set.current_cuts] + [c.value for c in band_set.proposed_cuts]
        points = set(cuts)
        for cut in cuts:
            points |= {cut - abs(cut) * SENSITIVITY, cut + abs(cut) * SENSITIVITY}
        self.points = sorted(points)
        q = band_set.lookup
        low, high = q.get(0.01), q.get(0.99)
        if low is None or high is None or not low < high:
            low, high = q.get(0.0), q.get(1.0)
        self.range = (low, high) if low is not None and high is not None and low < high else None
        self.buckets: dict[int, int] = {}
        self.bins: dict[int, int] = {}

    def bucket(self, value: ir.NumericValue) -> ir.IntegerValue:
        """0: below the first point, 1: at it, 2: between the first and second, ... (2 * len(points): above all).

        One flat CASE: a nested binary search runs a little faster in DuckDB but takes Ibis ten
        times longer to compile, which costs more than it saves (measured).
        """
        branches = []
        for i, point in enumerate(self.points):
            branches += [(value < point, 2 * i), (value == point, 2 * i + 1)]
        return ibis.cases(*branches, else_=2 * len(self.points)) if branches else ibis.literal(0)

    def bin(self, value: ir.NumericValue) -> ir.IntegerValue:
        """Histogram bin between p1 and p99 (-1 below, BINS above; the last bin is closed)."""
        if self.range is None:
            return ibis.literal(0)
        low, high = self.range
        width = (high - low) / self.BINS
        # A value on an edge belongs to the bin above it (numpy's convention); the tiny nudge keeps
        # the division's rounding (0.05 / 0.025 = 1.9999...) from putting it one bin down.
        inside = ((value - low) / width + 1e-9).floor().cast("int64")
        return ibis.cases((value < low, -1), (value > high, self.BINS), (value == high, self.BINS - 1),
                          else_=ibis.greatest(ibis.least(inside, self.BINS - 1), 0))

    def add(self, bucket: int, bin_: int, n: int) -> None:
        self.buckets[bucket] = self.buckets.get(bucket, 0) + n
        self.bins[bin_] = self.bins.get(bin_, 0) + n

    def below(self, cut: float, inclusive: bool) -> int:
        i = self.points.index(cut)
        return sum(n for b, n in self.buckets.items() if b < 2 * i + (2 if inclusive else 1))

    def near(self, cut: float) -> int:
        low = self.points.index(cut - abs(cut) * SENSITIVITY)
        high = self.points.index(cut + abs(cut) * SENSITIVITY)
        return sum(n for b, n in self.buckets.items() if 2 * low + 1 <= b <= 2 * high + 1)

    def mix(self, cuts: list[th.Cut]) -> dict[str, int]:
        edges = [0, *[self.below(c.value, bool(c.below_inclusive)) for c in cuts], self.band_set.n]
        return {color: edges[k + 1] - edges[k] for k, color in enumerate(self.band_set.colors)}

    def finish(self) -> None:
        b = self.band_set
        b.current_mix = self.mix(b.current_cuts)
        b.current_near = [self.near(c.value) for c in b.current_cuts]
        if self.range is not None:
            low, high = self.range
            edges = [low + (high - low) * k / self.BINS for k in range(self.BINS)] + [high]
            b.histogram = Histogram(edges, [self.bins.get(k, 0) for k in range(self.BINS)],
                                    self.bins.get(-1, 0), self.bins.get(self.BINS, 0))
        if not b.proposed_cuts:
            return
        lt = [self.below(c.value, False) for c in b.proposed_cuts]
        le = [self.below(c.value, True) for c in b.proposed_cuts]
        cuts = th.choose_sides(b.proposed_cuts, lt, le, b.n)
        texts = th.bands_text(b.colors, cuts, b.unit)
        if texts is None:
            b.note = ("the proposed cuts " + ", ".join(th.format_number(c.value, b.unit) for c in cuts)
                      + " leave no room for a middle band (many equal values or a cohort below the "
                      "population); thresholds kept")
            b.proposed_cuts = []
            return
        b.proposed_cuts, b.proposed_bands = cuts, texts
        b.proposed_mix = self.mix(cuts)
        b.proposed_near = [self.near(c.value) for c in cuts]


def bump_version(version: str) -> str:
    """``2025.1`` -> ``2025.2``; ``1.2.3`` -> ``1.2.4``; ``v7`` -> ``v8``; otherwise append ``.1``."""
    import re

    match = re.search(r"(\d+)(\D*)$", version)
    if not match:
        return f"{version}.1"
    return f"{version[:match.start(1)]}{int(match.group(1)) + 1}{match.group(2)}"


def _proposed_rubric(rubric: Rubric, band_sets: list[BandSet], version: str | None, facts: dict[str, Any]) -> Rubric:
    from adoptscore.lifecycle.rubric_file import set_bands

    document = rubric.model_dump(mode="json", by_alias=True, exclude_none=True)
    for band_set in band_sets:
        if band_set.changed:
            set_bands(document, band_set)
    document["version"] = version or bump_version(str(rubric.version))
    if document["version"] == str(rubric.version):
        raise AdoptscoreError(f"the calibrated rubric needs a new version; {rubric.version} is the input's",
                              hint="pass another --version")
    document["provenance"] = provenance(rubric, band_sets, facts)
    return Rubric.model_validate(document)


def provenance(rubric: Rubric, band_sets: list[BandSet], facts: dict[str, Any]) -> dict[str, Any]:
    """The provenance block of a calibrated rubric: where its thresholds came from."""
    from adoptscore import __version__

    periods = facts["periods"]
    calibration = {
        "date": _dt.date.today().isoformat(),
        "tool": f"adoptscore {__version__} calibrate",
        "from": f"{rubric.name} {rubric.version}",
        "strategy": facts["strategy"],
        "formula": th.formula(facts["strategy"], facts["mix"]),
        "data": facts["source"],
        "window": f"{periods[0]}..{periods[-1]} ({len(periods)} periods)",
        "account_months": facts["rows"],
        "accounts": facts["accounts"],
        "cohort": facts["cohort"],
        "cohort_accounts": facts["cohort_accounts"] if facts["cohort"] else None,
        "rounding": f"{facts['precision']} significant digits" if facts["precision"] else "none",
        "metrics_changed": [b.label for b in band_sets if b.changed],
    }
    previous = dict(rubric.provenance or {})
    history = list(previous.pop("history", []) or [])
    if "calibration" in previous:
        history.append(previous.pop("calibration"))
    block = {**previous, "calibration": {k: v for k, v in calibration.items() if v is not None}}
    if history:
        block["history"] = history
    return block


# -- preview ------------------------------------------------------------------------------------------
def _use_case_mix(result: ScoreResult, label: str, into: dict[str, dict[str, dict[str, int]]]):
    def build(t: ir.Table) -> ir.Table:
        state = ibis.cases((t["color"].notnull(), t["color"]), else_=t["status"])
        return t.group_by(use_case=t["use_case"], state=state).agg(n=t.count())

    for row in result.query("use_cases", build).to_pylist():
        into.setdefault(row["use_case"], {}).setdefault(label, {})[row["state"]] = int(row["n"])

    def overall(t: ir.Table) -> ir.Table:
        state = ibis.cases((t["color"].notnull(), t["color"]), else_=t["status"])
        return t.group_by(state=state).agg(n=t.count())

    for row in result.query("overall", overall).to_pylist():
        into.setdefault("overall", {}).setdefault(label, {})[row["state"]] = int(row["n"])
    return into


def _segment_stats(values: _Values, band_sets: list[BandSet], keys: dict, by: str,
                   with_cohort: bool) -> list[SegmentStats]:
    rubric = values.rubric

    def build(t: ir.Table) -> ir.Table:
        aggregates: dict[str, ir.Value] = {}
        for i, band_set in enumerate(band_sets):
            key = keys[(band_set.use_case, band_set.metric)]
            scored = _case_condition(t, rubric, band_set, key)
            aggregates[f"s{i}_n"] = (scored).sum()
            aggregates[f"s{i}_q"] = t[f"{key}_v"].quantile(list(th.REPORTED), where=scored)
            if with_cohort:
                aggregates[f"s{i}_h"] = t[f"{key}_v"].quantile(0.5, where=scored & (t[FLAG] == 1))
        return t.group_by(__segment=t[by].cast("string")).aggregate(**aggregates)

    stats = []
    for row in sorted(values.run(build).to_pylist(), key=lambda r: str(r["__segment"])):
        for i, band_set in enumerate(band_sets):
            q = row[f"s{i}_q"] or [None] * len(th.REPORTED)
            stats.append(SegmentStats(row["__segment"], band_set.use_case,
                                      band_set.metric + (f" [{band_set.case}]" if band_set.case else ""),
                                      int(row[f"s{i}_n"] or 0),
                                      {f"p{round(p * 100)}": _finite(v) for p, v in zip(th.REPORTED, q)},
                                      _finite(row.get(f"s{i}_h")) if with_cohort else None))
    return stats
