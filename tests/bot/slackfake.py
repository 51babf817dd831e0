"""Helpers for the bot tests: a fake Slack Web API on loopback, and signed requests.

The fake records every request (path, headers, parsed body) and answers by the bot token:

- ``xoxb-429``: always HTTP 429 with ``Retry-After: 1``
- ``xoxb-429-once``: 429 on each token's first ``chat.postMessage``, then success
- ``xoxb-429-slow``: always 429 with ``Retry-After: 120`` (tests the wait cap)
- ``xoxb-500``: always HTTP 500
- ``xoxb-channel-not-found``: ``{"ok": false, "error": "channel_not_found"}``
- ``xoxb-no-threads``: headlines succeed, thread replies fail with ``internal_error``
- ``xoxb-no-history``: posts succeed, ``conversations.history``/``replies`` fail
  with ``missing_scope``
- anything else: success, with an increasing ``ts`` (from the clock, as Slack's)

Successful posts land in ``channels``: like Slack, ``conversations.history`` lists a
channel's top-level messages newest first (``oldest``, ``limit``, ``cursor``; metadata only
with ``include_all_metadata``) and ``conversations.replies`` a thread. Faults can also be
queued per ``chat.postMessage`` in ``faults`` (consumed in order, whatever the token):

- ``"500"`` / ``"503"``: that status, message not posted
- ``"500-after-post"``: the message is posted, then HTTP 500
- ``"429"``: rate limited (``Retry-After: 1``), not posted
- ``"hang-after-post"``: the message is posted, then the answer waits ``hang`` seconds
  (longer than the client's timeout: "timing out after accepting")
- ``"block"``: the message is posted and the answer waits until ``release`` is set
  (a test kills the poster meanwhile); ``blocked`` is set when it arrives

or drawn at random per post with ``chaos(seed, rate)``.

Paths under ``/respond/`` stand in for slash commands' ``response_url``.

The fixtures live here rather than in a ``conftest.py`` (a second module named ``conftest``
would shadow the one in ``tests/``); test modules import the ones they use.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from bot.app import build_app  # noqa: E402
from bot.server import http_server  # noqa: E402
from bot.settings import Settings  # noqa: E402
from lgso_core.store import Store  # noqa: E402

SECRET = "test-signing-secret"
SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"
ROTHERHAM = SEEDS / "000_2d41e673c27088b3.txt"
WAIT = 10.0
"""Longest any test waits for the bot to post something."""


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict
    raw: str

    @property
    def token(self) -> str:
        auth = self.headers.get("Authorization", "")
        return auth.removeprefix("Bearer ") if auth else str(self.body.get("token", ""))


class FakeSlack:
    """A stand-in for Slack's Web API and response URLs, bound to 127.0.0.1 on a free port."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.channels: dict[str, list[dict]] = {}
        self.faults: list[str] = []
        self.injected: list[str] = []
        """Every fault given so far, in order."""
        self.hang = 2.0
        self.blocked = threading.Event()
        self.release = threading.Event()
        self._chaos: tuple[random.Random, float] | None = None
        self._changed = threading.Condition()
        self._lock = threading.Lock()
        self._ts = 0.0
        self._seen_tokens: set[str] = set()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
                kind = self.headers.get("Content-Type", "")
                if "json" in kind:
                    body = json.loads(raw or "{}")
                else:
                    body = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
                path, _, query = self.path.partition("?")
                body.update({k: v[0] for k, v in urllib.parse.parse_qs(query).items()})
                rec = Recorded(path, dict(self.headers.items()), body, raw)
                with fake._changed:
                    fake.requests.append(rec)
                    fake._changed.notify_all()
                status, headers, payload = fake.answer(rec)
                data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up waiting (a timeout) or was killed
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.api_url = self.url + "/api/"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def chaos(self, seed: int, rate: float, kinds: tuple[str, ...] = ("500", "500-after-post", "429",
                                                                      "hang-after-post")) -> None:  # fmt: skip
        """From now on, each post fails with probability ``rate``, in one of ``kinds``."""
        self._chaos = (random.Random(seed), rate, kinds)  # type: ignore[assignment]

    def _fault(self) -> str | None:
        with self._lock:
            fault = None
            if self.faults:
                fault = self.faults.pop(0)
            elif self._chaos is not None:
                rng, rate, kinds = self._chaos  # type: ignore[misc]
                if rng.random() < rate:
                    fault = rng.choice(kinds)
            if fault:
                self.injected.append(fault)
            return fault

    def answer(self, rec: Recorded) -> tuple[int, dict, object]:
        if rec.path.startswith("/respond/"):
            return 200, {"Content-Type": "text/plain"}, "ok"
        if rec.path == "/api/auth.test":
            return 200, {}, {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "user": "lgso"}
        if rec.path in ("/api/conversations.history", "/api/conversations.replies"):
            if rec.token == "xoxb-no-history":
                return 200, {}, {"ok": False, "error": "missing_scope"}
            return 200, {}, self._history(rec.body, thread=rec.path.endswith("replies"))
        if rec.path != "/api/chat.postMessage":
            return 200, {}, {"ok": False, "error": "unknown_method"}
        token = rec.token
        with self._lock:
            first = token not in self._seen_tokens
            self._seen_tokens.add(token)
        limited = {"ok": False, "error": "ratelimited"}
        if token == "xoxb-429" or (token == "xoxb-429-once" and first):
            return 429, {"Retry-After": "1"}, limited
        if token == "xoxb-429-slow":
            return 429, {"Retry-After": "120"}, limited
        if token == "xoxb-500":
            return 500, {"Content-Type": "text/plain"}, "server error"
        if token == "xoxb-channel-not-found":
            return 200, {}, {"ok": False, "error": "channel_not_found"}
        if token == "xoxb-no-threads" and rec.body.get("thread_ts"):
            return 200, {}, {"ok": False, "error": "internal_error"}
        fault = self._fault()
        if fault in ("500", "503"):
            return int(fault), {"Content-Type": "text/plain"}, "server error"
        if fault == "429":
            return 429, {"Retry-After": "1"}, limited
        ok = {"ok": True, "channel": rec.body.get("channel"), "ts": self._post(rec.body)}
        if fault == "500-after-post":
            return 500, {"Content-Type": "text/plain"}, "server error"
        if fault == "hang-after-post":
            time.sleep(self.hang)
        if fault == "block":
            self.blocked.set()
            self.release.wait(60)
        return 200, {}, ok

    def _post(self, body: dict) -> str:
        """Put a message in its channel; its ``ts``."""
        with self._lock:
            self._ts = max(self._ts + 0.0001, time.time())
            ts = f"{self._ts:.6f}"
            message = {"type": "message", "ts": ts, "text": body.get("text", ""), "user": "UBOT"}
            for key in ("blocks", "metadata", "thread_ts"):
                if body.get(key):
                    message[key] = body[key]
            self.channels.setdefault(str(body.get("channel")), []).append(message)
        return ts

    def _history(self, query: dict, *, thread: bool) -> dict:
        """``conversations.history`` (top-level messages, newest first) or ``.replies``."""
        channel = str(query.get("channel"))
        oldest = float(query.get("oldest") or 0)
        limit = int(query.get("limit") or 100)
        start = int(query.get("cursor") or 0)
        with self._lock:
            messages = list(self.channels.get(channel, []))
        if thread:
            ts = query.get("ts")
            found = [m for m in messages if m["ts"] == ts or m.get("thread_ts") == ts]
        else:
            found = [m for m in reversed(messages) if "thread_ts" not in m]
        found = [m for m in found if float(m["ts"]) > oldest]
        if str(query.get("include_all_metadata")).lower() not in ("true", "1"):
            found = [{k: v for k, v in m.items() if k != "metadata"} for m in found]
        page = found[start : start + limit]
        more = start + limit < len(found)
        return {"ok": True, "messages": page, "has_more": more,
                "response_metadata": {"next_cursor": str(start + limit) if more else ""}}  # fmt: skip

    def messages(self, channel: str) -> list[dict]:
        """Every message now in ``channel`` (top level and thread replies), oldest first."""
        with self._lock:
            return list(self.channels.get(channel, []))

    # ----------------------------------------------------------------- queries

    def posts(self) -> list[Recorded]:
        """Every chat.postMessage request received."""
        return [r for r in self.requests if r.path == "/api/chat.postMessage"]

    def responses(self) -> list[Recorded]:
        """Every post to a response URL."""
        return [r for r in self.requests if r.path.startswith("/respond/")]

    def wait_for(self, prefix: str, count: int = 1, timeout: float = WAIT) -> list[Recorded]:
        """Wait until ``count`` requests with a path starting ``prefix`` have arrived."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [r for r in self.requests if r.path.startswith(prefix)]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"waited {timeout}s for {count} request(s) to {prefix}; got {len(found)}"
                    )
                self._changed.wait(left)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(name="fake_slack")
def fake_slack_fixture() -> Iterator[FakeSlack]:
    fake = FakeSlack()
    yield fake
    fake.close()


@pytest.fixture(name="store")
def store_fixture(tmp_path) -> Iterator[Store]:
    with Store(tmp_path / "audits.sqlite3") as s:
        yield s


@pytest.fixture(name="settings")
def settings_fixture(fake_slack, tmp_path) -> Settings:
    return Settings(
        bot_token="xoxb-test",
        signing_secret=SECRET,
        api_url=fake_slack.api_url,
        db_path=tmp_path / "audits.sqlite3",
    )


@pytest.fixture(name="bot_url")
def bot_url_fixture(settings, store) -> Iterator[str]:
    """The bot's /slack/events URL, served over HTTP on a free loopback port."""
    server = http_server(build_app(settings, store), SECRET, "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}/slack/events"
    server.close()
    thread.join(timeout=5)


# --------------------------------------------------------------------------- requests


def stop(process: subprocess.Popen) -> None:
    """End a process the test started: terminate, and kill it if it will not go."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def sign(body: str, timestamp: int, secret: str = SECRET) -> str:
    """Slack's v0 request signature."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def command_body(text: str, response_url: str, command: str = "/lgso") -> str:
    return urllib.parse.urlencode(
        {
            "token": "legacy",
            "team_id": "T1",
            "team_domain": "test",
            "channel_id": "C1",
            "channel_name": "general",
            "user_id": "U1",
            "user_name": "tester",
            "command": command,
            "text": text,
            "api_app_id": "A1",
            "response_url": response_url,
            "trigger_id": "1.2.3",
        }
    )


def post_signed(
    url: str, body: str, *, timestamp: int | None = None, signature: str | None = None, secret: str = SECRET
) -> tuple[int, str]:
    """POST a form body to the bot, signed (correctly unless told otherwise); (status, body)."""
    ts = int(time.time()) if timestamp is None else timestamp
    request = urllib.request.Request(
        url,
        data=body.encode(),
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": signature or sign(body, ts, secret),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def slash(bot_url: str, fake: FakeSlack, text: str, n: int = 1) -> Recorded:
    """Run ``/lgso text`` against the bot; the message it responds with."""
    status, _ = post_signed(bot_url, command_body(text, f"{fake.url}/respond/{n}"))
    assert status == 200
    return fake.wait_for(f"/respond/{n}")[0]


def all_text(message: dict) -> str:
    """Every string in a message payload, joined (for searching)."""
    out = []

    def walk(x) -> None:
        if isinstance(x, str):
            out.append(x)
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(message)
    return "\n".join(out)


def letter_with_paragraph(seed: Path, paragraph: str, folder: Path, name: str) -> Path:
    """The Rotherham seed with its unique paragraph replaced, as an HTML letter (entities decoded)."""
    text = seed.read_text("utf-8")
    start = text.index("This year, three quarters")
    end = text.index("\n", start)
    text = text[:start] + paragraph + text[end:]
    body = "".join(f"<p>{p.strip()}</p>\n" for p in text.split("\n\n") if p.strip())
    path = folder / name
    path.write_text(f"<html><body>{body}</body></html>", "utf-8")
    return path
