"""Alert bookkeeping: queued whatever Slack's configuration, listed and sent by ``lgso alerts``;
``lgso ingest`` exits by the audit's findings."""

from __future__ import annotations

from click.testing import CliRunner
from slackfake import ROTHERHAM, SEEDS, fake_slack_fixture  # noqa: F401 (a fixture)

from lgso.cli import cli


def _run(fake, tmp_path, *args, token: str | None = "xoxb-test", channel: str | None = None):
    env = {"LGSO_DB": str(tmp_path / "audits.sqlite3"), "SLACK_BOT_TOKEN": token, "SLACK_API_URL": fake.api_url,
           "LGSO_ALERT_CHANNEL": channel, "SLACK_SIGNING_SECRET": None}  # fmt: skip
    return CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)


def _broken_rotherham(tmp_path):
    """Rotherham's letter with its upheld rate misprinted: 58% cannot be 4 of 7 (57.1%)."""
    path = tmp_path / "rotherham-misprint.txt"
    path.write_text(ROTHERHAM.read_text("utf-8").replace("57% of complaints", "58% of complaints"), "utf-8")
    return path


def test_ingest_without_slack_stores_queues_and_exits_by_the_findings(fake_slack, tmp_path):
    clean = _run(fake_slack, tmp_path, "ingest", SEEDS, token=None)
    assert clean.exit_code == 0  # warnings only
    assert "5 letters: 5 new, 0 revised, 0 unchanged; 1 alert queued." in clean.output
    assert "1 alert waits for a channel: lgso alerts send --channel C" in clean.output
    broken = _run(fake_slack, tmp_path, "ingest", _broken_rotherham(tmp_path), token=None, channel="C-ALERTS")
    assert broken.exit_code == 1  # a rate-mismatch error in the letter, not a Slack problem
    assert "not posted: SLACK_BOT_TOKEN is not set" in broken.output
    assert "2 alerts wait to be posted" in broken.output  # the earlier one has its channel now
    never = _run(
        fake_slack, tmp_path, "ingest", _broken_rotherham(tmp_path), "--fail-on", "never", token=None
    )
    assert never.exit_code == 0
    assert fake_slack.posts() == []


def test_alerts_list_and_send(fake_slack, tmp_path):
    _run(fake_slack, tmp_path, "ingest", ROTHERHAM, token=None)
    listed = _run(fake_slack, tmp_path, "alerts", "list")
    assert listed.exit_code == 0
    assert listed.output == (
        "1 alert waits (1 for a channel); 0 sent, 0 muted.\n"
        "  #1 (no channel) Rotherham Metropolitan Borough Council: concern, enquiry responses (2020)\n"
    )
    nowhere = _run(fake_slack, tmp_path, "alerts", "send")
    assert nowhere.exit_code == 1 and "1 alert waits for a channel" in nowhere.output
    no_token = _run(fake_slack, tmp_path, "alerts", "send", "--channel", "C9", token=None)
    assert no_token.exit_code == 2 and "Error: SLACK_BOT_TOKEN is not set" in no_token.output
    assert fake_slack.posts() == []
    sent = _run(fake_slack, tmp_path, "alerts", "send")  # the channel was given (and kept) above
    assert sent.exit_code == 0 and sent.output == "1 alert posted; 0 still pending.\n"
    assert {p.body["channel"] for p in fake_slack.posts()} == {"C9"}
    assert _run(fake_slack, tmp_path, "alerts", "list").output == "0 alerts wait; 1 sent, 0 muted.\n"
    assert _run(fake_slack, tmp_path, "alerts", "send").output == "nothing waits.\n"


def test_a_failing_channel_is_listed_with_its_error(fake_slack, tmp_path):
    _run(fake_slack, tmp_path, "ingest", ROTHERHAM, token="xoxb-channel-not-found", channel="C-GONE")
    listed = _run(fake_slack, tmp_path, "alerts", "list").output
    assert "#1 C-GONE Rotherham" in listed and "[1 try: channel_not_found]" in listed
    assert _run(fake_slack, tmp_path, "alerts", "send", token="xoxb-channel-not-found").exit_code == 1
