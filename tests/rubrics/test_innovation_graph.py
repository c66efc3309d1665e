"""The bundled ``innovation-graph`` example: real data (GitHub Innovation Graph), long layout, a scope,
suppressed economy-quarters and thresholds that are population quartiles.

Everything the rubric claims is re-derived here independently of the engine: the long CSV from the
raw Innovation Graph CSVs (../shared), the quartiles with numpy, one economy-quarter by hand.

The CSVs are read with the csv module, never pandas' defaults: Namibia's code ``NA`` would become a
missing value.
"""
from __future__ import annotations

import csv
import importlib.util
import math
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import adoptscore
from adoptscore.cli import app
from adoptscore.rubric.bands import parse_interval
from adoptscore.rubric.lint import lint
from adoptscore.rubric.loader import bundled_rubrics

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "scripts" / "build_innovationgraph.py"
CALIBRATE = REPO / "scripts" / "calibrate_innovationgraph.py"
SHARED = REPO.parent / "shared" / "data" / "innovationgraph"
RUBRIC_PATH = bundled_rubrics()["innovation-graph"]
LONG = RUBRIC_PATH.parent / "data" / "innovationgraph-long.csv"
INPUTS = ("developers", "git_pushes", "organizations", "repositories")
SIGNIFICANT = 3  # the rounding the rubric's provenance documents

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=f"raw Innovation Graph data not found at {SHARED}")

# The metrics, written out again independently of the rubric's expressions: inputs and formula.
FORMULAS = {
    "pushes_per_developer": (("git_pushes", "developers"), lambda i: i["git_pushes"] / i["developers"]),
    "pushes_per_repository": (("git_pushes", "repositories"), lambda i: i["git_pushes"] / i["repositories"]),
    "organizations_per_1k_developers": (("organizations", "developers"),
                                        lambda i: 1000.0 * i["organizations"] / i["developers"]),
    "repositories_per_developer": (("repositories", "developers"), lambda i: i["repositories"] / i["developers"]),
}

def _script(path: Path):
    """Import one of the scripts/ files as a module (they are not a package)."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cli(*args: str):
    """Run the adoptscore CLI in-process; returns click's Result (exit_code, stdout, stderr)."""
    return CliRunner().invoke(app, list(args))


# -- independent readers ---------------------------------------------------------------------------
def read_long(path: Path = LONG) -> dict[tuple[str, str], dict[str, int]]:
    """(economy, period) -> {input: value} from the long CSV."""
    rows: dict[tuple[str, str], dict[str, int]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            rows.setdefault((record["economy"], record["period"]), {})[record["metric"]] = int(record["value"])
    return rows


def read_raw(metric: str) -> dict[tuple[str, str], int]:
    """(economy, 'YYYY-Qn') -> value from one raw Innovation Graph CSV."""
    with (SHARED / f"{metric}.csv").open(newline="", encoding="utf-8") as handle:
        return {(r["iso2_code"], f"{int(r['year'])}-Q{int(r['quarter'])}"): int(r[metric]) for r in csv.DictReader(handle)}


def metric_values(rows: dict[tuple[str, str], dict[str, int]], metric: str) -> dict[tuple[str, str], float]:
    """Values of one metric over every non-EU economy-quarter whose inputs are all present."""
    needed, formula = FORMULAS[metric]
    return {key: formula(inputs) for key, inputs in rows.items()
            if key[0] != "EU" and all(inputs.get(c) is not None for c in needed) and inputs[needed[1]] != 0}


def half_unit(q: float, digits: int = SIGNIFICANT) -> float:
    """Half a unit in the last kept significant digit of ``q``: the largest error of the rounding."""
    return 0.5 * 10 ** (math.floor(math.log10(abs(q))) - digits + 1)


def significant_digits(x: float) -> int:
    digits = format(x, "f").replace(".", "").lstrip("0").rstrip("0")
    return max(len(digits), 1)


@pytest.fixture(scope="module")
def rubric() -> adoptscore.Rubric:
    return adoptscore.load_rubric("innovation-graph")


@pytest.fixture(scope="module")
def long_rows() -> dict[tuple[str, str], dict[str, int]]:
    return read_long()


# -- the bundled data ------------------------------------------------------------------------------
@needs_shared
def test_bundled_csv_is_what_the_build_script_produces(tmp_path: Path) -> None:
    out = tmp_path / "innovationgraph-long.csv"
    assert _script(BUILD).main([str(SHARED), "--out", str(out)]) == 0
    assert out.read_bytes() == LONG.read_bytes(), "rebuild the bundled file: python scripts/build_innovationgraph.py"


@needs_shared
def test_every_raw_value_and_no_other_is_in_the_long_csv(long_rows) -> None:
    """Suppressed economy-quarters stay absent (never 0); EU is kept; nothing is invented."""
    for metric in INPUTS:
        raw = read_raw(metric)
        bundled = {key: inputs[metric] for key, inputs in long_rows.items() if metric in inputs}
        assert bundled == raw, metric
        assert ("EU", "2024-Q1") in bundled


def test_long_csv_shape_and_order() -> None:
    assert LONG.stat().st_size < 1_000_000
    with LONG.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        assert next(reader) == ["economy", "period", "metric", "value"]
        rows = list(reader)
    assert rows == sorted(rows, key=lambda r: (r[0], r[1], r[2])), "rows are sorted by economy, period, metric"
    keys = Counter((r[0], r[1], r[2]) for r in rows)
    assert max(keys.values()) == 1, "one value per economy, period and input"
    assert {r[2] for r in rows} == set(INPUTS)
    assert all(re.fullmatch(r"[A-Z]{2}", r[0]) for r in rows)
    periods = {r[1] for r in rows}
    assert all(re.fullmatch(r"20\d\d-Q[1-4]", p) for p in periods)
    assert min(periods) == "2020-Q1" and max(periods) == "2025-Q3" and len(periods) == 23
    assert all(r[3].isdigit() for r in rows), "every value is a published non-negative count: none blank"
    economies = {r[0] for r in rows}
    assert {"EU", "US", "NA"} <= economies  # NA is Namibia, not a missing value


# -- the rubric ------------------------------------------------------------------------------------
def test_rubric_loads_and_lints_without_errors(rubric) -> None:
    assert rubric.name == "innovation-graph"
    spec = rubric.input
    assert (spec.layout, spec.account_id, spec.period, spec.name_column, spec.value_column) == \
        ("long", "economy", "period", "metric", "value")
    assert spec.scope == "economy != 'EU'"
    assert set(spec.columns) == set(INPUTS) and all(c.type == "count" for c in spec.columns.values())
    assert len(rubric.use_cases) == 3 and max(len(u.metrics) for u in rubric.use_cases) >= 2
    assert {m.id for _, m in rubric.metrics} == set(FORMULAS)
    for use_case in rubric.use_cases:
        assert use_case.description and use_case.recommendations
    errors = [f for f in lint(rubric) if f.level == "error"]
    assert errors == []
    done = _cli("lint", "innovation-graph")
    assert done.exit_code == 0, done.output
    assert "0 error(s)" in done.stdout


def test_thresholds_are_the_population_quartiles(rubric, long_rows) -> None:
    """Red <= p25, Yellow > p25 and <= p75, Green > p75, each edge p25/p75 rounded to 3 significant digits."""
    provenance = rubric.provenance or {}
    assert "quantile_cont" in provenance["method"] and "calibrate_innovationgraph.py" in provenance["computed_by"]
    assert "2020-Q1 to 2025-Q3" in provenance["window"]
    for _, metric in rubric.metrics:
        values = np.array(sorted(metric_values(long_rows, metric.id).values()))
        p25, p75 = np.percentile(values, [25, 75], method="linear")
        red, yellow, green = (parse_interval(metric.bands[c]) for c in ("red", "yellow", "green"))
        assert red.low is None and red.high_inclusive
        assert yellow.low == red.high and not yellow.low_inclusive and yellow.high_inclusive
        assert green.low == yellow.high and not green.low_inclusive and green.high is None
        for edge, exact in ((red.high, p25), (yellow.high, p75)):
            assert abs(edge - exact) <= half_unit(exact) * (1 + 1e-9), (metric.id, edge, exact)
            assert significant_digits(edge) <= SIGNIFICANT, (metric.id, edge)
        stated = provenance["quartiles"][metric.id]
        assert stated["n"] == len(values), metric.id
        assert stated["p25"] == pytest.approx(p25, rel=1e-9) and stated["p75"] == pytest.approx(p75, rel=1e-9)


def test_calibration_script_agrees_with_the_rubric(capsys) -> None:
    assert _script(CALIBRATE).main(["--check"]) == 0
    printed = capsys.readouterr().out
    assert printed.count("matches") == len(FORMULAS) and "DIFFERS" not in printed


# -- scoring ---------------------------------------------------------------------------------------
class Scored:
    def __init__(self, result: adoptscore.ScoreResult):
        self.metrics = result.metrics
        self.use_cases = result.use_cases
        self.overall = result.overall


@pytest.fixture(scope="module")
def scored(rubric) -> Scored:
    """Scores of the bundled data with the bundled rubric."""
    return Scored(adoptscore.score(LONG, rubric))


def test_scope_excludes_the_eu_aggregate(scored, long_rows) -> None:
    for table in (scored.metrics, scored.use_cases, scored.overall):
        assert "EU" not in set(table["account_id"])
    assert set(scored.overall["account_id"]) == {e for e, _ in long_rows} - {"EU"}


def test_suppressed_inputs_are_no_data_never_zero_or_red(scored, long_rows) -> None:
    in_scope = {key for key in long_rows if key[0] != "EU"}
    overall_keys = set(zip(scored.overall["account_id"], scored.overall["period"]))
    # economy-quarters with no input at all have no row; all others are in every table
    assert overall_keys == in_scope
    assert ("NA", "2024-Q1") in overall_keys  # Namibia, not a missing value
    m = scored.metrics
    assert len(m) == len(in_scope) * len(FORMULAS)
    inputs = m.apply(lambda r: long_rows[(r["account_id"], r["period"])], axis=1)
    complete = [all(c in i for c in FORMULAS[metric][0]) for i, metric in zip(inputs, m["metric"])]
    complete = pd.Series(complete, index=m.index)
    missing = m[~complete]
    assert len(missing) > 1000  # the data has many suppressed inputs
    assert (missing["status"] == "no_data").all()
    assert missing["value"].isna().all() and missing["color"].isna().all() and missing["points"].isna().all()
    assert missing["reason"].str.match(r"(numerator|denominator) missing \(").all()
    present = m[complete]
    assert (present["status"] == "scored").all() and present["color"].notna().all()
    assert (present["value"] > 0).all()
    # a use case without any scored metric has no score and no color
    u = scored.use_cases
    empty = u[u["metrics_scored"] == 0]
    assert len(empty) > 0 and (empty["status"] == "no_data").all()
    assert empty["score"].isna().all() and empty["color"].isna().all() and empty["adopted"].isna().all()
    o = scored.overall
    unscored = o[o["use_cases_scored"] == 0]
    assert len(unscored) > 0 and (unscored["status"] == "no_data").all() and unscored["score"].isna().all()
    assert unscored["color"].isna().all() and (unscored["adopted_use_cases"] == 0).all()


def test_color_mix_per_metric_is_about_25_50_25(scored) -> None:
    m = scored.metrics[scored.metrics["status"] == "scored"]
    for metric, group in m.groupby("metric"):
        share = group["color"].value_counts(normalize=True) * 100
        for color, expected in (("red", 25), ("yellow", 50), ("green", 25)):
            assert abs(share.get(color, 0.0) - expected) <= 5, (metric, share.round(1).to_dict())


@needs_shared
def test_hand_check_us_2024_q1(scored, rubric) -> None:
    """US 2024-Q1 from the raw CSVs: values, colors, use-case and overall scores."""
    raw = {metric: read_raw(metric)[("US", "2024-Q1")] for metric in INPUTS}
    m = scored.metrics[(scored.metrics["account_id"] == "US") & (scored.metrics["period"] == "2024-Q1")]
    m = m.set_index("metric")
    points = {"red": 25.0, "yellow": 63.0, "green": 88.0}
    by_metric = {metric.id: metric for _, metric in rubric.metrics}
    colors = {}
    for metric, (_, formula) in FORMULAS.items():
        value = formula(raw)
        assert m.loc[metric, "value"] == pytest.approx(value, rel=1e-12), metric
        low = parse_interval(by_metric[metric].bands["red"]).high
        high = parse_interval(by_metric[metric].bands["green"]).low
        colors[metric] = "red" if value <= low else "green" if value > high else "yellow"
        assert m.loc[metric, "color"] == colors[metric], (metric, value)
        assert m.loc[metric, "points"] == points[colors[metric]]
    # pinned from the published data (raw counts: 22,233,197 developers, 27,262,532 pushes,
    # 1,220,000 organizations, 60,596,684 repositories)
    assert colors == {"pushes_per_developer": "yellow", "pushes_per_repository": "red",
                      "organizations_per_1k_developers": "yellow", "repositories_per_developer": "green"}
    u = scored.use_cases[(scored.use_cases["account_id"] == "US") & (scored.use_cases["period"] == "2024-Q1")]
    u = u.set_index("use_case")
    activity = (points[colors["pushes_per_developer"]] + points[colors["pushes_per_repository"]]) / 2
    assert u.loc["activity", "score"] == pytest.approx(activity)
    assert u.loc["organisation", "score"] == points[colors["organizations_per_1k_developers"]]
    assert u.loc["footprint", "score"] == points[colors["repositories_per_developer"]]
    weights = {uc.id: uc.weight for uc in rubric.use_cases}
    expected = sum(weights[k] * u.loc[k, "score"] for k in weights) / sum(weights.values())
    o = scored.overall[(scored.overall["account_id"] == "US") & (scored.overall["period"] == "2024-Q1")]
    assert o["score"].iloc[0] == pytest.approx(expected)


def test_cli_score_writes_three_csv_files(tmp_path: Path) -> None:
    out = tmp_path / "scores"
    done = _cli("score", str(LONG), "--rubric", "innovation-graph", "--out", str(out), "--format", "csv")
    assert done.exit_code == 0, done.stderr
    assert {p.name for p in out.iterdir()} == {"metrics.csv", "use_cases.csv", "overall.csv"}
    metrics = pd.read_csv(out / "metrics.csv", keep_default_na=False, na_values=[""])
    assert len(metrics) > 0 and "EU" not in set(metrics["account_id"]) and "NA" in set(metrics["account_id"])


def test_cli_explain_one_economy() -> None:
    done = _cli("explain", str(LONG), "--rubric", "innovation-graph", "--account", "US", "--period", "2024-Q1")
    assert done.exit_code == 0, done.stderr
    assert "US" in done.stdout and "2024-Q1" in done.stdout
