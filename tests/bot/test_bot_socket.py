"""Socket Mode for real: the bot opens a WebSocket to a loopback Socket Mode server that sends
it a slash command, a button press and ``app_home_opened``, and records the acknowledgements
and the Web API calls the bot makes in return."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slackfake import ROTHERHAM, SEEDS, all_text, stop, store_fixture  # noqa: F401 (a fixture)
from slackfake_ux import (
    block_actions,
    fake_socket_fixture,  # noqa: F401 (a fixture)
    fake_ux_fixture,  # noqa: F401 (a fixture)
    home_opened,
)

from bot.app import build_app
from bot.settings import Settings
from lgso_core.ingest import ingest_paths
from lgso_core.mutes import MuteBook


@pytest.fixture(name="socket_bot")
def socket_bot_fixture(fake_slack, fake_socket, store, tmp_path) -> Iterator[SocketModeHandler]:
    settings = Settings(bot_token="xoxb-test", app_token="xapp-test", api_url=fake_slack.api_url,
                        db_path=tmp_path / "audits.sqlite3")  # fmt: skip
    handler = SocketModeHandler(build_app(settings, store), settings.app_token, ping_interval=30)
    handler.connect()
    fake_socket.wait_connected()
    yield handler
    handler.close()


def _command(text: str, response_url: str) -> dict:
    return {"token": "legacy", "team_id": "T1", "team_domain": "test", "channel_id": "C1",
            "channel_name": "general", "user_id": "U1", "user_name": "tester", "command": "/lgso",
            "text": text, "api_app_id": "A1", "response_url": response_url, "trigger_id": "1.2.3"}  # fmt: skip


def test_the_connection_is_opened_with_the_app_token(socket_bot, fake_slack, fake_socket):
    [opened] = fake_slack.calls("apps.connections.open")
    assert opened.token == "xapp-test" and fake_socket.connections == 1


def test_a_slash_command_over_socket_mode(socket_bot, fake_slack, fake_socket, store):
    ingest_paths(store, [SEEDS])
    envelope = fake_socket.send("slash_commands", _command("rutlnd", f"{fake_slack.url}/respond/1"),
                                accepts_response_payload=True)  # fmt: skip
    assert fake_socket.wait_ack(envelope) == {"envelope_id": envelope}  # acknowledged, empty
    [reply] = fake_slack.wait_for("/respond/1")
    text = all_text(reply.body)
    assert reply.body["response_type"] == "ephemeral"
    assert "Rutland County Council (unitary, 2020)" in text and "dated 22 July 2020" in text
    assert "/your-councils-performance/rutland-county-council/statistics" in text
    assert str(SEEDS) not in reply.raw  # the file's name, never the server's folder


def test_a_button_over_socket_mode(socket_bot, fake_slack, fake_socket, store):
    ingest_paths(store, [ROTHERHAM], alert_channel="C-ALERTS")
    [alert] = store.pending_alerts()
    payload = block_actions("lgso_ack", json.dumps({"a": alert.id}), user="U7")
    envelope = fake_socket.send("interactive", payload)
    assert fake_socket.wait_ack(envelope) == {"envelope_id": envelope}
    [update] = fake_slack.wait_for("/api/chat.update")
    assert (update.body["channel"], update.body["ts"]) == ("C-ALERTS", "1700000001.000100")
    assert "Acknowledged by <@U7>" in all_text(update.body)
    assert "lgso_ack" not in update.raw  # the button gives way to who pressed it
    assert MuteBook(store).acknowledgement(alert.id).user_id == "U7"


def test_the_home_tab_over_socket_mode(socket_bot, fake_slack, fake_socket, store):
    ingest_paths(store, [SEEDS], alert_channel="C-ALERTS")
    envelope = fake_socket.send("events_api", home_opened("U5"))
    assert fake_socket.wait_ack(envelope)["envelope_id"] == envelope
    [published] = fake_slack.wait_for("/api/views.publish")
    assert published.body["user_id"] == "U5"
    view = published.body["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["type"] == "home"
    assert "*2020*: 5 letters held" in all_text(view)


def test_lgso_bot_runs_in_socket_mode(fake_slack, fake_socket, tmp_path):
    """``lgso bot`` as a real process with SLACK_APP_TOKEN: it connects and answers."""
    env = {**os.environ, "LGSO_DB": str(tmp_path / "audits.sqlite3"), "SLACK_BOT_TOKEN": "xoxb-test",
           "SLACK_APP_TOKEN": "xapp-test", "SLACK_API_URL": fake_slack.api_url, "LGSO_ALERT_CHANNEL": ""}  # fmt: skip
    env.pop("SLACK_SIGNING_SECRET", None)
    lgso = [sys.executable, "-c", "from lgso.cli import main; main()"]
    subprocess.run([*lgso, "ingest", str(SEEDS)], env=env, capture_output=True, timeout=120, check=True)
    proc = subprocess.Popen([*lgso, "bot"], env=env, stderr=subprocess.PIPE, text=True)
    try:
        fake_socket.wait_connected(timeout=30)
        envelope = fake_socket.send(
            "slash_commands", _command("kingston upon thames", f"{fake_slack.url}/respond/9")
        )
        assert fake_socket.wait_ack(envelope)["envelope_id"] == envelope
        [reply] = fake_slack.wait_for("/respond/9")
        assert "Royal Borough of Kingston upon Thames (london, 2020)" in all_text(reply.body)
    finally:
        stop(proc)
        proc.stderr.close()
