"""The portfolio grid in a real browser (Debian's Chromium under Playwright) at 1280 and 1920 px:
one line per account row, a header row and an Account column that stay in view while the grid
scrolls, use-case chips whose colors and arrows match /api/portfolio, and the "ARR at risk" order
against values computed here from the API's rows (ARR at Red, half of it at Yellow, none at Green).

Every bound is derived from the page itself (line height, padding, the wrapper's box), never a
pixel constant. Screenshots go to the test's tmp folder, and to $ADOPTSCORE_SCREENSHOTS when set.
"""
from __future__ import annotations

import math
import os
import re
from pathlib import Path

import httpx
import pytest

WIDTHS = [1280, 1920]
SHARE = {"red": 1.0, "yellow": 0.5, "green": 0.0}


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def page(request, browser, server):
    width = request.param
    context = browser.new_context(viewport={"width": width, "height": round(width * 9 / 16)})
    page = context.new_page()
    page.width = width
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    yield page
    # nothing comes from elsewhere (no CDN, no web font)
    assert [u for u in requests if not u.startswith(server)] == []
    context.close()


def shot(page, tmp_path: Path, name: str) -> None:
    file = f"grid-{name}-{page.width}.png"
    page.screenshot(path=str(tmp_path / file))
    folder = os.environ.get("ADOPTSCORE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / file))


def api_rows(server: str, **params) -> list[dict]:
    rows, page = [], 1
    while True:
        answer = httpx.get(server + "/api/portfolio", params={**params, "page": page, "page_size": 500}, timeout=60)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        rows += body["rows"]
        if page >= body["pages"]:
            return rows
        page += 1


# the row's height against one line of its own text: line height and vertical padding and borders
# of its cells, read from the page; two lines of text need 2 x the line height, so 1.6 x separates them
ROW_SIZES = """rows => rows.map(row => {
    const cells = [...row.cells].map(cell => {
        const s = getComputedStyle(cell);
        const line = parseFloat(s.lineHeight) || parseFloat(s.fontSize) * 1.2;
        const frame = parseFloat(s.paddingTop) + parseFloat(s.paddingBottom) +
                      parseFloat(s.borderTopWidth) + parseFloat(s.borderBottomWidth);
        return {line, frame};
    });
    return {account: row.dataset.account, height: row.getBoundingClientRect().height,
            bound: Math.max(...cells.map(c => 1.6 * c.line + c.frame))};
})"""


def test_every_row_is_one_line(page, server, tmp_path):
    page.goto(server + "/")
    shot(page, tmp_path, "first-screen")
    sizes = page.eval_on_selector_all("#portfolio tbody tr[data-account]", ROW_SIZES)
    assert len(sizes) == 50
    tall = [s for s in sizes if s["height"] > s["bound"]]
    assert tall == [], tall[:3]
    # long text is cut, not wrapped: an element holding text is never taller than one line of it
    wrapped = page.eval_on_selector_all("#portfolio tbody td a, #portfolio tbody .clip, #portfolio tbody .chip", """
        els => els.filter(e => e.getClientRects().length > 1 ||
                               e.getBoundingClientRect().height > 1.6 * parseFloat(getComputedStyle(e).lineHeight))
                  .map(e => e.textContent)""")
    assert wrapped == []
    # a cut name keeps the whole name in its tooltip
    names = page.eval_on_selector_all("#portfolio tbody td.account a",
                                      "els => els.map(a => [a.textContent, a.title, a.scrollWidth > a.clientWidth])")
    assert all(text == title for text, title, _ in names)
    # and the grid fills the screen below the filters: many rows in view, not a handful
    in_view = page.eval_on_selector("#grid-wrap", """w => { const box = w.getBoundingClientRect();
        return [...w.querySelectorAll('tbody tr')].filter(r => r.getBoundingClientRect().bottom <= Math.min(box.bottom, innerHeight)).length }""")
    row = sizes[0]["height"]
    wrap = page.locator("#grid-wrap").bounding_box()
    viewport = page.viewport_size["height"]
    header = page.locator("#portfolio thead").bounding_box()["height"]
    # every row that fits between the header and the bottom of the screen is shown
    assert in_view >= math.floor((min(wrap["y"] + wrap["height"], viewport) - wrap["y"] - header) / row) - 1
    assert wrap["y"] + wrap["height"] <= viewport + 1   # the grid ends on the screen: its own scrollbar is reachable


def test_header_and_account_column_stay_in_view(page, server, tmp_path):
    page.goto(server + "/?page_size=200")
    wrap = page.locator("#grid-wrap")
    box = wrap.bounding_box()
    header_before = page.locator("#portfolio thead").bounding_box()
    first_before = page.locator("#portfolio tbody tr").first.bounding_box()
    assert abs(header_before["y"] - box["y"]) <= 2

    wrap.evaluate("w => { w.scrollTop = 900; }")
    assert wrap.evaluate("w => w.scrollTop") == 900   # the wrapper itself scrolls, not the page
    assert page.evaluate("scrollY") == 0
    header_after = page.locator("#portfolio thead").bounding_box()
    first_after = page.locator("#portfolio tbody tr").first.bounding_box()
    assert first_after["y"] == pytest.approx(first_before["y"] - 900, abs=1)
    assert header_after["y"] == pytest.approx(header_before["y"], abs=1)
    # and it is on top: what is drawn at the header's middle is the header, not a row under it
    on_top = page.evaluate("""([x, y]) => document.elementFromPoint(x, y).closest('thead, tbody').tagName""",
                           [header_after["x"] + header_after["width"] / 2, header_after["y"] + header_after["height"] / 2])
    assert on_top == "THEAD"
    shot(page, tmp_path, "scrolled-down")

    overflow = wrap.evaluate("w => w.scrollWidth - w.clientWidth")
    if page.width == 1280:
        assert overflow > 0, "the grid is expected to be wider than 1280 px (segments and owner scroll in)"
    if overflow <= 0:
        return  # everything fits: there is nothing to scroll sideways
    visible_row = page.locator("#portfolio tbody tr").nth(40)
    account = visible_row.locator("td.account")
    other = visible_row.locator("td[data-use-case]").first
    account_before, other_before = account.bounding_box(), other.bounding_box()
    wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
    scrolled = wrap.evaluate("w => w.scrollLeft")
    assert scrolled == overflow
    account_after, other_after = account.bounding_box(), other.bounding_box()
    assert account_after["x"] == pytest.approx(account_before["x"], abs=1)
    assert other_after["x"] == pytest.approx(other_before["x"] - scrolled, abs=1)
    on_top = page.evaluate("""([x, y]) => document.elementFromPoint(x, y).closest('td').className""",
                           [account_after["x"] + account_after["width"] / 2, account_after["y"] + account_after["height"] / 2])
    assert "account" in on_top
    # the corner stays too: the Account header over the pinned column
    corner = page.locator("#portfolio thead th.account").bounding_box()
    assert corner["x"] == pytest.approx(box["x"] + 1, abs=2) and corner["y"] == pytest.approx(header_before["y"], abs=1)
    shot(page, tmp_path, "scrolled-both-ways")


def test_use_case_cells_are_chips_with_the_api_colors_and_arrows(page, server):
    page.goto(server + "/?page_size=100")
    expected = {r["account_id"]: r for r in api_rows(server)}
    # why each use case may not apply, in the sentence the API gives (built from the rubric)
    why = {u["id"]: u["not_applicable"] for u in httpx.get(server + "/api/portfolio", timeout=60).json()["use_cases"]}
    use_cases = list(why)
    cells = page.eval_on_selector_all("#portfolio tbody tr[data-account] td[data-use-case]", """cells => cells.map(c => ({
        account: c.closest('tr').dataset.account, use_case: c.dataset.useCase, color: c.dataset.color,
        trend: c.dataset.trend || null, chip: c.querySelector('.chip') && c.querySelector('.chip').className,
        text: c.textContent.trim(), title: c.querySelector('.chip') && c.querySelector('.chip').title}))""")
    assert len(cells) == 100 * len(use_cases)
    trends = {"dropped": 0, "improved": 0, "not_applicable": 0}
    for cell in cells:
        row = expected[cell["account"]]
        uc = cell["use_case"]
        color = "not_applicable" if row[f"{uc}_status"] == "not_applicable" else (row[f"{uc}_color"] or "no_data")
        assert cell["color"] == color, cell
        assert cell["chip"] == f"chip {color}", cell
        trend = "dropped" if row[f"{uc}_dropped"] else "improved" if row[f"{uc}_improved"] else None
        if color == "not_applicable":
            trend = None
            assert cell["text"] == "n/a" and cell["title"] == why[uc]
            assert "lower(" not in why[uc] and "not applicable:" not in why[uc]   # words, not the expression
            trends["not_applicable"] += 1
        assert cell["trend"] == trend, cell
        arrow = {"dropped": "▼", "improved": "▲", None: ""}[trend]
        assert cell["text"].endswith(arrow) if arrow else not re.search("[▲▼]", cell["text"])
        if trend:
            trends[trend] += 1
    assert all(trends.values()), trends   # the page shows drops, rises and use cases that do not apply


def test_arr_at_risk_sorts_the_grid(page, server, tmp_path):
    page.goto(server + "/")
    page.locator("#portfolio thead a.sort", has_text="ARR at risk").click()
    page.wait_for_url(re.compile(r"sort=arr_at_risk&order=desc"))
    shot(page, tmp_path, "arr-at-risk")
    shown = page.eval_on_selector_all("#portfolio tbody tr[data-account]", """rows => rows.map(r => [r.dataset.account,
        r.querySelector('td[data-arr-at-risk]').dataset.arrAtRisk, r.querySelector('td[data-arr-at-risk]').textContent])""")

    def risk(row: dict) -> float | None:
        share = SHARE.get(row["color"])
        return None if share is None or row["arr"] is None else row["arr"] * share

    rows = api_rows(server)  # the default order: the grid's own sort plays no part here
    keyed = [(risk(r) is None, -(risk(r) or 0.0), r["account_id"]) for r in rows]
    expected = [account for _, _, account in sorted(keyed)][:50]
    assert [a for a, _, _ in shown] == expected
    by_id = {r["account_id"]: risk(r) for r in rows}
    for account, value, text in shown:
        assert float(value) == pytest.approx(by_id[account])
        assert text == f"{by_id[account]:,.0f}"   # the money filter: whole units, thousands separated
    # ascending: the Green accounts (nothing at risk) first, the missing ones still last
    page.locator("#portfolio thead a.sort", has_text="ARR at risk").click()
    page.wait_for_url(re.compile(r"sort=arr_at_risk&order=asc"))
    first = page.locator("#portfolio tbody tr[data-account]").first.get_attribute("data-account")
    assert by_id[first] == min(v for v in by_id.values() if v is not None)


@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
def test_an_override_shows_beside_the_computed_chip_and_rows_stay_one_line(browser, store, tmp_path, width):
    """Overrides written through the team database, as the account page writes them, on the grid's
    first page: each beside its computed chip in its own color, with who, until when and why in
    its tooltip; an ended one and another page's are not shown; every row is still one line."""
    from adoptscore.team.store import TeamStore
    from adoptscore.web.app import create_app
    from tests.web.serving import served

    database = tmp_path / "team.sqlite"
    with served(create_app(store, team_database=database)) as base:
        first = httpx.get(base + "/api/portfolio", timeout=60).json()
        rows = first["rows"]
        use_cases = [u["id"] for u in first["use_cases"]]
        team = TeamStore(database)
        other = {"green": "red", "yellow": "green", "red": "yellow", None: "green"}
        written = {}
        for index, row in enumerate(rows[:12:3]):   # four accounts, each a different use case
            use_case = use_cases[index % len(use_cases)]
            color = other[row[f"{use_case}_color"]]
            reason = f"Seen at the QBR <b>{index}</b>, a longer reason than any cell could hold in one line"
            written[(row["account_id"], use_case)] = team.set_override(
                row["account_id"], use_case, color, reason, "ana@example.com", days=20 + index, max_days=90)
        # one on a use case that does not apply, when the page has one
        na = next(((r["account_id"], u) for r in rows[12:] for u in use_cases if r[f"{u}_status"] == "not_applicable"), None)
        if na:
            written[na] = team.set_override(*na, "yellow", "Upgrading to Ultimate", "bo@example.com", days=5, max_days=90)
        ended = (rows[1]["account_id"], use_cases[0])
        team.set_override(*ended, "green", "never mind", "ana@example.com", days=5, max_days=90)
        team.end_override(*ended, "ana@example.com")
        elsewhere = httpx.get(base + "/api/portfolio", params={"page": 2}, timeout=60).json()["rows"][0]["account_id"]
        team.set_override(elsewhere, use_cases[0], "green", "another page", "ana@example.com", days=5, max_days=90)

        context = browser.new_context(viewport={"width": width, "height": round(width * 9 / 16)})
        page = context.new_page()
        page.width = width
        page.goto(base + "/")
        shot(page, tmp_path, "overrides")
        cells = page.eval_on_selector_all("#portfolio tbody td[data-use-case]", """cells => cells.map(c => {
            const mark = c.querySelector('.ovr'), chip = c.querySelector('.chip');
            return {account: c.closest('tr').dataset.account, use_case: c.dataset.useCase, color: c.dataset.color,
                    override: c.dataset.override || null, chip: chip.className, chip_text: chip.textContent,
                    mark: mark && {cls: mark.className, text: mark.textContent, title: mark.title,
                                   ink: getComputedStyle(mark).color, border: getComputedStyle(mark).borderTopColor}};
        })""")
        by_api = {r["account_id"]: r for r in rows}
        shown = {(c["account"], c["use_case"]): c for c in cells if c["mark"]}
        assert set(shown) == set(written)   # not the ended one, not another page's
        for key, o in written.items():
            cell = shown[key]
            row = by_api[key[0]]
            computed = "not_applicable" if row[f"{key[1]}_status"] == "not_applicable" else (row[f"{key[1]}_color"] or "no_data")
            assert cell["color"] == computed and cell["chip"] == f"chip {computed}"   # the computed chip, unchanged
            assert cell["override"] == o.color and cell["mark"]["cls"] == f"ovr {o.color}"
            assert cell["mark"]["text"] == f"CSM: {o.color.capitalize()}"
            title = cell["mark"]["title"]
            assert o.author in title and o.expires_at[:10] in title and o.reason in title   # escaped, shown as text
            assert cell["mark"]["ink"] == cell["mark"]["border"]   # outlined in its own color
        inks = {o.color: shown[k]["mark"]["ink"] for k, o in written.items()}
        assert len(set(inks.values())) == len(inks)   # each override color has its own ink
        sizes = page.eval_on_selector_all("#portfolio tbody tr[data-account]", ROW_SIZES)
        tall = [s for s in sizes if s["height"] > s["bound"]]
        assert tall == [], tall[:3]
        wrapped = page.eval_on_selector_all("#portfolio tbody .ovr", """els => els.filter(e => e.getClientRects().length > 1
            || e.getBoundingClientRect().height > 1.6 * parseFloat(getComputedStyle(e).lineHeight)).map(e => e.textContent)""")
        assert wrapped == []
        # the computed chip and its marker sit on one line, side by side
        for key in written:
            boxes = page.locator(f'#portfolio tr[data-account="{key[0]}"] td[data-use-case="{key[1]}"]').evaluate(
                "c => [c.querySelector('.chip'), c.querySelector('.ovr')].map(e => e.getBoundingClientRect().toJSON())")
            chip, mark = boxes
            assert mark["left"] >= chip["right"] - 1 and abs((mark["top"] + mark["bottom"]) - (chip["top"] + chip["bottom"])) < 8
        context.close()
