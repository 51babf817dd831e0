"""Post the store's pending alerts to Slack: a headline in the channel, details in its thread.

The store queues an alert when it first meets an alert-worthy letter content (see
``lgso_core.store``); this module only delivers. Each alert is two ``chat.postMessage``
calls, recorded one at a time, so a failure after the headline retries only the thread
reply. Rate limits (HTTP 429) are retried after the ``Retry-After`` Slack asks for, other
Slack and network errors with a short backoff, both a bounded number of times. An alert
still undelivered stays pending -- with its error recorded -- for the next run.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from lgso_core.answer import alert_headline, letter_answer
from lgso_core.store import PendingAlert, Store

from .blocks import answer_message, headline_message
from .settings import Settings

log = logging.getLogger("lgso.bot.alerts")

ATTEMPTS = 4
"""Calls per message before giving up for this run."""
MAX_WAIT = 30.0
"""Longest pause between two calls, whatever Retry-After says."""
BACKOFF = 1.0
"""First pause after a Slack or network error; doubles each time."""
FATAL = frozenset({
    "channel_not_found", "not_in_channel", "is_archived", "invalid_auth", "not_authed",
    "account_inactive", "token_revoked", "token_expired", "missing_scope", "no_permission",
    "restricted_action", "team_access_not_granted",
})  # fmt: skip
"""Errors that no retry in this run can fix (the alert stays pending for the next run)."""
UNRENDERABLE = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_too_long", "invalid_arguments"})


class Undelivered(Exception):
    """A message could not be posted in this run."""


@dataclass
class Delivery:
    """What one delivery run did."""

    sent: int = 0
    pending: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """'1 alert posted; 0 still pending.' plus the first error, if any."""
        line = f"{self.sent} alert{'s' if self.sent != 1 else ''} posted; {self.pending} still pending"
        if self.pending:
            line += f" (will be retried on the next run: {self.errors[0] if self.errors else 'not tried'})"
        return line + "."


def make_client(settings: Settings) -> WebClient:
    """A Web API client for the bot token, at ``SLACK_API_URL`` when set."""
    return WebClient(token=settings.bot_token, base_url=settings.api_url, timeout=15)


class Poster:
    """``chat.postMessage`` with bounded retries; ``sleep`` is injectable so tests are fast."""

    def __init__(self, client: WebClient, *, sleep: Callable[[float], None] = time.sleep,
                 attempts: int = ATTEMPTS, max_wait: float = MAX_WAIT, backoff: float = BACKOFF):  # fmt: skip
        self.client, self.sleep = client, sleep
        self.attempts, self.max_wait, self.backoff = max(1, attempts), max_wait, backoff

    def post(self, **message) -> str:
        """Post ``message``; return its ``ts``. Raises ``Undelivered`` with the last error."""
        for attempt in range(1, self.attempts + 1):
            try:
                return self.client.chat_postMessage(**message)["ts"]
            except SlackApiError as exc:
                reason, wait = self._judge(exc, attempt)
            except (SlackClientError, OSError, ValueError) as exc:  # network, timeouts, bad JSON
                reason, wait = f"{type(exc).__name__}: {exc}", self.backoff * 2 ** (attempt - 1)
            if wait is None or attempt == self.attempts:
                raise Undelivered(reason)
            log.info("chat.postMessage failed (%s); retrying in %.1fs", reason, min(wait, self.max_wait))
            self.sleep(min(wait, self.max_wait))
        raise Undelivered("no attempt made")  # unreachable: attempts >= 1

    def _judge(self, exc: SlackApiError, attempt: int) -> tuple[str, float | None]:
        """The error's one-line reason, and how long to wait before retrying (None: don't)."""
        response = exc.response
        error = str(response.get("error") or f"HTTP {response.status_code}")
        if response.status_code == 429 or error == "ratelimited":
            headers = response.headers or {}
            retry_after = headers.get("Retry-After") or headers.get("retry-after") or "1"
            try:
                return "rate limited", max(0.0, float(retry_after))
            except ValueError:
                return "rate limited", 1.0
        if error in FATAL or error in UNRENDERABLE:
            return error, None
        return error, self.backoff * 2 ** (attempt - 1)


def deliver_pending(store: Store, poster: Poster, *, channel: str | None = None) -> Delivery:
    """Post every pending alert (of ``channel``, or all); stop at the first undeliverable one."""
    result = Delivery()
    pending = store.pending_alerts(channel)
    for i, alert in enumerate(pending):
        try:
            _deliver(store, poster, alert)
        except Undelivered as exc:
            store.alert_failed(alert.id, str(exc))
            result.errors.append(str(exc))
            result.pending = len(pending) - i
            log.warning("alert for %s to %s not delivered: %s", alert.sha256[:12], alert.channel, exc)
            return result
        result.sent += 1
    return result


def _deliver(store: Store, poster: Poster, alert: PendingAlert) -> None:
    stored = store.letter(alert.sha256)
    if stored is None:
        raise Undelivered(f"letter {alert.sha256[:12]} is no longer in the store")
    ts = alert.headline_ts
    if ts is None:
        headline = alert_headline(stored.audit, revised=alert.revised)
        ts = poster.post(channel=alert.channel, unfurl_links=False, unfurl_media=False,
                         **headline_message(headline))  # fmt: skip
        store.headline_posted(alert.id, ts)
    details = answer_message(letter_answer(store, stored))
    try:
        poster.post(channel=alert.channel, thread_ts=ts, unfurl_links=False, **details)
    except Undelivered as exc:
        if str(exc) not in UNRENDERABLE:
            raise
        text = f"The details are too long for Slack ({exc}); run `lgso show` in a terminal."
        poster.post(channel=alert.channel, thread_ts=ts, text=text)
    store.alert_sent(alert.id)


def deliver_from_env(store: Store, env: Mapping[str, str] | None = None) -> Delivery:
    """Deliver every pending alert with the bot token from the environment (``lgso ingest``)."""
    settings = Settings.from_env(env, serving=False)
    return deliver_pending(store, Poster(make_client(settings)))
