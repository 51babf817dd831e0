"""The audit store: letter audits kept in SQLite, keyed by the letter's content hash.

One row per letter *content* (``LetterAudit.sha256``). Re-ingesting content already held
changes nothing. A new content for a letter already held -- the same authority and year,
or the same source when the letter names neither -- becomes the current audit and the
old one stays as history. Several years of one authority are several current letters.

The store also keeps the alert bookkeeping: an alert is queued (``pending``) in the same
transaction that first stores an alert-worthy content, and only marked ``sent`` once Slack
has it, so an alert is never sent twice for one content nor dropped when Slack is down.
A deliverer *claims* an alert before posting it (an owner and a lease, taken in one write
transaction), so two processes never post the same alert; it records when it first tried
each message, so whoever finishes an alert after a crash or a timeout knows to look in the
channel before posting again.

The database is at ``LGSO_DB`` or in the user's data directory; it runs in WAL mode so the
bot can answer while ``lgso ingest`` writes. A ``Store`` may be shared between threads
(each thread gets its own connection).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import ValidationError

from .authorities import authority_key, canonical_name
from .errors import StoreError
from .headline import about as headline_about
from .models import LetterAudit, Severity

SCHEMA_VERSION = 1
DB_ENV = "LGSO_DB"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS letters (
    id             INTEGER PRIMARY KEY,
    sha256         TEXT NOT NULL UNIQUE,
    identity       TEXT NOT NULL,
    source         TEXT NOT NULL,
    authority      TEXT,
    authority_key  TEXT,
    authority_type TEXT,
    year           INTEGER,
    ingested_at    TEXT NOT NULL,
    current        INTEGER NOT NULL DEFAULT 1,
    n_errors       INTEGER NOT NULL DEFAULT 0,
    n_outliers     INTEGER NOT NULL DEFAULT 0,
    n_unique       INTEGER NOT NULL DEFAULT 0,
    error_codes    TEXT NOT NULL DEFAULT '',
    outlier_fields TEXT NOT NULL DEFAULT '',
    topics         TEXT NOT NULL DEFAULT '',
    audit          TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS letters_identity ON letters (identity, current);
CREATE INDEX IF NOT EXISTS letters_authority ON letters (authority_key, current, year);
CREATE INDEX IF NOT EXISTS letters_year ON letters (current, year);
CREATE TABLE IF NOT EXISTS alerts (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL,
    channel     TEXT NOT NULL,
    revised     INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL DEFAULT 'pending',
    headline_ts TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    queued_at   TEXT NOT NULL,
    sent_at     TEXT,
    UNIQUE (sha256, channel)
);
CREATE INDEX IF NOT EXISTS alerts_status ON alerts (status, id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('generation', 0);
"""

_REAUDIT_SCHEMA = """
CREATE TABLE IF NOT EXISTS letter_texts (
    sha256     TEXT PRIMARY KEY,
    paragraphs TEXT NOT NULL,
    template   TEXT,
    base       TEXT,
    base_key   TEXT
);
CREATE TABLE IF NOT EXISTS sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS alert_verdicts (
    sha256  TEXT NOT NULL,
    channel TEXT NOT NULL,
    verdict TEXT NOT NULL,
    PRIMARY KEY (sha256, channel)
);
CREATE TABLE IF NOT EXISTS alert_replies (
    id         INTEGER PRIMARY KEY,
    sha256     TEXT NOT NULL,
    channel    TEXT NOT NULL,
    verdict    TEXT NOT NULL,
    text       TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'pending',
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    queued_at  TEXT NOT NULL,
    sent_at    TEXT,
    owner       TEXT,
    lease_until REAL,
    tried       REAL,
    UNIQUE (sha256, channel, verdict)
);
"""
"""What re-auditing needs (``storesync``): each letter's paragraphs, the ``--template`` it was
ingested with and its own audit before the checks across letters (``base``, made with the
template and tool version named by ``base_key``); the template each year was judged against
and the tool's version (``sync_state``); the verdict each alert last announced, and the
replies queued in an alert's thread when a re-audit changes it (never two for one verdict)."""

_LETTER_COLUMNS = (
    "id, sha256, source, authority, authority_key, authority_type, year, ingested_at, current, "
    "n_errors, n_outliers, n_unique, error_codes, outlier_fields, topics"
)

IngestStatus = Literal["new", "revised", "unchanged", "restored"]
UNASSIGNED = "unassigned"
"""The status of an alert queued while no channel was set: it waits for one."""


def default_db_path() -> Path:
    """``LGSO_DB`` if set, else ``audits.sqlite3`` in the user's data directory."""
    env = os.environ.get(DB_ENV, "").strip()
    return Path(env).expanduser() if env else Path(user_data_dir("lgso-audit")) / "audits.sqlite3"


def alert_reasons(audit: LetterAudit) -> dict[str, int]:
    """What makes a letter worth an alert: its unique paragraphs, errors and outliers."""
    return {
        "unique": sum(d.kind == "unique" for d in audit.deviations),
        "errors": sum(f.severity == Severity.ERROR for f in audit.findings),
        "outliers": sum(f.code == "outlier" for f in audit.findings),
    }


def needs_alert(audit: LetterAudit) -> bool:
    """True if the letter has a unique paragraph, an error finding or an outlier."""
    return any(alert_reasons(audit).values())


def letter_key(authority: str | None) -> str | None:
    """The store's key for an authority name: the council list's place key when listed."""
    if not authority:
        return None
    return authority_key(canonical_name(authority) or authority) or None


def letter_identity(audit: LetterAudit) -> str:
    """What makes two contents versions of one letter: the authority and year it names, or
    (when it names neither) its source."""
    key = letter_key(audit.authority)
    return f"{key}|{audit.year}" if key and audit.year else f"source|{audit.source}"


def content_hash(audit: LetterAudit) -> str:
    """The letter's content hash (falling back to a hash of its audit when it has none)."""
    return audit.sha256 or hashlib.sha256(audit.model_dump_json().encode()).hexdigest()


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class StoredLetter:
    """One stored letter content: its indexed columns, and its audit parsed on demand."""

    id: int
    sha256: str
    source: str
    authority: str | None
    authority_key: str | None
    authority_type: str | None
    year: int | None
    ingested_at: str
    current: bool
    n_errors: int
    n_outliers: int
    n_unique: int
    error_codes: tuple[str, ...]
    outlier_fields: tuple[str, ...]
    topics: tuple[str, ...]
    audit_json: str = field(default="", repr=False)

    @cached_property
    def audit(self) -> LetterAudit:
        try:
            return LetterAudit.model_validate_json(self.audit_json)
        except ValidationError as exc:
            raise StoreError(f"stored audit of {self.source} ({self.sha256[:12]}) is unreadable: "
                             f"{exc.error_count()} validation errors") from None  # fmt: skip


@dataclass(frozen=True)
class Ingested:
    """What ingesting one letter did."""

    source: str
    authority: str | None
    year: int | None
    sha256: str
    status: IngestStatus
    alert_queued: bool = False
    alert_worthy: bool = False
    """New content with a unique paragraph, an error or an outlier (its alert is queued, for the
    channel given or, without one, to wait for a channel)."""
    held: bool = False
    """No template of its year yet: its paragraphs are not judged, and no alert is queued."""


@dataclass(frozen=True)
class IngestResult:
    """What one ``Store.ingest`` call did, letter by letter."""

    letters: tuple[Ingested, ...]
    reaudited: int = 0
    """Letters stored earlier whose audit a re-audit changed (see ``storesync``)."""
    replies_queued: int = 0
    """Replies queued in alert threads, each saying how a letter's verdict changed."""
    stale: int = 0
    """Stored letters that could not be re-audited: their text is not in the store."""
    reaudit_alerts: int = 0
    """Alerts queued for letters stored earlier, judged at last by a re-audit."""
    reaudit_worthy: int = 0
    """Letters stored earlier that a re-audit judged worth an alert (queued only with a channel)."""

    def count(self, status: IngestStatus) -> int:
        return sum(x.status == status for x in self.letters)

    @property
    def alerts_queued(self) -> int:
        return sum(x.alert_queued for x in self.letters) + self.reaudit_alerts

    @property
    def alert_worthy(self) -> int:
        return sum(x.alert_worthy for x in self.letters) + self.reaudit_worthy

    def summary(self) -> str:
        """'5 letters: 1 new, 0 revised, 4 unchanged; 1 alert queued.'"""
        n = len(self.letters)
        parts = [f"{self.count(s)} {s}" for s in ("new", "revised", "unchanged")]
        if self.count("restored"):
            parts.append(f"{self.count('restored')} restored")
        alerts = self.alerts_queued
        line = (f"{n} letter{'s' if n != 1 else ''}: {', '.join(parts)}; "
                f"{alerts} alert{'s' if alerts != 1 else ''} queued.")  # fmt: skip
        held = sum(x.held for x in self.letters)
        extra = [
            f"{held} held: no template for {'its' if held == 1 else 'their'} year yet" if held else "",
            f"{self.reaudited} stored letter{'s' if self.reaudited != 1 else ''} re-audited"
            if self.reaudited else "",
            f"{self.replies_queued} alert repl{'y' if self.replies_queued == 1 else 'ies'} queued"
            if self.replies_queued else "",
            f"{self.stale} stored letter{'s' if self.stale != 1 else ''} could not be re-audited "
            "(text not kept: ingest the files again)" if self.stale else "",
        ]  # fmt: skip
        return " ".join([line, *(f"{x[0].upper()}{x[1:]}." for x in extra if x)])


@dataclass(frozen=True)
class PendingAlert:
    """An alert not yet fully delivered; ``headline_ts`` is set once the headline is posted."""

    id: int
    sha256: str
    channel: str
    revised: bool
    headline_ts: str | None
    attempts: int
    last_error: str | None
    owner: str | None = None
    """The deliverer holding the claim (None: unclaimed)."""
    lease_until: float | None = None
    """When the claim lapses (Unix time); another deliverer may then take the alert over."""
    headline_tried: float | None = None
    """When a deliverer first tried to post the headline (it may be in the channel already)."""
    reply_tried: float | None = None
    """When a deliverer first tried to post the thread reply."""


AlertPart = Literal["headline", "reply"]


@dataclass(frozen=True)
class PendingReply:
    """A reply queued for an alert's thread; ``thread_ts`` is None until the headline is posted."""

    id: int
    sha256: str
    channel: str
    text: str
    thread_ts: str | None
    tried: float | None = None
    """When a post of it was first tried (it may be in the thread: look before posting again)."""


@dataclass(frozen=True)
class Reaudit:
    """What one re-audit writes (``Store.save_reaudit``), all in one transaction."""

    audits: list[LetterAudit] = field(default_factory=list)
    """Letters whose stored audit changed (matched by content hash)."""
    bases: list[tuple[str, str, str]] = field(default_factory=list)
    """(sha256, base audit JSON, base key) of letters whose own audit was made again."""
    alerts: list[tuple[str, str, int]] = field(default_factory=list)
    """(sha256, channel, revised) of first alerts to queue."""
    replies: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(sha256, channel, verdict, text) of replies to queue in alert threads."""
    verdicts: list[tuple[str, str, str]] = field(default_factory=list)
    """(sha256, channel, verdict) announced by an alert or reply."""
    state: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AuthorityEntry:
    """One authority in the store, for name lookup."""

    key: str
    names: tuple[str, ...]
    """Every name its current letters use, latest year first."""
    authority_type: str | None


# --------------------------------------------------------------------------- store


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Store:
    """The SQLite audit store at ``path`` (default: :func:`default_db_path`)."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path is not None else default_db_path()
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        with self._errors("open"):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._setup(self._conn())

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close every thread's connection."""
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    # ----------------------------------------------------------------- plumbing

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(f"cannot {doing} the audit store at {self.path}: {exc}") from None
        except OSError as exc:
            raise StoreError(f"cannot {doing} the audit store at {self.path}: {exc.strerror}") from None

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout = 10000")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def _setup(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"the audit store at {self.path} has schema version {version}; this "
                             f"lgso understands up to {SCHEMA_VERSION} (upgrade lgso-audit)")  # fmt: skip
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.executescript(_SCHEMA)
        _add_alert_claim_columns(conn)
        conn.executescript(_REAUDIT_SCHEMA)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        with self._errors("write"):
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _read(self, sql: str, params: Iterable = ()) -> list[sqlite3.Row]:
        with self._errors("read"):
            return self._conn().execute(sql, tuple(params)).fetchall()

    # ----------------------------------------------------------------- ingest

    def ingest(self, audits: Iterable[LetterAudit], *, alert_channel: str | None = None) -> IngestResult:
        """Store audits; queue an alert to ``alert_channel`` for each new alert-worthy content."""
        done = []
        with self._write() as conn:
            for audit in audits:
                done.append(self._ingest_one(conn, audit, alert_channel))
            if any(x.status != "unchanged" for x in done):
                conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
        return IngestResult(tuple(done))

    def _ingest_one(self, conn: sqlite3.Connection, audit: LetterAudit, channel: str | None) -> Ingested:
        sha = content_hash(audit)
        key = letter_key(audit.authority)
        identity = letter_identity(audit)
        row = conn.execute("SELECT id, current FROM letters WHERE sha256 = ?", (sha,)).fetchone()
        about = {"source": audit.source, "authority": audit.authority, "year": audit.year, "sha256": sha}
        if row is not None and row["current"]:
            return Ingested(status="unchanged", **about)
        older = conn.execute("SELECT id FROM letters WHERE identity = ? AND current = 1 AND sha256 != ?",
                             (identity, sha)).fetchall()  # fmt: skip
        conn.executemany("UPDATE letters SET current = 0 WHERE id = ?", [(r["id"],) for r in older])
        if row is not None:  # content seen before, superseded, now back: no second alert
            conn.execute("UPDATE letters SET current = 1, identity = ? WHERE id = ?", (identity, row["id"]))
            return Ingested(status="restored", **about)
        reasons = alert_reasons(audit)
        conn.execute(
            "INSERT INTO letters (sha256, identity, source, authority, authority_key, authority_type, year,"
            " ingested_at, n_errors, n_outliers, n_unique, error_codes, outlier_fields, topics, audit)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (sha, identity, audit.source, audit.authority, key, audit.authority_type, audit.year, _now(),
             *_summary(audit)),
        )  # fmt: skip
        worthy = any(reasons.values())
        queued = bool(channel) and worthy
        if queued:
            conn.execute("INSERT OR IGNORE INTO alerts (sha256, channel, revised, queued_at)"
                         " VALUES (?, ?, ?, ?)", (sha, channel, int(bool(older)), _now()))  # fmt: skip
        status = "revised" if older else "new"
        return Ingested(status=status, alert_queued=queued, alert_worthy=worthy, **about)

    # ----------------------------------------------------------------- reading

    def generation(self) -> int:
        """A counter bumped by every ingest that changed something (for caches)."""
        return self._read("SELECT value FROM meta WHERE key = 'generation'")[0][0]

    def has_content(self, sha256: str) -> bool:
        """Whether a letter with this content hash has been ingested (current or not)."""
        return bool(self._read("SELECT 1 FROM letters WHERE sha256 = ?", (sha256,)))

    def count(self, *, current_only: bool = True) -> int:
        where = " WHERE current = 1" if current_only else ""
        return self._read(f"SELECT count(*) FROM letters{where}")[0][0]

    def letter(self, sha256: str) -> StoredLetter | None:
        """The stored letter with this content hash."""
        rows = self._read(f"SELECT {_LETTER_COLUMNS}, audit FROM letters WHERE sha256 = ?", (sha256,))
        return _stored(rows[0]) if rows else None

    def current(self, key: str, year: int | None = None) -> StoredLetter | None:
        """The current letter of the authority with this key: of ``year``, else the latest."""
        sql = f"SELECT {_LETTER_COLUMNS}, audit FROM letters WHERE authority_key = ? AND current = 1"
        params: list = [key]
        if year is not None:
            sql += " AND year = ?"
            params.append(year)
        rows = self._read(sql + " ORDER BY year IS NULL, year DESC, id DESC LIMIT 1", params)
        return _stored(rows[0]) if rows else None

    def history(self, key: str, *, current_only: bool = True) -> list[StoredLetter]:
        """The authority's letters, latest year first, without their audits."""
        where = " AND current = 1" if current_only else ""
        rows = self._read(f"SELECT {_LETTER_COLUMNS} FROM letters WHERE authority_key = ?{where}"
                          " ORDER BY year IS NULL, year DESC, id DESC", (key,))  # fmt: skip
        return [_stored(r) for r in rows]

    def authorities(self) -> list[AuthorityEntry]:
        """Every authority with a current letter, with the names its letters use."""
        rows = self._read("SELECT authority_key, authority, authority_type, year FROM letters"
                          " WHERE current = 1 AND authority_key IS NOT NULL"
                          " ORDER BY authority_key, year IS NULL, year DESC, id DESC")  # fmt: skip
        entries: dict[str, tuple[list[str], str | None]] = {}
        for r in rows:
            names, _ = entries.setdefault(r["authority_key"], ([], r["authority_type"]))
            if r["authority"] not in names:
                names.append(r["authority"])
        return [AuthorityEntry(key, tuple(names), kind) for key, (names, kind) in entries.items()]

    def years(self) -> list[int]:
        """The years of the current letters, latest first."""
        rows = self._read("SELECT DISTINCT year FROM letters WHERE current = 1 AND year IS NOT NULL"
                          " ORDER BY year DESC")  # fmt: skip
        return [r[0] for r in rows]

    def flagged(self, kind: Literal["outliers", "deviations"], year: int | None) -> list[StoredLetter]:
        """Current letters with outlier or error findings (``outliers``) or unique paragraphs
        (``deviations``), of ``year`` (every year when None), without their audits."""
        test = "(n_errors > 0 OR n_outliers > 0)" if kind == "outliers" else "n_unique > 0"
        sql = f"SELECT {_LETTER_COLUMNS} FROM letters WHERE current = 1 AND {test}"
        params = []
        if year is not None:
            sql += " AND year = ?"
            params.append(year)
        return [_stored(r) for r in self._read(sql + " ORDER BY authority_key, year DESC", params)]

    # ----------------------------------------------------------------- alerts

    def pending_alerts(self, channel: str | None = None) -> list[PendingAlert]:
        """Alerts queued and not yet delivered (claimed or not), oldest first."""
        sql = "SELECT * FROM alerts WHERE status = 'pending'"
        rows = self._read(sql + (" AND channel = ?" if channel else "") + " ORDER BY id",
                          (channel,) if channel else ())  # fmt: skip
        return [_pending(r) for r in rows]

    def claim_alert(self, owner: str, *, lease: float, channel: str | None = None,
                    now: float | None = None) -> PendingAlert | None:  # fmt: skip
        """Claim the oldest pending alert nobody holds (or whose claim has lapsed) for ``owner``.

        The claim lasts ``lease`` seconds unless renewed (:meth:`begin_post`); one write
        transaction reads and claims, so two deliverers -- in any processes -- never get
        the same alert. None when there is nothing to claim.
        """
        now = time.time() if now is None else now
        sql = "SELECT * FROM alerts WHERE status = 'pending' AND (lease_until IS NULL OR lease_until <= ?)"
        params: list = [now]
        if channel:
            sql += " AND channel = ?"
            params.append(channel)
        with self._write() as conn:
            row = conn.execute(sql + " ORDER BY id LIMIT 1", params).fetchone()
            if row is None:
                return None
            conn.execute("UPDATE alerts SET owner = ?, lease_until = ? WHERE id = ?",
                         (owner, now + lease, row["id"]))  # fmt: skip
        return _pending(row, owner=owner, lease_until=now + lease)

    def begin_post(self, alert_id: int, owner: str, part: AlertPart, *, lease: float,
                   now: float | None = None) -> bool:  # fmt: skip
        """Before posting ``part``: renew ``owner``'s claim and record the first try's time.

        False if ``owner`` no longer holds the alert (its lease lapsed and another took it,
        or it was delivered): the caller must not post.
        """
        now = time.time() if now is None else now
        column = "headline_tried" if part == "headline" else "reply_tried"
        with self._write() as conn:
            cur = conn.execute(f"UPDATE alerts SET {column} = coalesce({column}, ?), lease_until = ?"
                               " WHERE id = ? AND owner = ? AND status = 'pending'",
                               (now, now + lease, alert_id, owner))  # fmt: skip
            return cur.rowcount == 1

    def headline_posted(self, alert_id: int, ts: str, owner: str | None = None) -> bool:
        """Record that an alert's headline is in the channel (its thread reply may not be).

        With ``owner``, only while it holds the claim; returns whether the row was updated.
        """
        with self._write() as conn:
            sql, params = _owned("UPDATE alerts SET headline_ts = ? WHERE id = ?", [ts, alert_id], owner)
            return conn.execute(sql, params).rowcount == 1

    def alert_sent(self, alert_id: int, owner: str | None = None) -> bool:
        """Record that an alert is fully delivered; it is never sent again (claim released)."""
        with self._write() as conn:
            sql = ("UPDATE alerts SET status = 'sent', sent_at = ?, last_error = NULL, owner = NULL,"
                   " lease_until = NULL WHERE id = ?")  # fmt: skip
            sql, params = _owned(sql, [_now(), alert_id], owner)
            return conn.execute(sql, params).rowcount == 1

    def alert_failed(self, alert_id: int, error: str, owner: str | None = None) -> bool:
        """Record a failed delivery and release the claim; the alert stays pending for the next run."""
        with self._write() as conn:
            sql = ("UPDATE alerts SET attempts = attempts + 1, last_error = ?, owner = NULL,"
                   " lease_until = NULL WHERE id = ?")  # fmt: skip
            sql, params = _owned(sql, [error[:500], alert_id], owner)
            return conn.execute(sql, params).rowcount == 1

    def alert_claims(self) -> list[tuple[int, str]]:
        """``(alert id, owner)`` of every pending alert a deliverer holds (lapsed or not)."""
        rows = self._read("SELECT id, owner FROM alerts WHERE status = 'pending' AND owner IS NOT NULL")
        return [(r["id"], r["owner"]) for r in rows]

    def release_claim(self, alert_id: int, owner: str) -> bool:
        """Free ``owner``'s claim on an alert (the owner is known to be gone) for another to take."""
        with self._write() as conn:
            cur = conn.execute("UPDATE alerts SET owner = NULL, lease_until = NULL WHERE id = ? AND owner = ?"
                               " AND status = 'pending'", (alert_id, owner))  # fmt: skip
            return cur.rowcount == 1

    def suppress_alerts(self, alert_ids: Iterable[int], status: str) -> int:
        """Take waiting alerts (pending or unassigned) off the queue with ``status`` (e.g. 'muted');
        how many were waiting."""
        ids = [(status, i) for i in alert_ids]
        with self._write() as conn:
            before = conn.total_changes
            sql = f"UPDATE alerts SET status = ? WHERE id = ? AND status IN ('pending', '{UNASSIGNED}')"
            conn.executemany(sql, ids)
            return conn.total_changes - before

    def assign_channel(self, channel: str) -> int:
        """Queue for ``channel`` every alert that waits for a channel; how many."""
        with self._write() as conn:
            rows = conn.execute("SELECT id, sha256 FROM alerts WHERE status = ?", (UNASSIGNED,)).fetchall()
            for r in rows:
                taken = conn.execute("SELECT 1 FROM alerts WHERE sha256 = ? AND channel = ?",
                                     (r["sha256"], channel)).fetchone()  # fmt: skip
                if taken:  # already queued (or sent) for that channel: this copy is not needed
                    conn.execute("DELETE FROM alerts WHERE id = ?", (r["id"],))
                    conn.execute("DELETE FROM alert_verdicts WHERE sha256 = ? AND channel = ''",
                                 (r["sha256"],))  # fmt: skip
                else:
                    conn.execute("UPDATE alerts SET channel = ?, status = 'pending' WHERE id = ?",
                                 (channel, r["id"]))  # fmt: skip
                    conn.execute("UPDATE OR REPLACE alert_verdicts SET channel = ?"
                                 " WHERE sha256 = ? AND channel = ''", (channel, r["sha256"]))  # fmt: skip
        return len(rows)

    def alert_counts(self) -> dict[str, int]:
        """How many alerts are in each status: pending, unassigned, sent, muted."""
        rows = self._read("SELECT status, count(*) FROM alerts GROUP BY status")
        return {"pending": 0, UNASSIGNED: 0, "sent": 0, "muted": 0, **{r[0]: r[1] for r in rows}}

    def waiting_alerts(self) -> list[PendingAlert]:
        """Alerts not yet delivered, pending or waiting for a channel (channel ''), oldest first."""
        rows = self._read(f"SELECT * FROM alerts WHERE status IN ('pending', '{UNASSIGNED}') ORDER BY id")
        return [PendingAlert(id=r["id"], sha256=r["sha256"], channel=r["channel"], revised=bool(r["revised"]),
                             headline_ts=r["headline_ts"], attempts=r["attempts"], last_error=r["last_error"])
                for r in rows]  # fmt: skip

    def queued_alert_ids(self, sha256s: Iterable[str]) -> dict[str, int]:
        """The alert queued for each of these contents (the latest, if several channels)."""
        found: dict[str, int] = {}
        for sha in sha256s:
            rows = self._read("SELECT id FROM alerts WHERE sha256 = ? ORDER BY id", (sha,))
            if rows:
                found[sha] = rows[-1]["id"]
        return found

    # ----------------------------------------------------------------- companion tables

    def extend(self, schema: str) -> None:
        """Create a companion module's tables (idempotent ``CREATE ... IF NOT EXISTS`` SQL)."""
        done = self.__dict__.setdefault("_extended", set())
        if schema not in done:
            with self._errors("extend"):
                self._conn().executescript(schema)
            done.add(schema)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction for a companion module (committed on exit, rolled back on error)."""
        with self._write() as conn:
            yield conn

    def query(self, sql: str, params: Iterable = ()) -> list[sqlite3.Row]:
        """Rows of a read for a companion module."""
        return self._read(sql, params)

    def alert_status(self, sha256: str, channel: str) -> str | None:
        """'pending', 'sent', or None if no alert was queued for this content and channel."""
        rows = self._read("SELECT status FROM alerts WHERE sha256 = ? AND channel = ?", (sha256, channel))
        return rows[0][0] if rows else None

    # ----------------------------------------------------------------- re-audits (storesync)

    def relabel(self, audits: Iterable[LetterAudit]) -> None:
        """Record the authority and year a newer lgso reads in stored letters (and so which
        letter each is a version of); their audits follow in the re-audit."""
        rows = [
            (a.authority, letter_key(a.authority), a.year, letter_identity(a), content_hash(a))
            for a in audits
        ]
        with self._write() as conn:
            conn.executemany("UPDATE letters SET authority = ?, authority_key = ?, year = ?, identity = ?"
                             " WHERE sha256 = ?", rows)  # fmt: skip

    def keep_texts(self, rows: Iterable[tuple[str, str, str | None]]) -> None:
        """Keep letters' paragraphs: ``(sha256, paragraphs JSON, --template spec or None)``."""
        with self._write() as conn:
            conn.executemany("INSERT INTO letter_texts (sha256, paragraphs, template) VALUES (?, ?, ?)"
                             " ON CONFLICT (sha256) DO UPDATE SET template = excluded.template,"
                             " base_key = CASE WHEN template IS excluded.template THEN base_key END",
                             list(rows))  # fmt: skip

    def current_index(self) -> list[sqlite3.Row]:
        """Every current letter: sha256, identity, year, source, whether its text is kept, its
        ``--template`` and the key of its base audit."""
        return self._read("SELECT l.sha256, l.identity, l.year, l.source, t.sha256 IS NOT NULL AS kept,"
                          " t.template, t.base_key FROM letters l LEFT JOIN letter_texts t USING (sha256)"
                          " WHERE l.current = 1 ORDER BY l.sha256")  # fmt: skip

    def texts(self, shas: Iterable[str]) -> dict[str, str]:
        """The kept paragraphs (JSON) of these letters."""
        out = {}
        for chunk in _chunks(list(shas)):
            marks = ",".join("?" * len(chunk))
            rows = self._read(f"SELECT sha256, paragraphs FROM letter_texts WHERE sha256 IN ({marks})", chunk)
            out.update((r[0], r[1]) for r in rows)
        return out

    def bases_and_audits(self) -> list[sqlite3.Row]:
        """Every current letter's base audit (null when not made yet) and stored audit."""
        return self._read("SELECT l.sha256, t.base, l.audit FROM letters l LEFT JOIN letter_texts t"
                          " USING (sha256) WHERE l.current = 1 ORDER BY l.sha256")  # fmt: skip

    def sync_state(self) -> dict[str, str]:
        """What the last re-audit recorded: the tool's version, each year's template key."""
        return {r[0]: r[1] for r in self._read("SELECT key, value FROM sync_state")}

    def alert_state(self, sha256: str) -> list[tuple[str, str, str | None]]:
        """(channel, status, verdict last announced) of each alert queued for this content."""
        rows = self._read("SELECT a.channel, a.status, v.verdict FROM alerts a LEFT JOIN alert_verdicts v"
                          " USING (sha256, channel) WHERE a.sha256 = ? ORDER BY a.id", (sha256,))  # fmt: skip
        return [(r[0], r[1], r[2]) for r in rows]

    def was_revised(self, identity: str) -> bool:
        """Whether an earlier content of this letter is held (the current one revises it)."""
        sql = "SELECT 1 FROM letters WHERE identity = ? AND current = 0 LIMIT 1"
        return bool(self._read(sql, (identity,)))

    def save_reaudit(self, change: Reaudit) -> None:
        """Write one re-audit in one transaction (see ``Reaudit``)."""
        now = _now()
        with self._write() as conn:
            conn.executemany("UPDATE letter_texts SET base = ?, base_key = ? WHERE sha256 = ?",
                             [(base, key, sha) for sha, base, key in change.bases])  # fmt: skip
            conn.executemany(
                "UPDATE letters SET authority_type = ?, n_errors = ?, n_outliers = ?, n_unique = ?,"
                " error_codes = ?, outlier_fields = ?, topics = ?, audit = ? WHERE sha256 = ?",
                [(a.authority_type, *_summary(a), content_hash(a)) for a in change.audits],
            )
            conn.executemany("INSERT OR IGNORE INTO alerts (sha256, channel, revised, queued_at, status)"
                             " VALUES (?, ?, ?, ?, ?)", [(sha, ch, rev, now, "pending" if ch else UNASSIGNED)
                                                         for sha, ch, rev in change.alerts])  # fmt: skip
            conn.executemany("INSERT OR IGNORE INTO alert_replies (sha256, channel, verdict, text, queued_at)"
                             " VALUES (?, ?, ?, ?, ?)", [(*x, now) for x in change.replies])  # fmt: skip
            conn.executemany("INSERT OR REPLACE INTO alert_verdicts (sha256, channel, verdict)"
                             " VALUES (?, ?, ?)", change.verdicts)  # fmt: skip
            conn.executemany("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)",
                             list(change.state.items()))  # fmt: skip
            if change.audits:
                conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")

    def pending_replies(self) -> list[PendingReply]:
        """Replies not yet in their alert's thread, oldest first."""
        rows = self._read(f"{_REPLY_SELECT} WHERE r.status = 'pending' ORDER BY r.id")
        return [_reply(r) for r in rows]

    def claim_reply(self, owner: str, *, lease: float, now: float | None = None) -> PendingReply | None:
        """Claim the oldest pending reply whose alert is fully delivered and that nobody holds,
        for ``owner`` (as ``claim_alert`` does for alerts); None when there is none."""
        now = time.time() if now is None else now
        with self._write() as conn:
            row = conn.execute(f"{_REPLY_SELECT} WHERE r.status = 'pending' AND a.status = 'sent'"
                               " AND (r.lease_until IS NULL OR r.lease_until <= ?) ORDER BY r.id LIMIT 1",
                               (now,)).fetchone()  # fmt: skip
            if row is None:
                return None
            conn.execute("UPDATE alert_replies SET owner = ?, lease_until = ? WHERE id = ?",
                         (owner, now + lease, row["id"]))  # fmt: skip
        return _reply(row)

    def begin_reply(self, reply_id: int, owner: str, *, lease: float, now: float | None = None) -> bool:
        """Before posting a reply: renew ``owner``'s claim and record the first try's time.
        False if ``owner`` no longer holds it (the caller must not post)."""
        now = time.time() if now is None else now
        with self._write() as conn:
            cur = conn.execute("UPDATE alert_replies SET tried = coalesce(tried, ?), lease_until = ?"
                               " WHERE id = ? AND owner = ? AND status = 'pending'",
                               (now, now + lease, reply_id, owner))  # fmt: skip
            return cur.rowcount == 1

    def reply_sent(self, reply_id: int, owner: str | None = None) -> bool:
        """Record that a reply is in its alert's thread; it is never posted again."""
        with self._write() as conn:
            sql, params = _owned("UPDATE alert_replies SET status = 'sent', sent_at = ?, last_error = NULL,"
                                 " owner = NULL, lease_until = NULL WHERE id = ?",
                                 [_now(), reply_id], owner)  # fmt: skip
            return conn.execute(sql, params).rowcount == 1

    def reply_failed(self, reply_id: int, error: str, owner: str | None = None) -> None:
        """Record a failed reply and release it; it stays pending for the next run."""
        with self._write() as conn:
            sql, params = _owned("UPDATE alert_replies SET attempts = attempts + 1, last_error = ?,"
                                 " owner = NULL, lease_until = NULL WHERE id = ?",
                                 [error[:500], reply_id], owner)  # fmt: skip
            conn.execute(sql, params)


_REPLY_SELECT = ("SELECT r.id, r.sha256, r.channel, r.text, r.tried, a.headline_ts FROM alert_replies r"
                 " JOIN alerts a USING (sha256, channel)")  # fmt: skip


def _reply(row: sqlite3.Row) -> PendingReply:
    return PendingReply(id=row["id"], sha256=row["sha256"], channel=row["channel"], text=row["text"],
                        thread_ts=row["headline_ts"], tried=row["tried"])  # fmt: skip


def _summary(audit: LetterAudit) -> tuple:
    """The indexed columns a letter's audit fills: n_errors .. topics, then the audit itself."""
    reasons, findings = alert_reasons(audit), audit.findings
    return (reasons["errors"], reasons["outliers"], reasons["unique"],
            " ".join(dict.fromkeys(f.code for f in findings if f.severity == Severity.ERROR)),
            " ".join(dict.fromkeys(f.field or "" for f in findings if f.code == "outlier")),
            json.dumps(headline_about(audit)), audit.model_dump_json())  # fmt: skip


def _chunks(items: list, size: int = 500) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


_ALERT_CLAIM_COLUMNS = {
    "owner": "TEXT",
    "lease_until": "REAL",
    "headline_tried": "REAL",
    "reply_tried": "REAL",
}
"""Columns added to ``alerts`` for claims; added in place to a store made before them."""


def _add_alert_claim_columns(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN IMMEDIATE")  # two processes opening an old store at once add them once
    try:
        have = {r["name"] for r in conn.execute("PRAGMA table_info(alerts)")}
        for name, kind in _ALERT_CLAIM_COLUMNS.items():
            if name not in have:
                conn.execute(f"ALTER TABLE alerts ADD COLUMN {name} {kind}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _owned(sql: str, params: list, owner: str | None) -> tuple[str, list]:
    """``sql`` limited to rows ``owner`` has claimed (when an owner is given)."""
    if owner is None:
        return sql, params
    return sql + " AND owner = ?", [*params, owner]


def _pending(row: sqlite3.Row, **changes) -> PendingAlert:
    names = ("id", "sha256", "channel", "headline_ts", "attempts", "last_error", "owner", "lease_until",
             "headline_tried", "reply_tried")  # fmt: skip
    fields = {name: row[name] for name in names}
    return PendingAlert(revised=bool(row["revised"]), **{**fields, **changes})


def _split(text: str, sep: str = " ") -> tuple[str, ...]:
    return tuple(x for x in text.split(sep) if x)


def _topics(row: sqlite3.Row) -> tuple[str, ...]:
    """A stored letter's topics column: a JSON list of strings (StoreError if it is not)."""
    try:
        value = json.loads(row["topics"] or "[]")
    except ValueError as exc:
        value = exc
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise StoreError(f"the stored letter {row['source']} ({row['sha256'][:12]}) has a topics column that"
                         " is not a JSON list of strings (the store is damaged: ingest the letters into a new"
                         " LGSO_DB)")  # fmt: skip
    return tuple(value)


def _stored(row: sqlite3.Row) -> StoredLetter:
    keys = row.keys()
    return StoredLetter(
        id=row["id"], sha256=row["sha256"], source=row["source"], authority=row["authority"],
        authority_key=row["authority_key"], authority_type=row["authority_type"], year=row["year"],
        ingested_at=row["ingested_at"], current=bool(row["current"]), n_errors=row["n_errors"],
        n_outliers=row["n_outliers"], n_unique=row["n_unique"], error_codes=_split(row["error_codes"]),
        outlier_fields=_split(row["outlier_fields"]), topics=_topics(row),
        audit_json=row["audit"] if "audit" in keys else "",
    )  # fmt: skip
