"""Raw pages -> clean paragraphs.

Removes what extraction adds and the letter never said: hard wraps, page breaks that split
a paragraph, running headers and footers, page numbers, markdown and HTML markup, CRLF,
curly quotes, stray spaces. Nothing here knows the template's wording.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import pairwise

from markdown_it import MarkdownIt

from .models import Paragraph
from .stats import is_stats_paragraph

_PAGE_NUMBER = re.compile(
    r"^\s*(?:page\s+\d+(?:\s+of\s+\d+)?|-\s*\d+\s*-|\d+\s*/\s*\d+|\[?page\s+break\]?)\s*$",
    re.IGNORECASE,
)
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


def clean_text(text: str) -> str:
    """One line of text: straight quotes, no control characters, single spaces."""
    return _SPACES.sub(" ", text.translate(_CHARS)).strip()


def strip_page_furniture(pages: list[str]) -> list[str]:
    """Drop page numbers everywhere, and lines repeated at the top or bottom of pages."""
    split = [[line.rstrip() for line in page.translate(_CHARS).split("\n")] for page in pages]
    running = _running_lines(split) if len(split) > 1 else set()
    out = []
    for lines in split:
        kept = [ln for ln in lines if not _PAGE_NUMBER.match(ln)]
        kept = _trim_edges(kept, running)
        out.append("\n".join(kept))
    return out


def _edge_lines(lines: list[str], depth: int = 2) -> list[str]:
    content = [clean_text(ln) for ln in lines if ln.strip() and not _PAGE_NUMBER.match(ln)]
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
    """The text of each block of a markdown (or plain) text, markup removed."""
    paragraphs = []
    for token in _markdown().parse(text):
        if token.type == "inline":
            paragraphs.extend(split_run_together(_inline_lines(token.children or [])))
        elif token.type in ("code_block", "fence", "html_block"):
            paragraphs.extend(split_run_together(token.content.splitlines()))
    return [p for p in (clean_text(p) for p in paragraphs) if _has_words(p)]


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


_WRAP_MAX = 100  # a block whose lines are all this short or shorter is hard-wrapped text
_SHORT_LINE = 0.75  # ... and its paragraphs end on a line shorter than this share of the longest


def split_run_together(lines: list[str]) -> list[str]:
    """Split a block that holds several paragraphs with no blank line between them.

    A line that ends a sentence starts a new paragraph when the next line starts with a
    capital or a figure, and the line is either short for a hard-wrapped block (the last
    line of a wrapped paragraph) or the block is not hard-wrapped (one paragraph a line).
    Address lines and "4 / upheld decisions" end no sentence, so they stay together.
    """
    lines = [ln.strip() for ln in lines if ln.strip()]
    if len(lines) < 2:
        return [" ".join(lines)]
    longest = max(len(ln) for ln in lines)
    wrapped = longest <= _WRAP_MAX
    paragraphs, current = [], [lines[0]]
    for prev, line in pairwise(lines):
        ends = prev.endswith((".", "!", "?", '."', ".'"))
        starts = line[:1].isupper() or line[:1].isdigit()
        if ends and starts and (not wrapped or len(prev) < _SHORT_LINE * longest):
            paragraphs.append(" ".join(current))
            current = []
        current.append(line)
    paragraphs.append(" ".join(current))
    return paragraphs


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def heal(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Join paragraphs a page break or stray blank line split mid-sentence, and drop a
    short paragraph repeated just after itself (a letterhead printed twice)."""
    out: list[Paragraph] = []
    for para in paragraphs:
        if out and _continues(out[-1].text, para.text):
            out[-1] = Paragraph(text=f"{out[-1].text} {para.text}", page=out[-1].page)
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
    """Raw pages (markdown or plain text) -> the letter's clean paragraphs."""
    paragraphs = []
    for number, page in enumerate(strip_page_furniture(pages), start=1):
        page_no = number if len(pages) > 1 else None
        paragraphs.extend(Paragraph(text=t, page=page_no) for t in markdown_paragraphs(page))
    return heal(paragraphs)
