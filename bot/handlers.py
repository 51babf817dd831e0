"""The ``/lgso`` slash command: acknowledge at once, then answer through ``respond()``."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, Respond

from lgso_core.answer import ask
from lgso_core.errors import LgsoError
from lgso_core.store import Store

from .blocks import COMMAND, answer_message, error_message

log = logging.getLogger("lgso.bot")


def reply_for(store: Store, text: str) -> dict:
    """The message answering ``/lgso text``; a library error becomes a one-line message."""
    try:
        return answer_message(ask(store, text))
    except LgsoError as exc:
        return error_message(str(exc))
    except Exception:
        log.exception("bug answering %r", text)
        return error_message("internal error answering that; this is a bug, please report it")


def register(app: App, store: Store) -> None:
    """Add the ``/lgso`` command to ``app``."""

    @app.command(COMMAND)
    def lgso(ack: Ack, command: dict, respond: Respond) -> None:
        ack()
        respond(response_type="ephemeral", **reply_for(store, command.get("text") or ""))
