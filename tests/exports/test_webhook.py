"""Alerts POSTed to a real local HTTP server: batches, headers, retries with backoff on 5xx,
429, timeouts and refused connections, no retry on 4xx, one-line errors, idempotency keys that
make a re-run raise no duplicate task."""
from __future__ import annotations

import hashlib
import time

import pytest

from adoptscore.exports.alerts import alert_rows
from adoptscore.exports.source import ExportError
from adoptscore.exports.webhook import check_url, parse_headers, post_alerts
from adoptscore.insights.scorecard import Scorecard
from tests.exports.hookserver import Answer, HookServer, closed_port


@pytest.fixture(scope="module")
def export(export_store):
    found = alert_rows(Scorecard(export_store.path))
    assert len(found.alerts) > 60
    return found


@pytest.fixture()
def hook():
    with HookServer() as server:
        yield server


def _post(export, url, **options):
    waits: list[float] = []
    options.setdefault("backoff", 0.01)
    result = post_alerts(export, url, sleep=waits.append, **options)
    return result, waits


def test_alerts_go_in_batches_with_headers_and_keys(export, hook):
    result, waits = _post(export, hook.url + "/hooks/adoption?team=cs", batch_size=25,
                          headers=parse_headers(["Authorization: Bearer s3cret", "X-Team: cs"]))
    n = len(export.alerts)
    assert result.requests == len(hook.requests) == -(-n // 25) and result.attempts == result.requests and not waits
    assert [len(r.body["alerts"]) for r in hook.requests] == [25] * (n // 25) + ([n % 25] if n % 25 else [])
    sent = [a for r in hook.requests for a in r.body["alerts"]]
    assert sent == export.alerts  # every alert once, in order
    for number, request in enumerate(hook.requests, start=1):
        assert request.path == "/hooks/adoption?team=cs"
        assert request.headers["authorization"] == "Bearer s3cret" and request.headers["x-team"] == "cs"
        assert request.headers["content-type"] == "application/json"
        keys = "\n".join(a["idempotency_key"] for a in request.body["alerts"])
        assert request.headers["idempotency-key"] == hashlib.sha256(keys.encode()).hexdigest()
        assert request.body["batch"] == number and request.body["batches"] == len(hook.requests)
        assert (request.body["rubric"], request.body["period"]) == ("gitlab", export.period)
    assert "s3cret" not in result.url and "team=cs" not in result.url


def test_a_5xx_is_retried_with_backoff_then_succeeds_without_duplicates(export, hook):
    hook.plan.extend([Answer(500), Answer(502), Answer(503)])
    result, waits = _post(export, hook.url, batch_size=100)
    batches = -(-len(export.alerts) // 100)
    assert result.attempts == batches + 3 and len(hook.requests) == batches + 3
    assert waits == [0.01, 0.02, 0.04]  # exponential backoff
    first = [r for r in hook.requests if r.body["batch"] == 1]
    assert len(first) == 4 and len({r.headers["idempotency-key"] for r in first}) == 1
    assert all(r.body == first[0].body for r in first)  # a retry sends the very same request
    assert len(hook.tasks()) == len(export.alerts)


def test_retry_after_and_429(export, hook):
    hook.plan.extend([Answer(429, headers={"Retry-After": "0.3"})])
    result, waits = _post(export, hook.url, batch_size=1000)
    assert result.attempts == 2 and waits == [0.3]


def test_a_4xx_is_not_retried_and_names_url_and_status(export, hook):
    hook.plan.extend([Answer(), Answer(400, body='{"error": "missing field: owner"}')])
    with pytest.raises(ExportError) as caught:
        _post(export, hook.url + "/in?token=abc", batch_size=50, retries=5)
    assert len(hook.requests) == 2  # the first batch went through; the refused one was sent once
    message = caught.value.format()
    assert "\n" not in message
    assert f"webhook {hook.url}/in refused the alerts: 400 Bad Request" in message
    assert "batch 2 of" in message and "batches 1-1 were delivered" in message
    assert "missing field" not in message  # a body is never shown: it may echo the request's headers
    assert "token=abc" not in message


def test_giving_up_after_the_retries(export, hook):
    hook.plan.extend([Answer(503)] * 10)
    with pytest.raises(ExportError) as caught:
        _post(export, hook.url, batch_size=1000, retries=2)
    assert len(hook.requests) == 3
    assert f"webhook {hook.url}/ failed after 3 attempt(s): 503 Service Unavailable (batch 1 of 1)" in caught.value.format()


def test_a_refused_connection_is_retried_then_reported():
    url = f"http://127.0.0.1:{closed_port()}/hook"
    with pytest.raises(ExportError) as caught:
        _post(alert_export_stub(), url, retries=2)
    message = caught.value.format()
    assert f"webhook {url} failed after 3 attempt(s): cannot connect" in message


def test_a_timeout_is_retried_and_the_receiver_sees_one_task_per_alert(export, hook):
    hook.plan.extend([Answer(200, delay=1.0)])  # the answer comes after the client gave up
    result, waits = _post(export, hook.url, batch_size=1000, timeout=0.3)
    assert result.attempts == 2 and len(hook.requests) == 2 and len(waits) == 1
    assert hook.requests[0].headers["idempotency-key"] == hook.requests[1].headers["idempotency-key"]
    assert len(hook.tasks()) == len(export.alerts)


def test_a_rerun_raises_no_duplicate_task(export_store, export, hook):
    _post(export, hook.url, batch_size=40)
    again = alert_rows(Scorecard(export_store.path))  # a new run, a new scorecard
    _post(again, hook.url, batch_size=30)  # even batched differently
    assert len(hook.requests) == -(-len(export.alerts) // 40) + -(-len(export.alerts) // 30)
    assert len(hook.tasks()) == len(export.alerts)


def test_a_redirect_is_an_error_not_a_silent_success(export, hook):
    hook.plan.extend([Answer(301, headers={"Location": "https://elsewhere.invalid/hook"})])
    with pytest.raises(ExportError, match="redirect to https://elsewhere.invalid/hook"):
        _post(export, hook.url)
    assert len(hook.requests) == 1


@pytest.mark.parametrize("url", ["ftp://example.com/x", "example.com/hook", "http://", "not a url", ""])
def test_bad_urls_are_refused(url):
    with pytest.raises(ExportError, match="--webhook"):
        check_url(url)


@pytest.mark.parametrize("header", ["Authorization Bearer x", ": x", "Bad Name: x", "X-Ok: a\nb"])
def test_bad_headers_are_refused_without_echoing_their_value(header):
    with pytest.raises(ExportError) as caught:
        parse_headers([header])
    assert "Bearer x" not in caught.value.format()


def alert_export_stub():
    from adoptscore.exports.alerts import AlertExport

    return AlertExport("gitlab", "1", "2026-10", "2026-09", [], [{"idempotency_key": "k1", "account_id": "A1"}])


# -- the deadline and secrets, against receivers that misbehave ------------------------------------------------
TRICKLE = 0.5  # seconds between the bytes of a trickled answer: each read gets a byte well within --timeout


def trickled_length(answer: Answer) -> float:
    """How long a trickled answer takes to arrive in full (its status line and headers alone exceed 60 bytes)."""
    return TRICKLE * (len(answer.body) + 60)


def test_timeout_is_a_deadline_for_the_whole_answer(export, hook):
    answer = Answer(200, trickle=TRICKLE)
    hook.plan.extend([answer, answer])
    started = time.monotonic()
    with pytest.raises(ExportError) as caught:
        _post(export, hook.url, batch_size=1000, timeout=1, retries=1)
    elapsed = time.monotonic() - started
    assert "failed after 2 attempt(s): no complete answer within the 1 s deadline (batch 1 of 1)" in caught.value.format()
    assert len(hook.requests) == 2
    # both attempts were cut off at their deadline: together they did not last as long as one trickled answer
    assert elapsed < trickled_length(answer)


def test_the_deadline_fails_the_command(export_store):
    answer = Answer(200, trickle=TRICKLE)
    with HookServer() as hook:
        hook.plan.append(answer)
        started = time.monotonic()
        done = run_export("alerts", "--store", export_store.path, "--webhook", hook.url, "--timeout", "1",
                          "--retries", "0")
        elapsed = time.monotonic() - started
    assert done.exit_code == 2, done.output
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "no complete answer within the 1 s deadline" in lines[0], done.stderr
    assert "posted" not in done.output and elapsed < trickled_length(answer)


SECRET = "Bearer s3cr3t-T0KEN-0123456789"


def test_a_receiver_echoing_the_headers_never_gets_the_token_printed(export_store):
    with HookServer() as hook:
        hook.plan.append(Answer(400, echo=True))
        done = run_export("alerts", "--store", export_store.path, "--webhook", hook.url + "/hook",
                          "-H", f"Authorization: {SECRET}", "-H", "X-Team: cs")
        echoed = hook.requests[0].headers["authorization"]
    assert echoed == SECRET  # the receiver did get it, and echoed it in its reason phrase and body
    assert done.exit_code == 2 and f"webhook {hook.url}/hook refused the alerts: 400" in done.stderr, done.output
    for part in (SECRET, "s3cr3t", "T0KEN"):
        assert part not in done.stdout + done.stderr


@pytest.mark.parametrize("answer", [
    Answer(400, echo=True),                                              # in the reason phrase, cut at 80 characters
    Answer(302, headers={"Location": f"https://elsewhere.invalid/{SECRET.split()[1]}"}),
    Answer(503, echo=True),                                              # retried, then reported
])
def test_no_message_holds_a_header_value(export, hook, answer):
    hook.plan.extend([answer] * 3)
    with pytest.raises(ExportError) as caught:
        _post(export, hook.url, batch_size=1000, retries=2, headers=parse_headers([f"Authorization: {SECRET}"]))
    message = caught.value.format()
    assert "s3cr3t" not in message and "T0KEN" not in message and "***" in message, message


@pytest.mark.parametrize("value", ["Bearer caf\u00e9", "Bearer a\x01b"])
def test_a_header_value_that_is_not_printable_ascii_is_refused_unshown(value):
    with pytest.raises(ExportError, match="not printable ASCII") as caught:
        parse_headers([f"Authorization: {value}"])
    assert value not in caught.value.format()


def run_export(*args):
    from typer.testing import CliRunner

    from adoptscore.commands.export import export_app

    return CliRunner().invoke(export_app, [str(a) for a in args], env={"ADOPTSCORE_DEBUG": ""})
