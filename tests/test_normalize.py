"""Normalisation: extraction noise out, the letter's paragraphs in."""

from __future__ import annotations

import pytest

from lgso_core.models import Paragraph
from lgso_core.normalize import clean_text, heal, markdown_paragraphs, normalize_pages

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
