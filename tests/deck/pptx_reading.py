"""Reading generated decks back with python-pptx (and the XML underneath) for the tests."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime

from pptx import Presentation
from pptx.util import Emu

NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main"}


def open_deck(blob: bytes):
    return Presentation(io.BytesIO(blob))


def slide_title(slide) -> str:
    if slide.shapes.title is not None and slide.shapes.title.has_text_frame:
        return slide.shapes.title.text_frame.text
    # a deck drawn on a layout without a title placeholder: the first text box
    return next(s.text_frame.text for s in slide.shapes if s.has_text_frame and s.text_frame.text)


def shapes_named(slide, prefix: str) -> list:
    return [s for s in slide.shapes if s.name.startswith(prefix)]


@dataclass
class CellRead:
    text: str          # the first paragraph
    detail: str        # the other paragraphs
    fill: str | None   # RGB hex of a fixed fill, None for a theme fill


def table_cells(shape) -> list[list[CellRead]]:
    rows = []
    for row in shape.table.rows:
        cells = []
        for cell in row.cells:
            paragraphs = [p.text for p in cell.text_frame.paragraphs]
            fill = cell._tc.xpath("./a:tcPr/a:solidFill/a:srgbClr/@val")
            cells.append(CellRead(paragraphs[0] if paragraphs else "", " ".join(paragraphs[1:]), fill[0] if fill else None))
        rows.append(cells)
    return rows


def all_text(prs) -> str:
    """Every text of every slide (shapes, tables, chart titles and categories), one string."""
    parts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [c.text_frame.text for row in shape.table.rows for c in row.cells]
            if shape.has_chart:
                chart = shape.chart
                if chart.has_title:
                    parts.append(chart.chart_title.text_frame.text)
                parts += [str(c) for c in chart.plots[0].categories]
                parts += [s.name for s in chart.plots[0].series]
    return "\n".join(parts)


def month_label(period: str) -> str:
    """'2026-10' -> 'Oct 2026', computed here independently of the deck code."""
    return datetime.strptime(period, "%Y-%m").strftime("%b %Y")


def number(text: str) -> float:
    """The number in a cell: '66.7%' -> 0.667, '1,234.5' -> 1234.5."""
    match = re.search(r"[-\u2212]?[\d,]*\.?\d+", text)
    assert match, f"no number in {text!r}"
    value = float(match.group(0).replace(",", "").replace("\u2212", "-"))
    return value / 100 if text.strip().endswith("%") else value


def emu_to_pt(value: int) -> float:
    return Emu(value).pt
