"""Noise control: what a letter's news is, mutes by topic and council, acknowledgements."""

from __future__ import annotations

import pytest

from lgso_core.digest import record_ingest
from lgso_core.models import Deviation
from lgso_core.mutes import MuteBook, is_muted, mute_command, news_items, news_topics
from lgso_core.store import Store
from tests.synthetic import error, make_audit, outlier

ROTHERHAM = "Rotherham Metropolitan Borough Council"


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "audits.sqlite3") as s:
        yield s


def _para(text: str, *tags: str, tone: str = "concern") -> Deviation:
    return Deviation(kind="unique", text=text, template=None, score=5.0, tags=list(tags), tone=tone)


def _letter(authority=ROTHERHAM, *, paragraphs=(), findings=(), salt=""):
    audit = make_audit(authority, findings=list(findings), salt=salt + repr(paragraphs))
    return audit.model_copy(update={"deviations": list(paragraphs)})


def test_the_news_of_a_letter_item_by_item():
    audit = _letter(
        paragraphs=[_para("Late and slow.", "enquiry responses", "Remedies"), _para("Odd.")],
        findings=[error("rate-mismatch"), outlier("remedy.rate"), error("plural-mismatch")],
    )
    # findings in the audit's order: errors before warnings
    assert news_items(audit) == [
        ("enquiry responses", "remedies"),
        ("unique paragraph",),
        ("rate-mismatch",),
        ("plural-mismatch",),
        ("outlier remedy.rate",),
    ]
    assert news_topics(audit) == [
        "enquiry responses", "remedies", "unique paragraph", "rate-mismatch", "plural-mismatch",
        "outlier remedy.rate",
    ]  # fmt: skip


def test_a_letter_is_muted_only_when_all_its_news_is(store):
    book = MuteBook(store)
    both = _letter(paragraphs=[_para("Late.", "enquiry responses", "remedies")], findings=[error()])
    book.mute("enquiry responses", user_id="U1", authority=ROTHERHAM)
    assert not is_muted(both, book.mutes())  # the paragraph is also about remedies; and the error
    book.mute("remedies", user_id="U1")
    assert not is_muted(both, book.mutes())  # the error is still news
    book.mute("rate-mismatch", user_id="U1", authority="rotherham metropolitan borough council")
    assert is_muted(both, book.mutes())
    elsewhere = _letter("Leeds City Council", paragraphs=both.deviations, findings=[error()])
    assert not is_muted(elsewhere, book.mutes())  # muted for Rotherham only
    assert not is_muted(_letter(), book.mutes())  # no news at all is not "muted"


def test_mutes_are_kept_once_and_logged(store):
    book = MuteBook(store)
    first = book.mute(
        "  Enquiry   Responses ", user_id="U1", user_name="ann", authority=ROTHERHAM, alert_id=7
    )
    again = book.mute("enquiry responses", user_id="U2", authority=ROTHERHAM)
    assert first == again and first.topic == "enquiry responses" and first.user_id == "U1"
    assert first.authority_key == "rotherham" and first.scope == f"for {ROTHERHAM}"
    everywhere = book.mute("public report", user_id="U2")
    assert everywhere.scope == "everywhere" and everywhere.authority == ""
    assert [m.topic for m in book.mutes()] == ["public report", "enquiry responses"]  # everywhere first
    with pytest.raises(ValueError):
        book.mute("   ", user_id="U1")
    log = [(a["action"], a["alert_id"], a["topic"], a["user_id"]) for a in book.actions()]
    assert log == [("mute", 7, "enquiry responses", "U1"), ("mute", None, "enquiry responses", "U2"),
                   ("mute", None, "public report", "U2")]  # fmt: skip
    assert book.unmute(everywhere, user_id="U3") and not book.unmute(everywhere, user_id="U3")
    assert book.actions()[-1]["action"] == "unmute" and len(book.actions()) == 4


def test_the_first_acknowledgement_is_the_one_shown(store):
    book = MuteBook(store)
    assert book.acknowledgement(3) is None
    first = book.acknowledge(3, user_id="U1", user_name="ann")
    book.acknowledge(3, user_id="U2")
    assert book.acknowledgement(3) == first and first.user_id == "U1"
    assert [a["user_id"] for a in book.actions(3)] == ["U1", "U2"]


def test_a_muted_letter_is_stored_not_alerted(store):
    MuteBook(store).mute("enquiry responses", user_id="U1", authority=ROTHERHAM)
    rotherham = make_audit(unique=["The Council's responses were late."])
    leeds = make_audit("Leeds City Council", unique=["The Council's responses were late."])
    result = store.ingest([rotherham, leeds], alert_channel="C1")
    batch = record_ingest(store, result)
    assert store.count() == 2 and result.alerts_queued == 2 and len(batch.alert_ids) == 2
    pending = store.pending_alerts()
    assert [store.letter(a.sha256).authority for a in pending] == ["Leeds City Council"]
    assert store.alert_status(rotherham.sha256, "C1") == "muted"


def test_commands(store):
    store.ingest([make_audit(unique=["Late."]), make_audit("Leeds City Council", salt="l")])
    book = MuteBook(store)
    assert mute_command(book, "muted", user_id="U1").mutes == []
    done = mute_command(book, "mute late responses for rotherham metropolitn", user_id="U1")
    assert done.note == f"Muted “late responses” for {ROTHERHAM}." and len(done.mutes) == 1
    done = mute_command(book, "mute rate-mismatch", user_id="U1")
    assert done.note == "Muted “rate-mismatch” everywhere."
    assert [m.topic for m in mute_command(book, "MUTED", user_id="U1").mutes] == [
        "rate-mismatch", "late responses"]  # fmt: skip
    nothing = mute_command(book, "mute late responses for xyzzy", user_id="U1")
    assert (
        nothing.problem == "Not muted: no council in the store matches 'xyzzy'." and len(nothing.mutes) == 2
    )
    assert mute_command(book, "unmute", user_id="U1").problem.startswith("unmute needs a topic")
    assert mute_command(book, "unmute 9", user_id="U1").problem == "No muted topic matches '9'."
    assert mute_command(book, "unmute late responses for leeds", user_id="U1").problem is not None
    done = mute_command(book, "unmute 1", user_id="U1")
    assert done.note == "Unmuted “rate-mismatch” everywhere." and [m.topic for m in done.mutes] == [
        "late responses"]  # fmt: skip
    done = mute_command(book, "unmute Late Responses for rotherham", user_id="U1")
    assert done.note == f"Unmuted “late responses” for {ROTHERHAM}." and done.mutes == []
