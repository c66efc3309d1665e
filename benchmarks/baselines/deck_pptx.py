"""Baseline for bench_deck.py: the same deck written directly with python-pptx's public API.

Same slides, same tables (rows x columns, same cell texts), same line charts (categories and
series), same text boxes and speaker notes, on python-pptx's default template, with none of the
product's work: no text fitting, no cell colors, no chart formatting, no template handling. It is
what a script that dumps the numbers into a deck costs: the denominator of the ratio.
"""
from __future__ import annotations

import io

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches


def _textbox(slide, texts: list[str], top: float) -> None:
    box = slide.shapes.add_textbox(Inches(0.5), Inches(top), Inches(9), Inches(1))
    frame = box.text_frame
    frame.text = texts[0] if texts else ""
    for text in texts[1:]:
        frame.add_paragraph().text = text


def _table(slide, table, top: float) -> None:
    rows, cols = len(table.rows) + 1, len(table.columns)
    shape = slide.shapes.add_table(rows, cols, Inches(0.5), Inches(top), Inches(9), Inches(0.3 * rows))
    for j, column in enumerate(table.columns):
        shape.table.cell(0, j).text = column.title
    for i, row in enumerate(table.rows, start=1):
        for j, cell in enumerate(row):
            shape.table.cell(i, j).text = cell.text + ("\n" + cell.detail if cell.detail else "")


def _chart(slide, chart) -> None:
    data = CategoryChartData()
    data.categories = chart.categories
    for series in chart.series:
        data.add_series(series.name, series.values)
    slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, Inches(5), Inches(4), Inches(4.5), Inches(3), data)


def minimal_deck(deck) -> bytes:
    """``deck`` (an adoptscore.deck.model.Deck) as a plain python-pptx presentation."""
    prs = Presentation()
    for item in deck.slides:
        slide = prs.slides.add_slide(prs.slide_layouts[0 if item.kind == "title" else 5])
        slide.shapes.title.text = item.title
        if item.kind == "title":
            slide.placeholders[1].text = "\n".join(item.subtitle)
        elif item.kind == "overview":
            _textbox(slide, [f"{k.label}: {k.value} {k.detail}" for k in item.kpis], 1.4)
            _table(slide, item.table, 2.4)
            _textbox(slide, [item.changes_title] + [b.text for b in item.changes], 5.5)
            _chart(slide, item.chart)
        elif item.kind == "use_case":
            _textbox(slide, [f"{item.status.value} {item.status.detail}", item.summary], 1.4)
            if item.table is not None:
                _table(slide, item.table, 2.4)
                _textbox(slide, [b.bold_lead + b.text for b in item.meanings] + [item.peers_note], 5.5)
            if item.chart is not None:
                _chart(slide, item.chart)
        elif item.kind == "focus":
            _textbox(slide, [item.intro], 1.4)
            for card in item.cards:
                _textbox(slide, [card.heading, card.move, card.gap, card.impact, card.recommendation, *card.features],
                         2.2 + card.rank)
        elif item.kind == "appendix":
            if item.bullets:
                _textbox(slide, [b.bold_lead + b.text for b in item.bullets], 1.4)
            for table in item.tables:
                _table(slide, table, 3.5)
        if item.notes:
            slide.notes_slide.notes_text_frame.text = item.notes
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
