"""POSTing alerts to a webhook as JSON, in batches, with retries that never duplicate a task.

- Each request carries up to ``batch_size`` alerts, each with its idempotency key, and an
  ``Idempotency-Key`` header derived from the keys it carries: the same batch sent twice (a retry
  after a timeout whose answer was lost, or a re-run) has the same key.
- A connection error, a timeout, a 5xx answer, 429 (too many requests) or 408 (request timeout)
  is retried with exponential backoff (a ``Retry-After`` answer header is honoured, up to a cap);
  any other 4xx is not retried: the request itself is wrong and would fail the same way again.
- A failure raises one error line naming the URL (without its query string or credentials), the
  last status, and which batches were delivered before it.
"""
from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

import adoptscore
from adoptscore.exports.alerts import AlertExport
from adoptscore.exports.comments import plain_text
from adoptscore.exports.source import ExportError

RETRY_STATUS = {408, 429}
MAX_RETRY_AFTER = 60.0
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # an HTTP header name (RFC 9110 token)


@dataclass
class WebhookResult:
    url: str                # as shown: no query string, no credentials
    alerts: int
    requests: int
    attempts: int


def check_url(url: str) -> httpx.URL:
    """``url`` parsed; anything but an absolute http(s) URL is an error."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise ExportError(f"--webhook {url!r} is not a URL: {exc}",
                          hint="e.g. --webhook https://hooks.example.com/adoption") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ExportError(f"--webhook {shown_url(parsed)!r} is not an http(s) URL",
                          hint="e.g. --webhook https://hooks.example.com/adoption")
    return parsed


def shown_url(url: httpx.URL | str) -> str:
    """``url`` fit for an error message: no user name, password or query string (they may hold secrets)."""
    url = url if isinstance(url, httpx.URL) else httpx.URL(url)
    port = f":{url.port}" if url.port else ""
    return f"{url.scheme}://{url.host}{port}{url.path}" if url.host else str(url.copy_with(query=None))


def parse_headers(values: Sequence[str] | None) -> dict[str, str]:
    """``Name: value`` strings as a header dict (a malformed one is an error that hides its value)."""
    headers: dict[str, str] = {}
    for text in values or ():
        name, sep, value = text.partition(":")
        name, value = name.strip(), value.strip()
        if not sep or not _TOKEN.match(name):
            first = (text.split(":", 1)[0].split() or [""])[0][:40]  # never the rest: it may be a secret
            raise ExportError(f"--header '{first} ...' is not 'Name: value'",
                              hint="e.g. --header 'Authorization: Bearer TOKEN'")
        if any(ch in value for ch in "\r\n\x00"):
            raise ExportError(f"--header {name}: the value holds a line break", hint="give the value on one line")
        headers[name] = value
    return headers


def batch_key(alerts: Sequence[dict[str, Any]]) -> str:
    """The ``Idempotency-Key`` of a request: a SHA-256 of the keys of the alerts it carries."""
    return hashlib.sha256("\n".join(a["idempotency_key"] for a in alerts).encode("ascii")).hexdigest()


def post_alerts(export: AlertExport, url: str, *, headers: dict[str, str] | None = None, batch_size: int = 100,
                timeout: float = 10.0, retries: int = 3, backoff: float = 0.5, max_backoff: float = 30.0,
                sleep: Callable[[float], None] = time.sleep,
                on_batch: Callable[[int, int], None] | None = None) -> WebhookResult:
    """POST ``export``'s alerts to ``url`` in batches of ``batch_size``; each request is tried at
    most ``1 + retries`` times. Returns what was sent; raises :class:`ExportError` on failure."""
    target = check_url(url)
    if batch_size < 1:
        raise ExportError(f"batch size {batch_size} is out of range", hint="send 1 or more alerts per request")
    if timeout <= 0 or retries < 0:
        raise ExportError("the timeout must be positive and the retries 0 or more")
    shown = shown_url(target)
    batches = [export.alerts[i:i + batch_size] for i in range(0, len(export.alerts), batch_size)]
    sent_headers = {"User-Agent": f"adoptscore/{adoptscore.__version__}", **(headers or {})}
    attempts = 0
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        for number, batch in enumerate(batches, start=1):
            body = {"source": "adoptscore", "rubric": export.rubric, "rubric_version": export.rubric_version,
                    "period": export.period, "previous_period": export.previous_period, "batch": number,
                    "batches": len(batches), "alerts": batch}
            request_headers = {**sent_headers, "Idempotency-Key": batch_key(batch)}
            attempts += _deliver(client, target, shown, body, request_headers, number, len(batches), retries,
                                 backoff, max_backoff, sleep)
            if on_batch:
                on_batch(number, len(batches))
    return WebhookResult(shown, len(export.alerts), len(batches), attempts)


def _deliver(client: httpx.Client, url: httpx.URL, shown: str, body: dict, headers: dict[str, str], number: int,
             total: int, retries: int, backoff: float, max_backoff: float, sleep: Callable[[float], None]) -> int:
    """Send one batch; the number of attempts it took."""
    where = f"batch {number} of {total}" + (f"; batches 1-{number - 1} were delivered" if number > 1 else "")
    last = ""
    for attempt in range(retries + 1):
        wait = min(max_backoff, backoff * 2 ** attempt)
        try:
            response = client.post(url, json=body, headers=headers)
        except httpx.TimeoutException:
            last = f"no answer within {client.timeout.read:g} s"
        except httpx.TransportError as exc:
            last = f"cannot connect ({plain_text(exc) or type(exc).__name__})"
        else:
            status = response.status_code
            if 200 <= status < 300:
                return attempt + 1
            last = f"{status} {response.reason_phrase}".strip()
            if 300 <= status < 400:
                raise ExportError(f"webhook {shown} answered {last}, a redirect to "
                                  f"{response.headers.get('location', '?')} ({where})",
                                  hint="give --webhook the final URL")
            if status < 500 and status not in RETRY_STATUS:
                detail = plain_text(response.text)[:200]
                raise ExportError(f"webhook {shown} refused the alerts: {last}" + (f": {detail}" if detail else "")
                                  + f" ({where})",
                                  hint="a 4xx answer is not retried: check the URL and --header; re-running is safe, "
                                       "every alert carries an idempotency key")
            wait = max(wait, _retry_after(response))
        if attempt < retries:
            sleep(wait)
    raise ExportError(f"webhook {shown} failed after {retries + 1} attempt(s): {last} ({where})",
                      hint="try again later; re-running is safe, every alert carries an idempotency key")


def _retry_after(response: httpx.Response) -> float:
    value = response.headers.get("retry-after", "")
    try:
        return min(MAX_RETRY_AFTER, max(0.0, float(value)))
    except ValueError:
        return 0.0
