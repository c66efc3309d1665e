"""Nothing overflows its slide: every shape lies on the slide, every text fits its box at the size
written, and, rendered by LibreOffice (pptx -> pdf -> png), each deck has one page per slide and
every word it draws lies inside the shape it belongs to."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from adoptscore.deck import build_deck, load_template, render_pptx
from adoptscore.deck.text import EMU_PER_PT, line_height, wrap
from adoptscore.insights.account import account_view
from adoptscore.team.store import MAX_REASON, TeamStore
from tests.deck.conftest import HAZARDS, PERIOD
from tests.deck.pptx_reading import NS, open_deck, slide_title
from tests.deck.test_template import _company_template
from tests.needs import missing

TOLERANCE_PT = 2.0


@pytest.fixture(scope="module")
def many_metrics_card(tmp_path_factory):
    """A history scored with a variant of the gitlab rubric whose SCM use case has 7 metrics."""
    import yaml

    import adoptscore
    from adoptscore.demo import generate_usage
    from adoptscore.insights.scorecard import Scorecard
    from adoptscore.rubric.loader import bundled_rubrics
    from adoptscore.store import open_store

    folder = tmp_path_factory.mktemp("many-metrics")
    document = yaml.safe_load(bundled_rubrics()["gitlab"].read_text(encoding="utf-8"))
    document["name"], document["version"] = "gitlab-wide", "1"
    scm = next(u for u in document["use_cases"] if u["id"] == "scm")
    first = scm["metrics"][0]
    scm["metrics"] += [dict(first, id=f"git_ops_{k}", title=f"Git Operation Utilization, variant {k} of the metric",
                            description="The same share, once more, to fill the table with a long description "
                                        "that wraps onto a second line in the meaning list.")
                       for k in range(2, 8)]
    path = folder / "gitlab-wide.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    table = generate_usage(accounts=60, months=4, seed=7, end_period=PERIOD)
    store = folder / "scores.duckdb"
    open_store(store).save(adoptscore.score(table, str(path)))
    return Scorecard(store)


def test_a_use_case_with_many_metrics_continues_on_a_second_slide(many_metrics_card):
    card = many_metrics_card
    account = card.rows("SELECT account_id FROM portfolio WHERE period = ? ORDER BY account_id LIMIT 1", [PERIOD])[0]["account_id"]
    deck = build_deck(account_view(card, account, PERIOD), card.rubric)
    scm = [s for s in deck.slides if s.kind == "use_case" and s.use_case == "scm"]
    assert [len(s.table.rows) for s in scm] == [4, 3]   # 7 metrics shared evenly, none dropped
    assert scm[1].title.endswith("(continued)") and scm[1].chart is None
    prs = open_deck(render_pptx(deck, load_template()))
    titles = [slide_title(s) for s in prs.slides]
    assert titles.count("Source Code Management") == 1 and "Source Code Management (continued)" in titles


@pytest.fixture(scope="module")
def rendered(deck_store, card, many_metrics_card, tmp_path_factory):
    """name -> .pptx file, for decks chosen to stress the layout."""
    folder = tmp_path_factory.mktemp("fit")
    company = folder / "company-template.pptx"
    _company_template(company)
    cases = {
        "long-name": (HAZARDS["long"], None), "rtl": (HAZARDS["rtl"], None), "emoji": (HAZARDS["emoji"], None),
        "script": (HAZARDS["script"], None), "no-data": (deck_store.all_missing, None),
        "template-4x3": (HAZARDS["long"], company), "template-missing": (deck_store.some_missing, company),
    }
    # a long name with an override of every use case, each with the longest reason the team database takes
    team = TeamStore(folder / "team.sqlite")
    for use_case in card.rubric.use_cases:
        team.set_override(HAZARDS["long"], use_case.id, "green", "Wide reason " * (MAX_REASON // 12), "ana@example.com",
                          days=90, max_days=90)
    overrides = {uc: o for (_, uc), o in team.active_overrides([HAZARDS["long"]]).items()}
    assert len(overrides) == len(card.rubric.use_cases)
    cases["overrides"] = (HAZARDS["long"], None)
    cases["overrides-4x3"] = (HAZARDS["long"], company)
    out = {}
    wide = many_metrics_card.rows("SELECT account_id FROM portfolio WHERE period = ? ORDER BY account_id LIMIT 1",
                                  [PERIOD])[0]["account_id"]
    cases["many-metrics-4x3"] = (wide, company)
    for name, (account, template) in cases.items():
        source = many_metrics_card if name.startswith("many-metrics") else card
        deck = build_deck(account_view(source, account, PERIOD), source.rubric,
                          overrides if name.startswith("overrides") else None)
        path = folder / f"{name}.pptx"
        path.write_bytes(render_pptx(deck, load_template(template)))
        out[name] = path
    return out


def _paragraph_height(p, width: int) -> int:
    """Estimated height of one DrawingML paragraph at the size written in it."""
    runs = p.findall("a:r", NS)
    text = "".join(r.findtext("a:t", default="", namespaces=NS) for r in runs)
    sizes = [int(r.find("a:rPr", NS).get("sz")) / 100 for r in runs if r.find("a:rPr", NS) is not None
             and r.find("a:rPr", NS).get("sz")]
    if not sizes:
        end = p.find("a:endParaRPr", NS)
        sizes = [int(end.get("sz")) / 100] if end is not None and end.get("sz") else [18.0]
    size = max(sizes)
    bold = any(r.find("a:rPr", NS) is not None and r.find("a:rPr", NS).get("b") == "1" for r in runs)
    ppr = p.find("a:pPr", NS)
    indent = int(ppr.get("marL", 0)) if ppr is not None else 0
    before = p.find("a:pPr/a:spcBef/a:spcPts", NS)
    extra = int(int(before.get("val")) / 100 * EMU_PER_PT) if before is not None else 0
    return len(wrap(text, max(width - indent, 1), size, bold=bold)) * line_height(size) + extra


def test_shapes_lie_on_the_slide_and_texts_fit_their_boxes(rendered):
    for name, path in rendered.items():
        prs = open_deck(path.read_bytes())
        for slide in prs.slides:
            where = f"{name}: {slide_title(slide)}"
            for shape in slide.shapes:
                assert shape.left >= 0 and shape.top >= 0, (where, shape.name)
                assert shape.left + shape.width <= prs.slide_width, (where, shape.name)
                assert shape.top + shape.height <= prs.slide_height, (where, shape.name)
                if shape.has_text_frame:
                    body = shape.text_frame._txBody.find("a:bodyPr", NS)
                    insets = int(body.get("tIns", 45720)) + int(body.get("bIns", 45720))
                    sides = int(body.get("lIns", 91440)) + int(body.get("rIns", 91440))
                    need = sum(_paragraph_height(p, shape.width - sides) for p in shape.text_frame._txBody.findall("a:p", NS))
                    assert need <= shape.height - insets + EMU_PER_PT, (where, shape.name, shape.text_frame.text[:60])
                if shape.has_table:
                    columns = [c.width for c in shape.table.columns]
                    for row in shape.table.rows:
                        for cell, width in zip(row.cells, columns):
                            pad = cell.margin_top + cell.margin_bottom
                            room = width - cell.margin_left - cell.margin_right
                            need = sum(_paragraph_height(p, room) for p in cell._tc.txBody.findall("a:p", NS))
                            assert need + pad <= row.height + EMU_PER_PT, (where, cell.text_frame.text[:60])
                    assert sum(r.height for r in shape.table.rows) <= shape.height + EMU_PER_PT


def _tools() -> tuple[str, str, str]:
    found = [shutil.which(t) for t in ("soffice", "pdftoppm", "pdftotext")]
    if not all(found):
        missing("libreoffice", "LibreOffice (soffice) and poppler-utils (pdftoppm, pdftotext) are not installed")
    return tuple(found)  # type: ignore[return-value]


@pytest.fixture(scope="module")
def pdfs(rendered, tmp_path_factory):
    soffice, _, _ = _tools()
    out = tmp_path_factory.mktemp("pdf")
    profile = tmp_path_factory.mktemp("lo-profile")
    done = subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                           "--convert-to", "pdf", "--outdir", str(out), *[str(p) for p in rendered.values()]],
                          capture_output=True, text=True, timeout=600, check=False)
    result = {name: out / f"{path.stem}.pdf" for name, path in rendered.items()}
    missing = [n for n, p in result.items() if not p.exists()]
    assert not missing, (missing, done.stderr[-2000:])
    return result


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.DOTALL)


def test_libreoffice_renders_one_page_per_slide_and_every_word_inside_its_shape(rendered, pdfs, tmp_path):
    _, pdftoppm, pdftotext = _tools()
    for name, pdf in pdfs.items():
        prs = open_deck(rendered[name].read_bytes())
        layout = subprocess.run([pdftotext, "-enc", "UTF-8", "-bbox", str(pdf), "-"], capture_output=True,
                                check=True).stdout.decode("utf-8", errors="replace")
        pages = _PAGE.findall(layout)
        assert len(pages) == len(prs.slides), name
        for (width, height, words), slide in zip(pages, prs.slides):
            scale = float(width) / (prs.slide_width / EMU_PER_PT)
            assert abs(float(height) / (prs.slide_height / EMU_PER_PT) - scale) < 0.01  # the slide's aspect
            boxes = [(s.name, s.left / EMU_PER_PT * scale, s.top / EMU_PER_PT * scale,
                      (s.left + s.width) / EMU_PER_PT * scale, (s.top + s.height) / EMU_PER_PT * scale)
                     for s in slide.shapes]
            for x0, y0, x1, y1, text in ((*map(float, w[:4]), w[4]) for w in _WORD.findall(words)):
                assert 0 <= x0 and x1 <= float(width) + TOLERANCE_PT and 0 <= y0 and y1 <= float(height) + TOLERANCE_PT
                cx, top = (x0 + x1) / 2, y0 + 1
                owner = [b for b in boxes if b[1] - TOLERANCE_PT <= cx <= b[3] + TOLERANCE_PT
                         and b[2] - TOLERANCE_PT <= top <= b[4] + TOLERANCE_PT]
                assert owner, (name, slide_title(slide), text)
                # the word ends inside the (smallest) shape it starts in: no text runs out of its box
                box = min(owner, key=lambda b: (b[3] - b[1]) * (b[4] - b[2]))
                assert y1 <= box[4] + TOLERANCE_PT and x1 <= box[3] + TOLERANCE_PT, (name, slide_title(slide), box[0], text)
    # and the pages render to images of the slide's shape
    pdf = pdfs["template-4x3"]
    subprocess.run([pdftoppm, "-r", "20", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=300)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(open_deck(rendered["template-4x3"].read_bytes()).slides)
    from PIL import Image

    with Image.open(images[0]) as image:
        assert abs(image.size[0] / image.size[1] - 4 / 3) < 0.02


def test_an_override_with_the_longest_reason_is_one_cut_line_beside_each_score(rendered):
    prs = open_deck(rendered["overrides"].read_bytes())
    lines = [p.text for slide in prs.slides for s in slide.shapes if s.has_text_frame
             for p in s.text_frame.paragraphs if p.text.startswith("CSM override: ")]
    assert len(lines) == len(load_rubric_use_cases())
    for line in lines:
        assert re.fullmatch(r"CSM override: Green \(Wide reason( Wide reason)*( Wide)?\.\.\., until \d{4}-\d{2}-\d{2}\)", line), line


def load_rubric_use_cases() -> list:
    from adoptscore import load_rubric

    return load_rubric("gitlab").use_cases
