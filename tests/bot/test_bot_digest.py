"""Letter day: a 40-letter ingest posts one digest and one thread reply per letter that needs
attention, through the exactly-once delivery path, one message a second per channel."""

from __future__ import annotations

import itertools
import json
import shutil

import pytest
from slackfake import (
    ROTHERHAM,
    SEEDS,
    all_text,
    fake_slack_fixture,  # noqa: F401 (a fixture)
    settings_fixture,  # noqa: F401 (a fixture)
    store_fixture,  # noqa: F401 (a fixture)
)

from bot.alerts import Poster, deliver_pending, make_client
from bot.pace import Pace
from bot.server import Background
from lgso_core.authorities import load_authorities
from lgso_core.ingest import FolderWatch, ingest_paths

RUTLAND = SEEDS / "001_c0b09b6ab8458cd9.txt"
CONCERN = ("We are concerned that the Council failed to respond to our enquiries on time in {n} "
           "cases this year, and we ask it to put this right.")  # fmt: skip


def _letters(folder, n=40, paragraphs=4, misprints=1):
    """``n`` copies of Rutland's clean 2020 letter, each to another unitary council; the first
    ``paragraphs`` carry a paragraph of their own, the next ``misprints`` a misprinted rate."""
    folder.mkdir(exist_ok=True)
    text = RUTLAND.read_text("utf-8")
    names = [a.name for a in load_authorities() if a.type == "unitary" and a.name != "Rutland"][:n]
    assert len(names) == n
    for i, name in enumerate(names):
        letter = text.replace("Rutland County Council", f"{name} Council")
        if i < paragraphs:
            letter = letter.replace(
                "Complaint statistics", CONCERN.format(n=i + 3) + "\n\nComplaint statistics", 1
            )
        elif i < paragraphs + misprints:
            letter = letter.replace("100% of complaints we investigated", "99% of complaints we investigated")
        (folder / f"{i:02d}.txt").write_text(letter, "utf-8")
    return folder


def _poster(settings, interval=0.0):
    return Poster(make_client(settings), pace=Pace(interval))


@pytest.mark.slow
def test_forty_letters_make_one_digest_and_a_reply_each_within_slacks_rate(
    fake_slack, settings, store, tmp_path
):
    report, result = ingest_paths(store, [_letters(tmp_path / "day")], alert_channel="C-NEWS")
    assert len(report.letters) == 40 and result.alerts_queued == 5
    delivery = deliver_pending(store, Poster(make_client(settings)))  # the default pace
    assert (delivery.sent, delivery.pending) == (5, 0)

    messages = fake_slack.messages("C-NEWS")
    top = [m for m in messages if "thread_ts" not in m]
    replies = [m for m in messages if "thread_ts" in m]
    assert len(top) == 1 and len(replies) == 5  # one digest, one reply per letter needing attention
    digest = top[0]
    assert digest["text"].startswith("40 letters of 2020 audited: ")
    assert "1 figure error" in digest["text"]
    assert {r["thread_ts"] for r in replies} == {digest["ts"]}
    # every reply is the letter's card with its buttons, and names the file, never the folder
    for reply in replies:
        actions = [e["action_id"] for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]]
        assert actions[:3] == ["lgso_ack", "lgso_mute_council", "lgso_mute_topic"]
        assert str(tmp_path) not in json.dumps(reply)
    # the most serious first in the digest: the misprint is a figure error
    assert "04.txt" not in all_text(digest) and "rate-mismatch" in all_text(digest)
    # Slack's rate: one message a second per channel (ts comes from the fake's clock)
    stamps = [float(m["ts"]) for m in messages]
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(stamps)), stamps


def test_five_letters_or_fewer_are_alerted_one_by_one(fake_slack, settings, store, tmp_path):
    ingest_paths(store, [_letters(tmp_path / "few", n=5, paragraphs=2, misprints=0)], alert_channel="C-NEWS")
    deliver_pending(store, _poster(settings))
    top = [m for m in fake_slack.messages("C-NEWS") if "thread_ts" not in m]
    assert len(top) == 2 and all(m["text"].endswith("(2020)") for m in top)
    assert all("lgso_ack" in json.dumps(m["blocks"]) for m in top)  # the headline is the card


def test_the_threshold_is_configurable(fake_slack, settings, store, tmp_path):
    ingest_paths(store, [_letters(tmp_path / "few", n=3, paragraphs=2, misprints=0)], alert_channel="C-NEWS",
                 digest_threshold=2)  # fmt: skip
    deliver_pending(store, _poster(settings))
    top = [m for m in fake_slack.messages("C-NEWS") if "thread_ts" not in m]
    assert len(top) == 1 and top[0]["text"].startswith("3 letters of 2020 audited: 2 ")


def test_a_watcher_poll_of_many_letters_is_one_digest(fake_slack, settings, store, tmp_path, monkeypatch):
    monkeypatch.setenv("LGSO_DIGEST_THRESHOLD", "3")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    background = Background(store, _poster(settings), watch=FolderWatch(store, inbox, alert_channel="C-W",
                            settle=0), say=lambda line: None)  # fmt: skip
    shutil.copy(ROTHERHAM, inbox / "rotherham.txt")  # one letter alone: its own alert
    background.run_once()
    for path in _letters(tmp_path / "more", n=4, paragraphs=2, misprints=0).iterdir():
        shutil.copy(path, inbox / path.name)
    background.run_once()
    top = [m for m in fake_slack.messages("C-W") if "thread_ts" not in m]
    assert [m["text"].split(":")[0] for m in top] == [
        "Rotherham Metropolitan Borough Council", "4 letters of 2020 audited"]  # fmt: skip
    digest_replies = [m for m in fake_slack.messages("C-W") if m.get("thread_ts") == top[1]["ts"]]
    assert len(digest_replies) == 2


def test_a_reply_that_fails_is_posted_once_next_run_under_the_same_digest(
    fake_slack, settings, store, tmp_path
):
    ingest_paths(store, [_letters(tmp_path / "day", n=8, paragraphs=3, misprints=0)], alert_channel="C-NEWS")
    fake_slack.faults.extend(["ok", "ok", "500", "500", "500", "500"])  # the second reply fails for now
    first = deliver_pending(store, _poster(settings))
    assert first.sent == 1 and first.pending == 2
    second = deliver_pending(store, _poster(settings))
    assert second.sent == 2
    messages = fake_slack.messages("C-NEWS")
    top = [m for m in messages if "thread_ts" not in m]
    assert len(top) == 1 and len([m for m in messages if m.get("thread_ts") == top[0]["ts"]]) == 3


def test_a_topic_muted_while_alerts_wait_holds_them_too(fake_slack, settings, store, tmp_path):
    from lgso_core.mutes import MuteBook

    ingest_paths(store, [_letters(tmp_path / "day", n=8, paragraphs=3, misprints=1)], alert_channel="C-NEWS")
    MuteBook(store).mute("enquiry responses", user_id="U1")  # after the ingest, before delivery
    delivery = deliver_pending(store, _poster(settings))
    assert delivery.sent == 1 and store.alert_counts()["muted"] == 3  # only the misprint goes
    replies = [m for m in fake_slack.messages("C-NEWS") if "thread_ts" in m]
    assert len(replies) == 1 and "rate-mismatch" in all_text(replies[0])
