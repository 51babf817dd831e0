"""Noise control: topics muted (everywhere or for one council), alerts acknowledged.

A letter's *news* is what makes it alert-worthy, item by item: each unique paragraph
(under its tags; an untagged one is the topic ``unique paragraph``), each error finding
(under its code, e.g. ``rate-mismatch``) and each outlier (``outlier upheld.rate``). These
are the topics an alert's headline names. A paragraph is muted when every one of its tags
is muted; a letter is still alerted while any one of its news items is not muted, and a
letter whose only news is muted is stored but not alerted (its queued alert is marked
``muted``).

Every acknowledgement, mute and unmute is kept in the ``alert_actions`` table: who, when,
what. The tables live in the audit store beside the letters (``Store.extend``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .lookup import find_authority
from .models import LetterAudit, Severity
from .store import IngestResult, Store, letter_key

UNTAGGED = "unique paragraph"
"""The topic of a unique paragraph that carries no tag."""
TOPIC_LIMIT = 80
"""Longest topic kept (a topic typed in a command is cut to this)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS mutes (
    id            INTEGER PRIMARY KEY,
    topic         TEXT NOT NULL,
    authority_key TEXT NOT NULL DEFAULT '',
    authority     TEXT NOT NULL DEFAULT '',
    user_id       TEXT NOT NULL,
    user_name     TEXT NOT NULL DEFAULT '',
    muted_at      TEXT NOT NULL,
    UNIQUE (topic, authority_key)
);
CREATE TABLE IF NOT EXISTS alert_actions (
    id         INTEGER PRIMARY KEY,
    action     TEXT NOT NULL,
    alert_id   INTEGER,
    topic      TEXT,
    authority  TEXT,
    user_id    TEXT NOT NULL,
    user_name  TEXT NOT NULL DEFAULT '',
    at         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_actions_alert ON alert_actions (alert_id, action);
"""

Action = Literal["acknowledge", "mute", "unmute"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Mute(_Frozen):
    """A topic muted everywhere (``authority_key`` empty) or for one council."""

    id: int
    topic: str = Field(description="'late responses', 'rate-mismatch', 'outlier upheld.rate', ...")
    authority_key: str = Field(default="", description="The council's store key; '' mutes everywhere.")
    authority: str = Field(default="", description="The council's name as shown, '' when everywhere.")
    user_id: str = Field(description="Who muted it (a Slack user ID, or 'cli').")
    user_name: str = ""
    muted_at: str = Field(description="When, ISO 8601 UTC.")

    @property
    def scope(self) -> str:
        """'for Rotherham Metropolitan Borough Council' or 'everywhere'."""
        return f"for {self.authority or self.authority_key}" if self.authority_key else "everywhere"


class Acknowledgement(_Frozen):
    """Someone said "seen it" about an alert."""

    alert_id: int
    user_id: str
    user_name: str = ""
    at: str


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def normalize_topic(text: str) -> str:
    """A topic as stored: words single-spaced, lower case, at most ``TOPIC_LIMIT`` characters."""
    return " ".join(text.split()).lower()[:TOPIC_LIMIT]


# --------------------------------------------------------------------------- news


def news_items(audit: LetterAudit) -> list[tuple[str, ...]]:
    """Each item of the letter's news, as the topics it falls under (see the module docstring)."""
    items: list[tuple[str, ...]] = []
    for d in audit.deviations:
        if d.kind == "unique":
            items.append(tuple(dict.fromkeys(normalize_topic(t) for t in d.tags)) or (UNTAGGED,))
    for f in audit.findings:
        if f.code == "outlier":
            items.append((normalize_topic(f"outlier {f.field}" if f.field else "outlier"),))
        elif f.severity == Severity.ERROR:
            items.append((normalize_topic(f.code),))
    return items


def news_topics(audit: LetterAudit) -> list[str]:
    """The letter's news topics, in the order its headline names them, each once."""
    return list(dict.fromkeys(t for item in news_items(audit) for t in item))


def is_muted(audit: LetterAudit, mutes: Iterable[Mute]) -> bool:
    """True when the letter has news and all of it is muted for its council or everywhere."""
    key = letter_key(audit.authority) or ""
    muted = {m.topic for m in mutes if not m.authority_key or m.authority_key == key}
    items = news_items(audit)
    return bool(items) and all(all(t in muted for t in item) for item in items)


# --------------------------------------------------------------------------- the book


class MuteBook:
    """Mutes and acknowledgements kept in ``store``."""

    def __init__(self, store: Store):
        self.store = store
        store.extend(_SCHEMA)

    # ----------------------------------------------------------------- mutes

    def mutes(self) -> list[Mute]:
        """Every mute in force, everywhere-mutes first, then by topic and council."""
        rows = self.store.query("SELECT * FROM mutes ORDER BY authority_key != '', topic, authority")
        return [Mute(**dict(r)) for r in rows]

    def mute(self, topic: str, *, user_id: str, user_name: str = "", authority: str | None = None,
             alert_id: int | None = None) -> Mute:  # fmt: skip
        """Mute ``topic`` for the council named ``authority`` (everywhere when None); idempotent."""
        topic = normalize_topic(topic)
        if not topic:
            raise ValueError("a topic to mute is needed")
        key = (letter_key(authority) or "") if authority else ""
        now = _now()
        with self.store.transaction() as conn:
            shown = (authority or "") if key else ""
            conn.execute(
                "INSERT OR IGNORE INTO mutes (topic, authority_key, authority, user_id, user_name, muted_at)"
                " VALUES (?, ?, ?, ?, ?, ?)", (topic, key, shown, user_id, user_name, now),
            )  # fmt: skip
            self._log(conn, "mute", user_id, user_name, alert_id=alert_id, topic=topic, authority=authority)
            row = conn.execute(
                "SELECT * FROM mutes WHERE topic = ? AND authority_key = ?", (topic, key)
            ).fetchone()
        return Mute(**dict(row))

    def unmute(self, mute: Mute, *, user_id: str, user_name: str = "") -> bool:
        """Lift one mute; False if it was already lifted."""
        with self.store.transaction() as conn:
            gone = conn.execute("DELETE FROM mutes WHERE id = ?", (mute.id,)).rowcount
            if gone:
                self._log(
                    conn, "unmute", user_id, user_name, topic=mute.topic, authority=mute.authority or None
                )
        return bool(gone)

    def find(self, text: str, council_key: str | None = None) -> list[Mute]:
        """The mutes ``text`` names: a number from ``/lgso muted``'s list, a topic (every scope of
        it), or 'TOPIC for COUNCIL' (``council_key``: that council's key, if already looked up)."""
        mutes = self.mutes()
        words = text.strip()
        if re.fullmatch(r"#?\d+", words):
            n = int(words.lstrip("#"))
            return [mutes[n - 1]] if 1 <= n <= len(mutes) else []
        topic, _, council = words.partition(" for ")
        topic = normalize_topic(topic)
        found = [m for m in mutes if m.topic == topic]
        if council.strip():
            key = council_key or letter_key(council.strip()) or ""
            found = [m for m in found if m.authority_key == key]
        return found

    # ----------------------------------------------------------------- acknowledgements

    def acknowledge(self, alert_id: int, *, user_id: str, user_name: str = "") -> Acknowledgement:
        """Record that ``user_id`` has seen the alert; the first acknowledgement is the one shown."""
        with self.store.transaction() as conn:
            self._log(conn, "acknowledge", user_id, user_name, alert_id=alert_id)
        ack = self.acknowledgement(alert_id)
        assert ack is not None  # just written
        return ack

    def acknowledgement(self, alert_id: int) -> Acknowledgement | None:
        """Who first acknowledged the alert, and when; None if nobody has."""
        rows = self.store.query("SELECT * FROM alert_actions WHERE alert_id = ? AND action = 'acknowledge'"
                                " ORDER BY id LIMIT 1", (alert_id,))  # fmt: skip
        if not rows:
            return None
        r = rows[0]
        return Acknowledgement(alert_id=alert_id, user_id=r["user_id"], user_name=r["user_name"], at=r["at"])

    def actions(self, alert_id: int | None = None) -> list[dict]:
        """The action log (of one alert, or all), oldest first."""
        sql = "SELECT action, alert_id, topic, authority, user_id, user_name, at FROM alert_actions"
        if alert_id is None:
            return [dict(r) for r in self.store.query(sql + " ORDER BY id")]
        rows = self.store.query(sql + " WHERE alert_id = ? ORDER BY id", (alert_id,))
        return [dict(r) for r in rows]

    def _log(self, conn, action: Action, user_id: str, user_name: str, *, alert_id: int | None = None,
             topic: str | None = None, authority: str | None = None) -> None:  # fmt: skip
        conn.execute("INSERT INTO alert_actions (action, alert_id, topic, authority, user_id, user_name, at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (action, alert_id, topic, authority, user_id, user_name, _now()))  # fmt: skip

    # ----------------------------------------------------------------- at ingest

    def hold_muted(self, result: IngestResult) -> int:
        """Take off the queue the alerts of this ingest whose news is all muted; how many."""
        mutes = self.mutes()
        if not mutes:
            return 0
        queued = self.store.queued_alert_ids(x.sha256 for x in result.letters if x.alert_queued)
        held = []
        for sha, alert_id in queued.items():
            stored = self.store.letter(sha)
            if stored is not None and is_muted(stored.audit, mutes):
                held.append(alert_id)
        return self.store.suppress_alerts(held, "muted")


# --------------------------------------------------------------------------- commands


class MutedAnswer(_Frozen):
    """What ``/lgso muted``, ``/lgso mute ...`` and ``/lgso unmute ...`` answer."""

    kind: Literal["muted"] = "muted"
    note: str | None = Field(default=None, description="What the command did, one sentence.")
    problem: str | None = Field(default=None, description="Why it did nothing, one sentence.")
    mutes: list[Mute] = Field(default_factory=list, description="Every mute now in force, numbered from 1.")


MUTE_COMMANDS = ("muted", "mute", "unmute")
MUTE_HELP = (
    ("muted", "the topics muted, everywhere or for one council (numbered)"),
    ("mute TOPIC [for NAME]", "stop alerting on a topic, everywhere or for one council"),
    ("unmute N | TOPIC [for NAME]", "alert on a muted topic again"),
)


def mute_command(book: MuteBook, text: str, *, user_id: str, user_name: str = "") -> MutedAnswer:
    """Run ``muted``, ``mute TOPIC [for NAME]`` or ``unmute N|TOPIC [for NAME]``. A council's
    name may be rough ('rotherham' mutes for Rotherham Metropolitan Borough Council)."""
    head, _, rest = (text or "").strip().partition(" ")
    head, rest = head.lower(), rest.strip()
    if head == "muted":
        return MutedAnswer(mutes=book.mutes())
    if not rest:
        usage = "unmute N (from /lgso muted) or unmute TOPIC [for NAME]" if head == "unmute" else (
            "mute TOPIC [for NAME]")  # fmt: skip
        return MutedAnswer(problem=f"{head} needs a topic: {usage}", mutes=book.mutes())
    if head == "unmute":
        found = book.find(rest, _council(book.store, rest))
        if not found:
            return MutedAnswer(problem=f"No muted topic matches {rest!r}.", mutes=book.mutes())
        for m in found:
            book.unmute(m, user_id=user_id, user_name=user_name)
        note = "; ".join(f"“{m.topic}” {m.scope}" for m in found)
        return MutedAnswer(note=f"Unmuted {note}.", mutes=book.mutes())
    topic, _, council = rest.partition(" for ")
    authority = None
    if council.strip():
        match = find_authority(book.store, council.strip())
        if match.found is None:
            names = ", ".join(c.name for c in match.choices)
            why = f"several councils match {council.strip()!r}: {names}" if names else (
                f"no council in the store matches {council.strip()!r}")  # fmt: skip
            return MutedAnswer(problem=f"Not muted: {why}.", mutes=book.mutes())
        authority = match.found.name
    try:
        m = book.mute(topic, user_id=user_id, user_name=user_name, authority=authority)
    except ValueError as exc:
        return MutedAnswer(problem=str(exc), mutes=book.mutes())
    return MutedAnswer(note=f"Muted “{m.topic}” {m.scope}.", mutes=book.mutes())


def _council(store: Store, text: str) -> str | None:
    """The store key of the council after ' for ' in ``text``, when one council matches."""
    _, sep, council = text.partition(" for ")
    if not sep or not council.strip():
        return None
    match = find_authority(store, council.strip())
    return match.found.key if match.found else None
