"""Account owners' overrides in the Gainsight export and the alerts, written through the team
database as serve writes them: columns and comment beside the computed score (which is unchanged),
alerts that say the override and are never left out for it, and the command line's --team-db
(default: the database beside the store, read only when it exists)."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from datetime import timedelta

import pandas as pd
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from adoptscore.commands.export import export_app
from adoptscore.exports.alerts import alert_rows
from adoptscore.exports.gainsight import COLUMNS, OVERRIDE_COLUMNS, measure_rows
from adoptscore.exports.source import StoredScores
from adoptscore.insights.scorecard import Scorecard
from adoptscore.team.config import default_database
from adoptscore.team.store import TeamStore, now

OTHER = {"green": "red", "yellow": "green", "red": "green"}
OVERRIDES = [n for n, _ in OVERRIDE_COLUMNS]


def run(*args):
    return CliRunner().invoke(export_app, [str(a) for a in args], env={"ADOPTSCORE_DEBUG": ""})


def _frame(rows) -> pd.DataFrame:
    return pa.Table.from_batches(list(rows.batches), rows.schema).to_pandas()


@pytest.fixture(scope="module")
def card(export_store):
    return Scorecard(export_store.path)


@pytest.fixture(scope="module")
def written(export_store, card, tmp_path_factory):
    """A team database with overrides of: the first two alerts' use cases (one reason holds a line
    break and a formula-like start), a scored use case of an account without alerts, a use case
    that does not apply, and one set and then ended (never shown). -> (path, {(account, use case): override})."""
    latest = export_store.periods()[-1]
    path = tmp_path_factory.mktemp("team") / "team.sqlite"
    team = TeamStore(path)
    drops = alert_rows(card).alerts
    assert len(drops) >= 2
    chosen = [(a["account_id"], a["use_case"], OTHER[a["color"]]) for a in drops[:2]]
    alerted = {a["account_id"] for a in drops}
    uc = export_store.df("SELECT account_id, use_case, color, status FROM gitlab.use_cases WHERE period = ? "
                         "ORDER BY account_id, use_case", [latest])
    quiet = uc[(uc.status == "scored") & ~uc.account_id.isin(alerted)].iloc[0]
    chosen.append((quiet.account_id, quiet.use_case, OTHER[quiet.color]))
    na = uc[uc.status == "not_applicable"].iloc[0]
    chosen.append((na.account_id, na.use_case, "yellow"))
    reasons = ["=Renewal signed\nlast week", "Champion left; new team onboarding", "Pilot on a second instance",
               "Buying Ultimate next quarter"]
    for (account, use_case, color), reason in zip(chosen, reasons):
        team.set_override(account, use_case, color, reason, "ana@example.com", days=30, max_days=90)
    ended = uc[(uc.status == "scored") & ~uc.account_id.isin([c[0] for c in chosen])].iloc[0]
    team.set_override(ended.account_id, ended.use_case, "green", "changed my mind", "bo@example.com", days=5, max_days=90)
    team.end_override(ended.account_id, ended.use_case, "bo@example.com")
    held = team.active_overrides()
    assert set(held) == {(a, u) for a, u, _ in chosen}
    team.close()
    return path, held


def test_measure_rows_carry_the_overrides_beside_the_unchanged_scores(export_store, written):
    path, held = written
    with StoredScores(export_store.path) as scores:
        plain = _frame(measure_rows(scores))
        got = _frame(measure_rows(scores, team=TeamStore(path, read_only=True)))
        later = _frame(measure_rows(scores, team=TeamStore(path, read_only=True), at=now() + timedelta(days=31)))
    computed = [n for n, _ in COLUMNS]
    pd.testing.assert_frame_equal(got[computed], plain[computed])    # the computed score, untouched
    assert plain[OVERRIDES].isna().all().all()                          # no team database: empty columns
    marked = got[got.override_color.notna()]
    assert {(r.account_id, r.measure_id) for r in marked.itertuples()} == set(held)
    for row in marked.itertuples():
        o = held[(row.account_id, row.measure_id)]
        assert row.override_color == o.color.title() and row.override_reason == o.reason
        assert row.override_by == "ana@example.com" and str(row.override_until) == o.expires_at[:10]
        assert row.color != row.override_color   # the computed color is there beside it
        said = f"CSM override: {o.color.title()} ({' '.join(o.reason.split())}, until {o.expires_at[:10]})."
        assert said in row.comment and len(row.comment) <= 250
        assert row.comment.index(said) > 0   # after the computed score's own explanation
    assert got[got.override_color.isna()].comment.str.contains("CSM override").sum() == 0
    assert later[OVERRIDES].isna().all().all()   # expired: read as no longer in force, nothing written
    # a use case that does not apply is said in words, never as the rubric's expression
    na = got[got.status == "not_applicable"].comment
    assert na.str.startswith("Not applicable: ").all()
    assert not na.str.contains(r"lower\(|contains\(").any()


def test_alerts_say_the_override_and_are_never_left_out_for_it(card, written):
    path, held = written
    plain = alert_rows(card)
    export = alert_rows(card, team=TeamStore(path, read_only=True))
    # the same alerts, in the same order, with the same keys
    assert [a["idempotency_key"] for a in export.alerts] == [a["idempotency_key"] for a in plain.alerts]
    marked = [a for a in export.alerts if a["override_color"]]
    assert {(a["account_id"], a["use_case"]) for a in marked} == {k for k in held if k in
                                                                   {(a["account_id"], a["use_case"]) for a in plain.alerts}}
    assert len(marked) == 2
    for alert in marked:
        o = held[(alert["account_id"], alert["use_case"])]
        assert (alert["override_color"], alert["override_reason"], alert["override_by"], alert["override_until"]) == \
            (o.color, o.reason, o.author, o.expires_at[:10])
        assert alert["summary"].endswith(f"; CSM override: {o.color.title()} ({' '.join(o.reason.split())}, "
                                         f"until {o.expires_at[:10]})")
        assert alert["color"] != o.color and "CSM override" in alert["why"]
    table = export.table()
    assert set(OVERRIDES) <= set(table.column_names)
    assert sum(v is not None for v in table.column("override_color").to_pylist()) == 2


def test_the_commands_read_the_team_database_beside_the_store_and_never_make_one(export_store, written, tmp_path):
    path, held = written
    store = tmp_path / "scores.duckdb"
    shutil.copy(export_store.path, store)
    gainsight = tmp_path / "g.csv"
    done = run("gainsight", "--store", store, "--out", gainsight)
    assert done.exit_code == 0, done.output
    assert not default_database(store).exists()   # nothing beside the store: no overrides, and no file made
    assert not any(r["override_color"] for r in csv.DictReader(io.StringIO(gainsight.read_text(encoding="utf-8"))))

    shutil.copy(path, default_database(store))      # where serve keeps it by default
    before = hashlib.sha256(default_database(store).read_bytes()).hexdigest()
    done = run("gainsight", "--store", store, "--out", gainsight)
    assert done.exit_code == 0, done.output
    rows = {(r["account_id"], r["measure_id"]): r for r in csv.DictReader(io.StringIO(gainsight.read_text(encoding="utf-8")))}
    for key, o in held.items():
        cells = rows[key]
        # the CSV guard: a reason starting with '=' is written with a leading quote
        reason = "'" + o.reason if o.reason.startswith("=") else o.reason
        assert (cells["override_color"], cells["override_reason"], cells["override_by"], cells["override_until"]) == \
            (o.color.title(), reason, o.author, o.expires_at[:10])
    assert sum(1 for r in rows.values() if r["override_color"]) == len(held)

    alerts = tmp_path / "alerts.json"
    done = run("alerts", "--store", store, "--out", alerts)
    assert done.exit_code == 0, done.output
    marked = [a for a in json.loads(alerts.read_text())["alerts"] if a["override_color"]]
    assert len(marked) == 2 and all("; CSM override: " in a["summary"] for a in marked)
    assert hashlib.sha256(default_database(store).read_bytes()).hexdigest() == before   # only read


@pytest.mark.parametrize("command", ["gainsight", "alerts"])
def test_a_named_team_database_that_is_missing_is_one_line_and_nothing_is_written(export_store, tmp_path, command):
    done = run(command, "--store", export_store.path, "--out", tmp_path / "out.csv", "--team-db", tmp_path / "typo.sqlite")
    assert done.exit_code == 2, done.output
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "typo.sqlite: team database not found" in lines[0], done.stderr
    assert list(tmp_path.iterdir()) == []
