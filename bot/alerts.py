"""Post the store's pending alerts to Slack, each exactly once: a headline in the channel,
details in its thread.

The store queues an alert when it first meets an alert-worthy letter content (see
``lgso_core.store``); this module only delivers, one alert at a time:

1. *Claim* it in the store (an owner and a lease, in one write transaction): another
   deliverer -- a second ``lgso ingest``, or ``lgso bot --watch`` -- skips it.
2. Before each message, renew the claim and record the time of the first try; post the
   message with metadata naming the alert (``lgso_alert``: alert id, content hash, part).
3. Record the headline's ``ts`` (the reply goes in its thread), then mark the alert sent.

If a post's outcome is uncertain (a timeout, a reset or a 5xx after Slack may have taken
the message) or the deliverer died mid-way (``kill -9``, a power cut), whoever finishes
the alert looks in the channel's history for the message's metadata before posting again
(:mod:`bot.slackapi` does the same before each retry). Retries are slack_sdk's retry
handlers; an alert still undelivered is released with its error recorded, for the next run.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from lgso_core.answer import letter_answer
from lgso_core.errors import LgsoError
from lgso_core.mutes import MuteBook, is_muted
from lgso_core.present import count
from lgso_core.store import AlertPart, PendingAlert, Store

from .blocks import answer_message, escape
from .digest import DigestNotReady, card, digest_plan
from .pace import Pace
from .settings import Settings
from .slackapi import find_message, make_web_client, marker

log = logging.getLogger("lgso.bot.alerts")

LEASE = 600.0
"""Seconds a claim lasts unless renewed: three times the longest one post can take with its
retries and history looks (4 tries of 15 s, 3 waits of up to 30 s, 3 looks of 15 s: 195 s),
so a live deliverer never loses an alert mid-post. A deliverer that died on this machine is
noticed at once (:func:`release_dead`); one on another machine holds its alerts this long."""
MARGIN = 60.0
"""Seconds before a first try that a history search starts (clocks differ)."""
UNRENDERABLE = frozenset({"invalid_blocks", "invalid_blocks_format", "msg_too_long", "invalid_arguments"})
"""Errors that mean the message itself is refused: the details go as a short note instead."""


class Undelivered(Exception):
    """A message could not be posted in this run."""


class Muted(Exception):
    """An alert whose news was all muted after it was queued: it is held, not posted."""


class ClaimLost(Undelivered):
    """Another deliverer took the alert over (this one's lease lapsed): stop, post nothing."""


@dataclass
class Delivery:
    """What one delivery run did."""

    sent: int = 0
    pending: int = 0
    errors: list[str] = field(default_factory=list)
    busy: int = 0
    """Alerts left to another deliverer that holds them (it posts them)."""

    def summary(self) -> str:
        """'1 alert posted; 0 still pending.' plus the first error, if any."""
        line = f"{count(self.sent, 'alert')} posted; {self.pending} still pending"
        if self.pending:
            line += f" (will be retried on the next run: {self.errors[0] if self.errors else 'not tried'})"
        if self.busy:
            line += f"; {self.busy} being posted by another lgso process"
        return line + "."


def make_client(settings: Settings) -> WebClient:
    """A Web API client for the bot token, at ``SLACK_API_URL`` when set (see ``bot.slackapi``)."""
    return make_web_client(settings.bot_token, settings.api_url, timeout=settings.api_timeout)


def owner_id() -> str:
    """A name for this deliverer, unique across processes and hosts: host, pid, random."""
    return f"{socket.gethostname()}/{os.getpid()}/{uuid.uuid4().hex[:8]}"


def _gone(owner: str) -> bool:
    """Whether ``owner`` (see :func:`owner_id`) was a process on this machine that has ended."""
    host, _, rest = owner.partition("/")
    pid = rest.partition("/")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except OSError:  # it exists, but is another user's
        return False
    return False


def release_dead(store: Store) -> int:
    """Free the claims of deliverers on this machine that died (``kill -9``, a crash) without
    waiting for their leases; whoever takes such an alert looks in the channel first."""
    return sum(
        store.release_claim(alert_id, owner) for alert_id, owner in store.alert_claims() if _gone(owner)
    )


class Poster:
    """Posts one message at a time, at most one a second per channel (``pace``); finds a
    marked message again after an uncertain outcome."""

    def __init__(self, client: WebClient, pace: Pace | None = None):
        self.client = client
        self.pace = pace or Pace()

    def post(self, *, payload: dict | None = None, since: float | None = None, **message) -> str:
        """Post ``message`` (marked with ``payload`` when given); return its ``ts``.

        After an uncertain failure the channel is searched (from ``since``) for the marked
        message, whose ``ts`` is returned if it is there. Raises ``Undelivered``.
        """
        started = time.time() if since is None else since
        if payload is not None:
            message["metadata"] = marker(payload)
        self.pace.wait(str(message.get("channel")))
        try:
            return self.client.chat_postMessage(**message)["ts"]
        except SlackApiError as exc:
            status = exc.response.status_code
            reason = "rate limited" if status == 429 else str(exc.response.get("error") or "")
            if status >= 500 or not reason:
                reason = f"HTTP {status}"
            if status < 500 or payload is None:
                raise Undelivered(reason) from None
        except (SlackClientError, ValueError) as exc:  # a reply Slack's client cannot read
            raise Undelivered(f"{type(exc).__name__}: {exc}") from None
        except OSError as exc:  # timeouts, resets: the message may be in the channel
            reason = f"{type(exc).__name__}: {exc}"
            if payload is None:
                raise Undelivered(reason) from None
        found = self.find(message["channel"], payload, since=started, thread_ts=message.get("thread_ts"))
        if found is None:
            raise Undelivered(f"{reason} (not in the channel)")
        log.info("post to %s failed (%s) but Slack has it (ts %s)", message["channel"], reason, found)
        return found

    def find(self, channel: str, payload: dict, *, since: float, thread_ts: str | None = None) -> str | None:
        """The ``ts`` of the marked message in the channel (or thread); raises ``Undelivered``
        if the history cannot be read (then nothing may be posted)."""
        try:
            return find_message(self.client, channel, payload, since=since - MARGIN, thread_ts=thread_ts)
        except SlackApiError as exc:
            error = exc.response.get("error") or f"HTTP {exc.response.status_code}"
            raise Undelivered(f"cannot check {channel}'s history before posting again ({error})") from None
        except (SlackClientError, OSError, ValueError) as exc:
            raise Undelivered(f"cannot check {channel}'s history before posting again ({exc})") from None


def deliver_pending(store: Store, poster: Poster, *, channel: str | None = None, lease: float = LEASE,
                    owner: str | None = None) -> Delivery:  # fmt: skip
    """Claim and post pending alerts (of ``channel``, or all) until none is left to claim;
    stop at the first undeliverable one. Alerts other deliverers hold are theirs to post."""
    owner = owner or owner_id()
    result = Delivery()
    release_dead(store)
    while (alert := store.claim_alert(owner, lease=lease, channel=channel)) is not None:
        try:
            _deliver(store, poster, alert, owner, lease)
        except ClaimLost as exc:
            log.warning("alert %s: %s", alert.id, exc)
            continue
        except Muted:  # muted since it was queued: stored, not alerted
            store.suppress_alerts([alert.id], "muted")
            continue
        except (Undelivered, LgsoError) as exc:
            store.alert_failed(alert.id, str(exc), owner)
            result.errors.append(str(exc))
            result.pending = len(store.pending_alerts(channel))
            log.warning("alert for %s to %s not delivered: %s", alert.sha256[:12], alert.channel, exc)
            return result
        result.sent += 1
    result.busy = len(store.pending_alerts(channel))  # none left to claim: the rest are held
    replies = deliver_replies(store, poster, owner=owner, lease=lease)
    result.sent += replies.sent
    result.pending += replies.pending
    result.errors += replies.errors
    return result


def deliver_replies(
    store: Store, poster: Poster, *, owner: str | None = None, lease: float = LEASE
) -> Delivery:
    """Post the replies a re-audit queued in alert threads (each says how a letter's verdict
    changed), each exactly once as alerts are: claimed, marked, looked for before a retry.
    A reply waits until its alert is fully delivered."""
    owner = owner or owner_id()
    result = Delivery()
    while (reply := store.claim_reply(owner, lease=lease)) is not None:
        payload = {"reply_id": reply.id, "sha256": reply.sha256, "part": "verdict"}
        where = {"channel": reply.channel, "thread_ts": reply.thread_ts}
        try:
            found = (
                poster.find(payload=payload, since=reply.tried, **where) if reply.tried is not None else None
            )
            if found is None:
                if not store.begin_reply(reply.id, owner, lease=lease):
                    continue  # another deliverer took it over
                poster.post(payload=payload, since=reply.tried, text=escape(reply.text), unfurl_links=False,
                            unfurl_media=False, **where)  # fmt: skip
        except Undelivered as exc:
            store.reply_failed(reply.id, str(exc), owner)
            result.errors.append(str(exc))
            result.pending = len(store.pending_replies())
            return result
        result.sent += store.reply_sent(reply.id, owner)
    return result


def _payload(alert: PendingAlert, part: AlertPart) -> dict:
    return {"alert_id": alert.id, "sha256": alert.sha256, "part": part}


def _post_part(store: Store, poster: Poster, alert: PendingAlert, owner: str, lease: float, part: AlertPart,
               message: dict, thread_ts: str | None = None) -> str:  # fmt: skip
    """Post one part of ``alert`` exactly once; its ``ts``."""
    payload = _payload(alert, part)
    tried = alert.headline_tried if part == "headline" else alert.reply_tried
    where = {"channel": alert.channel, **({"thread_ts": thread_ts} if thread_ts else {})}
    if tried is not None:  # an earlier try may have reached Slack: look before posting again
        found = poster.find(alert.channel, payload, since=tried, thread_ts=thread_ts)
        if found is not None:
            return found
    if not store.begin_post(alert.id, owner, part, lease=lease):
        raise ClaimLost("another deliverer took it over")
    message = {"unfurl_links": False, "unfurl_media": False, **where, **message}
    return poster.post(payload=payload, since=tried, **message)


def _deliver(store: Store, poster: Poster, alert: PendingAlert, owner: str, lease: float) -> None:
    stored = store.letter(alert.sha256)
    if stored is None:
        raise Undelivered(f"letter {alert.sha256[:12]} is no longer in the store")
    if alert.headline_ts is None and is_muted(stored.audit, MuteBook(store).mutes()):
        raise Muted(f"alert {alert.id}: all its news is muted")
    try:
        digest = digest_plan(store, alert)  # an alert of a large ingest goes in its digest's thread
    except DigestNotReady as exc:
        raise Undelivered(str(exc)) from None
    ts = alert.headline_ts
    if ts is None:
        if digest is not None and digest.ts is not None:
            ts = digest.ts
        else:  # a lone alert's card, or the digest its batch's first alert posts
            headline = card(store, alert) if digest is None else digest.message(store)
            ts = _post_part(store, poster, alert, owner, lease, "headline", headline)
            if digest is not None:
                digest.posted(store, alert.channel, ts)
        if not store.headline_posted(alert.id, ts, owner):
            raise ClaimLost("another deliverer took it over after its headline")
    details = card(store, alert) if digest is not None else answer_message(letter_answer(store, stored))
    try:
        _post_part(store, poster, alert, owner, lease, "reply", details, thread_ts=ts)
    except ClaimLost:
        raise
    except Undelivered as exc:
        if str(exc) not in UNRENDERABLE:
            raise
        text = f"The details are too long for Slack ({exc}); run `lgso show` in a terminal."
        _post_part(store, poster, alert, owner, lease, "reply", {"text": text}, thread_ts=ts)
    if not store.alert_sent(alert.id, owner):
        raise ClaimLost("another deliverer took it over before it was marked sent")


def deliver_from_env(store: Store, env: Mapping[str, str] | None = None) -> Delivery:
    """Deliver every pending alert with the bot token from the environment (``lgso ingest``)."""
    settings = Settings.from_env(env, serving=False)
    poster = Poster(make_client(settings), pace=Pace(settings.post_interval))
    return deliver_pending(store, poster, lease=settings.alert_lease)
