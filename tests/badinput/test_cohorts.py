"""Bad healthy cohorts (and calibration options) for ``calibrate --strategy healthy``."""
from __future__ import annotations

import pytest

from tests.badinput.corpus import GITLAB, case, check_in_process, one_file, params

F = "{tmp}/cohort.csv"
HEALTHY = ("calibrate {demo}/usage.parquet --strategy healthy --cohort {tmp}/cohort.csv --write {tmp}/new.yaml "
           "--no-preview --json {tmp}/c.json")
CALIBRATE = "calibrate {demo}/usage.parquet --no-preview --write {tmp}/new.yaml"
GOOD = "account_id,segment\nA000058,Enterprise\n"


cohort = one_file("cohort.csv", HEALTHY)


def option(id: str, extra: str, *needles: str, **kw) -> object:
    return case(id, CALIBRATE + " " + extra, *needles, **kw)


CASES = [
    cohort("empty file", "", F, "empty"),
    cohort("header only", "account_id\n", F, "no rows"),
    cohort("no account_id column", "id\nA000058\n", f"{F}:1", "account_id"),
    cohort("blank ids only", "account_id,segment\n,Enterprise\n,SMB\n", F, "lists no account"),
    cohort("no account of the data", "account_id\nZZZ999\nZZZ998\n", F, "has no account in the data window"),
    cohort("ragged row", "account_id,segment\nA000058,Enterprise,extra\n", f"{F}:2"),
    cohort("binary file", bytes(range(256)) * 16, F),
    cohort("latin-1 bytes", "account_id,segment\nA000058,Soci\xe9t\xe9\n".encode("latin-1"), f"{F}:2:", "UTF-8"),
    cohort("txt: comments only", "# healthy accounts\n# none yet\n", "{tmp}/cohort.txt", "lists no account",
           name="cohort.txt", argv=HEALTHY.replace("cohort.csv", "cohort.txt")),
    cohort("txt: latin-1 bytes", "A000058\nSoci\xe9t\xe9\n".encode("latin-1"), "{tmp}/cohort.txt:2:", "UTF-8",
           name="cohort.txt", argv=HEALTHY.replace("cohort.csv", "cohort.txt")),
    cohort("txt: binary", bytes(range(256)) * 16, "{tmp}/cohort.txt", name="cohort.txt",
           argv=HEALTHY.replace("cohort.csv", "cohort.txt")),
    cohort("json: invalid", "[{", "{tmp}/cohort.json", name="cohort.json",
           argv=HEALTHY.replace("cohort.csv", "cohort.json")),
    cohort("parquet: not parquet", GOOD, "{tmp}/cohort.parquet", name="cohort.parquet",
           argv=HEALTHY.replace("cohort.csv", "cohort.parquet")),
    cohort("unsupported suffix", GOOD, "{tmp}/cohort.xlsx", ".xlsx", name="cohort.xlsx",
           argv=HEALTHY.replace("cohort.csv", "cohort.xlsx")),
    case("cohort file missing", HEALTHY, F, "not found"),
    case("cohort is a folder", HEALTHY, F, files={"cohort.csv/": ""}),
    cohort("--write is the cohort file", GOOD, "--write is the healthy cohort file this command reads",
           argv=HEALTHY.replace("{tmp}/new.yaml", "{tmp}/cohort.csv")),
    cohort("earlier outputs kept", "account_id\nZZZ999\n", "has no account in the data window",
           earlier={"new.yaml": "earlier: rubric\n", "c.json": "{}\n"}, argv=HEALTHY.replace(" --write", " --force --write")),
    # the cohort as a filter, and the other calibration options
    option("filter: syntax error", "--strategy healthy --cohort-filter segment==", "cohort filter"),
    option("filter: unknown column", "--strategy healthy --cohort-filter segmnt=='SMB'", "segmnt", "did you mean"),
    option("filter: not a condition", "--strategy healthy --cohort-filter billable_users", "not a condition"),
    option("filter: sql", "--strategy healthy --cohort-filter 1;DROP", "cohort filter"),
    option("file and filter both", "--strategy healthy --cohort {demo}/healthy-accounts.csv --cohort-filter x>1",
           "not both"),
    option("healthy without a cohort", "--strategy healthy", "needs a healthy cohort"),
    option("unknown strategy", "--strategy median", "unknown strategy 'median'"),
    option("mix of two shares", "--mix 50,50", "three shares"),
    option("mix of words", "--mix a,b,c", "cannot read the mix"),
    option("mix over 100%", "--mix 50,50,50", "does not add up"),
    option("mix of nan", "--mix nan,nan,nan", "mix"),
    option("mix negative", "--mix -10,60,50", "between 0 and 1"),
    option("window 0", "--window 0", "--window"),
    option("precision 0", "--precision 0", "precision"),
    option("precision 99", "--precision 99", "precision"),
    option("unknown metric", "--metric ci.nope", "no metric 'ci.nope'"),
    option("--by an unknown column", "--by regoin", "regoin"),
    option("--period not in the data", "--period 2020-01", "2020-01"),
    option("--write over the rubric", "--rubric {tmp}/r.yaml --write {tmp}/r.yaml",
           "--write is the rubric this command reads",
           files={"r.yaml": GITLAB}),
    option("--write exists", "", "exists", earlier={"new.yaml": "earlier: rubric\n"}),
]


@pytest.mark.parametrize("c", params(CASES))
def test_bad_cohort(c, tmp_path, demo, monkeypatch):
    check_in_process(c, tmp_path, demo, monkeypatch)
