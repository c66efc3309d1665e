"""An account's scorecard (:class:`~adoptscore.insights.account.AccountView`) as a customer deck.

Every number comes from the view (which reads the stored scores): this module only chooses what
each slide says and words it for a customer. Missing data is said as "no data" (never 0 or Red),
a use case that does not apply as "not applicable", and similar customers are described by their
segment values only, never by name.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from itertools import pairwise

from adoptscore.deck.model import (
    AppendixSlide,
    Bullet,
    Cell,
    Chart,
    Column,
    Deck,
    FocusCard,
    FocusSlide,
    Kpi,
    OverviewSlide,
    Series,
    Table,
    TitleSlide,
    UseCaseSlide,
)
from adoptscore.deck.text import clean, one_line
from adoptscore.insights.account import AccountView, MetricView, UseCaseView
from adoptscore.insights.thresholds import format_count
from adoptscore.rubric.models import Rubric
from adoptscore.team.overrides import override_words
from adoptscore.team.store import Override

METRIC_ROWS = 5          # metrics per use-case slide; more continue on the next slide
THRESHOLD_ROWS = 13      # rows per appendix thresholds slide at most (the slides share them evenly)
CHANGES = 4              # changes listed on the overview slide (all of them in the notes)
NO_DATA = "no data"
NOT_APPLICABLE = "not applicable"


# -- wording helpers ---------------------------------------------------------------------------
def period_label(period: str, *, short: bool = False) -> str:
    """``2026-10`` as ``October 2026`` (``Oct 2026`` when short); other period texts unchanged."""
    try:
        year, month = period.split("-")
        when = date(int(year), int(month), 1)
    except (ValueError, AttributeError):
        return clean(period)
    return when.strftime("%b %Y" if short else "%B %Y")


def score_text(score: float | None) -> str:
    return NO_DATA if score is None or (isinstance(score, float) and math.isnan(score)) else f"{score:.1f}"


def color_word(color: str | None, status: str = "scored") -> str:
    if color in ("red", "yellow", "green"):
        return color.title()
    return NOT_APPLICABLE if status == "not_applicable" else NO_DATA


def status_of(color: str | None) -> str:
    return color if color in ("red", "yellow", "green") else "none"


def band_text(interval: object) -> str:
    """A band interval as a customer reads it: ``> 10% and \u2264 33%``."""
    text = clean(str(interval))
    return text.replace("<=", "\u2264").replace(">=", "\u2265")


def _signed(delta: float) -> str:
    if abs(delta) < 0.05:
        return "no change"
    return f"+{delta:.1f}" if delta > 0 else f"\u2212{abs(delta):.1f}"


def _quantity(value: float | None, unit: str | None) -> str:
    if value is None:
        return ""
    return f"{format_count(value)} {clean(unit)}".strip() if unit else format_count(value)


# -- slides ------------------------------------------------------------------------------------
def build_deck(view: AccountView, rubric: Rubric, overrides: Mapping[str, Override] | None = None) -> Deck:
    """The deck for ``view``: title, adoption overview, one slide per use case, key areas of
    focus, and the appendix on how the score is calculated (``rubric`` must be the rubric the
    view was scored with: the appendix describes its bands, points and weights).

    ``overrides`` (use case -> the account owner's override in force) are said beside the
    computed color, on the overview table and the use case's slides; the score stays the computed one."""
    overrides = overrides or {}
    name = one_line(view.name) or view.account_id
    deck = Deck(clean(view.account_id), name, clean(view.period), period_label(view.period), clean(view.rubric),
                clean(view.rubric_version), one_line(view.rubric_title))
    deck.slides.append(_title(view, deck))
    deck.slides.append(_overview(view, rubric, overrides))
    for use_case in view.use_cases:
        deck.slides.extend(_use_case(view, use_case, rubric, overrides.get(use_case.id)))
    deck.slides.append(_focus(view))
    deck.slides.extend(_appendix(rubric))
    return deck


def _title(view: AccountView, deck: Deck) -> TitleSlide:
    subtitle = ["Use-case adoption review", deck.period_label,
                f"{deck.rubric_title} (rubric {deck.rubric} {deck.rubric_version})"]
    owner = view.attributes.get("owner")
    if owner:
        subtitle.append(f"Account owner: {one_line(owner)}")
    notes = (f"Account {deck.account_id}. Scores of {deck.period_label} from the score history, "
             f"rubric {deck.rubric} {deck.rubric_version}.")
    return TitleSlide(deck.account_name, subtitle, notes=notes)


def _window_values(view: AccountView, points) -> tuple[list[float | None], list[str | None]]:
    """The points' values and colors over the view's window of periods (None where a period has
    no score: a gap in the chart, never 0)."""
    by_period = {p.period: p for p in points}
    found = [by_period.get(p) for p in view.periods]
    return [p.value if p else None for p in found], [p.color if p and p.value is not None else None for p in found]


def _references(rubric: Rubric, count: int) -> list[Series]:
    """Constant series at the score-band edges, so a reader sees where the colors change."""
    out = []
    bands = rubric.ordered_score_bands
    for (_lower, interval), (upper, _next) in pairwise(bands):
        if interval.high is None:
            continue
        word = "above" if interval.high_inclusive else "from"
        out.append(Series(f"{upper.title()} {word} {interval.high:g}", [float(interval.high)] * count, "reference"))
    return out


def _chart(view: AccountView, rubric: Rubric, name: str, points, role: str, *, named: bool = True) -> Chart:
    values, colors = _window_values(view, points)
    categories = [period_label(p, short=True) for p in view.periods]
    months = len(view.periods)
    title = f"{name + ' score' if named else 'Score'}, last {months} month{'s' if months != 1 else ''}"
    if all(v is None for v in values):
        title += f" ({NO_DATA})"
    return Chart(title, categories, [clean(p) for p in view.periods],
                 [Series(name, values, colors=colors), *_references(rubric, months)], role=role)


def _adoption(view: AccountView, rubric: Rubric) -> tuple[int, int, list[str]]:
    counting = [u for u in view.use_cases if rubric.use_case(u.id).counts_towards_adoption]
    applicable = [u for u in counting if u.status != "not_applicable"]
    adopted = [u.title for u in applicable if u.color == "green"]
    return view.adopted_use_cases, len(applicable), adopted


def _overview(view: AccountView, rubric: Rubric, overrides: Mapping[str, Override]) -> OverviewSlide:
    overall = one_line(view.overall_title)
    previous = view.previous_period
    adopted, applicable, adopted_titles = _adoption(view, rubric)
    trend = [p for p in view.trend if p.value is not None]
    kpis = [
        Kpi(f"{overall} score", score_text(view.score), color_word(view.color, view.status), status_of(view.color)),
        Kpi("Adopted use cases", f"{adopted} of {applicable}",
            "Green: " + ", ".join(one_line(t) for t in adopted_titles) if adopted_titles else "none Green yet"),
    ]
    if len(trend) >= 2 and view.score is not None:
        first = trend[0]
        kpis.append(Kpi(f"Since {period_label(first.period, short=True)}", _signed(view.score - first.value),
                        f"from {first.value:.1f} ({color_word(first.color)})"))
    else:
        kpis.append(Kpi("Trend", NO_DATA if view.score is None else "first period", ""))

    change_by_use_case = {c.use_case: c for c in view.changes}
    since = f"Since {period_label(previous, short=True)}" if previous else "Change"
    rows = []
    for use_case in view.use_cases:
        change = change_by_use_case.get(use_case.id)
        if previous is None:
            delta = ""
        elif change is None:
            delta = "no change" if use_case.score is not None else ""
        elif change.previous_score is None or change.score is None:
            delta = "new score" if change.score is not None else "no score now"
        else:
            delta = _signed(change.score - change.previous_score)
        override = overrides.get(use_case.id)
        rows.append([Cell(one_line(use_case.title)), Cell(score_text(use_case.score), align="right"),
                     Cell(color_word(use_case.color, use_case.status), status=status_of(use_case.color), align="center",
                          detail=f"CSM: {override.color.title()}" if override else ""),
                     Cell(delta, align="right")])
    rows.append([Cell(f"{overall} (overall)", bold=True), Cell(score_text(view.score), bold=True, align="right"),
                 Cell(color_word(view.color, view.status), status=status_of(view.color), bold=True, align="center"),
                 Cell(_overall_delta(view), bold=True, align="right")])
    table = Table([Column("Use case", 3.2), Column("Score", 1.1, "right"), Column("Rating", 1.4, "center"),
                   Column(since, 1.6, "right")], rows, role="use_cases")
    chart = _chart(view, rubric, overall, view.trend, "overall_trend")

    if previous is None:
        changes = [Bullet("This is the first scored period: there is no earlier period to compare with.")]
        changes_title = "What changed"
    else:
        changes_title = f"What changed since {period_label(previous)}"
        changes = [Bullet(one_line(c.text)) for c in view.changes[:CHANGES]]
        if len(view.changes) > CHANGES:
            changes.append(Bullet(f"and {len(view.changes) - CHANGES} more (see the speaker notes)"))
        if not changes:
            changes = [Bullet(f"No use-case score changed since {period_label(previous)}.")]
    notes = "\n".join([one_line(c.text) + "".join(f"\n  - {one_line(d.text)}" for d in c.drivers)
                       for c in view.changes]) or "No use-case score changed."
    return OverviewSlide("Adoption overview", kpis, table, chart, changes_title, changes, notes=notes)


def _overall_delta(view: AccountView) -> str:
    if view.previous_period is None or view.score is None:
        return ""
    before = next((p.value for p in view.trend if p.period == view.previous_period), None)
    return "new score" if before is None else _signed(view.score - before)


def _peer_cell(metric: MetricView, view: AccountView) -> Cell:
    peers = metric.peers
    if metric.status != "scored":
        return Cell("\u2014", align="left")
    if peers is None:
        return Cell("too few similar accounts", detail="fewer than 10 have data")
    others = peers.size - 1
    share = round(peers.better_than)
    text = "ahead of all of them" if share >= 100 and others else f"ahead of {share}%"
    columns = [c for c in peers.level.split(" + ") if c in view.attributes] if peers.level != "all accounts" else []
    group = " \u00b7 ".join(one_line(view.attributes.get(c)) for c in columns) or "all accounts"
    detail = f"of {others:,} similar accounts ({group})"
    if peers.broadened:
        detail += ", group broadened"
    return Cell(text[0].upper() + text[1:], detail=detail)


def _value_cell(metric: MetricView) -> Cell:
    if metric.status == "not_applicable":
        return Cell(NOT_APPLICABLE, status="none", align="center")
    if metric.status != "scored" or metric.value is None:
        return Cell(NO_DATA, status="none", align="center")
    detail = _quantity(metric.numerator, metric.numerator_unit)
    if metric.denominator is not None and detail:
        detail += f" / {_quantity(metric.denominator, metric.denominator_unit)}"
    return Cell(clean(metric.value_text), detail=detail, status=status_of(metric.color), bold=True, align="center")


def _meaning(metric: MetricView) -> Bullet:
    text = one_line(metric.description) if metric.description else ""
    if not text and metric.numerator_unit:
        text = f"{one_line(metric.numerator_unit)}" + (f" per {one_line(metric.denominator_unit)}" if metric.denominator_unit else "")
    if metric.direction == "lower_is_better":
        text += " Lower is better."
    return Bullet(text or one_line(metric.title), bold_lead=f"{one_line(metric.title)}: ")


def _use_case(view: AccountView, use_case: UseCaseView, rubric: Rubric,
              override: Override | None = None) -> list[UseCaseSlide]:
    title = one_line(use_case.title)
    status = Kpi("Score", score_text(use_case.score), color_word(use_case.color, use_case.status)
                 + (" \u00b7 adopted" if use_case.adopted else ""), status_of(use_case.color))
    said = one_line(override_words(override)) if override else ""
    said_as = override.color if override else None
    notes = [f"{one_line(override_words(override, reason_limit=None))}, set by {one_line(override.author)}. "
             "The score shown is the computed one."] if override else []
    if use_case.status == "not_applicable":
        # the rubric's applicability in words (as the account page says it), never its expression
        why = one_line(use_case.applicability) if use_case.applicability else f"{title} does not apply to this account."
        summary = f"{why} It has no score and does not count in the {one_line(view.overall_title)} score."
        notes.append(f"Not applicable: {why}")
        return [UseCaseSlide(title, use_case.id, status, summary, None, [], "", None, notes="\n".join(notes),
                             override=said, override_color=said_as)]
    if use_case.score is None:
        summary = (f"{title} has no data for {period_label(view.period)}: no metric could be scored, so it has "
                   "no score this period (missing data never counts as Red).")
    else:
        summary = one_line(use_case.description) if use_case.description else _summary(use_case, rubric)
    for metric in use_case.metrics:
        if metric.status == "not_applicable":
            if metric.applicability:  # None: the use case's sentence already says it
                notes.append(f"{one_line(metric.title)}: {one_line(metric.applicability)}")
        elif metric.status != "scored":
            notes.append(f"{one_line(metric.title)}: {metric.value_text} ({one_line(metric.reason or metric.status)})")
        if metric.peers is not None:
            notes.append(f"{one_line(metric.title)}: peers {one_line(metric.peers.note)}")
    for change in view.changes:
        if change.use_case == use_case.id:
            notes.append(one_line(change.text))
            notes.extend(f"  - {one_line(d.text)}" for d in change.drivers)

    columns = [Column("Metric", 2.6), Column(f"{period_label(view.period, short=True)}", 2.3, "center"),
               Column("Red", 1.35, "center"), Column("Yellow", 1.6, "center"), Column("Green", 1.35, "center"),
               Column("Compared with similar customers", 3.0)]
    slides = []
    for part, metrics in enumerate(_even(use_case.metrics, METRIC_ROWS), start=1):
        rows = []
        for metric in metrics:
            bands = {b.color: b.interval for b in metric.bands}
            label = Cell(one_line(metric.title), detail="ancillary" if _role(rubric, use_case.id, metric.id) == "ancillary" else "")
            row = [label, _value_cell(metric)]
            for color in ("red", "yellow", "green"):
                if color not in bands:
                    row.append(Cell("\u2014", align="center"))
                elif metric.status == "scored" and metric.color == color:
                    row.append(Cell(band_text(bands[color]), status=color, bold=True, align="center"))
                else:
                    row.append(Cell(band_text(bands[color]), align="center"))
            row.append(_peer_cell(metric, view))
            rows.append(row)
        table = Table(columns, rows, role="metrics")
        peers_note = ("Similar customers: the accounts of the group named in each row, 10 or more, never named. "
                      "Colored threshold: this period's band.")
        chart = _chart(view, rubric, title, use_case.trend, "use_case_trend", named=False) if part == 1 else None
        if chart is not None:
            edges = ", ".join(s.name for s in chart.series if s.role == "reference")
            peers_note += f" Dashed lines: {edges}." if edges else ""
        slide_title = title if part == 1 else f"{title} (continued)"
        slides.append(UseCaseSlide(slide_title, use_case.id, status, summary, table,
                                   [_meaning(m) for m in metrics], peers_note, chart, part, notes="\n".join(notes),
                                   override=said, override_color=said_as))
    return slides


def _even(items: list, most: int) -> list[list]:
    """``items`` in as few slides as hold at most ``most`` each, shared evenly (7 -> 4 + 3, not 5 + 2)."""
    if not items:
        return [[]]
    parts = -(-len(items) // most)
    size = -(-len(items) // parts)
    return [items[i:i + size] for i in range(0, len(items), size)]


def _role(rubric: Rubric, use_case: str, metric: str) -> str:
    return next(m.role for m in rubric.use_case(use_case).metrics if m.id == metric)


def _summary(use_case: UseCaseView, rubric: Rubric) -> str:
    n = len(use_case.metrics)
    combined = "the lowest of" if rubric.use_case(use_case.id).aggregation == "worst_of" else "the average of"
    if n == 1:
        return "Scored on one metric: the use case takes its color."
    return f"Scored on {n} metrics: the use-case score is {combined} their points."


def _focus(view: AccountView) -> FocusSlide:
    overall = one_line(view.overall_title)
    cards = []
    for rank, area in enumerate(view.focus, start=1):
        impact = []
        if area.overall_score is not None and area.overall_score_after is not None:
            impact.append(f"{overall} score {area.overall_score:.1f} \u2192 {area.overall_score_after:.1f} "
                          f"({_signed(area.overall_score_after - area.overall_score)})")
        if area.use_case_score is not None:
            impact.append(f"{one_line(area.use_case_title)} {area.use_case_score:.1f} \u2192 "
                          f"{area.use_case_score_after:.1f} ({area.use_case_color_after.title()})")
        cards.append(FocusCard(
            rank, area.use_case, f"{one_line(area.use_case_title)}: {one_line(area.title)}",
            f"{area.color.title()} \u2192 {area.target.title()}", area.color, area.target, one_line(area.gap.text),
            "; ".join(impact), one_line(area.recommendation or ""), [one_line(f) for f in area.features]))
    if cards:
        intro = (f"The {len(cards)} change{'s' if len(cards) > 1 else ''} that would raise the {overall} score most, "
                 "each moving one metric up one band from where it is today.")
    elif view.score is None:
        intro = f"No metric has data for {period_label(view.period)}, so there is no area of focus to suggest yet."
    else:
        missing = [one_line(u.title) for u in view.use_cases if u.status == "no_data"]
        intro = "Every scored metric is Green: the focus is on keeping it there."
        if missing:
            intro += " No data for " + ", ".join(missing) + ": reporting its usage would let it be scored."
    notes = "\n".join(f"{c.rank}. {c.heading}: {c.gap}" for c in cards)
    return FocusSlide("Key areas of focus", intro, cards, notes=notes)


def _appendix(rubric: Rubric) -> list[AppendixSlide]:
    points = rubric.points
    overall = one_line(rubric.overall.title)
    bands = rubric.ordered_score_bands
    band_words = "; ".join(f"{c.title()} {band_text(i)}" for c, i in bands)
    counting = [one_line(u.title) for u in rubric.use_cases if u.counts_towards_adoption]
    bullets = [
        Bullet("each metric's value this period is compared with its thresholds (next slide) and gets a color.",
               bold_lead="Metric color: "),
        Bullet(f"Red {points.red:g}, Yellow {points.yellow:g}, Green {points.green:g} points.", bold_lead="Points: "),
        Bullet("the weighted average of its metrics' points (metrics without data are left out; a use case whose "
               "metrics all lack data has no score, never Red).", bold_lead="Use-case score: "),
        Bullet("the weighted average of the use-case scores that exist, with the weights below re-shared over "
               "them.", bold_lead=f"{overall} score: "),
        Bullet(f"{band_words}, for use-case and {overall} scores alike.", bold_lead="Score colors: "),
        Bullet(f"a use case is adopted when it is Green ({', '.join(counting)} count).", bold_lead="Adoption: "),
    ]
    if any(u.aggregation == "worst_of" for u in rubric.use_cases):
        bullets[2] = Bullet(bullets[2].text.replace("the weighted average", "the weighted average (or, where "
                            "marked, the lowest)"), bold_lead=bullets[2].bold_lead)
    total = sum(u.weight for u in rubric.use_cases) or 1.0
    weights = Table(
        [Column("Use case", 3.0), Column("Weight", 1.0, "right"), Column("Share", 1.0, "right"),
         Column("Metrics", 1.0, "right"), Column("Combined as", 2.0)],
        [[Cell(one_line(u.title)), Cell(f"{u.weight:g}", align="right"), Cell(f"{100 * u.weight / total:.0f}%", align="right"),
          Cell(str(len(u.metrics)), align="right"),
          Cell("lowest points" if u.aggregation == "worst_of" else
               ("weighted average" if len({m.weight for m in u.metrics}) > 1 else "average"))]
         for u in rubric.use_cases], role="weights")
    slides = [AppendixSlide("How the score is calculated", bullets, [weights],
                            notes=one_line(rubric.description or ""))]

    rows = []
    for use_case in rubric.use_cases:
        for metric in use_case.metrics:
            if metric.bands_by is None:
                cases = [("all accounts", metric.ordered_bands, False)]
            else:
                column = rubric.input.columns.get(metric.bands_by.by)
                key = one_line(column.description) if column and column.description else metric.bands_by.by
                cases = [(f"{key} {band_text(c.range)}", c.ordered_bands if c.bands else [], c.not_applicable)
                         for c in metric.bands_by.cases]
            for when, ordered, not_applicable in cases:
                by_color = {c: band_text(i) for c, i in ordered}
                row = [Cell(one_line(use_case.title)), Cell(one_line(metric.title)), Cell(when)]
                if not_applicable:
                    row += [Cell(NOT_APPLICABLE, align="center"), Cell("", align="center"), Cell("", align="center")]
                else:
                    row += [Cell(by_color.get(c, "\u2014"), status=c if c in by_color else None, align="center")
                            for c in ("red", "yellow", "green")]
                rows.append(row)
    columns = [Column("Use case", 2.2), Column("Metric", 2.8), Column("Applies to", 2.6), Column("Red", 1.5, "center"),
               Column("Yellow", 1.7, "center"), Column("Green", 1.5, "center")]
    for index, chunk in enumerate(_even(rows, THRESHOLD_ROWS)):
        title = "Thresholds" if index == 0 else "Thresholds (continued)"
        slides.append(AppendixSlide(title, [], [Table(columns, chunk, role="thresholds")],
                                    notes=f"Rubric {rubric.name} {rubric.version}."))
    return slides
