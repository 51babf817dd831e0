"""``build_app(settings)``: the Bolt app, its listeners registered; nothing is started here."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

from lgso_core.store import Store

from . import handlers
from .alerts import make_client
from .settings import Settings


def build_app(settings: Settings, store: Store | None = None) -> App:
    """A Bolt app answering ``/lgso`` from ``store`` (default: the store at ``settings.db_path``).

    Requests are verified with the signing secret (Bolt answers 401 to a forged or stale
    one); the Web API client uses ``settings.api_url``. No network call is made here.
    """
    logger = logging.getLogger("lgso.bot.bolt")
    logger.addFilter(_same_token_warning)
    app = App(
        client=make_client(settings),
        signing_secret=settings.signing_secret or "",
        token_verification_enabled=False,
        name="lgso",
        logger=logger,
    )
    handlers.register(app, store if store is not None else Store(settings.db_path))
    return app


def _same_token_warning(record: logging.LogRecord) -> bool:
    """Drop Bolt's warning that SLACK_BOT_TOKEN is unused: our client carries that same token
    (we pass a client only to point it at ``SLACK_API_URL``)."""
    return record.getMessage() != warning_client_prioritized_and_token_skipped()
