"""Raw pages -> clean paragraphs.

Removes what extraction adds and the letter never said: hard wraps, page breaks that split
a paragraph, running headers and footers, page numbers, markdown and HTML markup, CRLF,
curly quotes, stray spaces. Nothing here knows the template's wording.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from markdown_it import MarkdownIt

from .models import Paragraph
from .stats import is_stats_paragraph
from .unwrap import drop_pasted_furniture, is_page_number, join_wrapped, measure, unwrap, vocabulary

_CHARS = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200b": "",
    "\ufeff": "", "\u00ad": "", "\t": " ", "\r": "",
})  # fmt: skip
_SPACES = re.compile(r"\s+")
_ENDS_SENTENCE = re.compile(r"""[.:;!?'")\]]$""")
_REPEAT_WINDOW = 3  # a short paragraph repeated this close is a letterhead artefact
_REPEAT_MAX_CHARS = 100


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).disable(["html_block"])


@lru_cache(maxsize=1)
def _markdown_blocks() -> MarkdownIt:
    """Block structure only: each block's inline markup is parsed in bounded pieces."""
    return MarkdownIt("commonmark", {"html": True}).disable(["html_block", "inline"])


def clean_text(text: str) -> str:
    """One line of text: straight quotes, no control characters, single spaces."""
    return _SPACES.sub(" ", text.translate(_CHARS)).strip()


def strip_page_furniture(pages: list[str]) -> list[str]:
    """Drop page numbers everywhere, and lines repeated at the top or bottom of pages."""
    return ["\n".join(lines) for lines in _without_furniture(_page_lines(pages))]


def _page_lines(pages: list[str]) -> list[list[str]]:
    return [[line.rstrip() for line in page.translate(_CHARS).split("\n")] for page in pages]


def _without_furniture(split: list[list[str]]) -> list[list[str]]:
    """Pages as lines without page numbers and running headers or footers. Text of one
    page (pasted from a PDF) has them in the middle of the text instead."""
    if len(split) == 1:
        return [drop_pasted_furniture(split[0])]
    running = _running_lines(split)
    return [_trim_edges([ln for ln in lines if not is_page_number(ln)], running) for lines in split]


def _edge_lines(lines: list[str], depth: int = 2) -> list[str]:
    content = [clean_text(ln) for ln in lines if ln.strip() and not is_page_number(ln)]
    return content[:depth] + content[-depth:]


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines at a page's edge that recur at the edges of at least half the pages (>= 2)."""
    counts = Counter(line for lines in pages for line in set(_edge_lines(lines)))
    need = max(2, (len(pages) + 1) // 2)
    return {line for line, n in counts.items() if n >= need}


def _trim_edges(lines: list[str], running: set[str]) -> list[str]:
    if not running:
        return lines
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    edges = set(nonblank[:2] + nonblank[-2:])
    return [ln for i, ln in enumerate(lines) if not (i in edges and clean_text(ln) in running)]


def markdown_paragraphs(text: str) -> list[str]:
    """The text of each block of a markdown (or plain) text, markup removed. Lines are
    taken as they are (``unwrap`` has joined wrapped ones): one block is one paragraph."""
    paragraphs = []
    for token in _markdown_blocks().parse(text):
        if token.type == "inline":
            pieces = (_inline_lines(_markdown().parseInline(_few_brackets(piece))[0].children or [])
                      for piece in _bounded_pieces(token.content))  # fmt: skip
            paragraphs.append(" ".join(line for lines in pieces for line in lines))
        elif token.type in ("code_block", "fence", "html_block"):
            paragraphs.append(" ".join(token.content.splitlines()))
    return [p for p in (clean_text(p) for p in paragraphs) if _has_words(p)]


MAX_INLINE = 4096
"""Longest text whose inline markup is parsed in one go. The parser rescans the rest of
its text for each opener ("![" or "[" without a close), so 512 KB of openers costs its
length squared (seconds); a letter's paragraph is under 4 KB, and a longer one is parsed
in pieces cut where a space is (markup that spans a cut stays as it is written)."""


MAX_BRACKETS = 64
"""A piece with more "[" than this (no letter has 64 links in 4 KB) has them all taken as
text: each one is a link label the parser scans ahead for, up to the piece's end."""


def _few_brackets(piece: str) -> str:
    return piece.replace("[", "\\[") if piece.count("[") > MAX_BRACKETS else piece


def _bounded_pieces(text: str) -> list[str]:
    pieces = []
    while len(text) > MAX_INLINE:
        cut = max(text.rfind(" ", MAX_INLINE // 2, MAX_INLINE), text.rfind("\n", MAX_INLINE // 2, MAX_INLINE))
        cut = cut if cut > 0 else MAX_INLINE
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    return pieces


def _inline_lines(children) -> list[str]:
    """The lines of a block's text, markup removed."""
    lines, parts = [], []
    for child in children:
        if child.type in ("text", "code_inline", "image"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            lines.append("".join(parts))
            parts = []
    lines.append("".join(parts))
    return lines


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def heal(paragraphs: list[Paragraph], vocabulary: Counter[str] | None = None) -> list[Paragraph]:
    """Join paragraphs a page break or stray blank line split mid-sentence (a word
    hyphenated across the break rejoined as ``unwrap`` does, by the letter's own
    ``vocabulary`` first), and drop a short paragraph repeated just after itself (a
    letterhead printed twice)."""
    out: list[Paragraph] = []
    for para in paragraphs:
        if out and _continues(out[-1].text, para.text):
            out[-1] = Paragraph(text=join_wrapped(out[-1].text, para.text, vocabulary), page=out[-1].page)
            continue
        recent = [p.text for p in out[-_REPEAT_WINDOW:]]
        if len(para.text) <= _REPEAT_MAX_CHARS and para.text in recent and not is_stats_paragraph(para.text):
            continue  # a statistics sentence may repeat: two blocks can share an average
        out.append(para)
    return out


def _continues(previous: str, nxt: str) -> bool:
    """A paragraph that stops mid-sentence and one that starts in lower case are one."""
    return not _ENDS_SENTENCE.search(previous) and nxt[:1].islower()


def normalize_pages(pages: list[str], *, proportional: bool = False) -> list[Paragraph]:
    """Raw pages (markdown or plain text) -> the letter's clean paragraphs.

    ``proportional``: the lines were set in proportional type (a PDF), so a full line's
    length in characters varies (see ``unwrap``).
    """
    split = _without_furniture(_page_lines(pages))
    shape = measure(split, proportional=proportional)
    words = vocabulary(split)
    paragraphs = []
    for number, lines in enumerate(split, start=1):
        page_no = number if len(pages) > 1 else None
        text = unwrap(lines, shape, words)
        paragraphs.extend(Paragraph(text=t, page=page_no) for t in markdown_paragraphs(text))
    return heal(paragraphs, words)
