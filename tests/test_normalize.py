"""Normalisation: extraction noise out, the letter's paragraphs in."""

from __future__ import annotations

import pytest
from conftest import SEEDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lgso_core.audit import audit_letter
from lgso_core.errors import LetterReadError
from lgso_core.models import Letter, Paragraph
from lgso_core.normalize import clean_text, heal, markdown_paragraphs, normalize_pages
from lgso_core.reading import load_letter
from lgso_core.template import shipped_templates

HEADER = "LGSCO Annual Review letter 2020 - Rutland County Council"


def texts(paragraphs):
    return [p.text for p in paragraphs]


def test_running_header_and_page_numbers_are_removed_from_every_page():
    pages = [
        f"{HEADER}\n\nDear Mr Andrews\n\nThe first paragraph ends here.\n\nPage 1 of 3",
        f"{HEADER}\n\nA second paragraph.\n\n- 2 -",
        f"{HEADER}\n\n4\nupheld decisions\n\nPage 3 of 3",
    ]
    result = normalize_pages(pages)
    assert texts(result) == [
        "Dear Mr Andrews",
        "The first paragraph ends here.",
        "A second paragraph.",
        "4 upheld decisions",
    ]
    assert [p.page for p in result] == [1, 1, 2, 3]


def test_a_lone_number_is_a_figure_not_a_page_number():
    assert texts(normalize_pages(["Complaints upheld\n\n4\n\nupheld decisions"])) == [
        "Complaints upheld",
        "4 upheld decisions",
    ]


def test_paragraph_split_across_pages_is_joined():
    pages = [
        "We credit authorities that have a positive and open approach to",
        "resolving complaints. We recognise cases.",
    ]
    assert texts(normalize_pages(pages)) == [
        "We credit authorities that have a positive and open approach to resolving complaints. We recognise cases."
    ]


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("## **Complaint statistics**", "Complaint statistics"),
        (
            "visit our [website](#) or <u>Your council's performance</u>",
            "visit our website or Your council's performance",
        ),
        ("In **100%** of cases", "In 100% of cases"),
        ("- Failure to comply is rare.", "Failure to comply is rare."),
        ("line one\nline two\r\nline three", "line one line two line three"),
    ],
)
def test_markup_is_removed(markup, text):
    assert markdown_paragraphs(markup) == [text]


def test_clean_text_straightens_quotes_and_spaces():
    assert clean_text("the Council\u2019s  \u201cview\u201d\u00a0here ") == 'the Council\'s "view" here'


def test_heal_keeps_sentences_and_drops_a_repeated_letterhead():
    paras = [
        Paragraph(text=t)
        for t in ["OMBUDSMAN", "22 July 2020", "OMBUDSMAN", "Dear Sir", "Ends.", "Starts again."]
    ]
    assert texts(heal(paras)) == ["OMBUDSMAN", "22 July 2020", "Dear Sir", "Ends.", "Starts again."]


# --------------------------------------------------------------------------- never raise

LINES = st.sampled_from(
    ["", " ", "- ", "Page 2 of 4", "- 3 -", "LGSCO Annual Review letter", "inves-", "tigated.", "We uphold", "**56%**",
     "![", "[link](#)", "## Heading", "> quote", "    code", "1.", "\u00ad", "\r", "\f", "\t", "\u2022 item"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(LINES, st.text(max_size=80)), max_size=60), st.booleans())
def test_any_text_normalizes_without_raising(lines, proportional):
    text = "\n".join(lines)
    paragraphs = normalize_pages(text.split("\f"), proportional=proportional)
    assert all(p.text == p.text.strip() and "\n" not in p.text for p in paragraphs)


SUFFIXES = [".txt", ".md", ".html", ".pdf"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_are_a_letter_or_one_read_error(tmp_path, data, suffix):
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    try:
        letter = load_letter(path)
    except LetterReadError as exc:
        assert "\n" not in exc.reason
    else:
        assert letter.paragraphs


@st.composite
def mutated(draw):
    """A test letter with lines dropped, repeated, swapped, cut or salted with odd characters."""
    seed = draw(st.sampled_from(SEEDS))
    lines = seed.read_text("utf-8").split("\n")
    for _ in range(draw(st.integers(1, 12))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "repeat", "swap", "cut", "salt"]))
        if op == "drop":
            del lines[i]
        elif op == "repeat":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        else:
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.text(max_size=5)) + lines[i][at:]
        if not lines:
            lines = [""]
    return "\n".join(lines)


@settings(max_examples=120, deadline=None)
@given(mutated())
def test_a_mutated_letter_audits_without_raising(text):
    paragraphs = normalize_pages(text.split("\f"))
    if paragraphs:
        letter = Letter(source="mutated.txt", sha256="0" * 64, paragraphs=tuple(paragraphs))
        audit_letter(letter, shipped_templates()[2020])


def test_a_word_hyphenated_across_a_page_break_is_rejoined():
    assert texts(normalize_pages(["Dear Sir\n\nWe have inves-", "tigated the com-\nplaints."])) == [
        "Dear Sir",
        "We have investigated the complaints.",
    ]
    assert (
        texts(normalize_pages(["Dear Sir\n\nA well-", "established team."]))[-1] == "A well-established team."
    )
