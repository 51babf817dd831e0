"""What ``lgso ingest`` and ``lgso alerts send`` do with the alerts that wait.

Alerts are queued whatever Slack's configuration; this module posts them when it can and
otherwise says, in one line, how many wait and what would send them. It never raises for
Slack's sake: a missing token or channel is news for the user, not a failure of the ingest.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from lgso_core.errors import ConfigError
from lgso_core.store import UNASSIGNED, Store

from .alerts import deliver_from_env


@dataclass
class Outbox:
    """What posting did, and what still waits."""

    lines: list[str] = field(default_factory=list)
    """What to tell the user (delivery summary, what waits and why)."""
    pending: int = 0
    """Alerts with a channel still not delivered."""
    unassigned: int = 0
    """Alerts waiting for a channel."""

    @property
    def waiting(self) -> int:
        return self.pending + self.unassigned


def post_waiting(store: Store, *, channel: str | None = None, env: Mapping[str, str] | None = None,
                 require_token: bool = False) -> Outbox:  # fmt: skip
    """Give waiting alerts ``channel`` (when set) and post every pending one if a bot token is set.

    ``require_token``: a missing or malformed token raises ``ConfigError`` (``lgso alerts
    send``) instead of being reported as a line (``lgso ingest``).
    """
    env = os.environ if env is None else env
    out = Outbox()
    if channel:
        store.assign_channel(channel)
    if store.alert_counts()["pending"] or store.pending_replies():
        try:
            delivery = deliver_from_env(store, env)
        except ConfigError as exc:
            if require_token:
                raise
            out.lines.append(f"not posted: {exc}")
        else:
            out.lines.append(delivery.summary())
    counts = store.alert_counts()
    out.pending, out.unassigned = counts["pending"], counts[UNASSIGNED]
    if out.unassigned:
        n = out.unassigned
        out.lines.append(f"{n} alert{'s' if n != 1 else ''} wait{'s' if n == 1 else ''} for a channel: "
                         "lgso alerts send --channel C (or set LGSO_ALERT_CHANNEL)")  # fmt: skip
    if out.pending:
        n = out.pending
        out.lines.append(f"{n} alert{'s' if n != 1 else ''} wait{'s' if n == 1 else ''} to be posted: "
                         "lgso alerts list shows them, lgso alerts send posts them")  # fmt: skip
    return out
