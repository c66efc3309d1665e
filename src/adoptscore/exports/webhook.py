"""POSTing alerts to a webhook as JSON, in batches, with retries that never duplicate a task.

- Each request carries up to ``batch_size`` alerts, each with its idempotency key, and an
  ``Idempotency-Key`` header derived from the keys it carries: the same batch sent twice (a retry
  after a timeout whose answer was lost, or a re-run) has the same key.
- A connection error, a timeout, a 5xx answer, 429 (too many requests) or 408 (request timeout)
  is retried with exponential backoff (a ``Retry-After`` answer header is honoured, up to a cap);
  any other 4xx is not retried: the request itself is wrong and would fail the same way again.
- ``timeout`` is a deadline for each request: connecting, sending and the whole answer. A receiver
  that trickles its answer (a byte a second holds every per-read timeout off) is cut off at the
  deadline, and that attempt counts as a timeout.
- A failure raises one error line naming the URL (without its query string or credentials), the
  last status and reason, and which batches were delivered before it. An answer's body is never
  shown (a receiver may echo the request's headers into it), and no message holds a value given
  with ``headers``: each is replaced by ``***``.
"""
from __future__ import annotations

import asyncio
import hashlib
import re
import time
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx

import adoptscore
from adoptscore.exports.alerts import AlertExport
from adoptscore.exports.comments import plain_text
from adoptscore.exports.source import ExportError

RETRY_STATUS = {408, 429}
MAX_RETRY_AFTER = 60.0
#: An answer's body is read (so the connection can be kept) up to this much, then dropped unread.
MAX_ANSWER_BYTES = 64 * 1024
#: Words of header values shorter than this are not redacted: they are no secret, and replacing
#: them would garble messages (X-Team: cs).
MIN_SECRET = 4
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
        if not all(ch == "\t" or " " <= ch <= "~" for ch in value):
            raise ExportError(f"--header {name}: the value holds a character that is not printable ASCII",
                              hint="HTTP header values are ASCII text; encode others (e.g. base64)")
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
    most ``1 + retries`` times, each attempt within ``timeout`` seconds in all. Returns what was
    sent; raises :class:`ExportError` when a batch cannot be delivered."""
    target = check_url(url)
    if batch_size < 1:
        raise ExportError(f"batch size {batch_size} is out of range", hint="send 1 or more alerts per request")
    if not timeout > 0 or retries < 0:
        raise ExportError("the timeout must be positive and the retries 0 or more")
    batches = [export.alerts[i:i + batch_size] for i in range(0, len(export.alerts), batch_size)]
    sender = _Sender(target, {"User-Agent": f"adoptscore/{adoptscore.__version__}", **(headers or {})},
                     _secrets(headers), timeout, retries, backoff, max_backoff, sleep)
    attempts = _run(lambda: sender.send_all(export, batches, on_batch))
    return WebhookResult(sender.shown, len(export.alerts), len(batches), attempts)


def _run(make: Callable[[], Coroutine[Any, Any, int]]) -> int:
    """Run a coroutine to its end from synchronous code, also when this thread runs an event loop (Jupyter)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


def _secrets(headers: dict[str, str] | None) -> list[str]:
    """The header values (and their words) a message must not show, longest first."""
    found = set()
    for value in (headers or {}).values():
        found.update(part for part in (value, *value.split()) if len(part) >= MIN_SECRET)
    return sorted(found, key=len, reverse=True)


class _Answer(Exception):
    """An attempt that ended without a 2xx answer; ``retry`` says whether another attempt may help."""

    def __init__(self, last: str, retry: bool, wait: float = 0.0, hint: str | None = None):
        super().__init__(last)
        self.last, self.retry, self.wait, self.hint = last, retry, wait, hint


class _Sender:
    """Delivers batches to one URL: the deadline per attempt, retries with backoff, redacted messages."""

    def __init__(self, url: httpx.URL, headers: dict[str, str], secrets: list[str], timeout: float, retries: int,
                 backoff: float, max_backoff: float, sleep: Callable[[float], None]):
        self.url, self.headers, self.secrets = url, headers, secrets
        self.shown = self.redact(shown_url(url))
        self.timeout, self.retries, self.backoff, self.max_backoff, self.sleep = timeout, retries, backoff, max_backoff, sleep

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text

    async def send_all(self, export: AlertExport, batches: list[list[dict[str, Any]]],
                       on_batch: Callable[[int, int], None] | None) -> int:
        attempts = 0
        async with httpx.AsyncClient(timeout=self.timeout, follow_redirects=False) as client:
            for number, batch in enumerate(batches, start=1):
                body = {"source": "adoptscore", "rubric": export.rubric, "rubric_version": export.rubric_version,
                        "period": export.period, "previous_period": export.previous_period, "batch": number,
                        "batches": len(batches), "alerts": batch}
                headers = {**self.headers, "Idempotency-Key": batch_key(batch)}
                attempts += await self._deliver(client, body, headers, number, len(batches))
                if on_batch:
                    on_batch(number, len(batches))
        return attempts

    async def _deliver(self, client: httpx.AsyncClient, body: dict, headers: dict[str, str], number: int,
                       total: int) -> int:
        """Send one batch; the number of attempts it took."""
        where = f"batch {number} of {total}" + (f"; batches 1-{number - 1} were delivered" if number > 1 else "")
        last = ""
        for attempt in range(self.retries + 1):
            wait = min(self.max_backoff, self.backoff * 2 ** attempt)
            try:
                await self._attempt(client, body, headers)
                return attempt + 1
            except _Answer as answer:
                last = self.redact(answer.last)
                if not answer.retry:
                    raise ExportError(f"webhook {self.shown} {last} ({where})", hint=answer.hint) from None
                wait = max(wait, answer.wait)
            if attempt < self.retries:
                self.sleep(wait)
        raise ExportError(f"webhook {self.shown} failed after {self.retries + 1} attempt(s): {last} ({where})",
                          hint="try again later; re-running is safe, every alert carries an idempotency key")

    async def _attempt(self, client: httpx.AsyncClient, body: dict, headers: dict[str, str]) -> None:
        """One request within the deadline; returns on a 2xx answer, raises :class:`_Answer` otherwise."""
        try:
            async with asyncio.timeout(self.timeout):
                async with client.stream("POST", self.url, json=body, headers=headers) as response:
                    await _drain(response)
        except (TimeoutError, httpx.TimeoutException):
            raise _Answer(f"no complete answer within the {self.timeout:g} s deadline", retry=True) from None
        except httpx.HTTPError as exc:  # connection refused or reset, a broken answer
            raise _Answer(f"cannot connect ({self.redact(plain_text(exc))[:200] or type(exc).__name__})",
                          retry=True) from None
        status = response.status_code
        if 200 <= status < 300:
            return
        # the status and its reason only: a body may echo the request's headers (an Authorization token);
        # what the receiver wrote is redacted before it is cut, so no part of a secret survives the cut
        last = self.redact(plain_text(f"{status} {response.reason_phrase}"))[:80]
        if 300 <= status < 400:
            location = self.redact(_shown_location(response.headers.get("location", "")))[:200]
            raise _Answer(f"answered {last}, a redirect to {location}", retry=False,
                          hint="give --webhook the final URL")
        if status < 500 and status not in RETRY_STATUS:
            raise _Answer(f"refused the alerts: {last}", retry=False,
                          hint="a 4xx answer is not retried: check the URL and --header; re-running is safe, "
                               "every alert carries an idempotency key")
        raise _Answer(last, retry=True, wait=_retry_after(response))


async def _drain(response: httpx.Response) -> None:
    """Read the answer to its end (or :data:`MAX_ANSWER_BYTES`), keeping none of it."""
    read = 0
    async for chunk in response.aiter_raw():
        read += len(chunk)
        if read > MAX_ANSWER_BYTES:
            return


def _shown_location(location: str) -> str:
    try:
        return shown_url(location) if location else "?"
    except (httpx.InvalidURL, TypeError, ValueError):
        return "an invalid URL"


def _retry_after(response: httpx.Response) -> float:
    value = response.headers.get("retry-after", "")
    try:
        return min(MAX_RETRY_AFTER, max(0.0, float(value)))
    except ValueError:
        return 0.0
