"""Council web pages -> the letter's paragraphs, and never the site's chrome."""

from __future__ import annotations

import pytest
from conftest import SEEDS
from pagegen import CHROME, STYLES, council_page

from lgso_core.errors import LetterReadError
from lgso_core.extract import read_document
from lgso_core.webpage import MAX_DEPTH, page_text

RUTLAND = SEEDS[1]


@pytest.mark.parametrize("style", STYLES)
def test_site_chrome_never_becomes_a_paragraph(style):
    letter = RUTLAND.read_text("utf-8")
    text = page_text(council_page(letter, style), "page.html")
    assert [c for c in CHROME if c in text and c not in letter] == []
    assert [p for p in text.split("\n\n") if p in CHROME] == []  # "Your council" is in the letter too


@pytest.mark.parametrize("style", STYLES)
def test_the_address_block_headings_and_statistics_lines_are_kept(style):
    paragraphs = page_text(council_page(RUTLAND.read_text("utf-8"), style), "page.html").split("\n\n")
    assert "Mr Andrews\nChief Executive\nRutland County Council" in paragraphs
    assert "Dear Mr Andrews" in paragraphs
    for heading in ["Annual Review letter 2020", "Complaint statistics", "Resources to help you get it right",
                    "Complaints upheld", "Compliance with Ombudsman recommendations"]:  # fmt: skip
        assert heading in paragraphs
    assert "1\nupheld decision" in paragraphs
    assert paragraphs[-1] == (
        "Statistics are based on a total of 1 detailed investigation for the period between "
        "1 April 2019 to 31 March 2020"
    )


_LETTER_PAGE = """<!DOCTYPE html><html><head><title>Letter | Council</title>
<script>var x = "<p>not text</p>";</script></head><body>
<header><nav><a href="/">Home</a> <a href="/contact">Contact us</a></nav></header>
<main><article>
<p>22 July 2020
<address>Ms Kemp<br>Chief Executive<br>Rotherham Metropolitan Borough Council</address>
<p>Dear Ms Kemp
<h2>Complaint   statistics</h2>
<p>We found <b>fault</b> in <a href="/x">4 of 7</a> complaints &amp; upheld them.
We focus our statistics on these three key areas, which we explain in turn below and in the
guidance for councils:
<ul><li>Complaints upheld<li>Compliance with recommendations</ul>
<p>Yours sincerely,
<p>Michael King<br>Local Government and Social Care Ombudsman
</article></main>
<footer><p>Accessibility statement</p></footer>
</body></html>"""


def test_html5_without_end_tags_keeps_the_whole_letter():
    assert page_text(_LETTER_PAGE, "page.html").split("\n\n") == [
        "22 July 2020",
        "Ms Kemp\nChief Executive\nRotherham Metropolitan Borough Council",
        "Dear Ms Kemp",
        "Complaint statistics",
        "We found fault in 4 of 7 complaints & upheld them. We focus our statistics on these three "
        "key areas, which we explain in turn below and in the guidance for councils:",
        "Complaints upheld",
        "Compliance with recommendations",
        "Yours sincerely,",
        "Michael King\nLocal Government and Social Care Ombudsman",
    ]


def test_inline_markup_goes_and_markdown_markers_stay_literal():
    page = (
        "<html><head><style>p{}</style></head><body><article><h2>Complaint statistics</h2>"
        "<p>Visit <u>Your council's performance</u> &amp; <b>more</b>: 2*3 = 6 #1 [sic].</p>"
        "<ul><li>Failure to comply with our recommendations is rare, and we say so.</li></ul>"
        "</article></body></html>"
    )
    assert page_text(page, "p.html").split("\n\n") == [
        "Complaint statistics",
        "Visit Your council's performance & more: 2\\*3 = 6 \\#1 \\[sic].",
        "Failure to comply with our recommendations is rare, and we say so.",
    ]


def test_preformatted_letter_keeps_its_paragraphs():
    page = "<html><body><pre>Dear Mr Dicks\n\nWe found fault.\nWe upheld it.\n\nYours sincerely,</pre></body></html>"
    assert page_text(page, "p.html").split("\n\n") == [
        "Dear Mr Dicks",
        "We found fault.\nWe upheld it.",
        "Yours sincerely,",
    ]


def test_forty_thousand_nested_divs_are_one_line_error():
    page = "<html><body>" + "<div>" * 40_000 + "<p>Dear Sir</p>" + "</div>" * 40_000 + "</body></html>"
    with pytest.raises(LetterReadError) as caught:
        page_text(page, "deep.html")
    assert (
        str(caught.value) == f"deep.html: HTML nested more than {MAX_DEPTH} elements deep; not a letter page"
    )


def test_deep_but_plausible_nesting_is_read():
    inner = (
        "<p>We found fault in the council\u2019s handling of the complaint, and it agreed to apologise.</p>"
    )
    page = "<html><body>" + "<div>" * 150 + inner + "</div>" * 150 + "</body></html>"
    assert (
        page_text(page, "p.html")
        == "We found fault in the council\u2019s handling of the complaint, and it agreed to apologise."
    )


def test_a_page_of_markup_only_is_an_error():
    with pytest.raises(LetterReadError, match="no text in the HTML page"):
        page_text("<html><body><p> </p><div></div><script>x()</script></body></html>", "empty.html")


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="windows-1252">',
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">',
    ],
)
def test_declared_charset_is_honoured(write, meta):
    body = "<p>The Council\x92s response was late.\xa0We found fault in 4 of 7 complaints.</p>"
    html = f"<html><head>{meta}</head><body><article>{body}</article></body></html>"
    path = write("page.html", html.encode("latin-1"))
    assert read_document(path).pages == [
        "The Council\u2019s response was late. We found fault in 4 of 7 complaints."
    ]
