"""The audit store: content-hash keys, history, alert bookkeeping, errors, threads."""

from __future__ import annotations

import sqlite3
import sys
import threading
from pathlib import Path

import pytest

_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from lgso_core.errors import StoreError  # noqa: E402
from lgso_core.store import SCHEMA_VERSION, Store, default_db_path, needs_alert  # noqa: E402
from tests.synthetic import error, make_audit, outlier  # noqa: E402


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "audits.sqlite3") as s:
        yield s


def test_wal_mode_and_indexes(store):
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    plan = conn.execute("EXPLAIN QUERY PLAN SELECT * FROM letters WHERE authority_key = 'x' AND current = 1")
    assert "letters_authority" in " ".join(str(r) for r in plan.fetchall())
    conn.close()


def test_path_from_lgso_db_or_the_user_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("LGSO_DB", str(tmp_path / "here.sqlite3"))
    assert default_db_path() == tmp_path / "here.sqlite3"
    monkeypatch.delenv("LGSO_DB")
    assert default_db_path().name == "audits.sqlite3" and "lgso-audit" in str(default_db_path())


def test_unchanged_content_changes_nothing(store):
    audit = make_audit(unique=["Late."])
    first = store.ingest([audit], alert_channel="C1")
    generation = store.generation()
    again = store.ingest([audit.model_copy(update={"source": "elsewhere/copy.txt"})], alert_channel="C1")
    assert first.count("new") == 1 and again.count("unchanged") == 1
    assert store.generation() == generation and store.count(current_only=False) == 1
    assert store.letter(audit.sha256).source == audit.source
    assert len(store.pending_alerts()) == 1 and not again.alerts_queued


def test_a_changed_letter_replaces_the_current_audit_and_keeps_history(store):
    old, new = make_audit(salt="a"), make_audit(salt="b", unique=["New paragraph."])
    store.ingest([old])
    result = store.ingest([new], alert_channel="C1")
    assert result.count("revised") == 1 and result.alerts_queued == 1
    assert store.current("rotherham").sha256 == new.sha256
    history = store.history("rotherham", current_only=False)
    assert [(h.sha256, h.current) for h in history] == [(new.sha256, True), (old.sha256, False)]
    assert store.pending_alerts()[0].revised


def test_going_back_to_earlier_content_restores_it_without_a_new_alert(store):
    old, new = make_audit(salt="a", unique=["x"]), make_audit(salt="b", unique=["y"])
    store.ingest([old], alert_channel="C1")
    store.ingest([new], alert_channel="C1")
    result = store.ingest([old], alert_channel="C1")
    assert result.count("restored") == 1 and not result.alerts_queued
    assert store.current("rotherham").sha256 == old.sha256
    assert len(store.pending_alerts()) == 2  # one per content, never two for one


def test_several_years_of_one_authority(store):
    store.ingest([make_audit(year=y, salt=str(y)) for y in (2019, 2021, 2020)])
    assert [h.year for h in store.history("rotherham")] == [2021, 2020, 2019]
    assert store.current("rotherham").year == 2021
    assert store.current("rotherham", 2019).year == 2019
    assert store.current("rotherham", 2018) is None
    assert store.years() == [2021, 2020, 2019]


def test_authority_names_are_keyed_on_the_council_list(store):
    store.ingest(
        [
            make_audit("Hull City Council", kind="unitary"),
            make_audit("Kingston upon Hull City Council", 2021, kind="unitary"),
        ]
    )
    assert [e.key for e in store.authorities()] == ["kingston upon hull"]
    assert store.authorities()[0].names == ("Kingston upon Hull City Council", "Hull City Council")


def test_a_letter_naming_no_authority_is_keyed_by_source(store):
    a = make_audit(None, None, kind=None, salt="1", source="x/unknown.txt")
    b = make_audit(None, None, kind=None, salt="2", source="x/unknown.txt")
    c = make_audit(None, None, kind=None, salt="3", source="x/other.txt")
    store.ingest([a, c])
    assert store.ingest([b]).count("revised") == 1
    assert store.count() == 2 and store.authorities() == []


def test_alerts_only_for_unique_paragraphs_errors_and_outliers(store):
    plain = make_audit("Rutland County Council", kind="unitary")
    audits = [
        plain,
        make_audit(unique=["u"]),
        make_audit("Leeds City Council", findings=[error()]),
        make_audit("York Council", findings=[outlier()]),
    ]
    result = store.ingest(audits, alert_channel="C1")
    assert [x.alert_queued for x in result.letters] == [False, True, True, True]
    assert [needs_alert(a) for a in audits] == [False, True, True, True]
    assert store.ingest(audits[1:], alert_channel="C2").alerts_queued == 0  # already seen content


def test_alert_lifecycle(store):
    audit = make_audit(unique=["u"])
    store.ingest([audit], alert_channel="C1")
    (alert,) = store.pending_alerts("C1")
    assert store.pending_alerts("C2") == []
    store.alert_failed(alert.id, "ratelimited")
    store.headline_posted(alert.id, "1.2")
    (again,) = store.pending_alerts()
    assert (again.attempts, again.last_error, again.headline_ts) == (1, "ratelimited", "1.2")
    store.alert_sent(alert.id)
    assert store.pending_alerts() == [] and store.alert_status(audit.sha256, "C1") == "sent"


def test_alerts_survive_a_restart(tmp_path):
    path = tmp_path / "audits.sqlite3"
    with Store(path) as s:
        s.ingest([make_audit(unique=["u"])], alert_channel="C1")
    with Store(path) as s:
        assert len(s.pending_alerts()) == 1
        assert s.ingest([make_audit(unique=["u"])], alert_channel="C1").alerts_queued == 0


def test_flagged_letters(store):
    store.ingest(
        [
            make_audit(unique=["u"]),
            make_audit("Leeds City Council", findings=[error(), outlier()]),
            make_audit("York Council", 2019, findings=[outlier("remedy.rate")]),
        ]
    )
    assert [r.authority_key for r in store.flagged("outliers", 2020)] == ["leeds"]
    leeds = store.flagged("outliers", 2020)[0]
    assert (leeds.n_errors, leeds.error_codes, leeds.outlier_fields) == (
        1,
        ("rate-mismatch",),
        ("upheld.rate",),
    )
    assert [r.authority_key for r in store.flagged("outliers", None)] == ["leeds", "york"]
    assert [r.authority_key for r in store.flagged("deviations", 2020)] == ["rotherham"]


def test_reading_from_other_threads(store):
    store.ingest([make_audit()])
    seen = []
    threads = [
        threading.Thread(target=lambda: seen.append(store.current("rotherham").year)) for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert seen == [2020] * 8


def test_audit_round_trips(store):
    audit = make_audit(unique=["u"], findings=[error()])
    store.ingest([audit])
    assert store.letter(audit.sha256).audit == audit


def test_unusable_paths_are_store_errors(tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(
        StoreError, match=r"cannot open the audit store at .*junk.sqlite3: file is not a database"
    ):
        Store(junk)
    with pytest.raises(StoreError, match="cannot open the audit store"):
        Store(tmp_path)  # a folder


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="schema version 2; this lgso understands up to 1"):
        Store(path)


# --------------------------------------------------------------------------- re-audits and replies


def _sent_alert(store: Store, audit) -> None:
    """Queue and deliver (in the books) the alert of ``audit`` to C1."""
    store.ingest([audit], alert_channel="C1")
    [alert] = store.pending_alerts()
    store.headline_posted(alert.id, "111.1")
    store.alert_sent(alert.id)


def test_an_older_store_gains_the_re_audit_tables_when_opened(tmp_path):
    path = tmp_path / "audits.sqlite3"
    Store(path).close()
    conn = sqlite3.connect(path)
    for table in ("letter_texts", "sync_state", "alert_verdicts", "alert_replies"):
        conn.execute(f"DROP TABLE {table}")
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert store.sync_state() == {} and store.pending_replies() == []


def test_a_reply_is_claimed_by_one_deliverer_and_only_once_its_alert_is_delivered(store):
    from lgso_core.store import Reaudit

    audit = make_audit(unique=["Late."])
    store.ingest([audit], alert_channel="C1")
    store.save_reaudit(Reaudit(replies=[(audit.sha256, "C1", "unique 0; errors -; outliers -", "now clean")]))
    assert store.claim_reply("a", lease=60, now=1000.0) is None  # the alert is not in the channel yet
    [alert] = store.pending_alerts()
    store.headline_posted(alert.id, "111.1")
    store.alert_sent(alert.id)
    first = store.claim_reply("a", lease=60, now=1000.0)
    assert (first.text, first.thread_ts, first.tried) == ("now clean", "111.1", None)
    assert store.claim_reply("b", lease=60, now=1010.0) is None  # a holds it
    assert not store.begin_reply(first.id, "b", lease=60, now=1010.0)
    assert store.begin_reply(first.id, "a", lease=60, now=1020.0)
    store.reply_failed(first.id, "HTTP 503", "a")
    again = store.claim_reply("b", lease=60, now=1030.0)  # released: b takes it, and knows it was tried
    assert again.id == first.id and again.tried == 1020.0
    assert store.reply_sent(again.id, "b") and not store.reply_sent(again.id, "a")
    assert store.pending_replies() == [] and store.claim_reply("c", lease=60, now=1040.0) is None


def test_never_two_replies_for_one_verdict(store):
    from lgso_core.store import Reaudit

    audit = make_audit(unique=["Late."])
    _sent_alert(store, audit)
    verdict = "unique 0; errors -; outliers -"
    store.save_reaudit(Reaudit(replies=[(audit.sha256, "C1", verdict, "first")]))
    store.save_reaudit(Reaudit(replies=[(audit.sha256, "C1", verdict, "second")]))
    assert [r.text for r in store.pending_replies()] == ["first"]


def test_a_re_audit_is_written_all_or_nothing(store):
    from lgso_core.store import Reaudit

    audit = make_audit(unique=["Late."])
    store.ingest([audit])
    changed = audit.model_copy(update={"deviations": [], "findings": [error()]})
    broken = Reaudit(audits=[changed], verdicts=[(audit.sha256, "C1", None)])  # a verdict is NOT NULL
    with pytest.raises(StoreError):
        store.save_reaudit(broken)
    assert store.letter(audit.sha256).audit == audit
    store.save_reaudit(Reaudit(audits=[changed], state={"version": "1"}))
    stored = store.letter(audit.sha256)
    assert stored.audit == changed and (stored.n_unique, stored.n_errors) == (0, 1)
    assert stored.error_codes == ("rate-mismatch",) and store.sync_state() == {"version": "1"}


def test_a_new_template_for_a_kept_letter_drops_its_base(store):
    from lgso_core.store import Reaudit

    audit = make_audit()
    store.ingest([audit])
    store.keep_texts([(audit.sha256, '[["Dear Ms Kemp", 1]]', None)])
    store.save_reaudit(Reaudit(bases=[(audit.sha256, audit.model_dump_json(), "k1")]))
    [row] = store.current_index()
    assert (row["kept"], row["template"], row["base_key"]) == (1, None, "k1")
    store.keep_texts([(audit.sha256, '[["Dear Ms Kemp", 1]]', None)])  # the same again: base kept
    assert store.current_index()[0]["base_key"] == "k1"
    store.keep_texts([(audit.sha256, '[["Dear Ms Kemp", 1]]', "2020")])  # now with --template 2020
    [row] = store.current_index()
    assert (row["template"], row["base_key"]) == ("2020", None)
    assert store.texts([audit.sha256]) == {audit.sha256: '[["Dear Ms Kemp", 1]]'}
