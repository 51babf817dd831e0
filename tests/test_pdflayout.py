"""Pieces of text on a page -> lines in reading order, side-by-side columns split on their gutters."""

from __future__ import annotations

from lgso_core.pdflayout import Piece, join_pieces, reading_order

H = 10.0  # line height
PITCH = 14.0


def row(y: float, *cells: tuple[float, float, str]) -> list[Piece]:
    return [Piece(y, y + H, left, right, text) for left, right, text in cells]


def texts(groups) -> list[list[str]]:
    return [[line[2] for line in group] for group in groups]


def test_single_column_is_one_group_top_down():
    pieces = [*row(2 * PITCH, (50, 300, "second line")), *row(PITCH, (50, 280, "first line"))]
    assert texts(reading_order(pieces)) == [["first line", "second line"]]


def test_three_columns_are_read_one_after_the_other_between_full_width_lines():
    pieces = row(0, (50, 500, "Local Government and Social Care Ombudsman annual review letter"))
    cells = [
        ["Complaints upheld", "100% of complaints", "we investigated", "were upheld."],
        ["Compliance with", "recommendations", "In 100% of cases"],
        ["Satisfactory remedies", "In 0% of upheld", "cases we found", "a remedy."],
    ]
    for line in range(4):
        cells_here = [
            (50 + 160 * c, 50 + 160 * c + 130, col[line]) for c, col in enumerate(cells) if line < len(col)
        ]
        pieces += row(PITCH * (line + 2), *cells_here)
    pieces += row(PITCH * 7, (50, 500, "Statistics are based on a total of 1 detailed investigation"))
    assert texts(reading_order(pieces)) == [
        ["Local Government and Social Care Ombudsman annual review letter"],
        cells[0],
        cells[1],
        cells[2],
        ["Statistics are based on a total of 1 detailed investigation"],
    ]


def test_two_rows_with_a_gap_are_not_columns():
    # a letterhead and date on one line, the address and a reference on the next
    pieces = [
        *row(0, (50, 200, "Local Government & Social Care OMBUDSMAN"), (400, 500, "22 July 2020")),
        *row(PITCH, (50, 150, "Mr Andrews"), (400, 500, "Ref: 20 001 234")),
        *row(2 * PITCH, (50, 500, "Dear Mr Andrews, we write with our annual summary of statistics")),
    ]
    assert texts(reading_order(pieces)) == [
        [
            "Local Government & Social Care OMBUDSMAN 22 July 2020",
            "Mr Andrews Ref: 20 001 234",
            "Dear Mr Andrews, we write with our annual summary of statistics",
        ]
    ]


def test_justified_word_gaps_that_do_not_line_up_are_not_a_gutter():
    lines = []
    for i in range(6):
        x, cells = 50.0, []
        for k in range(8):
            width = 35 + 7 * ((i * 3 + k * 5) % 4)
            cells.append((x, x + width, f"w{i}{k}"))
            x += width + 4 + 2 * ((i + k) % 3)  # word spaces of 4 to 8 points
        lines += row(PITCH * i, *cells)
    groups = reading_order(lines)
    assert len(groups) == 1 and len(groups[0]) == 6


def test_a_footer_far_below_the_columns_is_not_in_a_column():
    pieces = []
    for line in range(4):
        pieces += row(
            PITCH * line, (50, 180, f"left {line}"), (210, 340, f"middle {line}"), (370, 500, f"right {line}")
        )
    pieces += row(700, (250, 300, "Page 2 of 2"))
    assert texts(reading_order(pieces))[-1] == ["Page 2 of 2"]


def test_pieces_of_a_line_join_with_a_space_only_where_there_is_a_gap():
    top, bottom, text = join_pieces(
        [Piece(0, 10, 60, 90, "held"), Piece(0, 10, 10, 60, "up"), Piece(0, 10, 95, 120, "100%")]
    )
    assert (top, bottom, text) == (0, 10, "upheld 100%")
