"""Answers -> Slack messages (Block Kit). Pure functions: no I/O, and they never fail.

Everything that comes from a letter or a user is escaped (``&``, ``<``, ``>``), so no text
can become a mention such as ``<!channel>`` or a link. A message keeps within Slack's limits
-- at most ``MAX_BLOCKS`` blocks and ``MAX_TEXT`` characters of section text -- by cutting
with a note saying so, never by failing.
"""

from __future__ import annotations

import re

from lgso_core.answer import (
    Answer,
    AuthorityAnswer,
    ChoicesAnswer,
    HelpAnswer,
    ListingAnswer,
    NotFoundAnswer,
    heading,
    listing_title,
)
from lgso_core.models import LEADING_CODES

MAX_BLOCKS = 50
MAX_TEXT = 3000
"""Characters in one section's text."""
MAX_FALLBACK = 300
"""Characters of the notification text that goes with the blocks."""
COMMAND = "/lgso"
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
    """Collects blocks; ``build`` keeps within Slack's limits."""

    def __init__(self, fallback: str):
        self.fallback = fallback
        self.blocks: list[dict] = []

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
        if len(blocks) > MAX_BLOCKS:
            left = len(blocks) - (MAX_BLOCKS - 1)
            blocks = blocks[: MAX_BLOCKS - 1]
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": (
                f"\u2026 {left} more part{'s' if left != 1 else ''} not shown (Slack shows at most "
                f"{MAX_BLOCKS} blocks); `lgso show` in a terminal prints everything.")}]})  # fmt: skip
        text = _cut(self.fallback, MAX_FALLBACK, "\u2026")
        return {"text": text, "blocks": blocks}


# --------------------------------------------------------------------------- answers


def answer_message(answer: Answer) -> dict:
    """``{"text": ..., "blocks": [...]}`` for ``respond()`` or ``chat.postMessage``."""
    try:
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
    except Exception as exc:  # a builder bug must still produce a message
        return error_message(f"could not lay out the answer ({type(exc).__name__})")


def _authority(a: AuthorityAnswer) -> dict:
    msg = _Message(escape(heading(a)))
    msg.section(f"*{escape(heading(a))}*\nLetter: `{escape(a.source)}`")
    notes = []
    if a.replaced:
        notes.append(f"replaces {a.replaced} earlier version{'s' if a.replaced != 1 else ''} of this letter")
    if a.other_years:
        years = ", ".join(str(y.year) for y in a.other_years if y.year)
        notes.append(f"other years in the store: {years} (`{COMMAND} {escape(a.query or a.authority)} YEAR`)")
    if notes:
        msg.context(escape_join(notes))
    for f in a.findings:  # says how to read the rest (models.LEADING_CODES): before it
        if f.code in LEADING_CODES:
            msg.section(f":warning: `{escape(f.code)}`: {escape(f.message)}")
    if a.rates:
        lines = []
        for r in a.rates:
            flag = " :warning: _outlier_" if r.outlier else (" :red_circle: _error_" if r.error else "")
            diff = f", {r.difference}" if r.difference else ""
            lines.append(f"\u2022 *{r.label}*: {r.rate_text} (similar authorities {r.average_text}{diff}) "
                         f"\u2014 {escape(r.counts)}{flag}")  # fmt: skip
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
    if a.unique:
        msg.divider()
        n = len(a.unique)
        msg.section(f"*Unique paragraph{'s' if n != 1 else ''}* ({n}): text not in the Ombudsman's template")
        for q in a.unique:
            tags = f"\n_{escape(q.tone + ': ' + ', '.join(q.tags))}_" if q.tags else ""
            msg.section(f">{escape(q.text)}{tags}")
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
    lines = [f"\u2022 `{COMMAND} {usage}`: {escape(text)}" for usage, text in COMMANDS]
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
