"""Hard-wrapped lines -> the letter's paragraphs, judged from the shape of the whole letter.

Text pasted out of a PDF or an e-mail is wrapped at some width (40 to 200 characters, or
a narrower column for the statistics), its paragraphs sometimes run together with no
blank line, and page footers and running headers sit in the middle of sentences. One
line's length says nothing; the letter's shape does. A wrapping program breaks a line only
when the next word does not fit, so the width is the one at which most of the text is in
such "full" lines (``measure``), and a line break is a wrap ("soft") exactly when the next
line's first word would not have fitted on the line. Everything else is a real line break
("hard"): an address line, a heading, the end of a paragraph. Hard breaks after a
sentence's end, before a capital or a figure, start a new paragraph; soft breaks join the
lines with a space (or without the hyphen, when the hyphen only split a word: ``words``),
so a line that happens to start with "- We" or "1." is not read as a list.

Hand-written: no library rebuilds paragraphs from wrapped text (textwrap only wraps).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate, pairwise

from .words import joins_without_hyphen

MIN_FULL_LINES = 5
"""A letter is hard-wrapped when at least this many of its lines are full at one width..."""
MAX_LONGER = 0.25
"""... and no more than this share of its lines are longer than that width."""
NARROW = 0.8
"""A block wrapped on its own at under this share of the letter's width is a narrow
column (statistics pasted from a PDF)."""
PROPORTIONAL_SLACK = 0.15
"""In a PDF's proportional type a full line holds up to this share fewer characters."""
MAX_FURNITURE_CHARS = 120

_PAGE_NUMBER = re.compile(
    r"^\s*(?:page\s+\d+(?:\s+of\s+\d+)?|-\s*\d+\s*-|\d+\s*/\s*\d+|\[?page\s+break\]?)\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = (".", "!", "?", '."', ".'", '!"', '?"', ".)")
_BULLETS = ("- ", "* ", "+ ", "\u2022 ")
_WORDS = re.compile(r"[a-z]+(?:-[a-z]+)*")


def is_page_number(line: str) -> bool:
    """ "Page 2 of 4", "- 2 -", "2/4", "[page break]"."""
    return bool(_PAGE_NUMBER.match(line))


@dataclass(frozen=True)
class Shape:
    """How a letter's lines are wrapped."""

    width: float | None  # None: not hard-wrapped (one paragraph a line)
    slack: float = 0.0  # share of the width a full line may fall short by
    narrow: float | None = None  # the width of a narrow column (statistics), if any


def _blocks(lines: list[str]) -> list[list[str]]:
    """Runs of non-blank lines, stripped."""
    blocks, current = [], []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _first_word(line: str) -> str:
    return line.split(" ", 1)[0]


def _full(line: str, following: str, width: float, slack: float) -> bool:
    """True when the next line's first word would not have fitted on ``line``."""
    return len(line) + 1 + len(_first_word(following)) > width * (1 - slack)


def measure(pages: list[list[str]], *, proportional: bool = False) -> Shape:
    """The wrap width of a whole letter (its pages as lists of lines), or none.

    Each length of a line that another line follows is a candidate width; it explains the
    lines no longer than it that are full at it. The width is the candidate that explains
    the most text (characters, so a body wrapped at 160 outweighs a statistics column at
    24, and a body at 40 a column at 43), if it explains ``MIN_FULL_LINES`` lines and at
    most ``MAX_LONGER`` of the lines are longer: lines of a letter with one paragraph a
    line are seldom that alike. Narrow columns are measured block by block
    (``_narrow_width``).
    """
    slack = PROPORTIONAL_SLACK if proportional else 0.0
    pairs = [(len(a), len(a) + 1 + len(_first_word(b))) for page in pages for block in _blocks(page)
             for a, b in pairwise(block)]  # fmt: skip
    by_length = sorted(pairs)
    by_reach = sorted(pairs, key=lambda p: p[1])  # a line is full at widths below its reach
    lengths, reaches = [p[0] for p in by_length], [p[1] for p in by_reach]
    chars_by_length = list(accumulate((p[0] for p in by_length), initial=0))
    chars_by_reach = list(accumulate((p[0] for p in by_reach), initial=0))
    best, width = (0, 0), None
    for candidate in set(lengths):
        short, unfull = bisect_right(lengths, candidate), bisect_right(reaches, candidate * (1 - slack))
        lines = short - unfull  # no longer than the candidate and full at it
        chars = chars_by_length[short] - chars_by_reach[unfull]
        longer = len(lengths) - short  # a wrapped letter has few lines past its width
        if lines >= MIN_FULL_LINES and longer <= MAX_LONGER * len(lengths) and (chars, candidate) > best:
            best, width = (chars, candidate), candidate
    shape = Shape(width, slack)
    return Shape(width, slack, _narrow_width(pages, shape))


def _wrapped_alone(block: list[str], slack: float) -> float | None:
    """The block's own width when it is wrapped on its own: three lines or more, every one
    but the last full at the length of its longest."""
    own = max(len(line) for line in block)
    if len(block) >= 3 and all(_full(a, b, own, slack) for a, b in pairwise(block)):
        return own
    return None


def _narrow_width(pages: list[list[str]], shape: Shape) -> float | None:
    """The width of the letter's narrow column (its widest narrow block), if it has one."""
    widths = [
        own
        for page in pages
        for block in _blocks(page)
        if (own := _wrapped_alone(block, shape.slack)) is not None
        and (shape.width is None or own < NARROW * shape.width)
    ]
    return max(widths, default=None)


def _block_width(block: list[str], shape: Shape) -> float | None:
    """The width this block is wrapped at: the letter's, or the narrow column's when the
    block is as narrow (one of its lines, or all of a short block's), or none."""
    own = max(len(line) for line in block)
    narrow = shape.narrow
    if narrow is not None and own <= narrow and (len(block) < 3 or _wrapped_alone(block, shape.slack)):
        return narrow
    return shape.width


def _split_word(line: str, following: str) -> bool:
    """ "pro-" / "vided": a line that ends in a hyphen after a letter, before one that
    starts in lower case, broke a word whatever its length."""
    return len(line) >= 2 and line[-1] == "-" and line[-2].isalpha() and following[:1].islower()


def _ends_sentence(line: str) -> bool:
    return line.rstrip("*_ ").endswith(_SENTENCE_END)


def _starts_paragraph(line: str) -> bool:
    first = line.lstrip("*_[(\"' ")[:1]
    return first.isupper() or first.isdigit()


def join_wrapped(current: str, line: str, vocabulary: Counter[str] | None = None) -> str:
    """Join a wrapped line to the text before it: with a space, or at a hyphen that ends
    ``current`` without one (and without the hyphen when it only split a word)."""
    if len(current) >= 2 and current.endswith("-") and current[-2].isalnum():
        left = re.search(r"([A-Za-z]+)-$", current)
        right = re.match(r"[a-z]+", line)
        if left and right and joins_without_hyphen(left.group(1), right.group(0), vocabulary):
            return current[:-1] + line
        return current + line  # "well-" + "established", "2019-" + "20"
    return f"{current} {line}"


def unwrap(lines: list[str], shape: Shape, vocabulary: Counter[str] | None = None) -> str:
    """A page's lines as text with wrapped lines joined: paragraphs separated by a blank
    line, the hard breaks inside one (address lines) kept as newlines."""
    vocabulary = vocabulary if vocabulary is not None else Counter()
    out = []
    for block in _blocks(lines):
        width = _block_width(block, shape)
        parts, current = [], block[0]
        for a, b in pairwise(block):
            new_item = _ends_sentence(a) and b.startswith(_BULLETS)  # a list, not a wrap
            if not new_item and (
                (width is not None and _full(a, b, width, shape.slack)) or _split_word(a, b)
            ):
                current = join_wrapped(current, b, vocabulary)
                continue
            parts.append(current)
            parts.append("\n\n" if _ends_sentence(a) and _starts_paragraph(b) else "\n")
            current = b
        parts.append(current)
        out.append("".join(parts))
    return "\n\n".join(out)


def vocabulary(pages: list[list[str]]) -> Counter[str]:
    """The letter's own words in lower case, hyphenated ones included."""
    return Counter(w for page in pages for line in page for w in _WORDS.findall(line.lower()))


def drop_pasted_furniture(lines: list[str]) -> list[str]:
    """Page numbers and running headers pasted into the middle of the text, dropped.

    A running line is a short line that recurs, only at page edges (next to a page number,
    or the first or last line of the text), and next to all page numbers but one. Without
    page numbers nothing is dropped: a letter's formulaic sentences recur, wrapped the same
    way, and cannot be told from a running header by position alone. Where the dropped
    lines touched a blank line the paragraph ends there; otherwise the lines either side
    meet, and the wrap decides.
    """
    numbers = {i for i, line in enumerate(lines) if is_page_number(line)}
    if not numbers:
        return lines
    key = [" ".join(line.split()) for line in lines]
    counts = Counter(k for k in key if k and len(k) <= MAX_FURNITURE_CHARS)
    at_break = {j for i in numbers for j in (i - 1, i + 1) if 0 <= j < len(lines) and key[j]} - numbers
    text_lines = [i for i, k in enumerate(key) if k and i not in numbers]
    edges = at_break | set(text_lines[:1] + text_lines[-1:])
    where: dict[str, list[int]] = {}
    for i, k in enumerate(key):
        if counts[k] >= 2:
            where.setdefault(k, []).append(i)
    # Evidence: above, or below, all page numbers but one (a header follows every footer
    # but the last), not counting the text's first and last lines, which sit there anyway.
    ends = set(text_lines[:1] + text_lines[-1:])
    above = Counter(key[i - 1] for i in numbers if i - 1 in at_break and i - 1 not in ends)
    below = Counter(key[i + 1] for i in numbers if i + 1 in at_break and i + 1 not in ends)
    need = max(1, len(numbers) - 1)
    running = {k for k, found in where.items() if set(found) <= edges and max(above[k], below[k]) >= need}
    drop = numbers | {i for i, k in enumerate(key) if k in running and k}
    if not drop:
        return lines
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i not in drop:
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and (j in drop or not key[j]):
            j += 1
        if out and out[-1].strip() and any(not key[x] for x in range(i, j)):
            out.append("")  # a blank line touched the dropped lines: a paragraph ends here
        i = j
    return out
