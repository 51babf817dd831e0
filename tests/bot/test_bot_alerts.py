"""Alerts: one headline per new or changed alert-worthy letter, details in its thread."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from slackfake import (
    ROTHERHAM,
    SEEDS,
    all_text,
    fake_slack_fixture,  # noqa: F401 (a fixture)
    letter_with_paragraph,
    settings_fixture,  # noqa: F401 (a fixture)
    store_fixture,  # noqa: F401 (a fixture)
)

from bot.alerts import Poster, deliver_pending, make_client
from bot.server import Background
from lgso.cli import cli
from lgso_core import audit_paths
from lgso_core.ingest import FolderWatch, ingest_paths
from lgso_core.store import needs_alert

HEADLINE = "Rotherham Metropolitan Borough Council: 1 unique paragraph — late responses"


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


def _poster(settings, waits=None, **kw):
    sleep = waits.append if waits is not None else (lambda s: None)
    return Poster(make_client(settings), sleep=sleep, **kw)


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
    # the fake answers the n-th successful post with ts 1700000000+n
    assert reply.body["thread_ts"] == "1700000001.000100"


def test_no_channel_no_alert(fake_slack, tmp_path):
    result = _ingest(fake_slack, tmp_path, ROTHERHAM, channel=None)
    assert result.exit_code == 0
    assert "no channel is set" in result.output
    assert fake_slack.posts() == []


def test_undeliverable_alert_stays_pending_and_goes_next_run(fake_slack, tmp_path):
    failed = _ingest(fake_slack, tmp_path, ROTHERHAM, token="xoxb-channel-not-found")
    assert failed.exit_code == 1
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
    settings = settings.__class__(**{**settings.__dict__, "bot_token": "xoxb-429-once"})
    waits: list[float] = []
    result = deliver_pending(store, _poster(settings, waits))
    assert (result.sent, result.pending) == (1, 0)
    assert waits == [1.0]
    assert [r.token for r in fake_slack.posts()] == ["xoxb-429-once"] * 3  # 429, headline, reply


def test_rate_limit_waits_are_bounded(fake_slack, settings, store):
    ingest_paths(store, [ROTHERHAM], alert_channel="C1")
    settings = settings.__class__(**{**settings.__dict__, "bot_token": "xoxb-429-slow"})
    waits: list[float] = []
    result = deliver_pending(store, _poster(settings, waits, attempts=3, max_wait=2.0))
    assert (result.sent, result.pending) == (0, 1) and result.errors == ["rate limited"]
    assert waits == [2.0, 2.0] and len(fake_slack.posts()) == 3
    assert store.pending_alerts()[0].last_error == "rate limited"


@pytest.mark.parametrize("token", ["xoxb-429", "xoxb-500"])
def test_errors_leave_the_alert_pending(fake_slack, settings, store, token):
    ingest_paths(store, [ROTHERHAM], alert_channel="C1")
    settings = settings.__class__(**{**settings.__dict__, "bot_token": token})
    waits: list[float] = []
    result = deliver_pending(store, _poster(settings, waits, attempts=3))
    assert result.pending == 1 and len(waits) == 2
    assert len(store.pending_alerts()) == 1


def test_failed_reply_is_retried_without_a_second_headline(fake_slack, settings, store):
    ingest_paths(store, [ROTHERHAM], alert_channel="C1")
    broken = settings.__class__(**{**settings.__dict__, "bot_token": "xoxb-no-threads"})
    assert deliver_pending(store, _poster(broken, attempts=2)).pending == 1
    assert store.pending_alerts()[0].headline_ts == "1700000001.000100"
    assert deliver_pending(store, _poster(settings)).sent == 1
    good = [r for r in fake_slack.posts() if r.token == "xoxb-test"]
    assert len(good) == 1 and good[0].body["thread_ts"] == "1700000001.000100"
    assert store.pending_alerts() == []


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
    assert result.exit_code == 2 and "Error: SLACK_BOT_TOKEN is not set" in result.output
    assert "1 alert queued" in result.output and fake_slack.posts() == []
    later = _ingest(fake_slack, tmp_path, ROTHERHAM)
    assert later.exit_code == 0 and _headlines(fake_slack)[0].body["text"].startswith(HEADLINE)
