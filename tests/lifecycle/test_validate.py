"""validate: hand-computable agreement on a tiny portfolio, what would flip a disagreement, periods,
every labels-file mistake as one located error, and the command end to end."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
import typer
from sklearn.metrics import cohen_kappa_score
from typer.testing import CliRunner

import adoptscore
from adoptscore.commands.validate import validate_command
from adoptscore.errors import DataError
from adoptscore.lifecycle import validate as validate_module
from adoptscore.lifecycle.agreement import ORDER
from adoptscore.lifecycle.validate import Validation, _steps, validate
from adoptscore.report.document import Colored, Report, Table
from adoptscore.rubric.bands import parse_interval
from tests.conftest import frame, usage_row

GITLAB_IDS = "scm, ci, cd, security, license, engagement, overall"


def _rows() -> list[dict]:
    # 1000 billable users, every metric yellow unless changed (see tests/conftest.py usage_row)
    return [
        usage_row("red1", git_ops_users_l28d=50),                     # SCM 5%  -> red
        usage_row("red1", period="2026-09", git_ops_users_l28d=500),  # SCM 50% -> green, a month earlier
        usage_row("yel1"),                                            # SCM 20% -> yellow
        usage_row("grn1", git_ops_users_l28d=500),                    # SCM 50% -> green
        usage_row("nodata", git_ops_users_l28d=None),                 # SCM no data
        usage_row("prem", tier="SaaS - Premium"),                     # Security not applicable
        # License by account age: 60% of seats is red from month 10, yellow in months 7-9
        usage_row("lic_old", billable_users=600, unique_active_users_l28d=360),
        usage_row("lic_mid", billable_users=600, unique_active_users_l28d=360, account_age_months=8),
        usage_row("stale", period="2026-08"),                         # no row in the latest month
    ]


@pytest.fixture(scope="module")
def usage() -> pd.DataFrame:
    return frame(_rows())


@pytest.fixture(scope="module")
def scored(usage) -> adoptscore.ScoreResult:
    result = adoptscore.score(usage, "gitlab")
    result.use_cases, result.overall, result.metrics  # noqa: B018 - warm the cache once for the module
    return result


def write(tmp_path: Path, text: str, name: str = "labels.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "account_id,use_case,expected_color,period,note\n"
BASIC = HEADER + (
    "red1,scm,red,2026-10,\n"
    "yel1,scm,yellow,2026-10,\n"
    "grn1,scm,yellow,2026-10,CSM: only one team really uses it\n"
    "red1,ci,yellow,2026-10,\n"
    "prem,security,green,2026-10,\n"
    "nodata,scm,red,2026-10,\n"
)


@pytest.fixture(scope="module")
def basic(scored, tmp_path_factory) -> Validation:
    return validate(scored, None, write(tmp_path_factory.mktemp("labels"), BASIC))


def agreement(v: Validation, use_case: str):
    return next(a for a in v.use_cases if a.use_case == use_case)


# -- agreement -------------------------------------------------------------------------------------

def test_hand_computed_agreement(basic):
    scm = agreement(basic, "scm")
    # red1 red/red, yel1 yellow/yellow, grn1 yellow/green; nodata has no SCM score
    assert scm.labels == 4 and scm.compared == 3 and scm.agreeing == 2
    assert scm.rate == pytest.approx(2 / 3)
    assert scm.matrix.tolist() == [[1, 0, 0], [0, 1, 1], [0, 0, 0]]
    assert scm.not_scored == {"no_data": 1}
    expected, got = ["red", "yellow", "yellow"], ["red", "yellow", "green"]
    assert scm.kappa.value == pytest.approx(cohen_kappa_score(expected, got, labels=list(ORDER)))
    assert scm.linear.value == pytest.approx(cohen_kappa_score(expected, got, labels=list(ORDER), weights="linear"))
    assert scm.quadratic.value == pytest.approx(
        cohen_kappa_score(expected, got, labels=list(ORDER), weights="quadratic"))

    security = agreement(basic, "security")
    assert security.labels == 1 and security.compared == 0 and security.not_scored == {"not_applicable": 1}
    assert security.rate is None and security.kappa.value is None and security.kappa.reason

    total = basic.total
    # the CI label agrees (10 builds per user is yellow); not-scored labels count neither way
    assert (total.labels, total.compared, total.agreeing) == (6, 4, 3)
    assert total.rate == pytest.approx(0.75)
    assert [a.use_case for a in basic.use_cases] == ["scm", "ci", "cd", "security", "license", "engagement"]


def test_not_scored_labels_are_never_red_or_agreement(basic):
    labels = {(o.account_id, o.use_case): o for o in basic.labels}
    nodata = labels[("nodata", "scm")]
    assert nodata.scored is None and nodata.status == "no_data" and nodata.agrees is None
    assert labels[("prem", "security")].status == "not_applicable"
    assert int(agreement(basic, "scm").matrix[0].sum()) == 1  # only red1 in the red row


def test_disagreement_details(basic):
    assert len(basic.disagreements) == 1
    d = basic.disagreements[0]
    assert (d.label.account_id, d.label.use_case, d.label.expected, d.label.scored) == ("grn1", "scm", "yellow", "green")
    assert d.label.score == pytest.approx(88.0) and d.label.note == "CSM: only one team really uses it"
    [metric] = d.components
    assert metric.id == "git_ops_utilization" and metric.value == pytest.approx(0.5)
    assert metric.value_text == "50.0%" and (metric.numerator, metric.denominator) == (500, 1000)
    assert metric.band == "> 33%" and metric.color == "green" and metric.points == 88
    assert metric.thresholds == "red <= 10%, yellow > 10% and <= 33%, green > 33%"
    # toward the owner's yellow: at or below 33% the metric is yellow (63 points)
    assert [(s.color, s.operator, s.value, s.text, s.points) for s in metric.flip] == [
        ("yellow", "<=", 0.33, "<= 33.0%", 63.0)]
    assert [(s.color, s.text) for s in d.score_flip] == [("yellow", "<= 75.0")]


def test_flip_steps_toward_green(scored, tmp_path):
    v = validate(scored, None, write(tmp_path, HEADER + "red1,scm,green,2026-10,\n"))
    [d] = v.disagreements
    [metric] = d.components
    assert [(s.color, s.text, s.points) for s in metric.flip] == [("yellow", "> 10.0%", 63.0), ("green", "> 33.0%", 88.0)]
    assert [(s.color, s.text) for s in d.score_flip] == [("yellow", "> 50.0"), ("green", "> 75.0")]
    assert d.steps == 2


def test_band_table_metric_uses_the_account_age_case(scored, tmp_path):
    v = validate(scored, None, write(tmp_path, HEADER + "lic_old,license,green,2026-10,\nlic_mid,license,green,2026-10,\n"))
    flips = {d.label.account_id: d.components[0] for d in v.disagreements}
    old, mid = flips["lic_old"], flips["lic_mid"]
    assert old.color == "red" and old.value_text == "60.0%"
    assert old.thresholds == "red <= 75%, green > 75% (account_age_months 12: >= 10)"
    assert [(s.color, s.text) for s in old.flip] == [("green", "> 75.0%")]
    assert mid.color == "yellow" and "(account_age_months 8: >= 7 and < 10)" in mid.thresholds
    assert [(s.color, s.text) for s in mid.flip] == [("green", "> 75.0%")]


def test_overall_label(scored, tmp_path):
    v = validate(scored, None, write(tmp_path, HEADER + "yel1,overall,green,2026-10,\n"))
    overall = agreement(v, "overall")
    assert overall.labels == 1 and overall.compared == 1 and overall.agreeing == 0
    [d] = v.disagreements
    # (4 x 15 x 63 + 30 x 88 + 10 x 63) / 100 = 70.5: yellow
    assert d.label.scored == "yellow" and d.label.score == pytest.approx(70.5)
    by_id = {c.id: c for c in d.components}
    assert set(by_id) == {"scm", "ci", "cd", "security", "license", "engagement"}
    assert by_id["scm"].value_text == "63.0" and by_id["scm"].flip_text() == "> 75.0 -> green"
    assert by_id["license"].color == "green" and by_id["license"].flip == [] and "already green" in by_id["license"].flip_note


def test_lower_is_better_bands_step_down_in_value():
    ordered = sorted([("green", parse_interval("<= 1")), ("yellow", parse_interval("> 1 and <= 5")),
                      ("red", parse_interval("> 5"))], key=lambda p: p[1].sort_key)
    steps, why = _steps(ordered, "red", 7.0, True, "green", ".1f")
    assert why is None and [(s.color, s.text) for s in steps] == [("yellow", "<= 5.0"), ("green", "<= 1.0")]
    steps, why = _steps(ordered, "green", 0.5, True, "green", ".1f")
    assert steps == [] and "already green" in why
    steps, _ = _steps(ordered, "green", 0.5, False, "red", ".1f")
    assert [(s.color, s.text) for s in steps] == [("yellow", "> 1.0"), ("red", "> 5.0")]


def test_color_spellings(scored, tmp_path):
    v = validate(scored, None, write(tmp_path, HEADER + "red1,scm, R ,2026-10,\nyel1,SCM,Yellow,2026-10,\ngrn1,scm,G,,\n"))
    assert [o.expected for o in v.labels] == ["red", "yellow", "green"]
    assert v.total.rate == 1.0 and v.disagreements == []


# -- periods ---------------------------------------------------------------------------------------

def test_period_resolution(scored, tmp_path):
    labels = HEADER + ("red1,scm,red,,\n"              # the account's latest: 2026-10, red
                       "red1,scm,green,2026/9,\n"      # 2026-09: 50% -> green
                       "grn1,scm,green,2026-10-15,\n"  # a date means its month
                       "stale,scm,yellow,,\n")         # only 2026-08 in the data
    v = validate(scored, None, write(tmp_path, labels))
    used = [(o.account_id, o.period, o.period_source, o.scored) for o in v.labels]
    assert used == [("red1", "2026-10", "latest", "red"), ("red1", "2026-09", "label", "green"),
                    ("grn1", "2026-10", "label", "green"), ("stale", "2026-08", "latest", "yellow")]
    assert any("stale (2026-08)" in w and "older than 2026-10" in w for w in v.warnings)


def test_period_argument_for_labels_without_one(scored, tmp_path):
    v = validate(scored, None, write(tmp_path, HEADER + "red1,scm,green,,\nyel1,scm,yellow,2026-10,\n"), period="2026-09")
    assert [(o.period, o.period_source) for o in v.labels] == [("2026-09", "--period"), ("2026-10", "label")]
    assert v.total.rate == 1.0


def test_scores_only_the_labelled_accounts_and_periods(usage, tmp_path, monkeypatch):
    calls = []
    real = adoptscore.api.score

    def spy(data, rubric, **kwargs):
        calls.append(kwargs)
        return real(data, rubric, **kwargs)

    monkeypatch.setattr(adoptscore.api, "score", spy)
    v = validate(usage, "gitlab", write(tmp_path, HEADER + "red1,scm,red,2026-10,\ngrn1,scm,green,2026-10,\n"))
    assert v.total.rate == 1.0
    assert calls[0]["accounts"] == ["grn1", "red1"] and calls[0]["periods"] == ["2026-10"]
    calls.clear()
    validate(usage, "gitlab", write(tmp_path, HEADER + "red1,scm,red,,\n"))
    assert calls[0]["accounts"] == ["red1"] and calls[0]["periods"] is None  # the latest period is looked up


# -- warnings and output ---------------------------------------------------------------------------

def test_warnings(basic):
    text = "\n".join(basic.warnings)
    assert "no labels for cd, license, engagement" in text
    assert "fewer than 15 labelled accounts (the handbook asks for 15-20 per use case): scm 4, ci 1, security 1" in text
    assert "scm: 1 label has no score" in text and "nodata 2026-10 (no data)" in text
    assert "security: 1 label has no score" in text and "prem 2026-10 (not applicable)" in text
    # ci has one agreeing label: yellow on both sides, so kappa is undefined and said so
    assert any(w.startswith("ci: kappa undefined") and "yellow" in w for w in basic.warnings)
    assert not any(w.startswith("security: kappa") for w in basic.warnings)  # nothing compared: said once


def test_passed(basic):
    assert basic.passed(0.75) and basic.passed(0.5) and not basic.passed(0.76)


def test_to_dict_is_strict_json(basic):
    data = json.loads(json.dumps(basic.to_dict(), allow_nan=False))
    assert data["rubric"] == {"name": "gitlab", "version": "2025.1"}
    assert data["total"]["agreement"] == 0.75 and data["total"]["compared"] == 4
    scm = next(u for u in data["use_cases"] if u["use_case"] == "scm")
    assert scm["confusion"]["matrix"] == [[1, 0, 0], [0, 1, 1], [0, 0, 0]] and scm["not_scored"] == {"no_data": 1}
    security = next(u for u in data["use_cases"] if u["use_case"] == "security")
    assert security["kappa"] is None and security["kappa_reason"]
    [d] = data["disagreements"]
    assert d["components"][0]["flip"][0]["text"] == "<= 33.0%" and d["note"] == "CSM: only one team really uses it"
    first = data["labels"][0]
    assert (first["account_id"], first["period_source"], first["line"]) == ("red1", "label", 2)


def test_report(basic):
    report = basic.report()
    assert isinstance(report, Report)
    figures = dict(report.figures)
    assert figures["agreement"] == "75.0% (3 of 4)" and figures["labels"] == "6 (2 not scored)"
    assert figures["Cohen's kappa"] == f"{basic.total.kappa.value:.2f}"
    assert report.warnings == basic.warnings
    titles = [s.title for s in report.sections]
    assert titles == ["Agreement per use case", "Confusion matrices", "Disagreements (1)", "Labels"]
    matrices = [b for b in report.sections[1].blocks if isinstance(b, Table)]
    scm = matrices[0]
    assert scm.columns[1:4] == list(ORDER)
    assert scm.rows[1][0] == Colored("yellow", "yellow") and scm.rows[1][1:] == [0, 1, 1, 0]
    assert scm.rows[0][1:] == [1, 0, 0, 1]  # the no-data red label is in "not scored"
    headline, detail = report.sections[2].blocks
    assert "grn1" in headline.text and "CSM: only one team really uses it" in headline.text
    assert detail.rows[0][-1] == "<= 33.0% -> yellow (63 points)"


def test_labels_as_data_frame_and_usage_as_frame(usage):
    labels = pd.DataFrame({"account_id": ["red1", "grn1"], "use_case": ["scm", "scm"],
                           "expected_color": ["red", "yellow"], "period": ["2026-10", None], "note": [None, math.nan]})
    v = validate(usage, "gitlab", labels)
    assert v.total.compared == 2 and v.total.agreeing == 1
    assert [o.note for o in v.labels] == [None, None]
    json.dumps(v.to_dict(), allow_nan=False)


# -- bad input -------------------------------------------------------------------------------------

ERRORS = {
    "unknown use case": (HEADER + "red1,scm,red,2026-10,\nred1,sccm,red,2026-10,\n",
                         3, 2, ["'sccm' is not in rubric gitlab", GITLAB_IDS]),
    "unknown color": (HEADER + "red1,scm,amber,2026-10,\n", 2, 3,
                      ["expected_color 'amber' is not a color", "red, yellow or green"]),
    "empty color": (HEADER + "red1,scm,,2026-10,\n", 2, 3, ["expected_color empty"]),
    "empty account": (HEADER + ",scm,red,2026-10,\n", 2, 1, ["account_id is empty"]),
    "account not in data": (HEADER + "red1,scm,red,,\nzzz,scm,red,,\n", 3, 1,
                            ["account 'zzz' has no scored rows", "licensed_users > 0"]),
    "period does not parse": (HEADER + "red1,scm,red,Oct 2026,\n", 2, 4,
                              ["period 'Oct 2026' does not parse as a month", "YYYY-MM"]),
    "impossible month": (HEADER + "red1,scm,red,2026-13,\n", 2, 4, ["does not parse"]),
    "period not for this account": (HEADER + "red1,scm,red,2026-08,\n", 2, 4,
                                    ["account 'red1' has no scored row in period 2026-08", "2026-09, 2026-10"]),
    "period not in the data": (HEADER + "red1,scm,red,2025-01,\n", 2, 4,
                               ["no labelled account has data in that period", "2026-09, 2026-10"]),
    "duplicate": (HEADER + "red1,scm,red,2026-10,\nyel1,scm,red,2026-10,\nred1,scm,yellow,,\n", 4, 2,
                  ["duplicate label", "red1", "already labelled at line 2"]),
}


@pytest.mark.parametrize("case", ERRORS)
def test_bad_labels(case, scored, tmp_path):
    text, line, column, needles = ERRORS[case]
    path = write(tmp_path, text)
    with pytest.raises(DataError) as info:
        validate(scored, None, path)
    error = info.value
    assert (error.file, error.line, error.column) == (str(path), line, column), error.format()
    for needle in needles:
        assert needle in error.format(), (needle, error.format())
    assert error.hint


def test_bad_labels_through_a_fresh_scoring(usage, tmp_path):
    # the same errors when validate scores the data itself (filtered to the labelled accounts/periods)
    path = write(tmp_path, HEADER + "red1,scm,red,2026-08,\n")
    with pytest.raises(DataError, match=r"has no scored row in period 2026-08") as info:
        validate(usage, "gitlab", path)
    assert "2026-09, 2026-10" in info.value.hint
    with pytest.raises(DataError, match="'zzz' has no scored rows"):
        validate(usage, "gitlab", write(tmp_path, HEADER + "zzz,scm,red,2026-10,\n"))


@pytest.mark.parametrize("text, needle", [
    ("", "labels file is empty"),
    (HEADER, "labels file has no rows"),
    ("account_id,use_case\nred1,scm\n", "labels file has no column expected_color"),
])
def test_empty_or_incomplete_file(text, needle, scored, tmp_path):
    with pytest.raises(DataError, match=needle):
        validate(scored, None, write(tmp_path, text))


def test_bad_period_argument(scored, tmp_path):
    with pytest.raises(DataError, match="--period '2026-13' does not parse"):
        validate(scored, None, write(tmp_path, HEADER + "red1,scm,red,,\n"), period="2026-13")


def test_json_labels_point_at_the_record(scored, tmp_path):
    path = write(tmp_path, json.dumps([{"account_id": "red1", "use_case": "scm", "expected_color": "red"},
                                       {"account_id": "red1", "use_case": "scm", "expected_color": "purple"}]),
                 "labels.json")
    with pytest.raises(DataError, match="record 2: expected_color 'purple'"):
        validate(scored, None, path)


def test_scores_of_another_rubric_are_refused(scored, tmp_path):
    with pytest.raises(DataError, match="not gitlab 2022"):
        validate(scored, "gitlab-2022", write(tmp_path, BASIC))


# -- the command -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False, add_completion=False)
    app.command("validate")(validate_command)
    app.command("noop")(lambda: None)  # two commands, so "validate" is a subcommand as in the real CLI
    return app


@pytest.fixture(scope="module")
def usage_csv(usage, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("data") / "usage.csv"
    usage.to_csv(path, index=False)
    return path


def invoke(app: typer.Typer, *args: str):
    return CliRunner(env={"COLUMNS": "200"}).invoke(app, ["validate", *map(str, args)])


def test_command_json_to_stdout(cli, usage_csv, tmp_path):
    done = invoke(cli, usage_csv, "--labels", write(tmp_path, BASIC), "--json", "-")
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert data["total"]["agreement"] == 0.75 and len(data["disagreements"]) == 1


def test_command_below_min_agreement_writes_then_exits_1(cli, usage_csv, tmp_path):
    out = tmp_path / "out.json"
    done = invoke(cli, usage_csv, "--labels", write(tmp_path, BASIC), "--json", out, "--min-agreement", "0.9", "-q")
    assert done.exit_code == 1, done.output
    assert json.loads(out.read_text())["total"]["agreement"] == 0.75
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines[-1] == "agreement 0.750 (3 of 4 labels) below --min-agreement 0.9"


def test_command_reaching_min_agreement_exits_0(cli, usage_csv, tmp_path):
    done = invoke(cli, usage_csv, "--labels", write(tmp_path, BASIC), "--json", tmp_path / "o.json",
                  "--min-agreement", "0.75", "--quiet")
    assert done.exit_code == 0, done.output


@pytest.mark.parametrize("args, needle", [
    (["--min-agreement", "80"], "--min-agreement 80 is not a share between 0 and 1 (fix: write 0.8 for 80%)"),
    (["--min-agreement", "-0.1"], "not a share between 0 and 1"),
    (["--rubric", "nope"], "nope"),
])
def test_command_bad_options(cli, usage_csv, tmp_path, args, needle):
    out = tmp_path / "out.json"
    done = invoke(cli, usage_csv, "--labels", write(tmp_path, BASIC), "--json", out, *args)
    assert done.exit_code == 2, done.output
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], done.stderr
    assert not out.exists()


def test_command_bad_labels_write_nothing(cli, usage_csv, tmp_path):
    labels = write(tmp_path, HEADER + "red1,scm,amber,2026-10,\n")
    out, html = tmp_path / "out.json", tmp_path / "out.html"
    done = invoke(cli, usage_csv, "--labels", labels, "--json", out, "--html", html)
    assert done.exit_code == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and f"{labels}:2:3: expected_color 'amber' is not a color" in lines[0], done.stderr
    assert "Traceback" not in done.output
    assert not out.exists() and not html.exists()


def test_command_terminal_and_html(cli, usage_csv, tmp_path):
    html = tmp_path / "out.html"
    done = invoke(cli, usage_csv, "--labels", write(tmp_path, BASIC), "--html", html)
    assert done.exit_code == 0, done.output
    assert "grn1" in done.stdout and "agreement" in done.stdout.lower()
    page = html.read_text()
    assert "grn1" in page and "CSM: only one team really uses it" in page


def test_module_docstring_names_the_accepted_colors():
    assert "r``, ``y``" in validate_module.__doc__


def test_parquet_labels_with_dates_as_periods(scored, tmp_path):
    path = tmp_path / "labels.parquet"
    pd.DataFrame({"account_id": ["red1", "red1"], "use_case": ["scm", "scm"], "expected_color": ["RED", "green"],
                  "period": pd.to_datetime(["2026-10-01", "2026-09-01"])}).to_parquet(path)
    v = validate(scored, None, path)
    assert [(o.period, o.scored, o.line) for o in v.labels] == [("2026-10", "red", 1), ("2026-09", "green", 2)]
    assert v.total.rate == 1.0 and v.labels_source == str(path)
