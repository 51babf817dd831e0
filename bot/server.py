"""Running the bot: HTTP (a threaded stdlib WSGI server) or Socket Mode, plus the watcher.

``serve`` is what ``lgso bot`` calls. In HTTP mode Slack's requests arrive at
``/slack/events``; with ``SLACK_APP_TOKEN`` the bot opens a Socket Mode connection instead
and needs no public URL. Alongside, a background thread delivers pending alerts at start
and, with a watched folder, polls it for new letters, ingests them and posts their alerts.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from lgso_core.errors import LgsoError
from lgso_core.ingest import FolderWatch
from lgso_core.store import Store

from .alerts import Poster, deliver_pending, make_client
from .app import build_app
from .settings import Settings

PATH = "/slack/events"
POLL_SECONDS = 30.0
log = logging.getLogger("lgso.bot")


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Handler(WSGIRequestHandler):
    def log_message(self, format: str, *args) -> None:
        log.debug("%s " + format, self.address_string(), *args)


def http_server(app: App, host: str = "127.0.0.1", port: int = 3000) -> WSGIServer:
    """A threaded WSGI server for ``app`` at ``PATH`` (port 0: any free port)."""
    return make_server(host, port, SlackRequestHandler(app, path=PATH),
                       server_class=_ThreadingServer, handler_class=_Handler)  # fmt: skip


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
            if self.store.pending_alerts() or self.store.pending_replies():
                self.say(deliver_pending(self.store, self.poster).summary())
        except LgsoError as exc:
            self.say(f"Error: {exc}")

    def run(self) -> None:
        while not self.stop.is_set():
            self.run_once()
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
    app = build_app(settings, store)
    channel = alert_channel or settings.alert_channel
    folder = FolderWatch(store, watch, alert_channel=channel, template=template) if watch else None
    background = Background(store, Poster(make_client(settings)), watch=folder, interval=interval, say=say)
    background.start()
    try:
        if settings.socket_mode:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            say("lgso bot: connecting to Slack in Socket Mode")
            SocketModeHandler(app, settings.app_token).start()
        else:
            server = http_server(app, host, port)
            say(f"lgso bot: listening on http://{host}:{server.server_port}{PATH}")
            try:
                server.serve_forever(poll_interval=0.2)
            finally:
                server.server_close()
    except KeyboardInterrupt:
        say("lgso bot: stopped")
    finally:
        background.stop.set()
        store.close()
