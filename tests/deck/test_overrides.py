"""Account owners' overrides in the decks, written through the team database as serve writes them
and read back from the real .pptx: said beside the computed color on the overview table and the
use case's slide, the computed score unchanged, the team database only ever read."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adoptscore import load_rubric
from adoptscore.cli import app
from adoptscore.team.config import default_database
from adoptscore.team.store import TeamStore
from tests.deck.conftest import PERIOD
from tests.deck.pptx_reading import open_deck, shapes_named, slide_title, table_cells

RUBRIC = load_rubric("gitlab")
TITLES = {u.id: u.title for u in RUBRIC.use_cases}
OTHER = {"green": "red", "yellow": "green", "red": "green", None: "yellow"}


def run(*args):
    return CliRunner().invoke(app, ["deck", *[str(a) for a in args]], env={"ADOPTSCORE_DEBUG": ""})


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def computed(deck_store, account: str) -> dict[str, tuple]:
    return {u: (s, c, st) for u, s, c, st in deck_store.sql(
        "SELECT use_case, score, color, status FROM gitlab.use_cases WHERE account_id = ? AND period = ?",
        [account, PERIOD])}


@pytest.fixture
def team_beside(deck_store, tmp_path):
    """A copy of the store with a team database beside it (where serve keeps it by default), holding
    overrides of the Ultimate account (ci, security; scm set and then ended) and of the Premium one (cd)."""
    store = tmp_path / "scores.duckdb"
    shutil.copy(deck_store.path, store)
    team = TeamStore(default_database(store))
    now = computed(deck_store, deck_store.ultimate)
    wanted = {"ci": OTHER[now["ci"][1]], "security": OTHER[now["security"][1]]}
    for use_case, color in wanted.items():
        team.set_override(deck_store.ultimate, use_case, color, f"Customer moved {use_case} to a new team\nin Q3",
                          "ana@example.com", days=30, max_days=90)
    team.set_override(deck_store.ultimate, "scm", "green", "ended again", "ana@example.com", days=30, max_days=90)
    team.end_override(deck_store.ultimate, "scm", "ana@example.com")
    team.set_override(deck_store.premium, "cd", "red", "Premium's own reason", "bo@example.com", days=10, max_days=90)
    expected = {uc: o for (a, uc), o in team.active_overrides().items() if a == deck_store.ultimate}
    assert set(expected) == set(wanted)   # the ended one is not in force
    team.close()
    return store, expected


def said(prs) -> dict[str, str]:
    """Use case title -> the override line of its slide ("" when it has none)."""
    found = {}
    for slide in prs.slides:
        title = slide_title(slide)
        if title not in TITLES.values():
            continue
        lines = [p.text for s in slide.shapes if s.has_text_frame and not s.name.startswith("Title")
                 for p in s.text_frame.paragraphs if "override" in p.text.lower()]
        found[title] = " | ".join(lines)
    return found


def test_a_deck_says_each_override_beside_the_computed_color(deck_store, team_beside, tmp_path):
    store, overrides = team_beside
    database = default_database(store)
    before = digest(database)
    target = tmp_path / "ultimate.pptx"
    done = run(deck_store.ultimate, "--store", store, "--period", PERIOD, "--out", target)
    assert done.exit_code == 0, done.output
    prs = open_deck(target.read_bytes())
    now = computed(deck_store, deck_store.ultimate)

    lines = said(prs)
    assert set(lines) == set(TITLES.values())
    for use_case, title in TITLES.items():
        o = overrides.get(use_case)
        if o is None:
            assert lines[title] == "", (use_case, lines[title])   # scm's ended override is not shown
            continue
        assert lines[title] == (f"CSM override: {o.color.title()} (Customer moved {use_case} to a new team in Q3, "
                                f"until {o.expires_at[:10]})")
        slide = next(s for s in prs.slides if slide_title(s) == title)
        # the tile beside it still shows the computed score and color
        tile = next(s.text_frame.text for s in slide.shapes if s.has_text_frame and s.text_frame.text.startswith("Score"))
        score, color, _ = now[use_case]
        assert f"{score:.1f}" in tile and color.title() in tile
        notes = slide.notes_slide.notes_text_frame.text
        assert "set by ana@example.com" in notes and "The score shown is the computed one." in notes

    overview = next(s for s in prs.slides if slide_title(s) == "Adoption overview")
    rows = {r[0].text: r for r in table_cells(shapes_named(overview, "Table: use_cases")[0])[1:]}
    for use_case, title in TITLES.items():
        score, color, status = now[use_case]
        rating = rows[title][2]
        assert rating.text == (color.title() if color else ("not applicable" if status == "not_applicable" else "no data"))
        o = overrides.get(use_case)
        assert rating.detail == (f"CSM: {o.color.title()}" if o else "")
        assert rows[title][1].text == (f"{score:.1f}" if score is not None else "no data")
    assert "Premium's own reason" not in "\n".join(lines.values())   # another account's override stays there
    assert digest(database) == before   # only read


def test_a_portfolio_in_workers_reads_a_named_team_database(deck_store, team_beside, tmp_path):
    store, overrides = team_beside
    elsewhere = tmp_path / "elsewhere" / "team.sqlite"
    elsewhere.parent.mkdir()
    shutil.move(default_database(store), elsewhere)
    for side in ("-wal", "-shm"):   # a database in WAL mode moves with its side files
        if Path(str(default_database(store)) + side).exists():
            shutil.move(str(default_database(store)) + side, str(elsewhere) + side)
    done = run("--all", "--store", store, "--period", PERIOD, "--where",
               f"account_id IN ('{deck_store.ultimate}', '{deck_store.premium}', '{deck_store.some_missing}')",
               "--jobs", "2", "--out", tmp_path / "decks", "--team-db", elsewhere)
    assert done.exit_code == 0, done.output
    decks = {p.name.split("-")[0]: open_deck(p.read_bytes()) for p in (tmp_path / "decks").glob("*.pptx")}
    assert len(decks) == 3
    assert said(decks[deck_store.premium])[TITLES["cd"]].startswith("CSM override: Red (Premium's own reason, until ")
    assert [t for t, line in said(decks[deck_store.ultimate]).items() if line] == \
        [TITLES[u] for u in TITLES if u in overrides]
    assert not any(said(decks[deck_store.some_missing]).values())
    assert not default_database(store).exists()   # the default was not made instead


def test_without_a_team_database_a_deck_shows_none_and_makes_none(deck_store, tmp_path):
    store = tmp_path / "scores.duckdb"
    shutil.copy(deck_store.path, store)
    done = run(deck_store.ultimate, "--store", store, "--period", PERIOD, "--out", tmp_path / "d.pptx")
    assert done.exit_code == 0, done.output
    assert not any(said(open_deck((tmp_path / "d.pptx").read_bytes())).values())
    assert not default_database(store).exists() and not list(tmp_path.glob("*.sqlite*"))


def test_a_named_team_database_that_is_missing_is_one_line_and_nothing_is_written(deck_store, tmp_path):
    missing = tmp_path / "typo.sqlite"
    done = run(deck_store.ultimate, "--store", deck_store.path, "--out", tmp_path / "d.pptx", "--team-db", missing)
    assert done.exit_code == 2, done.output
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "typo.sqlite: team database not found" in lines[0], done.stderr
    assert list(tmp_path.iterdir()) == []   # neither the deck nor the database


def test_a_use_case_that_does_not_apply_is_said_in_words_not_the_expression(deck_store, tmp_path):
    target = tmp_path / "premium.pptx"
    done = run(deck_store.premium, "--store", deck_store.path, "--period", PERIOD, "--out", target)
    assert done.exit_code == 0, done.output
    assert computed(deck_store, deck_store.premium)["security"][2] == "not_applicable"
    slide = next(s for s in open_deck(target.read_bytes()).slides if slide_title(s) == TITLES["security"])
    texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame] + [slide.notes_slide.notes_text_frame.text]
    sentence = "Security (DevSecOps) applies only to accounts whose tier includes Ultimate."
    assert any(t.startswith(sentence) for t in texts), texts
    assert f"Not applicable: {sentence}" in texts[-1]
    assert not any("lower(" in t or "contains(" in t for t in texts), texts
