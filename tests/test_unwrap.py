"""Wrapped lines -> paragraphs, judged from the shape of the whole letter."""

from __future__ import annotations

from lgso_core.unwrap import Shape, drop_pasted_furniture, measure, unwrap

BODY = [
    "We write to you with our annual summary",  # 39
    "of statistics on the decisions made by",  # 38
    "the Ombudsman about your authority for",  # 38
    "the year ending 31 March 2020. Given the",  # 40
    "exceptional pressures, I thought about",  # 38
    "whether to send it.",
    "",
    "Complaints upheld - We uphold complaints",  # 40
    "when we find fault. A focus on how often",  # 40
    "things go wrong, rather than volumes,",  # 37
    "provides a clearer indicator. Failure to",  # 40
    "comply is rare.",
]


def test_a_letter_wrapped_at_40_is_measured_at_its_longest_full_lines():
    assert measure([BODY]).width == 40


def test_wrapped_lines_join_and_sentences_that_end_a_line_stay_in_their_paragraph():
    assert unwrap(BODY, measure([BODY])).split("\n\n") == [
        "We write to you with our annual summary of statistics on the decisions made by the "
        "Ombudsman about your authority for the year ending 31 March 2020. Given the exceptional "
        "pressures, I thought about whether to send it.",
        "Complaints upheld - We uphold complaints when we find fault. A focus on how often things "
        "go wrong, rather than volumes, provides a clearer indicator. Failure to comply is rare.",
    ]


def test_a_line_that_ends_a_paragraph_is_told_from_a_full_one():
    """The blank line between the paragraphs lost: "whether to send it." had room for
    "Complaints", so the paragraph ended there."""
    lines = BODY[:6] + BODY[7:]
    assert unwrap(lines, measure([lines])).split("\n\n")[1].startswith("Complaints upheld - We")


def test_a_dash_that_starts_a_line_is_not_a_list_after_a_full_line():
    lines = [
        "Satisfactory remedies provided by the",
        "authority - We want to encourage the early",
        "resolution of complaints.",
    ]
    shape = Shape(width=42)
    assert unwrap(["x" * 30, *lines], shape).endswith(
        "authority - We want to encourage the early resolution of complaints."
    )
    dashed = [
        "Satisfactory remedies provided by the authority",
        "- We want to encourage the early resolution.",
    ]
    assert (
        unwrap(dashed, Shape(width=48))
        == "Satisfactory remedies provided by the authority - We want to encourage the early resolution."
    )


def test_list_items_after_a_sentence_stay_items():
    lines = ["An authority should scrutinise those complaints.", "- Failure to comply is rare."]
    assert (
        unwrap(lines, Shape(width=49))
        == "An authority should scrutinise those complaints.\n- Failure to comply is rare."
    )


def test_a_letter_with_one_paragraph_a_line_is_not_wrapped():
    lines = [
        "Mr Andrews",
        "Chief Executive",
        "Rutland County Council",
        "",
        "This year we received more complaints than ever before, and the Council's responses were late.",
        "We recommend ways for authorities to put things right when faults have caused injustice.",
    ]
    assert measure([lines]).width is None
    assert unwrap(lines, measure([lines])).split("\n\n") == [
        "Mr Andrews\nChief Executive\nRutland County Council",
        "This year we received more complaints than ever before, and the Council's responses were late.",
        "We recommend ways for authorities to put things right when faults have caused injustice.",
    ]


def test_a_narrow_statistics_column_is_read_at_its_own_width():
    body = [line for line in BODY if line]
    column = [
        "Failure to comply with our",  # 26
        "recommendations is rare. An",  # 27: "authority" did not fit
        "authority with a compliance",  # 27
        "rate below 100% should",
        "scrutinise those complaints.",  # 28
    ]
    shape = measure([[*BODY, "", *column]])
    assert shape.width == 40 and shape.narrow == 28
    assert unwrap(column, shape) == (
        "Failure to comply with our recommendations is rare. An authority with a compliance "
        "rate below 100% should scrutinise those complaints."
    )
    assert len(body) == 11


def test_hyphenated_wraps_rejoin_words_and_keep_compounds():
    lines = ["the Council's responses to our enquiries were inves-", "tigated by a well-", "established team"]
    assert unwrap(lines, Shape(width=52)) == (
        "the Council's responses to our enquiries were investigated by a well-established team"
    )


def test_crlf_and_trailing_spaces_change_nothing():
    crlf = [line + "  \r" for line in BODY]
    assert unwrap([ln.rstrip() for ln in crlf], measure([BODY])) == unwrap(BODY, measure([BODY]))


def test_pasted_page_footer_and_running_header_are_dropped_where_they_cut_a_paragraph():
    lines = [
        "LGSCO Annual Review letter",
        "We credit authorities that have a positive and open approach to",
        "Page 1 of 3",
        "LGSCO Annual Review letter",
        "resolving complaints. We recognise cases.",
        "",
        "Page 2 of 3",
        "LGSCO Annual Review letter",
        "",
        "Complaint statistics",
        "Page 3 of 3",
    ]
    assert drop_pasted_furniture(lines) == [
        "We credit authorities that have a positive and open approach to",
        "resolving complaints. We recognise cases.",
        "",
        "Complaint statistics",
    ]


def test_a_sentence_that_recurs_next_to_page_numbers_by_chance_is_kept():
    stats = "Statistics are based on a total of 7 detailed investigations"
    lines = ["Complaints upheld", stats, "- 1 -", "Compliance", "- 2 -", "", "Remedies", stats, "- 3 -"]
    assert drop_pasted_furniture(lines) == [line for line in lines if not line.startswith("- ")]
