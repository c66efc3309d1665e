"""`adoptscore deck` as a user runs it: one account, a filtered portfolio in worker processes, and
bad input refused with one line, exit 2, nothing written."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adoptscore.cli import app
from adoptscore.deck.output import deck_stem
from tests.deck.conftest import HAZARDS, PERIOD
from tests.deck.pptx_reading import open_deck, slide_title
from tests.needs import missing

def run(*args: str, env: dict | None = None):
    # through the real app: its usage errors (a bad --color) are one line
    return CliRunner().invoke(app, ["deck", *[str(a) for a in args]], env={"ADOPTSCORE_DEBUG": "", **(env or {})})


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def test_one_account_in_two_formats(deck_store, tmp_path):
    target = tmp_path / "out" / "obrien.pptx"
    done = run(HAZARDS["quotes"], "--store", deck_store.path, "--period", PERIOD, "--out", target, "-f", "pptx", "-f", "html")
    assert done.exit_code == 0, done.output
    assert _files(tmp_path / "out") == ["obrien.html", "obrien.pptx"]  # and no temporary file left
    prs = open_deck(target.read_bytes())
    name = deck_store.sql("SELECT name FROM gitlab.accounts WHERE account_id = ?", [HAZARDS["quotes"]])[0][0]
    assert slide_title(prs.slides[0]) == name
    assert "obrien.pptx" in done.stdout


def test_out_ending_in_a_slash_is_a_folder_even_before_it_exists(deck_store, tmp_path):
    done = run(HAZARDS["quotes"], "--store", deck_store.path, "--period", PERIOD, "--out", f"{tmp_path}/new/", "-f", "html")
    assert done.exit_code == 0, done.output
    name = deck_store.sql("SELECT name FROM gitlab.accounts WHERE account_id = ?", [HAZARDS["quotes"]])[0][0]
    assert _files(tmp_path / "new") == [deck_stem(HAZARDS["quotes"], name) + ".html"]


def test_account_by_name_and_default_file_name(deck_store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    name = deck_store.sql("SELECT name FROM gitlab.accounts WHERE account_id = ?", [HAZARDS["script"]])[0][0]
    done = run(name, "--store", deck_store.path)
    assert done.exit_code == 0, done.output
    assert _files(tmp_path) == [deck_stem(HAZARDS["script"], name) + ".pptx"]
    assert _files(tmp_path) == ["A000007-script-alert-1-script-industries.pptx"]


def _bad(deck_store, tmp_path):
    not_pptx = tmp_path / "inputs" / "company.pptx"
    not_pptx.parent.mkdir()
    not_pptx.write_text("plain text")
    a_file = tmp_path / "inputs" / "file.txt"
    a_file.write_text("x")
    store = str(deck_store.path)
    out = tmp_path / "out"
    return {
        "unknown account": ((["A999999", "--store", store, "--out", out / "x.pptx"]), "no account 'A999999'"),
        "unknown period": ((["A000007", "--store", store, "--period", "2019-01", "--out", out / "x.pptx"]), "2019-01"),
        "template not pptx": ((["A000007", "--store", store, "--template", not_pptx, "--out", out / "x.pptx"]),
                              "not a PowerPoint file"),
        "output not writable": ((["A000007", "--store", store, "--out", a_file / "deck.pptx"]), "file.txt"),
        "portfolio into a file": ((["--all", "--store", store, "--out", a_file]), "file.txt"),
        "format mismatch": ((["A000007", "--store", store, "--out", out / "x.pdf", "-f", "pptx"]), ".pdf"),
        "account and --all": ((["A000007", "--all", "--store", store, "--out", out]), "not both"),
        "no account": ((["--store", store]), "which account"),
        "bad where": ((["--where", "nonsense >", "--store", store, "--out", out]), "--where"),
        "two statements": ((["--where", "1=1); DROP TABLE portfolio; --", "--store", store, "--out", out]), "--where"),
        "bad color": ((["--color", "purple", "--store", store, "--out", out]), "purple"),
        "nothing matches": ((["--segment", "Nope", "--store", store, "--out", out]), "matches"),
        "missing store": ((["A000007", "--store", tmp_path / "none.duckdb", "--out", out / "x.pptx"]), "not found"),
        "pdf without LibreOffice": ((["A000007", "--store", store, "-f", "pdf", "--out", out / "x.pdf"]), "LibreOffice"),
    }


CASES = ["unknown account", "unknown period", "template not pptx", "output not writable", "portfolio into a file",
         "format mismatch", "account and --all", "no account", "bad where", "two statements", "bad color",
         "nothing matches", "missing store", "pdf without LibreOffice"]


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_one_line_exit_2_nothing_written(deck_store, tmp_path, monkeypatch, case):
    monkeypatch.chdir(tmp_path)
    args, needle = _bad(deck_store, tmp_path)[case]
    before = _files(tmp_path)
    done = run(*args, env={"ADOPTSCORE_SOFFICE": "/nonexistent/soffice"})
    assert done.exit_code == 2, (case, done.output)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), (case, done.stderr)
    assert needle in lines[0], (case, lines[0])
    assert "Traceback" not in done.output
    assert _files(tmp_path) == before, case


def test_a_filtered_portfolio_in_two_worker_processes(deck_store, tmp_path):
    expected = [a for (a,) in deck_store.sql(
        "SELECT account_id FROM gitlab.overall WHERE period = ? AND segment = 'SMB' ORDER BY account_id LIMIT 5",
        [PERIOD])]
    folder = tmp_path / "decks"
    done = run("--segment", "smb", "--limit", "5", "--jobs", "2", "-f", "pptx", "-f", "html", "--store",
               deck_store.path, "--out", folder)
    assert done.exit_code == 0, done.output
    names = dict(deck_store.sql("SELECT account_id, name FROM gitlab.accounts"))
    stems = [deck_stem(a, names[a]) for a in expected]
    assert _files(folder) == sorted([f"{s}.html" for s in stems] + [f"{s}.pptx" for s in stems])
    for account, stem in zip(expected, stems):
        shown = "".join(ch for ch in names[account] if ch >= " ")  # control characters dropped
        assert slide_title(open_deck((folder / f"{stem}.pptx").read_bytes()).slides[0]) == shown
    assert "5 of 5 decks" in done.stdout


def test_portfolio_by_color_and_where(deck_store, tmp_path):
    none = [a for (a,) in deck_store.sql("SELECT account_id FROM gitlab.overall WHERE period = ? AND color IS NULL "
                                         "ORDER BY account_id", [PERIOD])]
    assert deck_store.all_missing in none
    folder = tmp_path / "none"
    done = run("--color", "none", "--jobs", "1", "--store", deck_store.path, "--out", folder, "-f", "html")
    assert done.exit_code == 0, done.output
    assert [f.split("-")[0] for f in _files(folder)] == none
    folder = tmp_path / "where"
    done = run("--where", f"account_id = '{HAZARDS['rtl']}' AND ci_color IS NOT NULL", "--jobs", "1", "--store",
               deck_store.path, "--out", folder, "-f", "html")
    assert done.exit_code == 0, done.output
    assert _files(folder) == [f"{HAZARDS['rtl']}.html"]   # an Arabic name gives no ASCII slug


def test_pdf_through_libreoffice(deck_store, tmp_path):
    if shutil.which("soffice") is None:
        missing("libreoffice", "LibreOffice (soffice) is not installed")
    target = tmp_path / "emoji.pdf"
    done = run(HAZARDS["emoji"], "--store", deck_store.path, "--out", target)
    assert done.exit_code == 0, done.output
    assert target.read_bytes().startswith(b"%PDF")
    assert _files(tmp_path) == ["emoji.pdf"]


def test_filters_select_what_sql_selects(deck_store, card):
    from adoptscore.deck.run import select_accounts

    owner = deck_store.sql("SELECT owner FROM gitlab.accounts ORDER BY account_id LIMIT 1")[0][0]
    expected = [a for (a,) in deck_store.sql(
        "SELECT o.account_id FROM gitlab.overall o JOIN gitlab.accounts a USING (account_id) WHERE o.period = ? "
        "AND a.owner = ? AND o.industry IN ('Retail', 'Healthcare') AND o.color IN ('red', 'yellow') "
        "ORDER BY o.account_id", [PERIOD, owner])]
    got = select_accounts(card, PERIOD, owners=[owner.upper()], segments=["retail", "HEALTHCARE"],
                          colors=["red", "yellow"])
    assert [a for a, _ in got] == expected and expected
