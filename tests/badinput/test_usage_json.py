"""Bad usage data in JSON: not JSON, the wrong shape, nested too deep, wrong types."""
from __future__ import annotations

import json

import pytest

from tests.badinput.corpus import GOOD_CSV, case, check_in_process, params

F = "{tmp}/usage.json"
SCORE = "score {tmp}/usage.json --out {tmp}/out"


def records() -> list[dict]:
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(GOOD_CSV)))
    for row in rows:
        for key, value in row.items():
            try:
                row[key] = float(value)
            except ValueError:
                pass
    return rows


def spoiled(index: int, **values) -> str:
    rows = records()
    rows[index].update(values)
    return json.dumps(rows)


def js(id: str, text: str | bytes, *needles: str, name: str = "usage.json", argv: str = SCORE) -> object:
    return case(id, argv, *needles, files={name: text})


CASES = [
    js("invalid json", json.dumps(records())[:-40] + "}{", F),
    js("truncated json", json.dumps(records())[:200], F),
    js("empty file", "", F, "empty"),
    js("whitespace only", "   \n\n", F),
    js("a bare number", "42", F),
    js("a bare string", '"usage"', F),
    js("an object of scalars", '{"account_id": "a1", "period": "2026-10"}', F),
    js("an array of arrays", json.dumps([list(r.values()) for r in records()]), F),
    js("an empty array", "[]", F),
    js("nested 50,000 deep", "[" * 50_000 + "]" * 50_000, F),
    js("an object nested 5,000 deep", '{"a":' * 5_000 + "1" + "}" * 5_000, F),
    js("text in a count", spoiled(1, billable_users="lots"), F, "billable_users"),
    js("an object in a count", spoiled(1, billable_users={"n": 1}), F, "billable_users"),
    case("a list in account_id", SCORE, F, "column 'account_id' holds lists or objects",
         files={"usage.json": spoiled(0, account_id=["a", "b"])}),
    case("an object in segment", SCORE, F, "column 'segment' holds lists or objects",
         files={"usage.json": spoiled(1, segment={"name": "Enterprise"})}),
    case("an object in period", SCORE, F, "column 'period' holds lists or objects",
         files={"usage.json": spoiled(2, period={"month": "2026-10"})}),
    js("missing input column", json.dumps([{k: v for k, v in r.items() if k != "ci_builds_l28d"} for r in records()]),
       F, "missing input column 'ci_builds_l28d'"),
    js("duplicate rows", json.dumps(records() + records()[:1]), F, "duplicate rows"),
    js("ndjson with a broken line", "\n".join(json.dumps(r) for r in records())[:-30] + "\n{not json}\n",
       "{tmp}/usage.ndjson", name="usage.ndjson", argv="score {tmp}/usage.ndjson --out {tmp}/out"),
    js("invalid utf-8", json.dumps(records()).replace("Retail", "R\xe9tail").encode("latin-1"), F),
    js("diff: not json", "{{{", F, argv="diff {tmp}/usage.json --old gitlab-2022 --new gitlab"),
    js("explain: an empty array", "[]", F, argv="explain {tmp}/usage.json --account a1"),
]


@pytest.mark.parametrize("c", params(CASES))
def test_bad_usage_json(c, tmp_path, demo, monkeypatch):
    check_in_process(c, tmp_path, demo, monkeypatch)
