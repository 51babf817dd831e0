"""Replies in alert threads: a re-audit that changes a letter's verdict says so, exactly once."""

from __future__ import annotations

from pathlib import Path

from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slackfake import (
    fake_slack_fixture,  # noqa: F401 (a fixture)
    settings_fixture,  # noqa: F401 (a fixture)
    store_fixture,  # noqa: F401 (a fixture)
)

from bot.alerts import Poster, deliver_pending
from bot.slackapi import make_web_client
from lgso_core import derive_template, load_letter
from lgso_core.ingest import ingest_paths
from lgso_core.storesync import sync
from lgso_core.templatestore import TemplateStore

LETTERS = Path(__file__).resolve().parents[1] / "data" / "letters" / "2024"


def _poster(settings) -> Poster:
    client = make_web_client(settings.bot_token, settings.api_url, timeout=5.0, retries=3,
                             pause=FixedValueRetryIntervalCalculator(0.01))  # fmt: skip
    return Poster(client)


def test_a_reply_lost_in_a_server_error_is_found_not_posted_twice(fake_slack, settings, store, tmp_path):
    kept = TemplateStore(tmp_path / "templates")
    letters = sorted(p for p in LETTERS.iterdir() if p.suffix in (".txt", ".md"))
    ingest_paths(store, letters, alert_channel="C1", kept=kept)
    assert deliver_pending(store, _poster(settings)).sent == 3

    lincolnshire = LETTERS / "lincolnshire-county.txt"
    mine = [load_letter(p) for p in (lincolnshire, lincolnshire, letters[0])]
    kept.save(derive_template(mine, year=2024))  # Lincolnshire's thanks become template
    sync(store, kept=kept, alert_channel="C1")
    [reply] = store.pending_replies()
    assert reply.sha256 == load_letter(lincolnshire).sha256

    fake_slack.faults = ["500-after-post"]  # Slack takes the reply, then answers 500
    delivery = deliver_pending(store, _poster(settings))
    assert delivery.sent == 1 and delivery.pending == 0 and store.pending_replies() == []
    threaded = [m for m in fake_slack.messages("C1") if m.get("thread_ts") == reply.thread_ts]
    verdicts = [m for m in threaded if m["metadata"]["event_payload"].get("part") == "verdict"]
    assert len(verdicts) == 1 and verdicts[0]["text"] == reply.text
    assert "Re-audited against the saved:2024 template: now nothing to report" in reply.text

    assert deliver_pending(store, _poster(settings)).sent == 0  # nothing left, nothing again
    assert len([m for m in fake_slack.messages("C1") if m.get("thread_ts") == reply.thread_ts]) == 2
