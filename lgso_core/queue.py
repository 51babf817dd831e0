"""The alerts waiting to be posted, as ``lgso alerts list`` shows them.

An alert is queued whenever a new or changed letter is alert-worthy, whether or not a
channel is set. Without one it waits (``unassigned``) until ``lgso alerts send --channel C``,
``lgso ingest --alert-channel C`` or ``lgso bot --alert-channel C`` gives it one.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .answer import alert_headline
from .store import Store


class WaitingAlert(BaseModel):
    """An alert not yet delivered."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: int
    channel: str | None = Field(description="Where it goes; None while no channel is set.")
    headline: str
    attempts: int = Field(description="Delivery attempts that failed.")
    last_error: str | None = None


class Waiting(BaseModel):
    """Everything waiting, and what was done with the rest."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    alerts: list[WaitingAlert]
    sent: int = Field(description="Alerts delivered so far.")
    muted: int = Field(description="Alerts held because all their news is muted.")

    def summary(self) -> str:
        """'3 alerts wait (2 for a channel); 12 sent, 1 muted.'"""
        n = len(self.alerts)
        unassigned = sum(a.channel is None for a in self.alerts)
        line = f"{n} alert{'s' if n != 1 else ''} wait{'s' if n == 1 else ''}"
        if unassigned:
            line += f" ({unassigned} for a channel)"
        return f"{line}; {self.sent} sent, {self.muted} muted."

    def lines(self) -> list[str]:
        """One line per alert: '#4 C0123 Rotherham ...: 1 error (2020) [2 tries: channel_not_found]'."""
        out = []
        for a in self.alerts:
            tries = (
                f" [{a.attempts} tr{'y' if a.attempts == 1 else 'ies'}: {a.last_error}]" if a.attempts else ""
            )
            out.append(f"#{a.id} {a.channel or '(no channel)'} {a.headline}{tries}")
        return out


def waiting(store: Store) -> Waiting:
    """The alerts not yet delivered, oldest first."""
    alerts = []
    for a in store.waiting_alerts():
        stored = store.letter(a.sha256)
        headline = (
            alert_headline(stored.audit, revised=a.revised) if stored else f"letter {a.sha256[:12]} (gone)"
        )
        alerts.append(WaitingAlert(id=a.id, channel=a.channel or None, headline=headline, attempts=a.attempts,
                                   last_error=a.last_error))  # fmt: skip
    counts = store.alert_counts()
    return Waiting(alerts=alerts, sent=counts["sent"], muted=counts["muted"])
