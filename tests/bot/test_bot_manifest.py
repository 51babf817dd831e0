"""manifest.yaml: one paste installs everything the bot listens for."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.blocks import COMMAND

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yaml"


def test_the_manifest_asks_for_what_the_bot_uses():
    m = yaml.safe_load(MANIFEST.read_text("utf-8"))
    assert [c["command"] for c in m["features"]["slash_commands"]] == [COMMAND]
    assert m["features"]["app_home"]["home_tab_enabled"] is True
    assert m["settings"]["interactivity"]["is_enabled"] is True
    assert m["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert m["settings"]["socket_mode_enabled"] is True
    # chat.postMessage, chat.update and views.publish need chat:write only; the command, commands
    assert {"commands", "chat:write"} <= set(m["oauth_config"]["scopes"]["bot"])
    assert len(m["features"]["slash_commands"][0]["description"]) <= 100
