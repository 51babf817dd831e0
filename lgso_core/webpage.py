"""A council web page -> the letter on it, as paragraphs.

Councils publish the Ombudsman's letter as a page of their website, inside the site's
chrome: cookie banner, skip link, header with search, navigation, breadcrumbs, related
links, "Was this page helpful?", footer, scripts. Only the letter may become paragraphs.

1. The page is parsed as a browser parses it (lexbor, through selectolax: HTML5's
   implied end tags, so ``<p>`` without ``</p>`` keeps the whole letter). A page nested
   deeper than any real page is refused before it is parsed (deep nesting makes tree
   building quadratic) and again after, so it costs linear time.
2. What is never content goes (scripts, styles, forms, buttons, navigation, hidden
   elements), then readability-lxml picks the main content. It was measured against
   trafilatura on council pages in four site styles (``bench/webpages.py``): both drop
   the chrome, but readability keeps the letter's HTML, so the ``<address>`` block and
   the line breaks of the statistics survive; trafilatura's XML flattens the address.
3. The content's blocks become paragraphs, ``<br>`` a line break within one.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree
from readability import Document
from readability.readability import Unparseable
from selectolax.lexbor import LexborHTMLParser

from .errors import LetterReadError

MAX_DEPTH = 200
"""Deepest element nesting accepted. Council pages nest 20 to 40 deep; browsers flatten
what is deeper than 512; lxml, under readability, silently drops what is deeper than 255."""
TOO_DEEP = f"HTML nested more than {MAX_DEPTH} elements deep; not a letter page"

NEVER_CONTENT = (
    "script, style, noscript, template, iframe, object, svg, canvas, form, button, select, input,"
    " textarea, nav, [hidden], [aria-hidden=true], [role=navigation], [role=search]"
)
"""Elements that are never a letter's text, removed before the main content is chosen."""

BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "div", "dl",
    "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "html", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "ul",
})  # fmt: skip
"""Elements that start and end a paragraph."""

# Elements whose end tag HTML lets a page leave out, and void elements: the nesting
# pre-scan does not count them.
_UNCOUNTED = frozenset({
    "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup", "caption",
    "option", "optgroup", "rb", "rt", "rp", "html", "head", "body",  # end tag optional
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",  # void
})  # fmt: skip
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*?(/?)>")
_SPACE = re.compile(r"[ \t\r\n\f]+")


def page_text(html: str, source: str) -> str:
    """The letter on a web page: paragraphs separated by blank lines, the lines of one
    (an address, "1 / upheld decision") by a newline, markdown markers escaped.
    Raises ``LetterReadError`` for a page nested too deep or holding no text."""
    _check_nesting(html, source)
    tree = LexborHTMLParser(html)
    if _depth(tree) > MAX_DEPTH:
        raise LetterReadError(source, TOO_DEEP)
    for node in tree.css(NEVER_CONTENT):
        node.decompose()
    cleaned = tree.html or ""
    if not (tree.body and tree.body.text(strip=True)):
        raise LetterReadError(source, "no text in the HTML page")
    try:
        main = Document(cleaned).summary(html_partial=True)
    except Unparseable as exc:
        raise LetterReadError(source, f"cannot find the letter on the HTML page ({exc})") from None
    paragraphs = _paragraphs(lxml.html.fromstring(main))
    if not paragraphs:
        raise LetterReadError(source, "no text in the HTML page")
    return "\n\n".join(_escape_markdown(p) for p in paragraphs)


def _check_nesting(html: str, source: str) -> None:
    """Refuse a page whose open elements (leaving out those HTML closes by itself) nest
    deeper than :data:`MAX_DEPTH`, in one linear pass over its tags."""
    depth = 0
    for m in _TAG.finditer(html):
        closing, name, self_closing = m.groups()
        if self_closing or name.lower() in _UNCOUNTED:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        if depth > MAX_DEPTH:
            raise LetterReadError(source, TOO_DEEP)


def _depth(tree: LexborHTMLParser) -> int:
    """The depth of the parsed tree, walked without recursion."""
    deepest = 0
    stack = [(tree.root, 0)] if tree.root else []
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        child = node.child
        while child is not None:
            stack.append((child, depth + 1))
            child = child.next
    return deepest


def _paragraphs(root: lxml.html.HtmlElement) -> list[str]:
    """The text of each block, in document order; ``<br>`` is a line break."""
    paragraphs: list[str] = []
    current: list[str] = []
    in_pre = 0

    def flush(preformatted: bool = False) -> None:
        text = "".join(current)
        current.clear()
        # in <pre> text, a blank line separates paragraphs as in a text file
        for chunk in re.split(r"\n\s*\n", text) if preformatted else [text]:
            lines = [" ".join(line.split()) for line in chunk.split("\n")]
            kept = "\n".join(line for line in lines if line)
            if kept:
                paragraphs.append(kept)

    def add(text: str | None) -> None:
        if text:
            current.append(text if in_pre else _SPACE.sub(" ", text))

    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else None  # comments have no name
        if event == "start":
            if tag in BLOCKS:
                flush()
            if tag == "pre":
                in_pre += 1
            elif tag == "br":
                current.append("\n")
            if tag is not None:
                add(element.text)
        else:
            if tag == "pre":
                in_pre -= 1
            if tag in BLOCKS:
                flush(preformatted=tag == "pre")
            add(element.tail)
    flush()
    return paragraphs


def _escape_markdown(text: str) -> str:
    # The page's text is handed to the markdown reader; keep literal markers literal.
    for char in "\\*_#<`[":
        text = text.replace(char, "\\" + char)
    return text
