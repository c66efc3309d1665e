"""A :class:`~adoptscore.deck.model.Deck` as one self-contained HTML page, for email.

The page carries the deck's content (overview, each use case, key areas of focus, how the score
is calculated) with no external resource and no script: styles are in the page (and repeated on
the colored cells, which some mail clients keep when they drop a style sheet), charts are inline
SVG followed by their numbers. Every text from data is escaped by jinja2's autoescaping (and SVG
labels by :func:`markupsafe.escape`); names in a right-to-left script keep their direction
(``dir="auto"``).
"""
from __future__ import annotations

import jinja2
from markupsafe import Markup, escape

from adoptscore.deck.model import STATUS, STRONG, Chart, Deck
from adoptscore.deck.text import clean

_WIDTH, _HEIGHT = 816, 210
_LEFT, _RIGHT, _TOP, _BOTTOM = 34, 10, 14, 28


def _status_style(status: str | None) -> str:
    if status not in STATUS:
        return ""
    fill, ink = STATUS[status]
    return f"background:#{fill};color:#{ink};"


def chart_svg(chart: Chart, *, width: int = _WIDTH, height: int = _HEIGHT) -> Markup:
    """A line chart as inline SVG: score points colored by their band, gaps where no data,
    dashed lines at the score-band edges, the latest value labelled."""
    n = len(chart.categories)
    plot_w, plot_h = width - _LEFT - _RIGHT, height - _TOP - _BOTTOM
    span = (chart.y_max - chart.y_min) or 1.0

    def x(i: int) -> float:
        return _LEFT + (plot_w * (i + 0.5) / n if n else 0)

    def y(v: float) -> float:
        return _TOP + plot_h * (1 - (min(max(v, chart.y_min), chart.y_max) - chart.y_min) / span)

    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
              f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(clean(chart.title))}" '
              'style="max-width:100%;height:auto;font-family:inherit">'),
             f"<title>{escape(clean(chart.title))}</title>"]
    step = span / 4
    for k in range(5):
        value = chart.y_min + k * step
        parts.append(f'<line x1="{_LEFT}" x2="{_LEFT + plot_w}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                     'stroke="#e3e3e3" stroke-width="1"/>')
        parts.append(f'<text x="{_LEFT - 6}" y="{y(value) + 4:.1f}" font-size="10" text-anchor="end" '
                     f'fill="#666">{value:g}</text>')
    for series in chart.series:
        if series.role != "reference" or not series.values:
            continue
        level = y(series.values[0])
        parts.append(f'<line x1="{_LEFT}" x2="{_LEFT + plot_w}" y1="{level:.1f}" y2="{level:.1f}" stroke="#9a9a9a" '
                     'stroke-width="1" stroke-dasharray="4 3"/>')
        parts.append(f'<text x="{_LEFT + plot_w - 2}" y="{level - 3:.1f}" font-size="9" text-anchor="end" '
                     f'fill="#777">{escape(clean(series.name))}</text>')
    every = 1 if n <= 8 else 2
    for i, label in enumerate(chart.categories):
        if (n - 1 - i) % every == 0:
            parts.append(f'<text x="{x(i):.1f}" y="{_TOP + plot_h + 16}" font-size="10" text-anchor="middle" '
                         f'fill="#555">{escape(clean(label))}</text>')
    for series in chart.series:
        if series.role != "score":
            continue
        run: list[str] = []
        for i, value in enumerate([*series.values, None]):
            if value is not None:
                run.append(f"{x(i):.1f},{y(value):.1f}")
            elif run:
                if len(run) > 1:
                    parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="#4472c4" stroke-width="2.5"/>')
                run = []
        colors = series.colors or [None] * len(series.values)
        last = max((i for i, v in enumerate(series.values) if v is not None), default=None)
        for i, (value, color) in enumerate(zip(series.values, colors)):
            if value is None:
                continue
            fill = STRONG.get(color or "none", STRONG["none"])
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="4.5" fill="#{fill}" stroke="#fff" '
                         'stroke-width="1.5"/>')
            if i == last:
                parts.append(f'<text x="{x(i):.1f}" y="{y(value) - 9:.1f}" font-size="11" font-weight="bold" '
                             f'text-anchor="middle" fill="#222">{value:.1f}</text>')
    if chart.empty:
        parts.append(f'<text x="{_LEFT + plot_w / 2:.1f}" y="{_TOP + plot_h / 2:.1f}" font-size="13" '
                     'text-anchor="middle" fill="#777">no data</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="adoptscore">
<title>Use-case adoption review: {{ deck.account_name }}, {{ deck.period_label }}</title>
<style>
body { margin:0; padding:0; background:#f4f5f7; color:#1f2328; font-family:-apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif; font-size:14px; line-height:1.45; }
.page { max-width:880px; margin:0 auto; background:#fff; padding:28px 32px; }
h1 { font-size:26px; margin:0 0 4px; overflow-wrap:anywhere; }
h2 { font-size:19px; margin:30px 0 10px; padding-bottom:4px; border-bottom:2px solid #4472c4; }
h3 { font-size:16px; margin:22px 0 6px; }
.sub { color:#555; margin:0; }
.kpis { width:100%; border-collapse:separate; border-spacing:8px 0; margin:0 -8px; }
.kpi { background:#f0f0f0; border-radius:8px; padding:10px 12px; text-align:center; vertical-align:top; width:33%; }
.kpi .label { font-size:12px; color:#555; }
.kpi .value { font-size:24px; font-weight:bold; }
.kpi .detail { font-size:11px; color:#555; }
table.grid { width:100%; border-collapse:collapse; margin:8px 0; font-size:13px; }
table.grid th { background:#4472c4; color:#fff; text-align:left; padding:5px 7px; font-weight:600; }
table.grid td { background:#f2f2f2; border-top:2px solid #fff; padding:5px 7px; vertical-align:middle; overflow-wrap:anywhere; }
table.grid td.center, table.grid th.center { text-align:center; }
table.grid td.right, table.grid th.right { text-align:right; }
td .detail { display:block; font-size:11px; opacity:.85; }
.bold { font-weight:bold; }
.badge { display:inline-block; border-radius:6px; padding:2px 10px; font-weight:bold; }
.note { color:#666; font-size:12px; }
ul { margin:6px 0; padding-left:20px; }
.cards { width:100%; border-collapse:separate; border-spacing:10px 0; margin:0 -10px; }
.card { border:1.5px solid #4472c4; border-radius:8px; padding:12px 14px; vertical-align:top; background:#fafafa; }
.card h4 { margin:0 0 4px; font-size:14px; }
.trend { font-size:11px; color:#555; }
.chart { margin:6px 0; }
</style>
</head>
<body>
<div class="page">
{% for slide in deck.slides %}
{% if slide.kind == "title" %}
<h1 dir="auto">{{ slide.title }}</h1>
{% for line in slide.subtitle %}<p class="sub"{% if loop.index == 2 %} style="font-weight:bold"{% endif %}>{{ line }}</p>
{% endfor %}
{% elif slide.kind == "overview" %}
<h2>{{ slide.title }}</h2>
<table class="kpis" role="presentation"><tr>
{% for kpi in slide.kpis %}<td class="kpi" style="{{ status_style(kpi.status) }}"><div class="label">{{ kpi.label }}</div><div class="value">{{ kpi.value }}</div><div class="detail">{{ kpi.detail }}</div></td>
{% endfor %}</tr></table>
{{ grid(slide.table) }}
<div class="chart">{{ svg(slide.chart) }}</div>
<p class="trend">{{ slide.chart.series[0].name }}: {% for label, value in zip(slide.chart.categories, slide.chart.series[0].values) %}{{ label }} {{ score(value) }}{% if not loop.last %} · {% endif %}{% endfor %}</p>
<h3>{{ slide.changes_title }}</h3>
<ul>{% for b in slide.changes %}<li>{{ b.text }}</li>{% endfor %}</ul>
{% elif slide.kind == "use_case" %}
{% if slide.part == 1 %}<h2>{{ slide.title }} <span class="badge" style="{{ status_style(slide.status.status) }}">{{ slide.status.value }}{% if slide.status.detail %} · {{ slide.status.detail }}{% endif %}</span></h2>
<p>{{ slide.summary }}</p>{% if slide.override %}
<p class="override bold" style="color:#{{ ink(slide.override_color) }}">{{ slide.override }}</p>{% endif %}{% endif %}
{% if slide.table %}{{ grid(slide.table) }}
<ul>{% for b in slide.meanings %}<li><span class="bold">{{ b.bold_lead }}</span>{{ b.text }}</li>{% endfor %}</ul>
<p class="note">{{ slide.peers_note }}</p>
{% if slide.chart %}<div class="chart">{{ svg(slide.chart, height=150) }}</div>{% endif %}
{% endif %}
{% elif slide.kind == "focus" %}
<h2>{{ slide.title }}</h2>
<p>{{ slide.intro }}</p>
{% if slide.cards %}<table class="cards" role="presentation"><tr>
{% for card in slide.cards %}<td class="card" style="width:{{ (100 / slide.cards|length)|round(0, 'floor')|int }}%">
<h4>{{ card.rank }}. {{ card.heading }}</h4>
<div class="bold" style="color:#{{ ink(card.target) }}">{{ card.move }}</div>
<p>{{ card.gap }}</p>
{% if card.impact %}<p class="note">{{ card.impact }}</p>{% endif %}
{% if card.recommendation %}<p><span class="bold">Aim for:</span> {{ card.recommendation }}</p>{% endif %}
{% if card.features %}<div class="bold">Product features that help</div><ul>{% for f in card.features %}<li>{{ f }}</li>{% endfor %}</ul>{% endif %}
</td>
{% endfor %}</tr></table>{% endif %}
{% elif slide.kind == "appendix" %}
<h2>{{ slide.title }}</h2>
{% if slide.bullets %}<ul>{% for b in slide.bullets %}<li><span class="bold">{{ b.bold_lead }}</span>{{ b.text }}</li>{% endfor %}</ul>{% endif %}
{% for table in slide.tables %}{{ grid(table) }}{% endfor %}
{% endif %}
{% endfor %}
<p class="note">Scores of {{ deck.period_label }} with the rubric {{ deck.rubric }} {{ deck.rubric_version }}. Missing data is shown as "no data" and never counts as Red. Similar customers are never named.</p>
</div>
</body>
</html>
"""

_GRID = """{% macro grid(table) %}<table class="grid"><thead><tr>{% for c in table.columns %}<th class="{{ c.align }}" style="width:{{ '%.0f' % (100 * c.width / (table.columns|sum(attribute='width'))) }}%">{{ c.title }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in table.rows %}<tr>{% for cell in row %}<td class="{{ cell.align }}{% if cell.bold %} bold{% endif %}" style="{{ status_style(cell.status) }}"{% if loop.first %} dir="auto"{% endif %}>{{ cell.text }}{% if cell.detail %}<span class="detail">{{ cell.detail }}</span>{% endif %}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>{% endmacro %}"""

_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_PAGE = _ENV.from_string(_GRID + _TEMPLATE)


def render_html(deck: Deck) -> str:
    """The deck as a self-contained HTML page."""
    return _PAGE.render(
        deck=deck, svg=lambda chart, height=_HEIGHT: chart_svg(chart, height=height), status_style=_status_style,
        score=lambda v: "no data" if v is None else f"{v:.1f}", zip=zip,
        ink=lambda status: STATUS.get(status, STATUS["none"])[1])
