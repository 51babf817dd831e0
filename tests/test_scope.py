"""Scope: sentences, clauses and their weights, negation, hedges, whitespace in phrases."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from lgso_core.scope import (
    about_the_process,
    clause_at,
    clauses,
    compile_phrases,
    context,
    find,
    required_word,
    sentence_spans,
)


def weights(text: str) -> list[tuple[str, float]]:
    return [(text[c.start : c.end].strip(" ,"), c.weight) for c in clauses(text)]


def test_sentences():
    text = "It was late. We chased it; it came. “Then” what? 28 days; Then more."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "It was late.",
        "We chased it; it came.",  # a sentence starts with a capital, a figure or a quote
        "“Then” what?",
        "28 days;",
        "Then more.",
    ]


def test_but_raises_its_clause_and_lowers_the_one_before():
    assert weights("I welcome the apology, but I remain concerned.") == [
        ("I welcome the apology", 0.5),
        ("but I remain concerned.", 1.5),
    ]


def test_concessive_clause_is_lowered():
    assert weights("Although there were delays, the replies improved.") == [
        ("Although there were delays", 0.5),
        ("the replies improved.", 1.0),
    ]


def test_a_condition_on_a_general_subject_is_lowered_but_not_a_fact_about_the_council():
    assert weights("The Council's own policy says what happens where a council has failed.")[-1] == (
        "where a council has failed.",
        0.3,
    )
    assert weights("We upheld complaints where the Council did not act.")[-1] == (
        "where the Council did not act.",
        1.0,
    )
    assert weights("If the Council does not comply, we will report.")[0] == (
        "If the Council does not comply",
        0.3,
    )


def test_negation_looks_back_six_words_within_the_clause():
    pattern = compile_phrases([r"\blate\b"])
    text = "Replies were not late. Replies were not, as we feared, late."
    first, second = find(context(text), pattern)
    assert first.negator == "not"
    assert second.negator is None  # the comma ends the negated clause
    far = "No one would say the replies we had this year were late."
    [hit] = find(context(far), pattern)
    assert hit.negator is None  # "No" is nine words back


def test_hedge_before_a_phrase_lowers_it():
    pattern = compile_phrases(["look again"])
    text = "Perhaps the Council may want to look again."
    [hit] = find(context(text), pattern)
    assert hit.weight == 0.7


def test_a_space_in_a_phrase_matches_any_whitespace_but_not_inside_a_lookbehind():
    phrases = compile_phrases(["(?<!school )transport", "Responses to our enquiries", "(?-i:SEND)"])

    def matches(text):
        return [hit.phrase for hit in find(context(text), phrases)]

    assert matches("RESPONSES\nto  our\tenquiries") == ["RESPONSES\nto  our\tenquiries"]
    assert matches("home to school transport") == []
    assert matches("highways and Transport") == ["Transport"]
    assert matches("SEND us the SEND plans") == ["SEND", "SEND"]
    assert matches("send it") == []


def test_overlapping_matches_of_one_rule_count_once():
    phrases = compile_phrases(["remain concerned", "concerned about", "about"])
    assert [h.phrase for h in find(context("I remain concerned about it."), phrases)] == [
        "remain concerned",
        "about",
    ]


def test_required_word_is_one_no_match_can_lack():
    assert required_word(r"\bunacceptable\b") == "unacceptable"
    assert required_word(r"(?<!young )\bcarers?\b") == "carer"
    assert required_word("housing register") == "register"
    assert required_word(r"\bdelay(s|ed)?\b") == "delay"
    assert required_word(r"\bEHC") == "ehc"
    assert required_word(r"[Cc]ouncil tax") == "ouncil"
    assert required_word("two-stage|single-stage") == ""  # a top-level alternative
    assert required_word(r"\b(pleased|glad)\b") == ""  # only inside a group
    assert required_word(r"\blates?\b") == "late"  # "s?" is optional, "late" is not


@given(st.text(max_size=200))
def test_every_position_has_a_clause(text):
    found = clauses(text)
    if text.strip():
        for pos in range(len(text)):
            clause = clause_at(found, pos)
            assert 0 <= clause.start <= clause.end <= len(text)
            assert clause.weight > 0


@given(st.lists(st.sampled_from(["late", "not", "but", ",", "although", "the", "Council", "."]), max_size=30))
def test_find_reports_each_match_once_at_its_place(words):
    text = " ".join(words)
    hits = find(context(text), compile_phrases([r"\blate\b"]))
    assert [h.start for h in hits] == [m.start() for m in re.finditer(r"\blate\b", text)]


def test_a_sentence_opening_with_however_outweighs_the_sentences_before_it():
    text = "Your replies were prompt, which I appreciate. However, two remedies were late."
    assert weights(text) == [
        ("Your replies were prompt", 0.5),
        ("which I appreciate.", 0.5),
        ("However", 1.5),
        ("two remedies were late.", 1.5),
    ]


def generic(text: str) -> list[bool]:
    """Whether each sentence of ``text`` is read as about the process (all its clauses)."""
    marks = [c.generic for c in clauses(text)]
    by_sentence = [[c.generic for c in clauses(text) if s <= c.start < e] for s, e in sentence_spans(text)]
    assert all(len(set(m)) == 1 for m in by_sentence) and sum(map(len, by_sentence)) == len(marks)
    return [m[0] for m in by_sentence]


def test_sentences_about_the_process_rather_than_this_council():
    # a general condition, a general subject with a modal, the Ombudsman's own present tense
    assert generic(
        "When we issue a public interest report, the council concerned must publish a notice."
    ) == [True]
    assert generic("Councils must tell us within three months what they have done.") == [True]
    assert generic("A complaint about planning usually reaches us only after the council's procedure.") == [
        True
    ]
    assert generic("We issue public interest reports where the fault is serious.") == [True]
    assert generic("Our remedies aim to put people back where they would have been.") == [True]
    assert generic("In planning cases we cannot normally say what a different decision would be.") == [True]
    # ... and a sentence after one, opening with an anaphor or holding a modal
    assert generic(
        "When we issue a report, a council must publish it. It must then tell us what it did."
    ) == [
        True,
        True,
    ]
    # not when it names this council, accuses with "should have", or tells what happened
    assert generic("When we asked the Council for its records, it did not reply.") == [False]
    assert generic("When we issue a report, your officers must publish it.") == [False]
    assert generic("A family should have been offered a place.") == [False]
    assert generic("A family waited two years for a decision.") == [False]
    assert generic("We issued a public interest report in May.") == [False]
    assert generic("We issue reports. The family waited two years.") == [True, False]


def test_sentences_about_this_council_are_not_read_as_about_the_process():
    # sentences a reviewer wrote to break the reading: the Ombudsman's "we" in the past, its
    # judgements, its records of this council, general subjects telling what happened
    for sentence in [
        "When we investigated Mrs X's complaint, we found her son had been without education for a year.",
        "When we asked the council for its records, it did not reply.",
        "When we contacted the Authority about the delay, it took a further three months to act.",
        "When we restarted our own casework, its officers were ready to pick up our enquiries.",
        "Where there was fault, its remedies were proportionate and quickly arranged.",
        "We do not consider the delays in this case acceptable.",
        "We can see no reason why it took eight months to reply to our enquiries.",
        "We will be watching closely to see that the outstanding remedies are completed.",
        "Our records show that three remedies were paid late this year.",
        "Our figures show that complaints about its housing service rose by half.",
        "Members discussed our public interest report only after a delay of five months.",
        "Every one of our enquiries was answered late and several required reminders.",
        "An independent review found that officers often failed to record their decisions.",
        "Complainants often wait months for a final response.",
    ]:
        assert generic(sentence) == [False], sentence
    # after a sentence about the process, one telling what happened is not
    assert generic(
        "We issue public interest reports where the fault is serious. In one case a family waited."
    ) == [
        True,
        False,
    ]


def test_a_sentence_about_the_process_weighs_little_and_a_paragraph_of_them_is_marked():
    [only] = clauses("Councils must publish the report.")
    assert only.weight == 0.1 and only.generic
    assert about_the_process(context("We issue reports where a council fails. It must publish them."))
    assert not about_the_process(
        context("We issue reports where a council fails. The Council did not publish one.")
    )
    assert not about_the_process(context(""))
