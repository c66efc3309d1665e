"""Bad rubrics: every command that loads one refuses it in one line at the file:line:column."""
from __future__ import annotations

import pytest

from tests.badinput.corpus import GITLAB, GOOD_CSV, Case, case, check_in_process, line_of, mutated, params

SCORE = "score {tmp}/usage.csv --rubric {tmp}/bad.yaml --out {tmp}/out"
BANDS = 'bands: {red: "<= 2", yellow: "> 2 and <= 40", green: "> 40"}'


def bad(id: str, old: str, new: str, *needles: str, at: str | int | None = None, argv: str = SCORE,
        earlier: dict | None = None, xfail: str | None = None) -> Case:
    """The gitlab rubric with ``old`` -> ``new``; the message names bad.yaml and the line holding ``at``
    (default: the first line of ``new``; a number: that line; "": no line)."""
    text = mutated(old, new)
    snippet = at if at is not None else new.strip().splitlines()[0][:30]
    line = snippet if isinstance(snippet, int) else line_of(text, snippet) if snippet else None
    where = f"{{tmp}}/bad.yaml:{line}:" if line else "{tmp}/bad.yaml"
    return case(id, argv, where, *needles, files={"bad.yaml": text, "usage.csv": GOOD_CSV}, earlier=earlier,
                xfail=xfail)


def whole(id: str, text: str | bytes, *needles: str, argv: str = SCORE) -> Case:
    """A rubric file written from scratch."""
    return case(id, argv, "{tmp}/bad.yaml", *needles, files={"bad.yaml": text, "usage.csv": GOOD_CSV})


def bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


def nested_block(levels: int) -> str:
    return "".join(f"{'  ' * i}k{i}:\n" for i in range(levels)) + f"{'  ' * levels}leaf\n"


#: the smallest rubric scoring the good CSV: one use case of one metric
MINI = """name: mini
version: "1"
input:
  columns: {ci_builds_l28d: {type: count}, billable_users: {type: count}}
  segments: [tier]
use_cases:
  - id: u
    title: U
    metrics:
      - {id: m, title: M, numerator: ci_builds_l28d, denominator: billable_users,
         bands: {red: "<= 2", yellow: "> 2 and <= 40", green: "> 40"}}
"""

CASES = [
    # YAML itself
    bad("yaml syntax error", "title: GitLab use-case adoption\n", "title: GitLab: use-case adoption\n",
        "YAML syntax error"),
    bad("tab indentation", "    weight: 15\n", "\tweight: 15\n", at="\tweight: 15"),
    # YAML reads on to the next quote: the error is where the string's end makes no sense
    bad("unclosed quote", 'version: "2025.1"', 'version: "2025.1', r"re:bad\.yaml:\d+:\d+: YAML syntax error", at=""),
    bad("unclosed flow mapping", "points: {red: 25, yellow: 63, green: 88}", "points: {red: 25, yellow: 63, green: 88",
        at=""),
    bad("duplicate key", "    weight: 15\n", "    weight: 15\n    weight: 20\n", "weight", at="    weight: 20"),
    whole("empty file", "", "empty"),
    whole("only a comment", "# nothing here\n", "empty"),
    whole("binary file", bytes(range(256)) * 4),
    whole("invalid utf-8", GITLAB.replace("GitLab use-case adoption", "GitLab \xe9").encode("latin-1"), "UTF-8"),
    whole("utf-16 file", GITLAB.encode("utf-16")),
    whole("a list, not a mapping", "- name: gitlab\n- version: 1\n", "mapping"),
    whole("a scalar, not a mapping", "gitlab\n", "mapping"),
    whole("anchor bomb", bomb(), "alias"),
    whole("alias bomb of 10 levels", bomb(10), "alias"),
    whole("deep flow nesting", "name: " + "[" * 50_000 + "]" * 50_000 + "\n", "nested"),
    whole("deep block nesting", nested_block(200), "nested"),
    whole("file over 2 MB", GITLAB + "#" * (3 * 1024 * 1024) + "\n", "MB"),
    # wrong types
    bad("weight is text", "    weight: 15\n", "    weight: heavy\n", "weight"),
    bad("weight is a list", "    weight: 15\n", "    weight: [15]\n", "weight"),
    bad("points are text", "points: {red: 25, yellow: 63, green: 88}", "points: {red: low, yellow: 63, green: 88}",
        "red"),
    whole("use_cases is a mapping", GITLAB.split("use_cases:")[0] + "use_cases: {scm: {title: SCM}}\n",
          r"re:bad\.yaml:\d+:\d+: use_cases: .*list"),
    whole("metrics is text", MINI.split("    metrics:")[0] + "    metrics: m\n", r"re:bad\.yaml:9:\d+: use_cases\[u\]\.metrics"),
    bad("bands is a list", BANDS, 'bands: ["<= 2", "> 2 and <= 40", "> 40"]', "bands"),
    bad("name is a list", "name: gitlab\n", "name: [gitlab]\n", "name"),
    bad("input columns type unknown", "billable_users: {type: count,", "billable_users: {type: integer,", "'integer'"),
    bad("zero_denominator unknown", "zero_denominator: zero", "zero_denominator: maybe", "zero_denominator"),
    bad("unit unknown", "unit: percent", "unit: furlongs", "'furlongs'"),
    bad("counts_towards_adoption is text", "counts_towards_adoption: false", "counts_towards_adoption: perhaps",
        "counts_towards_adoption"),
    # unknown and missing keys
    bad("unknown top-level key", "title: GitLab use-case adoption\n", "title: GitLab use-case adoption\ncolour: red\n",
        "colour", at="colour: red"),
    bad("unknown metric key", "numerator: ci_builds_l28d", "numerater: ci_builds_l28d",
        "unknown field 'numerater'", "did you mean 'numerator'?"),
    bad("misspelt weight", "    weight: 15\n", "    wieght: 15\n", "wieght"),
    bad("unknown band color", BANDS, 'bands: {red: "<= 2", yellow: "> 2 and <= 40", purple: "> 40"}', "purple"),
    whole("no name", mutated("name: gitlab\n", ""), "name"),
    whole("no use cases", GITLAB.split("use_cases:")[0], "use_cases"),
    whole("empty use cases", MINI.split("use_cases:")[0] + "use_cases: []\n", "bad.yaml:6:", "use_cases",
          "at least 1"),
    bad("metric without numerator", "        numerator: ci_builds_l28d\n", "", "numerator", at="id: ci_builds_per_user"),
    # bands
    bad("overlapping bands", BANDS, 'bands: {red: "<= 3", yellow: "> 2 and <= 40", green: "> 40"}', "overlap"),
    bad("gap between bands", BANDS, 'bands: {red: "< 2", yellow: "> 2 and <= 40", green: "> 40"}', "gap"),
    bad("both bands include the edge", BANDS, 'bands: {red: "<= 2", yellow: ">= 2 and <= 40", green: "> 40"}',
        "overlap"),
    bad("neither band includes the edge", BANDS, 'bands: {red: "< 2", yellow: "> 2 and < 40", green: "> 40"}',
        "gap"),
    bad("unordered bands", BANDS, 'bands: {green: "<= 2", yellow: "> 2 and <= 40", red: "> 40"}',
        "bands run green, yellow, red"),
    bad("non-numeric bound", BANDS, 'bands: {red: "<= two", yellow: "> 2 and <= 40", green: "> 40"}',
        "is not a bound"),
    bad("empty band", BANDS, 'bands: {red: "", yellow: "> 2 and <= 40", green: "> 40"}', "band ''"),
    bad("band with no upper end", BANDS, 'bands: {red: "<= 2", yellow: "> 2", green: "> 40"}', "overlap"),
    bad("inverted interval", BANDS, 'bands: {red: "<= 2", yellow: "> 40 and <= 2", green: "> 40"}'),
    bad("nan bound", BANDS, 'bands: {red: "<= nan", yellow: "> 2 and <= 40", green: "> 40"}'),
    bad("score bands overlap", 'score_bands: {red: "<= 50"', 'score_bands: {red: "<= 60"', "overlap"),
    bad("bands_by overlapping ranges", 'range: ">= 7 and < 10"', 'range: ">= 5 and < 10"', "overlap",
        at="bands_by:"),
    bad("bands_by unknown column", "by: account_age_months", "by: acount_age_months", "acount_age_months"),
    # expressions
    bad("unknown column", "numerator: ci_builds_l28d", "numerator: ci_buildz_l28d", "unknown column 'ci_buildz_l28d'"),
    bad("unknown function", "numerator: ci_builds_l28d", "numerator: median(ci_builds_l28d)",
        "unknown function median()"),
    bad("sql in an expression", "numerator: ci_builds_l28d", "numerator: ci_builds_l28d; DROP TABLE usage",
        "never SQL"),
    bad("unbalanced parenthesis", "numerator: ci_builds_l28d", "numerator: (ci_builds_l28d"),
    bad("empty expression", "numerator: ci_builds_l28d", 'numerator: ""', "numerator"),
    bad("dangling operator", "numerator: ci_builds_l28d", "numerator: ci_builds_l28d +"),
    bad("text divided by a number", "numerator: ci_builds_l28d", "numerator: tier / 2", "arithmetic", "text column 'tier'"),
    bad("scope is not a condition", "scope: licensed_users > 0", "scope: licensed_users", "input.scope", "not true/false"),
    bad("scope reads an unknown column", "scope: licensed_users > 0", "scope: licenced_users > 0", "licenced_users"),
    bad("applies_when is not a condition", "applies_when: contains(lower(tier), 'ultimate')", "applies_when: tier",
        "applies_when", "gives a text, not true/false"),
    bad("huge expression", "numerator: ci_builds_l28d",
        "numerator: " + " + ".join(["ci_builds_l28d"] * 20_000), "expression", at="numerator: ci_builds_l28d + ci_"),
    bad("deeply nested expression", "numerator: ci_builds_l28d",
        "numerator: " + "(" * 50_000 + "ci_builds_l28d" + ")" * 50_000, "expression", at="numerator: (((("),
    bad("bad display format", 'format: ",.1f"', 'format: ",.1q"', "format ',.1q' is not a number format"),
    bad("lower of a number", "applies_when: contains(lower(tier), 'ultimate')",
        "applies_when: contains(lower(billable_users), 'ultimate')", "lower() takes text"),
    bad("text compared with a number", "scope: licensed_users > 0", "scope: tier > 0", "compares text with a number"),
    # numbers lint refuses
    bad("negative weight", "    weight: 15\n", "    weight: -30\n", "weight"),
    bad("zero weight", "    weight: 15\n", "    weight: 0\n", "weight"),
    bad("nan weight", "    weight: 15\n", "    weight: .nan\n", "weight"),
    bad("infinite weight", "    weight: 15\n", "    weight: .inf\n", "weight"),
    bad("nan points", "points: {red: 25,", "points: {red: .nan,", "red"),
    # ids
    bad("duplicate use case id", "  - id: ci\n", "  - id: scm\n", "scm", at=line_of(GITLAB, "  - id: ci")),
    bad("duplicate metric id", "      - id: deployments_per_user\n", "      - id: deployment_users_utilization\n",
        "deployment_users_utilization", at=line_of(GITLAB, "- id: deployments_per_user")),
    # other commands load the same rubric the same way
    bad("lint: yaml syntax error", "title: GitLab use-case adoption\n", "title: GitLab: use-case adoption\n",
        "YAML syntax error", argv="lint {tmp}/bad.yaml"),
    whole("lint: anchor bomb", bomb(), "alias", argv="lint {tmp}/bad.yaml"),
    whole("lint: binary file", bytes(range(256)) * 4, argv="lint {tmp}/bad.yaml"),
    bad("validate: negative weight", "    weight: 15\n", "    weight: -30\n", "weight",
        argv="validate {demo}/usage.parquet --labels {demo}/labels.csv --rubric {tmp}/bad.yaml --json {tmp}/v.json"),
    bad("diff: new rubric overlaps", BANDS, 'bands: {red: "<= 3", yellow: "> 2 and <= 40", green: "> 40"}',
        "overlap", argv="diff {demo}/usage.parquet --old gitlab --new {tmp}/bad.yaml --json {tmp}/d.json"),
    bad("backtest: second rubric unknown column", "numerator: ci_builds_l28d", "numerator: ci_buildz_l28d",
        "ci_buildz_l28d",
        argv="backtest {demo}/usage.parquet --outcomes {demo}/outcomes.csv -r gitlab -r {tmp}/bad.yaml"),
    bad("calibrate: unknown field", "    weight: 15\n", "    wieght: 15\n", "wieght",
        argv="calibrate {demo}/usage.parquet --rubric {tmp}/bad.yaml --write {tmp}/new.yaml"),
    bad("explain: nan weight", "    weight: 15\n", "    weight: .nan\n", "weight",
        argv="explain {demo}/usage.parquet --account A000001 --rubric {tmp}/bad.yaml"),
    bad("earlier scores kept", "    weight: 15\n", "    weight: -30\n", "weight",
        earlier={"out/metrics.csv": "earlier\n", "out/use_cases.csv": "earlier\n", "out/overall.csv": "earlier\n"}),
    # the rubric path itself
    case("rubric is a folder", SCORE, "{tmp}/bad.yaml", files={"bad.yaml/": "", "usage.csv": GOOD_CSV}),
    case("rubric file missing", SCORE, "{tmp}/bad.yaml", files={"usage.csv": GOOD_CSV}),
    case("unknown bundled rubric", "score {tmp}/usage.csv --rubric gitlub", "unknown rubric 'gitlub'", "gitlab",
         files={"usage.csv": GOOD_CSV}),
]


@pytest.mark.parametrize("c", params(CASES))
def test_bad_rubric(c, tmp_path, demo, monkeypatch):
    check_in_process(c, tmp_path, demo, monkeypatch)
