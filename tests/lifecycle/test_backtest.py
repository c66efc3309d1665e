"""Backtest: AUC and ROC against scikit-learn, a hand-worked portfolio, every bad input, the command."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import roc_auc_score, roc_curve
from typer.testing import CliRunner

from adoptscore.errors import DataError, RubricError
from adoptscore.lifecycle.backtest import backtest, read_outcomes, shift_month
from adoptscore.lifecycle.ranking import auc, roc_points
from adoptscore.report.document import BarChart, Curve
from tests.conftest import frame, usage_row

# -- AUC and ROC -----------------------------------------------------------------------------------

cases = st.integers(2, 60).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, 6), min_size=n, max_size=n),          # few values: many ties
    st.lists(st.booleans(), min_size=n, max_size=n)))


@settings(max_examples=150, deadline=None)
@given(cases)
def test_auc_matches_sklearn_with_ties(case):
    values, labels = case
    y = np.asarray(labels)
    if y.all() or not y.any():
        assert auc(values, y) is None and roc_points(values, y) == ([], [])
        return
    assert auc(values, y) == pytest.approx(roc_auc_score(y, values))
    fpr, tpr, _ = roc_curve(y, values, drop_intermediate=False)
    ours = roc_points(values, y)
    assert ours[0] == pytest.approx(list(fpr)) and ours[1] == pytest.approx(list(tpr))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=40), st.randoms(use_true_random=False))
def test_auc_matches_sklearn_on_real_values(values, random):
    labels = np.asarray([random.random() < 0.4 for _ in values])
    if labels.all() or not labels.any():
        labels[0] = not labels[0]
    assert auc(values, labels) == pytest.approx(roc_auc_score(labels, values))


def test_auc_by_hand():
    # positives 1, 2, 2 against negatives 2, 3: of the 6 pairs no positive is higher and two tie
    # (2 = 2), so the AUC is (0 + 2 * 1/2) / 6 = 1/6; negated, every strict pair flips: 5/6
    assert auc([1, 2, 2, 2, 3], [True, True, True, False, False]) == pytest.approx(1 / 6)
    assert auc([-1, -2, -2, -2, -3], [True, True, True, False, False]) == pytest.approx(5 / 6)


def test_shift_month():
    assert shift_month("2026-03", 3) == "2025-12"
    assert shift_month("2026-10", 0) == "2026-10"
    assert shift_month("2026-01", 13) == "2024-12"


# -- a hand-worked portfolio -----------------------------------------------------------------------

RED = {"git_ops_users_l28d": 0, "unique_active_users_l28d": 0, "ci_builds_l28d": 0, "deployment_users_l28d": 0,
           "deployments_l28d": 0, "successful_deployments_l28d": 0, "failed_deployments_l28d": 10,
           "secure_scanner_users_l28d": 0, "sast_scans_l28d": 0, "dast_scans_l28d": 0, "billable_users": 500}
GREEN = {"git_ops_users_l28d": 500, "unique_active_users_l28d": 900, "ci_builds_l28d": 50_000, "deployment_users_l28d": 200,
             "deployments_l28d": 10_000, "successful_deployments_l28d": 900, "failed_deployments_l28d": 100,
             "secure_scanner_users_l28d": 300, "sast_scans_l28d": 300, "dast_scans_l28d": 200, "secret_detection_scans_l28d": 100}
# Outcomes in 2026-06, colors read 3 months before (2026-03):
#   red1 churned, red2 contracted      -> Red: 2 outcomes, 2 bad
#   yel1 churned, yel2 renewed         -> Yellow: 2 outcomes, 1 bad (yel2 is Premium: security not applicable)
#   grn1 renewed, grn2 expanded        -> Green: 2 outcomes, 0 bad
#   late renewed (no row in 2026-03)   -> no score: 1 outcome, 0 bad
# base rate 3 / 7; lifts Red 7/3, Yellow 7/6, Green 0.
# Overall scores: Red 25, Yellow 63 (a tie), Green 88. Bad (25, 25, 63) against good (63, 88, 88): a bad
# scored lower in 3 + 3 + (0.5 + 1 + 1) = 8.5 of 9 pairs -> AUC 17/18.
# Churners with a score: red1 and yel1 -> not Green 2/2, Red 1/2.
# usage_row is Yellow everywhere but License utilization (100%, Green); 62.5% at 8 months is Yellow
YELLOW = {"licensed_users": 1600, "account_age_months": 8}
ACCOUNTS = {"red1": RED, "red2": RED, "yel1": YELLOW, "yel2": {**YELLOW, "tier": "SaaS - Premium"},
            "grn1": GREEN, "grn2": GREEN}
OUTCOMES = [("red1", "2026-06-15", "churned"), ("red2", "2026-06-30", "Contracted"), ("yel1", "2026-06", "CHURNED"),
            ("yel2", "2026-06-01", "renewed"), ("grn1", "2026-06-20", "renewed"), ("grn2", "2026-06-02", "expanded"),
            ("late", "2026-06-11", "renewed")]


@pytest.fixture(scope="module")
def portfolio() -> pd.DataFrame:
    rows = [usage_row(account, period, **values) for account, values in ACCOUNTS.items()
            for period in ("2026-02", "2026-03", "2026-04")]
    rows.append(usage_row("late", "2026-05"))
    return frame(rows)


def _write(folder: Path, rows: list[tuple], name: str = "outcomes.csv", header: str = "account_id,date,outcome") -> Path:
    path = folder / name
    path.write_text(header + "\n" + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hand(portfolio: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory):
    path = _write(tmp_path_factory.mktemp("hand"), OUTCOMES)
    return backtest(portfolio, ["gitlab"], path, months_before=3, use_case="all")


def test_hand_worked_rates(hand):
    assert hand.outcomes == 7 and hand.bad_outcomes == 3
    assert hand.base_rate == pytest.approx(3 / 7)
    (rubric,) = hand.rubrics
    main = rubric.main
    assert main.use_case == "overall"
    expected = {"red": (2, 2, 7 / 3), "yellow": (2, 1, 7 / 6), "green": (2, 0, 0.0), "no_score": (1, 0, 0.0)}
    assert {r.category: (r.n, r.bad, pytest.approx(r.lift)) for r in main.rates} == expected
    assert main.auc == pytest.approx(17 / 18)
    assert main.scored == 6
    assert (rubric.churners, rubric.share_not_green, rubric.share_red) == (2, 1.0, 0.5)
    (late,) = rubric.unmatched
    assert (late.account_id, late.period, late.reason) == ("late", "2026-03", "no usage rows that month")


def test_hand_worked_use_cases(hand):
    cases = {u.use_case: u for u in hand.rubrics[0].use_cases}
    assert list(cases) == ["overall", "scm", "ci", "cd", "security", "license", "engagement"]
    security = {r.category: (r.n, r.bad) for r in cases["security"].rates}
    assert security["not_applicable"] == (1, 0)  # yel2 is Premium
    assert security["yellow"] == (1, 1)
    scm = {r.category: (r.n, r.bad) for r in cases["scm"].rates}
    assert scm == {"red": (2, 2), "yellow": (2, 1), "green": (2, 0), "no_score": (1, 0)}


def test_hand_worked_report_and_json(hand):
    document = hand.to_dict()
    assert json.loads(json.dumps(document, allow_nan=False)) == document
    report = hand.report()
    figures = dict(report.figures)
    assert figures["outcomes"] == "7"
    shown, low, high = figures["AUC gitlab 2025.1"].replace("[", "").replace("]", "").replace(",", "").split()
    assert shown == f"{17 / 18:.3f}" and float(low) <= 17 / 18 <= float(high)  # with its bootstrap interval
    blocks = [b for s in report.sections for b in s.blocks]
    chart = next(b for b in blocks if isinstance(b, BarChart))
    assert chart.reference == ("base rate", pytest.approx(3 / 7))
    assert chart.series[0][1][:3] == [pytest.approx(1.0), pytest.approx(0.5), pytest.approx(0.0)]
    curve = next(b for b in blocks if isinstance(b, Curve))
    assert curve.diagonal and len(curve.series) == 1
    assert any(s.title.startswith("Outcomes without a score") for s in report.sections)
    assert any(s.title == "By use case" for s in report.sections)


def test_two_versions_side_by_side(portfolio, tmp_path):
    path = _write(tmp_path, OUTCOMES)
    result = backtest(portfolio, ["gitlab", "gitlab"], path, months_before=3)
    assert [r.label for r in result.rubrics] == ["gitlab 2025.1 (#1)", "gitlab 2025.1 (#2)"]
    assert result.rubrics[0].main.auc == result.rubrics[1].main.auc
    assert [u.use_case for u in result.rubrics[0].use_cases] == ["overall"]


def test_months_before_zero_reads_the_outcome_month(portfolio, tmp_path):
    path = _write(tmp_path, [("red1", "2026-03-09", "churned"), ("grn1", "2026-03-10", "renewed")])
    result = backtest(portfolio, "gitlab", path, months_before=0)
    assert {r.category: r.n for r in result.rubrics[0].main.rates}["red"] == 1
    assert result.rubrics[0].main.auc == 1.0


def test_bad_outcomes_can_be_chosen(portfolio, tmp_path):
    path = _write(tmp_path, OUTCOMES)
    result = backtest(portfolio, "gitlab", path, bad=["churned"])
    assert result.bad_outcomes == 2 and result.base_rate == pytest.approx(2 / 7)


# -- bad input -------------------------------------------------------------------------------------

@pytest.mark.parametrize("row, line, column, message", [
    (("nobody", "2026-06-01", "churned"), 3, 1, "account 'nobody' is not in the usage data"),
    (("red1", "2026-06-01", "won"), 3, 3, "unknown outcome 'won'"),
    (("red1", "31/05/2026", "churned"), 3, 2, "cannot read the date '31/05/2026'"),
    (("red1", "2026-02-30", "churned"), 3, 2, "cannot read the date '2026-02-30'"),
    (("red1", "2026-13", "churned"), 3, 2, "cannot read the date"),
    (("", "2026-06-01", "churned"), 3, 1, "account id is blank"),
    (("red1", "", "churned"), 3, 2, "date is blank"),
])
def test_bad_rows_point_at_the_line(portfolio, tmp_path, row, line, column, message):
    path = _write(tmp_path, [("grn1", "2026-06-01", "renewed"), row])
    with pytest.raises(DataError, match=message) as info:
        backtest(portfolio, "gitlab", path)
    error = info.value
    assert (error.file, error.line, error.column) == (str(path), line, column)
    assert error.hint


def test_unknown_outcome_lists_the_outcomes(tmp_path):
    path = _write(tmp_path, [("a", "2026-06-01", "lost")])
    with pytest.raises(DataError) as info:
        read_outcomes(path)
    assert info.value.hint == "use one of churned, contracted, renewed, expanded"


def test_bad_arr(tmp_path):
    path = _write(tmp_path, [("a", "2026-06-01", "renewed", "1200"), ("b", "2026-06-01", "renewed", "lots")],
                  header="account_id,date,outcome,arr")
    with pytest.raises(DataError, match="arr 'lots'") as info:
        read_outcomes(path)
    assert (info.value.line, info.value.column) == (3, 4)


def test_arr_and_formats_are_read(tmp_path):
    rows = [{"account_id": "a", "date": "2026-06-01T00:00:00", "outcome": "Renewed", "arr": 1200.5},
            {"account_id": "b", "date": "2026-06", "outcome": "churned", "arr": None}]
    path = tmp_path / "outcomes.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    frame_ = read_outcomes(path).frame
    assert frame_["month"].tolist() == ["2026-06", "2026-06"]
    assert frame_["outcome"].tolist() == ["renewed", "churned"]
    assert frame_["arr"].iloc[0] == 1200.5 and pd.isna(frame_["arr"].iloc[1])


def test_blank_rows_are_skipped_and_a_file_of_blanks_is_refused(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("account_id,date,outcome\n,,\n , , \n", encoding="utf-8")
    with pytest.raises(DataError, match="no usable rows") as info:
        read_outcomes(path)
    assert info.value.file == str(path) and info.value.hint


def test_empty_file(portfolio, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(DataError, match="empty") as info:
        backtest(portfolio, "gitlab", path)
    assert info.value.file == str(path)


def test_missing_column(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text("account_id,date\na,2026-06-01\n", encoding="utf-8")
    with pytest.raises(DataError, match="no column outcome"):
        read_outcomes(path)


def test_negative_months_before(portfolio, tmp_path):
    path = _write(tmp_path, OUTCOMES)
    with pytest.raises(DataError, match="months_before"):
        backtest(portfolio, "gitlab", path, months_before=-1)


def test_outcomes_outside_the_data_window(portfolio, tmp_path):
    path = _write(tmp_path, [("red1", "2027-06-01", "churned")])
    with pytest.raises(DataError, match="no outcome has usage data 3 month") as info:
        backtest(portfolio, "gitlab", path)
    assert info.value.file == str(path) and "--months-before" in info.value.hint


def test_periods_must_be_months(portfolio, tmp_path):
    quarterly = portfolio.assign(period=portfolio["period"].map({"2026-02": "2026-Q1", "2026-03": "2026-Q2",
                                                                "2026-04": "2026-Q3", "2026-05": "2026-Q4"}))
    path = _write(tmp_path, OUTCOMES)
    with pytest.raises(DataError, match="period column 'period' holds '2026-Q1'") as info:
        backtest(quarterly, "gitlab", path)
    assert "YYYY-MM" in info.value.hint


def test_unknown_use_case_and_bad_outcome_names(portfolio, tmp_path):
    path = _write(tmp_path, OUTCOMES)
    with pytest.raises(RubricError, match="no use case 'devops'"):
        backtest(portfolio, "gitlab", path, use_case="devops")
    with pytest.raises(DataError, match="unknown bad outcome 'lost'"):
        backtest(portfolio, "gitlab", path, bad=["lost"])
    with pytest.raises(DataError, match="some but not all"):
        backtest(portfolio, "gitlab", path, bad=["churned", "contracted", "renewed", "expanded"])


# -- the command -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def app() -> typer.Typer:
    from adoptscore.commands.backtest import backtest_command

    application = typer.Typer()
    application.command("backtest")(backtest_command)
    application.command("noop")(lambda: None)  # two commands, so the name is part of the command line
    return application


@pytest.fixture(scope="module")
def portfolio_file(portfolio: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    path = folder / "usage.csv"
    portfolio.to_csv(path, index=False)
    _write(folder, OUTCOMES)
    return path


def test_command_json(app, portfolio_file):
    outcomes = portfolio_file.parent / "outcomes.csv"
    result = CliRunner().invoke(app, ["backtest", str(portfolio_file), "--outcomes", str(outcomes), "--json", "-",
                                      "--use-case", "all"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["kind"] == "backtest" and document["rubrics"][0]["main"]["auc"] == pytest.approx(17 / 18)
    assert len(document["rubrics"][0]["use_cases"]) == 7


def test_command_html_and_terminal(app, portfolio_file, tmp_path):
    outcomes = portfolio_file.parent / "outcomes.csv"
    html = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["backtest", str(portfolio_file), "--outcomes", str(outcomes),
                                      "--rubric", "gitlab", "--rubric", "gitlab-2022", "--html", str(html)])
    # the hand-made portfolio lacks the 2022 version's inputs: one clean line, nothing written
    assert result.exit_code == 2 and "missing input columns 'ci_pipeline_users_l28d'" in result.output
    assert not html.exists()
    result = CliRunner().invoke(app, ["backtest", str(portfolio_file), "--outcomes", str(outcomes), "--html", str(html)])
    assert result.exit_code == 0, result.output
    assert html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert "Backtest" in result.stdout


def test_command_errors_are_one_line(app, portfolio_file, tmp_path):
    bad = _write(tmp_path, [("red1", "2026-06-01", "won")], name="bad.csv")
    result = CliRunner().invoke(app, ["backtest", str(portfolio_file), "--outcomes", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:2:3: unknown outcome 'won'" in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(app, ["backtest", str(portfolio_file), "--outcomes", str(bad), "--months-before", "-2"])
    assert result.exit_code == 2
