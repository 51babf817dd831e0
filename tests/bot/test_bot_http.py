"""The bot over real HTTP: signed slash commands in, answers out to a fake response URL."""

from __future__ import annotations

import json
import time

from slackfake import (
    ROTHERHAM,
    SEEDS,
    all_text,
    bot_url_fixture,  # noqa: F401 (a fixture)
    command_body,
    fake_slack_fixture,  # noqa: F401 (a fixture)
    letter_with_paragraph,
    post_signed,
    settings_fixture,  # noqa: F401 (a fixture)
    sign,
    slash,
    store_fixture,  # noqa: F401 (a fixture)
)

from bot.blocks import MAX_BLOCKS, MAX_TEXT
from lgso_core.ingest import ingest_paths


def test_rotherham_answers_with_its_audit(bot_url, fake_slack, store):
    ingest_paths(store, [SEEDS])
    reply = slash(bot_url, fake_slack, "rotherham")
    text = all_text(reply.body)
    assert reply.body["response_type"] == "ephemeral"
    assert "Rotherham Metropolitan Borough Council (metropolitan, 2020)" in text
    assert "57% (similar authorities 67%, 10 points below average)" in text
    assert "4 of 7 investigations upheld" in text
    assert "three quarters of the Council's responses to our enquiries have been late" in text


def test_fuzzy_names_land(bot_url, fake_slack, store):
    ingest_paths(store, [SEEDS])
    for n, (typed, expected) in enumerate(
        [
            ("rutlnd", "Rutland County Council"),
            ("rotherham metropolitn", "Rotherham Metropolitan"),
            ("kingston", "Royal Borough of Kingston upon Thames"),
        ]
    ):
        assert expected in all_text(slash(bot_url, fake_slack, typed, n).body)


def test_help_outliers_and_deviations(bot_url, fake_slack, store):
    ingest_paths(store, [SEEDS])
    assert "outliers [YEAR]" in all_text(slash(bot_url, fake_slack, "help", 1).body)
    assert "Outliers and errors, 2020" in all_text(slash(bot_url, fake_slack, "outliers", 2).body)
    deviations = all_text(slash(bot_url, fake_slack, "deviations 2020", 3).body)
    assert "Unique paragraphs, 2020" in deviations and "Rotherham Metropolitan Borough Council" in deviations


def test_forged_signature_is_refused(bot_url, fake_slack):
    body = command_body("rotherham", f"{fake_slack.url}/respond/1")
    status, _ = post_signed(bot_url, body, secret="not-the-secret")
    assert status == 401
    status, _ = post_signed(bot_url, body, signature="v0=" + "0" * 64)
    assert status == 401
    time.sleep(0.2)
    assert fake_slack.responses() == []


def test_stale_signature_is_refused(bot_url, fake_slack):
    body = command_body("rotherham", f"{fake_slack.url}/respond/1")
    old = int(time.time()) - 5 * 60 - 30
    status, _ = post_signed(bot_url, body, timestamp=old, signature=sign(body, old))
    assert status == 401
    time.sleep(0.2)
    assert fake_slack.responses() == []


def test_what_a_user_types_comes_back_escaped(bot_url, fake_slack, store):
    ingest_paths(store, [SEEDS])
    reply = slash(bot_url, fake_slack, "<!channel> & <@U999>")
    assert "<!channel>" not in reply.raw and "<@U999>" not in reply.raw
    assert "&lt;!channel&gt; &amp; &lt;@U999&gt;" in all_text(reply.body)


def test_what_a_letter_says_comes_back_escaped(bot_url, fake_slack, store, tmp_path):
    hostile = "Attention &lt;!channel&gt; &amp; &lt;@U123&gt;: the Council ignored our enquiries all year."
    letter = letter_with_paragraph(ROTHERHAM, hostile, tmp_path, "rotherham.html")
    report, _ = ingest_paths(store, [letter])
    assert "<!channel>" in report.letters[0].deviations[0].text  # the letter really says it
    reply = slash(bot_url, fake_slack, "rotherham")
    assert "<!channel>" not in reply.raw and "<@U123>" not in reply.raw
    assert "Attention &lt;!channel&gt; &amp; &lt;@U123&gt;" in all_text(reply.body)


def test_longest_answer_keeps_within_block_kit_limits(bot_url, fake_slack, store, tmp_path):
    paragraphs = [f"Paragraph {i}: " + " ".join(f"zq{i}w{j}" for j in range(500)) for i in range(200)]
    letter = letter_with_paragraph(ROTHERHAM, "\n\n".join(paragraphs), tmp_path, "long.html")
    report, _ = ingest_paths(store, [letter])
    assert sum(d.kind == "unique" for d in report.letters[0].deviations) == 200
    reply = slash(bot_url, fake_slack, "rotherham")
    blocks = reply.body["blocks"]
    assert len(blocks) <= MAX_BLOCKS
    for block in blocks:
        texts = [block["text"]["text"]] if "text" in block else [e["text"] for e in block.get("elements", [])]
        assert all(0 < len(t) <= MAX_TEXT for t in texts)
    assert "not shown" in json.dumps(blocks[-1])
