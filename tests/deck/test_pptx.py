"""Generated decks, opened with python-pptx: the slides issue 5 lists, and every number in their
tables and charts checked against the score store read directly with SQL."""
from __future__ import annotations

import io
import math
import zipfile

import pytest

from adoptscore import load_rubric
from adoptscore.deck import build_deck, load_template, render_pptx
from adoptscore.insights.account import account_view
from tests.deck.conftest import CONTROL_NAME, HAZARDS, PERIOD
from tests.deck.pptx_reading import (
    all_text,
    month_label,
    number,
    open_deck,
    shapes_named,
    slide_title,
    table_cells,
)

# the score colors' cell fills (the documented palette) and the fill of "no data"
FILL = {"green": "C6EFCE", "yellow": "FFEB9C", "red": "FFC7CE", None: "EDEDED"}
RUBRIC = load_rubric("gitlab")


@pytest.fixture(scope="module")
def decks(deck_store, card):
    """account id -> (Deck, opened Presentation, bytes) for every account the tests look at."""
    template = load_template()
    accounts = [deck_store.ultimate, deck_store.premium, deck_store.some_missing, deck_store.all_missing,
                deck_store.month_missing, deck_store.control, *HAZARDS.values()]
    out = {}
    for account in accounts:
        deck = build_deck(account_view(card, account, PERIOD), card.rubric)
        blob = render_pptx(deck, template)
        out[account] = (deck, open_deck(blob), blob)
    return out


def _window(deck_store, months: int = 12) -> list[str]:
    periods = [r[0] for r in deck_store.sql("SELECT DISTINCT period FROM gitlab.overall WHERE period <= ? ORDER BY 1",
                                            [PERIOD])]
    return periods[-months:]


def _scores(deck_store, table: str, account: str, use_case: str | None = None) -> dict[str, tuple]:
    where = "account_id = ?" + (" AND use_case = ?" if use_case else "")
    params = [account] + ([use_case] if use_case else [])
    rows = deck_store.sql(f"SELECT period, score, color, status FROM gitlab.{table} WHERE {where}", params)
    return {p: (s, c, st) for p, s, c, st in rows}


def _close(shown: str, expected: float | None, tolerance: float) -> bool:
    if expected is None:
        return shown == "no data"
    return abs(number(shown) - expected) <= tolerance


def test_slides_are_the_ones_the_issue_lists(decks, deck_store):
    _deck, prs, _ = decks[deck_store.ultimate]
    titles = [slide_title(s) for s in prs.slides]
    name = deck_store.sql("SELECT name FROM gitlab.accounts WHERE account_id = ?", [deck_store.ultimate])[0][0]
    assert titles[0] == name
    assert titles[1] == "Adoption overview"
    assert titles[2:2 + len(RUBRIC.use_cases)] == [u.title for u in RUBRIC.use_cases]
    rest = titles[2 + len(RUBRIC.use_cases):]
    assert rest[0] == "Key areas of focus"
    assert rest[1] == "How the score is calculated"
    assert all(t.startswith("Thresholds") for t in rest[2:]) and rest[2:]
    subtitle = prs.slides[0].placeholders[1].text_frame.text
    assert "October 2026" in subtitle and "gitlab" in subtitle and str(RUBRIC.version) in subtitle


def test_overview_table_and_chart_match_the_store(decks, deck_store):
    for account in (deck_store.ultimate, deck_store.premium, deck_store.month_missing, HAZARDS["quotes"]):
        _deck, prs, _ = decks[account]
        overview = prs.slides[1]
        rows = table_cells(shapes_named(overview, "Table: use_cases")[0])
        assert [c.text for c in rows[0][:3]] == ["Use case", "Score", "Rating"]
        for use_case, row in zip(RUBRIC.use_cases, rows[1:]):
            score, color, status = _scores(deck_store, "use_cases", account, use_case.id)[PERIOD]
            assert row[0].text == use_case.title
            assert _close(row[1].text, score, 0.05), (account, use_case.id, row[1].text, score)
            word = color.title() if color else ("not applicable" if status == "not_applicable" else "no data")
            assert row[2].text == word
            assert row[2].fill == FILL[color]
        score, color, _ = _scores(deck_store, "overall", account)[PERIOD]
        assert _close(rows[-1][1].text, score, 0.05) and rows[-1][2].fill == FILL[color]

        chart = shapes_named(overview, "Chart: overall_trend")[0].chart
        window = _window(deck_store)
        assert list(chart.plots[0].categories) == [month_label(p) for p in window]
        series = chart.plots[0].series[0]
        history = _scores(deck_store, "overall", account)
        expected = [history[p][0] if p in history else None for p in window]
        got = list(series.values)
        assert len(got) == len(expected)
        for g, e in zip(got, expected):
            assert (g is None and e is None) or (g is not None and e is not None and math.isclose(g, e, abs_tol=1e-9))


def test_missing_month_is_a_gap_in_the_chart(decks, deck_store):
    _deck, prs, _ = decks[deck_store.month_missing]
    chart = shapes_named(prs.slides[1], "Chart: overall_trend")[0].chart
    values = dict(zip(chart.plots[0].categories, chart.plots[0].series[0].values))
    assert values[month_label("2026-09")] is None
    assert values[month_label("2026-08")] is not None and values[month_label(PERIOD)] is not None


def test_use_case_slides_match_the_store(decks, deck_store):
    for account in (deck_store.ultimate, deck_store.premium, HAZARDS["rtl"], HAZARDS["emoji"]):
        _deck, prs, _ = decks[account]
        slides = {slide_title(s): s for s in prs.slides}
        metrics = {(u, m): (v, c, st) for u, m, v, c, st in deck_store.sql(
            "SELECT use_case, metric, value, color, status FROM gitlab.metrics WHERE account_id = ? AND period = ?",
            [account, PERIOD])}
        for use_case in RUBRIC.use_cases:
            slide = slides[use_case.title]
            _score, _color, status = _scores(deck_store, "use_cases", account, use_case.id)[PERIOD]
            tables = shapes_named(slide, "Table: metrics")
            if status == "not_applicable":
                assert not tables
                continue
            rows = table_cells(tables[0])
            assert [c.text for c in rows[0][2:5]] == ["Red", "Yellow", "Green"]
            for metric, row in zip(use_case.metrics, rows[1:]):
                value, color, mstatus = metrics[(use_case.id, metric.id)]
                assert row[0].text == metric.title
                tolerance = {"percent": 0.0005, "ratio": 0.05}.get(metric.unit, 0.5)
                if mstatus == "scored":
                    assert _close(row[1].text, value, tolerance), (account, metric.id, row[1].text, value)
                else:
                    assert row[1].text in ("no data", "not applicable")
                assert row[1].fill == FILL[color]
                # the threshold cell in color is this period's band; the others stay plain
                highlighted = [c for c, cell in zip(("red", "yellow", "green"), row[2:5]) if cell.fill in FILL.values()
                               and cell.fill != FILL[None]]
                assert highlighted == ([color] if color else [])
                if metric.bands is not None:
                    for c, cell in zip(("red", "yellow", "green"), row[2:5]):
                        band = metric.bands.get(c)
                        assert cell.text == (band.replace("<=", "\u2264").replace(">=", "\u2265") if band else "\u2014")
            chart = shapes_named(slide, "Chart: use_case_trend")[0].chart
            history = _scores(deck_store, "use_cases", account, use_case.id)
            expected = [history.get(p, (None,))[0] for p in _window(deck_store)]
            assert [None if v is None else round(v, 9) for v in chart.plots[0].series[0].values] == \
                [None if v is None else round(v, 9) for v in expected]


def test_peer_column_states_a_percentile_and_names_no_other_customer(decks, deck_store):
    names = [n for (n,) in deck_store.sql("SELECT name FROM gitlab.accounts") if n and len(n) >= 8]
    for account, (_deck, prs, _) in decks.items():
        own = deck_store.sql("SELECT name FROM gitlab.accounts WHERE account_id = ?", [account])[0][0]
        text = all_text(prs)
        others = [n for n in names if n != own and n in text and n not in own]
        assert not others, (account, others[:3])
    _deck, prs, _ = decks[deck_store.ultimate]
    slide = next(s for s in prs.slides if slide_title(s) == RUBRIC.use_cases[0].title)
    peer = table_cells(shapes_named(slide, "Table: metrics")[0])[1][5]
    assert peer.text.startswith("Ahead of"), peer.text
    size = int(number(peer.detail.split(" similar")[0]))
    assert size + 1 >= 10  # groups of at least 10 accounts, the account included


def test_focus_areas_are_metrics_below_green_with_gaps_and_features(decks, deck_store):
    _deck, prs, _ = decks[deck_store.ultimate]
    slide = next(s for s in prs.slides if slide_title(s) == "Key areas of focus")
    colors = {(u, m): c for u, m, c in deck_store.sql(
        "SELECT use_case, metric, color FROM gitlab.metrics WHERE account_id = ? AND period = ?",
        [deck_store.ultimate, PERIOD])}
    cards = [s for s in slide.shapes if s.has_text_frame and s.text_frame.text[:2] in ("1.", "2.", "3.")]
    below_green = [(u, m) for (u, m), c in colors.items() if c in ("red", "yellow")]
    assert 1 <= len(cards) <= 3 and len(cards) == min(3, len(cards)) and (len(cards) >= 2 or len(below_green) < 2)
    for card in cards:
        paragraphs = [p.text for p in card.text_frame.paragraphs]
        heading, move = paragraphs[0], paragraphs[1]
        use_case = next(u for u in RUBRIC.use_cases if f" {u.title}: " in f" {heading[3:]}")
        metric = next(m for m in use_case.metrics if heading.endswith(m.title))
        color = colors[(use_case.id, metric.id)]
        assert move.startswith(color.title() + " \u2192 ")
        assert "would reach" in paragraphs[2] or "needs to reach" in paragraphs[2]
        assert "Product features that help" in paragraphs
        features = paragraphs[paragraphs.index("Product features that help") + 1:]
        assert features == use_case.recommendations


def test_appendix_states_points_bands_and_weights(decks, deck_store):
    _deck, prs, _ = decks[deck_store.ultimate]
    slide = next(s for s in prs.slides if slide_title(s) == "How the score is calculated")
    text = all_text(prs)
    assert "Red 25, Yellow 63, Green 88 points" in text
    weights = table_cells(shapes_named(slide, "Table: weights")[0])
    assert [(r[0].text, float(r[1].text)) for r in weights[1:]] == [(u.title, u.weight) for u in RUBRIC.use_cases]
    assert abs(sum(number(r[2].text) for r in weights[1:]) - 1.0) <= 0.02
    thresholds = [row for s in prs.slides if slide_title(s).startswith("Thresholds")
                  for row in table_cells(shapes_named(s, "Table: thresholds")[0])[1:]]
    expected = sum(len(m.bands_by.cases) if m.bands_by else 1 for _, m in RUBRIC.metrics)
    assert len(thresholds) == expected


def test_missing_data_says_no_data_and_never_zero_or_red(decks, deck_store):
    _deck, prs, _ = decks[deck_store.some_missing]
    rows = table_cells(shapes_named(prs.slides[1], "Table: use_cases")[0])
    by_title = {r[0].text: r for r in rows[1:]}
    for use_case in RUBRIC.use_cases:
        _score, _color, status = _scores(deck_store, "use_cases", deck_store.some_missing, use_case.id)[PERIOD]
        row = by_title[use_case.title]
        if status == "no_data":
            assert row[1].text == "no data" and row[2].text == "no data" and row[2].fill == FILL[None]
    scm = next(s for s in prs.slides if slide_title(s) == RUBRIC.use_case("scm").title)
    value = table_cells(shapes_named(scm, "Table: metrics")[0])[1][1]
    assert value.text == "no data" and value.fill == FILL[None]
    assert any("no data" in s.text_frame.text and "never counts as Red" in s.text_frame.text
               for s in scm.shapes if s.has_text_frame)
    # nothing scored at all: the overall KPI and the chart's last point say so
    _deck, prs, _ = decks[deck_store.all_missing]
    overall = table_cells(shapes_named(prs.slides[1], "Table: use_cases")[0])[-1]
    assert overall[1].text == "no data" and overall[2].fill == FILL[None]
    chart = shapes_named(prs.slides[1], "Chart: overall_trend")[0].chart
    assert list(chart.plots[0].series[0].values)[-1] is None
    focus = next(s for s in prs.slides if slide_title(s) == "Key areas of focus")
    assert "no area of focus" in all_text_of(focus)


def all_text_of(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def test_hazardous_names_are_kept_or_cleaned_and_the_file_opens(decks, deck_store):
    for key, account in HAZARDS.items():
        name = deck_store.sql("SELECT name FROM gitlab.accounts WHERE account_id = ?", [account])[0][0]
        _deck, prs, blob = decks[account]
        title = slide_title(prs.slides[0])
        if key == "long":
            assert title.endswith("\u2026") or title == name
            assert name.startswith(title.rstrip("\u2026"))
        else:
            assert title == name, key
        if key == "rtl":
            rtl = prs.slides[0].shapes.title.text_frame.paragraphs[0]._p.pPr.get("rtl")
            assert rtl == "1"
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            assert archive.testzip() is None
    _deck, prs, _ = decks[deck_store.control]
    assert slide_title(prs.slides[0]) == "".join(ch for ch in CONTROL_NAME if ch >= " ")


def test_speaker_notes_explain_the_changes(decks, deck_store):
    _deck, prs, _ = decks[deck_store.ultimate]
    overview = prs.slides[1]
    assert overview.has_notes_slide
    notes = overview.notes_slide.notes_text_frame.text
    assert notes
    changed = deck_store.sql(
        "SELECT count(*) FROM gitlab.use_cases a JOIN gitlab.use_cases b ON a.account_id = b.account_id "
        "AND a.use_case = b.use_case AND b.period = '2026-09' WHERE a.account_id = ? AND a.period = ? "
        "AND (a.score IS DISTINCT FROM b.score OR a.color IS DISTINCT FROM b.color)", [deck_store.ultimate, PERIOD])[0][0]
    assert (notes == "No use-case score changed.") == (changed == 0)
