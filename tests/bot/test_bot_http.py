"""The bot over real HTTP: signed slash commands in, answers out to a fake response URL."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from slackfake import (
    ROTHERHAM,
    SECRET,
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
    stop,
    store_fixture,  # noqa: F401 (a fixture)
)

from bot.blocks import MAX_BLOCKS, MAX_TEXT
from bot.gate import ReplayCache
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
    assert "not shown" in json.dumps(blocks[-2])
    assert blocks[-1]["elements"][0]["action_id"] == "lgso_post"  # the button survives the cut


# --------------------------------------------------------------------------- hostile requests


def _raw(bot_url: str, head: str, body: bytes = b"", *, timeout: float = 10.0) -> bytes:
    """Send ``head`` (request line and headers, without the blank line) and ``body`` over a
    plain socket; the status line the bot answers with."""
    parts = urllib.parse.urlsplit(bot_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        # the bot may answer and close before taking the whole body: then read its answer
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(head.replace("PATH", parts.path).encode("latin-1") + b"\r\n\r\n" + body)
        answer = b""
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n")[0]


OVERSIZED = "POST PATH HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 200000000"


def _no_tracebacks(caplog) -> None:
    bad = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert bad == [], [r.getMessage() for r in bad]


def test_a_body_over_1_mb_is_refused_before_it_is_read(bot_url, fake_slack, caplog):
    # 200 MB announced, 1 KB sent: the answer comes at once, so nothing waited for the rest
    assert _raw(bot_url, OVERSIZED, b"a" * 1024) == b"HTTP/1.1 413 Request Entity Too Large"
    # just over the limit is refused too, however it is signed; exactly 1 MB is read and judged
    over = "POST PATH HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577"
    assert _raw(bot_url, over, b"x" * 1048577) == b"HTTP/1.1 413 Request Entity Too Large"
    status, _ = post_signed(bot_url, "x" * (1024 * 1024), secret="wrong")
    assert status == 401
    _no_tracebacks(caplog)


def test_a_chunked_body_over_1_mb_is_refused(bot_url):
    head = "POST PATH HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
    chunk = b"%x\r\n" % (256 * 1024) + b"a" * (256 * 1024) + b"\r\n"
    assert _raw(bot_url, head, chunk * 5 + b"0\r\n\r\n") == b"HTTP/1.1 413 Request Entity Too Large"


@pytest.mark.parametrize(
    ("timestamp", "signature"),
    [
        ("not-a-number", None),
        ("", None),
        ("1e9", None),
        ("-5", None),
        ("99999999999999999999999", None),
        (None, "v0=not-hex"),
        (None, "v1=" + "0" * 64),
        (None, ""),
        (None, "v0=" + "é" * 64),
    ],
)
def test_malformed_signature_headers_are_401_not_500(bot_url, fake_slack, caplog, timestamp, signature):
    body = command_body("rotherham", f"{fake_slack.url}/respond/1")
    ts = str(int(time.time())) if timestamp is None else timestamp
    sig = sign(body, int(ts)) if signature is None and ts.isdigit() else (signature or "")
    head = (
        "POST PATH HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"X-Slack-Request-Timestamp: {ts}\r\nX-Slack-Signature: {sig}\r\nContent-Length: {len(body)}"
    )
    assert _raw(bot_url, head, body.encode()) == b"HTTP/1.1 401 Unauthorized"
    _no_tracebacks(caplog)
    assert fake_slack.responses() == []


def test_missing_signature_headers_are_401(bot_url, fake_slack):
    request = urllib.request.Request(bot_url, data=b"command=/lgso&text=rutland", method="POST")
    try:
        urllib.request.urlopen(request, timeout=10)
        status = 200
    except urllib.error.HTTPError as exc:
        status = exc.code
    assert status == 401


def test_a_replayed_request_is_refused(bot_url, fake_slack, store):
    ingest_paths(store, [SEEDS])
    body = command_body("rutland", f"{fake_slack.url}/respond/1")
    now = int(time.time())
    signature = sign(body, now)
    assert post_signed(bot_url, body, timestamp=now, signature=signature)[0] == 200
    assert post_signed(bot_url, body, timestamp=now, signature=signature)[0] == 401  # the same request again
    fake_slack.wait_for("/respond/1")
    # the same command, signed afresh (a new timestamp, as Slack would send it), is answered
    later = now + 1
    assert post_signed(bot_url, body, timestamp=later, signature=sign(body, later))[0] == 200
    assert len(fake_slack.wait_for("/respond/1", 2)) == 2


def test_the_replay_cache_forgets_after_the_window():
    cache = ReplayCache(window=300, limit=3)
    assert cache.first_time("a", 1000.0) and not cache.first_time("a", 1299.0)
    assert cache.first_time("a", 1301.0)  # a is out of the window (and so is its timestamp)
    for sig in "bcd":
        assert cache.first_time(sig, 1302.0)
    assert len(cache) == 3  # the oldest made room


def test_control_and_bidi_characters_never_reach_slack(bot_url, fake_slack, store, tmp_path):
    hidden = "Pay the \u202eexe.gpj\u202c invoice\u2066 now\u2069\x07\x1b[31m\u0085 please, the Council said."
    letter = letter_with_paragraph(ROTHERHAM, hidden, tmp_path, "rotherham.html")
    report, _ = ingest_paths(store, [letter])
    assert any("\u202e" in d.text for d in report.letters[0].deviations)  # the letter really has them
    reply = slash(bot_url, fake_slack, "rotherham")
    text = all_text(reply.body)
    assert "Pay the exe.gpj invoice now[31m please, the Council said." in text
    assert not re.search(
        "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", json.loads(reply.raw).__repr__()
    )


def test_a_damaged_topics_column_is_a_one_line_answer(bot_url, fake_slack, store):
    ingest_paths(store, [SEEDS])
    conn = sqlite3.connect(store.path)
    conn.execute("UPDATE letters SET topics = 'not json' WHERE authority_key LIKE '%rutland%'")
    conn.commit()
    conn.close()
    reply = slash(bot_url, fake_slack, "rutland")
    assert "topics column that is not a JSON list of strings" in all_text(reply.body)


# --------------------------------------------------------------------------- load


def _start_bot(fake, db) -> tuple[subprocess.Popen, str]:
    """A real ``lgso bot`` process on a free loopback port; its /slack/events URL."""
    env = {**os.environ, "LGSO_DB": str(db), "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SECRET,
           "SLACK_API_URL": fake.api_url, "LGSO_ALERT_CHANNEL": ""}  # fmt: skip
    env.pop("SLACK_APP_TOKEN", None)
    bot = subprocess.Popen([sys.executable, "-m", "lgso", "bot", "--port", "0"], env=env,
                           stderr=subprocess.PIPE, text=True)  # fmt: skip
    line = bot.stderr.readline()
    assert "listening on http://127.0.0.1:" in line, line
    return bot, line.split("listening on ")[1].strip()


def _timed(url: str, body: str, **kw) -> tuple[int, float]:
    start = time.monotonic()
    status, _ = post_signed(url, body, **kw)
    return status, time.monotonic() - start


@pytest.mark.slow
def test_200_commands_at_20_at_once_while_400_letters_are_ingested(fake_slack, tmp_path):
    db = tmp_path / "audits.sqlite3"
    corpus = tmp_path / "corpus"
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, str(root / "bench" / "corpus.py"), str(corpus), "-n", "400"],
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    env = {
        **os.environ,
        "LGSO_DB": str(db),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_API_URL": fake_slack.api_url,
        "LGSO_POST_INTERVAL": "0",  # a local fake: no need to keep to Slack's one post a second
    }
    subprocess.run([sys.executable, "-m", "lgso", "ingest", str(SEEDS)], env=env, check=True,
                   capture_output=True, timeout=120)  # fmt: skip
    bot, url = _start_bot(fake_slack, db)
    ingest = subprocess.Popen([sys.executable, "-m", "lgso", "ingest", str(corpus / "text"), "--alert-channel",
                               "C-ALERTS", "--fail-on", "never"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    try:
        time.sleep(1.0)  # under way: the 400 letters take several seconds
        assert ingest.poll() is None
        questions = ["rutland", "rotherham metropolitn", "kingston", "outliers", "deviations 2020", "help"]
        bodies = [command_body(questions[i % 6], f"{fake_slack.url}/respond/{i}") for i in range(200)]
        replay_body = command_body("rutland", f"{fake_slack.url}/respond/replayed")
        replay_ts = int(time.time())
        replay_sig = sign(replay_body, replay_ts)
        assert post_signed(url, replay_body, timestamp=replay_ts, signature=replay_sig)[0] == 200
        hostile = (
            [lambda: (int(_raw(url, OVERSIZED, b"x" * 4096).split()[1]), 0.0)] * 5  # oversized
            + [lambda: _timed(url, bodies[0], signature="v0=" + "z" * 64)] * 5  # malformed
            + [lambda: _timed(url, replay_body, timestamp=replay_ts, signature=replay_sig)] * 5  # replayed
        )
        with ThreadPoolExecutor(20) as pool:
            acks = list(pool.map(lambda b: _timed(url, b), bodies))
            half_way = ingest.poll()
            refused = [f.result() for f in [pool.submit(h) for h in hostile]]
        assert half_way is None  # the ingest was still running while the commands came in
        assert [s for s, _ in acks] == [200] * 200  # no reset, no error: every command acknowledged
        slowest = max(t for _, t in acks)
        assert slowest < 3.0, f"slowest ack {slowest:.2f} s"  # Slack gives up after 3 s
        assert sorted(s for s, _ in refused) == [401] * 10 + [413] * 5
        answers = fake_slack.wait_for("/respond/", 201, timeout=60)
        for n in (0, 6, 12):  # rutland, every sixth
            reply = next(r for r in answers if r.path == f"/respond/{n}")
            # the seed's "Rutland County Council" until the ingest stores the corpus's 2020
            # letter to "Rutland Council", which then becomes the current one
            assert re.search(r"\*Rutland (County )?Council \(unitary, 2020\)\*", all_text(reply.body))
        assert ingest.wait(timeout=120) == 0, ingest.communicate()
    finally:
        stop(ingest)
        stop(bot)
        bot.stderr.close()
