"""The Web API client the bot uses: slack_sdk's retry handlers, and posts that are never doubled.

Retries are slack_sdk's own handlers on the ``WebClient``:

- ``RateLimitErrorRetryHandler`` for HTTP 429, after the ``Retry-After`` Slack asks for
  (a rate-limited call was not carried out, so it is always safe to repeat) -- but not when
  Slack asks for a wait longer than ``max_wait``: then the call fails and the caller's
  next run tries again;
- ``ServerErrorRetryHandler`` (HTTP 500 and 503) and ``ConnectionErrorRetryHandler``
  (resets, refused connections, and -- added here -- timeouts) for everything else.

A ``chat.postMessage`` whose outcome is uncertain (a 5xx, a timeout or a reset can come
*after* Slack posted the message) is repeated only when the channel shows no message with
the same metadata marker: :class:`CheckFirst` wraps the two handlers above with that look.
A post without a marker is never repeated after an uncertain outcome (at most once).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from http.client import RemoteDisconnected
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.interval_calculator import RetryIntervalCalculator
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

log = logging.getLogger("lgso.bot.slack")

MARKER_TYPE = "lgso_alert"
"""``metadata.event_type`` of every message the bot posts for an alert."""
RETRIES = 3
"""Retries of one call per kind of failure (after the first try)."""
MAX_WAIT = 30.0
"""The longest Retry-After the bot waits for in one call."""
LOOKBACK = 600.0
"""How far back (seconds) a retry looks for the message it is about to repeat."""
UNCERTAIN = (URLError, ConnectionResetError, RemoteDisconnected, TimeoutError, ConnectionError)
"""Errors after which a request may or may not have reached Slack."""


def marker(payload: dict[str, Any]) -> dict:
    """The ``metadata`` argument of ``chat.postMessage`` carrying ``payload``."""
    return {"event_type": MARKER_TYPE, "event_payload": payload}


def same_marker(message: dict, payload: dict[str, Any]) -> bool:
    """Whether a message from the history carries exactly ``payload`` as its lgso marker."""
    meta = message.get("metadata") or {}
    return meta.get("event_type") == MARKER_TYPE and meta.get("event_payload") == payload


def find_message(client: WebClient, channel: str, payload: dict[str, Any], *, since: float,
                 thread_ts: str | None = None) -> str | None:  # fmt: skip
    """The ``ts`` of the message in ``channel`` (or in the thread ``thread_ts``) posted since
    ``since`` (Unix time) whose marker is ``payload``; None if there is none.

    Raises ``SlackApiError``/``SlackClientError`` if the history cannot be read.
    """
    oldest = f"{max(0.0, since):.6f}"
    cursor = None
    while True:
        if thread_ts is None:
            page = client.conversations_history(channel=channel, oldest=oldest, limit=200, cursor=cursor,
                                                include_all_metadata=True)  # fmt: skip
        else:
            page = client.conversations_replies(channel=channel, ts=thread_ts, oldest=oldest, limit=200,
                                                cursor=cursor, include_all_metadata=True)  # fmt: skip
        for message in page.get("messages") or []:
            if message.get("ts") != thread_ts and same_marker(message, payload):
                return message["ts"]
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not page.get("has_more") or not cursor:
            return None


class CappedRateLimit(RateLimitErrorRetryHandler):
    """slack_sdk's 429 handler, declining a Retry-After longer than ``max_wait`` seconds."""

    def __init__(self, max_retry_count: int = RETRIES, max_wait: float = MAX_WAIT):
        super().__init__(max_retry_count=max_retry_count)
        self.max_wait = max_wait

    def _can_retry(self, *, state: RetryState, request: HttpRequest, response: HttpResponse | None = None,
                   error: Exception | None = None) -> bool:  # fmt: skip
        if not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        assert response is not None  # the base class checked
        wait = next((v for k, v in response.headers.items() if k.lower() == "retry-after"), ["1"])
        try:
            return float(wait[0] if isinstance(wait, list) else wait) <= self.max_wait
        except ValueError:
            return True  # the base class waits 1 s for what it cannot read


class CheckFirst(RetryHandler):
    """Wraps a slack_sdk retry handler: a ``chat.postMessage`` is repeated only if
    ``posted(request)`` says the first one is not in the channel."""

    def __init__(self, inner: RetryHandler, posted: Callable[[HttpRequest], bool]):
        super().__init__(inner.max_retry_count, inner.interval_calculator)
        self.inner, self.posted = inner, posted

    def _can_retry(self, *, state: RetryState, request: HttpRequest, response: HttpResponse | None = None,
                   error: Exception | None = None) -> bool:  # fmt: skip
        if not self.inner._can_retry(state=state, request=request, response=response, error=error):
            return False
        return not request.url.endswith("/chat.postMessage") or not self.posted(request)

    def prepare_for_next_attempt(self, **kwargs) -> None:
        self.inner.prepare_for_next_attempt(**kwargs)


def make_web_client(token: str, base_url: str, *, timeout: float = 15, retries: int = RETRIES,
                    max_wait: float = MAX_WAIT,
                    pause: RetryIntervalCalculator | None = None) -> WebClient:  # fmt: skip
    """A ``WebClient`` with the retry handlers described in the module docstring; ``pause``
    spaces retries after errors (default: slack_sdk's exponential backoff with jitter)."""
    client = WebClient(token=token, base_url=base_url, timeout=timeout, retry_handlers=[])  # type: ignore[arg-type]
    pause = pause or BackoffRetryIntervalCalculator(backoff_factor=0.5)

    def posted(request: HttpRequest) -> bool:
        """Whether the (marked) message of ``request`` is in its channel; True when unsure."""
        try:
            body = json.loads(request.data or b"{}")
        except ValueError:
            return True
        meta = body.get("metadata") or {}
        if meta.get("event_type") != MARKER_TYPE or not body.get("channel"):
            return True  # an unmarked post is never repeated after an uncertain outcome
        try:
            found = find_message(client, body["channel"], meta.get("event_payload"),
                                 since=time.time() - LOOKBACK, thread_ts=body.get("thread_ts"))  # fmt: skip
        except (SlackApiError, SlackClientError, OSError) as exc:
            log.warning("cannot check %s before posting again: %s", body["channel"], exc)
            return True
        return found is not None

    client.retry_handlers = [
        CappedRateLimit(retries, max_wait),
        CheckFirst(ServerErrorRetryHandler(retries, pause), posted),
        CheckFirst(ConnectionErrorRetryHandler(retries, pause, error_types=list(UNCERTAIN)), posted),
    ]
    return client
