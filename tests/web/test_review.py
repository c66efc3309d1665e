"""The CSM review end to end: published with the CLI, answered in Chromium by an owner, labels
downloaded from the page and read by ``adoptscore validate``, whose figures the page showed."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml

import adoptscore
from adoptscore.demo import generate_usage
from adoptscore.team.config import load_team
from adoptscore.web.app import create_app
from tests.scorestore import ACCOUNTS, END, MONTHS
from tests.web.screens import keep_screenshot
from tests.web.serving import served

RUBRICS = Path(adoptscore.__file__).parent / "rubrics"
OWNER, OTHER = "Priya Raman", "Noah Williams"
TEAM = f"""
sign_in:
  proxy: {{header: X-Forwarded-Email, trusted: [127.0.0.1]}}
people:
  - {{email: root@example.com, role: admin}}
  - {{email: priya@example.com, role: owner, owner: {OWNER}}}
  - {{email: noah@example.com, role: owner, owner: {OTHER}}}
  - {{email: vic@example.com, role: viewer, scope: {{segment: [Enterprise]}}}}
"""


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("adoptscore")
    done = subprocess.run([str(exe), *args], capture_output=True, text=True, cwd=cwd, timeout=600,
                          env={**os.environ, "COLUMNS": "200"})
    assert "Traceback" not in done.stderr, done.stderr
    return done


@pytest.fixture(scope="module")
def published(store, tmp_path_factory):
    """The same usage the store holds, a proposed version, and a review of 3 of Priya's and 3
    other accounts published with ``adoptscore review publish``."""
    folder = tmp_path_factory.mktemp("review")
    usage = generate_usage(accounts=ACCOUNTS, months=MONTHS, seed=42, end_period=END).to_pandas()
    usage.to_parquet(folder / "usage.parquet")
    document = yaml.safe_load((RUBRICS / "gitlab.yaml").read_text(encoding="utf-8"))
    document["version"] = "2025.2"
    next(u for u in document["use_cases"] if u["id"] == "ci")["metrics"][0]["bands"] = {
        "red": "<= 5", "yellow": "> 5 and <= 40", "green": "> 40"}
    (folder / "proposed.yaml").write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    latest = usage[usage["period"] == usage["period"].max()]
    hers = sorted(latest.loc[latest["owner"] == OWNER, "account_id"])[:3]
    others = sorted(latest.loc[latest["owner"] == OTHER, "account_id"])[:3]
    assert len(hers) == 3 and len(others) == 3
    (folder / "team.yaml").write_text(TEAM)
    done = cli("review", "publish", "proposed.yaml", "--data", "usage.parquet", "--team-db", "team.sqlite",
               "--accounts", ",".join(hers + others), "--title", "CI cut at 5", cwd=folder)
    assert done.returncode == 0, done.stderr
    assert re.search(r"review 1 published: CI cut at 5, 6 accounts, \d+ items", done.stdout), done.stdout
    app = create_app(store, team=load_team(folder / "team.yaml"), team_database=folder / "team.sqlite")
    with served(app) as base:
        yield base, folder, hers, others, latest


def as_(email):
    return {"X-Forwarded-Email": email, "Accept": "application/json"}


def test_each_reader_sees_the_items_of_their_scope_and_answers_only_their_accounts(published):
    base, _, hers, others, latest = published
    everything = httpx.get(base + "/api/reviews/1", headers=as_("root@example.com"), timeout=30).json()
    assert {i["account_id"] for i in everything["items"]} == set(hers + others)
    assert all(i["may_answer"] for i in everything["items"])
    priya = httpx.get(base + "/api/reviews/1", headers=as_("priya@example.com"), timeout=30).json()
    assert {i["account_id"] for i in priya["items"] if i["may_answer"]} == set(hers)
    enterprise = set(latest.loc[latest["segment"] == "Enterprise", "account_id"])
    vic = httpx.get(base + "/api/reviews/1", headers=as_("vic@example.com"), timeout=30).json()
    assert {i["account_id"] for i in vic["items"]} == set(hers + others) & enterprise
    assert not any(i["may_answer"] for i in vic["items"])
    labels = httpx.get(base + "/reviews/1/labels.csv", headers=as_("vic@example.com"), timeout=30).text
    assert all(a not in labels for a in set(hers + others) - enterprise)

    # a token-less write needs the session's CSRF token; then only the owner's own accounts
    client = httpx.Client(base_url=base, headers={"X-Forwarded-Email": "priya@example.com"}, timeout=30)
    page = client.get("/reviews/1")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    body = {"account_id": others[0], "use_case": "overall", "verdict": "green"}
    assert client.post("/api/reviews/1/answers", json=body).status_code == 403
    refused = client.post("/api/reviews/1/answers", json=body, headers={"X-CSRF-Token": token})
    assert refused.status_code == 403 and "own accounts" in refused.json()["error"]
    outside = sorted(set(latest["account_id"]) - set(hers + others))[0]
    missing = client.post("/api/reviews/1/answers", json={**body, "account_id": outside}, headers={"X-CSRF-Token": token})
    assert missing.status_code == 404
    assert httpx.get(base + "/api/reviews/99", headers=as_("root@example.com"), timeout=30).status_code == 404


def test_an_owner_answers_in_the_browser_and_validate_reads_the_same_figures(published, browser, tmp_path):
    base, folder, hers, _, _ = published
    context = browser.new_context(viewport={"width": 1280, "height": 800},
                                  extra_http_headers={"X-Forwarded-Email": "priya@example.com"},
                                  accept_downloads=True)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base + "/reviews")
    page.click("#reviews a")
    # an owner's review opens on the accounts they answer for
    shown = page.locator("section.review-account").evaluate_all("els => els.map(e => e.dataset.account)")
    assert sorted(shown) == hers
    items = page.locator("table.review-items tbody tr").count()
    probe = "<img src=x onerror=alert(1)> uses CI on every merge"
    for n in range(items):
        form = page.locator("table.review-items tbody tr").nth(n).locator("form.answer-form")
        options = form.locator("select option").evaluate_all("els => els.map(e => e.value)")
        verdict = "agree" if "agree" in options and n % 3 != 2 else "green"
        form.locator("select").select_option(verdict)
        if verdict == "green":
            form.locator("input[name=note]").fill(probe)
        form.locator("button").click()
        page.wait_for_load_state()
    assert dialogs == []
    assert page.get_by_text(probe).first.is_visible()
    figures = page.locator("#agreement tr.total").inner_text()
    keep_screenshot(page, tmp_path, "review-answered-1280.png")
    page.goto(base + "/reviews/1")
    keep_screenshot(page, tmp_path, "review-top-1280.png")

    api = httpx.get(base + "/api/reviews/1", headers=as_("priya@example.com"), timeout=30).json()["agreement"]
    assert api["answered"] == items
    shown_rate = re.search(r"All answers\s+(\d+)\s+(\d+)% \((\d+) of (\d+)\)", figures)
    assert shown_rate, figures
    labels_seen, pct, agreeing, compared = map(int, shown_rate.groups())
    assert (labels_seen, agreeing, compared) == (api["proposed"]["labels"], api["proposed"]["agreeing"],
                                                  api["proposed"]["compared"])

    with page.expect_download() as download:
        page.click("#labels-link")
    labels = folder / "labels.csv"
    download.value.save_as(labels)
    context.close()
    done = cli("validate", "usage.parquet", "--labels", "labels.csv", "--rubric", "proposed.yaml", "--json", "-",
               cwd=folder)
    assert done.returncode == 0, done.stderr
    total = json.loads(done.stdout)["total"]
    assert (total["labels"], total["agreeing"], total["compared"]) == (labels_seen, agreeing, compared)
    assert round(100 * total["agreement"]) == pct
    assert total["kappa"] == pytest.approx(api["proposed"]["kappa"]) if api["proposed"]["kappa"] is not None \
        else total["kappa"] is None

    # the CLI reads the same answers from the team database
    shown = cli("review", "show", "1", "--team-db", "team.sqlite", "--json", cwd=folder)
    assert json.loads(shown.stdout)["agreement"]["proposed"]["agreeing"] == agreeing
