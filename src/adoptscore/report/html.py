"""A :class:`~adoptscore.report.document.Report` as one self-contained HTML page.

The page has no external resource at all (no script, stylesheet, font or image is fetched: it can
be mailed, archived or opened offline) and no JavaScript. Every text that comes from data is
escaped by jinja2's autoescaping; the plots are inline SVG drawn by :mod:`adoptscore.report.plots`,
whose texts matplotlib escapes. The same report always gives the same page.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup

from adoptscore.report import plots
from adoptscore.report.document import (
    TONES,
    BarChart,
    Block,
    Cell,
    Colored,
    ColorMix,
    Curve,
    Distribution,
    Paragraph,
    Report,
    Table,
    format_value,
    is_number,
    is_numeric_column,
)

_PLOTS = (Distribution, ColorMix, BarChart, Curve)


@dataclass
class _CellView:
    text: str
    tone: str | None = None
    missing: bool = False


@dataclass
class _ColumnView:
    name: str
    numeric: bool


@dataclass
class _BlockView:
    kind: str  # paragraph | table | plot
    title: str = ""
    text: str = ""
    paragraph_kind: str = "text"
    columns: list[_ColumnView] = field(default_factory=list)
    rows: list[list[_CellView]] = field(default_factory=list)
    caption: str = ""
    notes: list[str] = field(default_factory=list)
    svg: Markup = field(default_factory=Markup)
    data: _BlockView | None = None  # the numbers behind a plot, shown on demand


@dataclass
class _SectionView:
    title: str
    anchor: str
    items: list[Any]  # _BlockView, or a list of plot _BlockViews drawn side by side


def _cell(value: Cell, spec: str | None) -> _CellView:
    text = format_value(value, spec)
    if isinstance(value, Colored):
        return _CellView(text, value.tone or "plain")
    missing = value is None or (is_number(value) and math.isnan(float(value)))  # type: ignore[arg-type]
    return _CellView(text, None, missing)


def _table_view(table: Table) -> _BlockView:
    width = len(table.columns)
    rows = [list(row)[:width] + [None] * (width - len(row)) for row in table.rows]
    columns = [
        _ColumnView(name, is_numeric_column([row[i] for row in rows]))
        for i, name in enumerate(table.columns)
    ]
    cells = [[_cell(row[i], table.formats.get(name)) for i, name in enumerate(table.columns)] for row in rows]
    return _BlockView("table", columns=columns, rows=cells, caption=table.caption or "")


def _color_mix_data(block: ColorMix) -> _BlockView:
    tones = [t for t in TONES if any(c.get(t) for _, c in block.bars)]
    tones += sorted({k for _, c in block.bars for k in c} - set(TONES))
    rows: list[list[Cell]] = []
    for label, counts in block.bars:
        total = sum(int(counts.get(t, 0) or 0) for t in tones)
        row: list[Cell] = [label]
        for tone in tones:
            count = int(counts.get(tone, 0) or 0)
            share = f" ({count / total:.1%})" if total else ""
            row.append(Colored(f"{count:,}{share}", tone if tone in TONES else None))  # type: ignore[arg-type]
        row.append(total)
        rows.append(row)
    columns = [""] + [plots.TONE_LABELS.get(t, t) for t in tones] + ["Total"]
    view = _table_view(Table(columns, rows))
    for column in view.columns[1:]:
        column.numeric = True
    return view


def _bar_chart_data(block: BarChart) -> _BlockView:
    rows: list[list[Cell]] = []
    for i, category in enumerate(block.categories):
        rows.append([category] + [values[i] if i < len(values) else None for _, values in block.series])
    names = [name for name, _ in block.series]
    table = Table([""] + names, rows, formats={name: block.value_format for name in names})
    return _table_view(table)


def _plot_view(block: Block, prefix: str) -> _BlockView:
    notes: list[str] = []
    data = None
    if isinstance(block, Distribution):
        svg = plots.distribution_svg(block, prefix)
        summary = f"{block.n:,} values"
        median = block.nearest(0.5)
        if median is not None:
            summary += f" · median {format_value(median, block.value_format)}"
        notes.append(summary)
        clipped = plots.distribution_note(block)
        if clipped:
            notes.append(clipped)
    elif isinstance(block, ColorMix):
        svg = plots.color_mix_svg(block, prefix)
        data = _color_mix_data(block) if block.bars else None
    elif isinstance(block, BarChart):
        svg = plots.bar_chart_svg(block, prefix)
        if block.reference is not None:
            notes.append(f"Dashed line: {block.reference[0]} ({format_value(block.reference[1], block.value_format)}).")
        data = _bar_chart_data(block) if block.categories and block.series else None
    else:
        assert isinstance(block, Curve)
        svg = plots.curve_svg(block, prefix)
    # The SVG comes from matplotlib, which escapes every text it writes (checked by the tests).
    return _BlockView("plot", title=block.title, caption=block.caption or "", notes=notes,
                      svg=Markup(svg), data=data)


def _anchor(index: int, title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:40].strip("-")
    return f"s{index}-{slug}" if slug else f"s{index}"


def _section_view(index: int, title: str, blocks: list[Block]) -> _SectionView:
    items: list[Any] = []
    for j, block in enumerate(blocks):
        if isinstance(block, Paragraph):
            items.append(_BlockView("paragraph", text=block.text, paragraph_kind=block.kind))
        elif isinstance(block, Table):
            items.append(_table_view(block))
        elif isinstance(block, _PLOTS):
            view = _plot_view(block, f"p{index}-{j}")
            if items and isinstance(items[-1], list):
                items[-1].append(view)
            else:
                items.append([view])
        else:
            items.append(_BlockView("paragraph", text=str(block), paragraph_kind="note"))
    return _SectionView(title, _anchor(index, title), items)


_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)

_CSS = """
:root {
  --ink: #1f2328; --muted: #59636e; --line: #e3e6ea; --bg: #f6f7f9; --card: #ffffff;
  --accent: #1c7ed6;
  --red: #d9534f; --red-bg: #fbe3e2; --red-ink: #8a1c19;
  --yellow: #f0ad4e; --yellow-bg: #fdf0da; --yellow-ink: #7a4a00;
  --green: #5cb85c; --green-bg: #e3f3e3; --green-ink: #1f6420;
  --grey: #aab2bd; --grey-bg: #eef0f3; --grey-ink: #4a525c;
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans",
    sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji";
  color-scheme: light;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 15px/1.55 var(--font); }
.wrap { max-width: 1160px; margin: 0 auto; padding: 0 24px; }
header.top { background: var(--card); border-bottom: 1px solid var(--line); padding: 28px 0 22px; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0; letter-spacing: -0.01em; overflow-wrap: anywhere; }
.subtitle { color: var(--muted); margin: 6px 0 0; overflow-wrap: anywhere; }
main { padding: 24px 0 48px; }
h2 { font-size: 1.25rem; margin: 0 0 14px; overflow-wrap: anywhere; }
h3 { font-size: 1rem; margin: 0 0 6px; overflow-wrap: anywhere; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px; margin-bottom: 20px; }
.figure-card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
.figure-label { color: var(--muted); font-size: 0.78rem; text-transform: uppercase; letter-spacing: 0.04em; overflow-wrap: anywhere; }
.figure-value { font-size: 1.45rem; font-weight: 650; margin-top: 2px; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.warnings { background: #fff8e6; border: 1px solid #f3d08a; border-left: 5px solid var(--yellow); border-radius: 10px;
  padding: 12px 18px; margin-bottom: 20px; }
.warnings h2 { font-size: 1rem; margin: 0 0 4px; color: var(--yellow-ink); }
.warnings ul { margin: 0; padding-left: 20px; }
.warnings li { overflow-wrap: anywhere; }
nav.toc { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 18px; margin-bottom: 20px; }
nav.toc h2 { font-size: 0.85rem; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); margin: 0 0 6px; }
nav.toc ol { margin: 0; padding-left: 22px; columns: 2 260px; column-gap: 32px; }
nav.toc li { break-inside: avoid; overflow-wrap: anywhere; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
section.section { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 20px 22px;
  margin-bottom: 20px; scroll-margin-top: 12px; }
p { margin: 0 0 12px; overflow-wrap: anywhere; }
p.note { color: var(--muted); font-size: 0.9rem; }
p.warning { background: #fff8e6; border-left: 4px solid var(--yellow); padding: 8px 12px; border-radius: 6px; color: #5c3b00; }
.table-wrap { overflow-x: auto; margin: 0 0 16px; border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
caption { caption-side: bottom; text-align: left; color: var(--muted); font-size: 0.85rem; padding: 8px 12px; }
th, td { padding: 7px 12px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top;
  overflow-wrap: anywhere; min-width: 4ch; }
th { background: #f8f9fb; font-weight: 600; color: #3a4149; white-space: nowrap; }
tbody tr:nth-child(even) td { background: #fbfcfd; }
tbody tr:last-child td { border-bottom: 0; }
td.text { unicode-bidi: plaintext; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.missing { color: #9aa3ad; }
td.empty { color: var(--muted); font-style: italic; text-align: center; }
.pill { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 0.84rem; font-weight: 600;
  line-height: 1.5; white-space: nowrap; border: 1px solid transparent; unicode-bidi: isolate; }
.pill::before { content: ""; display: inline-block; width: 0.55em; height: 0.55em; border-radius: 50%;
  margin-right: 0.4em; vertical-align: 0.05em; background: currentColor; }
.tone-red { background: var(--red-bg); color: var(--red-ink); border-color: #f1b9b7; }
.tone-red::before { background: var(--red); }
.tone-yellow { background: var(--yellow-bg); color: var(--yellow-ink); border-color: #f5d29c; }
.tone-yellow::before { background: var(--yellow); }
.tone-green { background: var(--green-bg); color: var(--green-ink); border-color: #b4dfb4; }
.tone-green::before { background: var(--green); }
.tone-no_data, .tone-not_applicable, .tone-plain { background: var(--grey-bg); color: var(--grey-ink); border-color: #d5dae0; }
.tone-no_data::before { background: var(--grey); }
.tone-not_applicable::before { background: transparent; border: 1px solid var(--grey); }
.tone-plain::before { display: none; }
.plot-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 470px), 1fr)); gap: 16px; margin: 0 0 16px; }
figure.plot { margin: 0; border: 1px solid var(--line); border-radius: 10px; padding: 14px 14px 10px; min-width: 0; }
figure.plot svg.plot-svg { display: block; width: 100%; max-width: 680px; height: auto; margin: 4px 0; }
svg.plot-svg * { stroke-linejoin: round; stroke-linecap: butt; }
svg.plot-svg text { font-family: var(--font); }
figcaption { color: var(--muted); font-size: 0.85rem; overflow-wrap: anywhere; }
figcaption p { margin: 2px 0 0; }
details { margin-top: 8px; font-size: 0.88rem; }
details summary { cursor: pointer; color: var(--accent); }
details .table-wrap { margin: 8px 0 0; }
footer { color: var(--muted); font-size: 0.8rem; text-align: center; padding: 0 0 32px; }
@media (max-width: 640px) {
  .wrap { padding: 0 14px; }
  section.section { padding: 16px 14px; }
  h1 { font-size: 1.4rem; }
}
@media print {
  body { background: #fff; font-size: 12px; }
  nav.toc, details { display: none; }
  section.section, figure.plot, .figure-card { break-inside: avoid; border-color: #ccc; }
  header.top { border: 0; padding-top: 0; }
}
"""

_TEMPLATE = _ENV.from_string(
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="adoptscore">
<title>{{ report.title }}</title>
<style>{{ css }}</style>
</head>
<body>
{% macro table(view) %}
<div class="table-wrap">
<table>
{% if view.caption %}<caption>{{ view.caption }}</caption>{% endif %}
<thead><tr>{% for column in view.columns %}<th scope="col"{% if column.numeric %} class="num"{% endif %}>{{ column.name }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in view.rows %}
<tr>{% for cell in row %}{% set column = view.columns[loop.index0] %}<td class="{{ 'num' if column.numeric else 'text' }}{{ ' missing' if cell.missing else '' }}">{% if cell.tone %}<span class="pill tone-{{ cell.tone }}">{{ cell.text }}</span>{% else %}{{ cell.text }}{% endif %}</td>{% endfor %}</tr>
{% else %}
<tr><td class="empty" colspan="{{ view.columns|length or 1 }}">No rows</td></tr>
{% endfor %}
</tbody>
</table>
</div>
{% endmacro %}
<header class="top"><div class="wrap">
<h1>{{ report.title }}</h1>
{% if report.subtitle %}<p class="subtitle">{{ report.subtitle }}</p>{% endif %}
</div></header>
<main class="wrap">
{% if report.figures %}
<section class="figures" aria-label="Key figures">
{% for label, value in report.figures %}
<div class="figure-card"><div class="figure-label">{{ label }}</div><div class="figure-value">{{ value }}</div></div>
{% endfor %}
</section>
{% endif %}
{% if report.warnings %}
<section class="warnings" role="note" aria-label="Warnings">
<h2>&#9888; {{ 'Warning' if report.warnings|length == 1 else report.warnings|length ~ ' warnings' }}</h2>
<ul>{% for warning in report.warnings %}<li>{{ warning }}</li>{% endfor %}</ul>
</section>
{% endif %}
{% if sections|length > 1 %}
<nav class="toc" aria-label="Contents">
<h2>Contents</h2>
<ol>{% for section in sections %}<li><a href="#{{ section.anchor }}">{{ section.title }}</a></li>{% endfor %}</ol>
</nav>
{% endif %}
{% for section in sections %}
<section class="section" id="{{ section.anchor }}">
<h2>{{ section.title }}</h2>
{% for item in section.items %}
{% if item is sequence %}
<div class="plot-grid">
{% for plot in item %}
<figure class="plot">
<h3>{{ plot.title }}</h3>
{{ plot.svg }}
{% if plot.caption or plot.notes %}
<figcaption>{% if plot.caption %}<p>{{ plot.caption }}</p>{% endif %}{% for note in plot.notes %}<p>{{ note }}</p>{% endfor %}</figcaption>
{% endif %}
{% if plot.data %}
<details><summary>Numbers</summary>{{ table(plot.data) }}</details>
{% endif %}
</figure>
{% endfor %}
</div>
{% elif item.kind == 'table' %}
{{ table(item) }}
{% else %}
<p class="{{ item.paragraph_kind }}">{% if item.paragraph_kind == 'warning' %}&#9888; {% endif %}{{ item.text }}</p>
{% endif %}
{% endfor %}
</section>
{% endfor %}
</main>
<footer>Made with adoptscore</footer>
</body>
</html>
"""
)


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG, no script, no external link)."""
    sections = [_section_view(i + 1, s.title, list(s.blocks)) for i, s in enumerate(report.sections)]
    return _TEMPLATE.render(report=report, sections=sections, css=Markup(_CSS.strip()))
