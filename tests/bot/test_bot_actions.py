"""Buttons and the Home tab over real HTTP: signed ``block_actions`` and events in, Web API
calls out to the fake, what was done kept in the store and honoured on the next ingest."""

from __future__ import annotations

import json
import time

from slackfake import (
    ROTHERHAM,
    SEEDS,
    all_text,
    bot_url_fixture,  # noqa: F401 (a fixture)
    letter_with_paragraph,
    settings_fixture,  # noqa: F401 (a fixture)
    slash,
    store_fixture,  # noqa: F401 (a fixture)
)
from slackfake_ux import (
    CHANNEL,
    block_actions,
    fake_ux_fixture,  # noqa: F401 (a fixture)
    home_opened,
    post_action,
    post_event,
)

from lgso_core.ingest import ingest_paths
from lgso_core.mutes import MuteBook

ROTHERHAM_NAME = "Rotherham Metropolitan Borough Council"
HOSTILE = "Attention &lt;!channel&gt; &amp; &lt;@U123&gt;: the Council's responses were late all year."


TWO_TOPICS = (
    "We are concerned that the Council's responses to our enquiries were late all year, and that it "
    "was slow to carry out the remedies it agreed."
)  # tagged enquiry responses, remedies


def _alert(store, path=ROTHERHAM):
    ingest_paths(store, [path], alert_channel=CHANNEL)
    [alert] = store.pending_alerts()
    return alert


def _value(**kw) -> str:
    return json.dumps(kw)


def test_acknowledge_is_recorded_and_shown(bot_url, fake_slack, store):
    alert = _alert(store)
    status, _ = post_action(bot_url, block_actions("lgso_ack", _value(a=alert.id), user="U7"))
    assert status == 200
    [update] = fake_slack.wait_for("/api/chat.update")
    assert (update.body["channel"], update.body["ts"]) == (CHANNEL, "1700000001.000100")
    text = all_text(update.body)
    assert "Acknowledged by <@U7> at " in text and " UTC" in text
    assert "lgso_ack" not in update.raw and "lgso_mute_council" in update.raw
    [logged] = MuteBook(store).actions(alert.id)
    assert (logged["action"], logged["user_id"], logged["user_name"]) == ("acknowledge", "U7", "tester")


def test_a_forged_button_press_is_refused_and_not_kept(bot_url, fake_slack, store):
    alert = _alert(store)
    payload = block_actions("lgso_mute_topic", _value(a=alert.id, t="enquiry responses"))
    status, _ = post_action(bot_url, payload, secret="not-the-secret")
    assert status == 401
    stale = int(time.time()) - 6 * 60
    status, _ = post_action(bot_url, payload, timestamp=stale)
    assert status == 401
    time.sleep(0.2)
    assert MuteBook(store).mutes() == [] and MuteBook(store).actions() == []
    assert fake_slack.calls("chat.update") == []


def test_a_muted_topic_for_a_council_raises_no_alert_next_time(bot_url, fake_slack, store, tmp_path):
    alert = _alert(store)
    payload = block_actions("lgso_mute_council", _value(a=alert.id, t="enquiry responses", c=ROTHERHAM_NAME))
    assert post_action(bot_url, payload)[0] == 200
    [update] = fake_slack.wait_for("/api/chat.update")
    assert f"“enquiry responses” muted for {ROTHERHAM_NAME} by <@U1>" in all_text(update.body)
    [mute] = MuteBook(store).mutes()
    assert (mute.topic, mute.authority_key) == ("enquiry responses", "rotherham")

    # next ingest: a new Rotherham letter whose only news is enquiry responses is stored, not alerted
    late = letter_with_paragraph(ROTHERHAM, "The Council's responses were late all year.", tmp_path, "r.html")
    _, result = ingest_paths(store, [late], alert_channel=CHANNEL)
    assert result.count("revised") == 1
    assert [a.id for a in store.pending_alerts()] == [alert.id]  # only the first alert still waits
    assert store.alert_status(result.letters[0].sha256, CHANNEL) == "muted"
    # ... while the same news of another council is still alerted
    leeds = tmp_path / "leeds.html"
    leeds.write_text(late.read_text().replace("Rotherham Metropolitan Borough Council", "Leeds City Council"))
    _, result = ingest_paths(store, [leeds], alert_channel=CHANNEL)
    assert store.alert_status(result.letters[0].sha256, CHANNEL) == "pending"


def test_mute_everywhere_and_from_the_menu(bot_url, fake_slack, store, tmp_path):
    alert = _alert(store, letter_with_paragraph(ROTHERHAM, TWO_TOPICS, tmp_path, "two.html"))
    assert post_action(bot_url, block_actions("lgso_mute_topic", _value(a=alert.id, t="remedies")))[0] == 200
    menu = block_actions("lgso_mute_pick", _value(a=alert.id, t="enquiry responses", c=ROTHERHAM_NAME),
                         selected=True)  # fmt: skip
    assert post_action(bot_url, menu)[0] == 200
    fake_slack.wait_for("/api/chat.update", 2)
    scopes = [(m.topic, m.scope) for m in MuteBook(store).mutes()]
    assert scopes == [("remedies", "everywhere"), ("enquiry responses", f"for {ROTHERHAM_NAME}")]
    # the two presses are handled concurrently; the redraw made last shows both mutes
    both = [u for u in fake_slack.calls("chat.update") if "lgso_mute" not in json.dumps(u.body["blocks"][-1])]
    assert both, "no redraw shows both topics muted"
    last = all_text(both[0].body)
    assert "“remedies” muted everywhere" in last and "Acknowledge" in last
    assert f"“enquiry responses” muted for {ROTHERHAM_NAME}" in last


def test_post_to_channel(bot_url, fake_slack, store):
    ingest_paths(store, [SEEDS])
    reply = slash(bot_url, fake_slack, "rutland 2020")
    [button] = [e for b in reply.body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert button["action_id"] == "lgso_post"
    payload = block_actions("lgso_post", button["value"], user="U3",
                            response_url=f"{fake_slack.url}/respond/post")  # fmt: skip
    payload["container"]["is_ephemeral"] = True
    assert post_action(bot_url, payload)[0] == 200
    [posted] = fake_slack.wait_for("/respond/post")
    assert posted.body["response_type"] == "in_channel" and posted.body["replace_original"] is False
    text = all_text(posted.body)
    assert "Rutland County Council (unitary, 2020)" in text and "Posted by <@U3>" in text
    assert "lgso_post" not in posted.raw


def test_muted_and_unmute_commands(bot_url, fake_slack, store):
    ingest_paths(store, [SEEDS])
    reply = slash(bot_url, fake_slack, "mute <!channel> for rotherham", 1)
    assert "<!channel>" not in reply.raw
    assert "Muted “&lt;!channel&gt;” for Rotherham Metropolitan Borough Council." in all_text(reply.body)
    listing = all_text(slash(bot_url, fake_slack, "muted", 2).body)
    assert "1. “&lt;!channel&gt;” for Rotherham Metropolitan Borough Council — muted by <@U1>" in listing
    done = slash(bot_url, fake_slack, "unmute 1", 3)
    assert "Unmuted" in all_text(done.body) and "_none: every topic is alerted_" in all_text(done.body)
    assert [a["action"] for a in MuteBook(store).actions()] == ["mute", "unmute"]


def test_the_home_tab_is_published_escaped(bot_url, fake_slack, store, tmp_path):
    hostile = letter_with_paragraph(ROTHERHAM, HOSTILE, tmp_path, "hostile.html")
    ingest_paths(store, [SEEDS, hostile], alert_channel=CHANNEL)
    MuteBook(store).mute("<!here> topic", user_id="U1")
    status, _ = post_event(bot_url, home_opened("U9"))
    assert status == 200
    [published] = fake_slack.wait_for("/api/views.publish")
    assert published.body["user_id"] == "U9"
    view = published.body["view"]
    view = json.loads(view) if isinstance(view, str) else view
    text = all_text(view)
    assert "*2020*: 5 letters held" in text and "“&lt;!here&gt; topic” everywhere" in text
    assert "<!here>" not in published.raw and "<!channel>" not in published.raw
    assert len(view["blocks"]) <= 100


def test_the_alert_card_is_escaped(bot_url, fake_slack, store, tmp_path):
    alert = _alert(store, letter_with_paragraph(ROTHERHAM, HOSTILE, tmp_path, "hostile.html"))
    assert post_action(bot_url, block_actions("lgso_ack", _value(a=alert.id)))[0] == 200
    [update] = fake_slack.wait_for("/api/chat.update")
    assert "<!channel>" not in update.raw and "<@U123>" not in update.raw
    assert str(tmp_path) not in update.raw and "`hostile.html`" in all_text(update.body)
