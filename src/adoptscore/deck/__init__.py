"""The customer-facing adoption deck: an account's scorecard as a PowerPoint deck (native charts
and tables, on the user's template), an HTML one-pager for email, and a PDF (through LibreOffice).

    from adoptscore.deck import build_deck, render_pptx, render_html, load_template
    from adoptscore.insights import open_scorecard, account_view

    card = open_scorecard("scores.duckdb")
    deck = build_deck(account_view(card, "A000013", "2026-10"), card.rubric)
    Path("acme.pptx").write_bytes(render_pptx(deck, load_template("company.pptx")))

The deck is data first (:mod:`adoptscore.deck.model`); the renderers draw the same data, so the
formats say the same thing. Nothing here scores: every number comes from the stored scores.
"""
from adoptscore.deck.build import build_deck
from adoptscore.deck.model import Deck
from adoptscore.deck.template import DeckError, Template, load_template

__all__ = ["Deck", "DeckError", "Template", "build_deck", "convert_to_pdf", "load_template", "render_html",
           "render_pptx"]


def __getattr__(name: str):  # the renderers load python-pptx / jinja2 only when used
    if name == "render_pptx":
        from adoptscore.deck.powerpoint import render_pptx

        return render_pptx
    if name == "render_html":
        from adoptscore.deck.html import render_html

        return render_html
    if name == "convert_to_pdf":
        from adoptscore.deck.pdf import convert_to_pdf

        return convert_to_pdf
    raise AttributeError(name)
