"""More of Slack for the bot tests: the Web API methods buttons and the Home tab call, signed
``block_actions`` and events, and a real Socket Mode server on loopback.

``FakeSlackUX`` extends ``slackfake.FakeSlack`` with ``chat.update``, ``views.publish`` and
``apps.connections.open`` (which answers with the address of a ``FakeSocketMode``).
``FakeSocketMode`` is a WebSocket server (the ``websockets`` package) on 127.0.0.1, port 0:
it greets the bot with ``hello`` as Slack does, sends the envelopes a test gives it and
records what the bot sends back (the acknowledgements).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator

import pytest
from slackfake import WAIT, FakeSlack, Recorded, post_signed
from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

CHANNEL = "C-ALERTS"


class FakeSlackUX(FakeSlack):
    """The fake Web API, answering the methods the bot's buttons and Home tab use."""

    socket_url: str | None = None

    def answer(self, rec: Recorded) -> tuple[int, dict, object]:
        if rec.path == "/api/chat.update":
            return 200, {}, {"ok": True, "channel": rec.body.get("channel"), "ts": rec.body.get("ts")}
        if rec.path == "/api/views.publish":
            return 200, {}, {"ok": True, "view": {"id": "V1", **_parsed(rec.body.get("view"))}}
        if rec.path == "/api/apps.connections.open":
            if not self.socket_url:
                return 200, {}, {"ok": False, "error": "no_socket_server"}
            return 200, {}, {"ok": True, "url": self.socket_url}
        return super().answer(rec)

    def calls(self, method: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == f"/api/{method}"]


def _parsed(value) -> dict:
    if isinstance(value, str):
        return json.loads(value)
    return value or {}


class FakeSocketMode:
    """A Socket Mode server: one connection at a time, envelopes out, acknowledgements in."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.connections = 0
        self._conn: ServerConnection | None = None
        self._changed = threading.Condition()
        self.server = serve(self._handle, "127.0.0.1", 0)
        self.url = f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/link/?ticket=test"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def _handle(self, conn: ServerConnection) -> None:
        with self._changed:
            self._conn = conn
            self.connections += 1
            self._changed.notify_all()
        conn.send(json.dumps({"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"},
                              "connection_info": {"app_id": "A1"}}))  # fmt: skip
        try:
            for message in conn:
                with self._changed:
                    self.received.append(json.loads(message))
                    self._changed.notify_all()
        except ConnectionClosed:
            pass

    def wait_connected(self, timeout: float = WAIT) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: self._conn is not None, timeout):
                raise AssertionError(f"the bot did not connect within {timeout}s")

    def send(self, kind: str, payload: dict, *, accepts_response_payload: bool = False) -> str:
        """Send an envelope of ``kind`` (slash_commands, interactive, events_api); its id."""
        self.wait_connected()
        envelope_id = str(uuid.uuid4())
        assert self._conn is not None
        self._conn.send(json.dumps({"envelope_id": envelope_id, "type": kind, "payload": payload,
                                    "accepts_response_payload": accepts_response_payload,
                                    "retry_attempt": 0, "retry_reason": ""}))  # fmt: skip
        return envelope_id

    def wait_ack(self, envelope_id: str, timeout: float = WAIT) -> dict:
        """The bot's acknowledgement of one envelope."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for m in self.received:
                    if m.get("envelope_id") == envelope_id:
                        return m
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no acknowledgement of envelope {envelope_id} within {timeout}s")
                self._changed.wait(left)

    def close(self) -> None:
        self.server.shutdown()
        self._thread.join(timeout=5)


# --------------------------------------------------------------------------- payloads


def block_actions(action_id: str, value: str, *, user: str = "U1", channel: str = CHANNEL,
                  ts: str = "1700000001.000100", response_url: str = "", selected: bool = False) -> dict:  # fmt: skip
    """A ``block_actions`` payload for a button (or, ``selected``, a menu option) with ``value``."""
    action = {"action_id": action_id, "block_id": "b1", "type": "button", "value": value,
              "action_ts": "1700000100.000000"}  # fmt: skip
    if selected:
        action = {"action_id": action_id, "block_id": "b1", "type": "static_select",
                  "selected_option": {"text": {"type": "plain_text", "text": "x"}, "value": value},
                  "action_ts": "1700000100.000000"}  # fmt: skip
    return {
        "type": "block_actions",
        "team": {"id": "T1", "domain": "test"},
        "user": {"id": user, "username": "tester", "name": "tester", "team_id": "T1"},
        "api_app_id": "A1",
        "token": "legacy",
        "container": {"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": False},
        "trigger_id": "1.2.3",
        "channel": {"id": channel, "name": "alerts"},
        "message": {"type": "message", "ts": ts, "text": "alert", "blocks": []},
        "response_url": response_url,
        "actions": [action],
    }


def home_opened(user: str = "U1") -> dict:
    """An ``event_callback`` with an ``app_home_opened`` event."""
    return {
        "token": "legacy",
        "team_id": "T1",
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "event": {
            "type": "app_home_opened",
            "user": user,
            "channel": "D1",
            "tab": "home",
            "event_ts": f"{time.time():.6f}",
        },
        "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
    }


def post_action(bot_url: str, payload: dict, **kw) -> tuple[int, str]:
    """POST a signed interactive payload to the bot, as Slack does (form field ``payload``)."""
    return post_signed(bot_url, urllib.parse.urlencode({"payload": json.dumps(payload)}), **kw)


def post_event(bot_url: str, event: dict, **kw) -> tuple[int, str]:
    """POST a signed Events API request (JSON) to the bot."""
    import urllib.request

    from slackfake import SECRET, sign

    body = json.dumps(event)
    ts = int(time.time())
    request = urllib.request.Request(bot_url, data=body.encode(), method="POST", headers={
        "Content-Type": "application/json", "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": sign(body, ts, kw.get("secret", SECRET))})  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(name="fake_slack")
def fake_ux_fixture() -> Iterator[FakeSlackUX]:
    fake = FakeSlackUX()
    yield fake
    fake.close()


@pytest.fixture(name="fake_socket")
def fake_socket_fixture(fake_slack) -> Iterator[FakeSocketMode]:
    server = FakeSocketMode()
    fake_slack.socket_url = server.url
    yield server
    server.close()
