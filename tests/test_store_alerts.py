"""The store's alert queue: claims with an owner and a lease, so one deliverer posts each alert."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from lgso_core.store import Store
from tests.synthetic import make_audit


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "audits.sqlite3") as s:
        yield s


def _queue(store: Store, n: int) -> list[int]:
    store.ingest([make_audit(f"Council {i}", unique=[f"u{i}"]) for i in range(n)], alert_channel="C1")
    return [a.id for a in store.pending_alerts()]


def test_claims_go_oldest_first_and_never_twice(store):
    first, second = _queue(store, 2)
    a = store.claim_alert("A", lease=60, now=1000.0)
    b = store.claim_alert("B", lease=60, now=1000.0)
    assert (a.id, a.owner, a.lease_until) == (first, "A", 1060.0)
    assert (b.id, b.owner) == (second, "B")
    assert store.claim_alert("C", lease=60, now=1059.0) is None  # both held
    assert [p.owner for p in store.pending_alerts()] == ["A", "B"]  # still pending, but claimed


def test_a_lapsed_claim_passes_to_the_next_deliverer(store):
    (alert_id,) = _queue(store, 1)
    store.claim_alert("A", lease=60, now=1000.0)
    taken = store.claim_alert("B", lease=60, now=1060.0)  # A's lease ended at 1060
    assert (taken.id, taken.owner) == (alert_id, "B")
    # A wakes up: it holds nothing any more, so it may not post or record anything
    assert not store.begin_post(alert_id, "A", "headline", lease=60, now=1061.0)
    assert not store.headline_posted(alert_id, "1.1", "A")
    assert not store.alert_sent(alert_id, "A")
    assert store.begin_post(alert_id, "B", "headline", lease=60, now=1061.0)
    assert store.alert_sent(alert_id, "B")
    assert store.pending_alerts() == [] and store.claim_alert("C", lease=60) is None


def test_begin_post_renews_the_lease_and_keeps_the_first_try(store):
    (alert_id,) = _queue(store, 1)
    store.claim_alert("A", lease=60, now=1000.0)
    assert store.begin_post(alert_id, "A", "headline", lease=60, now=1050.0)
    assert store.begin_post(alert_id, "A", "headline", lease=60, now=1100.0)  # a retry
    (alert,) = store.pending_alerts()
    assert (alert.headline_tried, alert.reply_tried, alert.lease_until) == (1050.0, None, 1160.0)
    assert store.claim_alert("B", lease=60, now=1159.0) is None  # renewed past A's first lease
    assert store.begin_post(alert_id, "A", "reply", lease=60, now=1120.0)
    assert store.pending_alerts()[0].reply_tried == 1120.0


def test_a_failure_releases_the_claim_for_the_next_run(store):
    (alert_id,) = _queue(store, 1)
    store.claim_alert("A", lease=600, now=1000.0)
    assert store.alert_failed(alert_id, "channel_not_found", "A")
    (alert,) = store.pending_alerts()
    assert (alert.owner, alert.lease_until, alert.attempts, alert.last_error) == (
        None,
        None,
        1,
        "channel_not_found",
    )
    assert store.claim_alert("B", lease=60, now=1001.0).id == alert_id  # no need to wait for the lease


def test_claims_by_channel(store):
    store.ingest([make_audit("Council 1", unique=["u"])], alert_channel="C1")
    store.ingest([make_audit("Council 2", unique=["v"])], alert_channel="C2")
    assert store.claim_alert("A", lease=60, channel="C2").channel == "C2"
    assert store.claim_alert("A", lease=60, channel="C2") is None
    assert store.claim_alert("A", lease=60).channel == "C1"


def test_racing_claimers_share_out_every_alert_once(tmp_path):
    path = tmp_path / "audits.sqlite3"
    with Store(path) as s:
        ids = _queue(s, 60)
    got: dict[str, list[int]] = {}

    def claimer(name: str) -> None:
        with Store(path) as own:  # its own connection, as another process would have
            mine = got.setdefault(name, [])
            while (alert := own.claim_alert(name, lease=600)) is not None:
                mine.append(alert.id)
                own.alert_sent(alert.id, name)

    threads = [threading.Thread(target=claimer, args=(f"D{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    claimed = [i for mine in got.values() for i in mine]
    assert sorted(claimed) == ids  # each alert claimed exactly once
    with Store(path) as s:
        assert s.pending_alerts() == []


def test_a_store_made_before_claims_gains_their_columns(tmp_path):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE alerts (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, channel TEXT NOT NULL,"
        " revised INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL DEFAULT 'pending', headline_ts TEXT,"
        " attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, queued_at TEXT NOT NULL, sent_at TEXT,"
        " UNIQUE (sha256, channel));"
        "INSERT INTO alerts (sha256, channel, queued_at) VALUES ('abc', 'C1', '2020-07-22');"
        "PRAGMA user_version = 1;"
    )
    conn.close()
    with Store(path) as s:
        (alert,) = s.pending_alerts()
        assert (alert.sha256, alert.owner, alert.headline_tried) == ("abc", None, None)
        assert s.claim_alert("A", lease=60).id == alert.id
    with Store(path) as s:  # opening it again adds nothing twice
        assert s.pending_alerts()[0].owner == "A"
