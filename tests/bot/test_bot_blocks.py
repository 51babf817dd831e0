"""Block Kit builders: limits kept, hostile text escaped, never a failure."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from slackfake import all_text

from bot.blocks import MAX_BLOCKS, MAX_TEXT, answer_message, error_message, escape, headline_message
from lgso_core.answer import (
    AuthorityAnswer,
    Choice,
    ChoicesAnswer,
    HelpAnswer,
    ListingAnswer,
    ListingRow,
    NotFoundAnswer,
    Quote,
    audit_answer,
)
from lgso_core.models import Finding, Severity
from tests.synthetic import error, make_audit, outlier

EVIL = "<!channel> <!here> <@U1> <https://x.example|y> & &amp;"


def _texts(message: dict) -> list[str]:
    out = []
    for block in message["blocks"]:
        if "text" in block:
            out.append(block["text"]["text"])
        out += [e["text"] for e in block.get("elements", [])]
    return out


def _within_limits(message: dict) -> None:
    assert len(message["blocks"]) <= MAX_BLOCKS
    assert all(0 < len(t) <= MAX_TEXT for t in _texts(message))
    assert 0 < len(message["text"]) <= 300


def test_escape():
    assert escape("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    assert escape("<!channel>") == "&lt;!channel&gt;"


def test_rotherham_answer_layout():
    message = answer_message(audit_answer(make_audit(unique=["Responses were late."], findings=[error()])))
    texts = _texts(message)
    assert texts[0] == (
        "*Rotherham Metropolitan Borough Council (metropolitan, 2020)*\nLetter "
        "`rotherham-metropolitan-borough-council-2020.txt` \u00b7 <https://www.lgo.org.uk/"
        "your-councils-performance/rotherham-metropolitan-borough-council/statistics|the Ombudsman's page>"
    )
    # concerns first: the letter's own paragraphs come before its figures
    assert texts[1] == "*Unique paragraph* (1): 1 of concern, shown first"
    assert texts[2] == ">Responses were late.\n_concern: enquiry responses_"
    assert texts[3] == "\n".join([
        "\u2022 *Complaints upheld*: 57% (similar authorities 67%, 10 points below average) \u2014 "
        "4 of 7 investigations upheld :red_circle: _error_",
        "      _within chance: -10 points, 99% interval 12\u201394%, p = 0.84_",
        "\u2022 *Compliance with recommendations*: 100% (similar authorities 100%, at average) \u2014 "
        "3 compliance outcomes",
        "\u2022 *Satisfactory remedies*: 0% (similar authorities 11%, 11 points below average) \u2014 "
        "0 of 4 upheld decisions",
        "      _within chance: -11 points, 99% interval 0\u201373%, p = 1.00_",
    ])  # fmt: skip
    assert (
        texts[4] == "*Findings* (1)\n:red_circle: `rate-mismatch` (upheld.rate): rate-mismatch in upheld.rate"
    )
    _within_limits(message)


def test_everything_hostile_is_escaped():
    audit = make_audit(
        authority=f"Evil {EVIL} Council",
        unique=[EVIL * 3],
        findings=[Finding(code=EVIL, severity=Severity.ERROR, message=EVIL, field=EVIL)],
        source=f"letters/{EVIL}.txt",
    )
    messages = [
        answer_message(audit_answer(audit, query=EVIL)),
        answer_message(ChoicesAnswer(query=EVIL, choices=[Choice(name=EVIL, authority_type=EVIL)] * 2)),
        answer_message(NotFoundAnswer(query=EVIL, reason=EVIL, suggestions=[EVIL])),
        answer_message(
            ListingAnswer(
                kind="outliers",
                year=2020,
                rows=[ListingRow(authority=EVIL, authority_type=None, year=2020, summary=EVIL)],
            )
        ),
        answer_message(HelpAnswer(problem=EVIL)),
        error_message(EVIL),
        headline_message(EVIL),
    ]
    for message in messages:
        dumped = all_text(message).replace("<https://www.lgo.org.uk/your-councils-performance/", "")
        for raw in ("<!channel>", "<!here>", "<@U1>", "<https:"):
            assert raw not in dumped
        assert "&lt;!channel&gt;" in dumped


@pytest.mark.parametrize("size", [1, 60, 200, 1000])
def test_the_longest_answers_stay_within_limits(size):
    unique = [f"{i} " + "& long paragraph <text> " * 400 for i in range(size)]
    findings = [error(f"code-{i}", "upheld.rate") for i in range(size)] + [outlier()] * size
    answer = audit_answer(make_audit(authority="A " * 200, unique=unique, findings=findings))
    message = answer_message(answer)
    _within_limits(message)
    json.dumps(message)
    if size >= 60:
        assert "not shown" in _texts(message)[-1]


def test_a_section_cut_never_leaves_half_an_entity():
    message = answer_message(audit_answer(make_audit(unique=["&" * 5000])))
    [quote] = [t for t in _texts(message) if t.startswith(">")]
    assert len(quote) <= MAX_TEXT and "too long for Slack" in quote
    body = quote.split(" \u2026")[0].removeprefix(">")
    assert body.replace("&amp;", "") == ""


def test_a_builder_bug_still_gives_a_message():
    class Odd(AuthorityAnswer):
        @property
        def rates(self):  # type: ignore[override]
            raise RuntimeError("boom")

    message = answer_message(Odd.model_construct(authority="X", source="x", sha256="0"))
    assert "could not lay out the answer" in message["text"]


def test_choices_not_found_listing_and_help():
    choices = answer_message(
        ChoicesAnswer(
            query="kingston",
            more=2,
            choices=[
                Choice(name="Royal Borough of Kingston upon Thames", authority_type="london"),
                Choice(name="Hull City Council", authority_type="unitary"),
            ],
        )
    )
    assert "Several authorities match \u201ckingston\u201d" in _texts(choices)[0]
    assert "\u2022 Hull City Council (unitary)" in _texts(choices)[0]
    assert "and 2 more" in _texts(choices)[0]
    missing = answer_message(NotFoundAnswer(query="x", reason="No match.", suggestions=["Rutland"]))
    assert _texts(missing)[0] == "No match.\nDid you mean: Rutland?"
    listing = answer_message(ListingAnswer(kind="deviations", year=2020, years=[2020, 2019], rows=[]))
    assert _texts(listing) == [
        "*Unique paragraphs, 2020: 0 authorities*\n_none_",
        "Other years: 2019 (`/lgso deviations YEAR`)",
    ]
    assert "`/lgso outliers [YEAR]`" in all_text(answer_message(HelpAnswer()))


def test_many_quotes_keep_their_order():
    answer = AuthorityAnswer(
        authority="A", source="a", sha256="0", unique=[Quote(text=f"q{i}") for i in range(100)]
    )
    texts = _texts(answer_message(answer))
    quotes = [t for t in texts if t.startswith(">")]
    assert quotes == [f">q{i}" for i in range(len(quotes))]


# --------------------------------------------------------------------------- invisible characters

_HIDDEN = st.sampled_from(
    [chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]]
    + ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
)
_VISIBLE = st.text(
    st.characters(
        blacklist_categories=("Cc",),
        blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    )
)


@given(_VISIBLE, st.lists(st.tuples(st.integers(0, 10_000), _HIDDEN), max_size=20))
def test_hidden_characters_change_nothing_slack_sees(text, insertions):
    dirty = text
    for at, char in insertions:
        at %= len(dirty) + 1
        dirty = dirty[:at] + char + dirty[at:]
    assert escape(dirty) == escape(text)
    assert headline_message(dirty) == headline_message(text)


def test_every_builder_strips_them_even_from_text_it_did_not_escape():
    audit = make_audit(unique=["Pay \u202eexe.gpj\u202c now\x1b[0m\u2066."])
    message = answer_message(audit_answer(audit))
    dumped = json.dumps(message, ensure_ascii=False)
    assert "Pay exe.gpj now[0m." in dumped
    assert not any(c in dumped for c in "\u202e\u202c\u2066\x1b")
    assert escape("tab\there\nnew line\r\n") == "tab\there\nnew line\n"  # layout kept, CR dropped
