"""What Slack sends the bot: ``/lgso``, the buttons on answers and alerts, the Home tab.

Every listener acknowledges at once (Slack wants an answer within three seconds) and then
does its work. Over HTTP, Bolt has already checked each request's signature and age -- a
button press is verified exactly as a command is -- and in Socket Mode the connection is
the app's own. What a button does is kept in the store (``lgso_core.mutes``).
"""

from __future__ import annotations

import logging
import re

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from lgso_core.answer import alert_card, ask
from lgso_core.digest import home
from lgso_core.errors import LgsoError
from lgso_core.mutes import MUTE_COMMANDS, MuteBook, mute_command
from lgso_core.store import Store

from .blocks import (
    ACK_ACTION,
    COMMAND,
    MUTE_COUNCIL_ACTION,
    MUTE_PICK_ACTION,
    MUTE_TOPIC_ACTION,
    POST_ACTION,
    alert_message,
    answer_message,
    error_message,
    home_view,
    read_value,
)

log = logging.getLogger("lgso.bot")
_MUTES = re.compile(f"^({MUTE_COUNCIL_ACTION}|{MUTE_TOPIC_ACTION}|{MUTE_PICK_ACTION})$")


def reply_for(store: Store, text: str, *, user_id: str = "", user_name: str = "",
              ephemeral: bool = True) -> dict:  # fmt: skip
    """The message answering ``/lgso text``; a library error becomes a one-line message."""
    try:
        head = (text or "").split(maxsplit=1)[0].lower() if (text or "").strip() else ""
        if head in MUTE_COMMANDS:
            return answer_message(mute_command(MuteBook(store), text, user_id=user_id, user_name=user_name))
        answer = ask(store, text)
        return answer_message(answer, post_query=text if ephemeral else None,
                              posted_by=None if ephemeral else user_id)  # fmt: skip
    except LgsoError as exc:
        return error_message(str(exc))
    except Exception:
        log.exception("bug answering %r", text)
        return error_message("internal error answering that; this is a bug, please report it")


def _user(body: dict) -> tuple[str, str]:
    user = body.get("user") or {}
    return str(user.get("id") or "unknown"), str(user.get("username") or user.get("name") or "")


def _update(client: WebClient, body: dict, alert_id: int, store: Store) -> None:
    """Redraw the alert whose button was pressed, showing what has been done about it."""
    card = alert_card(store, alert_id)
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    if card is None or not channel or not ts:
        log.warning("cannot redraw alert %s (channel %s, ts %s)", alert_id, channel, ts)
        return
    client.chat_update(channel=channel, ts=ts, **alert_message(card))


def register(app: App, store: Store) -> None:
    """Add the command, the actions and the Home tab to ``app``."""

    @app.command(COMMAND)
    def lgso(ack: Ack, command: dict, respond: Respond) -> None:
        ack()
        text = command.get("text") or ""
        user_id, user_name = command.get("user_id") or "", command.get("user_name") or ""
        respond(response_type="ephemeral", **reply_for(store, text, user_id=user_id, user_name=user_name))

    @app.action(POST_ACTION)
    def post_to_channel(ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        ack()
        user_id, user_name = _user(body)
        query = str(read_value(action).get("q") or "")
        message = reply_for(store, query, user_id=user_id, user_name=user_name, ephemeral=False)
        respond(response_type="in_channel", replace_original=False, **message)

    @app.action(ACK_ACTION)
    def acknowledge(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        alert_id = read_value(action).get("a")
        if not isinstance(alert_id, int):
            return
        user_id, user_name = _user(body)
        MuteBook(store).acknowledge(alert_id, user_id=user_id, user_name=user_name)
        _update(client, body, alert_id, store)

    @app.action(_MUTES)
    def mute(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        value = read_value(action)
        alert_id, topic, council = value.get("a"), value.get("t"), value.get("c")
        if not isinstance(alert_id, int) or not isinstance(topic, str):
            return
        user_id, user_name = _user(body)
        MuteBook(store).mute(topic, user_id=user_id, user_name=user_name, alert_id=alert_id,
                             authority=council if isinstance(council, str) and council else None)  # fmt: skip
        _update(client, body, alert_id, store)

    @app.event("app_home_opened")
    def home_opened(event: dict, client: WebClient) -> None:
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        client.views_publish(user_id=event["user"], view=home_view(home(store)))
