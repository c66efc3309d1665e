"""--template: a company's .pptx (made here with python-pptx: other theme fonts and colors, other
layout names, 4:3, a sample slide) gives decks on its layouts, in its fonts and colors."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from adoptscore.deck import DeckError, build_deck, load_template, render_pptx
from adoptscore.insights.account import account_view
from tests.deck.conftest import HAZARDS, PERIOD
from tests.deck.pptx_reading import open_deck, slide_title

HEADING_FONT, BODY_FONT, ACCENT = "Georgia", "Verdana", "C0392B"


def _company_template(path, *, keep: tuple[str, ...] | None = None) -> None:
    """A 4:3 template whose theme uses Georgia / Verdana and a red accent, whose layouts are renamed
    (so they can only be told apart by their placeholders), holding one sample slide."""
    prs = Presentation()
    theme = prs.slide_master.part.part_related_by(RT.THEME)
    xml = theme.blob.decode("utf-8")
    xml = re.sub(r'(<a:majorFont>\s*<a:latin typeface=")[^"]*', rf"\g<1>{HEADING_FONT}", xml)
    xml = re.sub(r'(<a:minorFont>\s*<a:latin typeface=")[^"]*', rf"\g<1>{BODY_FONT}", xml)
    xml = re.sub(r'(<a:accent1>\s*<a:srgbClr val=")[0-9A-Fa-f]{6}', rf"\g<1>{ACCENT}", xml)
    theme._blob = xml.encode("utf-8")
    for index, layout in enumerate(list(prs.slide_layouts)):
        if keep is not None and layout.name not in keep:
            prs.slide_layouts.remove(layout)
            continue
        layout.name = f"Corporate {index}"
    sample = prs.slides.add_slide(prs.slide_layouts[0])
    sample.shapes.title.text = "TEMPLATE SAMPLE SLIDE"
    prs.save(path)


@pytest.fixture(scope="module")
def company(tmp_path_factory):
    path = tmp_path_factory.mktemp("templates") / "company.pptx"
    _company_template(path)
    return path


@pytest.fixture(scope="module")
def company_deck(company, card):
    deck = build_deck(account_view(card, HAZARDS["long"], PERIOD), card.rubric)
    blob = render_pptx(deck, load_template(company))
    return deck, blob, open_deck(blob)


def test_template_layouts_are_chosen_by_their_placeholders(company_deck):
    deck, _blob, prs = company_deck
    assert len(prs.slides) == len(deck.slides)  # the template's sample slide is gone
    layouts = [s.slide_layout.name for s in prs.slides]
    assert layouts[0] == "Corporate 0"              # centered title + subtitle: the title slide
    assert set(layouts[1:]) == {"Corporate 5"}      # a title and nothing else: python-pptx's "Title Only"
    assert prs.slide_width == 9144000               # 4:3 kept
    assert "TEMPLATE SAMPLE SLIDE" not in "".join(s.shapes.title.text_frame.text for s in prs.slides if s.shapes.title)


def test_template_fonts_and_colors_are_the_templates(company_deck):
    _deck, blob, _prs = company_deck
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        theme = next(archive.read(n).decode() for n in archive.namelist() if n.startswith("ppt/theme/theme"))
        slides = [archive.read(n).decode() for n in archive.namelist() if re.match(r"ppt/slides/slide\d+\.xml", n)]
        charts = [archive.read(n).decode() for n in archive.namelist() if n.startswith("ppt/charts/chart")]
    assert HEADING_FONT in theme and BODY_FONT in theme and ACCENT in theme
    for xml in slides + charts:
        assert "<a:latin " not in xml     # no font face of our own: the theme's fonts apply
    # table headers and chart lines use the theme's accent, so they take the template's color
    assert any('<a:schemeClr val="accent1"/>' in xml for xml in slides)
    assert all('<a:schemeClr val="accent1"/>' in xml for xml in charts)


def test_template_decks_fit_their_slides(company_deck):
    _deck, _blob, prs = company_deck
    width, height = prs.slide_width, prs.slide_height
    for slide in prs.slides:
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (slide_title(slide), shape.name)
            assert shape.left + shape.width <= width and shape.top + shape.height <= height, (slide_title(slide), shape.name)


def test_template_with_only_a_content_layout(tmp_path, card):
    path = tmp_path / "plain.pptx"
    _company_template(path, keep=("Title and Content", "Blank"))
    template = load_template(path)
    deck = build_deck(account_view(card, HAZARDS["quotes"], PERIOD), card.rubric)
    prs = open_deck(render_pptx(deck, template))
    assert len(prs.slides) == len(deck.slides)
    assert slide_title(prs.slides[0]) == deck.account_name
    for slide in prs.slides:
        for placeholder in slide.placeholders:  # an unused content placeholder is not left behind
            assert placeholder.text_frame.text.strip(), (slide_title(slide), placeholder.name)
        for shape in slide.shapes:
            assert shape.top + shape.height <= prs.slide_height and shape.left + shape.width <= prs.slide_width


@pytest.mark.parametrize("kind", ["text", "zip", "missing", "folder"])
def test_a_template_that_is_not_a_presentation_is_refused(tmp_path, kind):
    path = tmp_path / "company.pptx"
    if kind == "text":
        path.write_text("not a presentation")
    elif kind == "zip":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
    elif kind == "folder":
        path.mkdir()
    with pytest.raises(DeckError) as caught:
        load_template(path)
    assert str(path) in caught.value.format()
