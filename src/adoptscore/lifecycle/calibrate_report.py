"""A calibration as JSON and as a report: the evidence first, then what the proposal does."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adoptscore.lifecycle import thresholds as th
from adoptscore.report.document import (ColorMix, Colored, Distribution, Paragraph, Report, Section, Table,
                                        Threshold)

if TYPE_CHECKING:
    from adoptscore.lifecycle.calibrate import BandSet, Calibration

STATES = ("red", "yellow", "green", "no_data", "not_applicable")


def _share(count: int, total: int) -> float | None:
    return count / total if total else None


def _cuts(cuts: list[th.Cut]) -> list[dict[str, Any]]:
    return [{"value": c.value, "below_inclusive": c.below_inclusive, "target": c.target} for c in cuts]


def _mix(mix: dict[str, int]) -> dict[str, Any]:
    total = sum(mix.values())
    return {color: {"count": n, "share": _share(n, total)} for color, n in mix.items()}


def calibration_dict(c: "Calibration") -> dict[str, Any]:
    """JSON-ready: plain numbers and text, None for what could not be computed."""
    return {
        "rubric": {"name": c.rubric.name, "version": str(c.rubric.version)},
        "proposed_version": str(c.proposed.version),
        "strategy": c.strategy, "formula": c.formula, "mix": list(c.mix) if c.mix else None,
        "precision": c.precision, "source": c.source, "periods": c.periods,
        "account_months": c.rows, "accounts": c.accounts,
        "cohort": c.cohort, "cohort_accounts": c.cohort_accounts if c.cohort else None,
        "created": c.created, "warnings": c.warnings,
        "metrics": [{
            "use_case": b.use_case, "metric": b.metric, "title": b.title, "case": b.case, "unit": b.unit,
            "n": b.n, "quantiles": b.quantiles, "quantiles_exact": [[p, v] for p, v in b.grid],
            "histogram": (None if b.histogram is None else
                          {"edges": b.histogram.edges, "counts": b.histogram.counts,
                           "below_first_edge": b.histogram.below, "above_last_edge": b.histogram.above}),
            "healthy": (None if b.healthy is None else
                        {"n": b.healthy.n, "mean": b.healthy.mean, "median": b.healthy.median}),
            "current": {"bands": b.current_bands, "cuts": _cuts(b.current_cuts), "mix": _mix(b.current_mix),
                        "near_cuts": b.current_near},
            "proposed": (None if b.proposed_bands is None else
                         {"bands": b.proposed_bands, "cuts": _cuts(b.proposed_cuts), "mix": _mix(b.proposed_mix),
                          "near_cuts": b.proposed_near}),
            "changed": b.changed, "note": b.note,
        } for b in c.bands],
        "use_cases": {use_case: {label: _mix(mix) for label, mix in sides.items()}
                      for use_case, sides in c.use_case_mix.items()},
        "segments": ([{"segment": s.segment, "use_case": s.use_case, "metric": s.metric, "n": s.n,
                       "quantiles": s.quantiles, "healthy_median": s.healthy_median} for s in c.segments]
                     if c.by else None),
        "by": c.by,
    }


def _fmt(value: float | None, spec: str) -> str:
    if value is None:
        return "no data"
    try:
        return format(value, spec)
    except (TypeError, ValueError):
        return str(value)


def _share_cell(count: int, total: int, tone: str) -> Colored:
    """``1,234 (25%)`` in the color it counts."""
    return Colored(f"{count:,} ({count / total:.0%})" if total else "0", tone)


def _mix_cells(mix: dict[str, int], colors: list[str]) -> list[Any]:
    total = sum(mix.values())
    return [_share_cell(mix.get(color, 0), total, color) for color in ("red", "yellow", "green") if color in colors]


def _metric_blocks(b: "BandSet") -> list[Any]:
    thresholds = [Threshold(f"current {th.format_number(cut.value, b.unit)}", cut.value, "current")
                  for cut in b.current_cuts]
    thresholds += [Threshold(f"proposed {th.format_number(cut.value, b.unit)}", cut.value, "proposed")
                   for cut in b.proposed_cuts]
    spec = b.value_format
    blocks: list[Any] = []
    if b.grid:
        histogram = (None if b.histogram is None else
                     (b.histogram.edges, b.histogram.counts, b.histogram.below, b.histogram.above))
        blocks.append(Distribution(title=f"{b.title}" + (f" ({b.case})" if b.case else ""), quantiles=b.grid, n=b.n,
                                   thresholds=thresholds, value_format=spec, histogram=histogram,
                                   caption=f"{b.n:,} scored account-months; solid lines: current cuts, "
                                           "dashed: proposed"))
    rows = [["current", *[b.current_bands.get(c, "") for c in ("red", "yellow", "green")],
             *_mix_cells(b.current_mix, b.colors), *[f"{n:,}" for n in b.current_near]]]
    if b.proposed_bands is not None:
        rows.append(["proposed", *[b.proposed_bands.get(c, "") for c in ("red", "yellow", "green")],
                     *_mix_cells(b.proposed_mix, b.colors), *[f"{n:,}" for n in b.proposed_near]])
    near = [f"within ±10% of cut {i + 1}" for i in range(max(len(b.current_cuts), len(b.proposed_cuts)))]
    color_heads = [c for c in ("red", "yellow", "green") if c in b.colors]
    blocks.append(Table(columns=["thresholds", "red band", "yellow band", "green band",
                                 *[f"{c} (share)" for c in color_heads], *near], rows=rows))
    if b.note:
        blocks.append(Paragraph(b.note, "warning"))
    if b.proposed_mix:
        blocks.append(ColorMix(title=f"{b.title}: color mix", bars=[("current", b.current_mix),
                                                                      ("proposed", b.proposed_mix)]))
    return blocks


def calibration_report(c: "Calibration") -> Report:
    changed = [b for b in c.bands if b.changed]
    figures = [("strategy", c.strategy + (f" {th.mix_text(c.mix)}" if c.mix else "")),
               ("window", f"{c.periods[0]}..{c.periods[-1]} ({len(c.periods)} periods)"),
               ("account-months", f"{c.rows:,}"), ("accounts", f"{c.accounts:,}"),
               ("metrics changed", f"{len(changed)} of {len(c.bands)}"),
               ("new version", str(c.proposed.version))]
    if c.cohort:
        figures.append(("healthy cohort", f"{c.cohort_accounts:,} accounts"))
    summary_rows = []
    for b in c.bands:
        q = b.quantiles
        summary_rows.append([
            b.label, b.n, *[_fmt(q.get(k), b.value_format) for k in ("p10", "p25", "p50", "p75", "p90")],
            *([_fmt(b.healthy.median, b.value_format) if b.healthy else ""] if c.cohort else []),
            cuts_text(b.current_cuts, b.unit),
            cuts_text(b.proposed_cuts, b.unit) if b.proposed_bands else "kept",
        ])
    sections = [Section("Method", [
        Paragraph(f"Strategy {c.strategy}: {c.formula}."),
        Paragraph(f"Quantiles are over the {c.rows:,} account-months of {c.accounts:,} accounts in "
                  f"{c.periods[0]}..{c.periods[-1]} that are in the rubric's scope; a metric counts only "
                  "its scored values (no data and not applicable are left out). Cuts are rounded to "
                  f"{c.precision or 'all'} significant digits; where the strategy leaves the side of a cut "
                  "open, the side is chosen from exact counts."),
    ]), Section("Thresholds per metric", [Table(
        columns=["metric", "n", "p10", "p25", "p50", "p75", "p90", *(["healthy median"] if c.cohort else []),
                 "current cuts",
                 "proposed cuts"],
        rows=summary_rows, formats={"n": ",d"},
        caption="Cuts from low to high values; '≤ c' means the band below includes c, '< c' the band above.")])]
    if c.use_case_mix:
        titles = {u.id: u.title for u in c.rubric.use_cases}
        titles["overall"] = c.rubric.overall.title
        rows = []
        bars = []
        for use_case, sides in c.use_case_mix.items():
            for label in ("current", "proposed"):
                mix = sides.get(label, {})
                total = sum(mix.values())
                rows.append([titles.get(use_case, use_case), label,
                             *[_share_cell(mix.get(s, 0), total, s) for s in STATES]])
                bars.append((f"{titles.get(use_case, use_case)}, {label}", {s: mix.get(s, 0) for s in STATES}))
        sections.append(Section("Use-case colors, current and proposed", [
            Paragraph("Every account-month of the window scored with both versions."),
            Table(columns=["use case", "version", *[s.replace("_", " ") for s in STATES]], rows=rows),
            ColorMix("Use-case color mix", bars)]))
    for use_case in c.rubric.use_cases:
        blocks: list[Any] = []
        for b in c.bands:
            if b.use_case == use_case.id:
                blocks.append(Paragraph(f"{b.title}" + (f" ({b.case})" if b.case else ""), "note"))
                blocks += _metric_blocks(b)
        if blocks:
            sections.append(Section(use_case.title, blocks))
    if c.by and c.segments:
        sections.append(Section(f"Quantiles by {c.by}", [Table(
            columns=[c.by, "metric", "n", "p10", "p25", "p50", "p75", "p90", "healthy median"],
            rows=[[s.segment or "no data", f"{s.use_case}.{s.metric}", s.n,
                   *[_fmt(s.quantiles.get(k), ".4g") for k in ("p10", "p25", "p50", "p75", "p90")],
                   _fmt(s.healthy_median, ".4g") if c.cohort else ""] for s in c.segments],
            formats={"n": ",d"})]))
    return Report(title=f"Calibration of {c.rubric.name} {c.rubric.version} -> {c.proposed.version}",
                  subtitle=f"{c.source}, {c.created}", figures=figures, warnings=list(c.warnings), sections=sections)


def cuts_text(cuts: list[th.Cut], unit: str) -> str:
    """``≤10% / ≤33%``: the cuts of a band list, low to high, with the side owning each."""
    return " / ".join(f"{'≤' if c.below_inclusive else '<'}{th.format_number(c.value, unit)}" for c in cuts)
