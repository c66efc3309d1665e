"""The HTML one-pager: self-contained, escaped, and saying what the deck says."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from adoptscore.deck import build_deck, render_html
from adoptscore.insights.account import account_view
from tests.deck.conftest import HAZARDS, PERIOD


@pytest.fixture(scope="module")
def pages(deck_store, card):
    accounts = [*HAZARDS.values(), deck_store.all_missing, deck_store.some_missing, deck_store.ultimate,
                deck_store.control]
    return {a: render_html(build_deck(account_view(card, a, PERIOD), card.rubric)) for a in accounts}


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(page: str) -> _Collect:
    parser = _Collect()
    parser.feed(page)
    return parser


def test_page_is_self_contained(pages):
    for page in pages.values():
        parsed = _parse(page)
        tags = {t for t, _ in parsed.tags}
        assert not tags & {"script", "link", "img", "iframe", "object", "embed"}
        for tag, attrs in parsed.tags:
            for name, value in attrs.items():
                if name in ("src", "href"):
                    pytest.fail(f"{tag} fetches {value}")
                assert not (name.startswith("on")), (tag, name)
        assert re.search(r"url\(", page) is None


def test_names_are_escaped_and_keep_their_direction(pages, deck_store):
    for key, account in HAZARDS.items():
        name = deck_store.sql("SELECT name FROM gitlab.accounts WHERE account_id = ?", [account])[0][0]
        parsed = _parse(pages[account])
        heading = next(i for i, (t, _) in enumerate(parsed.tags) if t == "h1")
        assert parsed.tags[heading][1].get("dir") == "auto"
        assert name in "".join(parsed.text), key      # the name as text, whole, after unescaping
    assert "<script>alert(1)</script>" not in pages[HAZARDS["script"]]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[HAZARDS["script"]]
    control = pages[deck_store.control]
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", control)


def test_page_carries_the_scores(pages, deck_store):
    account = deck_store.ultimate
    text = " ".join(_parse(pages[account]).text)
    for use_case, score in deck_store.sql("SELECT use_case, score FROM gitlab.use_cases WHERE account_id = ? "
                                          "AND period = ? AND score IS NOT NULL", [account, PERIOD]):
        assert f"{score:.1f}" in text, use_case
    overall = deck_store.sql("SELECT score FROM gitlab.overall WHERE account_id = ? AND period = ?", [account, PERIOD])[0][0]
    assert f"{overall:.1f}" in text
    for heading in ("Adoption overview", "Key areas of focus", "How the score is calculated", "Thresholds"):
        assert heading in text
    assert text.count("<svg") == 0 and pages[account].count("<svg") >= 2  # inline charts, not text


def test_no_data_is_said_not_drawn_as_zero(pages, deck_store):
    page = pages[deck_store.all_missing]
    text = " ".join(_parse(page).text)
    assert "no data" in text
    overview_svg = page[page.index("<svg"):page.index("</svg>")]
    scored = deck_store.sql("SELECT count(*) FROM gitlab.overall WHERE account_id = ? AND score IS NOT NULL",
                            [deck_store.all_missing])[0][0]
    assert overview_svg.count("<circle") == scored  # a point per scored month; none at 0 for the others
    trend = re.search(r'<p class="trend">(.*?)</p>', page).group(1)
    assert trend.endswith("Oct 2026 no data")
