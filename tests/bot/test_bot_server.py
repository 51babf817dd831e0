"""How ``lgso bot`` runs: Socket Mode when an app token is set; pending alerts at start."""

from __future__ import annotations

from slackfake import ROTHERHAM, fake_slack_fixture  # noqa: F401 (a fixture)

from bot.alerts import Poster, make_client
from bot.server import Background, serve
from bot.settings import Settings
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
