"""How ``lgso bot`` runs: Socket Mode when an app token is set; pending alerts at start."""

from __future__ import annotations

import socket
import threading

import pytest
from click.testing import CliRunner
from slackfake import ROTHERHAM, fake_slack_fixture  # noqa: F401 (a fixture)

from bot.alerts import Poster, make_client
from bot.app import build_app
from bot.server import Background, HttpServer, serve
from bot.settings import Settings
from lgso.cli import cli
from lgso_core.ingest import ingest_paths
from lgso_core.store import Store


def test_socket_mode_when_an_app_token_is_set(fake_slack, tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr(
        "slack_bolt.adapter.socket_mode.SocketModeHandler.start", lambda self: started.append(self.app_token)
    )
    settings = Settings(
        bot_token="xoxb-test",
        app_token="xapp-test",
        api_url=fake_slack.api_url,
        db_path=tmp_path / "audits.sqlite3",
    )
    lines = []
    serve(settings, say=lines.append)
    assert started == ["xapp-test"]
    assert lines == ["lgso bot: connecting to Slack in Socket Mode"]


def test_pending_alerts_go_out_when_the_bot_starts(fake_slack, tmp_path):
    settings = Settings(bot_token="xoxb-test", signing_secret="s", api_url=fake_slack.api_url)
    with Store(tmp_path / "audits.sqlite3") as store:
        ingest_paths(store, [ROTHERHAM], alert_channel="C1")
        lines = []
        background = Background(store, Poster(make_client(settings)), say=lines.append, interval=0.01)
        thread = background.start()
        thread.join(timeout=10)
        assert not thread.is_alive()  # nothing to watch, nothing left to post: it ends
        assert lines == ["1 alert posted; 0 still pending."]
        assert len(fake_slack.posts()) == 2 and store.pending_alerts() == []


def _bot(tmp_path, *args):
    env = {
        "LGSO_DB": str(tmp_path / "audits.sqlite3"),
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_APP_TOKEN": None,
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
    }
    return CliRunner().invoke(cli, ["bot", *args], env=env)


def test_a_port_in_use_is_one_line_and_exit_2(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _bot(tmp_path, "--port", str(port))
    assert result.exit_code == 2, result.output
    assert result.output == (
        f"Error: cannot listen on 127.0.0.1:{port}: the port is in use (another lgso bot?); "
        "choose another with --port\n"
    )


@pytest.mark.parametrize(
    ("host", "why"),
    [
        ("192.0.2.1", "this machine has no such address; check --host"),  # TEST-NET: nobody's
        ("not a host", "Invalid host/port specified; check --host and --port"),
    ],
)
def test_a_bad_host_is_one_line_and_exit_2(tmp_path, host, why):
    result = _bot(tmp_path, "--host", host, "--port", "0")
    assert result.exit_code == 2, result.output
    assert result.output == f"Error: cannot listen on {host}:0: {why}\n"


def test_close_stops_a_running_server_promptly(fake_slack, tmp_path):
    settings = Settings(bot_token="xoxb-test", signing_secret="s", api_url=fake_slack.api_url)
    with Store(tmp_path / "audits.sqlite3") as store:
        server = HttpServer(build_app(settings, store), "s", "127.0.0.1", 0)
        thread = threading.Thread(target=server.run)
        thread.start()
        with socket.create_connection(("127.0.0.1", server.port), timeout=5):
            pass  # it accepts
        server.close()
        thread.join(timeout=5)
        assert not thread.is_alive()
        with pytest.raises(OSError), socket.create_connection(("127.0.0.1", server.port), timeout=5):
            pass
