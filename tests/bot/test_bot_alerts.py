"""Alerts: one headline per new or changed alert-worthy letter, details in its thread."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest
from click.testing import CliRunner
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slackfake import (
    ROTHERHAM,
    SEEDS,
    all_text,
    fake_slack_fixture,  # noqa: F401 (a fixture)
    letter_with_paragraph,
    settings_fixture,  # noqa: F401 (a fixture)
    store_fixture,  # noqa: F401 (a fixture)
)

from bot.alerts import Poster, deliver_pending
from bot.server import Background
from bot.slackapi import make_web_client
from lgso.cli import cli
from lgso_core import audit_paths
from lgso_core.ingest import FolderWatch, ingest_paths
from lgso_core.store import Store, needs_alert
from tests.synthetic import make_audit, written_name

HEADLINE = "Rotherham Metropolitan Borough Council: concern, enquiry responses (2020)"


def _env(fake, tmp_path, token="xoxb-test"):
    return {
        "LGSO_DB": str(tmp_path / "audits.sqlite3"),
        "SLACK_BOT_TOKEN": token,
        "SLACK_API_URL": fake.api_url,
        "LGSO_ALERT_CHANNEL": None,
        "SLACK_SIGNING_SECRET": None,
    }


def _ingest(fake, tmp_path, *paths, token="xoxb-test", channel="C-ALERTS"):
    args = ["ingest", *map(str, paths)] + (["--alert-channel", channel] if channel else [])
    return CliRunner().invoke(cli, args, env=_env(fake, tmp_path, token), catch_exceptions=False)


def _headlines(fake):
    return [r for r in fake.posts() if not r.body.get("thread_ts")]


def _poster(settings, *, token=None, timeout=5.0, retries=3):
    """A poster on the fake, retrying after 10 ms (slack_sdk's default backoff adds up to 1 s)."""
    client = make_web_client(token or settings.bot_token, settings.api_url, timeout=timeout,
                             retries=retries, pause=FixedValueRetryIntervalCalculator(0.01))  # fmt: skip
    return Poster(client)


def _in_channel(fake, channel="C1"):
    """(headlines, replies) now in the fake's channel."""
    messages = fake.messages(channel)
    return [m for m in messages if "thread_ts" not in m], [m for m in messages if "thread_ts" in m]


def _assert_each_alert_once(fake, store, channel="C1"):
    """Every queued alert is sent, and in the channel as exactly one headline with one reply under it."""
    heads, replies = _in_channel(fake, channel)
    alerts = store._read("SELECT id, sha256, status FROM alerts WHERE channel = ?", (channel,))
    assert alerts and all(a["status"] == "sent" for a in alerts)
    head_ids = sorted(h["metadata"]["event_payload"]["alert_id"] for h in heads)
    assert head_ids == sorted(a["id"] for a in alerts)  # each alert's headline once, no other
    for head in heads:
        under = [r for r in replies if r["thread_ts"] == head["ts"]]
        assert len(under) == 1, f"{len(under)} replies under {head['text'][:60]}"
        assert under[0]["metadata"]["event_payload"]["part"] == "reply"
    assert len(replies) == len(heads)


def test_ingest_posts_the_rotherham_alert_then_nothing(fake_slack, tmp_path):
    result = _ingest(fake_slack, tmp_path, SEEDS)
    assert result.exit_code == 0, result.output
    # one alert per letter the library calls alert-worthy (other findings may join Rotherham's)
    worthy = [a for a in audit_paths([SEEDS]).letters if needs_alert(a)]
    posts = fake_slack.posts()
    heads = _headlines(fake_slack)
    assert len(heads) == len(worthy) and len(posts) == 2 * len(worthy)
    rotherham = next(h for h in heads if h.body["text"].startswith(HEADLINE))
    assert rotherham.body["channel"] == "C-ALERTS"
    assert rotherham.body["text"].endswith("(2020)")
    reply = posts[posts.index(rotherham) + 1]  # headline, then its thread reply
    assert reply.body["channel"] == "C-ALERTS" and reply.body["thread_ts"]
    assert "three quarters of the Council's responses" in all_text(reply.body)

    before = len(fake_slack.requests)
    again = _ingest(fake_slack, tmp_path, SEEDS)
    assert again.exit_code == 0 and "0 new" in again.output
    assert len(fake_slack.requests) == before


def test_thread_reply_goes_under_its_headline(fake_slack, tmp_path):
    _ingest(fake_slack, tmp_path, ROTHERHAM)
    head, reply = fake_slack.posts()
    assert "thread_ts" not in head.body
    (posted_head, posted_reply) = fake_slack.messages("C-ALERTS")
    assert reply.body["thread_ts"] == posted_head["ts"] == posted_reply["thread_ts"]
    # each message names its alert in its metadata, for finding it again after a timeout
    meta = head.body["metadata"]
    assert meta["event_type"] == "lgso_alert" and meta["event_payload"]["part"] == "headline"
    (alert,) = Store(tmp_path / "audits.sqlite3")._read("SELECT id, sha256 FROM alerts")
    assert meta["event_payload"] == {"alert_id": alert["id"], "sha256": alert["sha256"], "part": "headline"}
    assert reply.body["metadata"]["event_payload"]["part"] == "reply"


def test_without_a_channel_the_alert_waits_for_one(fake_slack, tmp_path):
    result = _ingest(fake_slack, tmp_path, ROTHERHAM, channel=None)
    assert result.exit_code == 0
    assert "1 alert queued." in result.output and "1 alert waits for a channel" in result.output
    assert fake_slack.posts() == []
    later = _ingest(fake_slack, tmp_path, ROTHERHAM, channel="C-LATER")  # the same letter, now a channel
    assert later.exit_code == 0 and "1 unchanged" in later.output
    assert [h.body["channel"] for h in _headlines(fake_slack)] == ["C-LATER"]


def test_undeliverable_alert_stays_pending_and_goes_next_run(fake_slack, tmp_path):
    failed = _ingest(fake_slack, tmp_path, ROTHERHAM, token="xoxb-channel-not-found")
    assert failed.exit_code == 0  # the audit's findings decide the exit status, not Slack
    assert "1 still pending" in failed.output and "channel_not_found" in failed.output
    assert len(fake_slack.posts()) == 1  # a fatal error is not retried in the same run

    later = _ingest(fake_slack, tmp_path, ROTHERHAM)  # unchanged letter, working token
    assert later.exit_code == 0, later.output
    assert "1 unchanged" in later.output and "1 alert posted; 0 still pending" in later.output
    delivered = [r for r in fake_slack.posts() if r.token == "xoxb-test"]
    assert len(delivered) == 2 and delivered[0].body["text"].startswith(HEADLINE)

    done = _ingest(fake_slack, tmp_path, ROTHERHAM)  # delivered once: never again
    assert done.exit_code == 0 and len(fake_slack.posts()) == 3


def test_rate_limit_is_retried_after_retry_after(fake_slack, settings, store):
    ingest_paths(store, [ROTHERHAM], alert_channel="C1")
    result = deliver_pending(store, _poster(settings, token="xoxb-429-once"))
    assert (result.sent, result.pending) == (1, 0)
    assert [r.token for r in fake_slack.posts()] == ["xoxb-429-once"] * 3  # 429, headline, reply
    _assert_each_alert_once(fake_slack, store)


def test_a_long_retry_after_is_not_waited_for(fake_slack, settings, store):
    ingest_paths(store, [ROTHERHAM], alert_channel="C1")
    result = deliver_pending(store, _poster(settings, token="xoxb-429-slow"))
    assert (result.sent, result.pending) == (0, 1) and result.errors == ["rate limited"]
    assert len(fake_slack.posts()) == 1  # Retry-After: 120 is over the 30 s cap: next run
    assert store.pending_alerts()[0].last_error == "rate limited"
    assert store.pending_alerts()[0].owner is None  # released for the next run


def test_server_errors_are_retried_then_left_pending(fake_slack, settings, store):
    ingest_paths(store, [ROTHERHAM], alert_channel="C1")
    result = deliver_pending(store, _poster(settings, token="xoxb-500", retries=2))
    assert result.pending == 1 and result.errors == ["HTTP 500 (not in the channel)"]
    # the first try and two retries, each followed by a look in the channel's history
    paths = [r.path.removeprefix("/api/") for r in fake_slack.requests]
    assert paths == ["chat.postMessage", "conversations.history"] * 3
    assert len(store.pending_alerts()) == 1 and fake_slack.messages("C1") == []


@pytest.mark.parametrize("fault", ["500", "503", "429"])
def test_a_post_that_failed_is_posted_again_once(fake_slack, settings, store, fault):
    ingest_paths(store, [ROTHERHAM], alert_channel="C1")
    fake_slack.faults = [fault]
    assert deliver_pending(store, _poster(settings)).sent == 1
    assert len(fake_slack.posts()) == 3
    _assert_each_alert_once(fake_slack, store)


@pytest.mark.parametrize("fault", ["500-after-post", "hang-after-post"])
@pytest.mark.parametrize("part", ["headline", "reply"])
def test_a_post_slack_took_despite_an_error_is_not_posted_again(fake_slack, settings, store, fault, part):
    ingest_paths(store, [ROTHERHAM], alert_channel="C1")
    fake_slack.hang = 1.0
    fake_slack.faults = [fault] if part == "headline" else [None, fault]
    result = deliver_pending(store, _poster(settings, timeout=0.3))
    assert (result.sent, result.pending) == (1, 0)
    assert len(fake_slack.posts()) == 2  # no second try: the history showed it
    _assert_each_alert_once(fake_slack, store)


def test_unsure_and_no_history_leaves_the_alert_pending(fake_slack, settings, store):
    ingest_paths(store, [ROTHERHAM], alert_channel="C1")
    fake_slack.faults = ["500-after-post"]
    result = deliver_pending(store, _poster(settings, token="xoxb-no-history"))
    assert result.pending == 1
    assert result.errors == ["cannot check C1's history before posting again (missing_scope)"]
    assert len(fake_slack.posts()) == 1  # never posted blind
    (alert,) = store.pending_alerts()
    assert alert.headline_tried is not None and alert.headline_ts is None
    # the next run, able to read the history, finds the headline and posts only the reply
    assert deliver_pending(store, _poster(settings)).sent == 1
    _assert_each_alert_once(fake_slack, store)


def test_a_deliverer_that_died_after_posting_is_finished_without_a_repost(fake_slack, settings, store):
    ingest_paths(store, [ROTHERHAM], alert_channel="C1")
    dead = store.claim_alert("dead-deliverer", lease=0.05)
    assert store.begin_post(dead.id, "dead-deliverer", "headline", lease=0.05)
    payload = {"alert_id": dead.id, "sha256": dead.sha256, "part": "headline"}
    _poster(settings).post(payload=payload, channel="C1", text="the headline, posted just before a crash")
    assert deliver_pending(store, _poster(settings), lease=30).sent == 0  # its claim still holds
    time.sleep(0.1)
    assert deliver_pending(store, _poster(settings)).sent == 1
    heads, replies = _in_channel(fake_slack)
    assert [h["text"] for h in heads] == ["the headline, posted just before a crash"]
    assert replies[0]["thread_ts"] == heads[0]["ts"]
    _assert_each_alert_once(fake_slack, store)


def test_failed_reply_is_retried_without_a_second_headline(fake_slack, settings, store):
    ingest_paths(store, [ROTHERHAM], alert_channel="C1")
    assert deliver_pending(store, _poster(settings, token="xoxb-no-threads", retries=1)).pending == 1
    (head,) = fake_slack.messages("C1")
    assert store.pending_alerts()[0].headline_ts == head["ts"]
    assert deliver_pending(store, _poster(settings)).sent == 1
    good = [r for r in fake_slack.posts() if r.token == "xoxb-test"]
    assert len(good) == 1 and good[0].body["thread_ts"] == head["ts"]
    assert store.pending_alerts() == []
    _assert_each_alert_once(fake_slack, store)


def test_alerts_are_escaped(fake_slack, settings, store, tmp_path):
    hostile = "Attention &lt;!channel&gt; &amp; &lt;@U123&gt;: the Council ignored our enquiries all year."
    letter = letter_with_paragraph(ROTHERHAM, hostile, tmp_path, "rotherham.html")
    ingest_paths(store, [letter], alert_channel="C1")
    assert deliver_pending(store, _poster(settings)).sent == 1
    for post in fake_slack.posts():
        assert "<!channel>" not in post.raw and "<@U123>" not in post.raw
    assert "&lt;!channel&gt;" in all_text(fake_slack.posts()[1].body)


def test_a_changed_letter_alerts_again_marked_revised(fake_slack, settings, store, tmp_path):
    first = letter_with_paragraph(
        ROTHERHAM, "The Council's responses were late all year.", tmp_path, "r.html"
    )
    ingest_paths(store, [first], alert_channel="C1")
    deliver_pending(store, _poster(settings))
    first.write_text(first.read_text().replace("late all year", "late every month"))
    _, result = ingest_paths(store, [first], alert_channel="C1")
    assert result.count("revised") == 1
    deliver_pending(store, _poster(settings))
    heads = _headlines(fake_slack)
    assert len(heads) == 2 and heads[1].body["text"].endswith("(2020) (revised letter)")


def test_watched_folder_is_ingested_and_alerted(fake_slack, settings, store, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    watch = FolderWatch(store, folder, alert_channel="C1", settle=0)
    background = Background(store, _poster(settings), watch=watch, say=lambda line: None)
    background.run_once()
    assert fake_slack.posts() == []
    shutil.copy(ROTHERHAM, folder / "rotherham.txt")
    background.run_once()
    assert _headlines(fake_slack)[0].body["text"].startswith(HEADLINE)
    background.run_once()
    shutil.copy(ROTHERHAM, folder / "copy-of-rotherham.txt")  # same content: no second alert
    background.run_once()
    assert len(fake_slack.posts()) == 2 and store.count() == 1


def test_without_a_token_alerts_wait_for_one(fake_slack, tmp_path):
    env = {**_env(fake_slack, tmp_path), "SLACK_BOT_TOKEN": None}
    args = ["ingest", str(ROTHERHAM), "--alert-channel", "C1"]
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 0 and "not posted: SLACK_BOT_TOKEN is not set" in result.output
    assert "1 alert queued" in result.output and "1 alert waits to be posted" in result.output
    assert fake_slack.posts() == []
    later = _ingest(fake_slack, tmp_path, ROTHERHAM)
    assert later.exit_code == 0 and _headlines(fake_slack)[0].body["text"].startswith(HEADLINE)


# --------------------------------------------------------------------------- races and crashes


def _audits(n: int):
    return [make_audit(written_name(f"Place{i}", "district"), 2020, kind="district", unique=[f"Unique {i}."])
            for i in range(n)]  # fmt: skip


def _deliverer(path, settings, stop_when_empty: threading.Event, errors: list) -> threading.Thread:
    """A deliverer with its own store connection, posting until nothing is pending."""

    def run() -> None:
        with Store(path) as own:
            poster = _poster(settings, timeout=0.3)
            deadline = time.monotonic() + 40
            while time.monotonic() < deadline:
                result = deliver_pending(own, poster, lease=20.0)
                errors.extend(result.errors)
                if stop_when_empty.is_set() and not own.pending_alerts():
                    return
                time.sleep(0.05)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _race(fake, settings, tmp_path, *, inbox_letters=()) -> list[str]:
    """Two deliverers and a watcher (ingesting ``inbox_letters``) on one store until all is posted."""
    path = settings.db_path
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    done, errors = threading.Event(), []
    threads = [_deliverer(path, settings, done, errors) for _ in range(2)]
    with Store(path) as own:
        watch = FolderWatch(own, inbox, alert_channel="C1", settle=0)
        watcher = Background(
            own, _poster(settings, timeout=0.3), watch=watch, interval=0.05, say=lambda _: None
        )
        thread = watcher.start()
        for letter in inbox_letters:
            shutil.copy(letter, inbox / letter.name)
            time.sleep(0.1)
        deadline = time.monotonic() + 30
        while own.count() < 5 + len(inbox_letters) and time.monotonic() < deadline:
            time.sleep(0.05)
        done.set()
        for t in threads:
            t.join(timeout=45)
        watcher.stop.set()
        thread.join(timeout=10)
        assert not any(t.is_alive() for t in threads)
    return errors


@pytest.mark.slow
def test_two_deliverers_and_a_watcher_post_every_alert_once_through_faults(fake_slack, settings, tmp_path):
    fake_slack.hang = 0.6  # "accepted, then timed out": over the clients' 0.3 s timeout
    fake_slack.chaos(seed=10, rate=0.3)
    with Store(settings.db_path) as store:
        store.ingest(_audits(5), alert_channel="C1")
    _race(fake_slack, settings, tmp_path, inbox_letters=sorted(SEEDS.glob("*.txt")))
    with Store(settings.db_path) as store:
        assert store.pending_alerts() == []
        _assert_each_alert_once(fake_slack, store)
    # the faults happened, and made the deliverers look in the channel before posting again
    assert {"500", "500-after-post", "hang-after-post"} & set(fake_slack.injected)
    assert any(r.path.startswith("/api/conversations.") for r in fake_slack.requests)


def _ingest_process(fake, settings, folder) -> subprocess.Popen:
    env = {**os.environ, "LGSO_DB": str(settings.db_path), "SLACK_BOT_TOKEN": "xoxb-test",
           "SLACK_API_URL": fake.api_url, "LGSO_ALERT_LEASE": "1", "LGSO_SLACK_TIMEOUT": "5"}  # fmt: skip
    env.pop("LGSO_ALERT_CHANNEL", None)
    args = [sys.executable, "-m", "lgso", "ingest", str(folder), "--alert-channel", "C1"]
    return subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.slow
@pytest.mark.parametrize("killed_at", [4, 5], ids=["reply", "headline"])
def test_an_ingest_killed_mid_delivery_leaves_nothing_twice_and_nothing_lost(
    fake_slack, settings, tmp_path, killed_at
):
    with Store(settings.db_path) as store:  # four alerts queued earlier, then the seeds' one
        store.ingest(_audits(4), alert_channel="C1")
    # the killed_at-th post reaches the channel, but its answer never gets back: kill -9 meanwhile
    fake_slack.faults = [None] * (killed_at - 1) + ["block"]
    process = _ingest_process(fake_slack, settings, SEEDS)
    try:
        while not fake_slack.blocked.wait(0.1):
            assert process.poll() is None, process.communicate(timeout=5)
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=10) == -signal.SIGKILL
    finally:
        fake_slack.release.set()
        if process.poll() is None:
            process.kill()
        process.communicate()
    assert len(fake_slack.posts()) == killed_at
    with Store(settings.db_path) as store:
        (claimed,) = [a for a in store.pending_alerts() if a.owner]  # the dead process's claim
        assert claimed.owner.split("/")[1] == str(process.pid)
    fake_slack.chaos(seed=killed_at, rate=0.2, kinds=("500", "500-after-post", "hang-after-post"))
    fake_slack.hang = 0.6
    _race(fake_slack, settings, tmp_path)
    with Store(settings.db_path) as store:
        assert store.pending_alerts() == []
        _assert_each_alert_once(fake_slack, store)
        worthy = [a for a in audit_paths([SEEDS]).letters if needs_alert(a)]
        assert len(store._read("SELECT id FROM alerts")) == 4 + len(worthy)


def test_alerts_another_deliverer_holds_are_left_to_it(fake_slack, settings, store):
    store.ingest(_audits(2), alert_channel="C1")
    held = store.claim_alert("another-process", lease=600)
    result = deliver_pending(store, _poster(settings))
    assert (result.sent, result.pending, result.busy) == (1, 0, 1)
    assert result.summary() == "1 alert posted; 0 still pending; 1 being posted by another lgso process."
    heads, _ = _in_channel(fake_slack)
    assert [h["metadata"]["event_payload"]["alert_id"] for h in heads] == [held.id + 1]


@pytest.mark.slow
def test_the_readme_setup_a_watching_bot_and_an_ingest_post_each_alert_once(fake_slack, settings, tmp_path):
    with Store(settings.db_path) as store:  # alerts queued and waiting when both start
        store.ingest(_audits(12), alert_channel="C1")
    fake_slack.chaos(seed=7, rate=0.2, kinds=("500", "500-after-post", "hang-after-post"))
    fake_slack.hang = 0.6
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    env = {**os.environ, "LGSO_DB": str(settings.db_path), "SLACK_BOT_TOKEN": "xoxb-test",
           "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": fake_slack.api_url, "LGSO_SLACK_TIMEOUT": "0.3",
           "LGSO_ALERT_CHANNEL": "C1"}  # fmt: skip
    env.pop("SLACK_APP_TOKEN", None)
    lgso = [sys.executable, "-m", "lgso"]
    bot = subprocess.Popen([*lgso, "bot", "--port", "0", "--watch", str(inbox), "--interval", "0.2"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert "listening on" in bot.stderr.readline()
        ingest = subprocess.run(
            [*lgso, "ingest", str(SEEDS)], env=env, capture_output=True, text=True, timeout=120
        )
        assert ingest.returncode in (0, 1), ingest.stderr
        deadline = time.monotonic() + 60
        with Store(settings.db_path) as store:
            while store.pending_alerts() and time.monotonic() < deadline:
                time.sleep(0.2)
            assert store.pending_alerts() == []
            _assert_each_alert_once(fake_slack, store)
            assert len(store._read("SELECT id FROM alerts")) == 13  # twelve queued, one seed letter
    finally:
        bot.terminate()
        bot.wait(timeout=10)
        bot.stderr.close()
