"""Digests on the wire: how an alert of a large batch goes out through the delivery path.

An ingest that brings more letters than the digest threshold is a *digest batch*
(``lgso_core.digest``). Its alerts are delivered like any other -- claimed one by one,
each message marked and posted exactly once by ``bot.alerts`` -- with two differences:

- the batch's first alert (its *leader*) posts the digest message as its headline, and
  every other alert of the batch takes the digest's ``ts`` as its own headline;
- each alert's thread reply is its card (headline, topics, acknowledge and mute buttons)
  in the digest's thread, rather than the letter's whole answer.

So the channel gets one message for the batch, and one thread reply per letter that needs
attention. A single alert's headline is its card too; its reply is the letter's answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from lgso_core.answer import alert_card, alert_headline
from lgso_core.digest import Batch, Batches
from lgso_core.store import PendingAlert, Store

from .blocks import alert_message, digest_message, headline_message


class DigestNotReady(Exception):
    """An alert of a digest batch whose digest its leader has not posted yet."""


@dataclass(frozen=True)
class DigestPlan:
    """Where one alert of a digest batch goes."""

    batch: Batch
    leader: bool
    """This alert posts the digest (its batch's first alert for its channel)."""
    ts: str | None
    """The digest's ``ts``, once posted."""

    def message(self, store: Store) -> dict:
        """The digest message, counted now."""
        batches = Batches(store)
        members = store.query(
            f"SELECT count(*) FROM alerts WHERE status IN ('pending', 'sent') AND id IN "
            f"({','.join('?' * len(self.batch.alert_ids))})", self.batch.alert_ids)[0][0]  # fmt: skip
        return digest_message(batches.summary(self.batch), members)

    def posted(self, store: Store, channel: str, ts: str) -> None:
        Batches(store).digest_posted(self.batch.id, channel, ts)


def digest_plan(store: Store, alert: PendingAlert) -> DigestPlan | None:
    """How ``alert`` goes out in its batch's digest; None when it goes out alone.

    Raises ``DigestNotReady`` when its batch's digest is still to be posted by another alert.
    """
    batches = Batches(store)
    batch_id = batches.of_alerts([alert.id]).get(alert.id)
    batch = batches.get(batch_id) if batch_id is not None else None
    if batch is None or not batch.digest:
        return None
    if batch.digest_ts and batch.channel == alert.channel:
        return DigestPlan(batch=batch, leader=False, ts=batch.digest_ts)
    rows = store.query(
        f"SELECT min(id) FROM alerts WHERE channel = ? AND status IN ('pending', 'sent') AND id IN "
        f"({','.join('?' * len(batch.alert_ids))})", [alert.channel, *batch.alert_ids])  # fmt: skip
    if rows[0][0] != alert.id:
        raise DigestNotReady(f"waits for its batch's digest (alert {rows[0][0]} posts it)")
    return DigestPlan(batch=batch, leader=True, ts=None)


def card(store: Store, alert: PendingAlert) -> dict:
    """The alert's card: headline with topics and buttons (its plain headline if the card fails)."""
    found = alert_card(store, alert.id)
    if found is not None:
        return alert_message(found)
    stored = store.letter(alert.sha256)
    return headline_message(alert_headline(stored.audit, revised=alert.revised) if stored else "an alert")
