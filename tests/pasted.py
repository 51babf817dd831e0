"""Text as it is pasted out of a PDF: hard-wrapped at some width, words hyphenated at
line ends, the statistics in a narrow column, page footers and running headers between the
lines. Each function keeps what the letter says; only its lines change."""

from __future__ import annotations

import random
import re

from lgso_core.words import COMMON, frequency

HEADER = "LGSCO Annual Review letter"
FOOTERS = ("Page {k} of {n}", "- {k} -", "{k}/{n}")


def blocks(text: str) -> list[list[str]]:
    """The letter's blocks (between blank lines), each a list of its lines: a paragraph
    on one line, or lines that are lines of their own (an address, a list)."""
    found = re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
    return [[" ".join(ln.split()) for ln in b.split("\n") if ln.strip()] for b in found if b.strip()]


def wrap(
    paragraph: str, width: int, rng: random.Random | None = None, hyphen_share: float = 0.0
) -> list[str]:
    """Greedy wrap at ``width``. A compound that does not fit breaks after its hyphen if
    that fits ("well-" / "established"), as word processors break it; with ``rng``, a common
    word that does not fit is hyphenated (3+ letters from either end) ``hyphen_share`` of
    the time, as typesetters do."""
    lines, line = [], ""
    for word in paragraph.split(" "):
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            room = width - len(line) - 2  # a space, and the hyphen
            head = word[: word.find("-") + 1]
            if 1 < len(head) < len(word) and head[-2].isalpha() and len(head) <= room + 1:
                lines.append(f"{line} {head}")
                line = word[len(head) :]
            elif rng and room >= 3 and _hyphenable(word) and rng.random() < hyphen_share:
                cut = rng.randint(3, min(room, len(word) - 3))
                lines.append(f"{line} {word[:cut]}-")
                line = word[cut:]
            else:
                lines.append(line)
                line = word
    lines.append(line)
    return lines


def _hyphenable(word: str) -> bool:
    """A plain lower-case English word of six letters or more (the list says it is one)."""
    return len(word) >= 6 and word.isalpha() and word.islower() and frequency(word) >= COMMON


def pasted(
    text: str,
    width: int,
    *,
    seed: int = 0,
    hyphen_share: float = 0.0,
    stats_width: int | None = None,
    page_lines: int | None = None,
    crlf: bool = False,
) -> str:
    """The letter as pasted from a PDF.

    ``stats_width``: the statistics (after "Yours sincerely") in a column this narrow.
    ``page_lines``: a footer ("Page 2 of 4") and a running header every this many lines,
    in the middle of a paragraph where the page broke there.
    """
    rng = random.Random(seed)
    units = blocks(text)
    sign_off = next(
        (i for i, b in enumerate(units) if b[0].lower().startswith("yours sincerely")), len(units)
    )
    lines: list[str] = []
    for i, block in enumerate(units):
        w = stats_width if stats_width and i > sign_off else width
        wrapped = [line for unit in block for line in wrap(unit, w, rng, hyphen_share)]
        lines += ["", *wrapped] if lines else wrapped
    if page_lines:
        lines = _paginate(lines, page_lines, rng)
    out = "\n".join(lines) + "\n"
    return out.replace("\n", "\r\n") if crlf else out


def _paginate(lines: list[str], every: int, rng: random.Random) -> list[str]:
    """A running header on every page (when there are two or more), and a footer after
    every ``every`` lines. At a
    paragraph's end the blank line stays on one side of them; mid-paragraph there is none."""
    pages = [lines[i : i + every] for i in range(0, len(lines), every)]
    footer = rng.choice(FOOTERS)
    out: list[str] = []
    for k, page in enumerate(pages, start=1):
        if k > 1:
            out.append(footer.format(k=k - 1, n=len(pages)))
        out += [HEADER, *page] if len(pages) > 1 else page
    out += [footer.format(k=len(pages), n=len(pages))]
    return out
