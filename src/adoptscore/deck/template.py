"""The slide template a deck is drawn on: the user's ``--template`` or a built-in 16:9 one.

A user's template keeps its slide masters, layouts, theme fonts and theme colors: the deck picks
layouts by what they hold (a centered-title layout for the title slide, a title-only layout for
the others, by placeholder type first and by name second) and draws its tables and charts in the
area the layout leaves free. The template's own sample slides are not kept.
"""
from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Emu, Inches

from adoptscore.errors import AdoptscoreError
from adoptscore.files import register_input

TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
FOOTER_TYPES = (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)
BODY_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE)
MARGIN = Inches(0.5)
GAP = Inches(0.15)


class DeckError(AdoptscoreError):
    """A deck cannot be made as asked (template, output, formats)."""


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int

    @property
    def bottom(self) -> int:
        return self.y + self.h

    @property
    def right(self) -> int:
        return self.x + self.w

    def split_h(self, *fractions: float, gap: int = GAP) -> list[Box]:
        """Side by side, widths in proportion to ``fractions``."""
        total = sum(fractions)
        room = self.w - gap * (len(fractions) - 1)
        out, x = [], self.x
        for f in fractions:
            w = int(room * f / total)
            out.append(Box(x, self.y, w, self.h))
            x += w + gap
        return out

    def take_top(self, h: int, gap: int = GAP) -> tuple[Box, Box]:
        """A box of height ``h`` at the top, and what is left below it."""
        h = min(h, self.h)
        return Box(self.x, self.y, self.w, h), Box(self.x, self.y + h + gap, self.w, max(self.h - h - gap, 0))


@dataclass(frozen=True)
class LayoutPlan:
    """Where things go on the slides of one template."""

    title_layout: int
    content_layout: int
    title_box: Box                 # where content slides' titles go
    title_placeholder: bool        # the content layout has a title placeholder there (else we draw one)
    content: Box                   # the area below the title that the deck fills
    cover_title: Box               # title slide: the customer's name
    cover_subtitle: Box            # title slide: the subtitle lines
    cover_has_subtitle: bool
    title_pt: float | None = None  # the template's title size (the largest the deck uses)
    cover_pt: float | None = None  # the template's title-slide title size


@dataclass(frozen=True)
class Template:
    """A template ready to stamp decks from (its bytes are re-opened for every deck)."""

    blob: bytes
    name: str
    custom: bool
    plan: LayoutPlan
    width: int
    height: int

    def open(self):
        prs = Presentation(io.BytesIO(self.blob))
        _drop_slides(prs)
        return prs


def _drop_slides(prs) -> None:
    """Remove a template's sample slides (their parts are not saved once unreferenced)."""
    ids = prs.slides._sldIdLst  # python-pptx has no public slide removal
    for sld_id in list(ids):
        prs.part.drop_rel(sld_id.rId)
        ids.remove(sld_id)


def _placeholders(layout) -> list:
    return list(layout.placeholders)


def _type(ph):
    return ph.placeholder_format.type


def _box(shape) -> Box:
    return Box(int(shape.left or 0), int(shape.top or 0), int(shape.width or 0), int(shape.height or 0))


def _content_score(layout) -> tuple:
    """Lower is a better layout for content slides: a title and as little else as possible."""
    kinds = [_type(ph) for ph in _placeholders(layout)]
    has_title = any(k == PP_PLACEHOLDER.TITLE for k in kinds)
    others = [k for k in kinds if k not in (*TITLE_TYPES, *FOOTER_TYPES)]
    name = (layout.name or "").lower()
    named = "title only" in name or name.replace(" ", "") in ("titleonly", "nurtitel", "titreseul", "solotitolo")
    return (not has_title, not named, len(others), "vertical" in name)


def _cover_score(layout) -> tuple:
    kinds = [_type(ph) for ph in _placeholders(layout)]
    name = (layout.name or "").lower()
    return (PP_PLACEHOLDER.CENTER_TITLE not in kinds, "title slide" not in name and "titelfolie" not in name,
            PP_PLACEHOLDER.SUBTITLE not in kinds, not any(k in TITLE_TYPES for k in kinds))


def plan_layouts(prs) -> LayoutPlan:
    """Choose the layouts of the title slide and of the content slides, and the content area."""
    layouts = list(prs.slide_layouts)
    if not layouts:
        raise DeckError("the template has no slide layouts", hint="use a .pptx saved from PowerPoint or LibreOffice")
    width, height = int(prs.slide_width), int(prs.slide_height)
    content_index = min(range(len(layouts)), key=lambda i: (_content_score(layouts[i]), i))
    cover_index = min(range(len(layouts)), key=lambda i: (_cover_score(layouts[i]), i))
    content_layout = layouts[content_index]

    title = next((ph for ph in _placeholders(content_layout) if _type(ph) in TITLE_TYPES), None)
    title_box = _box(title) if title is not None else None
    if title_box is not None and (title_box.w < width * 0.4 or title_box.y > height * 0.4):
        title_box = None  # a side or bottom title: draw our own at the top instead
    has_title = title_box is not None
    if title_box is None:
        title_box = Box(MARGIN, Inches(0.3), width - 2 * MARGIN, Inches(0.9))
        top = title_box.bottom + GAP
        left, right = MARGIN, width - MARGIN
    else:
        top = title_box.bottom + GAP
        left, right = max(title_box.x, Inches(0.25)), min(title_box.right, width - Inches(0.25))
        if right - left < width * 0.6:
            left, right = MARGIN, width - MARGIN
    bottom = height - Inches(0.35)
    for ph in _placeholders(content_layout):
        if _type(ph) in FOOTER_TYPES and ph.top is not None and ph.top > top + (bottom - top) * 0.6:
            bottom = min(bottom, int(ph.top) - Inches(0.05))
    body = [ph for ph in _placeholders(content_layout) if _type(ph) in BODY_TYPES]
    if body:
        # a layout with a content placeholder shows where the designer wants content
        b = _box(max(body, key=lambda ph: (ph.width or 0) * (ph.height or 0)))
        if b.w >= width * 0.6 and b.h >= height * 0.45 and b.y >= top - GAP:
            left, right, top, bottom = b.x, b.right, max(top, b.y), min(bottom, b.bottom)
    content = Box(left, top, right - left, max(bottom - top, int(height * 0.4)))

    cover = layouts[cover_index]
    cover_title_ph = next((ph for ph in _placeholders(cover) if _type(ph) in TITLE_TYPES), None)
    cover_sub_ph = next((ph for ph in _placeholders(cover) if _type(ph) in (PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY)), None)
    if cover_title_ph is not None:
        cover_title = _box(cover_title_ph)
    else:
        cover_title = Box(MARGIN, int(height * 0.28), width - 2 * MARGIN, int(height * 0.22))
    if cover_sub_ph is not None:
        cover_sub = _box(cover_sub_ph)
    else:
        y = cover_title.bottom + GAP
        cover_sub = Box(cover_title.x, y, cover_title.w, max(int(height * 0.92) - y, Inches(0.8)))
    master_pt = _title_size(prs.slide_master.element)
    return LayoutPlan(cover_index, content_index, title_box, has_title, content, cover_title, cover_sub,
                      cover_sub_ph is not None, _title_size(title.element, master_pt) if title is not None else master_pt,
                      _title_size(cover_title_ph.element, master_pt) if cover_title_ph is not None else master_pt)


def _title_size(element, default: float | None = None) -> float | None:
    """The first-level text size a placeholder (or, for the master, its title style) declares."""
    for path in ("./p:txStyles/p:titleStyle/a:lvl1pPr/a:defRPr", "./p:txBody/a:lstStyle/a:lvl1pPr/a:defRPr"):
        found = element.xpath(path)
        if found and found[0].get("sz"):
            return int(found[0].get("sz")) / 100
    return default


@lru_cache(maxsize=1)
def _default_blob() -> bytes:
    """python-pptx's default template widened to 16:9 (its placeholders moved to match)."""
    prs = Presentation()
    old, new = int(prs.slide_width), Inches(13.333)
    factor = new / old
    prs.slide_width = Emu(new)
    for owner in [prs.slide_master, *prs.slide_layouts]:
        for shape in owner.shapes:
            # only positions set on the shape itself: an inherited one is scaled where it is set
            if shape._element.xpath("./p:spPr/a:xfrm") and shape.left is not None:
                shape.left = Emu(int(shape.left * factor))
                shape.width = Emu(int(shape.width * factor))
    # only the layouts the deck uses: fewer parts to open and save for every deck
    plan = plan_layouts(prs)
    used = {id(prs.slide_layouts[plan.title_layout]), id(prs.slide_layouts[plan.content_layout])}
    for layout in list(prs.slide_layouts):
        if id(layout) not in used:
            prs.slide_layouts.remove(layout)
    # content titles: a shorter band at the top leaves the slide to the content
    for layout in prs.slide_layouts:
        for ph in layout.placeholders:
            if _type(ph) == PP_PLACEHOLDER.TITLE and ph.top is not None and ph.top < Inches(0.5):
                ph.top, ph.height = Emu(Inches(0.3)), Emu(Inches(0.95))
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def load_template(path: str | os.PathLike | None = None) -> Template:
    """The template at ``path`` (a .pptx), or the built-in one; a file that is not a usable
    PowerPoint presentation raises :class:`DeckError`."""
    if path is None:
        blob = _default_blob()
        prs = Presentation(io.BytesIO(blob))
        return Template(blob, "built-in", False, plan_layouts(prs), int(prs.slide_width), int(prs.slide_height))
    path = Path(path)
    if not path.is_file():
        raise DeckError(f"{path}: template not found", hint="give the path of a .pptx file")
    register_input(path, "deck template")
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise DeckError(f"{path}: cannot read the template: {exc.strerror or exc}") from None
    if not zipfile.is_zipfile(io.BytesIO(blob)):
        raise DeckError(f"{path}: not a PowerPoint file (.pptx)", hint="save the template as a .pptx presentation")
    try:
        prs = Presentation(io.BytesIO(blob))
    except Exception as exc:  # noqa: BLE001 - python-pptx raises many kinds for a bad package
        kind = "a PowerPoint template (.potx)" if "template" in str(exc).lower() else "a PowerPoint presentation"
        raise DeckError(f"{path}: not {kind} python-pptx can use ({type(exc).__name__}: "
                        f"{str(exc).splitlines()[0] if str(exc) else 'unreadable'})",
                        hint="open it in PowerPoint or LibreOffice and save it as a .pptx presentation") from None
    plan = plan_layouts(prs)
    return Template(blob, path.name, True, plan, int(prs.slide_width), int(prs.slide_height))
