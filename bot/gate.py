"""The gate in front of the Bolt app in HTTP mode: a request gets in only if Slack signed it,
within the last five minutes, and it has not been seen before.

WSGI middleware, so it works under any WSGI server. It refuses, each with one log line and
no traceback:

- a body over ``MAX_BODY`` (1 MB): 413, judged by ``Content-Length`` before reading (the
  server, waitress, refuses such a request even before the gate sees it);
- missing or malformed ``X-Slack-Request-Timestamp``/``X-Slack-Signature`` headers, a
  timestamp outside the five-minute window, or a wrong signature: 401 (slack_sdk's
  ``SignatureVerifier`` checks the signature; it is only given well-formed headers, as it
  raises on some malformed ones);
- a signed request seen before (a replay within the window): 401.

Bolt verifies the signature again behind the gate; that is cheap, and keeps Bolt's own
check for whoever reuses the app without the gate.
"""

from __future__ import annotations

import io
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

from slack_sdk.signature import SignatureVerifier

log = logging.getLogger("lgso.bot.http")

MAX_BODY = 1024 * 1024
"""Largest request body accepted (bytes). A slash command is a few hundred bytes."""
WINDOW = 5 * 60
"""Seconds a signed request stays valid (Slack's own rule), and so stays in the replay cache."""
MAX_REMEMBERED = 100_000
"""Signatures kept at most; past this the oldest go first (Slack sends far fewer in 5 minutes)."""
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")

WsgiApp = Callable[[dict, Callable], Iterable[bytes]]


class ReplayCache:
    """Signatures of the requests let in during the last ``window`` seconds."""

    def __init__(self, window: float = WINDOW, limit: int = MAX_REMEMBERED):
        self.window, self.limit = window, limit
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, signature: str, now: float) -> bool:
        """Record ``signature``; False if it was already recorded within the window."""
        with self._lock:
            while self._seen:  # forget what has left the window (oldest first)
                oldest, seen_at = next(iter(self._seen.items()))
                if now - seen_at <= self.window and len(self._seen) < self.limit:
                    break
                del self._seen[oldest]
            if signature in self._seen:
                return False
            self._seen[signature] = now
            return True

    def __len__(self) -> int:
        return len(self._seen)


class SlackGate:
    """WSGI middleware: lets through only fresh, signed, first-seen requests (see module)."""

    def __init__(self, app: WsgiApp, signing_secret: str, *, max_body: int = MAX_BODY,
                 clock: Callable[[], float] = time.time, cache: ReplayCache | None = None):  # fmt: skip
        self.app, self.max_body, self.clock = app, max_body, clock
        self.verifier = SignatureVerifier(signing_secret)
        self.cache = cache or ReplayCache()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return self.app(environ, start_response)
        refused = self._check(environ)
        if refused is not None:
            status, reason = refused
            log.info("refused %s %s from %s: %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"),
                     environ.get("REMOTE_ADDR"), reason)  # fmt: skip
            body = f"{reason}\n".encode()
            start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                                     ("Content-Length", str(len(body)))])  # fmt: skip
            return [body]
        return self.app(environ, start_response)

    def _check(self, environ: dict) -> tuple[str, str] | None:
        """None if the request may pass (its body then re-readable), else (status, reason)."""
        length = (environ.get("CONTENT_LENGTH") or "").strip()
        if length and not length.isdigit():
            return "400 Bad Request", "malformed Content-Length"
        if length and int(length) > self.max_body:
            return "413 Request Entity Too Large", f"body over {self.max_body} bytes"
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
            return "401 Unauthorized", "missing or malformed Slack signature headers"
        now = self.clock()
        if abs(now - int(timestamp)) > WINDOW:
            return "401 Unauthorized", "request timestamp outside the five-minute window"
        stream = environ["wsgi.input"]
        body = stream.read(int(length)) if length else stream.read(self.max_body + 1)
        if len(body) > self.max_body:
            return "413 Request Entity Too Large", f"body over {self.max_body} bytes"
        if not self.verifier.is_valid(body, timestamp, signature):
            return "401 Unauthorized", "wrong signature"
        if not self.cache.first_time(signature, now):
            return "401 Unauthorized", "replayed request (seen before within five minutes)"
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return None
