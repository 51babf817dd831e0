"""Answers -> Slack messages (Block Kit). Pure functions: no I/O, and they never fail.

Everything that comes from a letter or a user is escaped (``&``, ``<``, ``>``), so no text
can become a mention such as ``<!channel>`` or a link. A message keeps within Slack's limits
-- at most ``MAX_BLOCKS`` blocks and ``MAX_TEXT`` characters of section text -- by cutting
with a note saying so, never by failing.
"""

from __future__ import annotations

import json
import re

from lgso_core.answer import (
    AlertCard,
    Answer,
    AuthorityAnswer,
    ChoicesAnswer,
    HelpAnswer,
    ListingAnswer,
    NotFoundAnswer,
    heading,
    listing_title,
)
from lgso_core.digest import TOP_ITEMS, Home, Summary
from lgso_core.models import LEADING_CODES
from lgso_core.mutes import MUTE_HELP, Mute, MutedAnswer
from lgso_core.present import count

MAX_BLOCKS = 50
MAX_TEXT = 3000
"""Characters in one section's text."""
MAX_FALLBACK = 300
"""Characters of the notification text that goes with the blocks."""
MAX_ELEMENTS = 25
"""Elements in one actions block."""
MAX_VIEW_BLOCKS = 100
"""Blocks in a Home tab view."""
MAX_VALUE = 2000
"""Characters of a button's value."""
MAX_LABEL = 75
"""Characters of a button's or an option's label."""
COMMAND = "/lgso"
POST_ACTION = "lgso_post"
ACK_ACTION = "lgso_ack"
MUTE_COUNCIL_ACTION = "lgso_mute_council"
MUTE_TOPIC_ACTION = "lgso_mute_topic"
MUTE_PICK_ACTION = "lgso_mute_pick"
ACTIONS = (POST_ACTION, ACK_ACTION, MUTE_COUNCIL_ACTION, MUTE_TOPIC_ACTION, MUTE_PICK_ACTION)
_USER = re.compile(r"^[UW][A-Z0-9]{1,20}$")
_ICON = {"error": ":red_circle:", "warning": ":warning:", "info": ":information_source:"}
_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,4}$")


_INVISIBLE = dict.fromkeys(
    [*range(0x00, 0x09), *range(0x0B, 0x20),  # C0 controls but tab and newline
     *range(0x7F, 0xA0),  # DEL and C1 controls
     *range(0x202A, 0x202F), *range(0x2066, 0x206A)]  # bidi embeddings, overrides and isolates
)  # fmt: skip
"""Characters removed from text before it reaches Slack: they could hide or reorder what a
reader sees (a right-to-left override makes "gpj.exe" read "exe.jpg")."""


def strip_controls(text: str) -> str:
    """``text`` without control characters and bidirectional overrides (tab and newline stay;
    a carriage return goes)."""
    return text.translate(_INVISIBLE)


def escape(text: object) -> str:
    """Text made inert for Slack: control and bidi characters removed (:func:`strip_controls`),
    ``&``, ``<`` and ``>`` as entities. Every builder passes letter and user text through it."""
    return strip_controls(str(text)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int, note: str) -> str:
    """``text`` (already escaped) within ``limit`` characters, ending in ``note`` if cut.
    Every text of every message passes here, so controls are stripped here too."""
    text = strip_controls(text)
    if len(text) <= limit:
        return text
    kept = _PARTIAL_ENTITY.sub("", text[: max(0, limit - len(note))])
    return kept + note


class _Message:
    """Collects blocks; ``build`` keeps within Slack's limits (buttons always kept, last)."""

    def __init__(self, fallback: str, max_blocks: int = MAX_BLOCKS):
        self.fallback = fallback
        self.blocks: list[dict] = []
        self.buttons: list[dict] = []
        self.max_blocks = max_blocks

    def section(self, mrkdwn: str) -> None:
        """A section of trusted mrkdwn (callers escape what they interpolate)."""
        text = _cut(mrkdwn.strip() or "\u2026", MAX_TEXT, " \u2026 _(cut: too long for Slack)_")
        self.blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})

    def sections(self, title: str, lines: list[str]) -> None:
        """``title`` and ``lines``, packed into as few sections as the text limit allows."""
        chunk = title
        for line in lines:
            if chunk and len(chunk) + 1 + len(line) > MAX_TEXT:
                self.section(chunk)
                chunk = ""
            chunk = f"{chunk}\n{line}" if chunk else line
        if chunk:
            self.section(chunk)

    def context(self, mrkdwn: str) -> None:
        text = _cut(mrkdwn.strip() or "\u2026", MAX_TEXT, " \u2026")
        self.blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": text}]})

    def divider(self) -> None:
        self.blocks.append({"type": "divider"})

    def build(self) -> dict:
        blocks = self.blocks
        room = self.max_blocks - (1 if self.buttons else 0)
        if len(blocks) > room:
            left = len(blocks) - (room - 1)
            blocks = blocks[: room - 1]
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": (
                f"\u2026 {left} more part{'s' if left != 1 else ''} not shown (Slack shows at most "
                f"{self.max_blocks} blocks); `lgso show` in a terminal prints everything.")}]})  # fmt: skip
        if self.buttons:
            blocks = [*blocks, {"type": "actions", "elements": self.buttons[:MAX_ELEMENTS]}]
        text = _cut(self.fallback, MAX_FALLBACK, "\u2026")
        return {"text": text, "blocks": blocks}


# --------------------------------------------------------------------------- answers


def answer_message(answer: Answer | MutedAnswer, *, post_query: str | None = None,
                   posted_by: str | None = None) -> dict:  # fmt: skip
    """``{"text": ..., "blocks": [...]}`` for ``respond()`` or ``chat.postMessage``.

    ``post_query``: the question asked, for a "Post to channel" button (ephemeral answers);
    ``posted_by``: the user who posted it to the channel, said under the answer.
    """
    try:
        message = _answer(answer)
    except Exception as exc:  # a builder bug must still produce a message
        return error_message(f"could not lay out the answer ({type(exc).__name__})")
    extra = []
    if post_query is not None and not isinstance(answer, (HelpAnswer, MutedAnswer)):
        button = _button("Post to channel", POST_ACTION, {"q": post_query[:1000]})
        extra.append({"type": "actions", "elements": [button]})
    if posted_by:
        extra.append(_context(f"Posted by {user_ref(posted_by)} with `{COMMAND}`"))
    blocks = message["blocks"]
    if len(blocks) + len(extra) > MAX_BLOCKS:  # keep the closing "not shown" note
        blocks = [*blocks[: MAX_BLOCKS - len(extra) - 1], blocks[-1]]
    return {**message, "blocks": blocks + extra}


def _answer(answer: Answer | MutedAnswer) -> dict:
    if isinstance(answer, MutedAnswer):
        return muted_message(answer)
    if isinstance(answer, AuthorityAnswer):
        return _authority(answer)
    if isinstance(answer, ChoicesAnswer):
        return _choices(answer)
    if isinstance(answer, NotFoundAnswer):
        return _not_found(answer)
    if isinstance(answer, ListingAnswer):
        return _listing(answer)
    if isinstance(answer, HelpAnswer):
        return help_message(answer.problem)
    return error_message(f"cannot show an answer of type {type(answer).__name__}")


def _authority(a: AuthorityAnswer) -> dict:
    msg = _Message(escape(heading(a)))
    about = [f"Letter `{escape(a.file_name or 'unnamed')}`"]
    if a.date:
        about.append(f"dated {escape(a.date)}")
    if a.period:
        about.append(f"statistics {escape(a.period)}")
    if a.link:
        about.append(f"<{a.link}|the Ombudsman's page>")
    msg.section(f"*{escape(heading(a))}*\n{escape_join(about)}")
    for f in a.findings:  # says how to read the rest (models.LEADING_CODES): before it
        if f.code in LEADING_CODES:
            msg.section(f":warning: `{escape(f.code)}`: {escape(f.message)}")
    if a.unique:
        n = len(a.unique)
        concerns = sum(q.tone == "concern" for q in a.unique)
        lead = f"{concerns} of concern, shown first" if concerns else "text not in the Ombudsman's template"
        msg.section(f"*Unique paragraph{'s' if n != 1 else ''}* ({n}): {lead}")
        for q in a.unique:
            tags = f"\n_{escape(q.tone + ': ' + ', '.join(q.tags))}_" if q.tags else ""
            msg.section(f">{escape(q.text)}{tags}")
        msg.divider()
    notes = []
    if a.replaced:
        notes.append(f"replaces {count(a.replaced, 'earlier version')} of this letter")
    if a.other_years:
        years = ", ".join(str(y.year) for y in a.other_years if y.year)
        notes.append(f"other years in the store: {years} (`{COMMAND} {escape(a.query or a.authority)} YEAR`)")
    if notes:
        msg.context(escape_join(notes))
    if a.rates:
        lines = []
        for r in a.rates:
            flag = " :warning: _outlier_" if r.outlier else (" :red_circle: _error_" if r.error else "")
            diff = f", {r.difference}" if r.difference else ""
            verdict = f"\n      _{escape(r.verdict)}_" if r.verdict else ""
            lines.append(f"\u2022 *{r.label}*: {r.rate_text} (similar authorities {r.average_text}{diff}) "
                         f"\u2014 {escape(r.counts)}{flag}{verdict}")  # fmt: skip
        if a.per_100k:
            lines.append(f"\u2022 {escape(a.per_100k)}")
        msg.sections("", lines)
    else:
        msg.section("_No statistics in this letter._")
    rest = [f for f in a.findings if f.code not in LEADING_CODES]
    if rest:
        lines = [f"{_ICON.get(f.severity.value, '')} `{escape(f.code)}`"
                 + (f" ({escape(f.field)})" if f.field else "") + f": {escape(f.message)}"
                 for f in rest]  # fmt: skip
        msg.sections(f"*Findings* ({len(rest)})", lines)
    return msg.build()


def escape_join(parts: list[str]) -> str:
    """Parts already escaped, joined as one line."""
    return " \u00b7 ".join(parts)


def _choices(a: ChoicesAnswer) -> dict:
    msg = _Message(f"Several authorities match \u201c{escape(a.query)}\u201d")
    lines = [f"\u2022 {escape(c.name)}" + (f" ({escape(c.authority_type)})" if c.authority_type else "")
             for c in a.choices]  # fmt: skip
    if a.more:
        lines.append(f"\u2026 and {a.more} more; type more of the name.")
    example = f"`{COMMAND} {escape(a.choices[0].name)}`"
    msg.sections(f"Several authorities match \u201c{escape(a.query)}\u201d; which one? "
                 f"Ask again with more of the name, e.g. {example}.", lines)  # fmt: skip
    return msg.build()


def _not_found(a: NotFoundAnswer) -> dict:
    msg = _Message(escape(a.reason))
    text = escape(a.reason)
    if a.suggestions:
        text += "\nDid you mean: " + ", ".join(escape(s) for s in a.suggestions) + "?"
    msg.section(text)
    msg.context(f"`{COMMAND} help` lists what you can ask.")
    return msg.build()


def _listing(a: ListingAnswer) -> dict:
    title = listing_title(a)
    msg = _Message(escape(title))
    lines = [f"\u2022 *{escape(r.authority)}*" + (f" ({r.year})" if r.year else "") + f": {escape(r.summary)}"
             for r in a.rows] or ["_none_"]  # fmt: skip
    msg.sections(f"*{escape(title)}*", lines)
    if len(a.years) > 1:
        other = ", ".join(str(y) for y in a.years if y != a.year)
        msg.context(f"Other years: {other} (`{COMMAND} {a.kind} YEAR`)")
    return msg.build()


def help_message(problem: str | None = None) -> dict:
    """What ``/lgso`` can answer; ``problem`` says what was wrong with the question."""
    from lgso_core.answer import COMMANDS

    msg = _Message("How to use /lgso")
    if problem:
        msg.section(f":warning: {escape(problem)}")
    lines = [f"\u2022 `{COMMAND} {usage}`: {escape(text)}" for usage, text in (*COMMANDS, *MUTE_HELP)]
    msg.sections("*Ask about the Ombudsman's annual review letters*", lines)
    msg.context("Names can be rough: `rutlnd`, `rotherham metropolitn` and `kingston` all work.")
    return msg.build()


def error_message(text: str) -> dict:
    """A one-line error as a message."""
    msg = _Message(f"Error: {escape(text)}")
    msg.section(f":red_circle: {escape(text)}")
    return msg.build()


# --------------------------------------------------------------------------- alerts


def headline_message(headline: str) -> dict:
    """The alert's one-line channel message (escaped, plain)."""
    line = " ".join(strip_controls(headline).split())
    return {"text": _cut(escape(line), MAX_TEXT, "\u2026")}


# --------------------------------------------------------------------------- buttons


def user_ref(user_id: str | None) -> str:
    """A mention of a Slack user (``<@U123>``) when ``user_id`` is one, else the text escaped."""
    if user_id and _USER.match(user_id):
        return f"<@{user_id}>"
    return escape(user_id or "someone")


def _label(text: str) -> dict:
    text = " ".join(text.split())
    if len(text) > MAX_LABEL:
        text = text[: MAX_LABEL - 1] + "\u2026"
    return {"type": "plain_text", "text": text, "emoji": True}


def _value(value: dict) -> str:
    """A button's data as JSON, escaped like any text (``read_value`` undoes both)."""
    data = escape(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    if len(data) > MAX_VALUE:  # only a very long authority name or query gets here
        data = escape(json.dumps({k: (v[:200] if isinstance(v, str) else v) for k, v in value.items()}))
    return data


def unescape(text: str) -> str:
    """The inverse of ``escape``."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _button(text: str, action_id: str, value: dict, style: str | None = None) -> dict:
    button = {"type": "button", "text": _label(text), "action_id": action_id, "value": _value(value)}
    if style:
        button["style"] = style
    return button


def read_value(action: dict) -> dict:
    """The data a button (or a menu's chosen option) carries; {} when it carries none we wrote."""
    raw = action.get("value")
    if raw is None:
        raw = (action.get("selected_option") or {}).get("value")
    try:
        value = json.loads(unescape(raw or "{}"))
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _context(mrkdwn: str) -> dict:
    text = _cut(mrkdwn.strip() or "\u2026", MAX_TEXT, " \u2026")
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _when(iso: str | None) -> str:
    """'2026-07-22 09:14 UTC' from an ISO timestamp."""
    if not iso:
        return "?"
    return iso.replace("T", " ")[:16] + " UTC"


# --------------------------------------------------------------------------- alerts


def alert_message(card: AlertCard) -> dict:
    """An alert with its buttons: acknowledge, mute its lead topic for its council or everywhere,
    and a menu for its other topics. What was done is shown in place of the buttons."""
    msg = _Message(escape(" ".join(card.headline.split())))
    msg.section(f"*{escape(card.headline)}*")
    about = [f"Letter `{escape(card.file_name)}`"]
    if card.link:
        about.append(f"<{card.link}|the Ombudsman's page>")
    if card.topics:
        about.insert(0, "Topics: " + ", ".join(escape(t) for t in card.topics))
    msg.context(escape_join(about))
    if card.acknowledged:
        a = card.acknowledged
        msg.context(f":white_check_mark: Acknowledged by {user_ref(a.user_id)} at {_when(a.at)}")
    muted_here = set()
    for m in card.mutes:
        muted_here.add(m.topic)
        msg.context(f":mute: \u201c{escape(m.topic)}\u201d muted {escape(m.scope)} by {user_ref(m.user_id)}")
    if not card.acknowledged:
        msg.buttons.append(_button("Acknowledge", ACK_ACTION, {"a": card.alert_id}, "primary"))
    open_topics = [t for t in card.topics if t not in muted_here]
    if open_topics:
        lead = open_topics[0]
        if card.authority:
            msg.buttons.append(_button("Mute this topic for this council", MUTE_COUNCIL_ACTION,
                                       {"a": card.alert_id, "t": lead, "c": card.authority}))  # fmt: skip
        msg.buttons.append(_button("Mute this topic", MUTE_TOPIC_ACTION, {"a": card.alert_id, "t": lead}))
        msg.context(f"The mute buttons act on \u201c{escape(lead)}\u201d"
                    + ("; the menu mutes another topic." if len(open_topics) > 1 else "."))  # fmt: skip
        if len(open_topics) > 1:
            msg.buttons.append(_topic_menu(card, open_topics[1:]))
    return msg.build()


def _topic_menu(card: AlertCard, topics: list[str]) -> dict:
    options = []
    for t in topics[:50]:
        if card.authority:
            options.append({"text": _label(f"“{t}” for this council"),
                            "value": _value({"a": card.alert_id, "t": t, "c": card.authority})})  # fmt: skip
        options.append({"text": _label(f"“{t}” everywhere"), "value": _value({"a": card.alert_id, "t": t})})
    return {"type": "static_select", "action_id": MUTE_PICK_ACTION,
            "placeholder": _label("Mute another topic\u2026"), "options": options[:100]}  # fmt: skip


def digest_message(summary: Summary, replies: int) -> dict:
    """The digest of one ingest: the counts, the worst letters, and where the rest are."""
    headline = summary.headline()
    msg = _Message(escape(headline))
    msg.section(f":newspaper: *{escape(headline)}*")
    lines = [_item_line(i) for i in summary.items[:TOP_ITEMS]]
    if lines:
        msg.sections("*Most serious*", lines)
    more = f"{replies} letter{'s' if replies != 1 else ''} that need{'s' if replies == 1 else ''} attention"
    msg.context(f"In this thread: one reply for each of the {more}, with buttons to acknowledge or mute. "
                f"`{COMMAND} NAME` shows a letter in full.")  # fmt: skip
    return msg.build()


def _item_line(i) -> str:
    parts = []
    if i.errors:
        parts.append(count(i.errors, "figure error"))
    if i.concerns:
        parts.append(count(i.concerns, "concern"))
    if i.outliers:
        parts.append(count(i.outliers, "outlier"))
    if i.unique > i.concerns:
        parts.append(count(i.unique - i.concerns, "other new paragraph"))
    about = f" \u2014 {escape(', '.join(i.topics[:3]))}" if i.topics else ""
    year = f" ({i.year})" if i.year else ""
    return f"\u2022 *{escape(i.authority)}*{year}: {', '.join(parts)}{about}"


# --------------------------------------------------------------------------- mutes and Home


def _mute_line(n: int, m: Mute) -> str:
    return (f"{n}. \u201c{escape(m.topic)}\u201d {escape(m.scope)} \u2014 muted by {user_ref(m.user_id)}"
            f" at {_when(m.muted_at)}")  # fmt: skip


def muted_message(answer: MutedAnswer) -> dict:
    """``/lgso muted`` (and what ``mute`` / ``unmute`` did)."""
    msg = _Message(escape(answer.problem or answer.note or "Muted topics"))
    if answer.problem:
        msg.section(f":warning: {escape(answer.problem)}")
    if answer.note:
        msg.section(f":white_check_mark: {escape(answer.note)}")
    lines = [_mute_line(n, m) for n, m in enumerate(answer.mutes, 1)] or ["_none: every topic is alerted_"]
    msg.sections(f"*Muted topics* ({len(answer.mutes)})", lines)
    msg.context(f"`{COMMAND} unmute N` or `{COMMAND} unmute TOPIC [for NAME]` alerts on a topic again.")
    return msg.build()


def home_view(home: Home) -> dict:
    """The Home tab: the latest year's letters counted, the last alerts, the muted topics."""
    s = home.summary
    msg = _Message("LGSO audit", max_blocks=MAX_VIEW_BLOCKS)
    msg.blocks.append({"type": "header", "text": _label("LGSO audit: the Ombudsman's letters")})
    if not s.letters:
        msg.section("_The store holds no letters yet._ Run `lgso ingest FOLDER` on the server.")
    else:
        year = s.years[0] if s.years else "latest"
        msg.section(f"*{year}*: {count(s.letters, 'letter')} held \u00b7 "
                    f"{s.concerns} with concerns \u00b7 {s.errors} with figure errors \u00b7 "
                    f"{s.outliers} with outliers")  # fmt: skip
        if s.items:
            msg.sections("*Needing attention*", [_item_line(i) for i in s.items[:10]])
    msg.divider()
    lines = []
    for r in home.recent:
        year = f" ({r.year})" if r.year else ""
        ack = f" \u00b7 acknowledged by {user_ref(r.acknowledged_by)}" if r.acknowledged_by else ""
        about = f": {escape(', '.join(r.topics[:3]))}" if r.topics else ""
        lines.append(f"\u2022 *{escape(r.authority)}*{year}{about} \u2014 {_when(r.sent_at)}{ack}")
    msg.sections("*Last alerts*", lines or ["_none yet_"])
    if home.pending:
        msg.context(f"{count(home.pending, 'alert')} waiting to be posted "
                    "(`lgso alerts list` on the server).")  # fmt: skip
    msg.divider()
    mutes = [_mute_line(n, m) for n, m in enumerate(home.mutes, 1)] or ["_none_"]
    msg.sections("*Muted topics*", mutes)
    msg.context(f"`{COMMAND} muted`, `{COMMAND} unmute N` \u00b7 `{COMMAND} help` lists what you can ask.")
    return {"type": "home", "blocks": msg.build()["blocks"]}
