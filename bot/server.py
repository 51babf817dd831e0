"""Running the bot: HTTP (waitress, behind the signature gate) or Socket Mode, plus the watcher.

``serve`` is what ``lgso bot`` calls. In HTTP mode Slack's requests arrive at
``/slack/events``; with ``SLACK_APP_TOKEN`` the bot opens a Socket Mode connection instead
and needs no public URL. Alongside, a background thread delivers pending alerts at start
and, with a watched folder, polls it for new letters, ingests them and posts their alerts.

Why waitress: it is a production WSGI server in pure Python (Linux, macOS and Windows
alike, no compiler), runs inside this process so the watcher thread lives beside it,
serves Bolt's existing WSGI adapter unchanged, buffers slow clients in its own I/O loop
instead of tying up a worker thread, listens with a real backlog, and refuses an
oversized body from its ``Content-Length`` before reading it. gunicorn forks workers (each
would run its own watcher) and does not run on Windows; uvicorn would need the app
rewritten for asyncio, or Bolt's sync handlers would block its event loop.
"""

from __future__ import annotations

import errno
import logging
import socket
import threading
from collections.abc import Callable

import waitress
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress import wasyncore

from lgso_core.errors import ConfigError, LgsoError
from lgso_core.ingest import FolderWatch
from lgso_core.store import Store

from .alerts import Poster, deliver_pending, make_client
from .app import build_app
from .gate import MAX_BODY, SlackGate
from .pace import Pace
from .settings import Settings

PATH = "/slack/events"
POLL_SECONDS = 30.0
THREADS = 8
"""Worker threads answering requests (each only checks, acknowledges and hands off)."""
log = logging.getLogger("lgso.bot")


class HttpServer:
    """waitress serving ``app`` at ``PATH`` behind :class:`~bot.gate.SlackGate` (port 0: any free port).

    Raises ``ConfigError`` (one line) when it cannot listen: port in use, unknown host.
    """

    def __init__(self, app: App, signing_secret: str, host: str = "127.0.0.1", port: int = 3000,
                 *, threads: int = THREADS):  # fmt: skip
        self._map: dict = {}
        self._stop, self._running = threading.Event(), False
        wsgi = SlackGate(SlackRequestHandler(app, path=PATH), signing_secret)
        try:
            self._server = waitress.create_server(
                wsgi, map=self._map, host=host, port=port, threads=threads, ident="lgso",
                max_request_body_size=MAX_BODY + 1,  # waitress refuses >= this: 413 before reading
                backlog=1024, connection_limit=200, channel_timeout=60,
                clear_untrusted_proxy_headers=True, expose_tracebacks=False,
            )  # fmt: skip
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot listen on {host}:{port}: {_why(exc)}") from None
        listen = getattr(self._server, "effective_listen", None)
        self.port = int(listen[0][1] if listen else self._server.effective_port)

    def run(self) -> None:
        """Serve until :meth:`close` (from any thread) or Ctrl-C."""
        # waitress's own run() loops until its sockets are closed, and closing them from
        # another thread breaks its select(); so loop here, one short round at a time.
        self._running = True
        try:
            while not self._stop.is_set() and self._map:
                wasyncore.loop(timeout=0.2, map=self._map, count=1)
        finally:
            self._shut()

    def close(self) -> None:
        """Stop serving and close every connection (at once if not running, else within 0.2 s)."""
        self._stop.set()
        if not self._running:
            self._shut()

    def _shut(self) -> None:
        self._server.task_dispatcher.shutdown()
        wasyncore.close_all(self._map)


def _why(exc: Exception) -> str:
    if isinstance(exc, socket.gaierror):
        return f"unknown host ({exc.strerror}); check --host"
    if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE:
        return "the port is in use (another lgso bot?); choose another with --port"
    if isinstance(exc, OSError) and exc.errno == errno.EADDRNOTAVAIL:
        return "this machine has no such address; check --host"
    if isinstance(exc, OSError) and exc.errno == errno.EACCES:
        return "permission denied (ports below 1024 need privileges); choose another with --port"
    if isinstance(exc, ValueError):
        return f"{str(exc).rstrip('.')}; check --host and --port"
    return str(exc.strerror if isinstance(exc, OSError) and exc.strerror else exc)


def http_server(app: App, signing_secret: str, host: str = "127.0.0.1", port: int = 3000) -> HttpServer:
    """The production HTTP server for ``app`` (see :class:`HttpServer`)."""
    return HttpServer(app, signing_secret, host, port)


STOP_WAIT = 30.0
"""Seconds ``serve`` waits, when stopping, for the background round under way to finish."""


class Background:
    """Delivers pending alerts, and ingests a watched folder's new letters, every ``interval``."""

    def __init__(self, store: Store, poster: Poster, *, watch: FolderWatch | None = None,
                 interval: float = POLL_SECONDS, say: Callable[[str], None] = log.info):  # fmt: skip
        self.store, self.poster, self.watch, self.interval, self.say = store, poster, watch, interval, say
        self.stop = threading.Event()

    def run_once(self) -> None:
        """One round: ingest what is new in the folder, then post what is pending."""
        try:
            if self.watch is not None:
                found = self.watch.poll()
                if found is not None:
                    report, result = found
                    for err in report.errors:
                        self.say(f"{err.source}: {err.error}")
                    self.say(f"ingested {result.summary()}")
            if self.stop.is_set():
                return  # stopping: the store may close as soon as this round ends
            if self.store.pending_alerts() or self.store.pending_replies():
                delivery = deliver_pending(self.store, self.poster)
                if delivery.sent or delivery.pending:  # else another deliverer holds them
                    self.say(delivery.summary())
        except LgsoError as exc:
            self.say(f"Error: {exc}")

    def run(self) -> None:
        while not self.stop.is_set():
            self.run_once()
            if self.stop.is_set():
                return
            if self.watch is None and not (self.store.pending_alerts() or self.store.pending_replies()):
                return  # nothing to watch and nothing left to post
            self.stop.wait(self.interval)

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name="lgso-background", daemon=True)
        thread.start()
        return thread


def serve(settings: Settings, *, host: str = "127.0.0.1", port: int = 3000, watch: str | None = None,
          interval: float = POLL_SECONDS, alert_channel: str | None = None, template: str | None = None,
          say: Callable[[str], None] = print) -> None:  # fmt: skip
    """Run the bot until interrupted (see the module docstring)."""
    store = Store(settings.db_path)
    try:
        app = build_app(settings, store)
        server = None
        if not settings.socket_mode:  # listen first: a port in use stops here, before any work
            server = http_server(app, settings.signing_secret or "", host, port)
        channel = alert_channel or settings.alert_channel
        if channel:
            store.assign_channel(channel)  # alerts queued while no channel was set go here
        folder = FolderWatch(store, watch, alert_channel=channel, template=template) if watch else None
        background = Background(
            store,
            Poster(make_client(settings), pace=Pace(settings.post_interval)),
            watch=folder,
            interval=interval,
            say=say,
        )
        worker = background.start()
        try:
            if server is None:
                from slack_bolt.adapter.socket_mode import SocketModeHandler

                say("lgso bot: connecting to Slack in Socket Mode")
                SocketModeHandler(app, settings.app_token).start()
            else:
                shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
                say(f"lgso bot: listening on http://{shown}:{server.port}{PATH}")
                try:
                    server.run()
                finally:
                    server.close()
        except KeyboardInterrupt:
            say("lgso bot: stopped")
        finally:
            background.stop.set()
            worker.join(STOP_WAIT)  # closing the store under a running query would crash sqlite
    finally:
        store.close()
