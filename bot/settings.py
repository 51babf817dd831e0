"""The bot's settings, read from the environment and validated once.

=====================  ==========================================================
``SLACK_BOT_TOKEN``    the bot token (``xoxb-...``); always required
``SLACK_SIGNING_SECRET`` verifies Slack's HTTP requests; required unless Socket Mode
``SLACK_APP_TOKEN``    an app-level token (``xapp-...``): when set, Socket Mode
``SLACK_API_URL``      the Web API base URL (default Slack's own); tests use a fake
``LGSO_ALERT_CHANNEL`` the channel alerts go to (``--alert-channel`` wins)
``LGSO_DB``            the audit store (default in the user's data directory)
``LGSO_SLACK_TIMEOUT`` seconds to wait for one Web API call (default 15)
``LGSO_ALERT_LEASE``   seconds a deliverer holds an alert it is posting (default 600)
``LGSO_POST_INTERVAL`` seconds between two posts to one channel (default 1.1: Slack's
                       one a second, with room for jitter; 0 only against a local fake)
=====================  ==========================================================
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from lgso_core.errors import ConfigError
from lgso_core.store import DB_ENV, default_db_path

DEFAULT_API_URL = "https://slack.com/api/"


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its environment."""

    bot_token: str
    signing_secret: str | None = None
    app_token: str | None = None
    api_url: str = DEFAULT_API_URL
    alert_channel: str | None = None
    db_path: Path | None = None
    api_timeout: float = 15.0
    alert_lease: float = 600.0
    post_interval: float = 1.1

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, serving: bool = True) -> Settings:
        """Read and check the environment. ``serving=False`` (alerts only) needs just the bot token.

        Raises ``ConfigError`` naming the first variable that is missing or malformed.
        """
        env = os.environ if env is None else env

        def get(name: str) -> str | None:
            value = (env.get(name) or "").strip()
            return value or None

        bot_token = _token(get("SLACK_BOT_TOKEN"), "SLACK_BOT_TOKEN", "xoxb-", "the bot token")
        app_token = get("SLACK_APP_TOKEN")
        if app_token is not None:
            _token(app_token, "SLACK_APP_TOKEN", "xapp-", "an app-level token")
        secret = get("SLACK_SIGNING_SECRET")
        if serving and app_token is None and secret is None:
            raise ConfigError("SLACK_SIGNING_SECRET is not set: HTTP mode needs the app's signing "
                              "secret (Basic Information > App Credentials); or set SLACK_APP_TOKEN "
                              "for Socket Mode")  # fmt: skip
        db = get(DB_ENV)
        return cls(
            bot_token=bot_token,
            signing_secret=secret,
            app_token=app_token,
            api_url=_api_url(get("SLACK_API_URL")),
            alert_channel=get("LGSO_ALERT_CHANNEL"),
            db_path=Path(db).expanduser() if db else default_db_path(),
            api_timeout=_seconds(get("LGSO_SLACK_TIMEOUT"), "LGSO_SLACK_TIMEOUT", 15.0),
            alert_lease=_seconds(get("LGSO_ALERT_LEASE"), "LGSO_ALERT_LEASE", 600.0),
            post_interval=_interval(get("LGSO_POST_INTERVAL")),
        )


def _token(value: str | None, name: str, prefix: str, what: str) -> str:
    if value is None:
        raise ConfigError(f"{name} is not set: expected {what} ({prefix}...) from the Slack app's settings")
    if not value.startswith(prefix):
        raise ConfigError(f"{name} should be {what} starting with {prefix!r}; got one starting with "
                          f"{value[:5]!r}")  # fmt: skip
    return value


def _api_url(value: str | None) -> str:
    if value is None:
        return DEFAULT_API_URL
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"SLACK_API_URL should be an http(s) URL such as {DEFAULT_API_URL}; got {value!r}")
    return value if value.endswith("/") else value + "/"


def _seconds(value: str | None, name: str, default: float) -> float:
    if value is None:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 86400:
        raise ConfigError(f"{name} should be a number of seconds between 0 and 86400; got {value!r}")
    return seconds


def _interval(value: str | None) -> float:
    if value is None:
        return 1.1
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 60:
        raise ConfigError(f"LGSO_POST_INTERVAL should be a number of seconds between 0 and 60; got {value!r}")
    return seconds
