"""A :class:`~adoptscore.deck.model.Deck` as a PowerPoint file: native, editable tables and
charts on the template's layouts, in the template's theme fonts and colors.

Every text is fitted to its box before it is written (:func:`adoptscore.deck.text.fit`): the
largest size that fits, down to a floor, then cut with an ellipsis. Line spacing is set exactly
(1.2 x the size) so the estimate holds in any viewer; text boxes never auto-grow, and table rows
are sized to their estimated content so a table never grows past its area.
"""
from __future__ import annotations

import io
import math
import unicodedata
from dataclasses import dataclass

from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
)
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.parts.slide import NotesSlidePart
from pptx.util import Emu, Inches, Pt

from adoptscore.deck.chartxml import LineChartData
from adoptscore.deck.model import (
    STATUS,
    AppendixSlide,
    Chart,
    Deck,
    FocusCard,
    FocusSlide,
    Kpi,
    OverviewSlide,
    Table,
    TitleSlide,
    UseCaseSlide,
)
from adoptscore.deck.ooxml import (
    CellXml,
    Line,
    notes_xml,
    replace_table,
    set_text,
    table_xml,
)
from adoptscore.deck.template import (
    BODY_TYPES,
    GAP,
    TITLE_TYPES,
    Box,
    Template,
    load_template,
)
from adoptscore.deck.text import (
    Fitted,
    Run,
    clean,
    fit,
    line_height,
    measure,
    truncate,
    wrap,
)

PAD = Inches(0.08)              # text-box inner margin
CELL_PAD_X, CELL_PAD_Y = Inches(0.06), Inches(0.03)
BULLET = Inches(0.2)
DETAIL = 0.8                    # size of a cell's second line relative to its first
SPACING = 1.2


@dataclass
class Para:
    """One paragraph to draw."""

    text: str
    scale: float = 1.0
    bold: bool = False
    lead: str = ""               # a bold start
    bullet: bool = False
    muted: bool = False
    color: str | None = None     # hex color of the whole paragraph
    space_before: float = 0.0    # in lines
    align: str | None = None

    def run(self) -> Run:
        return Run(self.lead + self.text, self.scale, self.bold or bool(self.lead), BULLET if self.bullet else 0,
                   self.space_before)


@dataclass
class _Cell:
    text: str
    detail: str
    bold: bool
    align: str
    status: str | None


def _rtl(text: str) -> bool:
    """Whether ``text`` starts (at its first strong character) in a right-to-left script."""
    if text.isascii():
        return False
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def render_pptx(deck: Deck, template: Template | None = None) -> bytes:
    """The deck as the bytes of a .pptx file."""
    template = template or load_template()
    prs = template.open()
    painter = _Painter(prs, template)
    for slide in deck.slides:
        getattr(painter, slide.kind)(slide)
    props = prs.core_properties
    props.title = clean(f"Use-case adoption review: {deck.account_name}, {deck.period_label}")[:250]
    props.subject = clean(f"{deck.rubric_title} ({deck.rubric} {deck.rubric_version})")[:250]
    props.keywords = "adoption; adoptscore"
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


class _Painter:
    def __init__(self, prs, template: Template):
        self.prs = prs
        self.template = template
        self.plan = template.plan
        self.notes_master = None
        self.notes_count = 0

    # -- text --------------------------------------------------------------------------------
    def text(self, target, box: Box, paras: list[Para], *, max_pt: float, min_pt: float,
             anchor: str | None = "top", align: str | None = "left", inverse: bool = False, pad: int = PAD) -> Fitted:
        """Fit ``paras`` into ``box`` and write them into ``target`` (a slide: a new text box;
        a shape or placeholder: its own text frame)."""
        if hasattr(target, "shapes"):
            shape = target.shapes.add_textbox(Emu(box.x), Emu(box.y), Emu(box.w), Emu(box.h))
        else:
            shape = target
        fitted = fit([p.run() for p in paras], box.w - 2 * pad, box.h - 2 * pad, max_pt=max_pt, min_pt=min_pt, step=0.5)
        lines = self.lines(paras, fitted, align=align, inverse=inverse)
        set_text(shape._element.txBody, lines, pad=pad, anchor=anchor)
        return fitted

    @staticmethod
    def lines(paras: list[Para], fitted: Fitted, *, align: str | None = "left", inverse: bool = False) -> list[Line]:
        out = []
        for para, text in zip(paras, fitted.paragraphs):
            size = max(1.0, math.floor(fitted.size * para.scale * 2) / 2)  # never above the size fitted
            ink = para.color or ("inverse" if inverse else "muted" if para.muted else "text")
            out.append(Line(text, size, para.bold, para.lead, ink, para.align or align, BULLET if para.bullet else 0,
                            int(para.space_before * line_height(size)), _rtl(text)))
        return out

    # -- slides ------------------------------------------------------------------------------
    def _slide(self, layout_index: int):
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[layout_index])
        return slide

    @staticmethod
    def _drop_placeholders(slide, keep=()) -> None:
        for ph in list(slide.placeholders):
            if ph not in keep:
                ph._element.getparent().remove(ph._element)

    def _title_pt(self, fallback: float, template_pt: float | None, low: float, high: float) -> float:
        """The template's title size where it has one (kept within [low, high]), else ours."""
        return fallback if template_pt is None else max(low, min(high, template_pt))

    def content_slide(self, title: str):
        slide = self._slide(self.plan.content_layout)
        custom = self.template.custom
        paras = [Para(title, bold=not custom, color=None)]
        size = self._title_pt(28, self.plan.title_pt if custom else None, 20, 36)
        # a custom template keeps its title alignment and anchor; the built-in one is left-aligned
        align, anchor = (None, None) if custom else ("left", "middle")
        ph = next((ph for ph in slide.placeholders if ph.placeholder_format.type in TITLE_TYPES), None) \
            if self.plan.title_placeholder else None
        self._drop_placeholders(slide, keep=(ph,) if ph is not None else ())
        self.text(ph if ph is not None else slide, self.plan.title_box, paras, max_pt=size, min_pt=16,
                  anchor=anchor or "middle" if ph is None else anchor, align=align or "left" if ph is None else align)
        return slide

    def notes(self, slide, text: str) -> None:
        """Speaker notes, written as a notes part directly (python-pptx clones the notes master's
        placeholders through its object API, about 13 ms a slide)."""
        if not text:
            return
        package = slide.part.package
        master = self.notes_master or self.prs.part.notes_master_part
        self.notes_master = master
        # the template's own notes pages went with its slides, so the deck numbers its notes itself
        # (python-pptx's next_partname walks every part of the package each time)
        self.notes_count += 1
        name = PackURI(f"/ppt/notesSlides/notesSlide{self.notes_count}.xml")
        part = NotesSlidePart(name, CT.PML_NOTES_SLIDE, package, parse_xml(notes_xml(text)))
        part.relate_to(master, RT.NOTES_MASTER)
        part.relate_to(slide.part, RT.SLIDE)
        slide.part.relate_to(part, RT.NOTES_SLIDE)

    def title(self, deck_slide: TitleSlide) -> None:
        plan = self.plan
        custom = self.template.custom
        slide = self._slide(plan.title_layout)
        title_ph = next((ph for ph in slide.placeholders if ph.placeholder_format.type in TITLE_TYPES), None)
        sub_ph = None
        if plan.cover_has_subtitle:
            others = [ph for ph in slide.placeholders if ph.placeholder_format.type not in TITLE_TYPES]
            sub_ph = next((ph for ph in others if ph.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE), None) \
                or next((ph for ph in others if ph.placeholder_format.type in BODY_TYPES), None)
        self._drop_placeholders(slide, keep=[ph for ph in (title_ph, sub_ph) if ph is not None])
        name = [Para(deck_slide.title, bold=True)]
        size = self._title_pt(40, plan.cover_pt if custom else None, 24, 44)
        align = None if custom else "center"
        self.text(title_ph if title_ph is not None else slide, plan.cover_title, name, max_pt=size, min_pt=18,
                  anchor=None if custom and title_ph is not None else "bottom",
                  align=align if title_ph is not None else "left")
        lines = deck_slide.subtitle
        sub = [Para(lines[0])] + [Para(text, bold=True) for text in lines[1:2]] + \
              [Para(text, scale=0.8, muted=True) for text in lines[2:]]
        self.text(sub_ph if sub_ph is not None else slide, plan.cover_subtitle, sub, max_pt=22, min_pt=12,
                  anchor=None if custom and sub_ph is not None else "top",
                  align=align if sub_ph is not None else "left")
        self.notes(slide, deck_slide.notes)

    def overview(self, deck_slide: OverviewSlide) -> None:
        slide = self.content_slide(deck_slide.title)
        content = self.plan.content
        kpi_row, rest = content.take_top(min(Inches(1.05), int(content.h * 0.2)))
        for box, kpi in zip(kpi_row.split_h(*[1] * len(deck_slide.kpis)), deck_slide.kpis):
            self.kpi(slide, box, kpi)
        left, right = rest.split_h(0.54, 0.46)
        # overrides add a second line to their Rating cells: the table may then take more of the
        # column (the changes below shrink to fit) instead of cutting its cells at the smallest size
        share = 0.76 if any(c.detail for row in deck_slide.table.rows for c in row) else 0.64
        used = self.table(slide, Box(left.x, left.y, left.w, int(left.h * share)), deck_slide.table, max_pt=12, min_pt=8)
        below = Box(left.x, left.y + used + GAP, left.w, left.h - used - GAP)
        paras = [Para(deck_slide.changes_title, bold=True)] + [Para(b.text, scale=0.9, bullet=True) for b in deck_slide.changes]
        self.text(slide, below, paras, max_pt=13, min_pt=8)
        self.chart(slide, right, deck_slide.chart)
        self.notes(slide, deck_slide.notes)

    def use_case(self, deck_slide: UseCaseSlide) -> None:
        slide = self.content_slide(deck_slide.title)
        content = self.plan.content
        # a top band with the score tile, the summary and the trend chart; the metric table across
        # the slide; what the metrics mean below it. The band gets what the table and the text
        # leave (at their full size), within limits.
        paras = [Para("What the metrics mean", bold=True)]
        paras += [Para(b.text, scale=0.9, lead=b.bold_lead, bullet=True) for b in deck_slide.meanings]
        paras.append(Para(deck_slide.peers_note, scale=0.75, muted=True, space_before=0.4))
        if deck_slide.table is None:
            band_h = min(Inches(1.2), content.h)
        else:
            table_h = self.table_height(content.w, deck_slide.table, 12)
            _lines, text_h = measure([p.run() for p in paras], content.w - 2 * PAD, 12)
            spare = content.h - table_h - text_h - 2 * PAD - 2 * GAP
            band_h = max(Inches(1.1), min(spare, int(content.h * 0.5)))
        top, rest = content.take_top(band_h)
        if deck_slide.chart is not None:
            left, right = top.split_h(0.58, 0.42)
        else:
            left, right = top, None
        tile_w = min(Inches(2.2), int(left.w * 0.38))
        tile_h = min(Inches(0.95), left.h)
        self.kpi(slide, Box(left.x, left.y, tile_w, tile_h), deck_slide.status)
        summary = Box(left.x + tile_w + GAP, left.y, left.w - tile_w - GAP, left.h)
        said = [Para(deck_slide.summary)]
        if deck_slide.override:  # beside the computed score's tile, in the override's own color
            said.append(Para(deck_slide.override, scale=0.85, bold=True, space_before=0.3,
                             color=STATUS.get(deck_slide.override_color or "", STATUS["none"])[1]))
        self.text(slide, summary, said, max_pt=16, min_pt=10)
        if right is not None:
            self.chart(slide, right, deck_slide.chart)
        if deck_slide.table is None:
            self.notes(slide, deck_slide.notes)
            return
        used = self.table(slide, Box(rest.x, rest.y, rest.w, max(rest.h - Inches(0.9), int(rest.h * 0.6))),
                          deck_slide.table, max_pt=12, min_pt=8)
        below = Box(rest.x, rest.y + used + GAP, rest.w, rest.h - used - GAP)
        self.text(slide, below, paras, max_pt=13, min_pt=7)
        self.notes(slide, deck_slide.notes)

    def focus(self, deck_slide: FocusSlide) -> None:
        slide = self.content_slide(deck_slide.title)
        content = self.plan.content
        if not deck_slide.cards:
            self.text(slide, Box(content.x, content.y, content.w, content.h // 2), [Para(deck_slide.intro)],
                      max_pt=20, min_pt=12)
            self.notes(slide, deck_slide.notes)
            return
        intro, rest = content.take_top(min(Inches(0.6), int(content.h * 0.12)))
        self.text(slide, intro, [Para(deck_slide.intro)], max_pt=15, min_pt=9, anchor="middle")
        for box, card in zip(rest.split_h(*[1] * len(deck_slide.cards), gap=Inches(0.25)), deck_slide.cards):
            self.card(slide, box, card)
        self.notes(slide, deck_slide.notes)

    def appendix(self, deck_slide: AppendixSlide) -> None:
        slide = self.content_slide(deck_slide.title)
        area = self.plan.content
        if deck_slide.bullets:
            paras = [Para(b.text, lead=b.bold_lead, bullet=True) for b in deck_slide.bullets]
            share = 0.52 if deck_slide.tables else 1.0
            fitted = fit([p.run() for p in paras], area.w - 2 * PAD, int(area.h * share) - 2 * PAD, max_pt=14, min_pt=8,
                         step=0.5)
            box, area = area.take_top(min(fitted.height + 2 * PAD + Inches(0.05), int(area.h * share)))
            self.text(slide, box, paras, max_pt=14, min_pt=8)
        for table in deck_slide.tables:
            used = self.table(slide, area, table, max_pt=12, min_pt=8)
            area = Box(area.x, area.y + used + GAP, area.w, max(area.h - used - GAP, 0))
        self.notes(slide, deck_slide.notes)

    # -- components --------------------------------------------------------------------------
    def _fill(self, fill, status: str | None) -> None:
        fill.solid()
        if status in STATUS:
            fill.fore_color.rgb = RGBColor.from_string(STATUS[status][0])
        else:
            fill.fore_color.theme_color = MSO_THEME_COLOR.BACKGROUND_1
            fill.fore_color.brightness = -0.06  # the "panel" of ooxml.THEME

    def kpi(self, slide, box: Box, kpi: Kpi) -> None:
        shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Emu(box.x), Emu(box.y), Emu(box.w), Emu(box.h))
        shape.adjustments[0] = 0.12
        self._fill(shape.fill, kpi.status)
        shape.line.fill.background()
        shape.shadow.inherit = False
        ink = STATUS[kpi.status][1] if kpi.status in STATUS and kpi.status != "none" else None
        paras = [Para(kpi.label, scale=0.48, color=ink, muted=ink is None), Para(kpi.value, bold=True, color=ink)]
        if kpi.detail:
            paras.append(Para(kpi.detail, scale=0.45, color=ink, muted=ink is None))
        self.text(shape, box, paras, max_pt=26, min_pt=12, anchor="middle", align="center")

    def card(self, slide, box: Box, card: FocusCard) -> None:
        shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Emu(box.x), Emu(box.y), Emu(box.w), Emu(box.h))
        shape.adjustments[0] = 0.04
        self._fill(shape.fill, None)
        shape.line.color.theme_color = MSO_THEME_COLOR.ACCENT_1
        shape.line.width = Pt(1.25)
        shape.shadow.inherit = False
        paras = [Para(f"{card.rank}. {card.heading}", bold=True, scale=1.05),
                 Para(card.move, bold=True, color=STATUS[card.target][1]),
                 Para(card.gap, space_before=0.35)]
        if card.impact:
            paras.append(Para(card.impact, scale=0.85, muted=True, space_before=0.3))
        if card.recommendation:
            paras.append(Para(card.recommendation[0].upper() + card.recommendation[1:], lead="Aim for: ", space_before=0.3))
        if card.features:
            paras.append(Para("Product features that help", bold=True, space_before=0.4))
            paras += [Para(f, scale=0.9, bullet=True) for f in card.features]
        self.text(shape, box, paras, max_pt=14, min_pt=8, pad=Inches(0.15))

    @staticmethod
    def _row_height(cells: list[_Cell], widths: list[int], size: float) -> int:
        tallest = 0
        for cell, width in zip(cells, widths):
            room = max(width - 2 * CELL_PAD_X, 1)
            h = len(wrap(cell.text, room, size, bold=cell.bold)) * line_height(size)
            if cell.detail:
                h += len(wrap(cell.detail, room, size * DETAIL)) * line_height(size * DETAIL)
            tallest = max(tallest, h)
        return tallest + 2 * CELL_PAD_Y + Inches(0.02)

    def table_height(self, width: int, table: Table, size: float) -> int:
        """The height ``table`` takes at ``width`` and font ``size`` (before any shrinking)."""
        total = sum(c.width for c in table.columns)
        widths = [int(width * c.width / total) for c in table.columns]
        header = [_Cell(clean(c.title), "", True, c.align, None) for c in table.columns]
        rows = [header] + [[_Cell(clean(c.text), clean(c.detail), c.bold, c.align, c.status) for c in row]
                           for row in table.rows]
        return sum(self._row_height(r, widths, size) for r in rows)

    def table(self, slide, box: Box, table: Table, *, max_pt: float, min_pt: float) -> int:
        """Draw ``table`` at the top of ``box``; returns the height used. The font shrinks until
        every row fits; at the floor, cell texts are cut to one line each."""
        total = sum(c.width for c in table.columns)
        widths = [int(box.w * c.width / total) for c in table.columns]
        header = [_Cell(clean(c.title), "", True, c.align, None) for c in table.columns]
        body = [[_Cell(clean(cell.text), clean(cell.detail), cell.bold, cell.align, cell.status) for cell in row]
                for row in table.rows]
        size = max_pt
        while True:
            heights = [self._row_height(header, widths, size)] + [self._row_height(r, widths, size) for r in body]
            if sum(heights) <= box.h or size <= min_pt:
                break
            size = max(size - 0.5, min_pt)
        if sum(heights) > box.h:
            # at the floor: one line of text and one of detail per cell
            body = [[_Cell(truncate(c.text, max(w - 2 * CELL_PAD_X, 1), size, 1, bold=c.bold),
                           truncate(c.detail, max(w - 2 * CELL_PAD_X, 1), size * DETAIL, 1) if c.detail else "",
                           c.bold, c.align, c.status) for c, w in zip(row, widths)] for row in body]
            heights = [heights[0]] + [self._row_height(r, widths, size) for r in body]
            # rows that still do not fit are dropped, and the last row kept says how many
            keep = len(body)
            while keep > 1 and sum(heights[:keep + 1]) > box.h:
                keep -= 1
            if keep < len(body):
                more = _Cell(f"{len(body) - keep + 1} more rows in the HTML one-pager", "", False, "left", None)
                body = body[:keep - 1] + [[more] + [_Cell("", "", False, "left", None)] * (len(widths) - 1)]
                heights = heights[:keep] + [self._row_height(body[-1], widths, size)]
        frame = slide.shapes.add_table(len(body) + 1, len(widths), Emu(box.x), Emu(box.y), Emu(sum(widths)),
                                       Emu(sum(heights)))
        frame.name = f"Table: {table.role}"
        rows = [[self._cell_xml(c, size, header=True) for c in header]]
        rows += [[self._cell_xml(c, size) for c in row] for row in body]
        replace_table(frame, table_xml(widths, heights, rows, pad_x=CELL_PAD_X, pad_y=CELL_PAD_Y))
        return sum(heights)

    def _cell_xml(self, c: _Cell, size: float, *, header: bool = False) -> CellXml:
        if header:
            fill, ink = "accent", "inverse"
        elif c.status in STATUS:
            fill, ink = STATUS[c.status][0], STATUS[c.status][1]
        else:
            fill, ink = "panel", "text"
        # an empty cell still states its size: an empty paragraph would take the default 18 pt
        lines = [Line(c.text, size, c.bold or header, "", ink, c.align, rtl=_rtl(c.text))]
        if c.detail:
            lines.append(Line(c.detail, math.floor(size * DETAIL * 2) / 2, False, "", ink if c.status in STATUS else "muted",
                              c.align, rtl=_rtl(c.detail)))
        return CellXml(lines, fill)

    def chart(self, slide, box: Box, chart: Chart) -> None:
        """A native line chart (editable in PowerPoint, its data in an embedded workbook)."""
        title_pt = 12 if box.w > Inches(4) else 10
        title = chart.title
        room = box.w - Inches(0.4)
        if len(wrap(title, room, title_pt, bold=True)) > 1:
            title = truncate(title, room, title_pt, 1, bold=True)
        data = LineChartData(chart, title, title_pt=title_pt, label_pt=9 if box.w > Inches(4) else 8,
                             legend=box.h >= Inches(2.4))
        frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, Emu(box.x), Emu(box.y), Emu(box.w), Emu(box.h), data)
        frame.name = f"Chart: {chart.role}"
