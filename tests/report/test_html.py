"""The HTML page: well-formed, self-contained, escaped, with numbers formatted as the tables ask."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import numpy as np
import pytest

from tests.conftest import launch_chromium

from adoptscore.report.document import (
    BarChart,
    ColorMix,
    Curve,
    Distribution,
    Report,
    Section,
    Threshold,
)
from adoptscore.report.html import render_html

from .conftest import ARABIC, EMOJI, LONG, MARKUP, SCRIPT, grid_of

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
PLOT_TYPES = (Distribution, ColorMix, BarChart, Curve)


class Page(HTMLParser):
    """Parses the page, checking that every element is closed in order, and keeps what we look at."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self.cells: list[tuple[str, str]] = []  # (td class, text)
        self.tags: list[str] = []
        self._cell: list[str] | None = None
        self._cell_class = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        for name in ("href", "src", "xlink:href"):
            if name in attributes:
                self.links.append(attributes[name])
        if tag == "td":
            self._cell, self._cell_class = [], attributes.get("class", "")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        for name in ("href", "src", "xlink:href"):
            if name in attributes:
                self.links.append(attributes[name])

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
            return
        self.stack.pop()
        if tag == "td" and self._cell is not None:
            self.cells.append((self._cell_class, "".join(self._cell).strip()))
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module")
def page_html(report: Report) -> str:
    return render_html(report)


@pytest.fixture(scope="module")
def page(page_html: str) -> Page:
    parser = Page()
    parser.feed(page_html)
    parser.close()
    return parser


def test_the_page_is_well_formed(page: Page, page_html: str):
    assert page_html.startswith("<!DOCTYPE html>")
    assert page.errors == []
    assert page.stack == []
    assert page.tags.count("html") == 1 and page.tags.count("body") == 1


def test_one_svg_per_plot_block(report: Report, page: Page, page_html: str):
    plots = sum(isinstance(b, PLOT_TYPES) for s in report.sections for b in s.blocks)
    assert plots == 6
    assert page_html.count("<svg") == plots
    assert page.tags.count("svg") == plots


def test_ids_are_unique_and_every_internal_reference_resolves(page: Page, page_html: str):
    # Several matplotlib SVGs in one page would otherwise repeat ids like "patch_1".
    assert len(page.ids) == len(set(page.ids))
    targets = [link[1:] for link in page.links] + re.findall(r"url\(#([^)]+)\)", page_html)
    assert targets
    assert set(targets) <= set(page.ids)


def test_hostile_text_is_shown_as_text(page: Page, page_html: str):
    assert "<script" not in page_html.lower()  # the page has no script at all
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page_html
    text = "".join(page.text)
    # Decoded by the parser, the hostile strings are there as text: in headings, cells, SVG labels.
    assert text.count(SCRIPT) >= 8
    for literal in (MARKUP, ARABIC, EMOJI, LONG.strip()):
        assert literal in text
    svgs = re.findall(r"<svg.*?</svg>", page_html, flags=re.DOTALL)
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in svg for svg in svgs)  # legend, tick, threshold
    assert all("<script" not in svg for svg in svgs)
    # A tooltip of the color mix names the hostile bar label, escaped.
    assert re.search(r"<title>proposed &lt;script&gt;alert\(1\)&lt;/script&gt; · Red: 200 of 980", page_html)


def test_no_external_reference(page: Page, page_html: str):
    assert all(link.startswith("#") for link in page.links), page.links
    assert all(u.startswith("#") for u in re.findall(r"url\(\s*['\"]?([^)'\"]*)", page_html))
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", page_html))
    assert urls <= {"http://www.w3.org/2000/svg"}
    for where in re.finditer(r"https?://", page_html):
        assert page_html[where.start() - 7: where.start()] == 'xmlns="'
    for tag in ("link", "img", "iframe", "object", "embed", "script", "base"):
        assert tag not in page.tags
    assert "@import" not in page_html and "@font-face" not in page_html


def test_numbers_are_formatted_and_aligned(page: Page):
    cells = {text: cls for cls, text in page.cells}
    # formats: share '.1%', count ',d', value '.3f'; None and NaN are "no data", never 0.
    for text in ("12.3%", "50.0%", "100.0%", "1,234,567", "12", "3.142", "2.500", "0.000"):
        assert text in cells, text
        assert "num" in cells[text].split(), (text, cells[text])
    assert "0.1234" not in cells and "1234567" not in cells
    missing = [cls for cls, text in page.cells if text == "—"]
    assert len(missing) >= 5  # NaN share, None share, None count, None value, NaN value
    assert all("missing" in cls.split() and "num" in cls.split() for cls in missing)
    # Text columns stay left-aligned.
    assert "num" not in cells[SCRIPT].split()


def test_colored_cells_are_pills(page_html: str):
    for tone, text in [("red", "Red"), ("yellow", "Yellow"), ("green", "Green"), ("no_data", "no data"),
                       ("not_applicable", "n/a")]:
        assert f'<span class="pill tone-{tone}">{text}</span>' in page_html


def test_title_figures_warnings_contents(report: Report, page: Page, page_html: str):
    assert "<title>Calibration &lt;script&gt;alert(1)&lt;/script&gt;</title>" in page_html
    assert page_html.count('class="figure-card"') == len(report.figures)
    assert "2 warnings" in page_html
    assert "Only 5 months of history &lt;script&gt;" in page_html
    toc = re.search(r'<nav class="toc".*?</nav>', page_html, flags=re.DOTALL).group(0)
    anchors = re.findall(r'href="#([^"]+)"', toc)
    assert len(anchors) == len(report.sections)
    for anchor in anchors:
        assert re.search(rf'<section class="section" id="{re.escape(anchor)}">', page_html)


def test_empty_table_and_plot_notes(page_html: str):
    assert "No rows" in page_html
    # The lognormal is clipped at p1/p99 and says so; the constant one is not clipped.
    assert "Not drawn: the lowest 1%" in page_html and "the highest 1%" in page_html
    assert "all 500 values are 3.00" in page_html
    assert "20,000 values · median" in page_html


def test_the_same_report_gives_the_same_page(report: Report, page_html: str):
    assert render_html(report) == page_html


def test_svg_text_stays_text(page_html: str):
    svgs = re.findall(r"<svg.*?</svg>", page_html, flags=re.DOTALL)
    assert all("<text" in svg for svg in svgs)
    # Tick labels are written as text, not glyph paths, and take the page's font.
    assert "font-family" not in "".join(re.findall(r"<text[^>]*>", page_html))


def test_empty_plots_still_render(report: Report):
    empty = Report(title="Empty", sections=[Section("Nothing", [
        Distribution("no values", [], 0),
        Distribution("nan grid", [(0.0, float("nan")), (1.0, float("nan"))], 10),
        ColorMix("no bars", []),
        ColorMix("zero counts", [("a", {"red": 0})]),
        BarChart("no values", ["a", "b"], [("s", [None, None])]),
        BarChart("nothing", [], []),
        Curve("no points", [("s", [], [])], "x", "y", diagonal=True),
    ])])
    html = render_html(empty)
    assert html.count("<svg") == 7
    assert html.count("No data") >= 5


def test_a_calibrate_sized_page_renders_whole():
    """30 distributions of 2,000 values (calibrate's size) render, each once; how fast is measured
    in benchmarks, not asserted here."""
    rng = np.random.default_rng(0)
    blocks = [
        Distribution(f"metric {i}", grid_of(rng.lognormal(0, 1, 2000)), 2000,
                     [Threshold("current Red|Yellow", 0.5), Threshold("proposed Red|Yellow", 0.7, "proposed")])
        for i in range(30)
    ]
    report = Report(title="Calibration", sections=[Section("Metrics", blocks)])
    html = render_html(report)
    assert html.count("<svg") == 30
    assert all(html.count(f"metric {i}<") + html.count(f"metric {i} ") >= 1 for i in range(30))


def test_the_page_renders_in_a_browser(page_html: str, tmp_path):
    """In the system's Chromium (nothing is downloaded)."""
    from playwright import sync_api

    path = tmp_path / "report.html"
    path.write_text(page_html, encoding="utf-8")
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            dialogs: list[str] = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(path.as_uri())
            assert page.locator("svg").count() == 6
            assert dialogs == []
            assert [r for r in requests if not r.startswith("file:")] == []
        finally:
            browser.close()
