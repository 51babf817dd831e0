"""Digests and summaries: what a batch of letters, or the store's latest year, amounts to.

An ingest (``lgso ingest`` or one poll of a watched folder) is one *batch*. When it brings
more than ``DIGEST_THRESHOLD`` new or revised letters, its alerts go out as one digest --
"42 letters of 2024 audited: 5 concerns, 2 figure errors, 3 outliers" -- with one thread
reply per letter that needs attention, instead of one alert each. Which alerts belong to
which batch is kept here (``alert_batches``); posting is the bot's job.

The counts are of letters: a letter with a unique paragraph whose tone is ``concern`` is a
concern, one with an error finding a figure error, one with an outlier finding an outlier.
A letter can be in several of the three.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field

from .errors import ConfigError
from .models import LetterAudit, Severity
from .mutes import Mute, MuteBook, news_topics
from .store import IngestResult, Store

DIGEST_THRESHOLD = 5
"""A batch of more new or revised letters than this is alerted as one digest."""
THRESHOLD_ENV = "LGSO_DIGEST_THRESHOLD"
TOP_ITEMS = 5
"""Letters the digest message itself names (the rest are in its thread)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS alert_batches (
    id         INTEGER PRIMARY KEY,
    letters    INTEGER NOT NULL,
    digest     INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    digest_ts  TEXT,
    channel    TEXT
);
CREATE TABLE IF NOT EXISTS alert_batch_members (
    alert_id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_batch_members_batch ON alert_batch_members (batch_id);
"""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DigestItem(_Frozen):
    """One letter that needs attention, as a digest or the Home tab lists it."""

    authority: str
    year: int | None
    sha256: str
    concerns: int = Field(description="Its unique paragraphs of concern.")
    unique: int = Field(default=0, description="All its unique paragraphs (concerns included).")
    errors: int = Field(description="Its error findings.")
    outliers: int = Field(description="Its outlier findings.")
    topics: list[str] = Field(default_factory=list, description="What its news is about.")

    @property
    def rank(self) -> tuple[int, int, int, int]:
        """Sorts the most serious first: figure errors, then concerns, outliers, other paragraphs."""
        return (-(self.errors > 0), -self.concerns, -self.outliers, -self.unique)


class Summary(_Frozen):
    """A batch's or a year's letters, counted."""

    letters: int = Field(description="Letters audited (the batch's new and revised ones, or the year's).")
    years: list[int] = Field(default_factory=list, description="Their years, most letters first.")
    concerns: int = Field(default=0, description="Letters with a concern.")
    errors: int = Field(default=0, description="Letters with a figure error.")
    outliers: int = Field(default=0, description="Letters with an outlier.")
    other: int = Field(default=0, description="Letters whose only news is paragraphs not of concern.")
    muted: int = Field(default=0, description="Letters whose only news is muted.")
    items: list[DigestItem] = Field(
        default_factory=list, description="Letters needing attention, worst first."
    )

    def headline(self) -> str:
        """'42 letters of 2024 audited: 5 concerns, 2 figure errors, 3 outliers'."""
        of = f" of {', '.join(str(y) for y in self.years)}" if self.years else ""
        counts = {"concern": self.concerns, "figure error": self.errors, "outlier": self.outliers}
        found = ", ".join(_plural(n, word) for word, n in counts.items() if n)
        if self.other:
            found += f"{', ' if found else ''}{self.other} with other new paragraphs"
        line = f"{_plural(self.letters, 'letter')}{of} audited: {found or 'nothing needs attention'}"
        if self.muted:
            line += f" ({self.muted} more with muted news only)"
        return line


def concern_count(audit: LetterAudit) -> int:
    """The letter's unique paragraphs whose tone is concern."""
    return sum(d.kind == "unique" and d.tone == "concern" for d in audit.deviations)


def item(audit: LetterAudit) -> DigestItem:
    return DigestItem(
        authority=audit.authority or audit.source.replace("\\", "/").rsplit("/", 1)[-1],
        year=audit.year,
        sha256=audit.sha256 or "",
        concerns=concern_count(audit),
        unique=sum(d.kind == "unique" for d in audit.deviations),
        errors=sum(f.severity == Severity.ERROR for f in audit.findings),
        outliers=sum(f.code == "outlier" for f in audit.findings),
        topics=news_topics(audit),
    )


def summarize(letters: int, audits: Iterable[LetterAudit], *, muted: int = 0) -> Summary:
    """Count ``audits`` (the letters needing attention) out of ``letters`` audited."""
    items = [item(a) for a in audits]
    items = [i for i in items if i.unique or i.errors or i.outliers]
    years = Counter(i.year for i in items if i.year)
    items.sort(key=lambda i: (i.rank, i.authority))
    return Summary(
        letters=letters,
        years=[y for y, _ in sorted(years.items(), key=lambda kv: (-kv[1], -kv[0]))],
        concerns=sum(i.concerns > 0 for i in items),
        errors=sum(i.errors > 0 for i in items),
        outliers=sum(i.outliers > 0 for i in items),
        other=sum(not (i.concerns or i.errors or i.outliers) for i in items),
        muted=muted,
        items=items,
    )


# --------------------------------------------------------------------------- batches


class Batch(_Frozen):
    """One ingest's alerts."""

    id: int
    letters: int = Field(description="New and revised letters the ingest brought.")
    digest: bool = Field(default=False, description="Its alerts go out as one digest (more letters "
                         "than the threshold).")  # fmt: skip
    alert_ids: list[int]
    digest_ts: str | None = Field(default=None, description="The digest message, once posted.")
    channel: str | None = None


class Batches:
    """Which alerts came in which ingest, and where their digest was posted."""

    def __init__(self, store: Store):
        self.store = store
        store.extend(_SCHEMA)

    def record(self, result: IngestResult, threshold: int = DIGEST_THRESHOLD) -> Batch | None:
        """Record one ingest's queued alerts as a batch, a digest when it brought more than
        ``threshold`` new or revised letters (None when it queued no alert)."""
        queued = self.store.queued_alert_ids(x.sha256 for x in result.letters if x.alert_queued)
        if not queued:
            return None
        letters = result.count("new") + result.count("revised")
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.store.transaction() as conn:
            sql = "INSERT INTO alert_batches (letters, digest, created_at) VALUES (?, ?, ?)"
            batch_id = conn.execute(sql, (letters, int(letters > threshold), now)).lastrowid
            conn.executemany("INSERT OR IGNORE INTO alert_batch_members (alert_id, batch_id) VALUES (?, ?)",
                             [(a, batch_id) for a in queued.values()])  # fmt: skip
        return self.get(batch_id)

    def get(self, batch_id: int) -> Batch | None:
        rows = self.store.query("SELECT * FROM alert_batches WHERE id = ?", (batch_id,))
        if not rows:
            return None
        members = self.store.query("SELECT alert_id FROM alert_batch_members WHERE batch_id = ?"
                                   " ORDER BY alert_id", (batch_id,))  # fmt: skip
        r = rows[0]
        return Batch(
            id=r["id"],
            letters=r["letters"],
            digest=bool(r["digest"]),
            alert_ids=[m[0] for m in members],
            digest_ts=r["digest_ts"],
            channel=r["channel"],
        )

    def of_alerts(self, alert_ids: Sequence[int]) -> dict[int, int]:
        """The batch of each of these alerts that has one."""
        found = {}
        for alert_id in alert_ids:
            rows = self.store.query(
                "SELECT batch_id FROM alert_batch_members WHERE alert_id = ?", (alert_id,)
            )
            if rows:
                found[alert_id] = rows[0][0]
        return found

    def digest_posted(self, batch_id: int, channel: str, ts: str) -> None:
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE alert_batches SET digest_ts = ?, channel = ? WHERE id = ?", (ts, channel, batch_id)
            )

    def summary(self, batch: Batch) -> Summary:
        """The batch's digest: its letters counted, the muted ones apart."""
        statuses = self.store.query(
            f"SELECT id, sha256, status FROM alerts WHERE id IN ({','.join('?' * len(batch.alert_ids))})",
            batch.alert_ids,
        )
        audits, muted = [], 0
        for r in statuses:
            if r["status"] == "muted":
                muted += 1
                continue
            stored = self.store.letter(r["sha256"])
            if stored is not None:
                audits.append(stored.audit)
        return summarize(batch.letters, audits, muted=muted)


def year_summary(store: Store, year: int | None = None) -> Summary:
    """The store's current letters of ``year`` (default: the latest year), counted."""
    years = store.years()
    year = year if year is not None else (years[0] if years else None)
    if year is None:
        return Summary(letters=0)
    flagged = {r.sha256: r for k in ("outliers", "deviations") for r in store.flagged(k, year)}
    audits = [store.letter(sha).audit for sha in flagged]
    letters = store.query("SELECT count(*) FROM letters WHERE current = 1 AND year = ?", (year,))[0][0]
    summary = summarize(letters, audits)
    return summary.model_copy(update={"years": [year]})


def record_ingest(store: Store, result: IngestResult, threshold: int | None = None) -> Batch | None:
    """After an ingest: record the batch (a digest past ``threshold``, default
    ``digest_threshold()``), and hold the alerts whose news is all muted."""
    batch = Batches(store).record(result, digest_threshold() if threshold is None else threshold)
    MuteBook(store).hold_muted(result)
    return batch


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# --------------------------------------------------------------------------- the Home tab


class RecentAlert(_Frozen):
    """An alert lately delivered."""

    alert_id: int
    authority: str
    year: int | None
    topics: list[str]
    sent_at: str | None
    acknowledged_by: str | None = Field(default=None, description="The Slack user who acknowledged it.")


class Home(_Frozen):
    """What the bot's Home tab shows."""

    summary: Summary = Field(description="The latest year's letters, counted.")
    recent: list[RecentAlert] = Field(default_factory=list, description="The last alerts delivered.")
    pending: int = Field(default=0, description="Alerts waiting to be delivered.")
    mutes: list[Mute] = Field(default_factory=list)


def home(store: Store, *, recent: int = 5) -> Home:
    """The Home tab's content: the latest year, the last ``recent`` alerts, the mutes."""
    book = MuteBook(store)
    rows = store.query("SELECT id, sha256, sent_at FROM alerts WHERE status = 'sent'"
                       " ORDER BY sent_at DESC, id DESC LIMIT ?", (recent,))  # fmt: skip
    last = []
    for r in rows:
        stored = store.letter(r["sha256"])
        if stored is None:
            continue
        ack = book.acknowledgement(r["id"])
        name = stored.authority or stored.source.replace("\\", "/").rsplit("/", 1)[-1]
        last.append(RecentAlert(alert_id=r["id"], authority=name, year=stored.year,
                                topics=news_topics(stored.audit), sent_at=r["sent_at"],
                                acknowledged_by=ack.user_id if ack else None))  # fmt: skip
    pending = store.query("SELECT count(*) FROM alerts WHERE status = 'pending'")[0][0]
    return Home(summary=year_summary(store), recent=last, pending=pending, mutes=book.mutes())


def digest_threshold(env: Mapping[str, str] | None = None) -> int:
    """``LGSO_DIGEST_THRESHOLD`` if set (a whole number, 0 or more), else ``DIGEST_THRESHOLD``."""
    env = os.environ if env is None else env
    raw = (env.get(THRESHOLD_ENV) or "").strip()
    if not raw:
        return DIGEST_THRESHOLD
    if not raw.isdigit():
        raise ConfigError(f"{THRESHOLD_ENV} should be a whole number of letters such as 5; got {raw!r}")
    return int(raw)
