"""Pieces of text on a PDF page -> lines in reading order, columns split on their gutters.

A statistics page may set its blocks side by side. Read row by row across the page, the
columns mix ("Complaints upheld Compliance with Satisfactory remedies"). Here the rows of
a page are formed first; where three or more rows in a run have text on both sides of one
clear vertical strip (a gutter), that run is read column by column, left to right.

Hand-written: pdfium gives character boxes but no layout analysis, and pdfminer's (which
has one) costs the 20x speed pdfium brings; this needs only the boxes already at hand.
Known limit: blocks set two by two with an odd one under the left column read as the
left column, then the right.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import NamedTuple

#: A text line: (top, bottom, text), with y growing downward (top < bottom).
Line = tuple[float, float, str]

GUTTER_PER_HEIGHT = 1.5
"""Narrowest gutter, in line heights: wider than any word space of justified text."""
MIN_COLUMN_ROWS = 3
"""Fewest rows with text on both sides of a gutter for a run of rows to be columns."""
MAX_RUN_ROWS = 200
"""Most rows one run of columns is followed for (a page has about 60): a page flooded with
tiny glyphs costs linear time, not quadratic."""
RUN_GAP_PER_HEIGHT = 3.0
"""A line this many line heights below the one above, on one side of the gutter only,
ends a run of columns (a centred footer)."""
SPACE_PER_HEIGHT = 0.15
"""A gap between two pieces of one line wider than this many line heights is a space."""


class Piece(NamedTuple):
    """A run of text on one line, y downward."""

    top: float
    bottom: float
    left: float
    right: float
    text: str


def reading_order(pieces: Iterable[Piece]) -> list[list[Line]]:
    """Groups of lines in reading order: each column of a run of columns is a group, and
    so is each stretch of full-width lines between them. Lines of a group are top down."""
    rows = _rows(pieces)
    groups: list[list[Line]] = []
    plain: list[Line] = []
    i = 0
    while i < len(rows):
        end, gutters = _column_run(rows, i)
        if gutters:
            if plain:
                groups.append(plain)
                plain = []
            groups.extend(_columns(rows[i:end], gutters))
            i = end
        else:
            plain.append(join_pieces(rows[i]))
            i += 1
    if plain:
        groups.append(plain)
    return groups


def _rows(pieces: Iterable[Piece]) -> list[list[Piece]]:
    """Pieces grouped into rows: a piece whose middle lies within a row's extent joins it."""
    rows: list[list[Piece]] = []
    extent = (0.0, 0.0)
    for piece in sorted((p for p in pieces if p.text.strip()), key=lambda p: (p.top, p.left)):
        middle = (piece.top + piece.bottom) / 2
        if rows and extent[0] <= middle <= extent[1]:
            rows[-1].append(piece)
            extent = (min(extent[0], piece.top), max(extent[1], piece.bottom))
        else:
            rows.append([piece])
            extent = (piece.top, piece.bottom)
    for row in rows:
        row.sort(key=lambda p: p.left)
    return rows


def _gaps(row: Sequence[Piece], narrowest: float) -> list[tuple[float, float]]:
    """The horizontal gaps of a row at least ``narrowest`` wide."""
    gaps = []
    right = row[0].right
    for piece in row[1:]:
        if piece.left - right >= narrowest:
            gaps.append((right, piece.left))
        right = max(right, piece.right)
    return gaps


def _narrow(gutters: list[tuple[float, float]], row: Sequence[Piece], narrowest: float):
    """The gutters left once ``row`` is laid over them (a piece inside one narrows it)."""
    kept = []
    for left, right in gutters:
        for piece in row:
            if piece.right <= left or piece.left >= right:
                continue
            # the piece covers part of the gutter: keep the wider free side
            free_left, free_right = (left, piece.left), (piece.right, right)
            left, right = max(free_left, free_right, key=lambda g: g[1] - g[0])
        if right - left >= narrowest:
            kept.append((left, right))
    return kept


def _splits(row: Sequence[Piece], gutters: list[tuple[float, float]]) -> bool:
    """True when ``row`` has text on both sides of one of the gutters."""
    return any(
        any(p.right <= left for p in row) and any(p.left >= right for p in row) for left, right in gutters
    )


def _column_run(rows: list[list[Piece]], start: int) -> tuple[int, list[tuple[float, float]]]:
    """(end, gutters) of the run of columns starting at ``rows[start]``, or (start, [])."""
    height = max(p.bottom - p.top for p in rows[start])
    narrowest = GUTTER_PER_HEIGHT * height
    gutters = _gaps(rows[start], narrowest)
    if not gutters:
        return start, []
    end = start + 1
    while end < len(rows) and end - start < MAX_RUN_ROWS:
        narrowed = _narrow(gutters, rows[end], narrowest)
        if not narrowed:
            break
        gap = min(p.top for p in rows[end]) - max(p.bottom for p in rows[end - 1])
        if gap > RUN_GAP_PER_HEIGHT * height and not _splits(rows[end], narrowed):
            break  # a footer far below the columns is not part of one
        gutters = narrowed
        end += 1
    split_rows = sum(_splits(row, gutters) for row in rows[start:end])
    if split_rows < MIN_COLUMN_ROWS:
        return start, []
    return end, gutters


def _columns(rows: list[list[Piece]], gutters: list[tuple[float, float]]) -> list[list[Line]]:
    """The lines of each column of a run, left to right."""
    bounds = [g[0] for g in gutters]
    columns: list[list[Line]] = [[] for _ in range(len(gutters) + 1)]
    for row in rows:
        parts: list[list[Piece]] = [[] for _ in columns]
        for piece in row:
            parts[sum(piece.left >= b for b in bounds)].append(piece)
        for column, part in zip(columns, parts, strict=True):
            if part:
                column.append(join_pieces(part))
    return [c for c in columns if c]


def join_pieces(group: list[Piece]) -> Line:
    """Join the pieces of one line left to right; a visible gap becomes a space.

    The line's extent is that of its longest piece (the line's main font).
    """
    group = sorted(group, key=lambda p: p.left)
    main = max(group, key=lambda p: len(p.text))
    parts = [group[0].text]  # joined once at the end: += on a growing str is quadratic
    for prev, cur in pairwise(group):
        gap = cur.left - prev.right
        parts.append((" " if gap > SPACE_PER_HEIGHT * (main.bottom - main.top) else "") + cur.text)
    return main.top, main.bottom, "".join(parts)
