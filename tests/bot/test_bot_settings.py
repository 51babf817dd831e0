"""Settings from the environment, checked once, with errors that name the variable."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bot.settings import DEFAULT_API_URL, Settings
from lgso.cli import cli
from lgso_core.errors import ConfigError

BASE = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "LGSO_DB": "/tmp/x.sqlite3"}


def test_http_settings():
    s = Settings.from_env({**BASE, "LGSO_ALERT_CHANNEL": " C1 "})
    assert (s.bot_token, s.signing_secret, s.api_url, s.alert_channel) == (
        "xoxb-1",
        "s",
        DEFAULT_API_URL,
        "C1",
    )
    assert not s.socket_mode and str(s.db_path) == "/tmp/x.sqlite3"


def test_socket_mode_needs_no_signing_secret():
    s = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
    assert s.socket_mode and s.signing_secret is None


def test_api_url_gets_its_trailing_slash():
    assert (
        Settings.from_env({**BASE, "SLACK_API_URL": "http://127.0.0.1:9/api"}).api_url
        == "http://127.0.0.1:9/api/"
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN is not set"),
        ({"SLACK_BOT_TOKEN": "  ", "SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN is not set"),
        ({"SLACK_BOT_TOKEN": "xoxp-user"}, "SLACK_BOT_TOKEN should be the bot token starting with 'xoxb-'"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET is not set"),
        ({**BASE, "SLACK_APP_TOKEN": "xoxb-2"}, "SLACK_APP_TOKEN should be an app-level token"),
        ({**BASE, "SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL should be an http(s) URL"),
    ],
)
def test_bad_environment_names_the_variable(env, message):
    with pytest.raises(ConfigError) as info:
        Settings.from_env(env)
    assert str(info.value).startswith(message) and "\n" not in str(info.value)


def test_alerts_alone_need_only_the_bot_token():
    assert Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1"}, serving=False).bot_token == "xoxb-1"


def test_lgso_bot_without_a_token_is_a_one_line_error(tmp_path):
    env = {
        "SLACK_BOT_TOKEN": None,
        "SLACK_SIGNING_SECRET": None,
        "SLACK_APP_TOKEN": None,
        "LGSO_DB": str(tmp_path / "db.sqlite3"),
    }
    result = CliRunner().invoke(cli, ["bot"], env=env)
    assert result.exit_code == 2
    assert result.output.startswith("Error: SLACK_BOT_TOKEN is not set")
    assert result.output.count("\n") == 1


def test_timeout_and_lease_default_and_can_be_set():
    s = Settings.from_env(BASE)
    assert (s.api_timeout, s.alert_lease) == (15.0, 600.0)
    s = Settings.from_env({**BASE, "LGSO_SLACK_TIMEOUT": "2.5", "LGSO_ALERT_LEASE": " 30 "})
    assert (s.api_timeout, s.alert_lease) == (2.5, 30.0)


@pytest.mark.parametrize("value", ["0", "-1", "soon", "nan", "inf", "86401"])
@pytest.mark.parametrize("name", ["LGSO_SLACK_TIMEOUT", "LGSO_ALERT_LEASE"])
def test_bad_seconds_name_the_variable(name, value):
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({**BASE, name: value})
    assert str(caught.value) == f"{name} should be a number of seconds between 0 and 86400; got {value!r}"
