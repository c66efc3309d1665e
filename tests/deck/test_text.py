"""Text from data made safe for a slide, and fitted to a box."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from adoptscore.deck.output import deck_stem, outputs_for, slug
from adoptscore.deck.text import (
    ELLIPSIS,
    EMU_PER_INCH,
    Run,
    clean,
    fit,
    line_height,
    measure,
    text_width,
    wrap,
)

INCH = EMU_PER_INCH


def test_clean_drops_only_what_xml_cannot_hold():
    assert clean("a\x00b\x07c\x1bd\x0be\ufffff\ud800g") == "abcdefg"
    kept = "O'Brien & \"Sons\" <Ltd> \u0634\u0631\u0643\u0629 \U0001F680 \u00e9\t"
    assert clean(kept) == kept
    assert clean("one\r\ntwo\rthree") == "one\ntwo\nthree"
    assert clean(None) == ""


@given(st.text())
@settings(max_examples=200, deadline=None)
def test_cleaned_text_is_always_valid_xml(text):
    element = etree.Element("t")
    element.text = clean(text)  # lxml refuses any character XML 1.0 cannot hold
    assert etree.fromstring(etree.tostring(element)).text in (None, clean(text).replace("\r", "\n"))


def test_wrap_breaks_at_words_and_inside_overlong_words():
    width = int(2 * INCH)
    lines = wrap("alpha beta gamma delta epsilon zeta eta theta iota kappa", width, 12)
    assert len(lines) > 1 and all(text_width(line, 12) <= width for line in lines)
    assert " ".join(lines) == "alpha beta gamma delta epsilon zeta eta theta iota kappa"
    long_word = "x" * 200
    pieces = wrap(long_word, width, 12)
    assert "".join(pieces) == long_word and all(text_width(p, 12) <= width for p in pieces)
    assert wrap("a\nb", width, 12) == ["a", "b"]


def test_wider_characters_take_more_room():
    assert text_width("WWWW", 12) > text_width("iiii", 12)
    assert text_width("\U0001F680\U0001F680", 12) > text_width("ab", 12)
    assert text_width("e\u0301", 12) == text_width("e", 12)  # a combining accent adds nothing
    assert text_width("abc", 12, bold=True) > text_width("abc", 12)


def test_fit_picks_the_largest_size_that_fits():
    text = "The quick brown fox jumps over the lazy dog. " * 3
    box_w, box_h = int(3 * INCH), int(1 * INCH)
    fitted = fit(text, box_w, box_h, max_pt=24, min_pt=8, step=0.5)
    assert not fitted.truncated and fitted.height <= box_h
    bigger = fitted.size + 0.5
    assert measure([Run(text.strip())], box_w, bigger)[1] > box_h or bigger > 24


def test_fit_truncates_with_an_ellipsis_only_at_the_floor():
    text = "word " * 400
    box_w, box_h = int(2 * INCH), int(0.5 * INCH)
    fitted = fit(text, box_w, box_h, max_pt=14, min_pt=9)
    assert fitted.truncated and fitted.size == 9
    assert fitted.paragraphs[-1].endswith(ELLIPSIS)
    assert measure([Run(p) for p in fitted.paragraphs], box_w, 9)[1] <= box_h


@given(st.lists(st.text(min_size=0, max_size=300), min_size=1, max_size=6),
       st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=8))
@settings(max_examples=150, deadline=None)
def test_fitted_text_never_exceeds_its_box(paragraphs, width_tenths, height_tenths):
    box_w, box_h = int(width_tenths * INCH / 4), int(height_tenths * INCH / 4)
    runs = [Run(p, scale=0.9 if i else 1.0, bold=i == 0) for i, p in enumerate(paragraphs)]
    fitted = fit(runs, box_w, box_h, max_pt=20, min_pt=8)
    shown = [Run(t, r.scale, r.bold) for t, r in zip(fitted.paragraphs, runs)]
    _lines, used = measure(shown, box_w, fitted.size)
    # at least one line is always shown; beyond that, the text stays inside the box
    assert used <= max(box_h, line_height(fitted.size * runs[0].scale))


def test_file_names_from_hazardous_names():
    assert slug("<script>alert(1)</script> Industries") == "script-alert-1-script-industries"
    assert slug("O'Brien & \"Sons\" <Ltd>") == "o-brien-sons-ltd"
    assert slug("\u0634\u0631\u0643\u0629 \u0627\u0644\u0646\u0648\u0631") == ""
    assert deck_stem("A000021", "\u0634\u0631\u0643\u0629") == "A000021"
    assert len(deck_stem("A000055", "The International " * 20)) <= 60 + 41
    odd = deck_stem("acme/../../etc", "Acme")
    assert "/" not in odd and ".." not in odd and odd != deck_stem("acme_.._.._etc", "Acme")


def test_output_paths_follow_out_and_formats(tmp_path):
    assert outputs_for(tmp_path / "acme.pptx", "A1-acme", ["pptx", "html"]) == {
        "pptx": tmp_path / "acme.pptx", "html": tmp_path / "acme.html"}
    assert outputs_for(tmp_path, "A1-acme", ["pdf"]) == {"pdf": tmp_path / "A1-acme.pdf"}
    assert outputs_for(None, "A1-acme", ["pptx"]) == {"pptx": __import__("pathlib").Path("A1-acme.pptx")}
