"""Rubric diff: checked against colors and scores recomputed here from the engine's tables.

The expectations come from the metric values in ``result.metrics`` (numpy/pandas) and from
cross-tabulating the two versions' own result tables, never from the diff's output.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
import yaml
from typer.testing import CliRunner

import adoptscore
from adoptscore.demo import generate_usage
from adoptscore.errors import DataError, RubricError
from adoptscore.lifecycle.diff import MOVERS_SHOWN, STATES, diff
from adoptscore.report.document import Colored, ColorMix, Paragraph, Table

RUBRICS = Path(adoptscore.__file__).parent / "rubrics"


@pytest.fixture(scope="module")
def usage() -> pd.DataFrame:
    return generate_usage(accounts=300, months=10, seed=42).to_pandas()


@pytest.fixture(scope="module")
def latest(usage: pd.DataFrame) -> str:
    return str(usage["period"].max())


@pytest.fixture(scope="module")
def current(usage: pd.DataFrame) -> adoptscore.ScoreResult:
    return adoptscore.score(usage, "gitlab")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rubrics")


def _variant(folder: Path, name: str, edit) -> Path:
    """A copy of the bundled gitlab rubric with ``edit(document)`` applied."""
    document = yaml.safe_load((RUBRICS / "gitlab.yaml").read_text(encoding="utf-8"))
    edit(document)
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def _use_case(document: dict, use_case: str) -> dict:
    return next(u for u in document["use_cases"] if u["id"] == use_case)


@pytest.fixture(scope="module")
def ci_cut(folder: Path) -> Path:
    """The CI builds-per-user Red|Yellow cut moved from 2 to 5 (nothing else changes but the version)."""
    def edit(document: dict) -> None:
        document["version"] = "2025.2"
        _use_case(document, "ci")["metrics"][0]["bands"] = {"red": "<= 5", "yellow": "> 5 and <= 40", "green": "> 40"}
    return _variant(folder, "ci-cut", edit)


@pytest.fixture(scope="module")
def one_cut(usage: pd.DataFrame, ci_cut: Path):
    """Every period compared (the default, the latest period, is what ``versions`` uses)."""
    return diff(usage, "gitlab", ci_cut, period="all")


@pytest.fixture(scope="module")
def versions(usage: pd.DataFrame):
    return diff(usage, "gitlab-2022", "gitlab")


def _states(frame: pd.DataFrame) -> pd.Series:
    state = frame["color"].astype(object).where(frame["status"] == "scored", frame["status"].astype(object))
    return state.fillna("no_data")


# -- one threshold changed -------------------------------------------------------------------------

def _between_cuts(current: adoptscore.ScoreResult) -> pd.DataFrame:
    """CI metric rows (every period) whose value lies between the old cut (2) and the new (5)."""
    m = current.metrics
    ci = m[(m["metric"] == "ci_builds_per_user") & (m["status"] == "scored")]
    value = ci["value"].to_numpy(dtype=float)
    return ci[(value > 2) & (value <= 5)]


def test_one_cut_moves_exactly_the_accounts_between_the_old_and_new_cut(one_cut, current, usage):
    assert one_cut.periods == sorted(usage["period"].unique())
    assert one_cut.compared == len(current.overall)
    between = _between_cuts(current)
    expected = set(zip(between["account_id"], between["period"]))
    assert len(expected) > 20, "the demo must have accounts between the two cuts for this test to mean anything"
    movers = one_cut.movers_of("ci")
    assert {(mv.account_id, mv.period) for mv in movers} == expected
    assert all(mv.old_state == "yellow" and mv.new_state == "red" for mv in movers)
    t = one_cut.transition("ci")
    assert t.matrix["yellow"]["red"] == len(expected)
    assert t.changed == len(expected)
    for use_case in ("scm", "cd", "security", "license", "engagement"):
        assert one_cut.transition(use_case).changed == 0


def test_one_cut_names_the_metric_with_its_value_and_bands(one_cut, current):
    values = _between_cuts(current).set_index(["account_id", "period"])["value"]
    for mover in one_cut.movers_of("ci"):
        (move,) = mover.metrics
        assert (move.metric, move.change, move.old_state, move.new_state) == ("ci_builds_per_user", "changed", "yellow", "red")
        assert move.old_value == pytest.approx(values[(mover.account_id, mover.period)])
        assert move.new_value == move.old_value
        assert (move.old_band, move.new_band) == ("> 2 and <= 40", "<= 5")
        assert move.old_thresholds == "red <= 2; yellow > 2 and <= 40; green > 40"
        assert move.new_thresholds == "red <= 5; yellow > 5 and <= 40; green > 40"
        assert "CI Builds per Billable User" in mover.because()
        assert mover.old_score == pytest.approx(63) and mover.new_score == pytest.approx(25)


def test_one_cut_overall_movers_follow_the_recomputed_overall_score(one_cut, current):
    weights = {u.id: u.weight for u in current.rubric.use_cases}
    keys = ["account_id", "period"]
    between = _between_cuts(current)[keys].assign(moved=True)
    uc = current.use_cases
    uc = uc[uc["score"].notna()].merge(between, on=keys, how="left")
    uc.loc[uc["moved"].eq(True) & (uc["use_case"] == "ci"), "score"] = 25.0
    uc["w"] = uc["use_case"].map(weights)
    uc["ws"] = uc["w"] * uc["score"]
    sums = uc.groupby(keys)[["ws", "w"]].sum()
    new_score = sums["ws"] / sums["w"]
    new_color = pd.Series(np.where(new_score <= 50, "red", np.where(new_score <= 75, "yellow", "green")),
                          index=new_score.index)
    old = current.overall.set_index(keys)["color"]
    changed = old.to_numpy(dtype=object) != new_color.reindex(old.index).to_numpy(dtype=object)
    expected = set(old.index[changed])
    assert expected
    movers = one_cut.movers_of("overall")
    assert {(mv.account_id, mv.period) for mv in movers} == expected
    for mover in movers:
        assert mover.new_score == pytest.approx(new_score[(mover.account_id, mover.period)])
        assert [u.use_case for u in mover.use_cases] == ["ci"]
        assert [mv.metric for mv in mover.metrics] == ["ci_builds_per_user"]


def test_one_cut_rubric_changes(one_cut):
    changes = {(c.where, c.item): (c.change, c.old, c.new) for c in one_cut.changes}
    assert changes == {
        ("rubric", "version"): ("changed", "2025.1", "2025.2"),
        ("ci/ci_builds_per_user", "band red"): ("changed", "<= 2", "<= 5"),
        ("ci/ci_builds_per_user", "band yellow"): ("changed", "> 2 and <= 40", "> 5 and <= 40"),
    }


def test_one_cut_color_mix(one_cut):
    t = one_cut.transition("ci")
    mix = {row["state"]: row for row in t.mix()}
    n = t.matrix["yellow"]["red"]
    assert mix["red"]["change"] == n and mix["yellow"]["change"] == -n and mix["green"]["change"] == 0
    assert mix["red"]["share_change"] == pytest.approx(n / t.compared)
    assert sum(row["old"] for row in mix.values()) == t.compared == sum(row["new"] for row in mix.values())


# -- the bundled 2022 and 2025 versions ------------------------------------------------------------

def test_versions_transition_matrices_match_a_crosstab_of_both_results(versions, usage, latest):
    old = adoptscore.score(usage, "gitlab-2022", periods=[latest])
    new = adoptscore.score(usage, "gitlab", periods=[latest])
    keys = ["account_id", "period"]
    universe = pd.concat([old.overall[keys], new.overall[keys]]).drop_duplicates()
    assert versions.compared == len(universe)
    for use_case in ["overall", "scm", "ci", "cd", "security", "license", "engagement"]:
        frames = []
        for result in (old, new):
            table = result.overall if use_case == "overall" else result.use_cases[result.use_cases["use_case"] == use_case]
            frames.append(universe.merge(table.assign(state=_states(table))[keys + ["state"]], on=keys, how="left")
                          .set_index(keys)["state"].fillna("no_data"))
        expected = pd.crosstab(frames[0], frames[1].reindex(frames[0].index))
        matrix = versions.transition(use_case).matrix
        for o in STATES:
            for n in STATES:
                want = int(expected.loc[o, n]) if o in expected.index and n in expected.columns else 0
                assert matrix[o][n] == want, (use_case, o, n)
        moved = {a for (a, _), x, y in zip(frames[0].index, frames[0], frames[1].reindex(frames[0].index)) if x != y}
        assert {m.account_id for m in versions.movers_of(use_case)} == moved


def test_missing_data_is_never_red(versions):
    security = versions.transition("security")
    assert security.matrix["not_applicable"]["not_applicable"] > 0
    for state in ("red", "yellow", "green"):
        assert security.matrix["not_applicable"][state] == 0
        assert security.matrix[state]["not_applicable"] == 0


def test_versions_rubric_changes_match_the_yaml(versions):
    old = yaml.safe_load((RUBRICS / "gitlab-2022.yaml").read_text(encoding="utf-8"))
    new = yaml.safe_load((RUBRICS / "gitlab.yaml").read_text(encoding="utf-8"))

    def metric_ids(document: dict) -> set[str]:
        return {f"{u['id']}/{m['id']}" for u in document["use_cases"] for m in u["metrics"]}

    changes = versions.changes
    assert {c.where for c in changes if c.item == "metric" and c.change == "added"} == metric_ids(new) - metric_ids(old)
    assert {c.where for c in changes if c.item == "metric" and c.change == "removed"} == metric_ids(old) - metric_ids(new)
    by_item = {(c.where, c.item): c for c in changes}
    assert (by_item[("rubric", "version")].old, by_item[("rubric", "version")].new) == (old["version"], new["version"])
    for color in ("red", "yellow", "green"):
        if old["points"][color] != new["points"][color]:
            change = by_item[("rubric", f"points {color}")]
            assert float(change.old) == old["points"][color] and float(change.new) == new["points"][color]
        else:
            assert ("rubric", f"points {color}") not in by_item
    assert not any(c.where.startswith(("license", "engagement")) for c in changes)  # identical in both versions


def test_versions_movers_name_removed_and_added_metrics(versions):
    scm = versions.movers_of("scm")
    assert scm
    for mover in scm:
        kinds = {(mv.metric, mv.change) for mv in mover.metrics}
        assert kinds <= {("git_ops_per_license", "removed"), ("git_ops_utilization", "added")}
        assert kinds
    assert all(m.old_state != m.new_state for m in versions.movers)


def test_to_dict_is_json_ready_and_complete(versions):
    document = versions.to_dict()
    text = json.dumps(document, allow_nan=False)
    assert json.loads(text) == document
    assert len(document["movers"]) == len(versions.movers)
    assert document["old"] == {"name": "gitlab", "version": "2022.1"}


def test_report_blocks(versions):
    report = versions.report()
    figures = dict(report.figures)
    assert figures["accounts compared"] == f"{versions.compared:,}"
    assert "biggest mover" in figures
    matrices = [b for s in report.sections for b in s.blocks if isinstance(b, Table) and "total" in b.columns]
    assert len(matrices) == len(versions.transitions)
    assert all(isinstance(row[0], Colored) for table in matrices for row in table.rows[:-1])
    mixes = [b for s in report.sections for b in s.blocks if isinstance(b, ColorMix)]
    assert len(mixes) == len(versions.transitions) and all(len(m.bars) == 2 for m in mixes)
    movers = next(s for s in report.sections if s.title == "Accounts that change color")
    assert len(versions.movers) > MOVERS_SHOWN
    assert len(movers.blocks[0].rows) == MOVERS_SHOWN
    assert any(isinstance(b, Paragraph) and "JSON" in b.text for b in movers.blocks)


# -- options and errors ----------------------------------------------------------------------------

def test_identical_rubrics_have_no_movers(usage):
    same = diff(usage[usage["account_id"] <= "A000050"], "gitlab", "gitlab", period="2026-05")
    assert same.periods == ["2026-05"]
    assert same.movers == [] and same.changes == []
    assert same.report().warnings


def test_score_bands_and_removed_use_case_are_named(usage, folder):
    def edit(document: dict) -> None:
        document["version"] = "2025.9"
        document["score_bands"] = {"red": "<= 40", "yellow": "> 40 and <= 75", "green": "> 75"}
        document["use_cases"] = [u for u in document["use_cases"] if u["id"] != "engagement"]
    path = _variant(folder, "bands", edit)
    small = usage[usage["account_id"] <= "A000080"]
    result = diff(small, "gitlab", path)
    assert result.use_cases_removed == ["engagement"]
    assert "engagement" not in {t.use_case for t in result.transitions}
    assert ("engagement", "use case", "removed") in {(c.where, c.item, c.change) for c in result.changes}
    # a use case scoring in (40, 50] was Red and is now Yellow because of the bands alone
    checked = 0
    for mover in result.movers:
        if mover.use_case != "overall" and mover.old_score is not None and 40 < mover.old_score <= 50:
            assert "score bands" in mover.rubric_reasons and (mover.old_state, mover.new_state) == ("red", "yellow")
            assert mover.metrics == ()
            checked += 1
    assert checked
    overall = result.movers_of("overall")
    assert overall
    assert all(any(u.use_case == "engagement" and u.change == "removed" for u in mv.use_cases) or
               "score bands" in mv.rubric_reasons for mv in overall)


def test_unknown_period(usage):
    with pytest.raises(DataError, match="period '1999-01' is not in the data") as info:
        diff(usage, "gitlab", "gitlab", period="1999-01")
    assert "2026-10" in info.value.hint


def test_unrelated_rubrics_are_refused(usage):
    with pytest.raises(RubricError, match="no use case in common"):
        diff(usage, "gitlab", "innovation-graph")


def test_data_missing_a_column_of_either_rubric(usage):
    with pytest.raises(DataError, match="ci_pipeline_users_l28d"):
        diff(usage.drop(columns=["ci_pipeline_users_l28d"]), "gitlab-2022", "gitlab")


# -- the command -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def app() -> typer.Typer:
    from adoptscore.commands.diff import diff_command

    application = typer.Typer()
    application.command("diff")(diff_command)
    application.command("noop")(lambda: None)  # two commands, so the name is part of the command line
    return application


@pytest.fixture(scope="module")
def usage_file(usage: pd.DataFrame, folder: Path) -> Path:
    path = folder / "usage.parquet"
    usage[usage["account_id"] <= "A000060"].to_parquet(path)
    return path


def test_command_json_html_and_terminal(app, usage_file, ci_cut, tmp_path):
    result = CliRunner().invoke(app, ["diff", str(usage_file), "--old", "gitlab", "--new", str(ci_cut), "--json", "-"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["kind"] == "diff" and document["new"]["version"] == "2025.2"
    assert {m["use_case"] for m in document["movers"]} <= {"overall", "ci"}
    html, out = tmp_path / "diff.html", tmp_path / "diff.json"
    result = CliRunner().invoke(app, ["diff", str(usage_file), "--old", "gitlab-2022", "--new", "gitlab",
                                      "--period", "2026-09", "--html", str(html), "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "Rubric diff" in result.stdout
    assert json.loads(out.read_text(encoding="utf-8"))["periods"] == ["2026-09"]
    assert html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


def test_command_errors_are_one_line(app, usage_file, tmp_path):
    out = tmp_path / "never.json"
    result = CliRunner().invoke(app, ["diff", str(usage_file), "--old", "gitlab", "--new", "gitlab",
                                      "--period", "1999-01", "--json", str(out)])
    assert result.exit_code == 2
    assert "period '1999-01' is not in the data" in result.output and "Traceback" not in result.output
    assert not out.exists()
    result = CliRunner().invoke(app, ["diff", str(usage_file), "--old", "gitlab", "--new", "innovation-graph"])
    assert result.exit_code == 2 and "no use case in common" in result.output
    result = CliRunner().invoke(app, ["diff", str(usage_file), "--old", "gitlab", "--new", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
